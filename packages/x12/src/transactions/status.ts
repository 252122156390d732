/** 276 claim status request, 277 claim status response (005010X212) and 277CA claim acknowledgment (005010X214). */
import type { ParseOptions } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { SegmentTable } from '../tokenizer.ts';
import type { DateRange } from '../values.ts';
import { formatCents, formatDecimal, x12Date, x12Time } from '../values.ts';
import type { EnvelopeOptions, SegmentData } from '../writer.ts';
import { writeInterchange } from '../writer.ts';
import type { BeginningOfTransaction, Entity, MapContext, Parsed, Procedure } from './common.ts';
import {
  cents,
  dateAt,
  decimal,
  dtp,
  dtpRange,
  nm1,
  parseTyped,
  procedureComposite,
  put,
  readBht,
  readEntity,
  readProcedure,
} from './common.ts';

/** One STC status: category (`A1` acknowledged receipt, `A3` rejected, `F1` finalized/paid ...), code and entity. */
export interface ClaimStatusCode {
  /** Claim status category code (STC01-1). */
  category: string;
  /** Claim status code (STC01-2). */
  code: string;
  /** Entity identifier code (STC01-3) the status refers to, e.g. `PR` payer, `85` billing provider. */
  entity?: string;
}

/** One STC segment. */
export interface ClaimStatus extends ClaimStatusCode {
  /** STC02 status information effective date. */
  effectiveDate?: string;
  /** STC03 action code (277CA: `WQ` accepted, `U` rejected). */
  action?: string;
  /** STC04 total claim charge. */
  chargeCents?: number;
  /** STC05 claim payment amount. */
  paidCents?: number;
  /** STC06 adjudication or payment date. */
  paymentDate?: string;
  /** STC09 check or EFT number. */
  checkNumber?: string;
  /** STC10 and STC11: further statuses. */
  additional: ClaimStatusCode[];
  /** STC12 free-form message. */
  message?: string;
}

/** Status of a service line (2220). */
export interface ServiceLineStatus {
  procedure: Procedure;
  chargeCents: number;
  paidCents?: number;
  revenueCode?: string;
  units?: number;
  /** REF FJ: line item control number (the 837's REF 6R). */
  lineControlNumber?: string;
  serviceDate?: DateRange;
  statuses: ClaimStatus[];
}

/** A claim in a 276 (asked about) or a 277/277CA (answered). */
export interface ClaimStatusDetail {
  provider?: Entity;
  subscriber?: Entity;
  /** The patient when reported apart from the subscriber (277 dependent / 277CA `PT` level). */
  patient?: Entity;
  /** TRN02: the claim trace number (277CA: the patient control number it echoes). */
  traceNumber: string;
  statuses: ClaimStatus[];
  /** REF 1K payer claim control number. */
  payerClaimControlNumber?: string;
  /** REF EJ patient account number (CLM01). */
  patientControlNumber?: string;
  /** REF D9 clearinghouse trace number. */
  clearinghouseTraceNumber?: string;
  /** REF BLT institutional bill type. */
  billType?: string;
  /** AMT T3 total claim charge (276). */
  chargeCents?: number;
  /** DTP 472 claim service date or period. */
  serviceDate?: DateRange;
  lines: ServiceLineStatus[];
}

/** Statuses reported above the claims (277CA information receiver and provider levels). */
export interface LevelStatus {
  level: 'receiver' | 'provider';
  entity: Entity;
  traceNumber?: string;
  statuses: ClaimStatus[];
}

/** A typed 276. */
export interface ClaimStatusRequest extends BeginningOfTransaction {
  payer: Entity;
  /** Information receiver (NM1*41). */
  receiver: Entity;
  claims: ClaimStatusDetail[];
}

/** A typed 277 or 277CA. */
export interface ClaimStatusResponse extends BeginningOfTransaction {
  variant: '277' | '277CA';
  payer: Entity;
  receiver: Entity;
  levelStatuses: LevelStatus[];
  claims: ClaimStatusDetail[];
}

