/** Request and response schemas of the patients module (patients, coverages, providers, encounters, appointments). */
import { type Static, Type } from 'typebox';
import {
  EXAMPLE_ID,
  exampleOf,
  IsoDate,
  IsoDateTime,
  MAX_CENTS,
  PageQuery,
  Uuid,
} from '../../platform/http/schemas.ts';

const ADDRESS_EXAMPLE = { line1: '1450 Oak Street', city: 'Columbus', state: 'OH', postalCode: '43215' };
const COVERAGE_INPUT_EXAMPLE = {
  payerId: 'anthem',
  memberId: 'XGH123456789',
  planType: 'PPO',
  effectiveDate: '2026-01-01',
};

const Name = Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' });
const Npi = Type.String({
  pattern: '^[0-9]{10}$',
  description: 'National Provider Identifier (check digit validated)',
  examples: ['1234567893'],
});

export const Sex = Type.Union([
  Type.Literal('female'),
  Type.Literal('male'),
  Type.Literal('other'),
  Type.Literal('unknown'),
]);

export const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    state: Type.String({ pattern: '^[A-Z]{2}$', description: 'USPS state code' }),
    postalCode: Type.String({ pattern: '^[0-9]{5}(-[0-9]{4})?$' }),
  },
  { additionalProperties: false },
);

export const Relationship = Type.Union([
  Type.Literal('self'),
  Type.Literal('spouse'),
  Type.Literal('child'),
  Type.Literal('other'),
]);

export const Subscriber = Type.Object(
  { firstName: Name, lastName: Name, dateOfBirth: IsoDate, sex: Type.Optional(Sex) },
  { additionalProperties: false },
);

const MemberId = Type.String({
  minLength: 2,
  maxLength: 80,
  description: 'payer member id (2-80 characters of the X12 basic/extended character set)',
  examples: ['XGH123456789'],
});

export const CoverageInput = Type.Object(
  {
    payerId: Type.String({ minLength: 1, maxLength: 40, examples: ['anthem'] }),
    priority: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, default: 1 })),
    planName: Type.Optional(Type.String({ maxLength: 200 })),
    planType: Type.Optional(Type.String({ maxLength: 40, examples: ['PPO'] })),
    groupNumber: Type.Optional(Type.String({ maxLength: 50 })),
    memberId: MemberId,
    relationship: Type.Optional(Relationship),
    subscriber: Type.Optional(Subscriber),
    effectiveDate: IsoDate,
    terminationDate: Type.Optional(Type.Union([IsoDate, Type.Null()])),
  },
  {
    additionalProperties: false,
    examples: [
      {
        ...COVERAGE_INPUT_EXAMPLE,
        priority: 1,
        planName: 'Blue Access PPO',
        groupNumber: 'GRP-004417',
        relationship: 'self',
      },
    ],
  },
);
export type CoverageInput = Static<typeof CoverageInput>;

export const CoveragePatch = Type.Partial(CoverageInput, {
  additionalProperties: false,
  examples: [{ terminationDate: '2026-06-30' }],
});
export type CoveragePatch = Static<typeof CoveragePatch>;

export const Coverage = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    payerId: Type.String(),
    payerName: Type.String(),
    priority: Type.Integer(),
    planName: Type.Union([Type.String(), Type.Null()]),
    planType: Type.Union([Type.String(), Type.Null()]),
    groupNumber: Type.Union([Type.String(), Type.Null()]),
    memberId: Type.String(),
    relationship: Type.String(),
    subscriber: Type.Union([Subscriber, Type.Null()]),
    effectiveDate: IsoDate,
    terminationDate: Type.Union([IsoDate, Type.Null()]),
    active: Type.Boolean({ description: 'covers today' }),
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.coverage,
        patientId: EXAMPLE_ID.patient,
        payerId: 'anthem',
        payerName: 'Anthem Blue Cross',
        priority: 1,
        planName: 'Blue Access PPO',
        planType: 'PPO',
        groupNumber: 'GRP-004417',
        memberId: 'XGH123456789',
        relationship: 'self',
        subscriber: null,
        effectiveDate: '2026-01-01',
        terminationDate: null,
        active: true,
      },
    ],
  },
);
export type Coverage = Static<typeof Coverage>;

