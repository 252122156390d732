/** Thin queries of the compliance module. Every function takes the database or an open transaction. */
import { type SqlBool, sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import { isUuid } from '../../platform/http/schemas.ts';
import { type MonitoredEvent, PHI_RESOURCE_TYPES, REPORTED_ACCESS_PREFIX } from './rules.ts';

export type Q = Db | Tx;

/** The SQL twin of rules.isAccess, for window queries over audit_events. */
const accessPredicate = sql<SqlBool>`(outcome = 'success' AND actor_type IN ('user', 'api_key') AND
  (action LIKE ${`${REPORTED_ACCESS_PREFIX}%`} OR resource_type IN (${sql.join([...PHI_RESOURCE_TYPES])})))`;

/** The patient key of an audit row, as rules.patientOf computes it. */
const patientKey = sql<string | null>`CASE WHEN resource_type = 'patient' THEN resource_id
  ELSE details->>'patientId' END`;

// ---- the monitor's cursor and input ----------------------------------------------------------------------

export async function lockCursor(tx: Tx): Promise<number> {
  const row = await tx
    .selectFrom('compliance_monitor_cursor')
    .select('last_seq')
    .where('id', '=', 1)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function setCursor(tx: Tx, seq: number): Promise<void> {
  await tx
    .updateTable('compliance_monitor_cursor')
    .set({ last_seq: seq, updated_at: new Date() })
    .where('id', '=', 1)
    .execute();
}

export async function readCursor(q: Q): Promise<number> {
  const row = await q
    .selectFrom('compliance_monitor_cursor')
    .select('last_seq')
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export async function eventsAfter(q: Q, seq: number, limit: number): Promise<MonitoredEvent[]> {
  const rows = await q
    .selectFrom('audit_events')
    .select([
      'seq',
      'occurred_at',
      'practice_id',
      'actor_type',
      'actor_id',
      'actor_role',
      'action',
      'resource_type',
      'resource_id',
      'purpose',
      'outcome',
      'ip',
      'details',
    ])
    .where('seq', '>', seq)
    .orderBy('seq')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    seq: r.seq,
    occurredAt: r.occurred_at,
    practiceId: r.practice_id,
    actorType: r.actor_type,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    purpose: r.purpose,
    outcome: r.outcome,
    ip: r.ip,
    details: r.details ?? {},
  }));
}

export interface AccessRow {
  seq: number;
  /** occurred_at in epoch milliseconds */
  at: number;
  patient: string | null;
}

/** One account's accesses after `since`, up to `uptoSeq`, in seq order, with the patient each names. */
export async function accessHistory(
  q: Q,
  actorId: string,
  since: Date,
  uptoSeq: number,
): Promise<AccessRow[]> {
  const { rows } = await sql<{ seq: number; occurred_at: Date; patient: string | null }>`
    SELECT seq, occurred_at, ${patientKey} AS patient FROM audit_events
    WHERE actor_id = ${actorId} AND occurred_at > ${since} AND seq <= ${uptoSeq} AND ${accessPredicate}
    ORDER BY seq
  `.execute(q);
  return rows.map((r) => ({ seq: r.seq, at: r.occurred_at.getTime(), patient: r.patient }));
}

/** Seqs of failed or refused logins against one e-mail (or account) in (since, event]. */
export async function failedLoginSeqsSince(
  q: Q,
  subject: string,
  since: Date,
  uptoSeq: number,
): Promise<number[]> {
  const rows = await q
    .selectFrom('audit_events')
    .select('seq')
    .where('action', '=', 'auth.login')
    .where('outcome', 'in', ['failure', 'denied'])
    .where('occurred_at', '>', since)
    .where('seq', '<=', uptoSeq)
    .where((eb) => eb.or([eb(sql`lower(details->>'email')`, '=', subject), eb('actor_id', '=', subject)]))
    .orderBy('seq', 'desc')
    .limit(1000)
    .execute();
  return rows.map((r) => r.seq);
}

