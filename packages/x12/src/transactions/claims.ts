/** 837 Health Care Claim: professional (005010X222A1) and institutional (005010X223A2). */
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
  assignEntity,
  Collector,
  cents,
  centsOr0,
  dateAt,
  decimal,
  dmgSegments,
  dtp,
  dtpRange,
  nm1,
  parseTyped,
  plainObjects,
  procedureComposite,
  put,
  readBht,
  readCity,
  readEntity,
  readProcedure,
} from './common.ts';
import type { AdjudicationInfo, Adjustment, Reference } from './remittance.ts';
import { adjudicationSegment, casSegments, readAdjudication, readCas } from './remittance.ts';

/** A provider (billing, rendering, referring, attending, service facility). NPI in `id` with `idQualifier` XX. */
export interface Provider extends Entity {
  /** PRV03 provider taxonomy code. */
  taxonomy?: string;
  address?: Address;
  /** REF EI employer identification number (billing provider). */
  taxId?: string;
  /**
   * REF secondary ids of a claim (2310) or line (2420) provider loop: `G2` provider commercial number, `0B` state
   * license, `1G` UPIN, `LU` location number.
   */
  references?: Reference[];
  contact?: ContactInfo;
}

export interface ContactInfo {
  name?: string;
  phone?: string;
  email?: string;
}

/** The subscriber (insured) of the claim's payer: NM1*IL with SBR, DMG and address. */
export interface Subscriber extends Entity {
  /** SBR01: `P` primary, `S` secondary, `T` tertiary. */
  payerResponsibility: string;
  /** SBR02: `18` when the subscriber is the patient; absent when a patient loop follows. */
  relationship?: string;
  groupNumber?: string;
  groupName?: string;
  /** SBR09 claim filing indicator (`CI` commercial, `MB` Medicare B, `MC` Medicaid, `BL` BCBS ...). */
  claimFilingCode?: string;
  address?: Address;
  dateOfBirth?: string;
  /** DMG03: `M`, `F`, `U`. */
  gender?: string;
}

/** The patient when not the subscriber (2000C/2010CA). */
export interface Patient extends Entity {
  /** PAT01 individual relationship code (`01` spouse, `19` child, `G8` other). */
  relationship: string;
  address?: Address;
  dateOfBirth?: string;
  gender?: string;
}

export interface Payer extends Entity {
  address?: Address;
}

/** A diagnosis code with its HI qualifier (`ABK` principal / `ABF` other ICD-10-CM; `BK` / `BF` ICD-9-CM; `ABJ` admitting). */
export interface Diagnosis {
  qualifier: string;
  /** Code without the decimal point, as X12 carries it (e.g. `E119`). */
  code: string;
}

/** LIN/CTP drug identification (2410). */
export interface DrugInfo {
  ndc: string;
  quantity: number;
  /** CTP05-1 unit: `UN`, `ML`, `GR`, `F2`, `ME`. */
  unit: string;
}

/** CR1 ambulance transport information (837P claim 2300 and line 2400). */
export interface AmbulanceTransport {
  /** CR102 patient weight in pounds (CR101 `LB`). */
  patientWeightLbs?: number;
  /**
   * CR104 transport reason: `A` nearest facility, `B` preferred physician, `C` near family, `D` specialist or
   * specialized equipment, `E` rehabilitation facility.
   */
  reasonCode: string;
  /** CR106 transport distance in miles (CR105 `DH`). */
  distanceMiles: number;
  /** CR109 round trip purpose description. */
  roundTripPurpose?: string;
  /** CR110 stretcher purpose description. */
  stretcherPurpose?: string;
}

/** Ambulance drop-off location (837P 2310F claim, 2420H line). */
export interface AmbulanceDropoff {
  /** NM103 drop-off location (facility) name. */
  name?: string;
  address: Address;
}

/** CR2 spinal manipulation service information (837P claim, chiropractic). */
export interface SpinalManipulation {
  /**
   * CR208 patient condition: `A` acute, `C` chronic, `D` non-acute, `E` non-life threatening, `F` routine,
   * `G` symptomatic, `M` acute manifestation of a chronic condition.
   */
  patientCondition: string;
  /** CR210 patient condition description. */
  description?: string;
  /** CR211 second patient condition description. */
  additionalDescription?: string;
}

/** CR3 durable medical equipment certification (837P line). */
export interface DmeCertification {
  /** CR301: `I` initial, `R` renewal, `S` revised. */
  type: string;
  /** CR303 length of medical necessity in months (CR302 `MO`). */
  durationMonths: number;
}

/** CRC conditions indicator: whether the conditions of a category apply, and which. */
export interface ConditionIndicator {
  /**
   * CRC01 category: `07` ambulance certification, `E1`–`E3` vision, `75` homebound, `ZZ` EPSDT referral (claim);
   * `07`, `70` hospice employee, `09` DME condition (line).
   */
  category: string;
  /** CRC02: Y → true, N → false. */
  applies: boolean;
  /** CRC03–07 condition codes (ambulance `01` admitted, `04` moved by stretcher, `09` bed confined; EPSDT `NU` ...). */
  conditions: string[];
}

/** 2440 form identification (LQ) with its supporting documentation (FRM): the answers of a DME form. */
export interface LineForm {
  /** LQ01: `UT` a CMS DME certificate of medical necessity (CMN) form, `AS` a form type code. */
  type: string;
  /** LQ02 form identifier (`484.03` the oxygen CMN; the guide's examples use `04.03` and `02.03B`). */
  id: string;
  /** FRM segments, in the order read. */
  answers: FormAnswer[];
}

/** FRM: the answer to one question of a form; the guide gives one of FRM02–05 per question. */
export interface FormAnswer {
  /** FRM01 question number or letter (`1A`, `5`). */
  question: string;
  /** FRM02: `Y` yes, `N` no, `W` not applicable. */
  yesNo?: string;
  /** FRM03 text (or number) answer. */
  text?: string;
  /** FRM04 date answer. */
  date?: string;
  /** FRM05 percent, 0 to 100. */
  percent?: number;
}

/** A person or organization of an other-payer loop (2330A other subscriber, 2330B other payer). */
export interface OtherParty extends Entity {
  address?: Address;
  /**
   * REF pairs: 2330A `SY`; 2330B `2U`, `EI`, `FY`, `NF` payer ids and that payer's `G1` prior authorization,
   * `9F` referral, `T4` claim adjustment indicator and `F8` claim control number.
   */
  references: Reference[];
}

/** The other payer (2330B). */
export interface OtherPayer extends OtherParty {
  /** DTP 573: the date this payer adjudicated the claim (claim check or remittance date). */
  paymentDate?: string;
}

/** The role of a 2330C–G other-payer provider loop, by its NM101: `DN`, `82`, `77`, `DQ`, `85`. */
export type OtherPayerProviderRole =
  | 'attending'
  | 'operating'
  | 'otherOperating'
  | 'referring'
  | 'rendering'
  | 'serviceFacility'
  | 'supervising'
  | 'billing';

/**
 * An other payer's provider loop (837P 2330C referring, 2330D rendering, 2330E service facility, 2330F
 * supervising, 2330G billing; the 837I's 2330C attending, 2330D operating, 2330E other operating, 2330F service
 * facility, 2330G rendering, 2330H referring and 2330I billing). The NM1 carries only the entity type; the loop is
 * there for the other payer's secondary ids.
 */
export interface OtherPayerProvider {
  role: OtherPayerProviderRole;
  /** NM102: `person` (1) or `organization` (2). */
  type: 'person' | 'organization';
  /** REF secondary ids: `G2` provider commercial number, `LU` location number, `0B` state license, `1G` UPIN. */
  references: Reference[];
}

