/** 270 eligibility inquiry and 271 eligibility response (005010X279A1). */
import type { ParseOptions } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { SegmentTable } from '../tokenizer.ts';
import type { DateRange } from '../values.ts';
import { formatCents, formatDecimal, x12Date, x12Time } from '../values.ts';
import type { EnvelopeOptions, SegmentData } from '../writer.ts';
import { writeInterchange } from '../writer.ts';
import type { Address, BeginningOfTransaction, Entity, MapContext, Parsed, Procedure } from './common.ts';
import {
  addressSegments,
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
  readAddress,
  readBht,
  readEntity,
  readProcedure,
} from './common.ts';
import type { Contact, Reference } from './remittance.ts';
import { contactSegment, readContact } from './remittance.ts';

const IMPLEMENTATION = '005010X279A1';

/** A qualified date (DTP01 qualifier: `291` plan, `346` plan begin, `347` plan end, `356`/`357` eligibility ...). */
export interface QualifiedDate {
  qualifier: string;
  range: DateRange;
}

/** The subscriber or dependent of an eligibility transaction. */
export interface Member extends Entity {
  /** REF pairs: `6P` group number, `18` plan number, `1L` group policy, `SY` SSN ... */
  references: Reference[];
  address?: Address;
  dateOfBirth?: string;
  gender?: string;
  /** INS02 relationship to the subscriber (dependents: `01` spouse, `19` child, `34` other adult). */
  relationship?: string;
  dates: QualifiedDate[];
}

/** TRN trace number: type `1` (current) in a 270, `2` (referenced) when echoed in a 271. */
export interface TraceNumber {
  type: string;
  number: string;
  originatorId: string;
}

/** A typed 270. */
export interface EligibilityRequest extends BeginningOfTransaction {
  /** Information source (NM1*PR). */
  payer: Entity;
  /** Information receiver (NM1*1P / FA), with NPI in `id`. */
  provider: Entity;
  subscriber: Member;
  /** Present when the patient is a dependent. */
  dependent?: Member;
  trace: TraceNumber;
  /** DTP 291 date of service / plan date asked about. */
  serviceDate?: DateRange;
  /** EQ01 service type codes (`30` health benefit plan coverage, `98` office visit, `47` hospital ...). */
  serviceTypes: string[];
  /** EQ02 procedures asked about (`{ qualifier: 'HC', code: '73721', modifiers: [] }`), one EQ each. */
  procedures?: Procedure[];
}

/** AAA: a request validation rejection. */
export interface Rejection {
  /** Where it was reported: the payer, provider, subscriber or dependent loop. */
  level: 'payer' | 'provider' | 'subscriber' | 'dependent';
  /** AAA01: Y when the request was valid but could not be processed, N when the request was invalid. */
  valid: boolean;
  /** AAA03 reject reason (`72` invalid member id, `75` subscriber not found, `42` unable to respond now ...). */
  reasonCode: string;
  /** AAA04 follow-up action (`C` correct and resubmit, `R` resubmit, `N` do not resubmit). */
  followUpAction?: string;
}

/** PRV of a benefit related entity. */
export interface ProviderInformation {
  /** PRV01: `PC` primary care, `PE` performing, `RF` referring, `HH` home health ... */
  code: string;
  /** PRV02: `PXC` taxonomy (`9K` servicer id in 4010 files). */
  qualifier: string;
  /** PRV03: the taxonomy code (or the id `qualifier` names). */
  id: string;
}

/** A benefit related entity (2120C/2120D: NM1 between LS and LE after an EB): a PCP, another payer, a vendor ... */
export interface BenefitEntity extends Entity {
  /**
   * NM101: `P3` primary care provider, `PR` payer, `PRP` primary payer, `1P` provider, `13` contracted service
   * provider, `VN` vendor, `X3` utilization management organization, `Y2` managed care organization ...
   */
  role: string;
  address?: Address;
  /** PER: contact name and communication numbers (`TE`, `UR`, `EM`, `FX`). */
  contact?: Contact;
  provider?: ProviderInformation;
}

