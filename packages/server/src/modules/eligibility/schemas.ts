/** Request and response schemas of eligibility checks. Field rules (NPI check digit, code lists) live in the service. */
import { type Static, Type } from 'typebox';
import { IsoDate, PageQuery, Uuid } from '../../platform/http/schemas.ts';

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

export const EligibilityCheck = Type.Object({
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
});

export const CheckSearch = Type.Object(
  { patientId: Type.Optional(Uuid), ...PageQuery },
  { additionalProperties: false },
);

export const CheckX12 = Type.Object({
  checkId: Uuid,
  transactionId: Nullable(Type.String()),
  request: Nullable(Type.String({ description: 'the 270 sent' })),
  response: Nullable(Type.String({ description: 'the 271 received' })),
});

export const BatchInput = Type.Object(
  { date: Type.Optional(IsoDate) },
  { additionalProperties: false, description: 'the appointment day to check (default: tomorrow)' },
);
