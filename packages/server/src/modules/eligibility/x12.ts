/**
 * The eligibility module's X12: the 270 it sends (service types in EQ01, procedures in EQ02, which the library's
 * request writer does not emit, so they are appended here with its segment writer) and the normalized coverage
 * it reads out of a 271: plan, dates, accumulators, cost sharing per service type and procedure, authorization
 * flags, payer messages and AAA rejections explained for a front desk.
 */

import { serviceTypes as serviceTypeCodes } from '@intelluxe/codes';
import {
  type Benefit,
  type EligibilityResponse,
  type EnvelopeOptions,
  type NetworkAmounts,
  type SegmentData,
  writeInterchange,
} from '@intelluxe/x12';
import { serviceTypeForProcedure } from '../payers/plans.ts';

/** AAA03 reject reasons (X12 element 901) a 271 can carry, in words a front desk can act on. */
export const AAA_REASONS: Readonly<Record<string, string>> = {
  '04': 'Authorized quantity exceeded',
  '15': 'Required application data missing',
  '41': 'Authorization or access restrictions: the submitter may not ask about this member',
  '42': 'The payer is unable to respond at this time',
  '43': "The provider's identification is invalid or missing",
  '44': "The provider's name is invalid or missing",
  '45': "The provider's specialty is invalid or missing",
  '47': "The provider's state is invalid or missing",
  '48': 'The referring provider identification is invalid or missing',
  '49': 'The provider is not the primary care physician',
  '50': 'The provider is not eligible to make inquiries',
  '51': 'The provider is not on file with the payer',
  '52': "The service dates are outside the provider's enrollment with the plan",
  '53': 'The benefit asked about is inconsistent with the provider type',
  '54': 'Inappropriate product or service id qualifier',
  '55': 'Inappropriate product or service id',
  '56': 'Inappropriate date',
  '57': 'The date(s) of service are invalid or missing',
  '58': 'The date of birth is invalid or missing',
  '60': 'The date of birth follows the date(s) of service',
  '61': 'The date of death precedes the date(s) of service',
  '62': 'The date of service is outside the period the payer answers inquiries for',
  '63': 'The date of service is in the future',
  '64': 'The patient id is invalid or missing',
  '65': "The patient's name is invalid or missing",
  '66': "The patient's gender is invalid or missing",
  '67': 'The patient was not found',
  '68': 'Duplicate patient id number',
  '69': "Inconsistent with the patient's age",
  '70': "Inconsistent with the patient's gender",
  '71': "The patient's date of birth does not match the payer's records",
  '72': 'The member (subscriber) id is invalid or missing',
  '73': "The subscriber's name is invalid or missing",
  '74': "The subscriber's gender is invalid or missing",
  '75': "The subscriber was not found in the payer's records",
  '76': 'Duplicate subscriber id number',
  '77': 'The subscriber was found but the patient was not',
  '78': 'The subscriber is not in the group or plan identified',
  '79': 'Invalid participant identification',
  '80': 'No response received: the transaction was terminated',
  '97': "The provider's address is invalid or missing",
  T4: 'The payer name or identifier is missing',
};

/** AAA04 follow-up actions. */
export const AAA_FOLLOW_UPS: Readonly<Record<string, { text: string; retryable: boolean }>> = {
  C: { text: 'Correct the request and resubmit', retryable: false },
  N: { text: 'Resubmission is not allowed', retryable: false },
  P: { text: 'Resubmit the original transaction', retryable: true },
  R: { text: 'Resubmission is allowed: try again later', retryable: true },
  S: { text: 'Do not resubmit: the payer has asked a third party', retryable: false },
  W: { text: 'Wait 30 days and resubmit', retryable: true },
  X: { text: 'Wait 10 days and resubmit', retryable: true },
  Y: { text: 'Do not resubmit: the payer will respond by mail', retryable: false },
};

/** What to do next for common rejections, more specific than the follow-up code. */
const NEXT_STEP: Readonly<Record<string, string>> = {
  '42': 'Try again in a few minutes; if it persists, call the payer.',
  '71': "Confirm the patient's date of birth against the insurance card and the payer's records.",
  '72': 'Check the member id on the front and back of the card (prefix, letters, no spaces) and resubmit.',
  '73': "Check the subscriber's name exactly as printed on the card.",
  '75': 'Ask the patient for a current card; confirm the payer, then the member id and date of birth.',
  '76': 'Call the payer: the member id matches more than one member.',
  '78': 'Confirm the group number and plan with the patient or employer.',
};