/** One EB loop of a 271. */
export interface Benefit {
  /** EB01: `1` active, `6` inactive, `A` coinsurance, `B` copay, `C` deductible, `G` out of pocket, `F` limitations ... */
  code: string;
  /** EB02: `IND`, `FAM`, `EMP`, `ESP`, `CHD` ... */
  coverageLevel?: string;
  /** EB03 service type codes. */
  serviceTypes: string[];
  /** EB04 insurance type (`HM`, `PR`, `MB`, `C1` ...). */
  insuranceType?: string;
  /** EB05 plan coverage description. */
  planDescription?: string;
  /** EB06 time period (`23` calendar year, `29` remaining, `22` service year, `27` visit ...). */
  timePeriod?: string;
  amountCents?: number;
  /** EB08 as a fraction (`0.2` for 20%). */
  percent?: number;
  quantityQualifier?: string;
  quantity?: number;
  /** EB11: Y → true, N → false. */
  authorizationRequired?: boolean;
  /** EB12: Y → `in`, N → `out`, W → `both`. */
  network?: 'in' | 'out' | 'both';
  procedure?: Procedure;
  dates: QualifiedDate[];
  references: Reference[];
  /** MSG01 free-form messages. */
  messages: string[];
  /** The entities of the LS/LE loop after the EB. */
  relatedEntities?: BenefitEntity[];
}

/** An amount and what is left of it. */
export interface AccumulatorAmounts {
  amountCents?: number;
  remainingCents?: number;
}

/** Individual and family amounts within one network tier. */
export interface TierAmounts {
  individual?: AccumulatorAmounts;
  family?: AccumulatorAmounts;
}

export interface NetworkAmounts {
  inNetwork: TierAmounts;
  outOfNetwork: TierAmounts;
}

/** Cost sharing for one service type. */
export interface ServiceCostShare {
  serviceType: string;
  network: 'in' | 'out' | 'both';
  amountCents?: number;
  /** Coinsurance as a percentage (20 for 20%). */
  percent?: number;
}

/** The 271 benefits normalized into the questions a front desk asks. */
export interface CoverageSummary {
  active: boolean;
  planName?: string;
  groupNumber?: string;
  coverageStart?: string;
  coverageEnd?: string;
  deductible: NetworkAmounts;
  outOfPocket: NetworkAmounts;
  copays: ServiceCostShare[];
  coinsurance: ServiceCostShare[];
  /** Service types whose EB11 says authorization or certification is required. */
  authorizationRequired: string[];
  messages: string[];
}

/** A typed 271 without the derived summary (what `build271` takes). */
export interface EligibilityResponseInput extends BeginningOfTransaction {
  payer: Entity;
  provider: Entity;
  subscriber: Member;
  dependent?: Member;
  traceNumbers: TraceNumber[];
  rejections: Rejection[];
  /** EB loops of the patient (the dependent when present, else the subscriber). */
  benefits: Benefit[];
}

/** A typed 271. */
export interface EligibilityResponse extends EligibilityResponseInput {
  coverage: CoverageSummary;
}

/** Parses every 270 in a document. */
export function parse270(input: X12Input, options: ParseOptions = {}): Parsed<EligibilityRequest> {
  return parseTyped(input, options, (c) => c.tx.id === '270', mapRequest, '270');
}

/** Parses every 271 in a document, with a normalized coverage summary. */
export function parse271(input: X12Input, options: ParseOptions = {}): Parsed<EligibilityResponse> {
  return parseTyped(input, options, (c) => c.tx.id === '271', mapResponse, '271');
}

function newMember(): Member {
  return { type: 'person', name: '', references: [], dates: [] };
}

