/** TypeBox schemas of the personalization API. */
import { Type } from 'typebox';
import { IsoDateTime, Uuid } from '../../platform/http/schemas.ts';

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

export const PreferencesView = Type.Object({
  doctorId: Uuid,
  preferences: Preferences,
  version: Type.Integer({ description: '0 until the first change (defaults)' }),
  updatedAt: Type.Union([IsoDateTime, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
  explicitFields: Type.Array(Type.String()),
});

export const PreferencesVersion = Type.Object({
  version: Type.Integer(),
  preferences: Preferences,
  changed: Type.Array(Type.String()),
  source: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
});

export const SampleInput = Type.Object(
  {
    content: Type.String({ minLength: 1, maxLength: 50_000 }),
    type: Type.String({ minLength: 2, maxLength: 50, examples: ['visit_summary'] }),
    metadata: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false },
);

export const Readiness = Type.Object({
  doctorId: Uuid,
  samplesCollected: Type.Integer(),
  samplesNeeded: Type.Integer(),
  ready: Type.Boolean(),
  percent: Type.Integer(),
});

export const SampleCreated = Type.Object({
  id: Uuid,
  doctorId: Uuid,
  type: Type.String(),
  phiSpansMasked: Type.Integer({ description: 'PHI spans replaced by [TYPE] tags before storage' }),
  contentHash: Type.String(),
  createdAt: IsoDateTime,
  readiness: Readiness,
});

const Estimate = Type.Object({ value: Type.Number(), confidence: Type.Number() });
export const StyleView = Type.Object({
  doctorId: Uuid,
  features: Type.Record(Type.String(), Estimate),
  sectionOrder: Type.Array(Type.String()),
  abbreviatedHeadings: Type.Boolean(),
  observations: Type.Number(),
  confidence: Type.Number(),
  samples: Type.Integer(),
  interactions: Type.Integer(),
  updatedAt: Type.Union([IsoDateTime, Type.Null()]),
});

export const GenerateInput = Type.Object(
  {
    doctorId: Uuid,
    task: Type.String({ minLength: 2, maxLength: 50, examples: ['visit_summary'] }),
    context: Type.Record(Type.String(), Type.Unknown(), {
      description:
        'The structured content to write up (reason, findings, assessment, plan, followUp, billing…)',
    }),
  },
  { additionalProperties: false },
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
  open,
);
