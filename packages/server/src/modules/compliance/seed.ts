/**
 * The design notes' compliance service (port 8005): POST /log_access, POST /scan_pii and
 * GET /security_monitoring_dashboard, with the notes' body shapes, over the compliance service.
 */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { auditActor } from '../../platform/http/context.ts';
import { problemResponses } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { Services } from '../../services.ts';
import { PURPOSES_OF_USE, riskRank } from './rules.ts';

/** The notes' services answer plain JSON objects; their fields are documented on each endpoint. */
const SeedResponse = Type.Record(Type.String(), Type.Unknown());

const SEED_ROLES: Role[] = ['admin', 'compliance_officer', 'service'];
const tags = ['seed services'];

/** Identifier types the notes' scanner calls high severity (direct identifiers); the rest are medium. */
const HIGH_SEVERITY = new Set(['SSN', 'MRN', 'HEALTH_PLAN_ID', 'ACCOUNT', 'LICENSE', 'BIOMETRIC', 'NAME']);

const LogAccessBody = Type.Object(
  {
    user_id: Type.String({ minLength: 1, maxLength: 100 }),
    action: Type.String({ minLength: 1, maxLength: 60 }),
    resource_type: Type.Optional(Type.String({ minLength: 1, maxLength: 60 })),
    resource: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    resource_id: Type.Optional(Type.String({ maxLength: 100 })),
    success: Type.Optional(Type.Boolean()),
    ip_address: Type.Optional(Type.Union([Type.String({ maxLength: 45 }), Type.Null()])),
    user_agent: Type.Optional(Type.Union([Type.String({ maxLength: 300 }), Type.Null()])),
    purpose: Type.Optional(Type.String({ maxLength: 30 })),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  {
    additionalProperties: true,
    examples: [
      {
        user_id: 'dr_smith',
        action: 'view_patient_record',
        resource_type: 'patient_data',
        resource_id: 'P123456',
        ip_address: '192.168.1.100',
        details: { record_type: 'demographics' },
      },
    ],
  },
);

/** Flattens the notes' free-form details into scalar context, dropping nested values. */
function scalarDetails(details: Record<string, unknown> | undefined) {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [key, value] of Object.entries(details ?? {}).slice(0, 20)) {
    if (value === null || typeof value === 'number' || typeof value === 'boolean')
      out[key.slice(0, 50)] = value;
    else if (typeof value === 'string') out[key.slice(0, 50)] = value.slice(0, 200);
  }
  return out;
}

const PURPOSES = new Set<string>(PURPOSES_OF_USE);

export function registerComplianceSeedService(app: App, services: Services): void {
  const compliance = services.compliance;

  app.post(
    '/log_access',
    {
      config: { auth: SEED_ROLES },
      schema: {
        tags,
        summary: 'Log an access for the HIPAA audit trail (design notes: compliance-monitor)',
        body: LogAccessBody,
        response: { 200: SeedResponse, ...problemResponses },
      },
    },
    async (request) => {
      const body = request.body;
      const resourceType = body.resource_type ?? body.resource ?? 'unspecified';
      const action =
        body.action
          .toLowerCase()
          .replace(/[^a-z0-9_.-]+/g, '_')
          .slice(0, 60) || 'access';
      const receipt = await compliance.recordAccessEvent(auditActor(request), {
        actor: { id: body.user_id },
        action,
        resourceType,
        resourceId: body.resource_id,
        outcome: body.success === false ? 'failure' : 'success',
        ip: body.ip_address ?? undefined,
        userAgent: body.user_agent ?? undefined,
        purpose:
          body.purpose && PURPOSES.has(body.purpose)
            ? (body.purpose as (typeof PURPOSES_OF_USE)[number])
            : undefined,
        details: scalarDetails(body.details),
      });
      const flags: string[] = [];
      if (/export|download/.test(action) && /patient/.test(resourceType)) flags.push('PHI_EXPORT');
      if (action === 'bulk_access') flags.push('BULK_ACCESS');
      for (const a of receipt.alerts) flags.push(a.ruleId.toUpperCase());
      const requiresAttention = receipt.alerts.length > 0;
      const risk = receipt.alerts.reduce<string>(
        (top, a) => (riskRank(a.riskLevel) > riskRank(top) ? a.riskLevel : top),
        'low',
      );
      return {
        logged: true,
        audit_id: receipt.auditId,
        compliance_status: requiresAttention ? 'violation' : 'compliant',
        requires_attention: requiresAttention,
        risk_level: risk,
        user_id: body.user_id,
        resource: body.resource ?? resourceType,
        action: body.action,
        success: body.success ?? true,
        ip_address: body.ip_address ?? null,
        timestamp: receipt.recordedAt,
        compliance_flags: [...new Set(flags)],
        alerts: receipt.alerts.map((a) => ({ alert_id: a.id, rule: a.ruleId, risk_level: a.riskLevel })),
      };
    },
  );

  app.post(
    '/scan_pii',
    {
      config: { auth: SEED_ROLES },
      schema: {
        tags,
        summary: 'Scan content for PII/PHI (design notes: compliance-monitor); audited with counts only',
        body: Type.Object({ content: Type.String({ maxLength: 1_000_000 }) }, { additionalProperties: true }),
        response: { 200: SeedResponse, ...problemResponses },
      },
    },
    async (request) => {
      const result = await compliance.scanText(auditActor(request), { text: request.body.content });
      const details = Object.entries(result.counts).map(([type, count]) => ({
        type: type.toLowerCase(),
        count,
        severity: HIGH_SEVERITY.has(type) ? 'high' : 'medium',
      }));
      return {
        violations_found: details.length > 0,
        violation_details: details,
        scan_timestamp: new Date().toISOString(),
      };
    },
  );

  app.get(
    '/security_monitoring_dashboard',
    {
      config: { auth: SEED_ROLES },
      schema: {
        tags,
        summary: 'Open alerts by risk, recent events and rule status (design notes: security dashboard)',
        response: { 200: SeedResponse, ...problemResponses },
      },
    },
    async (request) => {
      const d = await compliance.dashboard(auditActor(request));
      return {
        generated_at: d.generatedAt,
        open_alerts_by_risk: d.openAlertsByRisk,
        risk_alerts: d.recentAlerts.map((a) => ({
          alert_id: a.id,
          rule: a.ruleId,
          title: a.title,
          risk_level: a.riskLevel,
          status: a.status,
          subject: a.subject,
          event_count: a.eventCount,
          created_at: a.createdAt,
        })),
        recent_events: d.recentEvents.map((e) => ({
          audit_id: e.id,
          occurred_at: e.occurredAt,
          user_id: e.actorId,
          role: e.actorRole,
          action: e.action,
          resource_type: e.resourceType,
          outcome: e.outcome,
        })),
        phi_access_events: d.last24h.phiAccessEvents,
        unauthorized_attempts: d.last24h.unauthorizedAttempts,
        rule_status: d.rules.map((r) => ({
          rule: r.id,
          title: r.title,
          enabled: r.enabled,
          risk_level: r.riskLevel,
        })),
        monitor: d.monitor,
      };
    },
  );
}