/** 2320 other subscriber information: another payer's coverage and what it did with the claim (COB). */
export interface OtherPayerCoverage {
  /** SBR01: this payer's responsibility sequence (`P` primary, `S` secondary, `T` tertiary ...). */
  payerResponsibility: string;
  /** SBR02: the patient's relationship to the other subscriber (`18` self, `01` spouse, `19` child, `G8` other). */
  relationship: string;
  groupNumber?: string;
  groupName?: string;
  /** SBR05 insurance type (Medicare secondary: `12` working aged, `13` ESRD, `47` other liability ...). */
  insuranceType?: string;
  /** SBR09 claim filing indicator. */
  claimFilingCode?: string;
  /** CAS claim-level adjustments by this payer. */
  adjustments: Adjustment[];
  /** AMT D: what this payer paid on the claim. */
  paidCents?: number;
  /** AMT A8: non-covered charges. */
  nonCoveredCents?: number;
  /** AMT EAF: remaining patient liability after this payer. */
  remainingPatientLiabilityCents?: number;
  /** OI03 benefits assignment certification (`Y`, `N`, `W`). */
  benefitsAssigned?: string;
  /** OI04 patient signature source (`P`). */
  patientSignatureSource?: string;
  /** OI06 release of information (`Y`, `I`). */
  releaseOfInformation?: string;
  /** MOA (837P) or MIA (837I): this payer's adjudication remarks. */
  adjudication?: AdjudicationInfo;
  /** 2330A NM1*IL: the other subscriber. */
  subscriber: OtherParty;
  /** 2330B NM1*PR: the other payer. */
  payer: OtherPayer;
  /** 2330C–G: the claim's providers as this payer knows them, in the order read (written in guide order). */
  providers?: OtherPayerProvider[];
}

/** 2430 line adjudication: what another payer did with a service line. */
export interface LineAdjudication {
  /** SVD01: the other payer, as its 2330B NM109. */
  payerId: string;
  /** SVD02: what it paid on the line. */
  paidCents: number;
  /** SVD03: the procedure as adjudicated. */
  procedure?: Procedure;
  /** SVD04: NUBC revenue code (institutional). */
  revenueCode?: string;
  /** SVD05: paid units. */
  units: number;
  /** SVD06: the line this one was bundled into. */
  bundledLineNumber?: number;
  /** CAS line adjustments. */
  adjustments: Adjustment[];
  /** DTP 573: adjudication or payment date. */
  paymentDate?: string;
  /** AMT EAF: remaining patient liability. */
  remainingPatientLiabilityCents?: number;
}

/** One service line (2400). */
export interface ServiceLine {
  /** SV101 (professional) or SV202 (institutional). */
  procedure?: Procedure;
  /** SV201 NUBC revenue code (institutional). */
  revenueCode?: string;
  chargeCents: number;
  /** SV103 / SV204: `UN` units, `MJ` minutes, `DA` days. */
  unitType: string;
  units: number;
  /** SV105 place of service when it differs from the claim. */
  placeOfService?: string;
  /** SV107: 1-based pointers into the claim's diagnoses. */
  diagnosisPointers: number[];
  /** DTP 472. */
  serviceDate?: DateRange;
  /** REF G1 at line level. */
  priorAuthorization?: string;
  /** REF 6R: echoed back in the 835 (REF 6R) and 277CA. */
  lineControlNumber?: string;
  /** 837P 2420A, 837I 2420C: NM1*82. */
  renderingProvider?: Provider;
  /** 837P 2420B: NM1*QB purchased service provider. */
  purchasedServiceProvider?: Provider;
  /** 837P 2420C: NM1*77 service facility location, when it differs from the claim's. */
  serviceFacility?: Provider;
  /** 837P 2420D: NM1*DQ supervising provider. */
  supervisingProvider?: Provider;
  /** 837P 2420E: NM1*DK ordering provider (DME, lab), with its address and contact (PER). */
  orderingProvider?: Provider;
  /** 837P 2420F, 837I 2420D: NM1*DN referring provider. */
  referringProvider?: Provider;
  /** 837P 2420F: NM1*P3 primary care provider. */
  primaryCareProvider?: Provider;
  /** 837I 2420A: NM1*72 operating physician. */
  operatingPhysician?: Provider;
  /** 837I 2420B: NM1*ZZ other operating physician. */
  otherOperatingPhysician?: Provider;
  drug?: DrugInfo;
  note?: string;
  /** CR1 (837P). */
  ambulanceTransport?: AmbulanceTransport;
  /** CR3 (837P). */
  dmeCertification?: DmeCertification;
  /** CRC ambulance certification, hospice employee and DME condition indicators (837P). */
  conditionIndicators?: ConditionIndicator[];
  /** 2420G NM1*PW ambulance pick-up location (837P). */
  ambulancePickup?: Address;
  /** 2420H NM1*45 ambulance drop-off location (837P), with the facility's name when given. */
  ambulanceDropoff?: AmbulanceDropoff;
  /** 2430 loops: the line as other payers adjudicated it. */
  adjudications?: LineAdjudication[];
  /** 2440 loops: DME forms (certificates of medical necessity, information forms) and their answers (837P). */
  forms?: LineForm[];
}

/** Institutional-only claim data (CL1). */
export interface AdmissionInfo {
  /** CL101 priority (type) of admission. */
  type?: string;
  /** CL102 point of origin. */
  source?: string;
  /** CL103 patient discharge status. */
  patientStatus?: string;
}

/** One claim (2300) with the parties above it in the hierarchy. */
export interface Claim {
  billingProvider: Provider;
  /** NM1*87 pay-to address when different from the billing provider's. */
  payToAddress?: Address;
  subscriber: Subscriber;
  payer: Payer;
  patient?: Patient;
  /** CLM01. */
  patientControlNumber: string;
  /** CLM02. */
  chargeCents: number;
  /** CLM05-1: place of service (837P) or facility type code (837I). */
  placeOfService: string;
  /** CLM05-3: `1` original, `7` replacement, `8` void. */
  frequencyCode: string;
  /** CLM06 provider signature on file. */
  providerSignature: boolean;
  /** CLM07 assignment / plan participation code (`A`, `B`, `C`). */
  assignmentCode?: string;
  /** CLM08 benefits assignment certification (`Y`, `N`, `W`). */
  benefitsAssigned?: string;
  /** CLM09 release of information (`Y`, `I`). */
  releaseOfInformation?: string;
  diagnoses: Diagnosis[];
  /** REF G1. */
  priorAuthorization?: string;
  /** REF 9F. */
  referralNumber?: string;
  /** REF F8: payer claim control number of the claim being replaced or voided. */
  originalClaimNumber?: string;
  /** DTP 434 statement period (institutional). */
  statementPeriod?: DateRange;
  /** DTP 435 admission date (institutional). */
  admissionDate?: string;
  admission?: AdmissionInfo;
  note?: string;
  /** 837P 2310A, 837I 2310F: NM1*DN. */
  referringProvider?: Provider;
  /** 837P 2310A: NM1*P3 primary care provider (the 2310A loop names a referring provider, a PCP or both). */
  primaryCareProvider?: Provider;
  /** 837P 2310B, 837I 2310D: NM1*82. */
  renderingProvider?: Provider;
  /** 837I 2310A: NM1*71 (PRV*AT taxonomy). */
  attendingProvider?: Provider;
  /** 837I 2310B: NM1*72 operating physician. */
  operatingPhysician?: Provider;
  /** 837I 2310C: NM1*ZZ other operating physician. */
  otherOperatingPhysician?: Provider;
  /** 837P 2310C, 837I 2310E: NM1*77 service facility location. */
  serviceFacility?: Provider;
  /** 837P 2310D: NM1*DQ supervising provider. */
  supervisingProvider?: Provider;
  /** CR1 (837P). */
  ambulanceTransport?: AmbulanceTransport;
  /** CR2 (837P). */
  spinalManipulation?: SpinalManipulation;
  /** CRC ambulance certification, vision, homebound and EPSDT referral indicators (837P). */
  conditionIndicators?: ConditionIndicator[];
  /** 2310E NM1*PW ambulance pick-up location (837P). */
  ambulancePickup?: Address;
  /** 2310F NM1*45 ambulance drop-off location (837P), with the facility's name when given. */
  ambulanceDropoff?: AmbulanceDropoff;
  /** 2320 loops: the other payers' coverage and adjudication of the claim. */
  otherPayers?: OtherPayerCoverage[];
  lines: ServiceLine[];
}