// ---- read models over other modules' tables ---------------------------------------------------------------
// The monitor runs inside its own transaction over thousands of events, so it reads these few columns directly
// instead of going through the auth and patients services (which audit every call, and would feed the monitor
// its own reads). They are read-only and limited to what the rules need.

export interface AccountRow {
  role: string;
  providerId: string | null;
}

/** Read model (users): the role and provider record of the accounts named. */
export async function accounts(q: Q, userIds: string[]): Promise<Map<string, AccountRow>> {
  const ids = userIds.filter(isUuid);
  if (ids.length === 0) return new Map();
  const rows = await q
    .selectFrom('users')
    .select(['id', 'role', 'provider_id'])
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((r) => [r.id, { role: r.role, providerId: r.provider_id }]));
}

/** Read model (appointments, encounters): whether the provider has seen or booked the patient. */
export async function hasCareRelationship(q: Q, providerId: string, patientId: string): Promise<boolean> {
  if (!isUuid(patientId)) return false;
  const { rows } = await sql<{ found: boolean }>`
    SELECT EXISTS (SELECT 1 FROM appointments WHERE patient_id = ${patientId} AND provider_id = ${providerId})
        OR EXISTS (SELECT 1 FROM encounters WHERE patient_id = ${patientId} AND provider_id = ${providerId})
      AS found
  `.execute(q);
  return rows[0]?.found === true;
}

/** Read model (practices): the practice's time zone. */
export async function practiceTimeZone(q: Q, practiceId: string): Promise<string | null> {
  const row = await q
    .selectFrom('practices')
    .select('timezone')
    .where('id', '=', practiceId)
    .executeTakeFirst();
  return row?.timezone ?? null;
}

// ---- known IPs ---------------------------------------------------------------------------------------------

export async function knownIps(q: Q, actorId: string): Promise<Set<string>> {
  const rows = await q
    .selectFrom('compliance_known_ips')
    .select('ip')
    .where('actor_id', '=', actorId)
    .execute();
  return new Set(rows.map((r) => r.ip));
}

export interface SeenIp {
  actorId: string;
  ip: string;
  seq: number;
  firstAt: Date;
  lastAt: Date;
}

export async function rememberIps(q: Q, seen: SeenIp[]): Promise<void> {
  if (seen.length === 0) return;
  await q
    .insertInto('compliance_known_ips')
    .values(
      seen.map((s) => ({
        actor_id: s.actorId,
        ip: s.ip,
        first_seq: s.seq,
        first_seen_at: s.firstAt,
        last_seen_at: s.lastAt,
      })),
    )
    .onConflict((oc) =>
      oc.columns(['actor_id', 'ip']).doUpdateSet({
        last_seen_at: sql`greatest(compliance_known_ips.last_seen_at, excluded.last_seen_at)`,
      }),
    )
    .execute();
}

// ---- rules -------------------------------------------------------------------------------------------------

export async function ruleRows(q: Q, scopes: string[]) {
  return q.selectFrom('compliance_rules').selectAll().where('scope', 'in', scopes).execute();
}

// ---- alerts ------------------------------------------------------------------------------------------------

/** The unresolved alert of this rule and subject whose last event is at or after `since`, if any. */
export async function mergeableAlert(
  q: Q,
  ruleId: string,
  subject: string,
  subjectDetail: string,
  since: Date,
) {
  return q
    .selectFrom('security_alerts')
    .select(['id', 'evidence', 'event_count', 'last_event_at'])
    .where('rule_id', '=', ruleId)
    .where('subject', '=', subject)
    .where('subject_detail', '=', subjectDetail)
    .where('status', '<>', 'resolved')
    .where('last_event_at', '>=', since)
    .orderBy('last_event_at', 'desc')
    .limit(1)
    .forUpdate()
    .executeTakeFirst();
}
