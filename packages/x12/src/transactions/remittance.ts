/** 835 Health Care Claim Payment/Advice (005010X221A1). */
import type { ParseOptions } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { DateRange } from '../values.ts';
import { emptyList, formatCents, formatDecimal, oneDay, x12Date } from '../values.ts';
import type { EnvelopeOptions, SegmentData } from '../writer.ts';
import { writeInterchange } from '../writer.ts';
import type { Address, Entity, MapContext, Parsed, Procedure } from './common.ts';
import {
  addressSegments,
  Collector,
  cents,
  centsOr0,
  dateAt,
  decimal,
  fit,
  nm1,
  parseTyped,
  plainObjects,
  procedureComposite,
  put,
  readAddress,
  readCity,
  readEntity,
  readProcedure,
} from './common.ts';

/** BPR: the payment itself. */
export interface Payment {
  /** BPR01: `I` remittance with payment, `H` notification only, `C` payment accompanies remittance ... */
  handlingCode: string;
  amountCents: number;
  /** BPR03: `C` credit or `D` debit. */
  creditDebit: 'C' | 'D';
  /** BPR04: `ACH`, `CHK`, `BOP`, `FWT`, `NON`. */
  method: string;
  /** BPR05: `CCP`, `CTX` for ACH. */
  format?: string;
  /** Payer (originating) bank: BPR06-09. */
  payerBank?: BankAccount;
  /** BPR10 originating company id. */
  originatorId?: string;
  /** Payee (receiving) bank: BPR12-15. */
  payeeBank?: BankAccount;
  /** BPR16: check issue or EFT effective date. */
  date: string;
}

export interface BankAccount {
  /** DFI id qualifier (`01` ABA routing). */
  idQualifier: string;
  routingNumber: string;
  /** Account number qualifier (`DA` demand deposit). */
  accountQualifier: string;
  accountNumber: string;
}

/** TRN: check or EFT trace number. */
export interface Trace {
  /** TRN01, `1` for current transaction trace numbers. */
  type: string;
  /** TRN02: check or EFT number. */
  number: string;
  /** TRN03: payer id (1 + TIN). */
  originatorId: string;
  originatorSupplementalId?: string;
}

/** CAS triple: group code, reason code (CARC), amount and optional quantity. */
export interface Adjustment {
  /** `CO` contractual, `PR` patient responsibility, `OA` other, `PI` payer initiated, `CR` correction. */
  group: string;
  reason: string;
  amountCents: number;
  quantity?: number;
}

/** AMT qualifier and amount (e.g. `AU` coverage amount, `B6` allowed, `F5` patient paid). */
export interface MonetaryAmount {
  qualifier: string;
  amountCents: number;
}

/** REF qualifier and value. */
export interface Reference {
  qualifier: string;
  value: string;
}

/** One SVC loop (2110). */
export interface ServicePayment {
  procedure: Procedure;
  chargeCents: number;
  paidCents: number;
  /** SVC04: NUBC revenue code. */
  revenueCode?: string;
  /** SVC05: units paid. */
  units?: number;
  /** SVC06: the procedure as submitted, when the payer changed it. */
  submittedProcedure?: Procedure;
  /** SVC07: units submitted. */
  submittedUnits?: number;
  /** DTM 472 (or 150/151 as a range). */
  serviceDate?: DateRange;
  adjustments: Adjustment[];
  /** REF 6R: the line item control number from the 837. */
  lineControlNumber?: string;
  references: Reference[];
  amounts: MonetaryAmount[];
  /** LQ HE: remittance advice remark codes (RARC). */
  remarkCodes: string[];
}

