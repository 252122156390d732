import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { build276, build837P, type ClaimSubmission, parse277, parse999, validate } from '@intelluxe/x12';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npiFrom } from '../src/modules/demo/seed.ts';
import {
  CORE_RULE_VERSION,
  CoreConnector,
  multipartBody,
  PAYLOAD_TYPES,
  parseMultipart,
  parseSoapEnvelope,
  soapEnvelope,
} from '../src/modules/payers/core.ts';
import { GatewayTransportError } from '../src/modules/payers/gateway.ts';
import { PayersService } from '../src/modules/payers/service.ts';
import type { PayerGatewayConfig } from '../src/platform/config.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let admin: Record<string, string>;
let frontDesk: Record<string, string>;
let practiceId: string;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 2 });
  admin = { authorization: await t.bearer('admin') };
  frontDesk = { authorization: await t.bearer('front_desk') };
  practiceId = t.seed!.practiceId;
});
afterAll(() => t.close());

const SAMPLE_271 = readFileSync('/work/shared/corpora/x12/271/lfh_subscriber.x12', 'latin1');

/** A clearinghouse on 127.0.0.1 speaking CORE envelopes (SOAP 1.2 or MIME multipart), as a real one would. */
class FakeClearinghouse {
  server: Server;
  requests: Array<{ headers: IncomingMessage['headers']; fields: Record<string, string> }> = [];
  status = 200;
  errorCode: string | null = null;

  readonly mode: 'soap' | 'mime';
  authorization: string;

