/**
 * Compliance reports for a period: who accessed what (by user and by resource type), PHI detections by type,
 * security alerts and their outcomes, failed logins and exports, as one JSON document, a CSV of the same
 * figures, or a PDF a practice can file.
 */

import { sql } from 'kysely';
import PDFDocument from 'pdfkit';
import type { Q } from './repo.ts';
import { PHI_RESOURCE_TYPES, REPORTED_ACCESS_PREFIX } from './rules.ts';

export interface ComplianceReport {
  period: { from: string; to: string };
  generatedAt: string;
  summary: {
    accessEvents: number;
    distinctUsers: number;
    distinctPatients: number;
    phiExports: number;
    failedLogins: number;
    deniedRequests: number;
    phiScans: number;
    phiDetections: number;
    alertsRaised: number;
    alertsOpen: number;
    alertsAcknowledged: number;
    alertsResolved: number;
  };
  accessByUser: Array<{
    actorId: string;
    actorRole: string | null;
    accesses: number;
    distinctPatients: number;
  }>;
  accessByResourceType: Array<{ resourceType: string; accesses: number }>;
  phiDetections: Array<{ type: string; count: number }>;
  alerts: Array<{
    ruleId: string;
    riskLevel: string;
    status: string;
    resolution: string | null;
    count: number;
  }>;
  failedLogins: Array<{ subject: string; count: number }>;
  exports: Array<{ actorId: string; action: string; count: number }>;
}

const ACCESS = sql`(outcome = 'success' AND actor_type IN ('user', 'api_key') AND
  (action LIKE ${`${REPORTED_ACCESS_PREFIX}%`} OR resource_type IN (${sql.join([...PHI_RESOURCE_TYPES])})))`;
const PATIENT = sql`CASE WHEN resource_type = 'patient' THEN resource_id ELSE details->>'patientId' END`;

