/**
 * The monitor's rules as data: what each rule looks for, its default risk level and parameters, and the pure
 * predicates over audit events the monitor evaluates them with. Practices override enabled, risk level and
 * parameters per rule (compliance_rules); whatever they leave out falls back to these defaults.
 */
import type { ChainedContent } from '../../platform/audit/chain.ts';
import type { FieldError } from '../../platform/errors.ts';

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

export const RULE_IDS = [
  'phi_export',
  'bulk_access',
  'after_hours',
  'hourly_access_rate',
  'no_care_relationship',
  'failed_logins',
  'new_ip',
  'break_glass',
] as const;
export type RuleId = (typeof RULE_IDS)[number];

/** HIPAA purposes of use, as the patients API takes them in X-Purpose-Of-Use. */
export const PURPOSES_OF_USE = [
  'treatment',
  'payment',
  'operations',
  'patient_request',
  'public_health',
  'legal',
  'break_glass',
] as const;

export function isRuleId(value: string): value is RuleId {
  return (RULE_IDS as readonly string[]).includes(value);
}

export function riskRank(level: string): number {
  return (RISK_LEVELS as readonly string[]).indexOf(level);
}

type ParamSpec =
  | { kind: 'int'; min: number; max: number }
  | { kind: 'time' }
  | { kind: 'weekdays' }
  | { kind: 'timezone' }
  | { kind: 'roles' };

export interface RuleDefinition {
  id: RuleId;
  title: string;
  description: string;
  defaultRisk: RiskLevel;
  defaultParams: Record<string, unknown>;
  params: Record<string, ParamSpec>;
}

const minutes = (max: number): ParamSpec => ({ kind: 'int', min: 1, max });

export const RULES: Record<RuleId, RuleDefinition> = {
  phi_export: {
    id: 'phi_export',
    title: 'PHI export or download',
    description: 'An account exported or downloaded records holding PHI.',
    defaultRisk: 'medium',
    defaultParams: { mergeWindowMinutes: 60 },
    params: { mergeWindowMinutes: minutes(10_080) },
  },
  bulk_access: {
    id: 'bulk_access',
    title: 'Bulk access to patient records',
    description: 'An account opened many distinct patients within a short window.',
    defaultRisk: 'high',
    defaultParams: { distinctPatients: 25, windowMinutes: 10 },
    params: { distinctPatients: { kind: 'int', min: 2, max: 100_000 }, windowMinutes: minutes(1440) },
  },
  after_hours: {
    id: 'after_hours',
    title: 'Access outside business hours',
    description:
      "PHI accessed outside the practice's business hours, in the practice's time zone unless the rule names one.",
    defaultRisk: 'low',
    defaultParams: { start: '07:00', end: '19:00', weekdays: [1, 2, 3, 4, 5], mergeWindowMinutes: 120 },
    params: {
      start: { kind: 'time' },
      end: { kind: 'time' },
      weekdays: { kind: 'weekdays' },
      timeZone: { kind: 'timezone' },
      mergeWindowMinutes: minutes(10_080),
    },
  },
  hourly_access_rate: {
    id: 'hourly_access_rate',
    title: 'More accesses in an hour than allowed',
    description: 'One account made more PHI accesses within any 60 minutes than the limit.',
    defaultRisk: 'medium',
    defaultParams: { maxPerHour: 50 },
    params: { maxPerHour: { kind: 'int', min: 1, max: 1_000_000 } },
  },
  no_care_relationship: {
    id: 'no_care_relationship',
    title: 'Access without a care relationship',
    description:
      "A clinician opened a patient they have no appointment or encounter with (the user's provider record).",
    defaultRisk: 'medium',
    defaultParams: { roles: ['physician'], mergeWindowMinutes: 1440 },
    params: { roles: { kind: 'roles' }, mergeWindowMinutes: minutes(10_080) },
  },
  failed_logins: {
    id: 'failed_logins',
    title: 'Repeated failed logins',
    description: 'Several failed or refused logins for one account within a short window.',
    defaultRisk: 'high',
    defaultParams: { maxFailures: 5, windowMinutes: 15 },
    params: { maxFailures: { kind: 'int', min: 2, max: 1000 }, windowMinutes: minutes(1440) },
  },
  new_ip: {
    id: 'new_ip',
    title: 'Access from a new IP address',
    description: 'An account acted from an IP address it has not used before.',
    defaultRisk: 'low',
    defaultParams: {},
    params: {},
  },
  break_glass: {
    id: 'break_glass',
    title: 'Break-the-glass access',
    description: 'PHI accessed under the emergency purpose of use (break_glass).',
    defaultRisk: 'high',
    defaultParams: { mergeWindowMinutes: 60 },
    params: { mergeWindowMinutes: minutes(10_080) },
  },
};

export interface RuleConfig {
  id: RuleId;
  enabled: boolean;
  riskLevel: RiskLevel;
  params: Record<string, unknown>;
}

