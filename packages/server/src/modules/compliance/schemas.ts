/** Request and response schemas of the compliance and PHI endpoints. */
import { DEIDENTIFY_MODES, PHI_TYPES } from '@intelluxe/phi';
import { Type } from 'typebox';
import { EXAMPLE_ID, IsoDateTime, PageQuery, Uuid } from '../../platform/http/schemas.ts';
import { PURPOSES_OF_USE, RISK_LEVELS, RULE_IDS } from './rules.ts';

/** An after-hours access alert, as the monitor raises it. */
const ALERT_EXAMPLE = {
  id: EXAMPLE_ID.alert,
  practiceId: EXAMPLE_ID.practice,
  ruleId: 'after_hours',
  title: 'Access outside business hours',
  riskLevel: 'low',
  status: 'open',
  subject: EXAMPLE_ID.user,
  subjectDetail: null,
  firstEventAt: '2026-03-14T23:12:40.118Z',
  lastEventAt: '2026-03-14T23:12:40.118Z',
  eventCount: 1,
  evidence: ['48213'],
  details: {
    timeZone: 'America/New_York',
    localTime: '19:12',
    localWeekday: 6,
    businessHours: {
      end: '19:00',
      start: '07:00',
      weekdays: [1, 2, 3, 4, 5],
    },
  },
  createdAt: '2026-03-14T23:12:40.131Z',
  acknowledged: null,
  resolved: null,
};

const RULE_EXAMPLE = {
  id: 'bulk_access',
  title: 'Bulk access to patient records',
  description: 'An account opened many distinct patients within a short window.',
  enabled: true,
  riskLevel: 'high',
  params: {
    distinctPatients: 25,
    windowMinutes: 10,
  },
  defaults: {
    riskLevel: 'high',
    params: {
      distinctPatients: 25,
      windowMinutes: 10,
    },
  },
};

const REPORT_EXAMPLE = {
  period: {
    from: '2026-01-01T00:00:00.000Z',
    to: '2026-04-01T00:00:00.000Z',
  },
  generatedAt: '2026-04-01T08:00:00.000Z',
  summary: {
    accessEvents: 1,
    distinctUsers: 1,
    distinctPatients: 0,
    phiExports: 0,
    failedLogins: 0,
    deniedRequests: 0,
    phiScans: 2,
    phiDetections: 6,
    alertsRaised: 1,
    alertsOpen: 1,
    alertsAcknowledged: 0,
    alertsResolved: 0,
  },
  accessByUser: [
    {
      actorId: EXAMPLE_ID.user,
      actorRole: 'physician',
      accesses: 1,
      distinctPatients: 0,
    },
  ],
  accessByResourceType: [
    {
      resourceType: 'patient',
      accesses: 1,
    },
  ],
  phiDetections: [
    {
      type: 'DATE',
      count: 2,
    },
    {
      type: 'NAME',
      count: 2,
    },
    {
      type: 'PHONE',
      count: 2,
    },
  ],
  alerts: [
    {
      ruleId: 'after_hours',
      riskLevel: 'low',
      status: 'open',
      resolution: null,
      count: 1,
    },
  ],
  failedLogins: [],
  exports: [],
};

const RECEIPT_EXAMPLE = {
  auditId: '48213',
  recordedAt: '2026-03-14T23:12:40.118Z',
  evaluated: true,
  alerts: [
    {
      id: EXAMPLE_ID.alert,
      ruleId: 'after_hours',
      riskLevel: 'low',
      created: true,
    },
  ],
};

const WEBHOOK_EXAMPLE = {
  url: 'https://siem.example.org/hooks/intelluxe',
  enabled: true,
  minRisk: 'high',
  updatedBy: EXAMPLE_ID.user,
  updatedAt: '2026-03-14T18:25:51.097Z',
};

