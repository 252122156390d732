/**
 * The compliance monitor: reads the audit trail from its cursor, in order, evaluates every enabled rule on each
 * new event and turns hits into security alerts. One transaction per batch locks the cursor row, so two
 * processes (the scheduled job and an access-event request) never evaluate the same events; hits of the same
 * rule about the same subject within the rule's window merge into one alert (the 51st access in an hour raises
 * one alert; the 52nd adds its event to that alert's evidence).
 */
import { Counter } from 'prom-client';
import type { Tx } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/platform.ts';
import * as repo from './repo.ts';
import {
  accessTime,
  defaultRuleConfig,
  isAccess,
  isAfterHours,
  isExport,
  isFailedLogin,
  localClock,
  loginSubject,
  type MonitoredEvent,
  patientOf,
  type RiskLevel,
  RULE_IDS,
  RULES,
  type RuleConfig,
  type RuleId,
  riskRank,
} from './rules.ts';

const BATCH = 500;
const MAX_EVIDENCE = 500;
const MINUTE = 60_000;

export const WEBHOOK_QUEUE = 'compliance-webhook';

/** One rule firing on one event. */
export interface RuleHit {
  ruleId: RuleId;
  riskLevel: RiskLevel;
  practiceId: string | null;
  subject: string;
  subjectDetail: string;
  at: Date;
  /** Hits within this many minutes of an unresolved alert's last event merge into it. */
  mergeMinutes: number;
  evidence: number[];
  details: Record<string, unknown>;
}

export interface TouchedAlert {
  id: string;
  ruleId: RuleId;
  riskLevel: RiskLevel;
  practiceId: string | null;
  created: boolean;
  evidence: number[];
}

export interface MonitorRun {
  processed: number;
  lastSeq: number;
  alerts: TouchedAlert[];
}

const scopeOf = (practiceId: string | null) => (practiceId ? `practice:${practiceId}` : 'global');

/** The effective configuration of every rule for a practice: defaults, then global rows, then the practice's. */
export async function effectiveRules(q: repo.Q, practiceId: string | null): Promise<RuleConfig[]> {
  const scopes = practiceId ? ['global', scopeOf(practiceId)] : ['global'];
  const rows = await repo.ruleRows(q, scopes);
  return RULE_IDS.map((id) => {
    const config = defaultRuleConfig(id);
    for (const scope of scopes) {
      const row = rows.find((r) => r.rule_id === id && r.scope === scope);
      if (row) {
        config.enabled = row.enabled;
        config.riskLevel = row.risk_level as RiskLevel;
        config.params = { ...config.params, ...row.params };
      }
    }
    return config;
  });
}

/** An alert this batch created or will extend, merged in memory and written once at the end of the batch. */
interface CachedAlert {
  id: string;
  evidence: Set<number>;
  eventCount: number;
  lastEventAt: Date;
  details: Record<string, unknown>;
  dirty: boolean;
}

/** Writers' clocks differ a little, so audit time is not strictly in seq order: window walks allow this much. */
const SKEW_MS = 5 * MINUTE;

/**
 * State kept across one batch: configuration and read-model lookups, cached per practice, account and pair;
 * each account's recent accesses (loaded once, then windows are walked in memory); the alerts being extended.
 */
class RunState {
  readonly rules = new Map<string, Map<RuleId, RuleConfig>>();
  readonly timeZones = new Map<string, string>();
  readonly accounts = new Map<string, repo.AccountRow | null>();
  readonly relationships = new Map<string, boolean>();
  readonly ips = new Map<string, Set<string>>();
  /** Each (account, IP) pair seen in this run: its first event and when it was last used. */
  readonly seenIps = new Map<string, repo.SeenIp>();

  readonly histories = new Map<string, { windowMs: number; rows: repo.AccessRow[] }>();
  readonly alerts = new Map<string, CachedAlert | null>();

  readonly tx: Tx;
  readonly #firstAt: number;
  readonly #lastSeq: number;