export function defaultRuleConfig(id: RuleId): RuleConfig {
  const def = RULES[id];
  return { id, enabled: true, riskLevel: def.defaultRisk, params: { ...def.defaultParams } };
}

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const ROLE_NAMES = ['admin', 'physician', 'biller', 'front_desk', 'compliance_officer', 'practice_manager'];

/** Checks a rule's parameter overrides against its spec; returns the problems, each naming the field. */
export function validateRuleParams(id: RuleId, params: Record<string, unknown>, path: string): FieldError[] {
  const specs = RULES[id].params;
  const errors: FieldError[] = [];
  for (const [key, value] of Object.entries(params)) {
    const spec = specs[key];
    const at = `${path}/${key}`;
    if (!spec) {
      errors.push({ path: at, message: `is not a parameter of ${id}` });
      continue;
    }
    switch (spec.kind) {
      case 'int':
        if (!Number.isInteger(value) || (value as number) < spec.min || (value as number) > spec.max)
          errors.push({ path: at, message: `must be an integer from ${spec.min} to ${spec.max}` });
        break;
      case 'time':
        if (typeof value !== 'string' || !TIME.test(value))
          errors.push({ path: at, message: 'must be a time HH:MM (24-hour)' });
        break;
      case 'weekdays':
        if (
          !Array.isArray(value) ||
          value.some((d) => !Number.isInteger(d) || d < 0 || d > 6) ||
          new Set(value).size !== value.length
        )
          errors.push({ path: at, message: 'must be distinct weekdays 0 (Sunday) to 6 (Saturday)' });
        break;
      case 'timezone':
        if (typeof value !== 'string' || !isTimeZone(value))
          errors.push({ path: at, message: 'must be an IANA time zone such as America/New_York' });
        break;
      case 'roles':
        if (!Array.isArray(value) || value.some((r) => typeof r !== 'string' || !ROLE_NAMES.includes(r)))
          errors.push({ path: at, message: `must be roles among ${ROLE_NAMES.join(', ')}` });
        break;
    }
  }
  return errors;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// ---- audit events as the rules see them ------------------------------------------------------------------

/** An audit event as the rules read it: the chained content, less the request's user agent and id. */
export type MonitoredEvent = Omit<ChainedContent, 'userAgent' | 'requestId'>;

/** Resource types whose records hold PHI: reading or changing one is an access. */
export const PHI_RESOURCE_TYPES = [
  'patient',
  'coverage',
  'encounter',
  'appointment',
  'claim',
  'document',
  'patient_data',
  'medical_record',
  'conversation',
] as const;

const PHI_RESOURCES = new Set<string>(PHI_RESOURCE_TYPES);

/** Prefix of the actions recorded for access events reported by other services. */
export const REPORTED_ACCESS_PREFIX = 'access.';

/** A successful access to PHI by an account (users and API keys; the system's own work is not monitored). */
export function isAccess(e: MonitoredEvent): boolean {
  if (e.outcome !== 'success' || (e.actorType !== 'user' && e.actorType !== 'api_key') || !e.actorId)
    return false;
  return e.action.startsWith(REPORTED_ACCESS_PREFIX) || PHI_RESOURCES.has(e.resourceType ?? '');
}

/** An access that took PHI out of the platform. */
export function isExport(e: MonitoredEvent): boolean {
  return isAccess(e) && /(^|[._])(export|download)$/.test(e.action);
}

/** The patient an event is about, when it names one. */
export function patientOf(e: MonitoredEvent): string | null {
  if (e.resourceType === 'patient' && e.resourceId) return e.resourceId;
  const id = e.details.patientId;
  return typeof id === 'string' && id !== '' ? id : null;
}

export function isFailedLogin(e: MonitoredEvent): boolean {
  return e.action === 'auth.login' && (e.outcome === 'failure' || e.outcome === 'denied');
}

/** Whom a failed login is against: the e-mail tried (lower case), else the account. */
export function loginSubject(e: MonitoredEvent): string | null {
  const email = e.details.email;
  if (typeof email === 'string' && email !== '') return email.toLowerCase();
  return e.actorId;
}

/** When the access happened: the reporting service's time for reported events, else when it was recorded. */
export function accessTime(e: MonitoredEvent): Date {
  const reported = e.details.accessedAt;
  if (typeof reported === 'string') {
    const d = new Date(reported);
    if (!Number.isNaN(d.getTime())) return d;
  }
  return e.occurredAt;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The weekday (0 = Sunday) and minute of the day of `at` in `timeZone`. */
export function localClock(at: Date, timeZone: string): { weekday: number; minute: number } {
  let format = formatters.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value]));
  return {
    weekday: WEEKDAYS[parts.weekday ?? 'Sun'] ?? 0,
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

const toMinute = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Outside the business hours [start, end) on the business weekdays, in `timeZone`. */
export function isAfterHours(
  at: Date,
  timeZone: string,
  hours: { start: string; end: string; weekdays: readonly number[] },
): boolean {
  const { weekday, minute } = localClock(at, timeZone);
  if (!hours.weekdays.includes(weekday)) return true;
  return minute < toMinute(hours.start) || minute >= toMinute(hours.end);
}