const SCAN_EXAMPLE = {
  containsPhi: true,
  spans: [
    {
      start: 12,
      end: 18,
      type: 'NAME',
      confidence: 0.95,
    },
    {
      start: 22,
      end: 26,
      type: 'DATE',
      confidence: 0.8,
    },
    {
      start: 33,
      end: 45,
      type: 'PHONE',
      confidence: 0.9,
    },
  ],
  counts: {
    NAME: 1,
    DATE: 1,
    PHONE: 1,
  },
};

const DEIDENTIFY_EXAMPLE = {
  text: 'Mrs. Spence (DOB 01/16/1985) called 100-499-0679',
  mode: 'pseudonymize',
  counts: {
    NAME: 1,
    DATE: 1,
    PHONE: 1,
  },
  spans: [
    {
      start: 5,
      end: 12,
      type: 'NAME',
      confidence: 0.95,
    },
    {
      start: 18,
      end: 28,
      type: 'DATE',
      confidence: 0.95,
    },
    {
      start: 37,
      end: 49,
      type: 'PHONE',
      confidence: 0.9,
    },
  ],
};

/** A union of string literals, typed as the union of its values. */
const literals = <T extends string>(values: readonly T[]) =>
  Type.Unsafe<T>(Type.Union(values.map((v) => Type.Literal(v))));

export const RiskLevel = literals(RISK_LEVELS);
export const PhiTypeSchema = literals(PHI_TYPES);
const Counts = Type.Record(Type.String(), Type.Integer(), {
  description: 'identifiers found per type',
  examples: [{ NAME: 2, DATE: 1, PHONE: 1 }],
});
const SpanView = Type.Object({
  start: Type.Integer(),
  end: Type.Integer(),
  type: Type.String(),
  confidence: Type.Number(),
});

export const PhiScanBody = Type.Object(
  {
    text: Type.String({ maxLength: 1_000_000, examples: ['Seen by Dr. Healey on 7/22, call 410-555-1212'] }),
    types: Type.Optional(Type.Array(PhiTypeSchema, { uniqueItems: true })),
    minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { additionalProperties: false, examples: [{ text: 'Seen by Dr. Healey on 7/22, call 410-555-1212' }] },
);

export const PhiScanResponse = Type.Object(
  { containsPhi: Type.Boolean(), spans: Type.Array(SpanView), counts: Counts },
  { examples: [SCAN_EXAMPLE] },
);

export const PhiDeidentifyBody = Type.Object(
  {
    text: Type.String({
      maxLength: 1_000_000,
      examples: ['Mrs. Alvarez (DOB 07/22/1984) called 614-555-0142'],
    }),
    mode: literals(DEIDENTIFY_MODES),
    patientKey: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'scopes pseudonyms and the date shift to one patient (a patient id)',
      }),
    ),
    types: Type.Optional(Type.Array(PhiTypeSchema, { uniqueItems: true })),
    minConfidence: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
  },
  {
    additionalProperties: false,
    examples: [
      {
        text: 'Mrs. Alvarez (DOB 07/22/1984) called 614-555-0142',
        mode: 'pseudonymize',
        patientKey: EXAMPLE_ID.patient,
      },
    ],
  },
);

export const PhiDeidentifyResponse = Type.Object(
  {
    text: Type.String(),
    mode: Type.String(),
    counts: Counts,
    spans: Type.Array(SpanView, { description: 'replaced spans, offsets into the original text' }),
  },
  { examples: [DEIDENTIFY_EXAMPLE] },
);

