/** Request and response schemas of prior authorizations. Field rules (ICD-10, dates, units) live in the service. */
import { type Static, Type } from 'typebox';
import { PageQuery, Uuid } from '../../platform/http/schemas.ts';

const Nullable = <T extends ReturnType<typeof Type.String | typeof Type.Integer>>(t: T) =>
  Type.Union([t, Type.Null()]);
export const Urgency = Type.Union([
  Type.Literal('routine'),
  Type.Literal('urgent'),
  Type.Literal('emergency'),
]);
export const Status = Type.Union([
  Type.Literal('submitted'),
  Type.Literal('pended'),
  Type.Literal('approved'),
  Type.Literal('partially_approved'),
  Type.Literal('denied'),
  Type.Literal('expired'),
]);

const Service = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 10, examples: ['73721'] }),
    units: Type.Optional(Type.Integer()),
    modifiers: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]{2}$' }), { maxItems: 4 })),
    from: Type.String({ maxLength: 10, examples: ['2026-12-01'] }),
    to: Type.Optional(Type.String({ maxLength: 10 })),
  },
  { additionalProperties: false },
);

export const PriorAuthInput = Type.Object(
  {
    patientId: Uuid,
    payerId: Type.Optional(Type.String({ maxLength: 40 })),
    providerNpi: Type.Optional(Type.String({ maxLength: 10 })),
    services: Type.Array(Service, { maxItems: 20 }),
    diagnoses: Type.Array(Type.String({ minLength: 1, maxLength: 8 }), {
      maxItems: 12,
      examples: [['M17.11']],
    }),
    justification: Type.String({ maxLength: 4000 }),
    urgency: Type.Optional(Urgency),
    attachments: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.String({ maxLength: 40 }),
            pages: Type.Optional(Type.Integer({ minimum: 1, maximum: 2000 })),
          },
          { additionalProperties: false },
        ),
        { maxItems: 20 },
      ),
    ),
    placeOfService: Type.Optional(Type.String({ maxLength: 2 })),
  },
  { additionalProperties: false },
);
export type PriorAuthInput = Static<typeof PriorAuthInput>;

export const RequirementsInput = Type.Object(
  {
    patientId: Uuid,
    payerId: Type.Optional(Type.String({ maxLength: 40 })),
    providerNpi: Type.Optional(Type.String({ maxLength: 10 })),
    services: Type.Array(Service, { minItems: 1, maxItems: 20 }),
    urgency: Type.Optional(Urgency),
  },
  { additionalProperties: false },
);

const Requirement = Type.Object({
  code: Type.String(),
  required: Type.Boolean(),
  covered: Type.Boolean(),
  reasons: Type.Array(Type.String()),
});

export const PriorAuth = Type.Object({
  id: Uuid,
  patientId: Uuid,
  payerId: Type.String(),
  providerNpi: Type.String(),
  status: Status,
  urgency: Urgency,
  services: Type.Array(
    Type.Object({
      code: Type.String(),
      modifiers: Type.Array(Type.String()),
      units: Type.Integer(),
      serviceType: Type.String(),
      from: Type.String(),
      to: Type.String(),
      decision: Nullable(Type.String()),
      certificationNumber: Nullable(Type.String()),
      authorizedUnits: Nullable(Type.Integer()),
      authorizedFrom: Nullable(Type.String()),
      authorizedTo: Nullable(Type.String()),
    }),
  ),
  diagnoses: Type.Array(Type.String()),
  justification: Type.String(),
  attachments: Type.Array(
    Type.Object({ name: Type.String(), kind: Type.String(), pages: Type.Optional(Type.Integer()) }),
  ),
  requirementReasons: Type.Array(Type.String()),
  trackingNumber: Nullable(Type.String()),
  certificationNumber: Nullable(Type.String()),
  authorizedUnits: Nullable(Type.Integer()),
  authorizedFrom: Nullable(Type.String()),
  authorizedTo: Nullable(Type.String()),
  decisionDate: Nullable(Type.String()),
  decisionReason: Nullable(Type.String()),
  expectedDecisionDate: Type.String(),
  submittedAt: Type.String(),
  lastPolledAt: Nullable(Type.String()),
  polls: Type.Integer(),
  reminderSentAt: Nullable(Type.String()),
  history: Type.Array(
    Type.Object({
      from: Nullable(Type.String()),
      to: Type.String(),
      detail: Type.String(),
      at: Type.String(),
    }),
  ),
});

export const PriorAuthOutcome = Type.Object({
  required: Type.Boolean(),
  requirements: Type.Array(Requirement),
  eligibilityCheckId: Uuid,
  priorAuth: Type.Union([PriorAuth, Type.Null()]),
});

export const RequirementsOutcome = Type.Object({
  eligibilityCheckId: Uuid,
  requirements: Type.Array(Requirement),
});

export const PriorAuthSearch = Type.Object(
  {
    status: Type.Optional(Status),
    patientId: Type.Optional(Uuid),
    payerId: Type.Optional(Type.String({ maxLength: 40 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