  constructor(tx: Tx, events: MonitoredEvent[]) {
    this.tx = tx;
    this.#firstAt = Math.min(...events.map((e) => e.occurredAt.getTime()));
    this.#lastSeq = events.at(-1)?.seq ?? 0;
  }

  /** The account's accesses from `windowMs` (plus the skew) before the batch's first event to its last. */
  async history(actorId: string, windowMs: number): Promise<repo.AccessRow[]> {
    const loaded = this.histories.get(actorId);
    if (loaded && loaded.windowMs >= windowMs) return loaded.rows;
    const since = new Date(this.#firstAt - windowMs - SKEW_MS);
    const rows = await repo.accessHistory(this.tx, actorId, since, this.#lastSeq);
    this.histories.set(actorId, { windowMs, rows });
    return rows;
  }

  async rule(practiceId: string | null, id: RuleId): Promise<RuleConfig | null> {
    const key = scopeOf(practiceId);
    let configs = this.rules.get(key);
    if (!configs) {
      configs = new Map((await effectiveRules(this.tx, practiceId)).map((c) => [c.id, c]));
      this.rules.set(key, configs);
    }
    const config = configs.get(id)!;
    return config.enabled ? config : null;
  }

  async timeZone(practiceId: string | null): Promise<string> {
    if (!practiceId) return 'UTC';
    let zone = this.timeZones.get(practiceId);
    if (!zone) {
      zone = (await repo.practiceTimeZone(this.tx, practiceId)) ?? 'UTC';
      this.timeZones.set(practiceId, zone);
    }
    return zone;
  }

  async account(userId: string): Promise<repo.AccountRow | null> {
    if (!this.accounts.has(userId)) {
      const found = await repo.accounts(this.tx, [userId]);
      this.accounts.set(userId, found.get(userId) ?? null);
    }
    return this.accounts.get(userId) ?? null;
  }

  async related(providerId: string, patientId: string): Promise<boolean> {
    const key = `${providerId}/${patientId}`;
    let related = this.relationships.get(key);
    if (related === undefined) {
      related = await repo.hasCareRelationship(this.tx, providerId, patientId);
      this.relationships.set(key, related);
    }
    return related;
  }

  async knownIps(actorId: string): Promise<Set<string>> {
    let ips = this.ips.get(actorId);
    if (!ips) {
      ips = await repo.knownIps(this.tx, actorId);
      this.ips.set(actorId, ips);
    }
    return ips;
  }
}

const num = (value: unknown, fallback: number) => (typeof value === 'number' ? value : fallback);

/**
 * The accesses within (since, event], walking back from the event through rows in seq order; it stops once
 * the rows are older than `since` by more than the writers' clock skew.
 */
function* within(rows: repo.AccessRow[], seq: number, sinceMs: number): Generator<repo.AccessRow> {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows[mid]!.seq <= seq) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0; i--) {
    const row = rows[i]!;
    if (row.at < sinceMs - SKEW_MS) return;
    if (row.at > sinceMs) yield row;
  }
}

