import { type Static, Type } from 'typebox';
import { IsoDate, IsoDateTime, PageQuery, Uuid } from '../../platform/http/schemas.ts';

export const CLAIM_STATUSES = [
  'draft',
  'validated',
  'submitted',
  'accepted',
  'rejected',
  'paid',
  'partially_paid',
  'denied',
  'appealed',
  'closed',
] as const;
export type ClaimStatus = (typeof CLAIM_STATUSES)[number];
const Status = Type.Unsafe<ClaimStatus>({ type: 'string', enum: [...CLAIM_STATUSES] });

export const ClaimLineInput = Type.Object(
  {
    procedureCode: Type.String({ pattern: '^([0-9]{4}[0-9A-Z]|[A-Z][0-9]{4})$', examples: ['99214'] }),
    modifiers: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9A-Z]{2}$' }), { maxItems: 4 })),
    units: Type.Integer({ minimum: 1, maximum: 999 }),
    chargeCents: Type.Optional(
      Type.Integer({ minimum: 0, description: 'from the charge master when omitted' }),
    ),
    diagnosisPointers: Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { minItems: 1, maxItems: 4 }),
    serviceDate: IsoDate,
    revenueCode: Type.Optional(Type.String({ pattern: '^[0-9]{4}$' })),
  },
  { additionalProperties: false },
);

export const ClaimInput = Type.Object(
  {
    patientId: Uuid,
    coverageId: Type.Optional(Uuid),
    kind: Type.Optional(Type.Union([Type.Literal('professional'), Type.Literal('institutional')])),
    billingProviderId: Type.Optional(Uuid),
    renderingProviderId: Type.Optional(Uuid),
    placeOfService: Type.String({ pattern: '^[0-9]{2}$', examples: ['11'] }),
    diagnoses: Type.Array(Type.String({ minLength: 3, maxLength: 8 }), {
      minItems: 1,
      maxItems: 12,
      examples: [['E11.9', 'I10']],
    }),
    priorAuthNumber: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })),
    lines: Type.Array(ClaimLineInput, { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type ClaimInput = Static<typeof ClaimInput>;

export const ClaimLine = Type.Object({
  lineNumber: Type.Integer(),
  procedureCode: Type.String(),
  modifiers: Type.Array(Type.String()),
  units: Type.Integer(),
  chargeCents: Type.Integer(),
  diagnosisPointers: Type.Array(Type.Integer()),
  serviceDate: IsoDate,
  lineControlNumber: Type.String(),
});

export const Claim = Type.Object({
  id: Uuid,
  patientControlNumber: Type.String(),
  status: Status,
  kind: Type.String(),
  patientId: Uuid,
  coverageId: Uuid,
  payerId: Type.String(),
  encounterId: Type.Union([Uuid, Type.Null()]),
  billingProviderId: Type.Union([Uuid, Type.Null()]),
  renderingProviderId: Type.Union([Uuid, Type.Null()]),
  placeOfService: Type.String(),
  diagnoses: Type.Array(Type.String()),
  priorAuthNumber: Type.Union([Type.String(), Type.Null()]),
  serviceDateFrom: IsoDate,
  serviceDateTo: IsoDate,
  totalChargeCents: Type.Integer(),
  paidCents: Type.Integer(),
  patientResponsibilityCents: Type.Integer(),
  adjustmentCents: Type.Integer(),
  payerClaimNumber: Type.Union([Type.String(), Type.Null()]),
  submittedAt: Type.Union([IsoDateTime, Type.Null()]),
  createdAt: IsoDateTime,
  lines: Type.Array(ClaimLine),
});
export type Claim = Static<typeof Claim>;

export const ScrubProblem = Type.Object({
  path: Type.String({ examples: ['/lines/0/diagnosisPointers/1'] }),
  code: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  fix: Type.String(),
});

export const ValidationReport = Type.Object({
  valid: Type.Boolean(),
  status: Status,
  problems: Type.Array(ScrubProblem),
});

export const SubmissionReport = Type.Object({
  claim: Claim,
  acknowledgment: Type.Object({
    status: Type.String(),
    accepted: Type.Boolean(),
    errors: Type.Array(Type.String()),
  }),
  claimAcknowledgment: Type.Union([
    Type.Object({
      accepted: Type.Boolean(),
      statuses: Type.Array(Type.String()),
      payerClaimNumber: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  transactionId: Type.String(),
});

export const ClaimEvent = Type.Object({
  fromStatus: Type.Union([Type.String(), Type.Null()]),
  toStatus: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  details: Type.Record(Type.String(), Type.Unknown()),
  occurredAt: IsoDateTime,
});

export const ClaimSearch = Type.Object(
  {
    status: Type.Optional(Status),
    patientId: Type.Optional(Uuid),
    payerId: Type.Optional(Type.String({ maxLength: 40 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ClaimSearch = Static<typeof ClaimSearch>;

export const ChargeMasterEntry = Type.Object(
  {
    code: Type.String({ pattern: '^([0-9]{4}[0-9A-Z]|[A-Z][0-9]{4})$' }),
    modifier: Type.Optional(Type.String({ pattern: '^([0-9A-Z]{2})?$' })),
    description: Type.String({ minLength: 1, maxLength: 200 }),
    chargeCents: Type.Integer({ minimum: 0 }),
    active: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ChargeMasterEntry = Static<typeof ChargeMasterEntry>;

export const ClaimDocument = Type.Object({ kind: Type.String(), x12: Type.String(), createdAt: IsoDateTime });