/** MOA (outpatient) or MIA (inpatient) adjudication remarks. */
export interface AdjudicationInfo {
  kind: 'inpatient' | 'outpatient';
  /** Remark codes (MOA03-07 or MIA05/20-24). */
  remarkCodes: string[];
  /** MOA01 reimbursement rate (a fraction) when present. */
  reimbursementRate?: number;
  /** MOA02 claim HCPCS payable amount, MIA04 claim DRG amount. */
  amountCents?: number;
  /** MOA08 end-stage renal disease payment amount. */
  esrdPaymentCents?: number;
  /** MOA09 / MIA19 nonpayable professional component amount. */
  nonpayableProfessionalComponentCents?: number;
  /** MIA01 covered days or visits (the MIA requires it; written as 0 when not given). */
  coveredDays?: number;
  /** MIA02 PPS operating outlier amount. */
  ppsOperatingOutlierCents?: number;
  /** MIA03 lifetime psychiatric days. */
  lifetimePsychiatricDays?: number;
  /** MIA06 claim disproportionate share amount. */
  disproportionateShareCents?: number;
  /** MIA07 claim MSP pass-through amount. */
  mspPassThroughCents?: number;
  /** MIA08 claim PPS capital amount. */
  ppsCapitalCents?: number;
  /** MIA09 PPS capital, federal specific portion, DRG amount. */
  ppsCapitalFspDrgCents?: number;
  /** MIA10 PPS capital, hospital specific portion, DRG amount. */
  ppsCapitalHspDrgCents?: number;
  /** MIA11 PPS capital, disproportionate share, hospital DRG amount. */
  ppsCapitalDshDrgCents?: number;
  /** MIA12 old capital amount. */
  oldCapitalCents?: number;
  /** MIA13 PPS capital indirect medical education claim amount. */
  ppsCapitalImeCents?: number;
  /** MIA14 PPS operating hospital specific DRG amount. */
  ppsOperatingHospitalSpecificDrgCents?: number;
  /** MIA15 cost report day count. */
  costReportDays?: number;
  /** MIA16 PPS operating federal specific DRG amount. */
  ppsOperatingFederalSpecificDrgCents?: number;
  /** MIA17 claim PPS capital outlier amount. */
  ppsCapitalOutlierCents?: number;
  /** MIA18 claim indirect teaching amount. */
  indirectTeachingCents?: number;
}

type AdjudicationField = Exclude<keyof AdjudicationInfo, 'kind' | 'remarkCodes'>;
/** MOA and MIA elements by position: money (cents) and counts. */
const MOA_CENTS: readonly [number, AdjudicationField][] = [
  [2, 'amountCents'],
  [8, 'esrdPaymentCents'],
  [9, 'nonpayableProfessionalComponentCents'],
];
const MIA_CENTS: readonly [number, AdjudicationField][] = [
  [2, 'ppsOperatingOutlierCents'],
  [4, 'amountCents'],
  [6, 'disproportionateShareCents'],
  [7, 'mspPassThroughCents'],
  [8, 'ppsCapitalCents'],
  [9, 'ppsCapitalFspDrgCents'],
  [10, 'ppsCapitalHspDrgCents'],
  [11, 'ppsCapitalDshDrgCents'],
  [12, 'oldCapitalCents'],
  [13, 'ppsCapitalImeCents'],
  [14, 'ppsOperatingHospitalSpecificDrgCents'],
  [16, 'ppsOperatingFederalSpecificDrgCents'],
  [17, 'ppsCapitalOutlierCents'],
  [18, 'indirectTeachingCents'],
  [19, 'nonpayableProfessionalComponentCents'],
];
const MIA_COUNTS: readonly [number, AdjudicationField][] = [
  [1, 'coveredDays'],
  [3, 'lifetimePsychiatricDays'],
  [15, 'costReportDays'],
];
/** MIA05 and MIA20-24 carry remark codes. */
const MIA_REMARKS = [5, 20, 21, 22, 23, 24];

/** One CLP loop (2100). */
export interface ClaimPayment {
  /** CLP01: the provider's patient control number (CLM01 of the 837). */
  patientControlNumber: string;
  /** CLP02: `1` processed as primary, `2` secondary, `3` tertiary, `4` denied, `22` reversal ... */
  statusCode: string;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents?: number;
  /** CLP06: claim filing indicator (`12` PPO, `MC` Medicaid, `MB` Medicare B ...). */
  filingIndicator?: string;
  /** CLP07: payer claim control number. */
  payerClaimControlNumber?: string;
  /** CLP08: facility type code. */
  facilityType?: string;
  /** CLP09: claim frequency type code. */
  frequencyCode?: string;
  /** NM1 QC. */
  patient?: Entity;
  /** NM1 IL. */
  insured?: Entity;
  /** NM1 74: corrected patient/insured. */
  correctedInsured?: Entity;
  /** NM1 82. */
  renderingProvider?: Entity;
  /** NM1 TT: crossover carrier. */
  crossoverCarrier?: Entity;
  adjustments: Adjustment[];
  adjudication?: AdjudicationInfo;
  references: Reference[];
  /** DTM 232/233: claim statement period. */
  statementPeriod?: DateRange;
  /** DTM 050: date the payer received the claim. */
  receivedDate?: string;
  amounts: MonetaryAmount[];
  services: ServicePayment[];
}