/** A typed 837 transaction set. */
export interface ClaimSubmission extends BeginningOfTransaction {
  /** Dental 837s are read (SV3 lines) but only professional and institutional are built. */
  kind: 'professional' | 'institutional' | 'dental';
  /** BHT06: `CH` chargeable, `RP` reporting (encounter). */
  claimType: string;
  submitter: Entity & { contact?: ContactInfo };
  receiver: Entity;
  claims: Claim[];
}

const PROFESSIONAL_REF = '005010X222A1';
const INSTITUTIONAL_REF = '005010X223A2';
type ClaimProviderField =
  | 'referringProvider'
  | 'primaryCareProvider'
  | 'renderingProvider'
  | 'attendingProvider'
  | 'operatingPhysician'
  | 'otherOperatingPhysician'
  | 'serviceFacility'
  | 'supervisingProvider';
/**
 * The 2310 provider loops by NM101, in each guide's order (837D: its referring, rendering, facility and
 * supervising loops).
 */
const PROFESSIONAL_CLAIM_PROVIDERS: readonly [string, ClaimProviderField][] = [
  ['DN', 'referringProvider'],
  ['P3', 'primaryCareProvider'],
  ['82', 'renderingProvider'],
  ['77', 'serviceFacility'],
  ['DQ', 'supervisingProvider'],
];
const INSTITUTIONAL_CLAIM_PROVIDERS: readonly [string, ClaimProviderField][] = [
  ['71', 'attendingProvider'],
  ['72', 'operatingPhysician'],
  ['ZZ', 'otherOperatingPhysician'],
  ['82', 'renderingProvider'],
  ['77', 'serviceFacility'],
  ['DN', 'referringProvider'],
];
/** A guide's [NM101, field] list as a lookup by NM101. */
const byCode = <F>(order: readonly [string, F][]) => Object.fromEntries(order) as Record<string, F>;
const PROFESSIONAL_CLAIM_PROVIDER_ROLES = byCode(PROFESSIONAL_CLAIM_PROVIDERS);
const INSTITUTIONAL_CLAIM_PROVIDER_ROLES = byCode(INSTITUTIONAL_CLAIM_PROVIDERS);
type LineProviderField =
  | 'renderingProvider'
  | 'purchasedServiceProvider'
  | 'serviceFacility'
  | 'supervisingProvider'
  | 'orderingProvider'
  | 'referringProvider'
  | 'primaryCareProvider'
  | 'operatingPhysician'
  | 'otherOperatingPhysician';
/** The 2420 provider loops by NM101, in each guide's order (837P 2420A-F, 837I 2420A-D). */
const PROFESSIONAL_LINE_PROVIDERS: readonly [string, LineProviderField][] = [
  ['82', 'renderingProvider'],
  ['QB', 'purchasedServiceProvider'],
  ['77', 'serviceFacility'],
  ['DQ', 'supervisingProvider'],
  ['DK', 'orderingProvider'],
  ['DN', 'referringProvider'],
  ['P3', 'primaryCareProvider'],
];
const INSTITUTIONAL_LINE_PROVIDERS: readonly [string, LineProviderField][] = [
  ['72', 'operatingPhysician'],
  ['ZZ', 'otherOperatingPhysician'],
  ['82', 'renderingProvider'],
  ['DN', 'referringProvider'],
];
const PROFESSIONAL_LINE_PROVIDER_ROLES = byCode(PROFESSIONAL_LINE_PROVIDERS);
const INSTITUTIONAL_LINE_PROVIDER_ROLES = byCode(INSTITUTIONAL_LINE_PROVIDERS);
/** NM101 codes of the 2330C–G (837P) and 2330C–I (837I) loops, in each guide's order. */
const PROFESSIONAL_OTHER_PAYER_PROVIDERS: readonly [string, OtherPayerProviderRole][] = [
  ['DN', 'referring'],
  ['82', 'rendering'],
  ['77', 'serviceFacility'],
  ['DQ', 'supervising'],
  ['85', 'billing'],
];
const INSTITUTIONAL_OTHER_PAYER_PROVIDERS: readonly [string, OtherPayerProviderRole][] = [
  ['71', 'attending'],
  ['72', 'operating'],
  ['ZZ', 'otherOperating'],
  ['77', 'serviceFacility'],
  ['82', 'rendering'],
  ['DN', 'referring'],
  ['85', 'billing'],
];
const PROFESSIONAL_OTHER_PAYER_PROVIDER_ROLES = byCode(PROFESSIONAL_OTHER_PAYER_PROVIDERS);
const INSTITUTIONAL_OTHER_PAYER_PROVIDER_ROLES = byCode(INSTITUTIONAL_OTHER_PAYER_PROVIDERS);
const DIAGNOSIS_QUALIFIERS = new Set(['ABK', 'ABF', 'ABJ', 'ABN', 'APR', 'BK', 'BF', 'BJ', 'BN', 'PR']);

/** Which 837 flavour a transaction set is: service line segments first, then CLM05-2, then the guide id. */
export function claimKind(
  t: SegmentTable,
  start: number,
  end: number,
  reference: string,
): '837P' | '837I' | '837D' {
  for (let i = start; i < end; i++) {
    const id = t.id(i);
    if (id === 'SV1') return '837P';
    if (id === 'SV2') return '837I';
    if (id === 'SV3' || id === 'TOO') return '837D';
    if (id === 'CLM') {
      const q = t.comp(i, 5, 2);
      if (q === 'A') return '837I';
      if (q === 'B' && !reference.includes('X223') && !reference.includes('X224')) return '837P';
    }
  }
  if (reference.includes('X223') || reference.includes('X096')) return '837I';
  if (reference.includes('X224') || reference.includes('X097')) return '837D';
  return '837P';
}

/** Parses every 837P in a document. */
export function parse837P(input: X12Input, options: ParseOptions = {}): Parsed<ClaimSubmission> {
  return parseTyped(input, options, (c) => accepts(c, '837P'), mapClaims, '837P');
}

/** Parses every 837I in a document. */
export function parse837I(input: X12Input, options: ParseOptions = {}): Parsed<ClaimSubmission> {
  return parseTyped(input, options, (c) => accepts(c, '837I'), mapClaims, '837I');
}

/** Parses every 837 (professional, institutional or dental) in a document. */
export function parse837(input: X12Input, options: ParseOptions = {}): Parsed<ClaimSubmission> {
  return parseTyped(input, options, (c) => c.tx.id === '837', mapClaims, '837');
}

function accepts(c: MapContext, kind: string): boolean {
  return c.tx.id === '837' && claimKind(c.t, c.tx.start, c.tx.end, c.tx.implementationReference) === kind;
}

/** A claim (2310E/F) or a service line (2420G/H) with ambulance locations. */
type AmbulanceLocations = Pick<Claim, 'ambulancePickup' | 'ambulanceDropoff'>;

type Section =
  | 'header'
  | 'billing'
  | 'payTo'
  | 'subscriber'
  | 'payer'
  | 'patient'
  | 'claim'
  | 'cob'
  | 'line'
  | 'lineCob'
  | 'lineForm';