/** Walks the HL levels shared by 270 and 271 and calls `onSegment` for everything below a name. */
function walk(
  ctx: MapContext,
  header: BeginningOfTransaction & {
    payer: Entity;
    provider: Entity;
    subscriber: Member;
    dependent?: Member;
  },
  onSegment: (id: string, i: number, level: string, member: Member | null) => boolean,
): void {
  const t = ctx.t;
  let level = '';
  let member: Member | null = null;
  for (let i = ctx.tx.start + 1; i < ctx.tx.end; i++) {
    const id = t.id(i);
    if (id === 'BHT') {
      Object.assign(header, readBht(t, i));
      continue;
    }
    if (id === 'HL') {
      level = t.el(i, 3);
      if (level === '23' && !header.dependent) header.dependent = newMember();
      member = level === '22' ? header.subscriber : level === '23' ? (header.dependent ?? null) : null;
      onSegment(id, i, level, member);
      continue;
    }
    if (onSegment(id, i, level, member)) continue;
    if (id === 'NM1') {
      const e = readEntity(t, i);
      if (level === '20') header.payer = e;
      else if (level === '21') header.provider = e;
      else if (member && (t.el(i, 1) === 'IL' || t.el(i, 1) === '03')) Object.assign(member, e);
    } else if (member) readMemberSegment(t, id, i, member);
  }
}

/** Member-level segments (2100C/D) except DTP/EQ/EB which differ between 270 and 271. */
function readMemberSegment(t: SegmentTable, id: string, i: number, m: Member): void {
  switch (id) {
    case 'REF':
      m.references.push({ qualifier: t.el(i, 1), value: t.el(i, 2) });
      break;
    case 'N3': {
      m.address = readAddress(t, i).address;
      break;
    }
    case 'DMG':
      put(m, 'dateOfBirth', dateAt(t, i, 2));
      put(m, 'gender', t.el(i, 3));
      break;
    case 'INS':
      put(m, 'relationship', t.el(i, 2));
      break;
  }
}

/** Maps one 270 transaction set. */
export function mapRequest(ctx: MapContext): EligibilityRequest {
  const t = ctx.t;
  const r: EligibilityRequest = {
    referenceId: '',
    date: '',
    time: '',
    payer: { type: 'organization', name: '' },
    provider: { type: 'organization', name: '' },
    subscriber: newMember(),
    trace: { type: '', number: '', originatorId: '' },
    serviceTypes: [],
  };
  walk(ctx, r, (id, i, _level, member) => {
    if (id === 'TRN') {
      r.trace = { type: t.el(i, 1), number: t.el(i, 2), originatorId: t.el(i, 3) };
      return true;
    }
    if (id === 'EQ') {
      r.serviceTypes.push(...t.reps(i, 1));
      if (t.has(i, 2)) {
        r.procedures ??= [];
        r.procedures.push(readProcedure(t, i, 2));
      }
      return true;
    }
    if (id === 'DTP' && member) {
      const range = dtpRange(t, i);
      if (range && t.el(i, 1) === '291') r.serviceDate = range;
      return true;
    }
    return false;
  });
  return r;
}