export const PatientInput = Type.Object(
  {
    mrn: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 40,
        pattern: '^[A-Za-z0-9-]+$',
        description: 'assigned when omitted',
      }),
    ),
    firstName: Name,
    lastName: Name,
    dateOfBirth: IsoDate,
    sex: Sex,
    ssn: Type.Optional(Type.String({ pattern: '^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$' })),
    address: Type.Optional(Address),
    phone: Type.Optional(Type.String({ pattern: '^\\+?[0-9 ().-]{7,20}$' })),
    email: Type.Optional(Type.String({ format: 'email', maxLength: 200 })),
    notes: Type.Optional(Type.String({ maxLength: 10_000 })),
    coverages: Type.Optional(Type.Array(CoverageInput, { maxItems: 3 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        firstName: 'Maria',
        lastName: 'Alvarez',
        dateOfBirth: '1984-07-22',
        sex: 'female',
        phone: '(614) 555-0142',
        address: ADDRESS_EXAMPLE,
        coverages: [COVERAGE_INPUT_EXAMPLE],
      },
    ],
  },
);
export type PatientInput = Static<typeof PatientInput>;

export const PatientPatch = Type.Partial(Type.Omit(PatientInput, ['coverages']), {
  additionalProperties: false,
  examples: [
    {
      phone: '(614) 555-0199',
      address: {
        line1: '88 Maple Avenue',
        line2: 'Apt 4B',
        city: 'Columbus',
        state: 'OH',
        postalCode: '43209',
      },
    },
  ],
});
export type PatientPatch = Static<typeof PatientPatch>;

export const Patient = Type.Object(
  {
    id: Uuid,
    mrn: Type.String(),
    firstName: Type.String(),
    lastName: Type.String(),
    dateOfBirth: IsoDate,
    sex: Type.String(),
    ssnLast4: Type.Union([Type.String(), Type.Null()], {
      description: 'only the last four digits are ever returned',
    }),
    address: Type.Union([Address, Type.Null()]),
    phone: Type.Union([Type.String(), Type.Null()]),
    email: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    active: Type.Boolean(),
    coverages: Type.Array(Coverage),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.patient,
        mrn: 'MRN100042',
        firstName: 'Maria',
        lastName: 'Alvarez',
        dateOfBirth: '1984-07-22',
        sex: 'female',
        ssnLast4: '4417',
        address: ADDRESS_EXAMPLE,
        phone: '(614) 555-0142',
        email: 'maria.alvarez@example.com',
        notes: null,
        active: true,
        coverages: [exampleOf(Coverage)],
        createdAt: '2026-01-12T14:05:00.000Z',
        updatedAt: '2026-03-14T15:30:00.000Z',
      },
    ],
  },
);
export type Patient = Static<typeof Patient>;

