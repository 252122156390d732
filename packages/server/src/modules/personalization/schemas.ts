/** TypeBox schemas of the personalization API. */
import { Type } from 'typebox';
import { EXAMPLE_ID, IsoDateTime, Uuid } from '../../platform/http/schemas.ts';
import { DEFAULT_PREFERENCES } from './preferences.ts';

/** Dr. Chen's preferences after one change (the defaults, with a SOAP note at detail level 4). */
const PREFERENCES_EXAMPLE = {
  ...DEFAULT_PREFERENCES,
  detailLevel: 4,
  focusAreas: ['diabetes', 'hypertension'],
  customInstructions: 'Use f/u for follow-up.',
};
const READINESS_EXAMPLE = {
  doctorId: EXAMPLE_ID.provider,
  samplesCollected: 38,
  samplesNeeded: 50,
  ready: false,
  percent: 76,
};

const open = { additionalProperties: true } as const;

export const DoctorParams = Type.Object({ id: Uuid });

const Notifications = Type.Object(
  {
    email: Type.Boolean(),
    sms: Type.Boolean(),
    inApp: Type.Boolean(),
    urgentThreshold: Type.Union([Type.Literal('normal'), Type.Literal('high')]),
  },
  { additionalProperties: false },
);
const Ui = Type.Object(
  {
    theme: Type.Union([Type.Literal('light'), Type.Literal('dark'), Type.Literal('system')]),
    fontSize: Type.Union([Type.Literal('small'), Type.Literal('medium'), Type.Literal('large')]),
    density: Type.Union([Type.Literal('comfortable'), Type.Literal('compact')]),
  },
  { additionalProperties: false },
);

export const Preferences = Type.Object({
  summaryStyle: Type.Union([Type.Literal('concise'), Type.Literal('detailed')]),
  terminology: Type.Union([Type.Literal('lay'), Type.Literal('standard'), Type.Literal('technical')]),
  reportFormat: Type.Union([Type.Literal('soap'), Type.Literal('narrative'), Type.Literal('structured')]),
  responseFormat: Type.Union([
    Type.Literal('auto'),
    Type.Literal('bullet_points'),
    Type.Literal('paragraphs'),
  ]),
  detailLevel: Type.Integer({ minimum: 1, maximum: 10 }),
  notifications: Notifications,
  ui: Ui,
  focusAreas: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
  customInstructions: Type.String({ maxLength: 2000 }),
});

export const PreferencesPatch = Type.Object(
  {
    summaryStyle: Type.Optional(Type.String()),
    terminology: Type.Optional(Type.String()),
    reportFormat: Type.Optional(Type.String()),
    responseFormat: Type.Optional(Type.String()),
    detailLevel: Type.Optional(Type.Integer()),
    notifications: Type.Optional(Type.Partial(Notifications)),
    ui: Type.Optional(Type.Partial(Ui)),
    focusAreas: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 })),
    customInstructions: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    additionalProperties: false,
    description: 'The fields to change; the others keep their value. Values must not contain PHI.',
    examples: [{ reportFormat: 'soap', detailLevel: 4, customInstructions: 'Use f/u for follow-up.' }],
  },
);

export const PreferencesView = Type.Object(
  {
    doctorId: Uuid,
    preferences: Preferences,
    version: Type.Integer({ description: '0 until the first change (defaults)' }),
    updatedAt: Type.Union([IsoDateTime, Type.Null()]),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
    explicitFields: Type.Array(Type.String()),
  },
  {
    examples: [
      {
        doctorId: EXAMPLE_ID.provider,
        preferences: PREFERENCES_EXAMPLE,
        version: 1,
        updatedAt: '2026-03-14T15:30:00.000Z',
        updatedBy: EXAMPLE_ID.user,
        explicitFields: ['reportFormat', 'detailLevel', 'focusAreas', 'customInstructions'],
      },
    ],
  },
);

export const PreferencesVersion = Type.Object(
  {
    version: Type.Integer(),
    preferences: Preferences,
    changed: Type.Array(Type.String()),
    source: Type.String(),
    actorId: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoDateTime,
  },
  {
    examples: [
      {
        version: 1,
        preferences: PREFERENCES_EXAMPLE,
        changed: ['detailLevel', 'focusAreas', 'customInstructions'],
        source: 'user',
        actorId: EXAMPLE_ID.user,
        createdAt: '2026-03-14T15:30:00.000Z',
      },
    ],
  },
);

export const SampleInput = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 50_000 }),
    type: Type.String({ minLength: 2, maxLength: 50, examples: ['visit_summary'] }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    additionalProperties: false,
    examples: [
      {
        type: 'visit_summary',
        content:
          'S: f/u DM2 and HTN. Pt reports good adherence to metformin, occasional missed lisinopril doses.\n' +
          'O: BP 138/86, A1c 7.4% (was 8.1%).\nA: DM2 improving; HTN not at goal.\n' +
          'P: Continue metformin 1000 mg BID. Pill organizer, recheck BP in 4 wks. f/u 3 mo with A1c.',
        metadata: { encounterType: 'office_visit' },
      },
    ],
  },
);