/** True when a 277 is a claim acknowledgment (X214, or BHT02 `08` with BHT06 `TH`). */
export function is277CA(t: SegmentTable, start: number, end: number, reference: string): boolean {
  if (reference.includes('X214')) return true;
  for (let i = start; i < Math.min(end, start + 3); i++) {
    if (t.id(i) === 'BHT') return t.el(i, 2) === '08' && t.el(i, 6) === 'TH';
  }
  return false;
}

/** Parses every 276 in a document. */
export function parse276(input: X12Input, options: ParseOptions = {}): Parsed<ClaimStatusRequest> {
  return parseTyped(input, options, (c) => c.tx.id === '276', mapStatusRequest, '276');
}

/** Maps one 276 transaction set. */
export function mapStatusRequest(ctx: MapContext): ClaimStatusRequest {
  const r = mapStatus(ctx);
  return {
    referenceId: r.referenceId,
    date: r.date,
    time: r.time,
    payer: r.payer,
    receiver: r.receiver,
    claims: r.claims,
  };
}

/** Parses every 277 and 277CA in a document. */
export function parse277(input: X12Input, options: ParseOptions = {}): Parsed<ClaimStatusResponse> {
  return parseTyped(input, options, (c) => c.tx.id === '277', mapStatus, '277');
}

/** Parses every 277CA (claim acknowledgment) in a document. */
export function parse277CA(input: X12Input, options: ParseOptions = {}): Parsed<ClaimStatusResponse> {
  return parseTyped(
    input,
    options,
    (c) => c.tx.id === '277' && is277CA(c.t, c.tx.start, c.tx.end, c.tx.implementationReference),
    mapStatus,
    '277CA',
  );
}

function readStc(ctx: MapContext, i: number): ClaimStatus {
  const t = ctx.t;
  const s: ClaimStatus = { ...statusCode(t, i, 1), additional: [] };
  put(s, 'effectiveDate', dateAt(t, i, 2));
  put(s, 'action', t.el(i, 3));
  put(s, 'chargeCents', cents(ctx, i, 4));
  put(s, 'paidCents', cents(ctx, i, 5));
  put(s, 'paymentDate', dateAt(t, i, 6));
  put(s, 'checkNumber', t.el(i, 9));
  for (const j of [10, 11]) if (t.has(i, j)) s.additional.push(statusCode(t, i, j));
  put(s, 'message', t.el(i, 12));
  return s;
}

function statusCode(t: SegmentTable, i: number, j: number): ClaimStatusCode {
  const c: ClaimStatusCode = { category: t.comp(i, j, 1), code: t.comp(i, j, 2) };
  put(c, 'entity', t.comp(i, j, 3));
  return c;
}

