import { normalizeCode } from './formats.ts';
import { carc, rarc } from './remittance-codes.ts';

/** The denial work-queue categories. */
export type DenialCategory =
  | 'authorization'
  | 'eligibility'
  | 'coding'
  | 'timely_filing'
  | 'non_covered'
  | 'duplicate'
  | 'medical_necessity'
  | 'bundling'
  | 'missing_information'
  | 'other';

/** Every denial category, in work-queue order. */
export const DENIAL_CATEGORIES: readonly DenialCategory[] = [
  'authorization',
  'eligibility',
  'coding',
  'timely_filing',
  'non_covered',
  'duplicate',
  'medical_necessity',
  'bundling',
  'missing_information',
  'other',
];

/** Which CARCs (by their public X12 meaning) fall in each category. */
// biome-ignore format: a table, one category a line
const CARC_CATEGORIES: Record<Exclude<DenialCategory, 'other'>, readonly string[]> = {
  // authorization number missing/invalid, denied at authorization, precert absent/exceeded, referral absent
  authorization: ['15', '39', '62', '197', '198', '243', '288'],
  // not covered on the date (before/after/lapse), patient not identified, dependent, COB / wrong payer
  eligibility: ['22', '26', '27', '31', '32', '33', '34', '109', '140', '177', '200'],
  // code inconsistent with modifier, POS, age, sex, provider type; invalid on the date; provider not eligible
  coding: ['4', '5', '6', '7', '8', '9', '10', '11', '12', '146', '170', '171', '172', '181', '182', '183', '184', '185', '189', '199', 'B16'],
  timely_filing: ['29'],
  // not a benefit: non-covered charges, routine exam, pre-existing, benefit maximums, plan exclusions, hospice
  non_covered: ['35', '49', '51', '96', '119', '149', '160', '204', '242', '256', 'B1', 'B7', 'B9'],
  duplicate: ['18', 'B13'],
  // not medically necessary, experimental, not proven, level/frequency/length of service, place of service
  medical_necessity: ['50', '55', '56', '57', '58', '150', '151', '152', '167', 'B8'],
  // included in another service, multiple-surgery rules, mutually exclusive, NCCI, qualifying service missing
  bundling: ['59', '97', '107', '231', '234', '236', 'B15', 'B20'],
  // lacks information, attachment missing/required, NPI missing/invalid, requested information not sent
  missing_information: ['16', '163', '206', '207', '208', '226', '227', '252', 'B12'],
};

/**
 * Reason codes too general to categorize alone, with the category used when no remark code says more:
 * A1 (claim/service denied), B5 (coverage/program guidelines not met), 125 (submission/billing error).
 */
const CATCH_ALL_CARCS: ReadonlyMap<string, DenialCategory> = new Map([
  ['A1', 'other'],
  ['B5', 'other'],
  ['125', 'missing_information'],
]);

/**
 * Remark codes that say what is wrong when the reason code does not (a catch-all, or a CARC the table above
 * does not know). The first remark that maps decides.
 */
// biome-ignore format: a table, one category a line
const RARC_CATEGORIES: Record<Exclude<DenialCategory, 'other' | 'timely_filing'>, readonly string[]> = {
  authorization: ['M62', 'N54'],
  eligibility: ['N30', 'MA27', 'MA61'],
  coding: ['M20', 'M51', 'M76', 'M77', 'M78', 'M81', 'MA63', 'MA66', 'N56', 'N95', 'N519', 'N657'],
  non_covered: ['N130', 'N425'],
  duplicate: ['M86', 'N111', 'N522'],
  medical_necessity: ['N115', 'N362', 'N386'],
  bundling: ['M80', 'N20'],
  missing_information: ['M53', 'M54', 'M79', 'M119', 'MA04', 'MA92', 'MA120', 'MA130', 'N4', 'N29', 'N257', 'N265', 'N286', 'N290', 'N350', 'N517', 'N705', 'N706'],
};

/**
 * Adjustments that are the normal working of the contract and benefits, not denials: deductible,
 * coinsurance, copay, prior payer, capitation, contractual write-down, multiple-surgery reduction, blood
 * deductible, interest, excess of charges, payment to patient, withholds, ESRD, discounts, surcharges,
 * Medicaid patient liability, incentives, bonus, spending accounts, sales tax, penalties, LIS copay,
 * sequestration.
 */
// biome-ignore format: a table
const ROUTINE_ADJUSTMENT_CARCS: ReadonlySet<string> = new Set([
  '1', '2', '3', '23', '24', '42', '45', '59', '66', '85', '94', '100', '104', '105', '118', '131', '137', '142',
  '144', '161', '187', '235', '237', '241', '253',
]);