/** Maps one 271 transaction set. */
export function mapResponse(ctx: MapContext): EligibilityResponse {
  const t = ctx.t;
  const r: EligibilityResponseInput = {
    referenceId: '',
    date: '',
    time: '',
    payer: { type: 'organization', name: '' },
    provider: { type: 'organization', name: '' },
    subscriber: newMember(),
    traceNumbers: [],
    rejections: [],
    benefits: [],
  };
  let benefit: Benefit | null = null;
  let inBenefitNames = false;
  /** The open benefit related entity (an NM1 between LS and LE). */
  let entity: BenefitEntity | null = null;
  walk(ctx, r, (id, i, level, member) => {
    switch (id) {
      case 'HL':
        benefit = null;
        inBenefitNames = false;
        entity = null;
        return true;
      case 'TRN':
        r.traceNumbers.push({ type: t.el(i, 1), number: t.el(i, 2), originatorId: t.el(i, 3) });
        return true;
      case 'AAA':
        r.rejections.push(readRejection(t, i, level));
        return true;
      case 'EB':
        benefit = readBenefit(ctx, i);
        inBenefitNames = false;
        entity = null;
        r.benefits.push(benefit);
        return true;
      case 'LS':
        inBenefitNames = true;
        entity = null;
        return true;
      case 'LE':
        inBenefitNames = false;
        entity = null;
        return true;
      case 'NM1':
        if (!inBenefitNames || !benefit) return benefit !== null;
        entity = { role: t.el(i, 1), ...readEntity(t, i) };
        if (benefit.relatedEntities) benefit.relatedEntities.push(entity);
        else benefit.relatedEntities = [entity];
        return true;
      case 'N3':
        if (entity) entity.address = readAddress(t, i).address;
        return benefit !== null;
      case 'PER':
        if (entity) entity.contact = readContact(ctx, i);
        return benefit !== null;
      case 'PRV':
        if (entity) entity.provider = { code: t.el(i, 1), qualifier: t.el(i, 2), id: t.el(i, 3) };
        return benefit !== null;
      case 'MSG':
        benefit?.messages.push(t.el(i, 1));
        return true;
      case 'DTP': {
        const range = dtpRange(t, i);
        if (!range) return true;
        const d = { qualifier: t.el(i, 1), range };
        if (benefit && !inBenefitNames) benefit.dates.push(d);
        else if (member && !benefit) member.dates.push(d);
        return true;
      }
      case 'REF':
        if (benefit) {
          if (!inBenefitNames) benefit.references.push({ qualifier: t.el(i, 1), value: t.el(i, 2) });
          return true;
        }
        return false;
      default:
        // Segments inside an EB loop (HSD, III, the N4 read with its N3) are not member data.
        return benefit !== null;
    }
  });
  return { ...r, coverage: summarizeCoverage(r) };
}

/** AAA at an HL level (20 payer, 21 provider, 22 subscriber, 23 dependent). */
export function readRejection(t: SegmentTable, i: number, level: string): Rejection {
  const rej: Rejection = {
    level:
      level === '20' ? 'payer' : level === '21' ? 'provider' : level === '23' ? 'dependent' : 'subscriber',
    valid: t.el(i, 1) === 'Y',
    reasonCode: t.el(i, 3),
  };
  put(rej, 'followUpAction', t.el(i, 4));
  return rej;
}

function readBenefit(ctx: MapContext, i: number): Benefit {
  const t = ctx.t;
  const b: Benefit = {
    code: t.el(i, 1),
    serviceTypes: t.reps(i, 3),
    dates: [],
    references: [],
    messages: [],
  };
  put(b, 'coverageLevel', t.el(i, 2));
  put(b, 'insuranceType', t.el(i, 4));
  put(b, 'planDescription', t.el(i, 5));
  put(b, 'timePeriod', t.el(i, 6));
  put(b, 'amountCents', cents(ctx, i, 7));
  put(b, 'percent', decimal(t, i, 8));
  put(b, 'quantityQualifier', t.el(i, 9));
  put(b, 'quantity', decimal(t, i, 10));
  const auth = t.el(i, 11);
  if (auth === 'Y' || auth === 'N') b.authorizationRequired = auth === 'Y';
  const net = t.el(i, 12);
  if (net === 'Y') b.network = 'in';
  else if (net === 'N') b.network = 'out';
  else if (net === 'W') b.network = 'both';
  if (t.has(i, 13)) b.procedure = readProcedure(t, i, 13);
  return b;
}

const ACTIVE_CODES = new Set(['1', '2', '3', '4', '5']);
const INACTIVE_CODES = new Set(['6', '7', '8']);
const BEGIN_DATES = new Set(['346', '356', '348', '291', '307']);
const END_DATES = new Set(['347', '357', '349']);

/**
 * Normalizes EB loops: active status, plan, coverage dates, deductible and out-of-pocket (amount and remaining,
 * individual and family, in and out of network; EB12 absent counts as in network), copays, coinsurance,
 * authorization flags and messages.
 */