export interface RejectionView {
  code: string;
  level: string;
  explanation: string;
  followUpAction: string | null;
  followUp: string;
  nextStep: string;
  retryable: boolean;
}

export interface TierView {
  amountCents: number | null;
  remainingCents: number | null;
}

export interface AccumulatorView {
  inNetwork: { individual: TierView; family: TierView };
  outOfNetwork: { individual: TierView; family: TierView };
}

export interface ServiceTypeBenefit {
  code: string;
  description: string;
  covered: boolean;
  copayCents: number | null;
  coinsurancePercent: number | null;
  outOfNetworkCoinsurancePercent: number | null;
  deductibleApplies: boolean;
  authorizationRequired: boolean;
}

export interface ProcedureBenefit {
  code: string;
  serviceType: string;
  covered: boolean;
  authorizationRequired: boolean;
  copayCents: number | null;
  coinsurancePercent: number | null;
  messages: string[];
}

export interface NormalizedCoverage {
  active: boolean;
  status: 'active' | 'inactive' | 'rejected';
  payer: { name: string; id: string | null };
  subscriber: { memberId: string | null; lastName: string; firstName: string | null };
  plan: { name: string | null; insuranceType: string | null; groupNumber: string | null };
  coverageStart: string | null;
  coverageEnd: string | null;
  planYearStart: string | null;
  planYearEnd: string | null;
  deductible: AccumulatorView;
  outOfPocket: AccumulatorView;
  serviceTypes: ServiceTypeBenefit[];
  procedures: ProcedureBenefit[];
  /** Service type codes and procedure codes the payer flags as needing prior authorization. */
  priorAuthorizationRequired: string[];
  messages: string[];
  rejections: RejectionView[];
}

export interface EligibilityInquiry {
  referenceId: string;
  traceNumber: string;
  /** TRN03: 1 + EIN or 9 + a number the submitter assigns. */
  traceOriginator: string;
  payer: { name: string; x12Id: string };
  provider: { npi: string; lastName: string; firstName: string | null; organization: boolean };
  subscriber: {
    memberId: string;
    lastName: string;
    firstName: string;
    dateOfBirth: string | null;
    gender: string | null;
  };
  /** The patient, when not the subscriber: X12 relationship (01 spouse, 19 child, 34 other adult). */
  dependent?: {
    lastName: string;
    firstName: string;
    dateOfBirth: string;
    gender: string | null;
    relationship: string;
  };
  serviceTypes: string[];
  procedureCodes: string[];
  dateOfService: string;
}

const x12Date = (iso: string) => iso.replaceAll('-', '');

/** NM1 for a person or organization with an id (NM108/NM109). */
function nm1(
  code: string,
  who: {
    organization?: boolean;
    lastName: string;
    firstName?: string | null;
    qualifier?: string;
    id?: string;
  },
): SegmentData {
  return [
    'NM1',
    code,
    who.organization ? '2' : '1',
    who.lastName.toUpperCase(),
    who.organization ? '' : (who.firstName ?? '').toUpperCase(),
    '',
    '',
    '',
    who.id ? (who.qualifier ?? '') : '',
    who.id ?? '',
  ];
}

/**
 * The 270 body (005010X279A1): payer, information receiver, subscriber (and dependent), the date of service,
 * one EQ per service type and one EQ per procedure (EQ02 `HC:code`, which the library's 270 writer does not
 * produce), written with the library's interchange writer.
 */
