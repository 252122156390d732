import { type Static, Type } from 'typebox';
import { EXAMPLE_ID, IsoDate, IsoDateTime, MAX_CENTS, PageQuery, Uuid } from '../../platform/http/schemas.ts';

/** A draft claim for an office visit and a metabolic panel, priced from the charge master. */
const CLAIM_EXAMPLE = {
  id: EXAMPLE_ID.claim,
  patientControlNumber: 'C1000001',
  status: 'draft',
  kind: 'professional',
  patientId: EXAMPLE_ID.patient,
  coverageId: EXAMPLE_ID.coverage,
  payerId: 'anthem',
  encounterId: null,
  billingProviderId: null,
  renderingProviderId: EXAMPLE_ID.provider,
  placeOfService: '11',
  diagnoses: ['E11.9', 'I10'],
  priorAuthNumber: null,
  serviceDateFrom: '2026-03-14',
  serviceDateTo: '2026-03-14',
  totalChargeCents: 20500,
  paidCents: 0,
  patientResponsibilityCents: 0,
  adjustmentCents: 0,
  payerClaimNumber: null,
  submittedAt: null,
  createdAt: '2026-03-14T18:19:59.655Z',
  lines: [
    {
      lineNumber: 1,
      procedureCode: '99213',
      modifiers: [],
      units: 1,
      chargeCents: 14000,
      diagnosisPointers: [1, 2],
      serviceDate: '2026-03-14',
      lineControlNumber: 'C1000001-1',
    },
    {
      lineNumber: 2,
      procedureCode: '80053',
      modifiers: [],
      units: 1,
      chargeCents: 6500,
      diagnosisPointers: [1],
      serviceDate: '2026-03-14',
      lineControlNumber: 'C1000001-2',
    },
  ],
};

/** The claim submitted: 999 accepted, 277CA A1:20 with the payer's claim number. */
const SUBMISSION_EXAMPLE = {
  claim: {
    ...CLAIM_EXAMPLE,
    status: 'accepted',
    payerClaimNumber: '0022798991473010',
    submittedAt: '2026-03-14T18:19:59.854Z',
  },
  acknowledgment: {
    status: 'A',
    accepted: true,
    errors: [],
  },
  claimAcknowledgment: {
    accepted: true,
    statuses: ['A1:20'],
    payerClaimNumber: '0022798991473010',
  },
  transactionId: '685ab8fd-4934-4e83-8f02-c392b8a7e931',
};

const CLAIM_EVENTS_EXAMPLE = [
  {
    fromStatus: null,
    toStatus: 'draft',
    actorId: EXAMPLE_ID.user,
    reason: 'created',
    details: {
      lines: 2,
    },
    occurredAt: '2026-03-14T18:19:59.666Z',
  },
  {
    fromStatus: 'draft',
    toStatus: 'validated',
    actorId: EXAMPLE_ID.user,
    reason: 'scrubber found no problems',
    details: {},
    occurredAt: '2026-03-14T18:19:59.764Z',
  },
  {
    fromStatus: 'validated',
    toStatus: 'submitted',
    actorId: EXAMPLE_ID.user,
    reason: 'submitted as 837',
    details: {
      transactionId: '685ab8fd-4934-4e83-8f02-c392b8a7e931',
    },
    occurredAt: '2026-03-14T18:19:59.859Z',
  },
  {
    fromStatus: 'submitted',
    toStatus: 'accepted',
    actorId: EXAMPLE_ID.user,
    reason: 'accepted by anthem (277CA A1:20)',
    details: {
      statuses: ['A1:20'],
    },
    occurredAt: '2026-03-14T18:19:59.870Z',
  },
];