/** PLB: provider-level adjustment (positive reduces the payment, negative increases it). */
export interface ProviderAdjustment {
  providerId: string;
  fiscalPeriodEnd: string;
  adjustments: {
    /** PLB03-1: adjustment reason (`WO` overpayment recovery, `L6` interest, `FB` forwarding balance ...). */
    reasonCode: string;
    referenceId?: string;
    amountCents: number;
  }[];
}

export interface Payer835 {
  name: string;
  /** N103/N104: payer id qualifier and id (`XV` CMS plan id) when sent. */
  idQualifier?: string;
  id?: string;
  address?: Address;
  /** REF 2U payer identification number. */
  payerId?: string;
  /** PER BL technical contact / CX claims contact. */
  contacts: Contact[];
}

export interface Contact {
  function: string;
  name?: string;
  /** Communication numbers in order: [qualifier, value] pairs (`TE`, `EM`, `UR`, `FX`, `EX`). */
  numbers: [string, string][];
}

export interface Payee835 {
  name: string;
  /** N103: `XX` NPI, `FI` tax id, `XV`... */
  idQualifier?: string;
  id?: string;
  address?: Address;
  /** REF TJ tax id. */
  taxId?: string;
  references: Reference[];
}

/** A typed 835. */
export interface Remittance {
  payment: Payment;
  trace: Trace;
  /** REF EV receiver id. */
  receiverId?: string;
  /** DTM 405 production date. */
  productionDate?: string;
  payer: Payer835;
  payee: Payee835;
  claims: ClaimPayment[];
  providerAdjustments: ProviderAdjustment[];
}

/** Parses every 835 in a document and checks its balancing rules (reported as BALANCE_* diagnostics). */
export function parse835(input: X12Input, options: ParseOptions = {}): Parsed<Remittance> {
  return parseTyped(input, options, (c) => c.tx.id === '835', mapRemittance, '835');
}

/** Adds every reason/amount/quantity triple of the CAS at `i` (the 835, and the 837's COB loops). */
export function readCas(ctx: MapContext, i: number, into: Collector<Adjustment>): void {
  const t = ctx.t;
  const group = t.el(i, 1);
  const n = t.elementCount(i);
  for (let j = 2; j <= 17 && j <= n; j += 3) {
    if (!t.has(i, j)) continue;
    const reason = t.el(i, j);
    const amountCents = centsOr0(ctx, i, j + 1);
    const quantity = decimal(t, i, j + 2);
    into.add(
      quantity === undefined ? { group, reason, amountCents } : { group, reason, amountCents, quantity },
    );
  }
}

/**
 * The open claim and service loops. A service is read when its loop closes, once everything in it is known: its
 * object is then made in one piece, with its lists at their final size (see `Collector`).
 */
class OpenLoops {
  /** Segment index of the open service's SVC, -1 when no service loop is open. */
  serviceAt = -1;
  serviceDate: DateRange | undefined = undefined;
  /** REF 6R of the open service; undefined until one is read (an empty value counts). */
  lineControlNumber: string | undefined = undefined;
  /** Which of the two came first (they become properties in that order). */
  dateFirst = false;
  readonly services = new Collector<ServicePayment>();
  readonly claimAdjustments = new Collector<Adjustment>();
  readonly claimReferences = new Collector<Reference>();
  readonly claimAmounts = new Collector<MonetaryAmount>();
  readonly adjustments = new Collector<Adjustment>();
  readonly references = new Collector<Reference>();
  readonly amounts = new Collector<MonetaryAmount>();
  readonly remarkCodes = new Collector<string>();
}

/** Reads PER at `i`: function, name and the communication number pairs. */
export function readContact(ctx: MapContext, i: number): Contact {
  const t = ctx.t;
  const c: Contact = { function: t.el(i, 1), numbers: [] };
  put(c, 'name', t.el(i, 2));
  for (let j = 3; j <= 7; j += 2) if (t.has(i, j)) c.numbers.push([t.el(i, j), t.el(i, j + 1)]);
  return c;
}

/** A CLP's claim, which its NM1, DTM, MIA/MOA and the closing of its loop fill in (see `plainObjects`). */
const newClaimPayment = plainObjects(function (
  this: ClaimPayment,
  patientControlNumber: string,
  statusCode: string,
  chargeCents: number,
  paidCents: number,
) {
  this.patientControlNumber = patientControlNumber;
  this.statusCode = statusCode;
  this.chargeCents = chargeCents;
  this.paidCents = paidCents;
  // Shared and frozen until the loop closes (see `closeClaim`): most claims have no claim-level CAS, REF or AMT.
  this.adjustments = emptyList();
  this.references = emptyList();
  this.amounts = emptyList();
  this.services = emptyList();
});