/** Every rule hit one event produces. */
async function evaluate(e: MonitoredEvent, s: RunState): Promise<RuleHit[]> {
  const hits: RuleHit[] = [];
  const hit = (
    config: RuleConfig,
    subject: string,
    fields: Partial<RuleHit> & { evidence: number[]; details: Record<string, unknown> },
  ) =>
    hits.push({
      ruleId: config.id,
      riskLevel: config.riskLevel,
      practiceId: e.practiceId,
      subject,
      subjectDetail: '',
      at: e.occurredAt,
      mergeMinutes: num(config.params.mergeWindowMinutes, 60),
      ...fields,
    });

  if (isFailedLogin(e)) {
    const config = await s.rule(e.practiceId, 'failed_logins');
    const subject = loginSubject(e);
    if (config && subject) {
      const windowMinutes = num(config.params.windowMinutes, 15);
      const seqs = await repo.failedLoginSeqsSince(
        s.tx,
        subject,
        new Date(e.occurredAt.getTime() - windowMinutes * MINUTE),
        e.seq,
      );
      if (seqs.length >= num(config.params.maxFailures, 5)) {
        hit(config, subject, {
          mergeMinutes: windowMinutes,
          evidence: seqs.reverse(),
          details: { failures: seqs.length, windowMinutes, email: e.details.email ?? null },
        });
      }
    }
  }

  const actor = e.actorId;
  if (actor && e.actorType === 'user' && e.ip && e.outcome === 'success') {
    const known = await s.knownIps(actor);
    if (!known.has(e.ip)) {
      const config = await s.rule(e.practiceId, 'new_ip');
      if (config && known.size > 0) {
        hit(config, actor, {
          subjectDetail: e.ip,
          mergeMinutes: 10_080,
          evidence: [e.seq],
          details: { ip: e.ip, knownIps: known.size },
        });
      }
      known.add(e.ip);
    }
    const key = `${actor}\u0000${e.ip}`;
    const seen = s.seenIps.get(key);
    if (seen) seen.lastAt = e.occurredAt;
    else
      s.seenIps.set(key, {
        actorId: actor,
        ip: e.ip,
        seq: e.seq,
        firstAt: e.occurredAt,
        lastAt: e.occurredAt,
      });
  }

  if (!actor || !isAccess(e)) return hits;
  const patient = patientOf(e);

  if (isExport(e)) {
    const config = await s.rule(e.practiceId, 'phi_export');
    if (config)
      hit(config, actor, {
        evidence: [e.seq],
        details: { action: e.action, resourceType: e.resourceType, patientId: patient },
      });
  }

  if (e.purpose === 'break_glass') {
    const config = await s.rule(e.practiceId, 'break_glass');
    if (config)
      hit(config, actor, {
        subjectDetail: patient ?? '',
        evidence: [e.seq],
        details: { action: e.action, resourceType: e.resourceType, patientId: patient },
      });
  }

  const rate = await s.rule(e.practiceId, 'hourly_access_rate');
  const bulk = patient ? await s.rule(e.practiceId, 'bulk_access') : null;
  if (rate || bulk) {
    const bulkMinutes = num(bulk?.params.windowMinutes, 10);
    const rows = await s.history(actor, Math.max(60, bulk ? bulkMinutes : 0) * MINUTE);
    const at = e.occurredAt.getTime();
    if (rate) {
      const limit = num(rate.params.maxPerHour, 50);
      let count = 0;
      const seqs: number[] = [];
      for (const row of within(rows, e.seq, at - 60 * MINUTE)) {
        count += 1;
        if (seqs.length < MAX_EVIDENCE) seqs.push(row.seq);
        if (count > limit && seqs.length >= MAX_EVIDENCE) break;
      }
      if (count > limit) {
        hit(rate, actor, { mergeMinutes: 60, evidence: seqs.reverse(), details: { maxPerHour: limit } });
      }
    }
    if (bulk) {
      const threshold = num(bulk.params.distinctPatients, 25);
      const patients = new Map<string, number>();
      for (const row of within(rows, e.seq, at - bulkMinutes * MINUTE))
        if (row.patient && !patients.has(row.patient)) patients.set(row.patient, row.seq);
      if (patients.size >= threshold) {
        hit(bulk, actor, {
          mergeMinutes: bulkMinutes,
          evidence: [...patients.values()].sort((a, b) => a - b),
          details: { distinctPatients: patients.size, windowMinutes: bulkMinutes },
        });
      }
    }
  }

  const afterHours = await s.rule(e.practiceId, 'after_hours');
  if (afterHours) {
    const p = afterHours.params;
    const timeZone = typeof p.timeZone === 'string' ? p.timeZone : await s.timeZone(e.practiceId);
    const at = accessTime(e);
    const hours = {
      start: String(p.start ?? '07:00'),
      end: String(p.end ?? '19:00'),
      weekdays: Array.isArray(p.weekdays) ? (p.weekdays as number[]) : [1, 2, 3, 4, 5],
    };
    if (isAfterHours(at, timeZone, hours)) {
      const { weekday, minute } = localClock(at, timeZone);
      hit(afterHours, actor, {
        at,
        evidence: [e.seq],
        details: {
          timeZone,
          localWeekday: weekday,
          localTime: `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`,
          businessHours: hours,
        },
      });
    }
  }

  if (patient && e.actorType === 'user' && !e.action.endsWith('.create')) {
    const config = await s.rule(e.practiceId, 'no_care_relationship');
    const account = config ? await s.account(actor) : null;
    const roles = Array.isArray(config?.params.roles) ? (config.params.roles as string[]) : ['physician'];
    if (config && account?.providerId && roles.includes(account.role)) {
      if (!(await s.related(account.providerId, patient))) {
        hit(config, actor, {
          subjectDetail: patient,
          evidence: [e.seq],
          details: { patientId: patient, providerId: account.providerId, action: e.action },
        });
      }
    }
  }
  return hits;
}