export function summarizeCoverage(r: EligibilityResponseInput): CoverageSummary {
  const patient = r.dependent ?? r.subscriber;
  const rejected = r.rejections.some((x) => x.level === 'subscriber' || x.level === 'dependent');
  const summary: CoverageSummary = {
    active: !rejected && r.benefits.some((b) => ACTIVE_CODES.has(b.code)),
    deductible: { inNetwork: {}, outOfNetwork: {} },
    outOfPocket: { inNetwork: {}, outOfNetwork: {} },
    copays: [],
    coinsurance: [],
    authorizationRequired: [],
    messages: [],
  };
  if (
    summary.active &&
    r.benefits.some((b) => INACTIVE_CODES.has(b.code)) &&
    !r.benefits.some((b) => b.code === '1')
  ) {
    summary.active = false;
  }
  const activeBenefit = r.benefits.find((b) => ACTIVE_CODES.has(b.code));
  put(summary, 'planName', activeBenefit?.planDescription);
  const group = [...patient.references, ...r.subscriber.references].find(
    (x) => x.qualifier === '6P' || x.qualifier === '1L',
  );
  put(summary, 'groupNumber', group?.value);
  const dates = [
    ...patient.dates,
    ...(patient === r.subscriber ? [] : r.subscriber.dates),
    ...(activeBenefit?.dates ?? []),
  ];
  for (const d of dates) {
    if (BEGIN_DATES.has(d.qualifier) && !summary.coverageStart) {
      summary.coverageStart = d.range.start;
      if (d.range.end && !summary.coverageEnd && (d.qualifier === '291' || d.qualifier === '307'))
        summary.coverageEnd = d.range.end;
    }
    if (END_DATES.has(d.qualifier) && !summary.coverageEnd) summary.coverageEnd = d.range.start;
  }
  for (const b of r.benefits) {
    if (b.code === 'C' || b.code === 'G')
      accumulate(b.code === 'C' ? summary.deductible : summary.outOfPocket, b);
    const types = b.serviceTypes.length > 0 ? b.serviceTypes : ['30'];
    const network = b.network ?? 'in';
    if (b.code === 'B' && b.amountCents !== undefined) {
      for (const serviceType of types)
        summary.copays.push({ serviceType, network, amountCents: b.amountCents });
    }
    if (b.code === 'A' && b.percent !== undefined) {
      const percent = Math.round(b.percent * 10000) / 100;
      for (const serviceType of types) summary.coinsurance.push({ serviceType, network, percent });
    }
    if (b.authorizationRequired) {
      for (const serviceType of types) {
        if (!summary.authorizationRequired.includes(serviceType))
          summary.authorizationRequired.push(serviceType);
      }
    }
    summary.messages.push(...b.messages);
  }
  return summary;
}

function accumulate(target: NetworkAmounts, b: Benefit): void {
  if (b.amountCents === undefined) return;
  if (b.serviceTypes.length > 0 && !b.serviceTypes.includes('30')) return;
  const tiers =
    b.network === 'out'
      ? [target.outOfNetwork]
      : b.network === 'both'
        ? [target.inNetwork, target.outOfNetwork]
        : [target.inNetwork];
  const family = b.coverageLevel === 'FAM';
  const remaining = b.timePeriod === '29';
  for (const tier of tiers) {
    const key = family ? 'family' : 'individual';
    const slot = tier[key] ?? {};
    tier[key] = slot;
    if (remaining) slot.remainingCents ??= b.amountCents;
    else slot.amountCents ??= b.amountCents;
  }
}

/**
 * The EB loops that express a coverage summary, for payers that answer from plan data (the inverse of
 * `summarizeCoverage` for status, plan, deductible, out-of-pocket, copays, coinsurance, authorization flags and
 * messages; coverage dates and group number travel on the member as DTP and REF).
 */
