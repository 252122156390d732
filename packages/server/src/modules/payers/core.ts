/**
 * The CAQH CORE connectivity connector (Phase II/III connectivity rule): X12 payloads carried in a SOAP 1.2
 * COREEnvelopeRealTimeRequest, or as the same fields in an HTTP MIME multipart form, to a real clearinghouse.
 * The far side's answer comes back in the matching response envelope; its Payload is the X12.
 */
import { randomUUID } from 'node:crypto';
import type { PayerGatewayConfig } from '../../platform/config.ts';
import {
  type ClaimSubmissionAnswer,
  type GatewayCall,
  GatewayTransportError,
  type PayerGateway,
} from './gateway.ts';

export const CORE_RULE_VERSION = '2.2.0';

/** CORE PayloadType values for each exchange. */
export const PAYLOAD_TYPES = {
  eligibility: 'X12_270_Request_005010X279A1',
  eligibilityResponse: 'X12_271_Response_005010X279A1',
  claims: 'X12_837_Request_005010X222A1',
  claimsAcknowledgment: 'X12_999_Response_005010X231A1',
  claimAcknowledgmentRetrieval: 'X12_277CA_RetrievalRequest_005010X214',
  claimStatus: 'X12_276_Request_005010X212',
  priorAuth: 'X12_278_Request_005010X217E1_2',
  remittanceRetrieval: 'X12_835_RetrievalRequest_005010X221A1',
} as const;

export interface CoreEnvelope {
  PayloadType: string;
  ProcessingMode: 'RealTime' | 'Batch';
  PayloadID: string;
  PayloadLength?: number;
  TimeStamp: string;
  SenderID: string;
  ReceiverID: string;
  CORERuleVersion: string;
  Checksum?: string;
  Payload: string;
  ErrorCode?: string;
  ErrorMessage?: string;
}

const ENVELOPE_FIELDS = [
  'PayloadType',
  'ProcessingMode',
  'PayloadID',
  'PayloadLength',
  'TimeStamp',
  'SenderID',
  'ReceiverID',
  'CORERuleVersion',
  'Checksum',
  'Payload',
  'ErrorCode',
  'ErrorMessage',
] as const;

const xmlEscape = (s: string) =>
  s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
const xmlUnescape = (s: string) =>
  s
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&amp;', '&');

/** A SOAP 1.2 envelope carrying a COREEnvelopeRealTimeRequest (or Batch submission) element. */
export function soapEnvelope(
  element: string,
  envelope: CoreEnvelope,
  credentials?: { username: string; password: string },
): string {
  const security = credentials
    ? `<soapenv:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" soapenv:mustUnderstand="true"><wsse:UsernameToken><wsse:Username>${xmlEscape(credentials.username)}</wsse:Username><wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText">${xmlEscape(credentials.password)}</wsse:Password></wsse:UsernameToken></wsse:Security></soapenv:Header>`
    : '<soapenv:Header/>';
  const fields = ENVELOPE_FIELDS.filter((f) => envelope[f] !== undefined)
    .map((f) =>
      f === 'Payload'
        ? `<Payload><![CDATA[${envelope.Payload.replaceAll(']]>', ']]]]><![CDATA[>')}]]></Payload>`
        : `<${f}>${xmlEscape(String(envelope[f]))}</${f}>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://www.w3.org/2003/05/soap-envelope" xmlns:cor="http://www.caqh.org/SOAP/WSDL/CORERule2.2.0.xsd">${security}<soapenv:Body><cor:${element}>${fields}</cor:${element}></soapenv:Body></soapenv:Envelope>`;
}

/** Reads the CORE fields out of a SOAP envelope (namespace prefixes ignored); a SOAP Fault becomes an error. */
export function parseSoapEnvelope(xml: string): CoreEnvelope {
  if (/<(\w+:)?Fault[\s>]/.test(xml)) {
    const reason = /<(?:\w+:)?Text[^>]*>([\s\S]*?)<\/(?:\w+:)?Text>/.exec(xml)?.[1] ?? 'SOAP fault';
    throw new GatewayTransportError(`clearinghouse SOAP fault: ${xmlUnescape(reason)}`, false);
  }
  const out: Record<string, string> = {};
  for (const field of ENVELOPE_FIELDS) {
    const match = new RegExp(`<(?:\\w+:)?${field}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:\\w+:)?${field}>`).exec(xml);
    if (!match) continue;
    const raw = match[1]!;
    const cdata = /^\s*<!\[CDATA\[([\s\S]*)\]\]>\s*$/.exec(raw);
    out[field] = cdata ? cdata[1]!.replaceAll(']]]]><![CDATA[>', ']]>') : xmlUnescape(raw);
  }
  if (out.PayloadType === undefined)
    throw new GatewayTransportError('clearinghouse answer is not a CORE envelope', false);
  return out as unknown as CoreEnvelope;
}

/** The CORE fields as an HTTP MIME multipart/form-data body. */
export function multipartBody(envelope: CoreEnvelope, boundary: string): string {
  let body = '';
  for (const field of ENVELOPE_FIELDS) {
    const value = envelope[field];
    if (value === undefined) continue;
    body += `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`;
  }
  return `${body}--${boundary}--\r\n`;
}

/** Reads a multipart/form-data body of CORE fields. */
export function parseMultipart(body: string, contentType: string): CoreEnvelope {
  const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
  if (!boundary) throw new GatewayTransportError('clearinghouse multipart answer has no boundary', false);
  const out: Record<string, string> = {};
  for (const part of body.split(`--${boundary}`)) {
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd < 0) continue;
    const name = /name="([^"]+)"/i.exec(part.slice(0, headerEnd))?.[1];
    if (!name) continue;
    out[name] = part.slice(headerEnd + 4).replace(/\r\n$/, '');
  }
  if (out.PayloadType === undefined)
    throw new GatewayTransportError('clearinghouse answer is not a CORE envelope', false);
  return out as unknown as CoreEnvelope;
}