// The objects a claim's segments fill in one at a time (see `plainObjects`).
const newParty = plainObjects(function (this: Provider) {
  this.type = 'organization';
  this.name = '';
});
/** A subscriber from its SBR: responsibility, relationship, group number and name, claim filing code. */
const newSubscriber = plainObjects(function (
  this: Subscriber,
  payerResponsibility: string,
  relationship: string,
  groupNumber: string,
  groupName: string,
  claimFilingCode: string,
) {
  this.type = 'person';
  this.name = '';
  this.payerResponsibility = payerResponsibility;
  if (relationship !== '') this.relationship = relationship;
  if (groupNumber !== '') this.groupNumber = groupNumber;
  if (groupName !== '') this.groupName = groupName;
  if (claimFilingCode !== '') this.claimFilingCode = claimFilingCode;
});
const newPatient = plainObjects(function (this: Patient) {
  this.type = 'person';
  this.name = '';
  this.relationship = '';
});
const newAddress = plainObjects(function (this: Address) {
  this.line1 = '';
  this.city = '';
});
const newLine = plainObjects(function (this: ServiceLine) {
  this.chargeCents = 0;
  this.unitType = '';
  this.units = 0;
  this.diagnosisPointers = [];
});
const newClaim = plainObjects(function (
  this: Claim,
  billingProvider: Provider,
  subscriber: Subscriber,
  payer: Payer,
  patientControlNumber: string,
  chargeCents: number,
  placeOfService: string,
  frequencyCode: string,
  providerSignature: boolean,
) {
  this.billingProvider = billingProvider;
  this.subscriber = subscriber;
  this.payer = payer;
  this.patientControlNumber = patientControlNumber;
  this.chargeCents = chargeCents;
  this.placeOfService = placeOfService;
  this.frequencyCode = frequencyCode;
  this.providerSignature = providerSignature;
  this.diagnoses = [];
  this.lines = [];
});