/** What a biller should do next, per category. */
const SUGGESTED_FIXES: Record<DenialCategory, string> = {
  authorization:
    'Check whether an authorization or referral was obtained for this service and date. If it was, send a ' +
    'corrected claim with the authorization number (REF*G1); if not, ask the payer for a retroactive ' +
    'authorization or appeal with the documentation of why the service could not wait.',
  eligibility:
    'Re-verify coverage for the date of service (270/271): member id, name and date of birth as the payer has ' +
    'them, coverage dates, dependent status and other insurance. Correct the subscriber or patient data, or ' +
    'bill the right payer (coordination of benefits).',
  coding:
    'Review the procedure, diagnosis and modifier codes against the documentation and the payer edits (age, ' +
    'sex, place of service, provider type, code valid on the date of service), correct them and send a ' +
    'corrected claim (frequency code 7).',
  timely_filing:
    'Find proof of timely filing (the 999/277CA acceptance of an earlier submission or payer correspondence) ' +
    'and appeal with it. Without proof the balance is a write-off and must not be billed to the patient.',
  non_covered:
    "The service is not a benefit of the patient's plan. Check the benefits (271) and whether the patient " +
    'signed an advance beneficiary notice or waiver: if so, bill the patient (modifier GA/GX as applicable); ' +
    'otherwise write it off, or appeal if the plan should cover it.',
  duplicate:
    'Check the status of the original claim (276/277) before doing anything. Do not resubmit the same claim; ' +
    'if the service really was repeated, send a corrected claim with modifier 76, 77 or 91 and documentation.',
  medical_necessity:
    'Appeal with the clinical documentation that supports medical necessity (notes, results, the payer policy, ' +
    'LCD or NCD criteria met), and check that the diagnoses are coded to the highest specificity and support ' +
    'the service.',
  bundling:
    'The service was bundled into another one on the same date (NCCI or payer edits). If it was distinct ' +
    '(separate session, site or encounter), add modifier 59 or XE/XP/XS/XU (25 for an E/M) with documentation ' +
    'and send a corrected claim; otherwise adjust it off.',
  missing_information:
    'Supply the missing or invalid information the remark codes name and send a corrected or new claim; send ' +
    'the requested attachments (PWK) when documentation was asked for.',
  other:
    "Read the reason and remark codes on the 835 and the payer's policy, then correct and resubmit or appeal " +
    "as the payer's explanation indicates.",
};

function invert<C extends string>(table: Record<C, readonly string[]>): Map<string, C> {
  const byCode = new Map<string, C>();
  for (const [category, codes] of Object.entries(table) as [C, readonly string[]][]) {
    for (const code of codes) byCode.set(code, category);
  }
  return byCode;
}

const CATEGORY_BY_CARC = invert(CARC_CATEGORIES);
const CATEGORY_BY_RARC = invert(RARC_CATEGORIES);

/** The suggested next step for a denial category. */
export function suggestedFixFor(category: DenialCategory): string {
  return SUGGESTED_FIXES[category];
}

/** A remark code with its description (undefined when the shipped RARC list does not know the code). */
export interface RemarkDetail {
  code: string;
  description: string | undefined;
}

/** The category of an 835 adjustment, with what to do about it. */
export interface DenialCategorization {
  category: DenialCategory;
  /**
   * False for adjustments that are the contract and benefits at work rather than a denial (PR-1 deductible,
   * PR-2 coinsurance, PR-3 copay, CO-45 contractual, CO-253 sequestration, …).
   */
  isDenial: boolean;
  /** The group code as given, normalized (CO, CR, OA, PI, PR). */
  groupCode: string;
  reasonCode: string;
  /** The CARC description, when the code is known. */
  reasonDescription: string | undefined;
  /** Whether the patient may be billed for the amount (group PR). */
  patientResponsibility: boolean;
  remarks: RemarkDetail[];
  /** The category's next step, followed by the payer's remark texts when there are any. */
  suggestedFix: string;
}

/**
 * Categorizes an 835 claim adjustment (CAS group + reason code, with the claim's or line's remark codes) for
 * the denial work queue. The reason code decides; remark codes decide only when the reason code is a
 * catch-all (A1, B5, 125) or not in the tables, and their texts are added to the suggested fix.
 *
 * `denialCategoryForCarc('CO', '197')` → authorization; `denialCategoryForCarc('CO', '16', ['N290'])` →
 * missing_information, with "Missing/incomplete/invalid rendering provider primary identifier." in the fix.
 */
export function denialCategoryForCarc(
  groupCode: string,
  reasonCode: string,
  remarkCodes: readonly string[] = [],
): DenialCategorization {
  const group = normalizeCode(groupCode);
  const reason = normalizeCode(reasonCode);
  const remarks = remarkCodes
    .map(normalizeCode)
    .filter((code) => code !== '')
    .map((code) => ({ code, description: rarc.get(code)?.description }));
  const byRemark = remarks
    .map((remark) => CATEGORY_BY_RARC.get(remark.code))
    .find((found) => found !== undefined);
  const catchAll = CATCH_ALL_CARCS.get(reason);
  const category =
    catchAll !== undefined ? (byRemark ?? catchAll) : (CATEGORY_BY_CARC.get(reason) ?? byRemark ?? 'other');
  const remarkTexts = remarks
    .filter((remark) => remark.description)
    .map((r) => `${r.code}: ${r.description}`);
  return {
    category,
    isDenial: !ROUTINE_ADJUSTMENT_CARCS.has(reason),
    groupCode: group,
    reasonCode: reason,
    reasonDescription: carc.get(reason)?.description,
    patientResponsibility: group === 'PR',
    remarks,
    suggestedFix:
      remarkTexts.length > 0
        ? `${SUGGESTED_FIXES[category]} Payer remarks: ${remarkTexts.join(' ')}`
        : SUGGESTED_FIXES[category],
  };
}
