/** Request and response schemas of eligibility checks. Field rules (NPI check digit, code lists) live in the service. */
import { type Static, Type } from 'typebox';
import { EXAMPLE_ID, IsoDate, PageQuery, Uuid } from '../../platform/http/schemas.ts';

const Code = Type.String({ minLength: 1, maxLength: 10 });
const Open = { additionalProperties: true } as const;
const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer | typeof Type.Number>>(
  t: T,
) => Type.Union([t, Type.Null()]);

export const EligibilityCheckInput = Type.Object(
  {
    patientId: Type.Optional(Uuid),
    payerId: Type.Optional(Type.String({ minLength: 1, maxLength: 40, examples: ['anthem'] })),
    subscriber: Type.Optional(
      Type.Object(
        {
          memberId: Type.String({ minLength: 1, maxLength: 80, examples: ['XGH123456789'] }),
          firstName: Type.String({ minLength: 1, maxLength: 60 }),
          lastName: Type.String({ minLength: 1, maxLength: 60 }),
          dateOfBirth: Type.Optional(IsoDate),
          gender: Type.Optional(Type.Union([Type.Literal('F'), Type.Literal('M'), Type.Literal('U')])),
        },
        { additionalProperties: false },
      ),
    ),
    providerNpi: Type.Optional(Type.String({ minLength: 1, maxLength: 10, examples: ['1234567893'] })),
    serviceTypes: Type.Optional(Type.Array(Code, { maxItems: 20, examples: [['30', '98']] })),
    procedureCodes: Type.Optional(Type.Array(Code, { maxItems: 20, examples: [['99213', '73721']] })),
    procedures: Type.Optional(
      Type.Array(
        Type.Object(
          {
            code: Code,
            units: Type.Optional(Type.Integer()),
            modifiers: Type.Optional(
              Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{2}$' }), { maxItems: 4 }),
            ),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    placeOfService: Type.Optional(Type.String({ maxLength: 2, examples: ['11'] })),
    dateOfService: Type.Optional(Type.String({ maxLength: 10, examples: ['2026-03-14'] })),
    refresh: Type.Optional(
      Type.Boolean({
        description:
          'Ask the payer even when an answer of the last 30 minutes is cached (the patient brought a new card, the ' +
          'payer says its records changed); the new answer replaces the cached one.',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      { patientId: '0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10' },
      { patientId: '0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10', procedureCodes: ['99213', '73721'] },
    ],
  },
);
export type EligibilityCheckInput = Static<typeof EligibilityCheckInput>;

const Tier = Type.Object({ amountCents: Nullable(Type.Integer()), remainingCents: Nullable(Type.Integer()) });
const Accumulator = Type.Object({
  inNetwork: Type.Object({ individual: Tier, family: Tier }),
  outOfNetwork: Type.Object({ individual: Tier, family: Tier }),
});

export const NormalizedCoverage = Type.Object({
  active: Type.Boolean(),
  status: Type.String(),
  payer: Type.Object({ name: Type.String(), id: Nullable(Type.String()) }),
  subscriber: Type.Object({
    memberId: Nullable(Type.String()),
    lastName: Type.String(),
    firstName: Nullable(Type.String()),
  }),
  plan: Type.Object({
    name: Nullable(Type.String()),
    insuranceType: Nullable(Type.String()),
    groupNumber: Nullable(Type.String()),
  }),
  coverageStart: Nullable(Type.String()),
  coverageEnd: Nullable(Type.String()),
  planYearStart: Nullable(Type.String()),
  planYearEnd: Nullable(Type.String()),
  deductible: Accumulator,
  outOfPocket: Accumulator,
  serviceTypes: Type.Array(Type.Object({}, Open)),
  procedures: Type.Array(Type.Object({}, Open)),
  priorAuthorizationRequired: Type.Array(Type.String()),
  messages: Type.Array(Type.String()),
  rejections: Type.Array(
    Type.Object({
      code: Type.String(),
      level: Type.String(),
      explanation: Type.String(),
      followUpAction: Nullable(Type.String()),
      followUp: Type.String(),
      nextStep: Type.String(),
      retryable: Type.Boolean(),
    }),
  ),
});

export const CostEstimate = Type.Object({
  lines: Type.Array(
    Type.Object({
      code: Type.String(),
      units: Type.Integer(),
      serviceType: Type.String(),
      allowedCents: Nullable(Type.Integer()),
      deductibleCents: Type.Integer(),
      copayCents: Type.Integer(),
      coinsuranceCents: Type.Integer(),
      patientCents: Nullable(Type.Integer()),
      planCents: Nullable(Type.Integer()),
      steps: Type.Array(
        Type.Object({ step: Type.String(), detail: Type.String(), amountCents: Nullable(Type.Integer()) }),
      ),
    }),
  ),
  totalAllowedCents: Type.Integer(),
  totalPatientCents: Type.Integer(),
  totalPlanCents: Type.Integer(),
  complete: Type.Boolean(),
  deductibleRemainingAfterCents: Nullable(Type.Integer()),
  outOfPocketRemainingAfterCents: Nullable(Type.Integer()),
});

/** A check as the sandbox answers it: an active UnitedHealthcare PPO, with the estimate of an office visit. */
const CHECK_EXAMPLE = {
  id: EXAMPLE_ID.eligibilityCheck,
  patientId: EXAMPLE_ID.patient,
  payerId: 'uhc',
  providerNpi: '1234567893',
  serviceTypes: ['30'],
  procedureCodes: ['99213'],
  dateOfService: '2026-03-14',
  status: 'active',
  cached: false,
  answeredAt: '2026-03-14T18:19:58.770Z',
  createdAt: '2026-03-14T18:19:58.775Z',
  durationMs: 43,
  payerMs: 21,
  transactionId: '2e3906d4-c13c-408f-ab57-0c3a68b15f13',
  coverage: {
    active: true,
    status: 'active',
    payer: {
      name: 'UNITEDHEALTHCARE',
      id: '87726',
    },
    subscriber: {
      memberId: '119574532',
      lastName: 'ALVAREZ',
      firstName: 'MARIA',
    },
    plan: {
      name: 'UnitedHealthcare Choice Plus PPO',
      insuranceType: 'PR',
      groupNumber: '0715432',
    },
    coverageStart: '2024-01-01',
    coverageEnd: null,
    planYearStart: '2026-01-01',
    planYearEnd: '2026-12-31',
    deductible: {
      inNetwork: {
        individual: {
          amountCents: 200000,
          remainingCents: 200000,
        },
        family: {
          amountCents: 400000,
          remainingCents: 310200,
        },
      },
      outOfNetwork: {
        individual: {
          amountCents: 400000,
          remainingCents: 400000,
        },
        family: {
          amountCents: 800000,
          remainingCents: 800000,
        },
      },
    },
    outOfPocket: {
      inNetwork: {
        individual: {
          amountCents: 700000,
          remainingCents: 700000,
        },
        family: {
          amountCents: 1400000,
          remainingCents: 1352200,
        },
      },
      outOfNetwork: {
        individual: {
          amountCents: 1400000,
          remainingCents: 1400000,
        },
        family: {
          amountCents: 2800000,
          remainingCents: 2800000,
        },
      },
    },
    serviceTypes: [
      {
        code: '30',
        description: 'Health Benefit Plan Coverage',
        covered: true,
        copayCents: null,
        coinsurancePercent: 20,
        outOfNetworkCoinsurancePercent: 50,
        deductibleApplies: true,
        authorizationRequired: false,
      },
      {
        code: '98',
        description: 'Professional (Physician) Visit - Office',
        covered: true,
        copayCents: 3500,
        coinsurancePercent: 20,
        outOfNetworkCoinsurancePercent: 50,
        deductibleApplies: false,
        authorizationRequired: false,
      },
    ],
    procedures: [
      {
        code: '99213',
        serviceType: '98',
        covered: true,
        authorizationRequired: false,
        copayCents: 3500,
        coinsurancePercent: 20,
        messages: [],
      },
    ],
    priorAuthorizationRequired: [],
    messages: ['Claims must be filed within 90 days of the date of service'],
    rejections: [],
  },
  estimate: {
    lines: [
      {
        code: '99213',
        units: 1,
        serviceType: '98',
        allowedCents: 12765,
        deductibleCents: 0,
        copayCents: 3500,
        coinsuranceCents: 0,
        patientCents: 3500,
        planCents: 9265,
        steps: [
          {
            step: 'allowed',
            detail: "uhc pays 140% of Medicare's $91.18 for 99213 = $127.65",
            amountCents: 12765,
          },
          {
            step: 'copay',
            detail: 'copay $35.00 per visit; the deductible does not apply',
            amountCents: 3500,
          },
          {
            step: 'plan_pays',
            detail: 'plan pays $127.65 − $35.00 = $92.65',
            amountCents: 9265,
          },
        ],
      },
    ],
    totalAllowedCents: 12765,
    totalPatientCents: 3500,
    totalPlanCents: 9265,
    complete: true,
    deductibleRemainingAfterCents: 200000,
    outOfPocketRemainingAfterCents: 696500,
  },
  error: null,
};

/** The 270 sent and the 271 received for that check. */
const CHECK_X12_EXAMPLE = {
  checkId: EXAMPLE_ID.eligibilityCheck,
  transactionId: '2e3906d4-c13c-408f-ab57-0c3a68b15f13',
  request:
    'ISA*00*          *00*          *ZZ*INTELLUXE      *ZZ*87726          *260314*1819*^*00501*214390244*0*T*:~GS*HS*INTELLUXE*87726*20260314*1819*214390244*X*005010X279A1~ST*270*0001*005010X279A1~BHT*0022*13*d0118e0f3ac34b3a87ae49ac2d248f*20260314*1819~HL*1**20*1~NM1*PR*2*UNITEDHEALTHCARE*****PI*87726~HL*2*1*21*1~NM1*1P*1*CHEN*ALICIA****XX*1234567893~HL*3*2*22*0~TRN*1*D0118E0F3AC34B3A87AE*9104997434~NM1*IL*1*ALVAREZ*MARIA****MI*119574532~DMG*D8*19840722*F~DTP*291*D8*20260314~EQ*30~EQ**HC:99213~SE*14*0001~GE*1*214390244~IEA*1*214390244~',
  response:
    'ISA*00*          *00*          *ZZ*87726          *ZZ*INTELLUXE      *260314*1819*^*00501*214390244*0*T*:~GS*HB*87726*INTELLUXE*20260314*1819*214390244*X*005010X279A1~ST*271*0001*005010X279A1~BHT*0022*11*d0118e0f3ac34b3a87ae49ac2d248f*20260314*1819~HL*1**20*1~NM1*PR*2*UNITEDHEALTHCARE*****PI*87726~HL*2*1*21*1~NM1*1P*1*CHEN*ALICIA****XX*1234567893~HL*3*2*22*0~TRN*2*D0118E0F3AC34B3A87AE*9104997434~NM1*IL*1*ALVAREZ*MARIA****MI*119574532~REF*6P*0715432~DMG*D8*19840722*F~DTP*356*D8*20240101~EB*1*IND*30*PR*UnitedHealthcare Choice Plus PPO~DTP*346*D8*20260101~DTP*347*D8*20261231~MSG*Claims must be filed within 90 days of the date of service~EB*C*IND*30***23*2000*****Y~EB*C*IND*30***29*2000*****Y~EB*C*FAM*30***23*4000*****Y~EB*C*FAM*30***29*3102*****Y~EB*C*IND*30***23*4000*****N~EB*C*IND*30***29*4000*****N~EB*C*FAM*30***23*8000*****N~EB*C*FAM*30***29*8000*****N~EB*G*IND*30***23*7000*****Y~EB*G*IND*30***29*7000*****Y~EB*G*FAM*30***23*14000*****Y~EB*G*FAM*30***29*13522*****Y~EB*G*IND*30***23*14000*****N~EB*G*IND*30***29*14000*****N~EB*G*FAM*30***23*28000*****N~EB*G*FAM*30***29*28000*****N~EB*A*IND*30*****0.2****Y~EB*A*IND*30*****0.5****N~EB*B*IND*98***27*35*****Y~EB*B*IND*98***27*35****N*Y*HC:99213~SE*37*0001~GE*1*214390244~IEA*1*214390244~',
};

export const EligibilityCheck = Type.Object(
  {
    id: Uuid,
    patientId: Type.Union([Uuid, Type.Null()]),
    payerId: Type.String(),
    providerNpi: Type.String(),
    serviceTypes: Type.Array(Type.String()),
    procedureCodes: Type.Array(Type.String()),
    dateOfService: Type.String(),
    status: Type.String({ description: 'active, inactive, rejected (AAA) or error' }),
    cached: Type.Boolean({ description: 'true when answered from the 30-minute cache' }),
    answeredAt: Nullable(Type.String({ description: 'when the payer gave this answer' })),
    createdAt: Type.String(),
    durationMs: Type.Integer(),
    payerMs: Nullable(Type.Integer()),
    transactionId: Nullable(Type.String()),
    coverage: Type.Union([NormalizedCoverage, Type.Null()]),
    estimate: Type.Union([CostEstimate, Type.Null()]),
    error: Type.Union([Type.Object({}, Open), Type.Null()]),
  },
  { examples: [CHECK_EXAMPLE] },
);

export const CheckSearch = Type.Object(
  { patientId: Type.Optional(Uuid), ...PageQuery },
  { additionalProperties: false },
);

export const CheckX12 = Type.Object(
  {
    checkId: Uuid,
    transactionId: Nullable(Type.String()),
    request: Nullable(Type.String({ description: 'the 270 sent' })),
    response: Nullable(Type.String({ description: 'the 271 received' })),
  },
  { examples: [CHECK_X12_EXAMPLE] },
);

export const BatchInput = Type.Object(
  { date: Type.Optional(IsoDate) },
  {
    additionalProperties: false,
    description: 'the appointment day to check (default: tomorrow)',
    examples: [{ date: '2026-03-16' }],
  },
);