/** Maps one 837 transaction set; claims share the provider/subscriber objects of their hierarchy. */
export function mapClaims(ctx: MapContext): ClaimSubmission {
  const { t, tx } = ctx;
  const flavour = claimKind(t, tx.start, tx.end, tx.implementationReference);
  const kind = flavour === '837I' ? 'institutional' : flavour === '837D' ? 'dental' : 'professional';
  const claimProviderRoles =
    kind === 'institutional' ? INSTITUTIONAL_CLAIM_PROVIDER_ROLES : PROFESSIONAL_CLAIM_PROVIDER_ROLES;
  const lineProviderRoles =
    kind === 'institutional' ? INSTITUTIONAL_LINE_PROVIDER_ROLES : PROFESSIONAL_LINE_PROVIDER_ROLES;
  const otherPayerProviderRoles =
    kind === 'institutional'
      ? INSTITUTIONAL_OTHER_PAYER_PROVIDER_ROLES
      : PROFESSIONAL_OTHER_PAYER_PROVIDER_ROLES;
  const doc: ClaimSubmission = {
    kind,
    claimType: '',
    referenceId: '',
    date: '',
    time: '',
    submitter: { type: 'organization', name: '' },
    receiver: { type: 'organization', name: '' },
    claims: [],
  };
  let section: Section = 'header';
  let billing: Provider = { type: 'organization', name: '' };
  let payTo: Address | undefined;
  let subscriber: Subscriber = { type: 'person', name: '', payerResponsibility: '' };
  let payer: Payer = { type: 'organization', name: '' };
  let patient: Patient | undefined;
  let claim: Claim | null = null;
  let line: ServiceLine | null = null;
  /** The open 2320 loop, its open 2330A/B party, and the open 2430 loop. */
  let cob: OtherPayerCoverage | null = null;
  let cobParty: { references: Reference[] } | null = null;
  /** The open 2310E/F or 2420G/H ambulance location: the N3/N4 that follow are its address. */
  let place: Address | null = null;
  let adjudication: LineAdjudication | null = null;
  /** The open 2440 loop: the FRM segments that follow are its answers. */
  let form: LineForm | null = null;
  /** The party the next N3/N4/REF/PRV/PER/DMG belongs to. */
  let target: (Entity & { address?: Address; taxonomy?: string; contact?: ContactInfo }) | null = null;
  let billingHl = -1;
  let sawBillingName = false;
  const open = new OpenClaim();
  for (let i = tx.start + 1; i < tx.end; i++) {
    const id = t.id(i);
    switch (id) {
      case 'BHT':
        Object.assign(doc, readBht(t, i));
        doc.claimType = t.el(i, 6);
        break;
      case 'HL': {
        const level = t.el(i, 3);
        if (claim) open.close(claim);
        claim = null;
        line = null;
        target = null;
        place = null;
        if (level === '20') {
          if (billingHl >= 0 && !sawBillingName) missingBilling(ctx, billingHl);
          billingHl = i;
          sawBillingName = false;
          section = 'billing';
          billing = newParty();
          payTo = undefined;
        } else if (level === '22') {
          section = 'subscriber';
          subscriber = newSubscriber('', '', '', '', '');
          payer = newParty();
          patient = undefined;
        } else if (level === '23') {
          section = 'patient';
          patient = newPatient();
        }
        break;
      }
      case 'PRV':
        if (section === 'billing') billing.taxonomy = t.el(i, 3);
        else if (target && (section === 'claim' || section === 'line')) target.taxonomy = t.el(i, 3);
        break;
      case 'SBR':
        if (section === 'subscriber' && subscriber.name === '' && subscriber.id === undefined) {
          // The usual order (SBR right after its HL): the subscriber is made from it, sized for what follows.
          subscriber = newSubscriber(t.el(i, 1), t.el(i, 2), t.el(i, 3), t.el(i, 4), t.el(i, 9));
        } else if (section === 'subscriber') {
          subscriber.payerResponsibility = t.el(i, 1);
          const relationship = t.el(i, 2);
          if (relationship !== '') subscriber.relationship = relationship;
          const groupNumber = t.el(i, 3);
          if (groupNumber !== '') subscriber.groupNumber = groupNumber;
          const groupName = t.el(i, 4);
          if (groupName !== '') subscriber.groupName = groupName;
          const claimFilingCode = t.el(i, 9);
          if (claimFilingCode !== '') subscriber.claimFilingCode = claimFilingCode;
        } else if (claim && (section === 'claim' || section === 'cob')) {
          section = 'cob';
          target = null;
          cobParty = null;
          cob = readOtherPayerCoverage(t, i);
          open.openOtherPayer(cob);
        }
        break;
      case 'PAT':
        if (section === 'patient' && patient) patient.relationship = t.el(i, 1);
        break;
      case 'NM1': {
        const code = t.el(i, 1);
        target = null;
        place = null;
        if (section === 'header') {
          if (code === '41')
            doc.submitter = {
              ...readEntity(t, i),
              ...(doc.submitter.contact ? { contact: doc.submitter.contact } : {}),
            };
          else if (code === '40') doc.receiver = readEntity(t, i);
        } else if (section === 'cob') {
          if (!cob) cobParty = null;
          else if (code === 'IL' || code === 'PR') {
            const party = code === 'IL' ? cob.subscriber : cob.payer;
            assignEntity(party, t, i);
            cobParty = party;
            target = party;
          } else {
            // 2330C–G (837P), 2330C–I (837I): entity type and REF secondary ids only.
            const role = otherPayerProviderRoles[code];
            if (role) {
              const provider: OtherPayerProvider = {
                role,
                type: t.el(i, 2) === '1' ? 'person' : 'organization',
                references: [],
              };
              if (cob.providers) cob.providers.push(provider);
              else cob.providers = [provider];
              cobParty = provider;
            } else cobParty = null;
          }
        } else if (section === 'lineCob' && !(line && lineProviderRoles[code])) {
          // No names in a 2430 loop.
        } else if (code === '85') {
          assignEntity(billing, t, i);
          target = billing;
          sawBillingName = true;
        } else if (code === '87') {
          section = 'payTo';
          payTo = newAddress();
        } else if (code === 'IL' && section === 'subscriber') {
          assignEntity(subscriber, t, i);
          target = subscriber;
        } else if (code === 'PR' && (section === 'subscriber' || section === 'payer')) {
          assignEntity(payer, t, i);
          section = 'payer';
          target = payer;
        } else if (code === 'QC' && patient) {
          assignEntity(patient, t, i);
          target = patient;
        } else if (section === 'claim' && claim) {
          const role = claimProviderRoles[code];
          if (role) {
            const provider: Provider = readEntity(t, i);
            claim[role] = provider;
            target = provider;
            place = null;
          } else if (code === 'PW' || code === '45') place = openAmbulanceLocation(t, i, code, claim);
        } else if ((section === 'line' || section === 'lineCob') && line) {
          const role = lineProviderRoles[code];
          if (role) {
            // After a 2430 loop (which has no names) this is the line's 2420 loop, written out of the guide's order.
            section = 'line';
            adjudication = null;
            const provider: Provider = readEntity(t, i);
            line[role] = provider;
            target = provider;
            place = null;
          } else if (code === 'PW' || code === '45') place = openAmbulanceLocation(t, i, code, line);
        }
        break;
      }
      case 'N3':
      case 'N4': {
        if (target && section !== 'payTo' && !target.address) target.address = newAddress();
        const address =
          section === 'payTo'
            ? payTo
            : place !== null && (section === 'claim' || section === 'line')
              ? place
              : target?.address;
        if (!address) break;
        if (id === 'N3') {
          address.line1 = t.el(i, 1);
          put(address, 'line2', t.el(i, 2));
        } else readCity(t, i, address);
        break;
      }
      case 'DMG':
        if (target === subscriber || (patient && target === patient)) {
          const person = target as Subscriber | Patient;
          const dateOfBirth = dateAt(t, i, 2);
          if (dateOfBirth !== undefined) person.dateOfBirth = dateOfBirth;
          const gender = t.el(i, 3);
          if (gender !== '') person.gender = gender;
        }
        break;
      case 'PER':
        if (section === 'header') doc.submitter.contact = readContactInfo(t, i);
        else if (section === 'billing' && target === billing) billing.contact = readContactInfo(t, i);
        // A claim or line provider loop's contact (2310C service facility, 2420E ordering provider).
        else if ((section === 'claim' || section === 'line') && target !== null && place === null)
          target.contact = readContactInfo(t, i);
        break;
      case 'REF': {
        const q = t.el(i, 1);
        const v = t.el(i, 2);
        if (section === 'billing' && target === billing && q === 'EI') billing.taxId = v;
        else if (section === 'claim' && claim && target === null) {
          if (q === 'G1') claim.priorAuthorization = v;
          else if (q === '9F') claim.referralNumber = v;
          else if (q === 'F8') claim.originalClaimNumber = v;
        } else if (section === 'line' && line && target === null) {
          if (q === '6R') line.lineControlNumber = v;
          else if (q === 'G1') line.priorAuthorization = v;
        } else if ((section === 'claim' || section === 'line') && target !== null && place === null) {
          // A 2310 or 2420 provider's secondary id.
          const provider = target as Provider;
          if (provider.references) provider.references.push({ qualifier: q, value: v });
          else provider.references = [{ qualifier: q, value: v }];
        } else if (section === 'cob' && cobParty) cobParty.references.push({ qualifier: q, value: v });
        break;
      }
      case 'CLM':
        if (billingHl >= 0 && !sawBillingName) {
          missingBilling(ctx, billingHl);
          billingHl = -1;
        }
        section = 'claim';
        target = null;
        place = null;
        line = null;
        if (claim) open.close(claim);
        claim = readClm(ctx, i, { billing, payTo, subscriber, payer, patient });
        doc.claims.push(claim);
        break;
      case 'DTP':
        if (section === 'claim' && claim) {
          const q = t.el(i, 1);
          const range = dtpRange(t, i);
          if (q === '434' && range) claim.statementPeriod = range;
          else if (q === '435') put(claim, 'admissionDate', dateAt(t, i, 3));
        } else if (section === 'line' && line && t.el(i, 1) === '472') {
          put(line, 'serviceDate', dtpRange(t, i));
        } else if (t.el(i, 1) === '573') {
          if (section === 'cob' && cob && cobParty === cob.payer)
            put(cob.payer, 'paymentDate', dateAt(t, i, 3));
          else if (section === 'lineCob' && adjudication) put(adjudication, 'paymentDate', dateAt(t, i, 3));
        }
        break;
      case 'CL1':
        if (claim) {
          const a: AdmissionInfo = {};
          put(a, 'type', t.el(i, 1));
          put(a, 'source', t.el(i, 2));
          put(a, 'patientStatus', t.el(i, 3));
          claim.admission = a;
        }
        break;
      case 'HI':
        if (claim && section === 'claim') readDiagnoses(t, i, open.diagnoses);
        break;
      case 'NTE':
        if (section === 'line' && line) line.note = t.el(i, 2);
        else if (section === 'claim' && claim) claim.note = t.el(i, 2);
        break;
      case 'LX':
        if (!claim) break;
        section = 'line';
        target = null;
        place = null;
        cob = null;
        adjudication = null;
        line = newLine();
        open.openLine(line);
        break;
      case 'SV1':
        if (line) readSv1(ctx, i, line);
        break;
      case 'SV2':
        if (line) readSv2(ctx, i, line);
        break;
      case 'SV3':
        if (line) {
          line.procedure = readProcedure(t, i, 1);
          line.chargeCents = centsOr0(ctx, i, 2);
          line.unitType = 'UN';
          line.units = decimal(t, i, 6) ?? 1;
        }
        break;
      case 'LIN':
        if (line && section === 'line') line.drug = { ndc: t.el(i, 3), quantity: 0, unit: '' };
        break;
      case 'CTP':
        if (line?.drug && section === 'line') {
          line.drug.quantity = decimal(t, i, 4) ?? 0;
          line.drug.unit = t.comp(i, 5, 1);
        }
        break;
      case 'SVD':
        section = 'lineCob';
        target = null;
        adjudication = line ? readSvd(ctx, i) : null;
        if (adjudication) open.openAdjudication(adjudication);
        break;
      case 'LQ':
        if (!line || (section !== 'line' && section !== 'lineCob' && section !== 'lineForm')) break;
        section = 'lineForm';
        target = null;
        form = { type: t.el(i, 1), id: t.el(i, 2), answers: [] };
        if (line.forms) line.forms.push(form);
        else line.forms = [form];
        break;
      case 'FRM':
        if (section === 'lineForm' && form) form.answers.push(readFrm(t, i));
        break;
      case 'CAS':
        if (section === 'cob' || section === 'lineCob') open.addAdjustments(ctx, i);
        break;
      case 'AMT':
        if (section === 'cob' && cob) readOtherPayerAmount(ctx, i, cob);
        else if (section === 'lineCob' && adjudication && t.el(i, 1) === 'EAF')
          put(adjudication, 'remainingPatientLiabilityCents', cents(ctx, i, 2));
        break;
      case 'OI':
        if (section === 'cob' && cob) {
          put(cob, 'benefitsAssigned', t.el(i, 3));
          put(cob, 'patientSignatureSource', t.el(i, 4));
          put(cob, 'releaseOfInformation', t.el(i, 6));
        }
        break;
      case 'MOA':
      case 'MIA':
        if (section === 'cob' && cob) cob.adjudication = readAdjudication(ctx, i);
        break;
      case 'CR1':
        if (section === 'claim' && claim) claim.ambulanceTransport = readCr1(t, i);
        else if (section === 'line' && line) line.ambulanceTransport = readCr1(t, i);
        break;
      case 'CR2':
        if (section === 'claim' && claim) claim.spinalManipulation = readCr2(t, i);
        break;
      case 'CR3':
        if (section === 'line' && line) line.dmeCertification = readCr3(t, i);
        break;
      case 'CRC': {
        const owner = section === 'claim' ? claim : section === 'line' ? line : null;
        if (!owner) break;
        const indicator = readCrc(t, i);
        if (owner.conditionIndicators) owner.conditionIndicators.push(indicator);
        else owner.conditionIndicators = [indicator];
        break;
      }
    }
  }
  if (claim) open.close(claim);
  if (billingHl >= 0 && !sawBillingName) missingBilling(ctx, billingHl);
  return doc;
}