export const Readiness = Type.Object(
  {
    doctorId: Uuid,
    samplesCollected: Type.Integer(),
    samplesNeeded: Type.Integer(),
    ready: Type.Boolean(),
    percent: Type.Integer(),
  },
  { examples: [READINESS_EXAMPLE] },
);

export const SampleCreated = Type.Object(
  {
    id: Uuid,
    doctorId: Uuid,
    type: Type.String(),
    phiSpansMasked: Type.Integer({ description: 'PHI spans replaced by [TYPE] tags before storage' }),
    contentHash: Type.String(),
    createdAt: IsoDateTime,
    readiness: Readiness,
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.sample,
        doctorId: EXAMPLE_ID.provider,
        type: 'visit_summary',
        phiSpansMasked: 0,
        contentHash: 'b41e7c9a2f5d8e0b3c6a9f1d4e7b0a3c6d9f2e5b8a1c4d7f0e3b6a9c2d5f8e1b',
        createdAt: '2026-03-14T16:45:00.000Z',
        readiness: READINESS_EXAMPLE,
      },
    ],
  },
);

const Estimate = Type.Object({ value: Type.Number(), confidence: Type.Number() });
export const StyleView = Type.Object(
  {
    doctorId: Uuid,
    features: Type.Record(Type.String(), Estimate),
    sectionOrder: Type.Array(Type.String()),
    abbreviatedHeadings: Type.Boolean(),
    observations: Type.Number(),
    confidence: Type.Number(),
    samples: Type.Integer(),
    interactions: Type.Integer(),
    updatedAt: Type.Union([IsoDateTime, Type.Null()]),
  },
  {
    examples: [
      {
        doctorId: EXAMPLE_ID.provider,
        features: {
          formality: { value: 0.42, confidence: 0.81 },
          sentenceLength: { value: 11.6, confidence: 0.84 },
          bulletRatio: { value: 0.18, confidence: 0.77 },
          abbreviationDensity: { value: 0.093, confidence: 0.8 },
          soapUse: { value: 0.9, confidence: 0.86 },
          patientEducation: { value: 0.21, confidence: 0.7 },
          empathy: { value: 0.12, confidence: 0.66 },
          terminologyLevel: { value: 0.58, confidence: 0.79 },
          length: { value: 96, confidence: 0.83 },
        },
        sectionOrder: ['subjective', 'objective', 'assessment', 'plan'],
        abbreviatedHeadings: true,
        observations: 38,
        confidence: 0.78,
        samples: 38,
        interactions: 112,
        updatedAt: '2026-03-14T16:45:00.000Z',
      },
    ],
  },
);

export const GenerateInput = Type.Object(
  {
    doctorId: Uuid,
    task: Type.String({ minLength: 2, maxLength: 50, examples: ['visit_summary'] }),
    context: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'The structured content to write up (reason, findings, assessment, plan, followUp, billing…)',
    }),
  },
  {
    additionalProperties: false,
    examples: [
      {
        doctorId: EXAMPLE_ID.provider,
        task: 'visit_summary',
        context: {
          reason: 'Follow-up of type 2 diabetes and hypertension',
          findings: 'BP 138/86; A1c 7.4% (was 8.1%)',
          assessment: 'E11.9 improving; I10 not at goal',
          plan: 'Continue metformin 1000 mg BID; recheck BP in 4 weeks',
          followUp: '3 months with A1c',
        },
      },
    ],
  },
);

export const GenerateResult = Type.Object(
  {
    content: Type.String(),
    adaptationMethod: Type.Union([
      Type.Literal('lora_adapter'),
      Type.Literal('style_prompting'),
      Type.Literal('deterministic'),
    ]),
    styleConfidence: Type.Number(),
    styleMatch: Type.Number(),
    model: Type.Union([Type.String(), Type.Null()]),
    modelVersionId: Type.Union([Type.String(), Type.Null()]),
  },
  {
    ...open,
    examples: [
      {
        content:
          'S: f/u DM2 and HTN.\nO: BP 138/86, A1c 7.4% (was 8.1%).\nA: DM2 improving; HTN not at goal.\n' +
          'P: Continue metformin 1000 mg BID. Recheck BP in 4 wks. f/u 3 mo with A1c.',
        adaptationMethod: 'style_prompting',
        styleConfidence: 0.78,
        styleMatch: 0.86,
        model: 'llama3.1:8b-instruct-q4_K_M',
        modelVersionId: null,
      },
    ],
  },
);