export class CoreConnector implements PayerGateway {
  readonly name = 'core' as const;
  readonly #config: PayerGatewayConfig['core'];
  readonly #fetch: typeof fetch;

  constructor(config: PayerGatewayConfig['core'], fetchImpl: typeof fetch = fetch) {
    if (!config.endpoint) throw new Error('the CORE connector needs PAYER_CORE_ENDPOINT');
    this.#config = config;
    this.#fetch = fetchImpl;
  }

  #headers(): Record<string, string> {
    const c = this.#config;
    if (c.auth === 'basic' && c.username)
      return {
        authorization: `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`,
      };
    if (c.auth === 'bearer' && c.token) return { authorization: `Bearer ${c.token}` };
    return {};
  }

  /** Sends one CORE envelope and returns the answer's envelope; HTTP 5xx and network errors are transient. */
  async exchange(
    payloadType: string,
    payload: string,
    call: GatewayCall,
    mode: 'RealTime' | 'Batch' = 'RealTime',
  ): Promise<CoreEnvelope> {
    const c = this.#config;
    const envelope: CoreEnvelope = {
      PayloadType: payloadType,
      ProcessingMode: mode,
      PayloadID: randomUUID(),
      PayloadLength: Buffer.byteLength(payload),
      TimeStamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      SenderID: c.senderId,
      ReceiverID: c.receiverId,
      CORERuleVersion: CORE_RULE_VERSION,
      Payload: payload,
    };
    let body: string;
    let contentType: string;
    if (c.envelope === 'soap') {
      const element = mode === 'Batch' ? 'COREEnvelopeBatchSubmission' : 'COREEnvelopeRealTimeRequest';
      body = soapEnvelope(element, envelope);
      contentType = `application/soap+xml; charset=utf-8; action="${mode}Transaction"`;
    } else {
      const boundary = `----intelluxe${randomUUID().replaceAll('-', '')}`;
      body = multipartBody(envelope, boundary);
      contentType = `multipart/form-data; boundary=${boundary}`;
    }
    let response: Response;
    try {
      response = await this.#fetch(c.endpoint!, {
        method: 'POST',
        headers: { 'content-type': contentType, ...this.#headers() },
        body,
        signal: call.signal,
      });
    } catch (error) {
      if (call.signal.aborted) throw error;
      throw new GatewayTransportError(`cannot reach the clearinghouse: ${(error as Error).message}`, true);
    }
    const text = await response.text();
    if (response.status === 401 || response.status === 403)
      throw new GatewayTransportError(
        `clearinghouse refused the credentials (HTTP ${response.status})`,
        false,
      );
    if (response.status >= 500 || response.status === 429)
      throw new GatewayTransportError(`clearinghouse answered HTTP ${response.status}`, true);
    const answer =
      c.envelope === 'soap'
        ? parseSoapEnvelope(text)
        : parseMultipart(text, response.headers.get('content-type') ?? '');
    if (answer.ErrorCode && answer.ErrorCode !== 'Success') {
      const transient = ['Receiver', 'Timeout', 'ReceiverUnavailable'].some((x) =>
        answer.ErrorCode!.includes(x),
      );
      throw new GatewayTransportError(
        `clearinghouse error ${answer.ErrorCode}: ${answer.ErrorMessage ?? ''}`.trim(),
        transient,
      );
    }
    if (!response.ok)
      throw new GatewayTransportError(`clearinghouse answered HTTP ${response.status}`, false);
    return answer;
  }

  async eligibility(x12: string, call: GatewayCall): Promise<string> {
    return (await this.exchange(PAYLOAD_TYPES.eligibility, x12, call)).Payload;
  }

  async submitClaims(x12: string, call: GatewayCall): Promise<ClaimSubmissionAnswer> {
    const acknowledgment = (await this.exchange(PAYLOAD_TYPES.claims, x12, call, 'Batch')).Payload;
    const retrieval = await this.exchange(PAYLOAD_TYPES.claimAcknowledgmentRetrieval, '', call, 'Batch');
    return { acknowledgment, claimAcknowledgment: retrieval.Payload.trim() ? retrieval.Payload : null };
  }

  async claimStatus(x12: string, call: GatewayCall): Promise<string> {
    return (await this.exchange(PAYLOAD_TYPES.claimStatus, x12, call)).Payload;
  }

  async priorAuth(x12: string, call: GatewayCall): Promise<string> {
    return (await this.exchange(PAYLOAD_TYPES.priorAuth, x12, call)).Payload;
  }

  async remittances(call: GatewayCall): Promise<string[]> {
    const answer = await this.exchange(PAYLOAD_TYPES.remittanceRetrieval, '', call, 'Batch');
    // A retrieval can carry several interchanges back to back; each starts with its own ISA.
    return answer.Payload.split(/(?=ISA.00)/).filter((x) => x.trim().startsWith('ISA'));
  }
}