/** Maps one 835 transaction set. */
export function mapRemittance(ctx: MapContext): Remittance {
  const { t, tx } = ctx;
  const r: Remittance = {
    payment: { handlingCode: '', amountCents: 0, creditDebit: 'C', method: '', date: '' },
    trace: { type: '', number: '', originatorId: '' },
    payer: { name: '', contacts: [] },
    payee: { name: '', references: [] },
    claims: [],
    providerAdjustments: [],
  };
  let party: 'payer' | 'payee' | null = null;
  let claim: ClaimPayment | null = null;
  let claimAt = -1;
  const serviceAt: number[] = [];
  const open = new OpenLoops();
  let bprAt = -1;
  for (let i = tx.start + 1; i < tx.end; i++) {
    switch (t.id(i)) {
      case 'BPR': {
        bprAt = i;
        const p = r.payment;
        p.handlingCode = t.el(i, 1);
        p.amountCents = centsOr0(ctx, i, 2);
        p.creditDebit = t.el(i, 3) === 'D' ? 'D' : 'C';
        p.method = t.el(i, 4);
        put(p, 'format', t.el(i, 5));
        if (t.has(i, 7)) p.payerBank = bank(ctx, i, 6);
        put(p, 'originatorId', t.el(i, 10));
        if (t.has(i, 13)) p.payeeBank = bank(ctx, i, 12);
        p.date = dateAt(t, i, 16) ?? '';
        break;
      }
      case 'TRN':
        r.trace = { type: t.el(i, 1), number: t.el(i, 2), originatorId: t.el(i, 3) };
        put(r.trace, 'originatorSupplementalId', t.el(i, 4));
        break;
      case 'REF': {
        const qualifier = t.el(i, 1);
        if (open.serviceAt >= 0) {
          if (qualifier === '6R') {
            if (open.lineControlNumber === undefined && open.serviceDate === undefined)
              open.dateFirst = false;
            open.lineControlNumber = t.el(i, 2);
          } else open.references.add({ qualifier, value: t.el(i, 2) });
        } else if (claim) open.claimReferences.add({ qualifier, value: t.el(i, 2) });
        else if (party === 'payer' && qualifier === '2U') r.payer.payerId = t.el(i, 2);
        else if (party === 'payee' && qualifier === 'TJ') r.payee.taxId = t.el(i, 2);
        else if (party === 'payee') r.payee.references.push({ qualifier, value: t.el(i, 2) });
        else if (qualifier === 'EV') r.receiverId = t.el(i, 2);
        break;
      }
      case 'DTM': {
        const q = t.el(i, 1);
        const d = dateAt(t, i, 2);
        if (!d) break;
        if (open.serviceAt >= 0) {
          const first = open.serviceDate === undefined && open.lineControlNumber === undefined;
          if (q === '472' || q === '150') open.serviceDate = startOf(open.serviceDate, d);
          else if (q === '151') open.serviceDate = endOf(open.serviceDate, d);
          if (first && open.serviceDate !== undefined) open.dateFirst = true;
        } else if (claim) {
          if (q === '232') claim.statementPeriod = startOf(claim.statementPeriod, d);
          else if (q === '233') claim.statementPeriod = endOf(claim.statementPeriod, d);
          else if (q === '050') claim.receivedDate = d;
        } else if (q === '405') r.productionDate = d;
        break;
      }
      case 'N1': {
        const code = t.el(i, 1);
        party = code === 'PR' ? 'payer' : code === 'PE' ? 'payee' : null;
        const target = party === 'payer' ? r.payer : party === 'payee' ? r.payee : null;
        if (target) {
          target.name = t.el(i, 2);
          put(target, 'idQualifier', t.el(i, 3));
          put(target, 'id', t.el(i, 4));
        }
        break;
      }
      case 'N3': {
        const target = party === 'payer' ? r.payer : party === 'payee' ? r.payee : null;
        if (target && !claim) {
          const { address, last } = readAddress(t, i);
          target.address = address;
          i = last;
        }
        break;
      }
      case 'N4':
        if (!claim && party) {
          const target = party === 'payer' ? r.payer : r.payee;
          target.address ??= { line1: '', city: '' };
          readCity(t, i, target.address);
        }
        break;
      case 'PER':
        if (party === 'payer' && !claim) r.payer.contacts.push(readContact(ctx, i));
        break;
      case 'LX':
        party = null;
        break;
      case 'CLP': {
        party = null;
        if (claim) closeClaim(ctx, claim, claimAt, serviceAt, open);
        serviceAt.length = 0;
        claimAt = i;
        claim = newClaimPayment(t.el(i, 1), t.el(i, 2), centsOr0(ctx, i, 3), centsOr0(ctx, i, 4));
        put(claim, 'patientResponsibilityCents', cents(ctx, i, 5));
        put(claim, 'filingIndicator', t.el(i, 6));
        put(claim, 'payerClaimControlNumber', t.el(i, 7));
        put(claim, 'facilityType', t.el(i, 8));
        put(claim, 'frequencyCode', t.el(i, 9));
        r.claims.push(claim);
        break;
      }
      case 'CAS':
        if (open.serviceAt >= 0) readCas(ctx, i, open.adjustments);
        else if (claim) readCas(ctx, i, open.claimAdjustments);
        break;
      case 'NM1':
        if (claim && open.serviceAt < 0) {
          const e = readEntity(t, i);
          const code = t.el(i, 1);
          if (code === 'QC') claim.patient = e;
          else if (code === 'IL') claim.insured = e;
          else if (code === '74') claim.correctedInsured = e;
          else if (code === '82') claim.renderingProvider = e;
          else if (code === 'TT') claim.crossoverCarrier = e;
        }
        break;
      case 'MIA':
      case 'MOA':
        if (claim) claim.adjudication = readAdjudication(ctx, i);
        break;
      case 'AMT': {
        const a = { qualifier: t.el(i, 1), amountCents: centsOr0(ctx, i, 2) };
        if (open.serviceAt >= 0) open.amounts.add(a);
        else if (claim) open.claimAmounts.add(a);
        break;
      }
      case 'SVC':
        if (!claim) break;
        if (open.serviceAt >= 0) closeService(ctx, open, serviceAt);
        open.serviceAt = i;
        break;
      case 'LQ':
        if (open.serviceAt >= 0 && t.el(i, 1) === 'HE') open.remarkCodes.add(t.el(i, 2));
        break;
      case 'PLB': {
        if (claim) closeClaim(ctx, claim, claimAt, serviceAt, open);
        claim = null;
        const plb: ProviderAdjustment = {
          providerId: t.el(i, 1),
          fiscalPeriodEnd: dateAt(t, i, 2) ?? t.el(i, 2),
          adjustments: [],
        };
        for (let j = 3; j <= 13; j += 2) {
          if (!t.has(i, j)) continue;
          const adj: ProviderAdjustment['adjustments'][number] = {
            reasonCode: t.comp(i, j, 1),
            amountCents: centsOr0(ctx, i, j + 1),
          };
          put(adj, 'referenceId', t.comp(i, j, 2));
          plb.adjustments.push(adj);
        }
        plb.adjustments = fit(plb.adjustments);
        r.providerAdjustments.push(plb);
        break;
      }
    }
  }
  if (claim) closeClaim(ctx, claim, claimAt, serviceAt, open);
  checkPaymentBalance(ctx, r, bprAt);
  return r;
}