  constructor(mode: 'soap' | 'mime', authorization: string) {
    this.mode = mode;
    this.authorization = authorization;
    this.server = createServer((req, res) => this.#handle(req, res));
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/core`;
  }

  async #handle(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (req.headers.authorization !== this.authorization) {
      res.writeHead(401).end();
      return;
    }
    if (this.status !== 200) {
      res.writeHead(this.status).end();
      return;
    }
    const request =
      this.mode === 'soap'
        ? parseSoapEnvelope(body)
        : parseMultipart(body, String(req.headers['content-type']));
    this.requests.push({ headers: req.headers, fields: request as unknown as Record<string, string> });
    const answer = {
      PayloadType: request.PayloadType.replace('270_Request', '271_Response'),
      ProcessingMode: request.ProcessingMode,
      PayloadID: request.PayloadID,
      TimeStamp: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
      SenderID: request.ReceiverID,
      ReceiverID: request.SenderID,
      CORERuleVersion: CORE_RULE_VERSION,
      Payload: request.PayloadType === PAYLOAD_TYPES.eligibility ? SAMPLE_271 : '',
      ErrorCode: this.errorCode ?? 'Success',
      ErrorMessage: this.errorCode ? 'Receiver is temporarily unavailable' : '',
    };
    if (this.mode === 'soap') {
      res.writeHead(200, { 'content-type': 'application/soap+xml; charset=utf-8' });
      res.end(soapEnvelope('COREEnvelopeRealTimeResponse', answer));
    } else {
      const boundary = 'fakeclearinghouse0001';
      res.writeHead(200, { 'content-type': `multipart/form-data; boundary=${boundary}` });
      res.end(multipartBody(answer, boundary));
    }
  }

  close() {
    this.server.close();
  }
}

const coreConfig = (
  endpoint: string,
  extra: Partial<PayerGatewayConfig['core']>,
): PayerGatewayConfig['core'] => ({
  endpoint,
  envelope: 'soap',
  auth: 'basic',
  username: 'riverside',
  password: 's3cret-pass',
  token: undefined,
  senderId: 'RIVERSIDE01',
  receiverId: 'CLEARHOUSE',
  ...extra,
});
const call = (payerId = 'anthem') => ({ payerId, practiceId, signal: new AbortController().signal });

describe('CAQH CORE connector', () => {
  it('sends a SOAP 1.2 COREEnvelopeRealTimeRequest with basic auth and returns the 271 payload', async () => {
    const fake = new FakeClearinghouse(
      'soap',
      `Basic ${Buffer.from('riverside:s3cret-pass').toString('base64')}`,
    );
    const endpoint = await fake.start();
    try {
      const connector = new CoreConnector(coreConfig(endpoint, {}));
      const x270 =
        'ISA*00*          *00*          *ZZ*RIVERSIDE01    *ZZ*00227          *261121*1200*^*00501*000000001*0*P*:~';
      const answer = await connector.eligibility(x270, call());
      expect(answer).toBe(SAMPLE_271);
      const sent = fake.requests[0]!;
      expect(sent.headers['content-type']).toMatch(/^application\/soap\+xml/);
      expect(sent.fields).toMatchObject({
        PayloadType: 'X12_270_Request_005010X279A1',
        ProcessingMode: 'RealTime',
        SenderID: 'RIVERSIDE01',
        ReceiverID: 'CLEARHOUSE',
        CORERuleVersion: '2.2.0',
        Payload: x270,
      });
      expect(sent.fields.PayloadID).toMatch(/^[0-9a-f-]{36}$/);
      expect(sent.fields.TimeStamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    } finally {
      fake.close();
    }
  });

  it('sends the same fields as HTTP MIME multipart with a bearer token', async () => {
    const fake = new FakeClearinghouse('mime', 'Bearer core-token-123');
    const endpoint = await fake.start();
    try {
      const connector = new CoreConnector(
        coreConfig(endpoint, { envelope: 'mime', auth: 'bearer', token: 'core-token-123' }),
      );
      expect(await connector.eligibility('ISA*00~', call())).toBe(SAMPLE_271);
      expect(fake.requests[0]!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
      expect(fake.requests[0]!.fields).toMatchObject({
        PayloadType: PAYLOAD_TYPES.eligibility,
        ProcessingMode: 'RealTime',
        Payload: 'ISA*00~',
      });
    } finally {
      fake.close();
    }
  });

  it('classifies failures: bad credentials are final, 5xx and receiver errors are transient', async () => {
    const fake = new FakeClearinghouse('soap', 'Basic nobody');
    const endpoint = await fake.start();
    try {
      const connector = new CoreConnector(coreConfig(endpoint, {}));
      await expect(connector.eligibility('ISA', call())).rejects.toMatchObject({
        transient: false,
        message: expect.stringMatching(/credentials/),
      });
      (fake as { authorization: string }).authorization =
        `Basic ${Buffer.from('riverside:s3cret-pass').toString('base64')}`;
      fake.status = 503;
      await expect(connector.eligibility('ISA', call())).rejects.toMatchObject({ transient: true });
      fake.status = 200;
      fake.errorCode = 'ReceiverUnavailable';
      const error = await connector.eligibility('ISA', call()).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GatewayTransportError);
      expect(error).toMatchObject({ transient: true });
    } finally {
      fake.close();
    }
    const closed = new CoreConnector(coreConfig(endpoint, {}));
    await expect(closed.eligibility('ISA', call())).rejects.toMatchObject({
      transient: true,
      message: expect.stringMatching(/cannot reach/),
    });
  });

  it('a refusal (bad credentials) is not retried and says so', async () => {
    const fake = new FakeClearinghouse('soap', 'Basic someone-else');
    const endpoint = await fake.start();
    try {
      const service = new PayersService(t.platform, t.services.patients, {
        gateway: new CoreConnector(coreConfig(endpoint, {})),
      });
      service.configure('uhc', { retries: 3, retryBaseMs: 5 });
      const error = await service.eligibility(practiceId, 'uhc', 'ISA*00~').catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 502,
        code: 'payer-refused',
        extensions: { retryable: false, attempts: 1 },
      });
    } finally {
      fake.close();
    }
  });

  it('runs behind the payers service: retries, stores the exchange, records metrics', async () => {
    const fake = new FakeClearinghouse(
      'soap',
      `Basic ${Buffer.from('riverside:s3cret-pass').toString('base64')}`,
    );
    const endpoint = await fake.start();
    try {
      const service = new PayersService(t.platform, t.services.patients, {
        gateway: new CoreConnector(coreConfig(endpoint, {})),
      });
      service.configure('aetna', { retries: 2, retryBaseMs: 5 });
      fake.status = 502;
      setTimeout(() => {
        fake.status = 200;
      }, 8);
      const exchange = await service.eligibility(practiceId, 'aetna', 'ISA*00~');
      expect(exchange.response).toBe(SAMPLE_271);
      expect(exchange.attempts).toBeGreaterThanOrEqual(1);
      const stored = await service.transaction(practiceId, exchange.transactionId);
      expect(stored).toMatchObject({
        gateway: 'core',
        kind: 'eligibility',
        outcome: 'ok',
        request: 'ISA*00~',
        response: SAMPLE_271,
      });
      const metric = await t.platform.metrics.registry
        .getSingleMetric('intelluxe_payer_requests_total')!
        .get();
      expect(metric.values.some((v) => v.labels.payer === 'aetna' && v.labels.outcome === 'ok')).toBe(true);
    } finally {
      fake.close();
    }
  });
});

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

async function anthemMember(memberId: string): Promise<void> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: frontDesk,
    payload: {
      firstName: 'Miriam',
      lastName: 'Osei',
      dateOfBirth: '1970-05-17',
      sex: 'female',
      coverages: [
        {
          payerId: 'anthem',
          memberId,
          planName: 'Anthem Blue Access PPO',
          planType: 'PPO',
          effectiveDate: '2025-01-01',
        },
      ],
    },
  });
  expect(res.statusCode).toBe(201);
}

function claimFor(memberId: string, pcn: string): Omit<ClaimSubmission, 'kind'> {
  const npi = npiFrom('123456789');
  return {
    claimType: 'CH',
    referenceId: `B${pcn}`,
    date: day(0),
    time: '09:30',
    submitter: {
      type: 'organization',
      name: 'RIVERSIDE FAMILY MEDICINE',
      idQualifier: '46',
      id: 'RIVERSIDE01',
      contact: { name: 'BILLING OFFICE', phone: '6145550100' },
    },
    receiver: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: '46', id: '00227' },
    claims: [
      {
        billingProvider: {
          type: 'organization',
          name: 'RIVERSIDE FAMILY MEDICINE',
          idQualifier: 'XX',
          id: npiFrom('198765432'),
          address: { line1: '2400 RIVERSIDE DRIVE', city: 'COLUMBUS', state: 'OH', postalCode: '432211234' },
          taxId: '311234567',
        },
        subscriber: {
          type: 'person',
          name: 'OSEI',
          firstName: 'MIRIAM',
          idQualifier: 'MI',
          id: memberId,
          payerResponsibility: 'P',
          relationship: '18',
          claimFilingCode: 'CI',
          dateOfBirth: '1970-05-17',
          gender: 'F',
          address: { line1: '88 ELM STREET', city: 'COLUMBUS', state: 'OH', postalCode: '43215' },
        },
        payer: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '00227' },
        patientControlNumber: pcn,
        chargeCents: 14_000,
        placeOfService: '11',
        frequencyCode: '1',
        providerSignature: true,
        assignmentCode: 'A',
        benefitsAssigned: 'Y',
        releaseOfInformation: 'Y',
        diagnoses: [{ qualifier: 'ABK', code: 'I10' }],
        renderingProvider: { type: 'person', name: 'CHEN', firstName: 'ALICIA', idQualifier: 'XX', id: npi },
        lines: [
          {
            procedure: { qualifier: 'HC', code: '99213', modifiers: [] },
            chargeCents: 14_000,
            unitType: 'UN',
            units: 1,
            diagnosisPointers: [1],
            serviceDate: { start: day(-2) },
            lineControlNumber: 'LN0001',
          },
        ],
      },
    ],
  };
}

const envelope = (n: number) => ({
  senderId: 'RIVERSIDE01',
  receiverId: '00227',
  interchangeControlNumber: n,
  usage: 'T' as const,
});

describe('sandbox clearinghouse: claims, claim status and remittances', () => {
  it('validates an 837 and answers a 999 and a 277CA (accepted and rejected claims)', async () => {
    await anthemMember('XGH600000001');
    const accepted = await t.services.payers.submitClaims(
      practiceId,
      'anthem',
      build837P(claimFor('XGH600000001', 'PCN6000001'), envelope(601)),
    );
    const ack = parse999(accepted.response.acknowledgment).transactions[0]!;
    expect(ack).toMatchObject({ functionalId: 'HC', groupStatus: 'A', accepted: 1 });
    expect(validate(accepted.response.claimAcknowledgment!).filter((d) => d.severity === 'error')).toEqual(
      [],
    );
    const ca = parse277(accepted.response.claimAcknowledgment!).transactions[0]!;
    expect(ca.variant).toBe('277CA');
    expect(ca.claims[0]!.statuses[0]).toMatchObject({
      category: 'A1',
      code: '20',
      action: 'WQ',
      chargeCents: 14_000,
    });
    expect(ca.claims[0]!.payerClaimControlNumber).toMatch(/^00227\d{11}$/);

    const unknown = await t.services.payers.submitClaims(
      practiceId,
      'anthem',
      build837P(claimFor('XGH699999999', 'PCN6000002'), envelope(602)),
    );
    const rejected = parse277(unknown.response.claimAcknowledgment!).transactions[0]!;
    expect(rejected.claims[0]!.statuses[0]).toMatchObject({ category: 'A3', code: '33', action: 'U' });
  });

  it('rejects a malformed 837 in the 999', async () => {
    const x837 = build837P(claimFor('XGH600000001', 'PCN6000003'), envelope(603)).replace(
      /SE\*\d+\*/,
      'SE*2*',
    );
    const answer = await t.services.payers.submitClaims(practiceId, 'anthem', x837);
    const ack = parse999(answer.response.acknowledgment).transactions[0]!;
    expect(ack.groupStatus).toBe('R');
    expect(ack.transactionSets[0]!.status).toBe('R');
    expect(answer.response.claimAcknowledgment).toBeNull();
  });

  it('answers a 276 with a 277: pending for a received claim, not found otherwise', async () => {
    const request = {
      referenceId: 'STATUS01',
      date: day(0),
      time: '10:00',
      payer: { type: 'organization' as const, name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '00227' },
      receiver: {
        type: 'organization' as const,
        name: 'RIVERSIDE FAMILY MEDICINE',
        idQualifier: '46',
        id: 'RIVERSIDE01',
      },
      claims: ['PCN6000001', 'PCN0000404'].map((pcn) => ({
        provider: {
          type: 'organization' as const,
          name: 'RIVERSIDE FAMILY MEDICINE',
          idQualifier: 'XX',
          id: npiFrom('198765432'),
        },
        subscriber: {
          type: 'person' as const,
          name: 'OSEI',
          firstName: 'MIRIAM',
          idQualifier: 'MI',
          id: 'XGH600000001',
        },
        traceNumber: pcn,
        patientControlNumber: pcn,
        chargeCents: 14_000,
        serviceDate: { start: day(-2) },
        statuses: [],
        lines: [],
      })),
    };
    const answer = await t.services.payers.claimStatus(
      practiceId,
      'anthem',
      build276(request, envelope(604)),
    );
    const status = parse277(answer.response).transactions[0]!;
    expect(status.claims.map((c) => `${c.statuses[0]!.category}:${c.statuses[0]!.code}`)).toEqual([
      'P1:20',
      'A4:35',
    ]);
  });

  it('remittances() returns what the payer has queued, once', async () => {
    expect((await t.services.payers.remittances(practiceId, 'cigna')).response).toEqual([]);
    const era = readFileSync('/work/shared/corpora/x12/835/lfh_medicare_part_a.x12', 'latin1');
    await t.platform.db.insertInto('sandbox_remittances').values({ payer_id: 'cigna', x12: era }).execute();
    expect((await t.services.payers.remittances(practiceId, 'cigna')).response).toEqual([era]);
    expect((await t.services.payers.remittances(practiceId, 'cigna')).response).toEqual([]);
  });
});

describe('payer gateway operations over HTTP', () => {
  it("shows each payer's breaker and settings, and lets an admin inject and clear sandbox faults", async () => {
    const status = await t.app.inject({ method: 'GET', url: '/v1/payer-gateway', headers: frontDesk });
    expect(status.statusCode).toBe(200);
    expect(status.json().gateway).toBe('sandbox');
    expect(status.json().payers.map((p: { payerId: string }) => p.payerId)).toEqual(
      expect.arrayContaining(['anthem', 'uhc', 'cigna', 'aetna', 'bcbs', 'medicare']),
    );
    expect(status.json().payers[0].settings.timeoutMs).toBe(5000);

    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/payer-gateway/sandbox/faults/bcbs',
      headers: admin,
      payload: { kind: 'reject', code: '75', times: 1 },
    });
    expect(put.statusCode).toBe(204);
    expect(t.services.payers.sandbox!.faultOf('bcbs')).toEqual({ kind: 'reject', code: '75' });
    const forbidden = await t.app.inject({
      method: 'PUT',
      url: '/v1/payer-gateway/sandbox/faults/bcbs',
      headers: frontDesk,
      payload: { kind: 'timeout' },
    });
    expect(forbidden.statusCode).toBe(403);
    const missingCode = await t.app.inject({
      method: 'PUT',
      url: '/v1/payer-gateway/sandbox/faults/bcbs',
      headers: admin,
      payload: { kind: 'reject' },
    });
    expect(missingCode.json().errors[0].path).toBe('/code');
    const unknown = await t.app.inject({
      method: 'PUT',
      url: '/v1/payer-gateway/sandbox/faults/acme',
      headers: admin,
      payload: { kind: 'timeout' },
    });
    expect(unknown.statusCode).toBe(400);
    const cleared = await t.app.inject({
      method: 'DELETE',
      url: '/v1/payer-gateway/sandbox/faults/bcbs',
      headers: admin,
    });
    expect(cleared.statusCode).toBe(204);
    expect(t.services.payers.sandbox!.faultOf('bcbs')).toBeNull();
    const reset = await t.app.inject({ method: 'POST', url: '/v1/payer-gateway/bcbs/reset', headers: admin });
    expect(reset.statusCode).toBe(204);
    const plans = await t.app.inject({ method: 'GET', url: '/v1/payer-gateway/plans', headers: frontDesk });
    expect(plans.json().map((p: { name: string }) => p.name)).toContain('UnitedHealthcare HSA HDHP');
  });
});