/** The lists of the open claim, gathered until it closes (see `Collector`). */
class OpenClaim {
  readonly diagnoses = new Collector<Diagnosis>();
  private readonly lines = new Collector<ServiceLine>();
  private readonly otherPayers = new Collector<OtherPayerCoverage>();
  /** 2430 loops of the open line. */
  private readonly adjudications = new Collector<LineAdjudication>();
  /** CAS of the open 2320 or 2430 loop. */
  private readonly adjustments = new Collector<Adjustment>();
  private line: ServiceLine | null = null;
  /** The open 2320 or 2430 loop: the CAS segments read belong to it. */
  private adjusted: OtherPayerCoverage | LineAdjudication | null = null;

  openLine(line: ServiceLine): void {
    this.closeLine();
    this.line = line;
    this.lines.add(line);
  }

  openOtherPayer(coverage: OtherPayerCoverage): void {
    this.closeAdjusted();
    this.adjusted = coverage;
    this.otherPayers.add(coverage);
  }

  openAdjudication(adjudication: LineAdjudication): void {
    this.closeAdjusted();
    this.adjusted = adjudication;
    this.adjudications.add(adjudication);
  }

  /** Reads a CAS into the open 2320 or 2430 loop (none open: not typed). */
  addAdjustments(ctx: MapContext, i: number): void {
    if (this.adjusted !== null) readCas(ctx, i, this.adjustments);
  }

  /** The claim loop is complete: it gets its lists. */
  close(claim: Claim): void {
    this.closeLine();
    claim.diagnoses = this.diagnoses.take(claim.diagnoses);
    claim.lines = this.lines.take(claim.lines);
    if (this.otherPayers.length > 0) claim.otherPayers = this.otherPayers.take();
  }

  private closeAdjusted(): void {
    const loop = this.adjusted;
    if (loop === null) return;
    loop.adjustments = this.adjustments.take(loop.adjustments);
    this.adjusted = null;
  }

  private closeLine(): void {
    this.closeAdjusted();
    const line = this.line;
    if (line !== null && this.adjudications.length > 0) line.adjudications = this.adjudications.take();
    this.line = null;
  }
}

function missingBilling(ctx: MapContext, hl: number): void {
  ctx.sink.add('MISSING_SEGMENT', 'billing provider loop (HL 20) has no NM1*85 billing provider name', hl);
}

function readContactInfo(t: SegmentTable, i: number): ContactInfo {
  const c: ContactInfo = {};
  put(c, 'name', t.el(i, 2));
  for (let j = 3; j <= 7; j += 2) {
    const q = t.el(i, j);
    if (q === 'TE' && !c.phone) c.phone = t.el(i, j + 1);
    else if (q === 'EM' && !c.email) c.email = t.el(i, j + 1);
  }
  return c;
}

interface Parties {
  billing: Provider;
  payTo: Address | undefined;
  subscriber: Subscriber;
  payer: Payer;
  patient: Patient | undefined;
}

function readClm(ctx: MapContext, i: number, p: Parties): Claim {
  const t = ctx.t;
  const claim = newClaim(
    p.billing,
    p.subscriber,
    p.payer,
    t.el(i, 1),
    centsOr0(ctx, i, 2),
    t.comp(i, 5, 1),
    t.comp(i, 5, 3),
    t.el(i, 6) === 'Y',
  );
  if (p.payTo) claim.payToAddress = p.payTo;
  if (p.patient) claim.patient = p.patient;
  const assignmentCode = t.el(i, 7);
  if (assignmentCode !== '') claim.assignmentCode = assignmentCode;
  const benefitsAssigned = t.el(i, 8);
  if (benefitsAssigned !== '') claim.benefitsAssigned = benefitsAssigned;
  const releaseOfInformation = t.el(i, 9);
  if (releaseOfInformation !== '') claim.releaseOfInformation = releaseOfInformation;
  return claim;
}

function readDiagnoses(t: SegmentTable, i: number, into: Collector<Diagnosis>): void {
  const n = t.elementCount(i);
  for (let j = 1; j <= n; j++) {
    const qualifier = t.comp(i, j, 1);
    if (!DIAGNOSIS_QUALIFIERS.has(qualifier)) continue;
    into.add({ qualifier, code: t.comp(i, j, 2) });
  }
}

function readSv1(ctx: MapContext, i: number, line: ServiceLine): void {
  const t = ctx.t;
  line.procedure = readProcedure(t, i, 1);
  line.chargeCents = centsOr0(ctx, i, 2);
  line.unitType = t.el(i, 3);
  line.units = decimal(t, i, 4) ?? 0;
  const placeOfService = t.el(i, 5);
  if (placeOfService !== '') line.placeOfService = placeOfService;
  line.diagnosisPointers = pointers(t, i, 7);
}

/** SBR of a 2320 loop; its parties fill in from the 2330A and 2330B names that follow. */
function readOtherPayerCoverage(t: SegmentTable, i: number): OtherPayerCoverage {
  const coverage: OtherPayerCoverage = {
    payerResponsibility: t.el(i, 1),
    relationship: t.el(i, 2),
    adjustments: [],
    subscriber: { type: 'person', name: '', references: [] },
    payer: { type: 'organization', name: '', references: [] },
  };
  put(coverage, 'groupNumber', t.el(i, 3));
  put(coverage, 'groupName', t.el(i, 4));
  put(coverage, 'insuranceType', t.el(i, 5));
  put(coverage, 'claimFilingCode', t.el(i, 9));
  return coverage;
}

/** AMT of a 2320 loop: D payer paid, A8 non-covered, EAF remaining patient liability. */
function readOtherPayerAmount(ctx: MapContext, i: number, coverage: OtherPayerCoverage): void {
  const q = ctx.t.el(i, 1);
  const amount = cents(ctx, i, 2);
  if (q === 'D') put(coverage, 'paidCents', amount);
  else if (q === 'A8') put(coverage, 'nonCoveredCents', amount);
  else if (q === 'EAF') put(coverage, 'remainingPatientLiabilityCents', amount);
}

function readSvd(ctx: MapContext, i: number): LineAdjudication {
  const t = ctx.t;
  const a: LineAdjudication = {
    payerId: t.el(i, 1),
    paidCents: centsOr0(ctx, i, 2),
    units: decimal(t, i, 5) ?? 0,
    adjustments: [],
  };
  if (t.has(i, 3)) a.procedure = readProcedure(t, i, 3);
  put(a, 'revenueCode', t.el(i, 4));
  put(a, 'bundledLineNumber', decimal(t, i, 6));
  return a;
}

function readCr1(t: SegmentTable, i: number): AmbulanceTransport {
  const a: AmbulanceTransport = { reasonCode: t.el(i, 4), distanceMiles: decimal(t, i, 6) ?? 0 };
  put(a, 'patientWeightLbs', decimal(t, i, 2));
  put(a, 'roundTripPurpose', t.el(i, 9));
  put(a, 'stretcherPurpose', t.el(i, 10));
  return a;
}

function readCr2(t: SegmentTable, i: number): SpinalManipulation {
  const s: SpinalManipulation = { patientCondition: t.el(i, 8) };
  put(s, 'description', t.el(i, 10));
  put(s, 'additionalDescription', t.el(i, 11));
  return s;
}

function readCr3(t: SegmentTable, i: number): DmeCertification {
  return { type: t.el(i, 1), durationMonths: decimal(t, i, 3) ?? 0 };
}

function readCrc(t: SegmentTable, i: number): ConditionIndicator {
  const conditions: string[] = [];
  for (let j = 3; j <= 7; j++) if (t.has(i, j)) conditions.push(t.el(i, j));
  return { category: t.el(i, 1), applies: t.el(i, 2) === 'Y', conditions };
}

function readFrm(t: SegmentTable, i: number): FormAnswer {
  const a: FormAnswer = { question: t.el(i, 1) };
  put(a, 'yesNo', t.el(i, 2));
  put(a, 'text', t.el(i, 3));
  put(a, 'date', dateAt(t, i, 4));
  put(a, 'percent', decimal(t, i, 5));
  return a;
}