/** A range whose start is `start`, keeping an end already read (DTM 150/151 and 232/233 come in either order). */
function startOf(range: DateRange | undefined, start: string): DateRange {
  return range?.end === undefined ? oneDay(start) : { start, end: range.end };
}

function endOf(range: DateRange | undefined, end: string): DateRange {
  return { start: range?.start ?? end, end };
}

function bank(ctx: MapContext, i: number, j: number): BankAccount {
  const t = ctx.t;
  return {
    idQualifier: t.el(i, j),
    routingNumber: t.el(i, j + 1),
    accountQualifier: t.el(i, j + 2),
    accountNumber: t.el(i, j + 3),
  };
}

/** Reads MOA or MIA at `i` (835 claims; 837 other-payer loops). */
export function readAdjudication(ctx: MapContext, i: number): AdjudicationInfo {
  const t = ctx.t;
  if (t.id(i) === 'MOA') {
    const a: AdjudicationInfo = { kind: 'outpatient', remarkCodes: [] };
    put(a, 'reimbursementRate', decimal(t, i, 1));
    for (const [j, field] of MOA_CENTS) put(a, field, cents(ctx, i, j));
    for (let j = 3; j <= 7; j++) if (t.has(i, j)) a.remarkCodes.push(t.el(i, j));
    return a;
  }
  const a: AdjudicationInfo = { kind: 'inpatient', remarkCodes: [] };
  for (const [j, field] of MIA_COUNTS) put(a, field, decimal(t, i, j));
  for (const [j, field] of MIA_CENTS) put(a, field, cents(ctx, i, j));
  for (const j of MIA_REMARKS) if (t.has(i, j)) a.remarkCodes.push(t.el(i, j));
  return a;
}