export const PatientSearch = Type.Object(
  {
    lastName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    firstName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    dateOfBirth: Type.Optional(IsoDate),
    mrn: Type.Optional(Type.String({ maxLength: 40 })),
    memberId: Type.Optional(Type.String({ maxLength: 80 })),
    phone: Type.Optional(Type.String({ maxLength: 20 })),
    ssn: Type.Optional(Type.String({ pattern: '^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$' })),
    includeInactive: Type.Optional(Type.Boolean()),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type PatientSearch = Static<typeof PatientSearch>;

export const ProviderInput = Type.Object(
  {
    npi: Npi,
    kind: Type.Optional(Type.Union([Type.Literal('individual'), Type.Literal('organization')])),
    firstName: Type.Optional(Name),
    lastName: Type.String({
      minLength: 1,
      maxLength: 200,
      description: 'last name, or the organization name',
    }),
    credentials: Type.Optional(Type.String({ maxLength: 40, examples: ['MD'] })),
    taxonomyCode: Type.Optional(Type.String({ pattern: '^[0-9]{3}[0-9A-Z]{6}X$', examples: ['207Q00000X'] })),
    specialty: Type.Optional(Type.String({ maxLength: 100 })),
    isDefaultRendering: Type.Optional(Type.Boolean()),
  },
  {
    additionalProperties: false,
    examples: [
      {
        npi: '1234567893',
        firstName: 'Alicia',
        lastName: 'Chen',
        credentials: 'MD',
        taxonomyCode: '207Q00000X',
      },
    ],
  },
);
export type ProviderInput = Static<typeof ProviderInput>;
export const ProviderPatch = Type.Partial(
  Type.Object({ ...ProviderInput.properties, active: Type.Boolean() }),
  {
    additionalProperties: false,
    examples: [{ specialty: 'Internal Medicine', isDefaultRendering: true }],
  },
);
export type ProviderPatch = Static<typeof ProviderPatch>;

export const Provider = Type.Object(
  {
    id: Uuid,
    npi: Type.String(),
    kind: Type.String(),
    firstName: Type.Union([Type.String(), Type.Null()]),
    lastName: Type.String(),
    credentials: Type.Union([Type.String(), Type.Null()]),
    taxonomyCode: Type.Union([Type.String(), Type.Null()]),
    specialty: Type.Union([Type.String(), Type.Null()]),
    isDefaultRendering: Type.Boolean(),
    active: Type.Boolean(),
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.provider,
        npi: '1234567893',
        kind: 'individual',
        firstName: 'Alicia',
        lastName: 'Chen',
        credentials: 'MD',
        taxonomyCode: '207Q00000X',
        specialty: 'Family Medicine',
        isDefaultRendering: true,
        active: true,
      },
    ],
  },
);
export type Provider = Static<typeof Provider>;

export const Diagnosis = Type.Object(
  {
    code: Type.String({ minLength: 3, maxLength: 8, examples: ['E11.9'] }),
    description: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export const Procedure = Type.Object(
  {
    code: Type.String({
      pattern: '^([0-9]{4}[0-9A-Z]|[A-Z][0-9]{4})$',
      description: 'CPT or HCPCS code',
      examples: ['99213'],
    }),
    modifiers: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9A-Z]{2}$' }), { maxItems: 4 })),
    units: Type.Integer({ minimum: 1, maximum: 999 }),
    chargeCents: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CENTS })),
    diagnosisPointers: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { minItems: 1, maxItems: 4 }),
    ),
  },
  { additionalProperties: false },
);

const ENCOUNTER_INPUT_EXAMPLE = {
  patientId: EXAMPLE_ID.patient,
  providerId: EXAMPLE_ID.provider,
  appointmentId: EXAMPLE_ID.appointment,
  dateOfService: '2026-03-14',
  placeOfService: '11',
  encounterType: 'office_visit',
  diagnoses: [
    { code: 'E11.9', description: 'Type 2 diabetes mellitus without complications' },
    { code: 'I10', description: 'Essential (primary) hypertension' },
  ],
  procedures: [{ code: '99213', units: 1, chargeCents: 15_000, diagnosisPointers: [1, 2] }],
};

const EncounterStatus = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('billed')]);

export const EncounterInput = Type.Object(
  {
    patientId: Uuid,
    providerId: Uuid,
    appointmentId: Type.Optional(Uuid),
    dateOfService: IsoDate,
    placeOfService: Type.String({ pattern: '^[0-9]{2}$', examples: ['11'] }),
    encounterType: Type.String({ minLength: 1, maxLength: 40, examples: ['office_visit'] }),
    status: Type.Optional(EncounterStatus),
    diagnoses: Type.Array(Diagnosis, { maxItems: 12 }),
    procedures: Type.Array(Procedure, { maxItems: 50 }),
    priorAuthNumber: Type.Optional(Type.String({ maxLength: 50 })),
    notes: Type.Optional(Type.String({ maxLength: 20_000 })),
  },
  { additionalProperties: false, examples: [ENCOUNTER_INPUT_EXAMPLE] },
);
export type EncounterInput = Static<typeof EncounterInput>;
export const EncounterPatch = Type.Partial(Type.Omit(EncounterInput, ['patientId']), {
  additionalProperties: false,
  examples: [
    {
      status: 'closed',
      procedures: [
        { code: '99214', units: 1, chargeCents: 21_000, diagnosisPointers: [1, 2] },
        { code: '83036', units: 1, chargeCents: 4_500, diagnosisPointers: [1] },
      ],
    },
  ],
});
export type EncounterPatch = Static<typeof EncounterPatch>;