export function eligibilityRequestSegments(inquiry: EligibilityInquiry, now = new Date()): SegmentData[] {
  const iso = now.toISOString();
  const dep = inquiry.dependent;
  const sub = inquiry.subscriber;
  const segments: SegmentData[] = [
    ['BHT', '0022', '13', inquiry.referenceId, x12Date(iso.slice(0, 10)), iso.slice(11, 16).replace(':', '')],
    ['HL', '1', '', '20', '1'],
    nm1('PR', { organization: true, lastName: inquiry.payer.name, qualifier: 'PI', id: inquiry.payer.x12Id }),
    ['HL', '2', '1', '21', '1'],
    nm1('1P', {
      organization: inquiry.provider.organization,
      lastName: inquiry.provider.lastName,
      firstName: inquiry.provider.firstName,
      qualifier: 'XX',
      id: inquiry.provider.npi,
    }),
    ['HL', '3', '2', '22', dep ? '1' : '0'],
  ];
  const trn: SegmentData = ['TRN', '1', inquiry.traceNumber, inquiry.traceOriginator];
  const subscriber: SegmentData[] = [
    nm1('IL', { lastName: sub.lastName, firstName: sub.firstName, qualifier: 'MI', id: sub.memberId }),
    ...(sub.dateOfBirth ? [['DMG', 'D8', x12Date(sub.dateOfBirth), sub.gender ?? ''] as SegmentData] : []),
  ];
  const inquiryLoop: SegmentData[] = [
    ['DTP', '291', 'D8', x12Date(inquiry.dateOfService)],
    ...inquiry.serviceTypes.map((code): SegmentData => ['EQ', code]),
    ...inquiry.procedureCodes.map((code): SegmentData => ['EQ', '', ['HC', code]]),
  ];
  if (!dep) return [...segments, trn, ...subscriber, ...inquiryLoop];
  return [
    ...segments,
    ...subscriber,
    ['HL', '4', '3', '23', '0'],
    trn,
    nm1('03', { lastName: dep.lastName, firstName: dep.firstName }),
    ['DMG', 'D8', x12Date(dep.dateOfBirth), dep.gender ?? ''],
    ['INS', 'N', dep.relationship],
    ...inquiryLoop,
  ];
}

/** Builds the complete 270 interchange. */
export function buildEligibilityRequest(inquiry: EligibilityInquiry, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: '270',
      implementationReference: '005010X279A1',
      functionalId: 'HS',
      segments: eligibilityRequestSegments(inquiry),
    },
  ]);
}

export function explainRejection(r: {
  reasonCode: string;
  level: string;
  followUpAction?: string;
}): RejectionView {
  const follow = r.followUpAction ? AAA_FOLLOW_UPS[r.followUpAction] : undefined;
  return {
    code: r.reasonCode,
    level: r.level,
    explanation: AAA_REASONS[r.reasonCode] ?? `The payer rejected the inquiry (reason ${r.reasonCode})`,
    followUpAction: r.followUpAction ?? null,
    followUp: follow?.text ?? 'Review the request and resubmit',
    nextStep: NEXT_STEP[r.reasonCode] ?? follow?.text ?? 'Review the request and resubmit',
    retryable: follow?.retryable ?? r.reasonCode === '42',
  };
}

const tierView = (t: { amountCents?: number; remainingCents?: number } | undefined): TierView => ({
  amountCents: t?.amountCents ?? null,
  remainingCents: t?.remainingCents ?? null,
});

function accumulatorView(n: NetworkAmounts): AccumulatorView {
  return {
    inNetwork: { individual: tierView(n.inNetwork.individual), family: tierView(n.inNetwork.family) },
    outOfNetwork: {
      individual: tierView(n.outOfNetwork.individual),
      family: tierView(n.outOfNetwork.family),
    },
  };
}

const generalBenefit = (b: Benefit) => !b.procedure;
const inNetwork = (b: Benefit) => b.network === undefined || b.network === 'in' || b.network === 'both';
const forType = (b: Benefit, st: string) =>
  b.serviceTypes.includes(st) || (b.serviceTypes.length === 0 && st === '30');