/** The open service loop is complete: reads its SVC and adds the service, whole, to the claim's services. */
function closeService(ctx: MapContext, open: OpenLoops, serviceAt: number[]): void {
  const t = ctx.t;
  const i = open.serviceAt;
  const procedure = readProcedure(t, i, 1);
  const chargeCents = centsOr0(ctx, i, 2);
  const paidCents = centsOr0(ctx, i, 3);
  const adjustments = open.adjustments.take();
  const references = open.references.take();
  const amounts = open.amounts.take();
  const remarkCodes = open.remarkCodes.take();
  const revenueCode = t.el(i, 4);
  const units = decimal(t, i, 5);
  const submitted = t.has(i, 6);
  const submittedUnits = decimal(t, i, 7);
  const serviceDate = open.serviceDate;
  const lineControlNumber = open.lineControlNumber;
  let s: ServicePayment;
  const usual =
    revenueCode === '' && units !== undefined && !submitted && submittedUnits === undefined && open.dateFirst;
  if (usual && serviceDate && lineControlNumber !== undefined) {
    // The usual shape (SVC with units, then DTM, then REF 6R) as one literal, properties in the order they were
    // read, with no property store to grow.
    s = {
      procedure,
      chargeCents,
      paidCents,
      adjustments,
      references,
      amounts,
      remarkCodes,
      units,
      serviceDate,
      lineControlNumber,
    };
  } else {
    s = { procedure, chargeCents, paidCents, adjustments, references, amounts, remarkCodes };
    put(s, 'revenueCode', revenueCode);
    put(s, 'units', units);
    if (submitted) s.submittedProcedure = readProcedure(t, i, 6);
    put(s, 'submittedUnits', submittedUnits);
    if (open.dateFirst) {
      if (serviceDate) s.serviceDate = serviceDate;
      if (lineControlNumber !== undefined) s.lineControlNumber = lineControlNumber;
    } else {
      if (lineControlNumber !== undefined) s.lineControlNumber = lineControlNumber;
      if (serviceDate) s.serviceDate = serviceDate;
    }
  }
  open.services.add(s);
  serviceAt.push(i);
  open.serviceAt = -1;
  open.serviceDate = undefined;
  open.lineControlNumber = undefined;
  open.dateFirst = false;
}

/** A claim loop is complete (with its open service, if any): it gets its lists, then its balance is checked. */
function closeClaim(
  ctx: MapContext,
  claim: ClaimPayment,
  at: number,
  serviceAt: number[],
  open: OpenLoops,
): void {
  if (open.serviceAt >= 0) closeService(ctx, open, serviceAt);
  claim.services = open.services.take(claim.services);
  claim.adjustments = open.claimAdjustments.take(claim.adjustments);
  claim.references = open.claimReferences.take(claim.references);
  claim.amounts = open.claimAmounts.take(claim.amounts);
  checkClaimBalance(ctx, claim, at, serviceAt);
}

function sumAdjustments(list: readonly Adjustment[]): number {
  let s = 0;
  for (const a of list) s += a.amountCents;
  return s;
}

/** Claim charge = paid + all adjustments (claim and line level); each line: charge = paid + its adjustments. */
function checkClaimBalance(
  ctx: MapContext,
  claim: ClaimPayment,
  at: number,
  serviceAt: readonly number[],
): void {
  let adjustments = sumAdjustments(claim.adjustments);
  for (let k = 0; k < claim.services.length; k++) {
    const s = claim.services[k]!;
    const lineAdj = sumAdjustments(s.adjustments);
    adjustments += lineAdj;
    if (s.chargeCents !== s.paidCents + lineAdj) {
      ctx.sink.add(
        'BALANCE_SERVICE',
        `service line charge ${formatCents(s.chargeCents)} ≠ paid ${formatCents(s.paidCents)} + adjustments ${formatCents(lineAdj)}`,
        serviceAt[k] ?? at,
      );
    }
  }
  if (claim.chargeCents !== claim.paidCents + adjustments) {
    ctx.sink.add(
      'BALANCE_CLAIM',
      `claim ${claim.patientControlNumber}: charge ${formatCents(claim.chargeCents)} ≠ paid ${formatCents(claim.paidCents)} + adjustments ${formatCents(adjustments)}`,
      at,
    );
  }
}