export const Encounter = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    providerId: Uuid,
    appointmentId: Type.Union([Uuid, Type.Null()]),
    dateOfService: IsoDate,
    placeOfService: Type.String(),
    encounterType: Type.String(),
    status: Type.String(),
    diagnoses: Type.Array(Diagnosis),
    procedures: Type.Array(Procedure),
    priorAuthNumber: Type.Union([Type.String(), Type.Null()]),
    notes: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoDateTime,
  },
  {
    examples: [
      {
        ...ENCOUNTER_INPUT_EXAMPLE,
        id: EXAMPLE_ID.encounter,
        status: 'open',
        priorAuthNumber: null,
        notes: 'Follow-up for diabetes and blood pressure; A1c ordered.',
        createdAt: '2026-03-14T16:10:00.000Z',
      },
    ],
  },
);
export type Encounter = Static<typeof Encounter>;

export const EncounterSearch = Type.Object(
  {
    patientId: Type.Optional(Uuid),
    providerId: Type.Optional(Uuid),
    from: Type.Optional(IsoDate),
    to: Type.Optional(IsoDate),
    status: Type.Optional(EncounterStatus),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type EncounterSearch = Static<typeof EncounterSearch>;

export const AppointmentStatus = Type.Union([
  Type.Literal('scheduled'),
  Type.Literal('confirmed'),
  Type.Literal('checked_in'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
  Type.Literal('no_show'),
]);

const APPOINTMENT_INPUT_EXAMPLE = {
  patientId: EXAMPLE_ID.patient,
  providerId: EXAMPLE_ID.provider,
  startsAt: '2026-03-14T14:00:00.000Z',
  endsAt: '2026-03-14T14:20:00.000Z',
  appointmentType: 'follow_up',
  reason: 'Diabetes follow-up, review A1c',
};

export const AppointmentInput = Type.Object(
  {
    patientId: Uuid,
    providerId: Uuid,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    appointmentType: Type.String({ minLength: 1, maxLength: 40, examples: ['follow_up'] }),
    status: Type.Optional(AppointmentStatus),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false, examples: [APPOINTMENT_INPUT_EXAMPLE] },
);
export type AppointmentInput = Static<typeof AppointmentInput>;
export const AppointmentPatch = Type.Partial(Type.Omit(AppointmentInput, ['patientId']), {
  additionalProperties: false,
  examples: [
    { startsAt: '2026-03-16T15:00:00.000Z', endsAt: '2026-03-16T15:20:00.000Z', status: 'confirmed' },
  ],
});
export type AppointmentPatch = Static<typeof AppointmentPatch>;

export const Appointment = Type.Object(
  {
    id: Uuid,
    patientId: Uuid,
    providerId: Uuid,
    startsAt: IsoDateTime,
    endsAt: IsoDateTime,
    status: Type.String(),
    appointmentType: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
  },
  { examples: [{ ...APPOINTMENT_INPUT_EXAMPLE, id: EXAMPLE_ID.appointment, status: 'scheduled' }] },
);
export type Appointment = Static<typeof Appointment>;

export const AppointmentSearch = Type.Object(
  {
    patientId: Type.Optional(Uuid),
    providerId: Type.Optional(Uuid),
    from: Type.Optional(IsoDateTime),
    to: Type.Optional(IsoDateTime),
    status: Type.Optional(AppointmentStatus),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type AppointmentSearch = Static<typeof AppointmentSearch>;

export const Payer = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    x12PayerId: Type.String(),
    kind: Type.String(),
  },
  { examples: [{ id: 'anthem', name: 'Anthem Blue Cross', x12PayerId: '00227', kind: 'commercial' }] },
);
