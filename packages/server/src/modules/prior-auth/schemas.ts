/** Request and response schemas of prior authorizations. Field rules (ICD-10, dates, units) live in the service. */
import { type Static, Type } from 'typebox';
import { EXAMPLE_ID, PageQuery, Uuid } from '../../platform/http/schemas.ts';

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

/** A routine knee MRI the payer pended for clinical review. */
const PRIOR_AUTH_EXAMPLE = {
  id: EXAMPLE_ID.priorAuth,
  patientId: EXAMPLE_ID.patient,
  payerId: 'anthem',
  providerNpi: '1234567893',
  status: 'pended',
  urgency: 'routine',
  services: [
    {
      code: '73721',
      modifiers: [],
      units: 1,
      serviceType: '62',
      from: '2026-03-21',
      to: '2026-05-13',
      decision: 'A4',
      certificationNumber: null,
      authorizedUnits: null,
      authorizedFrom: null,
      authorizedTo: null,
    },
  ],
  diagnoses: ['M17.11'],
  justification:
    'Right knee pain for 10 weeks despite physical therapy and NSAIDs; suspected meniscal tear on exam.',
  attachments: [
    {
      name: 'PT progress notes',
      kind: 'clinical_notes',
      pages: 4,
      controlNumber: '24C0F00A4C43-1',
    },
  ],
  requirementReasons: [
    "the payer's eligibility response (271) flags 73721 as requiring authorization",
    "Anthem Blue Access PPO's published prior-authorization list includes 73721",
  ],
  trackingNumber: '002279711781323',
  certificationNumber: null,
  authorizedUnits: null,
  authorizedFrom: null,
  authorizedTo: null,
  decisionDate: null,
  decisionReason: null,
  expectedDecisionDate: '2026-03-21',
  submittedAt: '2026-03-14T18:19:59.377Z',
  lastPolledAt: null,
  polls: 0,
  reminderSentAt: null,
  history: [
    {
      from: null,
      to: 'submitted',
      detail: '278 sent to anthem (1 service)',
      at: '2026-03-14T18:19:59.381Z',
    },
    {
      from: 'submitted',
      to: 'pended',
      detail: 'the payer pended the request for clinical review',
      at: '2026-03-14T18:19:59.382Z',
    },
  ],
};

/** The same request after a poll two days later: approved, with its certification number. */
const APPROVAL = {
  certificationNumber: 'AUTH791616167',
  authorizedUnits: 1,
  authorizedFrom: '2026-03-21',
  authorizedTo: '2026-05-13',
};
const PRIOR_AUTH_APPROVED_EXAMPLE = {
  ...PRIOR_AUTH_EXAMPLE,
  ...APPROVAL,
  status: 'approved',
  services: PRIOR_AUTH_EXAMPLE.services.map((service) => ({ ...service, ...APPROVAL, decision: 'A1' })),
  decisionDate: '2026-03-16',
  lastPolledAt: '2026-03-16T09:00:04.112Z',
  polls: 1,
  history: [
    ...PRIOR_AUTH_EXAMPLE.history,
    {
      from: 'pended',
      to: 'approved',
      detail: 'approved: 73721 AUTH791616167 (1 units, 2026-03-21–2026-05-13)',
      at: '2026-03-16T09:00:04.118Z',
    },
  ],
};

const REQUIREMENTS_EXAMPLE = [
  {
    code: '73721',
    required: true,
    covered: true,
    reasons: [
      "the payer's eligibility response (271) flags 73721 as requiring authorization",
      "Anthem Blue Access PPO's published prior-authorization list includes 73721",
    ],
  },
  {
    code: '99214',
    required: false,
    covered: true,
    reasons: ["neither the payer's 271 nor Anthem Blue Access PPO's prior-authorization list names 99214"],
  },
];