/** BPR02 = Σ CLP04 − Σ PLB amounts (credit payments; debits are negative totals). */
function checkPaymentBalance(ctx: MapContext, r: Remittance, at: number): void {
  if (at < 0) return;
  let expected = 0;
  for (const c of r.claims) expected += c.paidCents;
  for (const p of r.providerAdjustments) for (const a of p.adjustments) expected -= a.amountCents;
  const actual = r.payment.creditDebit === 'D' ? -r.payment.amountCents : r.payment.amountCents;
  if (actual !== expected) {
    ctx.sink.add(
      'BALANCE_PAYMENT',
      `BPR02 ${formatCents(r.payment.amountCents)} ≠ claim payments − provider adjustments ${formatCents(expected)}`,
      at,
      'error',
      2,
    );
  }
}

/** Segments of an 835 body (between ST and SE). */
export function remittanceSegments(r: Remittance): SegmentData[] {
  const p = r.payment;
  const out: SegmentData[] = [
    [
      'BPR',
      p.handlingCode,
      formatCents(p.amountCents),
      p.creditDebit,
      p.method,
      p.format ?? '',
      ...bankElements(p.payerBank),
      p.originatorId ?? '',
      '',
      ...bankElements(p.payeeBank),
      x12Date(p.date),
    ],
    ['TRN', r.trace.type, r.trace.number, r.trace.originatorId, r.trace.originatorSupplementalId ?? ''],
  ];
  if (r.receiverId) out.push(['REF', 'EV', r.receiverId]);
  if (r.productionDate) out.push(['DTM', '405', x12Date(r.productionDate)]);
  out.push(['N1', 'PR', r.payer.name, r.payer.id ? (r.payer.idQualifier ?? '') : '', r.payer.id ?? '']);
  out.push(...addressSegments(r.payer.address));
  if (r.payer.payerId) out.push(['REF', '2U', r.payer.payerId]);
  for (const c of r.payer.contacts) out.push(contactSegment(c));
  out.push(['N1', 'PE', r.payee.name, r.payee.id ? (r.payee.idQualifier ?? '') : '', r.payee.id ?? '']);
  out.push(...addressSegments(r.payee.address));
  if (r.payee.taxId) out.push(['REF', 'TJ', r.payee.taxId]);
  for (const ref of r.payee.references) out.push(['REF', ref.qualifier, ref.value]);
  if (r.claims.length > 0) out.push(['LX', '1']);
  for (const c of r.claims) out.push(...claimSegments(c));
  for (const plb of r.providerAdjustments) {
    out.push([
      'PLB',
      plb.providerId,
      x12Date(plb.fiscalPeriodEnd),
      ...plb.adjustments.flatMap((a) => [[a.reasonCode, a.referenceId ?? ''], formatCents(a.amountCents)]),
    ]);
  }
  return out;
}

function bankElements(b: BankAccount | undefined): string[] {
  return b ? [b.idQualifier, b.routingNumber, b.accountQualifier, b.accountNumber] : ['', '', '', ''];
}

/** PER for a contact. */
export function contactSegment(c: Contact): SegmentData {
  return ['PER', c.function, c.name ?? '', ...c.numbers.flat()];
}

/** CAS segments for adjustments: consecutive ones of a group share a segment, up to six triples each. */
export function casSegments(list: readonly Adjustment[]): SegmentData[] {
  const out: SegmentData[] = [];
  let k = 0;
  while (k < list.length) {
    const group = list[k]!.group;
    const els: string[] = [];
    while (k < list.length && list[k]!.group === group && els.length < 18) {
      const a = list[k]!;
      els.push(
        a.reason,
        formatCents(a.amountCents),
        a.quantity === undefined ? '' : formatDecimal(a.quantity),
      );
      k++;
    }
    out.push(['CAS', group, ...els]);
  }
  return out;
}

