/**
 * The sandbox clearinghouse's payers and plans, as data: deductibles, out-of-pocket maxima, coinsurance, copays by
 * service type, prior-authorization and non-covered procedure codes, timely filing and plan years. Plan names and
 * types match the coverages the demo seed gives patients. Amounts are integer cents.
 */

export type PlanType = 'PPO' | 'HMO' | 'HDHP' | 'MEDICARE_B';

export interface Tier {
  individual: number;
  family: number;
}

export interface PlanDefinition {
  payerId: string;
  name: string;
  type: PlanType;
  /** EB04 insurance type: PR (PPO), HM (HMO), C1 (commercial), MB (Medicare Part B). */
  insuranceType: string;
  deductible: { in: Tier; out: Tier | null };
  /** null: no out-of-pocket maximum (Original Medicare). */
  outOfPocket: { in: Tier; out: Tier | null } | null;
  /** Patient coinsurance in percent, after the deductible. */
  coinsurance: { in: number; out: number | null };
  /** In-network copays per X12 service type (per visit); copay services skip the deductible. */
  copays: Record<string, number>;
  /** Preventive care (service types BZ, 81, 80) is covered in full in network, deductible waived. */
  preventiveInFull: boolean;
  priorAuthCodes: readonly string[];
  nonCoveredCodes: readonly string[];
  timelyFilingDays: number;
  /** Month (1-12) the plan year starts. */
  planYearStartMonth: number;
}

/** Imaging, sleep studies and specialty drugs most commercial plans review before service. */
const COMMERCIAL_PRIOR_AUTH = [
  '70551',
  '70552',
  '70553',
  '72141',
  '72148',
  '72158',
  '73221',
  '73721',
  '73723',
  '74177',
  '71250',
  '70496',
  '95810',
  '95811',
  'J0897',
  'J1745',
  'J2505',
  'J9312',
] as const;

const COMMERCIAL_NON_COVERED = ['97810', '97811', '15780', 'S9990'] as const;

const tier = (individual: number, family: number): Tier => ({ individual, family });

export const SANDBOX_PLANS: readonly PlanDefinition[] = [
  {
    payerId: 'anthem',
    name: 'Anthem Blue Access PPO',
    type: 'PPO',
    insuranceType: 'PR',
    deductible: { in: tier(150_000, 300_000), out: tier(300_000, 600_000) },
    outOfPocket: { in: tier(600_000, 1_200_000), out: tier(1_200_000, 2_400_000) },
    coinsurance: { in: 20, out: 40 },
    copays: { '98': 3_000, UC: 7_500, '86': 35_000 },
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 90,
    planYearStartMonth: 1,
  },
  {
    payerId: 'anthem',
    name: 'Anthem HealthKeepers HMO',
    type: 'HMO',
    insuranceType: 'HM',
    deductible: { in: tier(50_000, 100_000), out: null },
    outOfPocket: { in: tier(400_000, 800_000), out: null },
    coinsurance: { in: 10, out: null },
    copays: { '98': 2_000, UC: 5_000, '86': 25_000 },
    preventiveInFull: true,
    priorAuthCodes: [...COMMERCIAL_PRIOR_AUTH, '95806', '93306'],
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 90,
    planYearStartMonth: 1,
  },
  {
    payerId: 'uhc',
    name: 'UnitedHealthcare Choice Plus PPO',
    type: 'PPO',
    insuranceType: 'PR',
    deductible: { in: tier(200_000, 400_000), out: tier(400_000, 800_000) },
    outOfPocket: { in: tier(700_000, 1_400_000), out: tier(1_400_000, 2_800_000) },
    coinsurance: { in: 20, out: 50 },
    copays: { '98': 3_500, UC: 7_500, '86': 30_000 },
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 90,
    planYearStartMonth: 1,
  },
  {
    payerId: 'uhc',
    name: 'UnitedHealthcare HSA HDHP',
    type: 'HDHP',
    insuranceType: 'C1',
    deductible: { in: tier(330_000, 660_000), out: tier(660_000, 1_320_000) },
    outOfPocket: { in: tier(700_000, 1_400_000), out: tier(1_400_000, 2_800_000) },
    coinsurance: { in: 10, out: 30 },
    copays: {},
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 90,
    planYearStartMonth: 1,
  },
  {
    payerId: 'cigna',
    name: 'Cigna Open Access Plus',
    type: 'PPO',
    insuranceType: 'PR',
    deductible: { in: tier(100_000, 200_000), out: tier(200_000, 400_000) },
    outOfPocket: { in: tier(500_000, 1_000_000), out: tier(1_000_000, 2_000_000) },
    coinsurance: { in: 20, out: 40 },
    copays: { '98': 2_500, UC: 5_000, '86': 30_000 },
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 90,
    planYearStartMonth: 1,
  },
  {
    payerId: 'aetna',
    name: 'Aetna Choice POS II',
    type: 'PPO',
    insuranceType: 'PR',
    deductible: { in: tier(125_000, 250_000), out: tier(250_000, 500_000) },
    outOfPocket: { in: tier(600_000, 1_200_000), out: tier(1_200_000, 2_400_000) },
    coinsurance: { in: 20, out: 40 },
    copays: { '98': 3_000, UC: 6_000, '86': 30_000 },
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 120,
    planYearStartMonth: 1,
  },
  {
    payerId: 'aetna',
    name: 'Aetna HealthFund HDHP',
    type: 'HDHP',
    insuranceType: 'C1',
    deductible: { in: tier(280_000, 560_000), out: tier(560_000, 1_120_000) },
    outOfPocket: { in: tier(650_000, 1_300_000), out: tier(1_300_000, 2_600_000) },
    coinsurance: { in: 20, out: 40 },
    copays: {},
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 120,
    planYearStartMonth: 1,
  },
  {
    payerId: 'bcbs',
    name: 'BCBS Blue Choice PPO',
    type: 'PPO',
    insuranceType: 'PR',
    deductible: { in: tier(175_000, 350_000), out: tier(350_000, 700_000) },
    outOfPocket: { in: tier(650_000, 1_300_000), out: tier(1_300_000, 2_600_000) },
    coinsurance: { in: 20, out: 40 },
    copays: { '98': 3_000, UC: 7_000, '86': 30_000 },
    preventiveInFull: true,
    priorAuthCodes: COMMERCIAL_PRIOR_AUTH,
    nonCoveredCodes: COMMERCIAL_NON_COVERED,
    timelyFilingDays: 180,
    planYearStartMonth: 1,
  },
  {
    payerId: 'medicare',
    name: 'Medicare Part B',
    type: 'MEDICARE_B',
    insuranceType: 'MB',
    // 2026 Part B deductible; Original Medicare has no family tier and no out-of-pocket maximum.
    deductible: { in: tier(28_300, 28_300), out: null },
    outOfPocket: null,
    coinsurance: { in: 20, out: null },
    copays: {},
    preventiveInFull: true,
    priorAuthCodes: ['J0897', 'J9312', '64483', '15823'],
    nonCoveredCodes: ['99396', '99397', '97810', '97811', '15780'],
    timelyFilingDays: 365,
    planYearStartMonth: 1,
  },
];