/** The 278 sent and the payer's 278 answer (pended: HCR*A4). */
export const PRIOR_AUTH_X12_EXAMPLE = {
  priorAuthId: EXAMPLE_ID.priorAuth,
  transactionId: 'b65457ca-75a3-43ee-b43d-5dc921b7c01d',
  request:
    'ISA*00*          *00*          *ZZ*INTELLUXE      *ZZ*00227          *260314*1819*^*00501*026408537*0*T*:~GS*HI*INTELLUXE*00227*20260314*1819*26408537*X*005010X217~ST*278*0001*005010X217~BHT*0007*13*24c0f00a4c434eb69777aa4240190e*20260314*1819~HL*1**20*1~NM1*X3*2*ANTHEM BLUE CROSS*****PI*00227~HL*2*1*21*1~NM1*1P*1*CHEN*ALICIA****XX*1234567893~HL*3*2*22*1~NM1*IL*1*ALVAREZ*MARIA****MI*XGH123456789~DMG*D8*19840722*F~HL*4*3*EV*1~TRN*1*24C0F00A4C434EB69777*9316949730~UM*HS*I*62*11:B**E~DTP*AAH*RD8*20260321-20260513~HI*ABK:M1711~PWK*M1*FX***AC*24C0F00A4C43-1*PT progress notes~MSG*Right knee pain for 10 weeks despite physical therapy and NSAIDs; suspected meniscal tear on exam.~HL*5*4*SS*0~UM*HS*I*62~DTP*472*RD8*20260321-20260513~SV1*HC:73721**UN*1~SE*21*0001~GE*1*26408537~IEA*1*026408537~',
  response:
    'ISA*00*          *00*          *ZZ*00227          *ZZ*INTELLUXE      *260314*1819*^*00501*026408537*0*T*:~GS*HI*00227*INTELLUXE*20260314*1819*26408537*X*005010X217~ST*278*0001*005010X217~BHT*0007*11*24c0f00a4c434eb69777aa4240190e*20260314*1819~HL*1**20*1~NM1*X3*2*ANTHEM BLUE CROSS*****PI*00227~HL*2*1*21*1~NM1*1P*1*CHEN*ALICIA****XX*1234567893~HL*3*2*22*1~NM1*IL*1*ALVAREZ*MARIA****MI*XGH123456789~DMG*D8*19840722*F~HL*4*3*EV*1~TRN*2*24C0F00A4C434EB69777*9316949730~UM*HS*I*62*11:B**E~REF*NT*002279711781323~DTP*AAH*RD8*20260321-20260513~HI*ABK:M1711~HL*5*4*SS*0~HCR*A4~SV1*HC:73721**UN*1~SE*19*0001~GE*1*26408537~IEA*1*026408537~',
};

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
  {
    additionalProperties: false,
    examples: [
      {
        patientId: EXAMPLE_ID.patient,
        services: [{ code: '73721', units: 1, from: '2026-03-21', to: '2026-05-13' }],
        diagnoses: ['M17.11'],
        justification: PRIOR_AUTH_EXAMPLE.justification,
        attachments: PRIOR_AUTH_EXAMPLE.attachments.map(
          ({ controlNumber: _sent, ...attachment }) => attachment,
        ),
      },
    ],
  },
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
  {
    additionalProperties: false,
    examples: [
      {
        patientId: EXAMPLE_ID.patient,
        services: [
          { code: '73721', from: '2026-03-21' },
          { code: '99214', from: '2026-03-21' },
        ],
      },
    ],
  },
);

const Requirement = Type.Object({
  code: Type.String(),
  required: Type.Boolean(),
  covered: Type.Boolean(),
  reasons: Type.Array(Type.String()),
});

export const PriorAuth = Type.Object(
  {
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
      Type.Object({
        name: Type.String(),
        kind: Type.String(),
        pages: Type.Optional(Type.Integer()),
        controlNumber: Type.Optional(
          Type.String({
            description: 'PWK06 in the 278: fax the document under this attachment control number',
          }),
        ),
      }),
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
  },
  { examples: [PRIOR_AUTH_APPROVED_EXAMPLE] },
);

export const PriorAuthOutcome = Type.Object(
  {
    required: Type.Boolean(),
    requirements: Type.Array(Requirement),
    eligibilityCheckId: Uuid,
    priorAuth: Type.Union([PriorAuth, Type.Null()]),
  },
  {
    examples: [
      {
        required: true,
        requirements: REQUIREMENTS_EXAMPLE.slice(0, 1),
        eligibilityCheckId: EXAMPLE_ID.eligibilityCheck,
        priorAuth: PRIOR_AUTH_EXAMPLE,
      },
    ],
  },
);

/** The answer when no service needs authorization (200): nothing is sent to the payer. */
export const PriorAuthNotRequired = {
  ...PriorAuthOutcome,
  examples: [
    {
      required: false,
      requirements: REQUIREMENTS_EXAMPLE.slice(1),
      eligibilityCheckId: EXAMPLE_ID.eligibilityCheck,
      priorAuth: null,
    },
  ],
};

export const RequirementsOutcome = Type.Object(
  { eligibilityCheckId: Uuid, requirements: Type.Array(Requirement) },
  { examples: [{ eligibilityCheckId: EXAMPLE_ID.eligibilityCheck, requirements: REQUIREMENTS_EXAMPLE }] },
);

export const PriorAuthSearch = Type.Object(
  {
    status: Type.Optional(Status),
    patientId: Type.Optional(Uuid),
    payerId: Type.Optional(Type.String({ maxLength: 40 })),
    ...PageQuery,
  },
  { additionalProperties: false },
);