export function coverageBenefits(
  summary: Omit<CoverageSummary, 'coverageStart' | 'coverageEnd' | 'groupNumber'>,
): Benefit[] {
  const benefit = (code: string, fields: Partial<Benefit>): Benefit => ({
    code,
    serviceTypes: ['30'],
    dates: [],
    references: [],
    messages: [],
    ...fields,
  });
  const out: Benefit[] = [
    benefit(summary.active ? '1' : '6', {
      ...(summary.planName ? { planDescription: summary.planName } : {}),
      messages: summary.messages,
    }),
  ];
  const accumulators = (code: string, amounts: NetworkAmounts) => {
    for (const [tier, network] of [
      [amounts.inNetwork, 'in'],
      [amounts.outOfNetwork, 'out'],
    ] as const) {
      for (const [level, slot] of [
        ['IND', tier.individual],
        ['FAM', tier.family],
      ] as const) {
        if (slot?.amountCents !== undefined) {
          out.push(
            benefit(code, { coverageLevel: level, timePeriod: '23', amountCents: slot.amountCents, network }),
          );
        }
        if (slot?.remainingCents !== undefined) {
          out.push(
            benefit(code, {
              coverageLevel: level,
              timePeriod: '29',
              amountCents: slot.remainingCents,
              network,
            }),
          );
        }
      }
    }
  };
  accumulators('C', summary.deductible);
  accumulators('G', summary.outOfPocket);
  for (const c of summary.copays) {
    out.push(
      benefit('B', { serviceTypes: [c.serviceType], amountCents: c.amountCents ?? 0, network: c.network }),
    );
  }
  for (const c of summary.coinsurance) {
    out.push(
      benefit('A', { serviceTypes: [c.serviceType], percent: (c.percent ?? 0) / 100, network: c.network }),
    );
  }
  if (summary.authorizationRequired.length > 0) {
    out.push(benefit('CB', { serviceTypes: summary.authorizationRequired, authorizationRequired: true }));
  }
  return out;
}

function memberSegments(code: string, m: Member): SegmentData[] {
  const out: SegmentData[] = [nm1(code, m)];
  for (const ref of m.references) out.push(['REF', ref.qualifier, ref.value]);
  out.push(...addressSegments(m.address));
  return out;
}

function demographics(m: Member, withIns: boolean): SegmentData[] {
  const out = dmgSegments(m);
  if (withIns && m.relationship) out.push(['INS', 'N', m.relationship]);
  return out;
}

/** Segments of a 270 body. */
export function requestSegments(r: EligibilityRequest): SegmentData[] {
  const dependent = r.dependent;
  const out: SegmentData[] = [
    ['BHT', '0022', '13', r.referenceId, x12Date(r.date), x12Time(r.time)],
    ['HL', '1', '', '20', '1'],
    nm1('PR', r.payer),
    ['HL', '2', '1', '21', '1'],
    nm1('1P', r.provider),
    ['HL', '3', '2', '22', dependent ? '1' : '0'],
  ];
  const trn: SegmentData = ['TRN', r.trace.type, r.trace.number, r.trace.originatorId];
  const inquiry: SegmentData[] = [
    ...(r.serviceDate ? [dtp('291', r.serviceDate)] : []),
    ...r.serviceTypes.map((s): SegmentData => ['EQ', s]),
    ...(r.procedures ?? []).map((p): SegmentData => ['EQ', '', procedureComposite(p)]),
  ];
  if (!dependent) {
    out.push(trn, ...memberSegments('IL', r.subscriber), ...demographics(r.subscriber, false), ...inquiry);
  } else {
    out.push(...memberSegments('IL', r.subscriber), ...demographics(r.subscriber, false));
    out.push(
      ['HL', '4', '3', '23', '0'],
      trn,
      ...memberSegments('03', dependent),
      ...demographics(dependent, true),
      ...inquiry,
    );
  }
  return out;
}