/** Maps one 276/277 transaction set (a 276 ignores `variant` and `levelStatuses`). */
export function mapStatus(ctx: MapContext): ClaimStatusResponse {
  const { t, tx } = ctx;
  const r: ClaimStatusResponse = {
    variant: is277CA(t, tx.start, tx.end, tx.implementationReference) ? '277CA' : '277',
    referenceId: '',
    date: '',
    time: '',
    payer: { type: 'organization', name: '' },
    receiver: { type: 'organization', name: '' },
    levelStatuses: [],
    claims: [],
  };
  let level = '';
  let provider: Entity | undefined;
  let subscriber: Entity | undefined;
  let patient: Entity | undefined;
  let levelStatus: LevelStatus | null = null;
  let claim: ClaimStatusDetail | null = null;
  let line: ServiceLineStatus | null = null;
  for (let i = tx.start + 1; i < tx.end; i++) {
    switch (t.id(i)) {
      case 'BHT':
        Object.assign(r, readBht(t, i));
        break;
      case 'HL':
        level = t.el(i, 3);
        claim = null;
        line = null;
        levelStatus = null;
        if (level === '19') provider = undefined;
        if (level === '22') {
          subscriber = undefined;
          patient = undefined;
        }
        if (level === '23' || level === 'PT') patient = undefined;
        break;
      case 'NM1': {
        const e = readEntity(t, i);
        if (level === '20') r.payer = e;
        else if (level === '21') r.receiver = e;
        else if (level === '19') provider = e;
        else if (level === '22') subscriber = e;
        else if (level === '23' || level === 'PT') patient = e;
        if (level === '21' || level === '19') {
          levelStatus = { level: level === '21' ? 'receiver' : 'provider', entity: e, statuses: [] };
        }
        break;
      }
      case 'TRN':
        if (level === '21' || level === '19') {
          if (levelStatus) levelStatus.traceNumber = t.el(i, 2);
        } else {
          line = null;
          claim = { traceNumber: t.el(i, 2), statuses: [], lines: [] };
          if (provider) claim.provider = provider;
          if (subscriber) claim.subscriber = subscriber;
          if (patient) claim.patient = patient;
          r.claims.push(claim);
        }
        break;
      case 'STC': {
        const s = readStc(ctx, i);
        if (line) line.statuses.push(s);
        else if (claim) claim.statuses.push(s);
        else if (levelStatus) {
          if (!r.levelStatuses.includes(levelStatus)) r.levelStatuses.push(levelStatus);
          levelStatus.statuses.push(s);
        }
        break;
      }
      case 'REF': {
        const q = t.el(i, 1);
        const v = t.el(i, 2);
        if (line) {
          if (q === 'FJ') line.lineControlNumber = v;
        } else if (claim) {
          if (q === '1K') claim.payerClaimControlNumber = v;
          else if (q === 'EJ') claim.patientControlNumber = v;
          else if (q === 'D9') claim.clearinghouseTraceNumber = v;
          else if (q === 'BLT') claim.billType = v;
        }
        break;
      }
      case 'AMT':
        if (claim && !line && t.el(i, 1) === 'T3') put(claim, 'chargeCents', cents(ctx, i, 2));
        break;
      case 'DTP': {
        const range = dtpRange(t, i);
        if (!range || t.el(i, 1) !== '472') break;
        if (line) line.serviceDate = range;
        else if (claim) claim.serviceDate = range;
        break;
      }
      case 'SVC':
        if (!claim) break;
        line = { procedure: readProcedure(t, i, 1), chargeCents: cents(ctx, i, 2) ?? 0, statuses: [] };
        put(line, 'paidCents', cents(ctx, i, 3));
        put(line, 'revenueCode', t.el(i, 4));
        put(line, 'units', decimal(t, i, 7));
        claim.lines.push(line);
        break;
    }
  }
  return r;
}

function stcSegment(s: ClaimStatus): SegmentData {
  const code = (c: ClaimStatusCode): string[] => [c.category, c.code, c.entity ?? ''];
  return [
    'STC',
    code(s),
    s.effectiveDate ? x12Date(s.effectiveDate) : '',
    s.action ?? '',
    s.chargeCents === undefined ? '' : formatCents(s.chargeCents),
    s.paidCents === undefined ? '' : formatCents(s.paidCents),
    s.paymentDate ? x12Date(s.paymentDate) : '',
    '',
    '',
    s.checkNumber ?? '',
    s.additional[0] ? code(s.additional[0]) : '',
    s.additional[1] ? code(s.additional[1]) : '',
    s.message ?? '',
  ];
}

function claimDetailSegments(c: ClaimStatusDetail, traceType: string, request: boolean): SegmentData[] {
  const out: SegmentData[] = [['TRN', traceType, c.traceNumber]];
  for (const s of c.statuses) out.push(stcSegment(s));
  if (c.payerClaimControlNumber) out.push(['REF', '1K', c.payerClaimControlNumber]);
  if (c.billType) out.push(['REF', 'BLT', c.billType]);
  if (c.patientControlNumber) out.push(['REF', 'EJ', c.patientControlNumber]);
  if (c.clearinghouseTraceNumber) out.push(['REF', 'D9', c.clearinghouseTraceNumber]);
  if (request && c.chargeCents !== undefined) out.push(['AMT', 'T3', formatCents(c.chargeCents)]);
  if (c.serviceDate) out.push(dtp('472', c.serviceDate));
  for (const l of c.lines) {
    out.push([
      'SVC',
      procedureComposite(l.procedure),
      formatCents(l.chargeCents),
      l.paidCents === undefined ? '' : formatCents(l.paidCents),
      l.revenueCode ?? '',
      '',
      '',
      l.units === undefined ? '' : formatDecimal(l.units),
    ]);
    for (const s of l.statuses) out.push(stcSegment(s));
    if (l.lineControlNumber) out.push(['REF', 'FJ', l.lineControlNumber]);
    if (l.serviceDate) out.push(dtp('472', l.serviceDate));
  }
  return out;
}