/** The 837P sent, the 999 and the 277CA received. */
const CLAIM_DOCUMENTS_EXAMPLE = [
  {
    kind: '837',
    x12: 'ISA*00*          *00*          *ZZ*1987654328     *ZZ*00227          *260314*1819*^*00501*000000001*0*P*:~GS*HC*1987654328*00227*20260314*1819*1*X*005010X222A1~ST*837*0001*005010X222A1~BHT*0019*00*C1000001*20260314*1819*CH~NM1*41*2*Riverside Family Medicine*****46*1987654328~PER*IC*Billing Office*TE*6145550100~NM1*40*2*Anthem Blue Cross*****46*00227~HL*1**20*1~NM1*85*2*Riverside Family Medicine*****XX*1987654328~N3*2400 Riverside Drive~N4*Columbus*OH*43221~REF*EI*311234567~HL*2*1*22*0~SBR*P*18*GRP004417******CI~NM1*IL*1*Alvarez*Maria****MI*XGH123456789~N3*1450 Oak Street~N4*Columbus*OH*43215~DMG*D8*19840722*F~NM1*PR*2*Anthem Blue Cross*****PI*00227~CLM*C1000001*205***11:B:1*Y*A*Y*Y~HI*ABK:E119*ABF:I10~NM1*82*1*Chen*Alicia****XX*1234567893~PRV*PE*PXC*207Q00000X~LX*1~SV1*HC:99213*140*UN*1***1:2~DTP*472*D8*20260314~REF*6R*C1000001-1~LX*2~SV1*HC:80053*65*UN*1***1~DTP*472*D8*20260314~REF*6R*C1000001-2~SE*30*0001~GE*1*1~IEA*1*000000001~',
    createdAt: '2026-03-14T18:19:59.850Z',
  },
  {
    kind: '999',
    x12: 'ISA*00*          *00*          *ZZ*00227          *ZZ*1987654328     *260314*1819*^*00501*000000001*0*T*:~GS*FA*00227*1987654328*20260314*1819*1*X*005010X231A1~ST*999*0001*005010X231A1~AK1*HC*1*005010X222A1~AK2*837*0001*005010X222A1~IK5*A~AK9*A*1*1*1~SE*6*0001~GE*1*1~IEA*1*000000001~',
    createdAt: '2026-03-14T18:19:59.850Z',
  },
  {
    kind: '277CA',
    x12: 'ISA*00*          *00*          *ZZ*00227          *ZZ*1987654328     *260314*1819*^*00501*000000002*0*T*:~GS*HN*00227*1987654328*20260314*1819*2*X*005010X214~ST*277*0001*005010X214~BHT*0085*08*C1000001*20260314*1819*TH~HL*1**20*1~NM1*PR*2*ANTHEM BLUE CROSS*****PI*00227~HL*2*1*21*1~NM1*41*2*Riverside Family Medicine*****46*1987654328~HL*3*2*19*1~NM1*85*2*Riverside Family Medicine*****XX*1987654328~HL*4*3*PT~NM1*QC*1*Alvarez*Maria****MI*XGH123456789~TRN*2*C1000001~STC*A1:20:PR*20260314*WQ*205~REF*1K*0022798991473010~SE*14*0001~GE*1*2~IEA*1*000000002~',
    createdAt: '2026-03-14T18:19:59.850Z',
  },
];

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
      Type.Integer({ minimum: 0, maximum: MAX_CENTS, description: 'from the charge master when omitted' }),
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
  {
    additionalProperties: false,
    examples: [
      {
        patientId: EXAMPLE_ID.patient,
        renderingProviderId: EXAMPLE_ID.provider,
        placeOfService: '11',
        diagnoses: ['E11.9', 'I10'],
        lines: [
          { procedureCode: '99213', units: 1, diagnosisPointers: [1, 2], serviceDate: '2026-03-14' },
          { procedureCode: '80053', units: 1, diagnosisPointers: [1], serviceDate: '2026-03-14' },
        ],
      },
    ],
  },
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

export const Claim = Type.Object(
  {
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
  },
  { examples: [CLAIM_EXAMPLE] },
);
export type Claim = Static<typeof Claim>;

export const ScrubProblem = Type.Object({
  path: Type.String({ examples: ['/lines/0/diagnosisPointers/1'] }),
  code: Type.String(),
  severity: Type.String(),
  message: Type.String(),
  fix: Type.String(),
});

export const ValidationReport = Type.Object(
  { valid: Type.Boolean(), status: Status, problems: Type.Array(ScrubProblem) },
  {
    examples: [
      {
        valid: true,
        status: 'validated',
        problems: [
          {
            path: '/priorAuthNumber',
            code: 'prior-auth',
            severity: 'warning',
            message: '73721 requires prior authorization from this payer and the claim carries none',
            fix: 'Attach the authorization number (REF G1), or request a retro-authorization; the payer will deny it CO-197.',
          },
        ],
      },
    ],
  },
);

export const SubmissionReport = Type.Object(
  {
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
  },
  { examples: [SUBMISSION_EXAMPLE] },
);

export const ClaimEvent = Type.Object(
  {
    fromStatus: Type.Union([Type.String(), Type.Null()]),
    toStatus: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    reason: Type.String(),
    details: Type.Record(Type.String(), Type.Unknown()),
    occurredAt: IsoDateTime,
  },
  { examples: CLAIM_EVENTS_EXAMPLE },
);

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
    chargeCents: Type.Integer({ minimum: 0, maximum: MAX_CENTS }),
    active: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        code: '99213',
        modifier: '',
        description: 'Office visit, established patient, low MDM',
        chargeCents: 14_000,
        active: true,
      },
    ],
  },
);
export type ChargeMasterEntry = Static<typeof ChargeMasterEntry>;

export const ClaimDocument = Type.Object(
  { kind: Type.String(), x12: Type.String(), createdAt: IsoDateTime },
  { examples: CLAIM_DOCUMENTS_EXAMPLE },
);