/** The plan of a coverage: by exact plan name, else the payer's first plan of that type, else its first plan. */
export function findPlan(
  payerId: string,
  planName?: string | null,
  planType?: string | null,
): PlanDefinition | null {
  const ofPayer = SANDBOX_PLANS.filter((p) => p.payerId === payerId);
  return (
    ofPayer.find((p) => p.name === planName) ?? ofPayer.find((p) => p.type === planType) ?? ofPayer[0] ?? null
  );
}

/** Member id formats each payer issues (a 270 with an id outside the format is rejected with AAA 72). */
export const MEMBER_ID_FORMATS: Readonly<Record<string, RegExp>> = {
  anthem: /^[A-Z]{3}\d{9}$/,
  uhc: /^\d{9}$/,
  cigna: /^U\d{8}$/,
  aetna: /^W\d{9}$/,
  bcbs: /^[A-Z]{3}\d{9}$/,
  // CMS Medicare Beneficiary Identifier: no S, L, O, I, B or Z.
  medicare:
    /^[1-9][AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y][AC-HJKMNP-RT-Y0-9]\d[AC-HJKMNP-RT-Y]{2}\d{2}$/,
};

/** CPT ranges of CT and MRI studies (service type 62, MRI/CAT scan); other 7xxxx radiology is 4, diagnostic X-ray. */
const CROSS_SECTIONAL_IMAGING: ReadonlyArray<readonly [number, number]> = [
  [70450, 70498],
  [70540, 70559],
  [71250, 71275],
  [71550, 71555],
  [72125, 72133],
  [72141, 72158],
  [72191, 72198],
  [73200, 73225],
  [73700, 73725],
  [74150, 74185],
];

/** The X12 service type a procedure code is benefit-checked under. */
export function serviceTypeForProcedure(code: string): string {
  const c = code.toUpperCase();
  if (/^99(38[1-7]|39[1-7])$/.test(c) || /^G04(38|39)$/.test(c)) return 'BZ';
  if (/^992(0[2-5]|1[1-5])$/.test(c)) return '98';
  if (/^9928[1-5]$/.test(c)) return '86';
  if (/^90(6|7)\d\d$/.test(c) || /^G000[89]$/.test(c) || /^9047[1-4]$/.test(c)) return '80';
  if (/^7\d{4}$/.test(c)) {
    const n = Number(c);
    return CROSS_SECTIONAL_IMAGING.some(([from, to]) => n >= from && n <= to) ? '62' : '4';
  }
  if (/^(8\d{4}|36415)$/.test(c)) return '5';
  if (/^958\d\d$/.test(c) || /^9[3-5]\d\d\d$/.test(c)) return '73';
  if (/^J\d{4}$/.test(c)) return '1';
  if (/^[1-6]\d{4}$/.test(c)) return '2';
  return '1';
}

/** Service types whose in-network cost is waived for preventive care. */
export const PREVENTIVE_SERVICE_TYPES = new Set(['BZ', '81', '80']);