interface HierarchyInput {
  payer: Entity;
  receiver: Entity;
  levelStatuses: LevelStatus[];
  claims: ClaimStatusDetail[];
}

/** HL 20 → 21 → 19 → 22 (→ 23) for 276/277; HL 20 → 21 → 19 → PT for 277CA. */
function hierarchySegments(doc: HierarchyInput, mode: '276' | '277' | '277CA'): SegmentData[] {
  const out: SegmentData[] = [];
  let hl = 0;
  const levelFor = (level: LevelStatus['level']) => doc.levelStatuses.find((s) => s.level === level);
  const levelSegments = (ls: LevelStatus | undefined): SegmentData[] =>
    ls
      ? [
          ...(ls.traceNumber ? [['TRN', '2', ls.traceNumber] as SegmentData] : []),
          ...ls.statuses.map(stcSegment),
        ]
      : [];
  out.push(['HL', String(++hl), '', '20', '1'], nm1('PR', doc.payer));
  const receiverHl = ++hl;
  out.push(
    ['HL', String(receiverHl), '1', '21', '1'],
    nm1('41', doc.receiver),
    ...levelSegments(levelFor('receiver')),
  );
  let providerKey = '';
  let subscriberKey = '';
  let providerHl = 0;
  let subscriberHl = 0;
  const traceType = mode === '276' ? '1' : '2';
  doc.claims.forEach((c, k) => {
    const pKey = JSON.stringify(c.provider ?? null);
    if (pKey !== providerKey || k === 0) {
      providerKey = pKey;
      subscriberKey = '';
      providerHl = ++hl;
      out.push(['HL', String(providerHl), String(receiverHl), '19', '1']);
      out.push(nm1(mode === '276' ? '1P' : '85', c.provider ?? { type: 'organization', name: '' }));
      if (k === 0) out.push(...levelSegments(levelFor('provider')));
    }
    if (mode === '277CA') {
      out.push(['HL', String(++hl), String(providerHl), 'PT']);
      out.push(nm1('QC', c.patient ?? c.subscriber ?? { type: 'person', name: '' }));
    } else {
      const sKey = JSON.stringify(c.subscriber ?? null);
      if (sKey !== subscriberKey || c.patient) {
        subscriberKey = sKey;
        subscriberHl = ++hl;
        out.push(['HL', String(subscriberHl), String(providerHl), '22', c.patient ? '1' : '0']);
        out.push(nm1('IL', c.subscriber ?? { type: 'person', name: '' }));
      }
      if (c.patient) {
        out.push(['HL', String(++hl), String(subscriberHl), '23']);
        out.push(nm1('QC', c.patient));
      }
    }
    out.push(...claimDetailSegments(c, traceType, mode === '276'));
  });
  return out;
}

/** Builds a complete 276 interchange. */
export function build276(request: ClaimStatusRequest, envelope: EnvelopeOptions): string {
  const segments: SegmentData[] = [
    ['BHT', '0010', '13', request.referenceId, x12Date(request.date), x12Time(request.time)],
    ...hierarchySegments({ ...request, levelStatuses: [] }, '276'),
  ];
  return writeInterchange(envelope, [
    { id: '276', implementationReference: '005010X212', functionalId: 'HR', segments },
  ]);
}

/** Builds a complete 277 (status response) or 277CA (claim acknowledgment) interchange. */
export function build277(response: ClaimStatusResponse, envelope: EnvelopeOptions): string {
  const ca = response.variant === '277CA';
  const segments: SegmentData[] = [
    [
      'BHT',
      ca ? '0085' : '0010',
      '08',
      response.referenceId,
      x12Date(response.date),
      x12Time(response.time),
      ca ? 'TH' : 'DG',
    ],
    ...hierarchySegments(response, ca ? '277CA' : '277'),
  ];
  return writeInterchange(envelope, [
    { id: '277', implementationReference: ca ? '005010X214' : '005010X212', functionalId: 'HN', segments },
  ]);
}