function benefitSegments(b: Benefit): SegmentData[] {
  const out: SegmentData[] = [
    [
      'EB',
      b.code,
      b.coverageLevel ?? '',
      { repeat: b.serviceTypes },
      b.insuranceType ?? '',
      b.planDescription ?? '',
      b.timePeriod ?? '',
      b.amountCents === undefined ? '' : formatCents(b.amountCents),
      b.percent === undefined ? '' : formatDecimal(b.percent),
      b.quantityQualifier ?? '',
      b.quantity === undefined ? '' : formatDecimal(b.quantity),
      b.authorizationRequired === undefined ? '' : b.authorizationRequired ? 'Y' : 'N',
      b.network === undefined ? '' : b.network === 'in' ? 'Y' : b.network === 'out' ? 'N' : 'W',
      b.procedure ? procedureComposite(b.procedure) : '',
    ],
  ];
  for (const ref of b.references) out.push(['REF', ref.qualifier, ref.value]);
  for (const d of b.dates) out.push(dtp(d.qualifier, d.range));
  for (const m of b.messages) out.push(['MSG', m]);
  if (b.relatedEntities && b.relatedEntities.length > 0) {
    out.push(['LS', '2120']);
    for (const e of b.relatedEntities) {
      out.push(nm1(e.role, e), ...addressSegments(e.address));
      if (e.contact) out.push(contactSegment(e.contact));
      if (e.provider) out.push(['PRV', e.provider.code, e.provider.qualifier, e.provider.id]);
    }
    out.push(['LE', '2120']);
  }
  return out;
}

/** AAA segments for the rejections reported at one level. */
export function rejectionSegments(
  r: { rejections: readonly Rejection[] },
  level: Rejection['level'],
): SegmentData[] {
  return r.rejections
    .filter((x) => x.level === level)
    .map((x): SegmentData => ['AAA', x.valid ? 'Y' : 'N', '', x.reasonCode, x.followUpAction ?? '']);
}

/** Segments of a 271 body. */
export function responseSegments(r: EligibilityResponseInput): SegmentData[] {
  const dependent = r.dependent;
  const out: SegmentData[] = [
    ['BHT', '0022', '11', r.referenceId, x12Date(r.date), x12Time(r.time)],
    ['HL', '1', '', '20', '1'],
    nm1('PR', r.payer),
    ...rejectionSegments(r, 'payer'),
    ['HL', '2', '1', '21', '1'],
    nm1('1P', r.provider),
    ...rejectionSegments(r, 'provider'),
    ['HL', '3', '2', '22', dependent ? '1' : '0'],
  ];
  const traces = r.traceNumbers.map((x): SegmentData => ['TRN', x.type, x.number, x.originatorId]);
  const member = (
    m: Member,
    code: string,
    level: Rejection['level'],
    benefits: readonly Benefit[],
  ): SegmentData[] => [
    ...memberSegments(code, m),
    ...rejectionSegments(r, level),
    ...demographics(m, level === 'dependent'),
    ...m.dates.map((d) => dtp(d.qualifier, d.range)),
    ...benefits.flatMap(benefitSegments),
  ];
  if (!dependent) {
    out.push(...traces, ...member(r.subscriber, 'IL', 'subscriber', r.benefits));
  } else {
    out.push(...member(r.subscriber, 'IL', 'subscriber', []));
    out.push(['HL', '4', '3', '23', '0'], ...traces, ...member(dependent, '03', 'dependent', r.benefits));
  }
  return out;
}

/** Builds a complete 270 interchange. */
export function build270(request: EligibilityRequest, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: '270',
      implementationReference: IMPLEMENTATION,
      functionalId: 'HS',
      segments: requestSegments(request),
    },
  ]);
}

/** Builds a complete 271 interchange (a `coverage` summary on the input is ignored: benefits are the source). */
export function build271(response: EligibilityResponseInput, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: '271',
      implementationReference: IMPLEMENTATION,
      functionalId: 'HB',
      segments: responseSegments(response),
    },
  ]);
}