/** NM1*PW pick-up or NM1*45 drop-off (2310E/F, 2420G/H): the location's address, for the N3/N4 that follow. */
function openAmbulanceLocation(t: SegmentTable, i: number, code: string, owner: AmbulanceLocations): Address {
  const place = newAddress();
  if (code === 'PW') owner.ambulancePickup = place;
  else {
    const name = t.el(i, 3);
    owner.ambulanceDropoff = name === '' ? { address: place } : { name, address: place };
  }
  return place;
}

function readSv2(ctx: MapContext, i: number, line: ServiceLine): void {
  const t = ctx.t;
  put(line, 'revenueCode', t.el(i, 1));
  if (t.has(i, 2)) line.procedure = readProcedure(t, i, 2);
  line.chargeCents = centsOr0(ctx, i, 3);
  line.unitType = t.el(i, 4);
  line.units = decimal(t, i, 5) ?? 0;
}

/** Reused by `pointers` (mapping is synchronous, one transaction set at a time). */
const POINTERS = new Collector<number>();

function pointers(t: SegmentTable, i: number, j: number): number[] {
  const out = POINTERS;
  if (!t.has(i, j)) return [];
  const bytes = t.bytes;
  const end = t.elementEnd(i, j);
  let n = -1;
  for (let p = t.elementStart(i, j); p <= end; p++) {
    const b = p < end ? bytes[p]! : t.separators.component;
    if (b >= 0x30 && b <= 0x39) n = (n < 0 ? 0 : n * 10) + b - 0x30;
    else if (b === t.separators.component) {
      if (n >= 0) out.add(n);
      n = -1;
    } else break;
  }
  return out.take();
}

/** Segments of an 837 body (between ST and SE), grouping consecutive claims under shared HL levels. */
export function claimSegments(doc: ClaimSubmission): SegmentData[] {
  const institutional = doc.kind === 'institutional';
  const out: SegmentData[] = [
    ['BHT', '0019', '00', doc.referenceId, x12Date(doc.date), x12Time(doc.time), doc.claimType],
    nm1('41', doc.submitter),
  ];
  if (doc.submitter.contact) out.push(perSegment(doc.submitter.contact));
  out.push(nm1('40', doc.receiver));
  let hl = 0;
  let billingKey = '';
  let subscriberKey = '';
  let patientKey = '';
  let billingHl = 0;
  let subscriberHl = 0;
  for (const claim of doc.claims) {
    const bKey = JSON.stringify([claim.billingProvider, claim.payToAddress]);
    const sKey = JSON.stringify([claim.subscriber, claim.payer]);
    const pKey = JSON.stringify(claim.patient ?? null);
    if (bKey !== billingKey) {
      billingKey = bKey;
      subscriberKey = '';
      billingHl = ++hl;
      out.push(['HL', String(billingHl), '', '20', '1']);
      out.push(...billingSegments(claim));
    }
    if (sKey !== subscriberKey) {
      subscriberKey = sKey;
      patientKey = '';
      subscriberHl = ++hl;
      out.push(['HL', String(subscriberHl), String(billingHl), '22', claim.patient ? '1' : '0']);
      out.push(...subscriberSegments(claim));
    }
    if (claim.patient && pKey !== patientKey) {
      patientKey = pKey;
      out.push(['HL', String(++hl), String(subscriberHl), '23', '0']);
      out.push(['PAT', claim.patient.relationship]);
      out.push(nm1('QC', claim.patient), ...addressSegments(claim.patient.address));
      out.push(...dmgSegments(claim.patient));
    }
    out.push(...claimBody(claim, institutional));
  }
  return out;
}

function perSegment(c: ContactInfo): SegmentData {
  const numbers: string[] = [];
  if (c.phone) numbers.push('TE', c.phone);
  if (c.email) numbers.push('EM', c.email);
  return ['PER', 'IC', c.name ?? '', ...numbers];
}

function billingSegments(claim: Claim): SegmentData[] {
  const b = claim.billingProvider;
  const out: SegmentData[] = [];
  if (b.taxonomy) out.push(['PRV', 'BI', 'PXC', b.taxonomy]);
  out.push(nm1('85', b), ...addressSegments(b.address));
  if (b.taxId) out.push(['REF', 'EI', b.taxId]);
  if (b.contact) out.push(perSegment(b.contact));
  if (claim.payToAddress) out.push(['NM1', '87', '2'], ...addressSegments(claim.payToAddress));
  return out;
}

function subscriberSegments(claim: Claim): SegmentData[] {
  const s = claim.subscriber;
  const out: SegmentData[] = [
    [
      'SBR',
      s.payerResponsibility,
      s.relationship ?? '',
      s.groupNumber ?? '',
      s.groupName ?? '',
      '',
      '',
      '',
      '',
      s.claimFilingCode ?? '',
    ],
    nm1('IL', s),
    ...addressSegments(s.address),
    ...dmgSegments(s),
    nm1('PR', claim.payer),
    ...addressSegments(claim.payer.address),
  ];
  return out;
}

function providerSegments(code: string, p: Provider | undefined): SegmentData[] {
  if (!p) return [];
  const out: SegmentData[] = [nm1(code, p)];
  // PRV01: AT for the attending provider (837I 2310A), PE (performing) for the others.
  if (p.taxonomy) out.push(['PRV', code === '71' ? 'AT' : 'PE', 'PXC', p.taxonomy]);
  out.push(...addressSegments(p.address));
  if (p.references) out.push(...referenceSegments(p.references));
  if (p.contact) out.push(perSegment(p.contact));
  return out;
}

function claimBody(claim: Claim, institutional: boolean): SegmentData[] {
  const out: SegmentData[] = [
    [
      'CLM',
      claim.patientControlNumber,
      formatCents(claim.chargeCents),
      '',
      '',
      [claim.placeOfService, institutional ? 'A' : 'B', claim.frequencyCode],
      claim.providerSignature ? 'Y' : 'N',
      claim.assignmentCode ?? '',
      claim.benefitsAssigned ?? '',
      claim.releaseOfInformation ?? '',
    ],
  ];
  if (claim.statementPeriod) out.push(dtp('434', claim.statementPeriod));
  if (claim.admissionDate) out.push(['DTP', '435', 'D8', x12Date(claim.admissionDate)]);
  if (claim.admission) {
    const a = claim.admission;
    out.push(['CL1', a.type ?? '', a.source ?? '', a.patientStatus ?? '']);
  }
  if (claim.originalClaimNumber) out.push(['REF', 'F8', claim.originalClaimNumber]);
  if (claim.priorAuthorization) out.push(['REF', 'G1', claim.priorAuthorization]);
  if (claim.referralNumber) out.push(['REF', '9F', claim.referralNumber]);
  if (claim.note) out.push(['NTE', 'ADD', claim.note]);
  // CR1, CR2 and CR3 are 837P segments; an 837I carries only the claim's EPSDT referral CRC (category ZZ).
  if (!institutional) {
    if (claim.ambulanceTransport) out.push(cr1(claim.ambulanceTransport));
    if (claim.spinalManipulation) out.push(cr2(claim.spinalManipulation));
  }
  for (const c of claim.conditionIndicators ?? [])
    if (!institutional || c.category === 'ZZ') out.push(crc(c));
  for (let k = 0; k < claim.diagnoses.length; k += 12) {
    out.push(['HI', ...claim.diagnoses.slice(k, k + 12).map((d) => [d.qualifier, d.code])]);
  }
  // Each guide's own 2310 loops: the 837P has no attending or operating physicians, the 837I no ambulance.
  for (const [code, field] of institutional ? INSTITUTIONAL_CLAIM_PROVIDERS : PROFESSIONAL_CLAIM_PROVIDERS)
    out.push(...providerSegments(code, claim[field]));
  if (!institutional) addAmbulanceLocations(out, claim);
  if (claim.otherPayers) for (const c of claim.otherPayers) out.push(...otherPayerSegments(c, institutional));
  claim.lines.forEach((line, k) => {
    out.push(['LX', String(k + 1)]);
    out.push(institutional ? sv2(line) : sv1(line));
    if (!institutional) {
      if (line.ambulanceTransport) out.push(cr1(line.ambulanceTransport));
      if (line.dmeCertification) out.push(cr3(line.dmeCertification));
      if (line.conditionIndicators) out.push(...line.conditionIndicators.map(crc));
    }
    if (line.serviceDate) out.push(dtp('472', line.serviceDate));
    if (line.priorAuthorization) out.push(['REF', 'G1', line.priorAuthorization]);
    if (line.lineControlNumber) out.push(['REF', '6R', line.lineControlNumber]);
    if (line.note) out.push(['NTE', 'ADD', line.note]);
    if (line.drug) {
      out.push(['LIN', '', 'N4', line.drug.ndc]);
      out.push(['CTP', '', '', '', formatDecimal(line.drug.quantity), [line.drug.unit]]);
    }
    for (const [code, field] of institutional ? INSTITUTIONAL_LINE_PROVIDERS : PROFESSIONAL_LINE_PROVIDERS)
      out.push(...providerSegments(code, line[field]));
    if (!institutional) addAmbulanceLocations(out, line);
    if (line.adjudications) out.push(...line.adjudications.flatMap(lineAdjudicationSegments));
    if (line.forms && !institutional) out.push(...line.forms.flatMap(formSegments));
  });
  return out;
}