export async function buildReport(
  q: Q,
  practiceId: string | null,
  from: Date,
  to: Date,
): Promise<ComplianceReport> {
  const scope = practiceId ? sql`(practice_id = ${practiceId} OR practice_id IS NULL)` : sql`true`;
  const range = sql`occurred_at >= ${from} AND occurred_at < ${to} AND ${scope}`;
  const byUser = await sql<{
    actor_id: string;
    actor_role: string | null;
    accesses: number;
    patients: number;
  }>`
    SELECT actor_id, max(actor_role) AS actor_role, count(*)::int AS accesses,
      count(DISTINCT ${PATIENT})::int AS patients
    FROM audit_events WHERE ${range} AND ${ACCESS} GROUP BY actor_id ORDER BY accesses DESC, actor_id
  `.execute(q);
  const byResource = await sql<{ resource_type: string; accesses: number }>`
    SELECT coalesce(resource_type, 'unspecified') AS resource_type, count(*)::int AS accesses
    FROM audit_events WHERE ${range} AND ${ACCESS} GROUP BY 1 ORDER BY accesses DESC, 1
  `.execute(q);
  const totals = await sql<{ accesses: number; users: number; patients: number }>`
    SELECT count(*)::int AS accesses, count(DISTINCT actor_id)::int AS users,
      count(DISTINCT ${PATIENT})::int AS patients
    FROM audit_events WHERE ${range} AND ${ACCESS}
  `.execute(q);
  const detections = await sql<{ type: string; count: number }>`
    SELECT c.key AS type, sum((c.value)::int)::int AS count
    FROM audit_events, jsonb_each_text(coalesce(details->'counts', '{}'::jsonb)) AS c
    WHERE ${range} AND action IN ('phi.scan', 'phi.deidentify')
    GROUP BY 1 ORDER BY count DESC, 1
  `.execute(q);
  const scans = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM audit_events WHERE ${range} AND action IN ('phi.scan', 'phi.deidentify')
  `.execute(q);
  const failed = await sql<{ subject: string; count: number }>`
    SELECT coalesce(lower(details->>'email'), actor_id, 'unknown') AS subject, count(*)::int AS count
    FROM audit_events WHERE ${range} AND action = 'auth.login' AND outcome IN ('failure', 'denied')
    GROUP BY 1 ORDER BY count DESC, 1
  `.execute(q);
  const denied = await sql<{ n: number }>`
    SELECT count(*)::int AS n FROM audit_events WHERE ${range} AND action = 'access.denied' AND outcome = 'denied'
  `.execute(q);
  const exports = await sql<{ actor_id: string; action: string; count: number }>`
    SELECT actor_id, action, count(*)::int AS count FROM audit_events
    WHERE ${range} AND ${ACCESS} AND action ~ '(^|[._])(export|download)$'
    GROUP BY 1, 2 ORDER BY count DESC, 1, 2
  `.execute(q);
  let alertsQuery = q
    .selectFrom('security_alerts')
    .select(['rule_id', 'risk_level', 'status', 'resolution', sql<number>`count(*)::int`.as('count')])
    .where('created_at', '>=', from)
    .where('created_at', '<', to);
  if (practiceId)
    alertsQuery = alertsQuery.where((eb) =>
      eb.or([eb('practice_id', '=', practiceId), eb('practice_id', 'is', null)]),
    );
  const alerts = await alertsQuery
    .groupBy(['rule_id', 'risk_level', 'status', 'resolution'])
    .orderBy('rule_id')
    .orderBy('status')
    .execute();
  const alertCount = (status?: string) =>
    alerts.filter((a) => !status || a.status === status).reduce((n, a) => n + a.count, 0);
  const t = totals.rows[0] ?? { accesses: 0, users: 0, patients: 0 };
  return {
    period: { from: from.toISOString(), to: to.toISOString() },
    generatedAt: new Date().toISOString(),
    summary: {
      accessEvents: t.accesses,
      distinctUsers: t.users,
      distinctPatients: t.patients,
      phiExports: exports.rows.reduce((n, r) => n + r.count, 0),
      failedLogins: failed.rows.reduce((n, r) => n + r.count, 0),
      deniedRequests: denied.rows[0]?.n ?? 0,
      phiScans: scans.rows[0]?.n ?? 0,
      phiDetections: detections.rows.reduce((n, r) => n + r.count, 0),
      alertsRaised: alertCount(),
      alertsOpen: alertCount('open'),
      alertsAcknowledged: alertCount('acknowledged'),
      alertsResolved: alertCount('resolved'),
    },
    accessByUser: byUser.rows.map((r) => ({
      actorId: r.actor_id,
      actorRole: r.actor_role,
      accesses: r.accesses,
      distinctPatients: r.patients,
    })),
    accessByResourceType: byResource.rows.map((r) => ({
      resourceType: r.resource_type,
      accesses: r.accesses,
    })),
    phiDetections: detections.rows,
    alerts: alerts.map((a) => ({
      ruleId: a.rule_id,
      riskLevel: a.risk_level,
      status: a.status,
      resolution: a.resolution,
      count: a.count,
    })),
    failedLogins: failed.rows,
    exports: exports.rows.map((r) => ({ actorId: r.actor_id, action: r.action, count: r.count })),
  };
}

const SUMMARY_LABELS: Record<keyof ComplianceReport['summary'], string> = {
  accessEvents: 'PHI accesses',
  distinctUsers: 'Accounts with PHI access',
  distinctPatients: 'Patients accessed',
  phiExports: 'PHI exports and downloads',
  failedLogins: 'Failed logins',
  deniedRequests: 'Requests refused by role',
  phiScans: 'PHI scans and de-identifications',
  phiDetections: 'PHI identifiers detected',
  alertsRaised: 'Security alerts raised',
  alertsOpen: 'Alerts open',
  alertsAcknowledged: 'Alerts acknowledged',
  alertsResolved: 'Alerts resolved',
};

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  // Quote as RFC 4180 asks, and defuse spreadsheet formulas.
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One table: section, item, detail, value, so every part of the report fits the same four columns. */
export function reportCsv(report: ComplianceReport): string {
  const rows: unknown[][] = [['section', 'item', 'detail', 'value']];
  rows.push(['period', 'from', '', report.period.from], ['period', 'to', '', report.period.to]);
  for (const [key, value] of Object.entries(report.summary))
    rows.push(['summary', SUMMARY_LABELS[key as keyof ComplianceReport['summary']], '', value]);
  for (const u of report.accessByUser) {
    rows.push(['access_by_user', u.actorId, `${u.actorRole ?? ''} accesses`, u.accesses]);
    rows.push(['access_by_user', u.actorId, `${u.actorRole ?? ''} distinct patients`, u.distinctPatients]);
  }
  for (const r of report.accessByResourceType)
    rows.push(['access_by_resource_type', r.resourceType, '', r.accesses]);
  for (const d of report.phiDetections) rows.push(['phi_detections', d.type, '', d.count]);
  for (const a of report.alerts)
    rows.push([
      'alerts',
      a.ruleId,
      `${a.riskLevel} ${a.status}${a.resolution ? ` ${a.resolution}` : ''}`,
      a.count,
    ]);
  for (const f of report.failedLogins) rows.push(['failed_logins', f.subject, '', f.count]);
  for (const e of report.exports) rows.push(['exports', e.actorId, e.action, e.count]);
  return `${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

/** The report as a PDF (text, not compressed, so the summary stays searchable). */
export function reportPdf(report: ComplianceReport, practiceName: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'LETTER',
      margin: 54,
      compress: false,
      info: { Title: 'Compliance report', Author: 'Intelluxe', Subject: practiceName },
    });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);

    const heading = (text: string) =>
      doc.moveDown(0.8).font('Helvetica-Bold').fontSize(12).text(text).moveDown(0.2);
    const line = (label: string, value: unknown) =>
      doc.font('Helvetica').fontSize(10).text(`${label}: ${value}`);

    doc.font('Helvetica-Bold').fontSize(18).text('Compliance report');
    doc.font('Helvetica').fontSize(11).text(practiceName);
    doc.text(`Period: ${report.period.from} to ${report.period.to}`);
    doc.text(`Generated: ${report.generatedAt}`);

    heading('Summary');
    for (const [key, value] of Object.entries(report.summary))
      line(SUMMARY_LABELS[key as keyof ComplianceReport['summary']], value);

    heading('Access by user');
    if (report.accessByUser.length === 0) line('None', 0);
    for (const u of report.accessByUser)
      line(
        `${u.actorId} (${u.actorRole ?? 'unknown role'})`,
        `${u.accesses} accesses, ${u.distinctPatients} patients`,
      );

    heading('Access by resource type');
    if (report.accessByResourceType.length === 0) line('None', 0);
    for (const r of report.accessByResourceType) line(r.resourceType, r.accesses);

    heading('PHI detections');
    if (report.phiDetections.length === 0) line('None', 0);
    for (const d of report.phiDetections) line(d.type, d.count);

    heading('Security alerts and outcomes');
    if (report.alerts.length === 0) line('None', 0);
    for (const a of report.alerts)
      line(
        `${a.ruleId} (${a.riskLevel})`,
        `${a.count} ${a.status}${a.resolution ? `, ${a.resolution}` : ''}`,
      );

    heading('Failed logins');
    if (report.failedLogins.length === 0) line('None', 0);
    for (const f of report.failedLogins) line(f.subject, f.count);

    heading('Exports and downloads');
    if (report.exports.length === 0) line('None', 0);
    for (const e of report.exports) line(`${e.actorId} ${e.action}`, e.count);
    doc.end();
  });
}
