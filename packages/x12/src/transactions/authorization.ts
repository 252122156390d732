/** 278 health care services review: request and response (005010X217). */
import type { ParseOptions } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { SegmentTable } from '../tokenizer.ts';
import { formatCents, formatDecimal, x12Date, x12Time } from '../values.ts';
import type { EnvelopeOptions, SegmentData } from '../writer.ts';
import { writeInterchange } from '../writer.ts';
import type { Diagnosis } from './claims.ts';
import type { BeginningOfTransaction, Entity, MapContext, Parsed, Procedure } from './common.ts';
import {
  cents,
  dateAt,
  decimal,
  dmgSegments,
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
import type { QualifiedDate, Rejection, TraceNumber } from './eligibility.ts';
import { readRejection, rejectionSegments } from './eligibility.ts';

/** HCR: the reviewer's decision. */
export interface ReviewDecision {
  /** HCR01: `A1` certified in total, `A2` certified partial, `A3` not certified, `A4` pended, `A6` modified, `C` cancelled, `CT` contact payer, `NA` no action required. */
  action: string;
  /** HCR02: certification (authorization) number. */
  certificationNumber?: string;
  /** HCR03: reason code for the decision. */
  reasonCode?: string;
}

/** UM: what kind of review is asked for. */
export interface ReviewRequest {
  /** UM01: `HS` health services review, `AR` admission review, `SC` specialty care review. */
  requestCategory: string;
  /** UM02: `I` initial, `R` renewal, `S` revised, `E` extension, `3` cancel. */
  certificationType: string;
  /** UM03 service type code. */
  serviceType?: string;
  /** UM04: facility or place of service code with its qualifier (`11` + `B`). */
  facilityCode?: string;
  facilityQualifier?: string;
  /** UM06 level of service (`E` elective, `U` urgent, `03` emergency). */
  levelOfService?: string;
}

/** HSD quantity (visits, days, units). */
export interface ServiceQuantity {
  /** HSD01 quantity qualifier (`VS` visits, `DY` days, `FL` units). */
  qualifier: string;
  quantity: number;
}

/** PWK: supporting documentation for the review, sent separately and matched by its control number. */
export interface ReviewAttachment {
  /** PWK01 report type: `03` justification beyond guidelines, `M1` medical record, `RR` radiology report, `LA` lab results, `XP` photographs ... */
  reportType: string;
  /** PWK02 transmission: `FX` fax, `BM` mail, `EL` electronically only (275), `EM` e-mail, `FT` file transfer, `AA` available on request. */
  transmission: string;
  /** PWK06 attachment control number (PWK05 `AC`). */
  controlNumber?: string;
  /** PWK07 description. */
  description?: string;
}

/** Parts shared by the patient event (2000E) and each service (2000F). */
export interface ReviewItem {
  review?: ReviewRequest;
  decision?: ReviewDecision;
  /** REF BB authorization number, REF NT administrative reference. */
  authorizationNumber?: string;
  administrativeReference?: string;
  /** DTP qualifiers: `AAH` event date / certification period, `472` service date, `435` admission, `096` discharge, `036` expiration. */
  dates: QualifiedDate[];
  quantity?: ServiceQuantity;
  /** NM1 at this level: `SJ` service provider, `FA` facility, `71` attending, `DN` referring ... keyed by entity code. */
  providers: { role: string; entity: Entity }[];
  /** PWK segments. */
  attachments?: ReviewAttachment[];
  /** MSG free-form text (up to 264 characters). */
  message?: string;
}

/** One requested service (2000F). */
export interface ServiceReview extends ReviewItem {
  procedure?: Procedure;
  chargeCents?: number;
  unitType?: string;
  units?: number;
}

/** A typed 278 request or response. */
export interface ServiceReviewTransaction extends BeginningOfTransaction {
  kind: 'request' | 'response';
  /** Utilization management organization (NM1*X3). */
  umo: Entity;
  /** Requester (NM1*1P or FA). */
  requester: Entity;
  subscriber: Entity & { dateOfBirth?: string; gender?: string };
  /** The patient when a dependent. */
  dependent?: Entity & { dateOfBirth?: string; gender?: string; relationship?: string };
  traceNumbers: TraceNumber[];
  rejections: Rejection[];
  event: ReviewItem & { diagnoses: Diagnosis[] };
  services: ServiceReview[];
}

/** Parses every 278 (requests and responses) in a document. */
export function parse278(input: X12Input, options: ParseOptions = {}): Parsed<ServiceReviewTransaction> {
  return parseTyped(input, options, (c) => c.tx.id === '278', mapReview, '278');
}

function newItem(): ReviewItem {
  return { dates: [], providers: [] };
}

/** Maps one 278 transaction set. */
export function mapReview(ctx: MapContext): ServiceReviewTransaction {
  const { t, tx } = ctx;
  const r: ServiceReviewTransaction = {
    kind: 'request',
    referenceId: '',
    date: '',
    time: '',
    umo: { type: 'organization', name: '' },
    requester: { type: 'organization', name: '' },
    subscriber: { type: 'person', name: '' },
    traceNumbers: [],
    rejections: [],
    event: { ...newItem(), diagnoses: [] },
    services: [],
  };
  let level = '';
  let item: ReviewItem | null = null;
  let service: ServiceReview | null = null;
  for (let i = tx.start + 1; i < tx.end; i++) {
    switch (t.id(i)) {
      case 'BHT':
        Object.assign(r, readBht(t, i));
        r.kind = t.el(i, 2) === '11' ? 'response' : 'request';
        break;
      case 'HL':
        level = t.el(i, 3);
        service = null;
        item = null;
        if (level === 'EV') item = r.event;
        else if (level === 'SS') {
          service = newItem();
          r.services.push(service);
          item = service;
        } else if (level === '23') r.dependent = { type: 'person', name: '' };
        break;
      case 'NM1': {
        const e = readEntity(t, i);
        if (level === '20') r.umo = e;
        else if (level === '21') r.requester = e;
        else if (level === '22') r.subscriber = e;
        else if (level === '23') r.dependent = e;
        else if (item) item.providers.push({ role: t.el(i, 1), entity: e });
        break;
      }
      case 'DMG': {
        const person = level === '22' ? r.subscriber : level === '23' ? r.dependent : undefined;
        if (person) {
          put(person, 'dateOfBirth', dateAt(t, i, 2));
          put(person, 'gender', t.el(i, 3));
        }
        break;
      }
      case 'INS':
        if (level === '23' && r.dependent) put(r.dependent, 'relationship', t.el(i, 2));
        break;
      case 'TRN':
        r.traceNumbers.push({ type: t.el(i, 1), number: t.el(i, 2), originatorId: t.el(i, 3) });
        break;
      case 'AAA':
        r.rejections.push(readRejection(t, i, level));
        break;
      case 'UM':
        if (item) item.review = readUm(t, i);
        break;
      case 'HCR':
        if (item) {
          const d: ReviewDecision = { action: t.el(i, 1) };
          put(d, 'certificationNumber', t.el(i, 2));
          put(d, 'reasonCode', t.el(i, 3));
          item.decision = d;
        }
        break;
      case 'REF':
        if (item) {
          if (t.el(i, 1) === 'BB') item.authorizationNumber = t.el(i, 2);
          else if (t.el(i, 1) === 'NT') item.administrativeReference = t.el(i, 2);
        }
        break;
      case 'DTP': {
        const range = dtpRange(t, i);
        if (item && range) item.dates.push({ qualifier: t.el(i, 1), range });
        break;
      }
      case 'HI':
        if (level === 'EV') {
          for (let j = 1; j <= t.elementCount(i); j++) {
            if (t.has(i, j)) r.event.diagnoses.push({ qualifier: t.comp(i, j, 1), code: t.comp(i, j, 2) });
          }
        }
        break;
      case 'PWK':
        if (item) {
          const a: ReviewAttachment = { reportType: t.el(i, 1), transmission: t.el(i, 2) };
          put(a, 'controlNumber', t.el(i, 6));
          put(a, 'description', t.el(i, 7));
          if (item.attachments) item.attachments.push(a);
          else item.attachments = [a];
        }
        break;
      case 'MSG':
        if (item && t.has(i, 1)) item.message = t.el(i, 1);
        break;
      case 'HSD':
        if (item && t.has(i, 2)) item.quantity = { qualifier: t.el(i, 1), quantity: decimal(t, i, 2) ?? 0 };
        break;
      case 'SV1':
      case 'SV2':
      case 'SV3':
        if (service) readServiceLine(ctx, i, service);
        break;
    }
  }
  return r;
}

function readUm(t: SegmentTable, i: number): ReviewRequest {
  const u: ReviewRequest = { requestCategory: t.el(i, 1), certificationType: t.el(i, 2) };
  put(u, 'serviceType', t.el(i, 3));
  put(u, 'facilityCode', t.comp(i, 4, 1));
  put(u, 'facilityQualifier', t.comp(i, 4, 2));
  put(u, 'levelOfService', t.el(i, 6));
  return u;
}

function readServiceLine(ctx: MapContext, i: number, s: ServiceReview): void {
  const t = ctx.t;
  const id = t.id(i);
  // SV2 carries the revenue code first; the procedure composite is SV202.
  const procedureAt = id === 'SV2' ? 2 : 1;
  if (t.has(i, procedureAt)) s.procedure = readProcedure(t, i, procedureAt);
  put(s, 'chargeCents', cents(ctx, i, procedureAt + 1));
  if (id === 'SV1') {
    put(s, 'unitType', t.el(i, 3));
    put(s, 'units', decimal(t, i, 4));
  } else if (id === 'SV2') {
    put(s, 'unitType', t.el(i, 4));
    put(s, 'units', decimal(t, i, 5));
  }
}

function itemSegments(item: ReviewItem, lineSegment?: SegmentData): SegmentData[] {
  const out: SegmentData[] = [];
  const u = item.review;
  if (u) {
    out.push([
      'UM',
      u.requestCategory,
      u.certificationType,
      u.serviceType ?? '',
      u.facilityCode ? [u.facilityCode, u.facilityQualifier ?? ''] : '',
      '',
      u.levelOfService ?? '',
    ]);
  }
  if (item.decision) {
    out.push([
      'HCR',
      item.decision.action,
      item.decision.certificationNumber ?? '',
      item.decision.reasonCode ?? '',
    ]);
  }
  if (item.authorizationNumber) out.push(['REF', 'BB', item.authorizationNumber]);
  if (item.administrativeReference) out.push(['REF', 'NT', item.administrativeReference]);
  for (const d of item.dates) out.push(dtp(d.qualifier, d.range));
  if (lineSegment) out.push(lineSegment);
  if (item.quantity) out.push(['HSD', item.quantity.qualifier, formatDecimal(item.quantity.quantity)]);
  for (const a of item.attachments ?? []) {
    out.push([
      'PWK',
      a.reportType,
      a.transmission,
      '',
      '',
      a.controlNumber ? 'AC' : '',
      a.controlNumber ?? '',
      a.description ?? '',
    ]);
  }
  if (item.message) out.push(['MSG', item.message.slice(0, 264)]);
  for (const p of item.providers) out.push(nm1(p.role, p.entity));
  return out;
}

function person(code: string, p: Entity & { dateOfBirth?: string; gender?: string }): SegmentData[] {
  return [nm1(code, p), ...dmgSegments(p)];
}

/** Segments of a 278 body. */
export function reviewSegments(r: ServiceReviewTransaction): SegmentData[] {
  const out: SegmentData[] = [
    ['BHT', '0007', r.kind === 'response' ? '11' : '13', r.referenceId, x12Date(r.date), x12Time(r.time)],
    ['HL', '1', '', '20', '1'],
    nm1('X3', r.umo),
    ...rejectionSegments(r, 'payer'),
    ['HL', '2', '1', '21', '1'],
    nm1('1P', r.requester),
    ...rejectionSegments(r, 'provider'),
    ['HL', '3', '2', '22', '1'],
    ...person('IL', r.subscriber),
    ...rejectionSegments(r, 'subscriber'),
  ];
  let parent = 3;
  if (r.dependent) {
    out.push(['HL', '4', '3', '23', '1'], ...person('QC', r.dependent));
    if (r.dependent.relationship) out.push(['INS', 'N', r.dependent.relationship]);
    out.push(...rejectionSegments(r, 'dependent'));
    parent = 4;
  }
  const eventHl = parent + 1;
  out.push(['HL', String(eventHl), String(parent), 'EV', r.services.length > 0 ? '1' : '0']);
  for (const trn of r.traceNumbers) out.push(['TRN', trn.type, trn.number, trn.originatorId]);
  const event = itemSegments(r.event);
  // HI sits after the event's UM/HCR/REF/DTP and before its provider names.
  const firstName = event.findIndex((s) => ['HSD', 'PWK', 'MSG', 'NM1'].includes(s[0] as string));
  const hi: SegmentData[] = [];
  for (let k = 0; k < r.event.diagnoses.length; k += 12) {
    hi.push(['HI', ...r.event.diagnoses.slice(k, k + 12).map((d) => [d.qualifier, d.code])]);
  }
  event.splice(firstName < 0 ? event.length : firstName, 0, ...hi);
  out.push(...event);
  r.services.forEach((s, k) => {
    out.push(['HL', String(eventHl + k + 1), String(eventHl), 'SS', '0']);
    const line: SegmentData | undefined =
      s.procedure || s.chargeCents !== undefined
        ? [
            'SV1',
            s.procedure ? procedureComposite(s.procedure) : '',
            s.chargeCents === undefined ? '' : formatCents(s.chargeCents),
            s.unitType ?? '',
            s.units === undefined ? '' : formatDecimal(s.units),
          ]
        : undefined;
    out.push(...itemSegments(s, line));
  });
  return out;
}

/** Builds a complete 278 interchange (request when `kind` is `request`, else response). */
export function build278(review: ServiceReviewTransaction, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: '278',
      implementationReference: '005010X217',
      functionalId: 'HI',
      segments: reviewSegments(review),
    },
  ]);
}
