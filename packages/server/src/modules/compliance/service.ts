/**
 * Compliance: PHI scanning and de-identification as a service (audited by counts, never the text), the access
 * events other services report, the monitor's security alerts and their lifecycle, rule configuration, webhook
 * targets, retention and period reports.
 */

import { containsPhi, type DeidentifyMode, deidentify, type PhiType, type Span, scan } from '@intelluxe/phi';
import { sql } from 'kysely';
import type { AuditEventInput } from '../../platform/audit/log.ts';
import { isRealDate } from '../../platform/dates.ts';
import { afterCreatedAt, microsKey, timestampCursor } from '../../platform/db/keyset.ts';
import { ConflictError, invalidField, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { encodeCursor } from '../../platform/http/schemas.ts';
import { maskFreeText } from '../../platform/logger.ts';
import { countByType, phiSurrogateKey } from '../../platform/phi-guard.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditActor } from '../auth/service.ts';
import { ComplianceMonitor, effectiveRules, type TouchedAlert } from './monitor.ts';
import * as repo from './repo.ts';
import { buildReport, type ComplianceReport } from './reports.ts';
import {
  applyRetention,
  DEFAULT_RETENTION_DAYS,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  RETENTION_KEY,
  type RetentionResult,
  retentionDays,
} from './retention.ts';
import {
  isRuleId,
  PHI_RESOURCE_TYPES,
  REPORTED_ACCESS_PREFIX,
  RISK_LEVELS,
  type RiskLevel,
  RULES,
  type RuleConfig,
  riskRank,
  validateRuleParams,
} from './rules.ts';

export type PhiCounts = Partial<Record<PhiType, number>>;

export interface PhiScanResult {
  containsPhi: boolean;
  spans: Array<Pick<Span, 'start' | 'end' | 'type' | 'confidence'>>;
  counts: PhiCounts;
}

export interface DeidentifyInput {
  text: string;
  mode: DeidentifyMode;
  patientKey?: string;
  types?: PhiType[];
  minConfidence?: number;
}

export interface AccessEventInput {
  actor: { id: string; type?: 'user' | 'api_key'; role?: string };
  action: string;
  resourceType: string;
  resourceId?: string;
  patientId?: string;
  purpose?: string;
  outcome?: 'success' | 'failure' | 'denied';
  ip?: string;
  userAgent?: string;
  occurredAt?: string;
  details?: Record<string, string | number | boolean | null>;
}

export interface AccessEventReceipt {
  auditId: string;
  recordedAt: string;
  /** False when the monitor could not run right away (the scheduled run evaluates the event). */
  evaluated: boolean;
  alerts: Array<{ id: string; ruleId: string; riskLevel: RiskLevel; created: boolean }>;
}

export type AlertStatus = 'open' | 'acknowledged' | 'resolved';
export type AlertResolution = 'confirmed_violation' | 'authorized' | 'false_positive';

export interface SecurityAlert {
  id: string;
  practiceId: string | null;
  ruleId: string;
  title: string;
  riskLevel: RiskLevel;
  status: AlertStatus;
  subject: string;
  subjectDetail: string | null;
  firstEventAt: string;
  lastEventAt: string;
  eventCount: number;
  evidence: string[];
  details: Record<string, unknown>;
  createdAt: string;
  acknowledged: { by: string; at: string; note: string | null } | null;
  resolved: { by: string; at: string; resolution: AlertResolution; note: string | null } | null;
}

export interface AlertQuery {
  status?: AlertStatus;
  riskLevel?: RiskLevel;
  minRisk?: RiskLevel;
  ruleId?: string;
  subject?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface RuleView extends RuleConfig {
  title: string;
  description: string;
  defaults: { riskLevel: RiskLevel; params: Record<string, unknown> };
}

export interface WebhookView {
  url: string;
  enabled: boolean;
  minRisk: RiskLevel;
  updatedBy: string | null;
  updatedAt: string;
}

const MAX_TEXT = 1_000_000;
const MAX_CLOCK_SKEW_MS = 5 * 60_000;
const MAX_REPORT_DAYS = 3660;

const scopeOf = (practiceId: string | null | undefined) => (practiceId ? `practice:${practiceId}` : 'global');
const pick = (s: Span) => ({ start: s.start, end: s.end, type: s.type, confidence: s.confidence });

type AlertRow = Awaited<ReturnType<ComplianceService['alertRow']>>;

export class ComplianceService {
  readonly #p: Platform;
  readonly monitor: ComplianceMonitor;

  constructor(platform: Platform) {
    this.#p = platform;
    this.monitor = new ComplianceMonitor(platform);
  }

  // ---- PHI scanning and de-identification -----------------------------------------------------------------

  /** Scans text for identifiers. Audited with the counts per type only: the text is neither stored nor logged. */
  async scanText(
    actor: AuditActor,
    input: { text: string; types?: PhiType[]; minConfidence?: number },
  ): Promise<PhiScanResult> {
    if (input.text.length > MAX_TEXT) throw invalidField('/text', `is longer than ${MAX_TEXT} characters`);
    const spans = scan(input.text, { types: input.types, minConfidence: input.minConfidence });
    const counts = countByType(spans);
    await this.#p.audit.record({
      ...actor,
      action: 'phi.scan',
      outcome: 'success',
      resourceType: 'phi_text',
      details: { characters: input.text.length, spans: spans.length, counts },
    });
    return { containsPhi: spans.length > 0, spans: spans.map(pick), counts };
  }

  /** De-identifies text; pseudonyms and date shifts are keyed by the platform and scoped by `patientKey`. */
  async deidentifyText(
    actor: AuditActor,
    input: DeidentifyInput,
  ): Promise<{ text: string; mode: DeidentifyMode; counts: PhiCounts; spans: PhiScanResult['spans'] }> {
    if (input.text.length > MAX_TEXT) throw invalidField('/text', `is longer than ${MAX_TEXT} characters`);
    const result = deidentify(input.text, {
      mode: input.mode,
      key: phiSurrogateKey(this.#p.masterKey),
      patientKey: input.patientKey,
      scanOptions: { types: input.types, minConfidence: input.minConfidence },
    });
    const counts = countByType(result.spans);
    await this.#p.audit.record({
      ...actor,
      action: 'phi.deidentify',
      outcome: 'success',
      resourceType: 'phi_text',
      details: { mode: input.mode, characters: input.text.length, spans: result.spans.length, counts },
    });
    return { text: result.text, mode: input.mode, counts, spans: result.spans.map(pick) };
  }

  // ---- access events ---------------------------------------------------------------------------------------

  /**
   * Records an access another service reports (as the account that made it) in the audit trail, then runs the
   * monitor at once so the reporter learns whether it raised an alert.
   */
  async recordAccessEvent(reporter: AuditActor, input: AccessEventInput): Promise<AccessEventReceipt> {
    const errors = [];
    const action = input.action.trim().toLowerCase();
    if (!/^[a-z][a-z0-9_.-]{0,60}$/.test(action))
      errors.push({ path: '/action', message: 'must be a word such as view, update, export or download' });
    let accessedAt: Date | null = null;
    if (input.occurredAt !== undefined) {
      accessedAt = new Date(input.occurredAt);
      if (Number.isNaN(accessedAt.getTime()))
        errors.push({ path: '/occurredAt', message: 'is not a date-time' });
      else if (accessedAt.getTime() > Date.now() + MAX_CLOCK_SKEW_MS)
        errors.push({ path: '/occurredAt', message: 'is in the future' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    const details: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input.details ?? {})) {
      // Context only: a reporter that puts a name or a note here gets it de-identified, never stored.
      details[key] = typeof value === 'string' && containsPhi(value) ? maskFreeText(value) : value;
    }
    const event: AuditEventInput = {
      action: `${REPORTED_ACCESS_PREFIX}${action}`,
      outcome: input.outcome ?? 'success',
      actorType: input.actor.type ?? 'user',
      actorId: input.actor.id,
      actorRole: input.actor.role ?? null,
      practiceId: reporter.practiceId ?? null,
      resourceType: input.resourceType,
      resourceId: input.resourceId ?? input.patientId ?? null,
      purpose: input.purpose ?? null,
      ip: input.ip ?? null,
      userAgent: input.userAgent ?? null,
      requestId: reporter.requestId ?? null,
      details: {
        ...details,
        ...(input.patientId && { patientId: input.patientId }),
        ...(accessedAt && { accessedAt: accessedAt.toISOString() }),
        reportedBy: { type: reporter.actorType, id: reporter.actorId ?? null, ip: reporter.ip ?? null },
      },
    };
    const receipt = await this.#p.audit.record(event);
    try {
      const run = await this.monitor.run();
      return {
        auditId: String(receipt.seq),
        recordedAt: new Date().toISOString(),
        evaluated: true,
        alerts: alertsFor(run.alerts, receipt.seq),
      };
    } catch (error) {
      // The event is recorded; the scheduled monitor evaluates it on its next run. Failing the request would
      // only make the reporter send (and record) it again.
      this.#p.logger.warn(
        { err: error, auditId: receipt.seq },
        'compliance monitor run after an access event failed',
      );
      return {
        auditId: String(receipt.seq),
        recordedAt: new Date().toISOString(),
        evaluated: false,
        alerts: [],
      };
    }
  }

  // ---- alerts ---------------------------------------------------------------------------------------------

  alertRow(id: string) {
    return this.#p.db.selectFrom('security_alerts').selectAll().where('id', '=', id).executeTakeFirst();
  }

  #view(r: NonNullable<AlertRow>): SecurityAlert {
    return {
      id: r.id,
      practiceId: r.practice_id,
      ruleId: r.rule_id,
      title: r.title,
      riskLevel: r.risk_level as RiskLevel,
      status: r.status as AlertStatus,
      subject: r.subject,
      subjectDetail: r.subject_detail === '' ? null : r.subject_detail,
      firstEventAt: r.first_event_at.toISOString(),
      lastEventAt: r.last_event_at.toISOString(),
      eventCount: r.event_count,
      evidence: r.evidence.map(String),
      details: r.details,
      createdAt: r.created_at.toISOString(),
      acknowledged:
        r.acknowledged_by && r.acknowledged_at
          ? { by: r.acknowledged_by, at: r.acknowledged_at.toISOString(), note: r.acknowledge_note }
          : null,
      resolved:
        r.resolved_by && r.resolved_at && r.resolution
          ? {
              by: r.resolved_by,
              at: r.resolved_at.toISOString(),
              resolution: r.resolution as AlertResolution,
              note: r.resolution_note,
            }
          : null,
    };
  }

  #visible(practiceId: string | null, row: { practice_id: string | null }): boolean {
    return !practiceId || row.practice_id === null || row.practice_id === practiceId;
  }

  async listAlerts(
    practiceId: string | null,
    query: AlertQuery,
  ): Promise<{ items: SecurityAlert[]; nextCursor: string | null }> {
    if (query.from && query.to && query.from > query.to) throw invalidField('/query/to', 'is before from');
    const after = timestampCursor(query.cursor);
    const limit = query.limit ?? 50;
    let q = this.#p.db
      .selectFrom('security_alerts')
      .selectAll()
      .select(microsKey('created_at').as('cursor_at'));
    if (practiceId)
      q = q.where((eb) => eb.or([eb('practice_id', '=', practiceId), eb('practice_id', 'is', null)]));
    if (query.status) q = q.where('status', '=', query.status);
    if (query.riskLevel) q = q.where('risk_level', '=', query.riskLevel);
    if (query.minRisk)
      q = q.where(
        'risk_level',
        'in',
        RISK_LEVELS.filter((r) => riskRank(r) >= riskRank(query.minRisk!)),
      );
    if (query.ruleId) q = q.where('rule_id', '=', query.ruleId);
    if (query.subject) q = q.where('subject', '=', query.subject);
    if (query.from) q = q.where('created_at', '>=', new Date(query.from));
    if (query.to) q = q.where('created_at', '<', new Date(query.to));
    if (after) q = q.where(afterCreatedAt(after));
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => this.#view(r)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
    };
  }

  async getAlert(practiceId: string | null, id: string): Promise<SecurityAlert> {
    const row = await this.alertRow(id);
    if (!row || !this.#visible(practiceId, row)) throw new NotFoundError('security alert', id, '/id');
    return this.#view(row);
  }

  /** open → acknowledged. */
  async acknowledgeAlert(actor: AuditActor, id: string, note: string | undefined): Promise<SecurityAlert> {
    return this.#transition(actor, id, 'acknowledged', { note });
  }

  /** acknowledged → resolved, with the outcome of the review. */
  async resolveAlert(
    actor: AuditActor,
    id: string,
    input: { resolution: AlertResolution; note?: string },
  ): Promise<SecurityAlert> {
    return this.#transition(actor, id, 'resolved', input);
  }

  async #transition(
    actor: AuditActor,
    id: string,
    to: 'acknowledged' | 'resolved',
    input: { note?: string; resolution?: AlertResolution },
  ): Promise<SecurityAlert> {
    const from = to === 'acknowledged' ? 'open' : 'acknowledged';
    const by = actor.actorId ?? actor.actorType;
    const note = input.note === undefined ? null : maskFreeText(input.note.trim()) || null;
    const row = await this.#p.db.transaction().execute(async (tx) => {
      const current = await tx
        .selectFrom('security_alerts')
        .select(['id', 'status', 'practice_id'])
        .where('id', '=', id)
        .forUpdate()
        .executeTakeFirst();
      if (!current || !this.#visible(actor.practiceId ?? null, current))
        throw new NotFoundError('security alert', id, '/id');
      if (current.status !== from) {
        throw new ConflictError(`the alert is ${current.status}; only an ${from} alert can become ${to}`, {
          alertStatus: current.status,
          allowed:
            current.status === 'open'
              ? ['acknowledge']
              : current.status === 'acknowledged'
                ? ['resolve']
                : [],
        });
      }
      const now = new Date();
      return tx
        .updateTable('security_alerts')
        .set(
          to === 'acknowledged'
            ? {
                status: to,
                acknowledged_by: by,
                acknowledged_at: now,
                acknowledge_note: note,
                updated_at: now,
              }
            : {
                status: to,
                resolved_by: by,
                resolved_at: now,
                resolution: input.resolution ?? null,
                resolution_note: note,
                updated_at: now,
              },
        )
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    await this.#p.audit.record({
      ...actor,
      action: to === 'acknowledged' ? 'compliance.alert.acknowledge' : 'compliance.alert.resolve',
      outcome: 'success',
      resourceType: 'security_alert',
      resourceId: id,
      details: { rule: row.rule_id, from, to, ...(input.resolution && { resolution: input.resolution }) },
    });
    return this.#view(row);
  }

  // ---- rules ------------------------------------------------------------------------------------------------

  async listRules(practiceId: string | null): Promise<RuleView[]> {
    const configs = await effectiveRules(this.#p.db, practiceId);
    return configs.map((c) => ({
      ...c,
      title: RULES[c.id].title,
      description: RULES[c.id].description,
      defaults: { riskLevel: RULES[c.id].defaultRisk, params: RULES[c.id].defaultParams },
    }));
  }

  /** Overrides a rule for the actor's practice (or globally for an account without one). */
  async updateRule(
    actor: AuditActor,
    ruleId: string,
    patch: { enabled?: boolean; riskLevel?: RiskLevel; params?: Record<string, unknown> },
  ): Promise<RuleView> {
    if (!isRuleId(ruleId)) throw new NotFoundError('rule', ruleId, '/ruleId');
    const errors = validateRuleParams(ruleId, patch.params ?? {}, '/params');
    if (errors.length > 0) throw new ValidationError(errors);
    const practiceId = actor.practiceId ?? null;
    const current = (await effectiveRules(this.#p.db, practiceId)).find((c) => c.id === ruleId)!;
    const scope = scopeOf(practiceId);
    const existing = await this.#p.db
      .selectFrom('compliance_rules')
      .select('params')
      .where('scope', '=', scope)
      .where('rule_id', '=', ruleId)
      .executeTakeFirst();
    const params = { ...(existing?.params ?? {}), ...(patch.params ?? {}) };
    const next = {
      enabled: patch.enabled ?? current.enabled,
      risk_level: patch.riskLevel ?? current.riskLevel,
      params: JSON.stringify(params),
      updated_by: actor.actorId ?? null,
      updated_at: new Date(),
    };
    await this.#p.db
      .insertInto('compliance_rules')
      .values({ scope, rule_id: ruleId, ...next })
      .onConflict((oc) => oc.columns(['scope', 'rule_id']).doUpdateSet(next))
      .execute();
    await this.#p.audit.record({
      ...actor,
      action: 'config.change',
      outcome: 'success',
      resourceType: 'compliance_rule',
      resourceId: ruleId,
      details: { rule: ruleId, previous: current, enabled: next.enabled, riskLevel: next.risk_level, params },
    });
    return (await this.listRules(practiceId)).find((r) => r.id === ruleId)!;
  }

  // ---- webhook --------------------------------------------------------------------------------------------

  async getWebhook(practiceId: string | null): Promise<WebhookView> {
    const row = await this.#p.db
      .selectFrom('compliance_webhooks')
      .selectAll()
      .where('scope', '=', scopeOf(practiceId))
      .executeTakeFirst();
    if (!row) throw new NotFoundError('webhook', 'for this practice', '/url');
    return {
      url: row.url,
      enabled: row.enabled,
      minRisk: row.min_risk as RiskLevel,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async putWebhook(
    actor: AuditActor,
    input: { url: string; secret: string; enabled?: boolean; minRisk?: RiskLevel },
  ): Promise<WebhookView> {
    let url: URL;
    try {
      url = new URL(input.url);
    } catch {
      throw invalidField('/url', 'is not a URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:')
      throw invalidField('/url', 'must be http or https');
    if (this.#p.config.env === 'production' && url.protocol !== 'https:')
      throw invalidField('/url', 'must be https in production');
    if (url.username || url.password) throw invalidField('/url', 'must not carry credentials');
    const scope = scopeOf(actor.practiceId);
    const values = {
      url: url.toString(),
      secret_enc: this.#p.cipher.encrypt(input.secret),
      enabled: input.enabled ?? true,
      min_risk: input.minRisk ?? 'low',
      updated_by: actor.actorId ?? null,
      updated_at: new Date(),
    };
    await this.#p.db
      .insertInto('compliance_webhooks')
      .values({ scope, ...values })
      .onConflict((oc) => oc.column('scope').doUpdateSet(values))
      .execute();
    await this.#p.audit.record({
      ...actor,
      action: 'config.change',
      outcome: 'success',
      resourceType: 'compliance_webhook',
      resourceId: scope,
      details: { host: url.host, enabled: values.enabled, minRisk: values.min_risk },
    });
    return this.getWebhook(actor.practiceId ?? null);
  }

  // ---- retention --------------------------------------------------------------------------------------------

  async getRetention(): Promise<{ days: number; default: number }> {
    return { days: await retentionDays(this.#p), default: DEFAULT_RETENTION_DAYS };
  }

  async putRetention(actor: AuditActor, days: number): Promise<{ days: number; default: number }> {
    if (!Number.isInteger(days) || days < MIN_RETENTION_DAYS || days > MAX_RETENTION_DAYS)
      throw invalidField(
        '/days',
        `must be a whole number of days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}`,
      );
    const previous = await retentionDays(this.#p);
    const value = JSON.stringify({ days });
    await this.#p.db
      .insertInto('settings')
      .values({
        scope: 'global',
        key: RETENTION_KEY,
        value,
        updated_by: actor.actorId ?? null,
        updated_at: new Date(),
      })
      .onConflict((oc) =>
        oc
          .columns(['scope', 'key'])
          .doUpdateSet({ value, updated_by: actor.actorId ?? null, updated_at: new Date() }),
      )
      .execute();
    await this.#p.audit.record({
      ...actor,
      action: 'config.change',
      outcome: 'success',
      resourceType: 'setting',
      resourceId: RETENTION_KEY,
      details: { key: RETENTION_KEY, previous: { days: previous }, value: { days } },
    });
    return this.getRetention();
  }

  applyRetention(now?: Date): Promise<RetentionResult> {
    return applyRetention(this.#p, now);
  }

  // ---- reports --------------------------------------------------------------------------------------------

  /** The period report; generating it is audited as an export of compliance data. */
  async report(
    actor: AuditActor,
    input: { from: string; to: string; format: 'json' | 'csv' | 'pdf' },
  ): Promise<{ report: ComplianceReport; practiceName: string }> {
    const from = new Date(input.from);
    const to = new Date(input.to);
    // Date parsing rolls 2026-02-30 over to March 2: the day itself must exist.
    if (Number.isNaN(from.getTime()) || !isRealDate(input.from.slice(0, 10)))
      throw invalidField('/query/from', 'is not a date or date-time');
    if (Number.isNaN(to.getTime()) || !isRealDate(input.to.slice(0, 10)))
      throw invalidField('/query/to', 'is not a date or date-time');
    if (to <= from) throw invalidField('/query/to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 86_400_000)
      throw invalidField('/query/to', `the period may span at most ${MAX_REPORT_DAYS} days`);
    const practiceId = actor.practiceId ?? null;
    const report = await buildReport(this.#p.db, practiceId, from, to);
    const practice = practiceId
      ? await this.#p.db
          .selectFrom('practices')
          .select('name')
          .where('id', '=', practiceId)
          .executeTakeFirst()
      : undefined;
    await this.#p.audit.record({
      ...actor,
      action: 'compliance.report.export',
      outcome: 'success',
      resourceType: 'compliance_report',
      details: { from: report.period.from, to: report.period.to, format: input.format },
    });
    return { report, practiceName: practice?.name ?? 'All practices' };
  }

  // ---- dashboard ----------------------------------------------------------------------------------------------

  /** Open alerts by risk, the newest alerts and events, rule status and how far the monitor has read. */
  async dashboard(actor: AuditActor) {
    const practiceId = actor.practiceId ?? null;
    const { db } = this.#p;
    const since = new Date(Date.now() - 86_400_000);
    const visible = sql<boolean>`(${practiceId}::uuid IS NULL OR practice_id = ${practiceId}::uuid OR practice_id IS NULL)`;
    const open = await db
      .selectFrom('security_alerts')
      .select(['risk_level', sql<number>`count(*)::int`.as('n')])
      .where('status', '<>', 'resolved')
      .where(visible)
      .groupBy('risk_level')
      .execute();
    const recentAlerts = await db
      .selectFrom('security_alerts')
      .selectAll()
      .where('status', '<>', 'resolved')
      .where(visible)
      .orderBy('created_at', 'desc')
      .limit(20)
      .execute();
    const recentEvents = await db
      .selectFrom('audit_events')
      .select(['seq', 'occurred_at', 'actor_id', 'actor_role', 'action', 'resource_type', 'outcome'])
      .where(visible)
      .orderBy('seq', 'desc')
      .limit(20)
      .execute();
    const counts = await sql<{ phi: number; unauthorized: number }>`
      SELECT
        count(*) FILTER (WHERE outcome = 'success' AND actor_type IN ('user', 'api_key') AND
          (action LIKE ${`${REPORTED_ACCESS_PREFIX}%`} OR resource_type IN (${sql.join([...PHI_RESOURCE_TYPES])})))::int
          AS phi,
        count(*) FILTER (WHERE action = 'access.denied' OR (action = 'auth.login' AND outcome <> 'success'))::int
          AS unauthorized
      FROM audit_events WHERE occurred_at >= ${since} AND ${visible}
    `.execute(db);
    const cursor = await repo.readCursor(db);
    const head = await db
      .selectFrom('audit_chain_head')
      .select('last_seq')
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    const rules = await this.listRules(practiceId);
    await this.#p.audit.record({
      ...actor,
      action: 'compliance.dashboard.read',
      outcome: 'success',
      resourceType: 'security_alert',
      details: { openAlerts: recentAlerts.length },
    });
    const byRisk = Object.fromEntries(
      RISK_LEVELS.map((r) => [r, open.find((o) => o.risk_level === r)?.n ?? 0]),
    );
    return {
      generatedAt: new Date().toISOString(),
      openAlertsByRisk: byRisk as Record<RiskLevel, number>,
      recentAlerts: recentAlerts.map((r) => this.#view(r)),
      recentEvents: recentEvents.map((e) => ({
        id: String(e.seq),
        occurredAt: e.occurred_at.toISOString(),
        actorId: e.actor_id,
        actorRole: e.actor_role,
        action: e.action,
        resourceType: e.resource_type,
        outcome: e.outcome,
      })),
      last24h: {
        phiAccessEvents: counts.rows[0]?.phi ?? 0,
        unauthorizedAttempts: counts.rows[0]?.unauthorized ?? 0,
      },
      rules: rules.map((r) => ({ id: r.id, title: r.title, enabled: r.enabled, riskLevel: r.riskLevel })),
      monitor: { cursor, head: head.last_seq, lag: Math.max(0, head.last_seq - cursor) },
    };
  }
}

/** The alerts a run created or extended with the given audit event. */
export function alertsFor(alerts: TouchedAlert[], seq: number): AccessEventReceipt['alerts'] {
  const seen = new Map<string, AccessEventReceipt['alerts'][number]>();
  for (const a of alerts) {
    if (!a.evidence.includes(seq)) continue;
    const prior = seen.get(a.id);
    seen.set(a.id, {
      id: a.id,
      ruleId: a.ruleId,
      riskLevel: a.riskLevel,
      created: a.created || !!prior?.created,
    });
  }
  return [...seen.values()];
}