function claimSegments(c: ClaimPayment): SegmentData[] {
  const out: SegmentData[] = [
    [
      'CLP',
      c.patientControlNumber,
      c.statusCode,
      formatCents(c.chargeCents),
      formatCents(c.paidCents),
      c.patientResponsibilityCents === undefined ? '' : formatCents(c.patientResponsibilityCents),
      c.filingIndicator ?? '',
      c.payerClaimControlNumber ?? '',
      c.facilityType ?? '',
      c.frequencyCode ?? '',
    ],
  ];
  out.push(...casSegments(c.adjustments));
  const names: [string, Entity | undefined][] = [
    ['QC', c.patient],
    ['IL', c.insured],
    ['74', c.correctedInsured],
    ['82', c.renderingProvider],
    ['TT', c.crossoverCarrier],
  ];
  for (const [code, e] of names) if (e) out.push(nm1(code, e));
  if (c.adjudication) out.push(adjudicationSegment(c.adjudication));
  for (const ref of c.references) out.push(['REF', ref.qualifier, ref.value]);
  if (c.statementPeriod) {
    out.push(['DTM', '232', x12Date(c.statementPeriod.start)]);
    if (c.statementPeriod.end !== undefined) out.push(['DTM', '233', x12Date(c.statementPeriod.end)]);
  }
  if (c.receivedDate) out.push(['DTM', '050', x12Date(c.receivedDate)]);
  for (const a of c.amounts) out.push(['AMT', a.qualifier, formatCents(a.amountCents)]);
  for (const s of c.services) out.push(...serviceSegments(s));
  return out;
}

/** MOA (outpatient) or MIA (inpatient) for adjudication remarks. */
export function adjudicationSegment(a: AdjudicationInfo): SegmentData {
  // Elements by position (index 0 is MOA01 / MIA01); the writer drops trailing empty ones.
  if (a.kind === 'outpatient') {
    const els = new Array<string>(9).fill('');
    if (a.reimbursementRate !== undefined) els[0] = formatDecimal(a.reimbursementRate);
    placeFields(els, a, MOA_CENTS, formatCents);
    a.remarkCodes.slice(0, 5).forEach((code, k) => {
      els[2 + k] = code;
    });
    return ['MOA', ...els];
  }
  const els = new Array<string>(24).fill('');
  placeFields(els, a, MIA_CENTS, formatCents);
  placeFields(els, a, MIA_COUNTS, formatDecimal);
  // MIA01 is required.
  if (els[0] === '') els[0] = '0';
  a.remarkCodes.slice(0, MIA_REMARKS.length).forEach((code, k) => {
    els[MIA_REMARKS[k]! - 1] = code;
  });
  return ['MIA', ...els];
}

/** Writes each present field of `a` into its element (1-based position) of `els`. */
function placeFields(
  els: string[],
  a: AdjudicationInfo,
  at: readonly [number, AdjudicationField][],
  format: (value: number) => string,
): void {
  for (const [j, field] of at) {
    const value = a[field];
    if (value !== undefined) els[j - 1] = format(value);
  }
}

function serviceSegments(s: ServicePayment): SegmentData[] {
  const out: SegmentData[] = [
    [
      'SVC',
      procedureComposite(s.procedure),
      formatCents(s.chargeCents),
      formatCents(s.paidCents),
      s.revenueCode ?? '',
      s.units === undefined ? '' : formatDecimal(s.units),
      s.submittedProcedure ? procedureComposite(s.submittedProcedure) : '',
      s.submittedUnits === undefined ? '' : formatDecimal(s.submittedUnits),
    ],
  ];
  if (s.serviceDate) {
    if (s.serviceDate.end === undefined) out.push(['DTM', '472', x12Date(s.serviceDate.start)]);
    else out.push(['DTM', '150', x12Date(s.serviceDate.start)], ['DTM', '151', x12Date(s.serviceDate.end)]);
  }
  out.push(...casSegments(s.adjustments));
  if (s.lineControlNumber) out.push(['REF', '6R', s.lineControlNumber]);
  for (const ref of s.references) out.push(['REF', ref.qualifier, ref.value]);
  for (const a of s.amounts) out.push(['AMT', a.qualifier, formatCents(a.amountCents)]);
  for (const code of s.remarkCodes) out.push(['LQ', 'HE', code]);
  return out;
}

/** Builds a complete 835 interchange (ISA..IEA) around one remittance. */
export function build835(remittance: Remittance, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: '835',
      implementationReference: '005010X221A1',
      functionalId: 'HP',
      segments: remittanceSegments(remittance),
    },
  ]);
}