export const AccessEventBody = Type.Object(
  {
    actor: Type.Object(
      {
        id: Type.String({ minLength: 1, maxLength: 100, description: 'the account that accessed the data' }),
        type: Type.Optional(literals(['user', 'api_key'] as const)),
        role: Type.Optional(Type.String({ maxLength: 50 })),
      },
      { additionalProperties: false },
    ),
    action: Type.String({ minLength: 1, maxLength: 60, examples: ['view', 'export', 'download', 'print'] }),
    resourceType: Type.String({ minLength: 1, maxLength: 60, examples: ['patient', 'document', 'claim'] }),
    resourceId: Type.Optional(Type.String({ maxLength: 100 })),
    patientId: Type.Optional(Uuid),
    purpose: Type.Optional(literals(PURPOSES_OF_USE)),
    outcome: Type.Optional(literals(['success', 'failure', 'denied'] as const)),
    ip: Type.Optional(Type.String({ maxLength: 45, examples: ['192.168.1.100'] })),
    userAgent: Type.Optional(Type.String({ maxLength: 300 })),
    occurredAt: Type.Optional(IsoDateTime),
    details: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 50 }),
        Type.Union([Type.String({ maxLength: 200 }), Type.Number(), Type.Boolean(), Type.Null()]),
        { maxProperties: 20, description: 'non-PHI context (ids, counts, kinds); PHI found here is masked' },
      ),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        actor: { id: EXAMPLE_ID.user, role: 'physician' },
        action: 'view',
        resourceType: 'patient',
        patientId: EXAMPLE_ID.patient,
        purpose: 'treatment',
        ip: '192.168.1.100',
        occurredAt: '2026-03-14T15:30:00.000Z',
      },
    ],
  },
);

const ReceiptAlert = Type.Object({
  id: Uuid,
  ruleId: Type.String(),
  riskLevel: RiskLevel,
  created: Type.Boolean({ description: 'false when the event was added to an alert already open' }),
});