/**
 * Creates an alert for the hit, or adds the hit's events to the unresolved alert it merges with. The alert row is
 * locked when first read in the batch and its new evidence written once, by `writeAlerts`.
 */
async function raise(s: RunState, h: RuleHit): Promise<TouchedAlert> {
  const key = `${h.ruleId}\u0000${h.subject}\u0000${h.subjectDetail}`;
  const since = new Date(h.at.getTime() - h.mergeMinutes * MINUTE);
  let cached = s.alerts.get(key);
  if (cached === undefined) {
    const row = await repo.mergeableAlert(s.tx, h.ruleId, h.subject, h.subjectDetail, since);
    cached = row
      ? {
          id: row.id,
          evidence: new Set(row.evidence),
          eventCount: row.event_count,
          lastEventAt: row.last_event_at,
          details: h.details,
          dirty: false,
        }
      : null;
    s.alerts.set(key, cached);
  }
  const touched = {
    ruleId: h.ruleId,
    riskLevel: h.riskLevel,
    practiceId: h.practiceId,
    evidence: h.evidence,
  };
  if (cached && cached.lastEventAt >= since) {
    for (const seq of h.evidence) {
      if (cached.evidence.has(seq)) continue;
      cached.evidence.add(seq);
      cached.eventCount += 1;
    }
    if (h.at > cached.lastEventAt) cached.lastEventAt = h.at;
    cached.details = h.details;
    cached.dirty = true;
    return { id: cached.id, created: false, ...touched };
  }
  const evidence = h.evidence.slice(-MAX_EVIDENCE);
  const row = await s.tx
    .insertInto('security_alerts')
    .values({
      practice_id: h.practiceId,
      rule_id: h.ruleId,
      risk_level: h.riskLevel,
      title: RULES[h.ruleId].title,
      subject: h.subject,
      subject_detail: h.subjectDetail,
      first_event_at: h.at,
      last_event_at: h.at,
      event_count: h.evidence.length,
      evidence: JSON.stringify(evidence),
      details: JSON.stringify(h.details),
      updated_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  s.alerts.set(key, {
    id: row.id,
    evidence: new Set(evidence),
    eventCount: h.evidence.length,
    lastEventAt: h.at,
    details: h.details,
    dirty: false,
  });
  return { id: row.id, created: true, ...touched };
}

/** Writes the merged evidence of the alerts this batch extended. */
async function writeAlerts(s: RunState): Promise<void> {
  for (const alert of s.alerts.values()) {
    if (!alert?.dirty) continue;
    const evidence = [...alert.evidence].sort((a, b) => a - b).slice(-MAX_EVIDENCE);
    await s.tx
      .updateTable('security_alerts')
      .set({
        evidence: JSON.stringify(evidence),
        event_count: alert.eventCount,
        last_event_at: alert.lastEventAt,
        details: JSON.stringify(alert.details),
        updated_at: new Date(),
      })
      .where('id', '=', alert.id)
      .execute();
  }
}

/**
 * Records a webhook delivery for a new alert when its practice (or the platform) has a target that wants it;
 * returns the delivery id, enqueued once the batch commits.
 */
async function queueNotification(tx: Tx, alert: TouchedAlert): Promise<string | null> {
  const scopes = alert.practiceId ? [scopeOf(alert.practiceId), 'global'] : ['global'];
  const targets = await tx
    .selectFrom('compliance_webhooks')
    .selectAll()
    .where('scope', 'in', scopes)
    .where('enabled', '=', true)
    .execute();
  const target = targets.find((t) => t.scope === scopes[0]) ?? targets[0];
  if (!target || riskRank(alert.riskLevel) < riskRank(target.min_risk)) return null;
  const delivery = await tx
    .insertInto('compliance_webhook_deliveries')
    .values({ alert_id: alert.id, url: target.url })
    .returning('id')
    .executeTakeFirstOrThrow();
  return delivery.id;
}

/** The alerts counter on the platform's registry (registered on first use, shared by the job and the API). */
function alertsRaised(platform: Platform): Counter<'rule' | 'risk'> {
  const name = 'intelluxe_security_alerts_raised_total';
  const existing = platform.metrics.registry.getSingleMetric(name);
  if (existing) return existing as Counter<'rule' | 'risk'>;
  return new Counter({
    name,
    help: 'Security alerts raised by the compliance monitor',
    labelNames: ['rule', 'risk'],
    registers: [platform.metrics.registry],
  });
}

export class ComplianceMonitor {
  readonly #p: Platform;

  constructor(platform: Platform) {
    this.#p = platform;
  }

  #queueDelivery(deliveryId: string) {
    return this.#p.jobs.send(WEBHOOK_QUEUE, { deliveryId }, { id: deliveryId });
  }

  /** Evaluates every audit event recorded since the last run; returns the alerts created or extended. */
  async run(): Promise<MonitorRun> {
    const result: MonitorRun = { processed: 0, lastSeq: 0, alerts: [] };
    for (;;) {
      const batch = await this.#p.db.transaction().execute(async (tx) => {
        const cursor = await repo.lockCursor(tx);
        const events = await repo.eventsAfter(tx, cursor, BATCH);
        const state = new RunState(tx, events);
        const touched: TouchedAlert[] = [];
        const deliveries: string[] = [];
        for (const event of events) {
          for (const h of await evaluate(event, state)) {
            const alert = await raise(state, h);
            if (alert.created) {
              const delivery = await queueNotification(tx, alert);
              if (delivery) deliveries.push(delivery);
            }
            touched.push(alert);
          }
        }
        await writeAlerts(state);
        await repo.rememberIps(tx, [...state.seenIps.values()]);
        const last = events.at(-1)?.seq ?? cursor;
        if (events.length > 0) await repo.setCursor(tx, last);
        return { count: events.length, last, touched, deliveries };
      });
      // Enqueued after the commit: on the embedded database the job engine shares the one connection the
      // batch's transaction holds. The job id is the delivery id, so a delivery is queued at most once, and one
      // whose job was lost (a crash between the commit and here) is queued by a later run's sweep.
      for (const deliveryId of batch.deliveries) await this.#queueDelivery(deliveryId);
      result.processed += batch.count;
      result.lastSeq = batch.last;
      result.alerts.push(...batch.touched);
      if (batch.count < BATCH) break;
    }
    const stranded = await this.#p.db
      .selectFrom('compliance_webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('attempts', '=', 0)
      .where('created_at', '<', new Date(Date.now() - 10 * MINUTE))
      .limit(100)
      .execute();
    for (const d of stranded) await this.#queueDelivery(d.id);
    const created = result.alerts.filter((a) => a.created);
    for (const alert of created) alertsRaised(this.#p).inc({ rule: alert.ruleId, risk: alert.riskLevel });
    // Recorded together, so the audit log commits them as one group.
    await Promise.all(
      created.map((alert) =>
        this.#p.audit.record({
          action: 'compliance.alert.raise',
          outcome: 'success',
          actorType: 'system',
          actorId: 'compliance-monitor',
          practiceId: alert.practiceId,
          resourceType: 'security_alert',
          resourceId: alert.id,
          details: { rule: alert.ruleId, riskLevel: alert.riskLevel, evidence: alert.evidence.slice(0, 50) },
        }),
      ),
    );
    return result;
  }
}
