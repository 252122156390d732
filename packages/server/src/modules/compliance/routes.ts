/** HTTP for PHI scanning and de-identification and the compliance monitor: translation only. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { auditActor } from '../../platform/http/context.ts';
import { IdParams, ListOf, Page, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { reportCsv, reportPdf } from './reports.ts';
import {
  AccessEventBody,
  AccessEventReceipt,
  AcknowledgeBody,
  AlertSearch,
  ComplianceReport,
  PhiDeidentifyBody,
  PhiDeidentifyResponse,
  PhiScanBody,
  PhiScanResponse,
  ReportQuery,
  ResolveBody,
  Retention,
  RetentionBody,
  RuleParams,
  RulePatch,
  RuleView,
  SecurityAlert,
  WebhookBody,
  WebhookView,
} from './schemas.ts';
import type { ComplianceService } from './service.ts';

const PHI_TOOLS: Role[] = ['admin', 'compliance_officer', 'physician', 'biller', 'service'];
const REPORTERS: Role[] = ['admin', 'compliance_officer', 'service'];
const OFFICERS: Role[] = ['admin', 'compliance_officer'];
const ADMINS: Role[] = ['admin'];

const phi = { tags: ['phi'], security: SECURED };
const compliance = { tags: ['compliance'], security: SECURED };

/** The CSV form of the report: one row per figure (section, item, detail, value), CRLF line ends. */
const REPORT_CSV = Type.String({
  description: 'text/csv; columns section, item, detail, value',
  examples: [
    'section,item,detail,value\r\nperiod,from,,2026-03-01T00:00:00.000Z\r\nperiod,to,,2026-04-01T00:00:00.000Z\r\n' +
      'summary,PHI accesses,,1284\r\naccess_by_resource_type,patient,,1177\r\n',
  ],
});

export function complianceRoutes(app: App, service: ComplianceService): void {
  app.post(
    '/v1/phi/scan',
    {
      config: { auth: PHI_TOOLS },
      schema: {
        ...phi,
        summary: 'Find PHI identifiers in text (audited with counts per type, never the text)',
        body: PhiScanBody,
        response: { 200: PhiScanResponse, ...problemResponses },
      },
    },
    (request) => service.scanText(auditActor(request), request.body),
  );

  app.post(
    '/v1/phi/deidentify',
    {
      config: { auth: PHI_TOOLS },
      schema: {
        ...phi,
        summary: 'De-identify text: mask, redact, pseudonymize or dateshift (audited with counts only)',
        body: PhiDeidentifyBody,
        response: { 200: PhiDeidentifyResponse, ...problemResponses },
      },
    },
    (request) => service.deidentifyText(auditActor(request), request.body),
  );

  app.post(
    '/v1/compliance/access-events',
    {
      config: { auth: REPORTERS },
      schema: {
        ...compliance,
        summary: 'Report an access to PHI made through another service; evaluated by the monitor at once',
        body: AccessEventBody,
        response: { 201: AccessEventReceipt, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.recordAccessEvent(auditActor(request), request.body)),
  );

  app.get(
    '/v1/compliance/alerts',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'Security alerts, newest first',
        querystring: AlertSearch,
        response: { 200: Page(SecurityAlert), ...problemResponses },
      },
    },
    (request) => service.listAlerts(request.principal!.practiceId, request.query),
  );

  app.get(
    '/v1/compliance/alerts/:id',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'A security alert with its evidence (audit event ids)',
        params: IdParams,
        response: { 200: SecurityAlert, ...problemResponses },
      },
    },
    (request) => service.getAlert(request.principal!.practiceId, request.params.id),
  );

  app.post(
    '/v1/compliance/alerts/:id/acknowledge',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'Acknowledge an open alert (409 from any other status)',
        params: IdParams,
        body: AcknowledgeBody,
        response: { 200: SecurityAlert, ...problemResponses },
      },
    },
    (request) => service.acknowledgeAlert(auditActor(request), request.params.id, request.body.note),
  );

  app.post(
    '/v1/compliance/alerts/:id/resolve',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'Resolve an acknowledged alert with its outcome (409 from any other status)',
        params: IdParams,
        body: ResolveBody,
        response: { 200: SecurityAlert, ...problemResponses },
      },
    },
    (request) => service.resolveAlert(auditActor(request), request.params.id, request.body),
  );

  app.get(
    '/v1/compliance/rules',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: "The monitor's rules as configured for the practice",
        response: { 200: ListOf(RuleView), ...problemResponses },
      },
    },
    (request) => service.listRules(request.principal!.practiceId),
  );

  app.patch(
    '/v1/compliance/rules/:ruleId',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: "Change a rule's enabled flag, risk level or parameters (audited as a configuration change)",
        params: RuleParams,
        body: RulePatch,
        response: { 200: RuleView, ...problemResponses },
      },
    },
    (request) => service.updateRule(auditActor(request), request.params.ruleId, request.body),
  );

  app.get(
    '/v1/compliance/webhook',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'Where new alerts are sent (the secret is never returned)',
        response: { 200: WebhookView, ...problemResponses },
      },
    },
    (request) => service.getWebhook(request.principal!.practiceId),
  );

  app.put(
    '/v1/compliance/webhook',
    {
      config: { auth: ADMINS },
      schema: {
        ...compliance,
        summary: 'Send new alerts to a URL, signed with HMAC-SHA256 (X-Intelluxe-Signature)',
        body: WebhookBody,
        response: { 200: WebhookView, ...problemResponses },
      },
    },
    (request) => service.putWebhook(auditActor(request), request.body),
  );

  app.get(
    '/v1/compliance/retention',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'How long audit events and compliance data are kept',
        response: { 200: Retention, ...problemResponses },
      },
    },
    () => service.getRetention(),
  );

  app.put(
    '/v1/compliance/retention',
    {
      config: { auth: ADMINS },
      schema: {
        ...compliance,
        summary: 'Set the retention in days (applied by the daily retention job)',
        body: RetentionBody,
        response: { 200: Retention, ...problemResponses },
      },
    },
    (request) => service.putRetention(auditActor(request), request.body.days),
  );

  app.get(
    '/v1/compliance/reports',
    {
      config: { auth: OFFICERS },
      schema: {
        ...compliance,
        summary: 'Compliance report for a period as JSON, CSV or PDF (audited as an export)',
        querystring: ReportQuery,
        response: {
          200: {
            description:
              'The report: JSON by default, CSV or PDF (an attachment) with format=csv or format=pdf',
            content: {
              'application/json': { schema: ComplianceReport },
              'text/csv': { schema: REPORT_CSV },
              'application/pdf': { schema: { type: 'string', format: 'binary' } },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'json';
      const { report, practiceName } = await service.report(auditActor(request), {
        from: request.query.from,
        to: request.query.to,
        format,
      });
      if (format === 'json') return report;
      const name = `compliance-report-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}`;
      if (format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${name}.csv"`)
          .send(reportCsv(report) as never);
      }
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="${name}.pdf"`)
        .send((await reportPdf(report, practiceName)) as never);
    },
  );
}