function serviceTypeBenefit(benefits: Benefit[], code: string): ServiceTypeBenefit {
  const pick = (st: string, test: (b: Benefit) => boolean) =>
    benefits.find((b) => generalBenefit(b) && forType(b, st) && test(b));
  const find = (test: (b: Benefit) => boolean) =>
    pick(code, test) ?? (code === '30' ? undefined : pick('30', test));
  const copay = pick(code, (b) => b.code === 'B' && inNetwork(b) && b.amountCents !== undefined);
  const coins = find(
    (b) => b.code === 'A' && inNetwork(b) && b.network !== 'both' && b.percent !== undefined,
  );
  const coinsOut = find((b) => b.code === 'A' && b.network === 'out' && b.percent !== undefined);
  const waived = pick(code, (b) => b.code === 'C' && inNetwork(b) && b.amountCents === 0);
  const notCovered = pick(code, (b) => b.code === 'I' && inNetwork(b));
  const auth = benefits.some(
    (b) => generalBenefit(b) && forType(b, code) && b.authorizationRequired === true,
  );
  return {
    code,
    description: serviceTypeCodes.get(code)?.description ?? code,
    covered: !notCovered,
    copayCents: copay?.amountCents ?? null,
    coinsurancePercent: coins?.percent === undefined ? null : Math.round(coins.percent * 10_000) / 100,
    outOfNetworkCoinsurancePercent:
      coinsOut?.percent === undefined ? null : Math.round(coinsOut.percent * 10_000) / 100,
    deductibleApplies: !copay && !waived,
    authorizationRequired: auth,
  };
}

/** The 271 in the terms a front desk asks about. */
export function normalizeCoverage(
  response: EligibilityResponse,
  asked: { serviceTypes: string[]; procedureCodes: string[] },
): NormalizedCoverage {
  const c = response.coverage;
  const rejections = response.rejections.map(explainRejection);
  const benefits = response.benefits;
  const types = [
    ...new Set(['30', ...asked.serviceTypes, ...asked.procedureCodes.map(serviceTypeForProcedure)]),
  ];
  const serviceTypes = types.map((t) => serviceTypeBenefit(benefits, t));
  const procedures = asked.procedureCodes.map((code): ProcedureBenefit => {
    const serviceType = serviceTypeForProcedure(code);
    const own = benefits.filter((b) => b.procedure?.code === code);
    const general = serviceTypes.find((s) => s.code === serviceType)!;
    const copay = own.find((b) => b.code === 'B' && b.amountCents !== undefined);
    const coins = own.find((b) => b.code === 'A' && b.percent !== undefined);
    return {
      code,
      serviceType,
      covered: !own.some((b) => b.code === 'I') && general.covered,
      authorizationRequired:
        own.some((b) => b.authorizationRequired === true) || general.authorizationRequired,
      copayCents: copay?.amountCents ?? general.copayCents,
      coinsurancePercent:
        coins?.percent !== undefined ? Math.round(coins.percent * 10_000) / 100 : general.coinsurancePercent,
      messages: own.flatMap((b) => b.messages),
    };
  });
  const active = benefits.find((b) => b.code === '1');
  const planYearStart = active?.dates.find((d) => d.qualifier === '346')?.range.start ?? null;
  const planYearEnd = active?.dates.find((d) => d.qualifier === '347')?.range.start ?? null;
  const memberDates = response.subscriber.dates;
  const priorAuthorizationRequired = [
    ...serviceTypes.filter((s) => s.authorizationRequired).map((s) => s.code),
    ...procedures.filter((p) => p.authorizationRequired).map((p) => p.code),
  ];
  const status = rejections.length > 0 && !c.active ? 'rejected' : c.active ? 'active' : 'inactive';
  return {
    active: c.active,
    status,
    payer: { name: response.payer.name, id: response.payer.id ?? null },
    subscriber: {
      memberId: response.subscriber.id ?? null,
      lastName: response.subscriber.name,
      firstName: response.subscriber.firstName ?? null,
    },
    plan: {
      name: c.planName ?? benefits.find((b) => b.planDescription)?.planDescription ?? null,
      insuranceType: active?.insuranceType ?? benefits[0]?.insuranceType ?? null,
      groupNumber: c.groupNumber ?? null,
    },
    coverageStart: memberDates.find((d) => d.qualifier === '356')?.range.start ?? c.coverageStart ?? null,
    coverageEnd:
      memberDates.find((d) => d.qualifier === '357')?.range.start ??
      (planYearEnd ? null : (c.coverageEnd ?? null)),
    planYearStart,
    planYearEnd,
    deductible: accumulatorView(c.deductible),
    outOfPocket: accumulatorView(c.outOfPocket),
    serviceTypes,
    procedures,
    priorAuthorizationRequired,
    messages: [...new Set(c.messages)],
    rejections,
  };
}