/** 2310E/F or 2420G/H: the pick-up (NM1*PW) and drop-off (NM1*45) locations with their N3/N4. */
function addAmbulanceLocations(out: SegmentData[], owner: AmbulanceLocations): void {
  if (owner.ambulancePickup) out.push(['NM1', 'PW', '2'], ...addressSegments(owner.ambulancePickup));
  const d = owner.ambulanceDropoff;
  if (d) out.push(['NM1', '45', '2', d.name ?? ''], ...addressSegments(d.address));
}

/** One 2440 loop: LQ and its FRM answers. */
function formSegments(f: LineForm): SegmentData[] {
  return [['LQ', f.type, f.id], ...f.answers.map(frm)];
}

function frm(a: FormAnswer): SegmentData {
  return [
    'FRM',
    a.question,
    a.yesNo ?? '',
    a.text ?? '',
    a.date === undefined ? '' : x12Date(a.date),
    a.percent === undefined ? '' : formatDecimal(a.percent),
  ];
}

function cr1(a: AmbulanceTransport): SegmentData {
  const weight = a.patientWeightLbs;
  return [
    'CR1',
    weight === undefined ? '' : 'LB',
    weight === undefined ? '' : formatDecimal(weight),
    '',
    a.reasonCode,
    'DH',
    formatDecimal(a.distanceMiles),
    '',
    '',
    a.roundTripPurpose ?? '',
    a.stretcherPurpose ?? '',
  ];
}

function cr2(s: SpinalManipulation): SegmentData {
  return [
    'CR2',
    '',
    '',
    '',
    '',
    '',
    '',
    '',
    s.patientCondition,
    '',
    s.description ?? '',
    s.additionalDescription ?? '',
  ];
}

function cr3(d: DmeCertification): SegmentData {
  return ['CR3', d.type, 'MO', formatDecimal(d.durationMonths)];
}

function crc(c: ConditionIndicator): SegmentData {
  return ['CRC', c.category, c.applies ? 'Y' : 'N', ...c.conditions];
}

function referenceSegments(references: readonly Reference[]): SegmentData[] {
  return references.map((r): SegmentData => ['REF', r.qualifier, r.value]);
}

/** One 2320 loop with its 2330A subscriber, 2330B payer and 2330C–G providers. */
function otherPayerSegments(c: OtherPayerCoverage, institutional: boolean): SegmentData[] {
  const out: SegmentData[] = [
    [
      'SBR',
      c.payerResponsibility,
      c.relationship,
      c.groupNumber ?? '',
      c.groupName ?? '',
      c.insuranceType ?? '',
      '',
      '',
      '',
      c.claimFilingCode ?? '',
    ],
    ...casSegments(c.adjustments),
  ];
  if (c.paidCents !== undefined) out.push(['AMT', 'D', formatCents(c.paidCents)]);
  if (c.nonCoveredCents !== undefined) out.push(['AMT', 'A8', formatCents(c.nonCoveredCents)]);
  if (c.remainingPatientLiabilityCents !== undefined)
    out.push(['AMT', 'EAF', formatCents(c.remainingPatientLiabilityCents)]);
  if (c.benefitsAssigned || c.patientSignatureSource || c.releaseOfInformation) {
    out.push([
      'OI',
      '',
      '',
      c.benefitsAssigned ?? '',
      c.patientSignatureSource ?? '',
      '',
      c.releaseOfInformation ?? '',
    ]);
  }
  if (c.adjudication) out.push(adjudicationSegment(c.adjudication));
  out.push(nm1('IL', c.subscriber), ...addressSegments(c.subscriber.address));
  out.push(...referenceSegments(c.subscriber.references));
  out.push(nm1('PR', c.payer), ...addressSegments(c.payer.address));
  if (c.payer.paymentDate) out.push(['DTP', '573', 'D8', x12Date(c.payer.paymentDate)]);
  out.push(...referenceSegments(c.payer.references));
  if (c.providers) {
    const order = institutional ? INSTITUTIONAL_OTHER_PAYER_PROVIDERS : PROFESSIONAL_OTHER_PAYER_PROVIDERS;
    for (const [code, role] of order)
      for (const p of c.providers)
        if (p.role === role)
          out.push(['NM1', code, p.type === 'person' ? '1' : '2'], ...referenceSegments(p.references));
  }
  return out;
}

/** One 2430 loop. */
function lineAdjudicationSegments(a: LineAdjudication): SegmentData[] {
  const out: SegmentData[] = [
    [
      'SVD',
      a.payerId,
      formatCents(a.paidCents),
      a.procedure ? procedureComposite(a.procedure) : '',
      a.revenueCode ?? '',
      formatDecimal(a.units),
      a.bundledLineNumber === undefined ? '' : formatDecimal(a.bundledLineNumber),
    ],
    ...casSegments(a.adjustments),
  ];
  if (a.paymentDate) out.push(['DTP', '573', 'D8', x12Date(a.paymentDate)]);
  if (a.remainingPatientLiabilityCents !== undefined)
    out.push(['AMT', 'EAF', formatCents(a.remainingPatientLiabilityCents)]);
  return out;
}

function sv1(line: ServiceLine): SegmentData {
  return [
    'SV1',
    line.procedure ? procedureComposite(line.procedure) : '',
    formatCents(line.chargeCents),
    line.unitType,
    formatDecimal(line.units),
    line.placeOfService ?? '',
    '',
    line.diagnosisPointers.map(String),
  ];
}

function sv2(line: ServiceLine): SegmentData {
  return [
    'SV2',
    line.revenueCode ?? '',
    line.procedure ? procedureComposite(line.procedure) : '',
    formatCents(line.chargeCents),
    line.unitType,
    formatDecimal(line.units),
  ];
}

/** Builds a complete 837P interchange around one claim submission. */
export function build837P(doc: Omit<ClaimSubmission, 'kind'>, envelope: EnvelopeOptions): string {
  const body = claimSegments({ ...doc, kind: 'professional' });
  return writeInterchange(envelope, [
    { id: '837', implementationReference: PROFESSIONAL_REF, functionalId: 'HC', segments: body },
  ]);
}

/** Builds a complete 837I interchange around one institutional claim submission. */
export function build837I(doc: Omit<ClaimSubmission, 'kind'>, envelope: EnvelopeOptions): string {
  const body = claimSegments({ ...doc, kind: 'institutional' });
  return writeInterchange(envelope, [
    { id: '837', implementationReference: INSTITUTIONAL_REF, functionalId: 'HC', segments: body },
  ]);
}