export const AccessEventReceipt = Type.Object(
  {
    auditId: Type.String({ description: 'the audit event id (position in the hash chain)' }),
    recordedAt: IsoDateTime,
    evaluated: Type.Boolean({
      description: 'false when the monitor could not run at once; it evaluates later',
    }),
    alerts: Type.Array(ReceiptAlert),
  },
  { examples: [RECEIPT_EXAMPLE] },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

export const SecurityAlert = Type.Object(
  {
    id: Uuid,
    practiceId: Nullable(Type.String()),
    ruleId: Type.String(),
    title: Type.String(),
    riskLevel: RiskLevel,
    status: literals(['open', 'acknowledged', 'resolved'] as const),
    subject: Type.String({
      description: 'the account (user id, API key id or login e-mail) the alert is about',
    }),
    subjectDetail: Nullable(Type.String({ description: 'the patient or IP the alert is about, when one' })),
    firstEventAt: IsoDateTime,
    lastEventAt: IsoDateTime,
    eventCount: Type.Integer(),
    evidence: Type.Array(Type.String(), { description: 'audit event ids' }),
    details: Type.Record(Type.String(), Type.Unknown()),
    createdAt: IsoDateTime,
    acknowledged: Nullable(
      Type.Object({ by: Type.String(), at: IsoDateTime, note: Nullable(Type.String()) }),
    ),
    resolved: Nullable(
      Type.Object({
        by: Type.String(),
        at: IsoDateTime,
        resolution: Type.String(),
        note: Nullable(Type.String()),
      }),
    ),
  },
  { examples: [ALERT_EXAMPLE] },
);

export const AlertSearch = Type.Object(
  {
    status: Type.Optional(literals(['open', 'acknowledged', 'resolved'] as const)),
    riskLevel: Type.Optional(RiskLevel),
    minRisk: Type.Optional(RiskLevel),
    ruleId: Type.Optional(literals(RULE_IDS)),
    subject: Type.Optional(Type.String({ maxLength: 200 })),
    from: Type.Optional(IsoDateTime),
    to: Type.Optional(IsoDateTime),
    ...PageQuery,
  },
  { additionalProperties: false },
);

export const AcknowledgeBody = Type.Object(
  { note: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false, examples: [{ note: 'Checking with Dr. Chen: on call that evening' }] },
);

export const ResolveBody = Type.Object(
  {
    resolution: literals(['confirmed_violation', 'authorized', 'false_positive'] as const),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  {
    additionalProperties: false,
    examples: [{ resolution: 'authorized', note: 'Covering for Dr. Chen this week' }],
  },
);

export const RuleView = Type.Object(
  {
    id: Type.String(),
    title: Type.String(),
    description: Type.String(),
    enabled: Type.Boolean(),
    riskLevel: RiskLevel,
    params: Type.Record(Type.String(), Type.Unknown()),
    defaults: Type.Object({ riskLevel: RiskLevel, params: Type.Record(Type.String(), Type.Unknown()) }),
  },
  { examples: [RULE_EXAMPLE] },
);

export const RulePatch = Type.Object(
  {
    enabled: Type.Optional(Type.Boolean()),
    riskLevel: Type.Optional(RiskLevel),
    params: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, examples: [{ params: { maxPerHour: 80 }, riskLevel: 'high' }] },
);

export const RuleParams = Type.Object({ ruleId: Type.String({ maxLength: 60 }) });

export const WebhookView = Type.Object(
  {
    url: Type.String(),
    enabled: Type.Boolean(),
    minRisk: RiskLevel,
    updatedBy: Nullable(Type.String()),
    updatedAt: IsoDateTime,
  },
  { examples: [WEBHOOK_EXAMPLE] },
);

export const WebhookBody = Type.Object(
  {
    url: Type.String({
      minLength: 8,
      maxLength: 2000,
      examples: ['https://siem.example.org/hooks/intelluxe'],
    }),
    secret: Type.String({
      minLength: 16,
      maxLength: 200,
      description: 'HMAC-SHA256 key for the signature header',
    }),
    enabled: Type.Optional(Type.Boolean()),
    minRisk: Type.Optional(RiskLevel),
  },
  {
    additionalProperties: false,
    examples: [
      {
        url: 'https://siem.example.org/hooks/intelluxe',
        secret: 'whsec_3f9a1c7e5b2d4f6a8c0e',
        enabled: true,
        minRisk: 'high',
      },
    ],
  },
);

export const Retention = Type.Object(
  { days: Type.Integer(), default: Type.Integer() },
  { examples: [{ days: 2557, default: 2557 }] },
);
export const RetentionBody = Type.Object(
  { days: Type.Integer() },
  { additionalProperties: false, examples: [{ days: 3653 }] },
);

export const ReportQuery = Type.Object(
  {
    from: Type.String({
      maxLength: 40,
      description: 'date or date-time (inclusive)',
      examples: ['2026-01-01'],
    }),
    to: Type.String({
      maxLength: 40,
      description: 'date or date-time (exclusive)',
      examples: ['2026-04-01'],
    }),
    format: Type.Optional(literals(['json', 'csv', 'pdf'] as const)),
  },
  { additionalProperties: false },
);

const Row = <T extends Parameters<typeof Type.Object>[0]>(props: T) => Type.Array(Type.Object(props));

export const ComplianceReport = Type.Object(
  {
    period: Type.Object({ from: IsoDateTime, to: IsoDateTime }),
    generatedAt: IsoDateTime,
    summary: Type.Record(Type.String(), Type.Integer()),
    accessByUser: Row({
      actorId: Type.String(),
      actorRole: Nullable(Type.String()),
      accesses: Type.Integer(),
      distinctPatients: Type.Integer(),
    }),
    accessByResourceType: Row({ resourceType: Type.String(), accesses: Type.Integer() }),
    phiDetections: Row({ type: Type.String(), count: Type.Integer() }),
    alerts: Row({
      ruleId: Type.String(),
      riskLevel: Type.String(),
      status: Type.String(),
      resolution: Nullable(Type.String()),
      count: Type.Integer(),
    }),
    failedLogins: Row({ subject: Type.String(), count: Type.Integer() }),
    exports: Row({ actorId: Type.String(), action: Type.String(), count: Type.Integer() }),
  },
  { examples: [REPORT_EXAMPLE] },
);
