/** Period reports in JSON, CSV and PDF, and retention pruning whole audit partitions with the chain intact. */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { complianceQueues, RETENTION_QUEUE } from '../src/modules/compliance/jobs.ts';
import { DEMO_EMAIL_DOMAIN, seedDemo } from '../src/modules/demo/seed.ts';
import { startTestContext, type TestContext } from './harness.ts';

/** The text a PDF shows: pdfkit writes each run of text as hex strings inside TJ arrays. */
function pdfText(pdf: Buffer): string {
  const source = pdf.toString('latin1');
  const runs: string[] = [];
  for (const array of source.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
    let run = '';
    for (const hex of array[1]!.matchAll(/<([0-9a-fA-F]*)>/g))
      run += Buffer.from(hex[1]!, 'hex').toString('latin1');
    runs.push(run);
  }
  return runs.join('\n');
}

describe('compliance reports', () => {
  let t: TestContext;
  let officer: Record<string, string>;
  let from: string;
  let to: string;

  beforeAll(async () => {
    t = await startTestContext({ seedPatients: 4 });
    officer = { authorization: await t.bearer('compliance_officer') };
    const biller = { authorization: await t.bearer('biller') };
    const patients = await t.platform.db.selectFrom('patients').select('id').execute();
    for (const p of patients)
      await t.app.inject({ method: 'GET', url: `/v1/patients/${p.id}`, headers: biller });
    await t.app.inject({
      method: 'POST',
      url: '/v1/phi/scan',
      headers: biller,
      payload: { text: 'Call Maria Alvarez at 614-555-0142 about her 03/14/2026 visit' },
    });
    for (let i = 0; i < 2; i++)
      await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: `biller@${DEMO_EMAIL_DOMAIN}`, password: 'not-the-password' },
      });
    const key = await t.services.auth.createApiKey(
      { name: 'document-service', role: 'service', practiceId: t.seed!.practiceId },
      { actorType: 'system', actorId: 'test' },
    );
    await t.app.inject({
      method: 'POST',
      url: '/v1/compliance/access-events',
      headers: { 'x-api-key': key.key },
      payload: {
        actor: { id: 'scanner-07', type: 'api_key' },
        action: 'download',
        resourceType: 'document',
        patientId: patients[0]!.id,
      },
    });
    await t.services.compliance.monitor.run();
    from = new Date(Date.now() - 86_400_000).toISOString();
    to = new Date(Date.now() + 60_000).toISOString();
  });
  afterAll(() => t.close());

  it('summarizes access by user and resource type, PHI detections, alerts, failed logins and exports', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/reports?from=${from}&to=${to}`,
      headers: officer,
    });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    const billerId = (
      await t.platform.db
        .selectFrom('users')
        .select('id')
        .where('email', '=', `biller@${DEMO_EMAIL_DOMAIN}`)
        .executeTakeFirstOrThrow()
    ).id;
    expect(report.accessByUser.find((u: { actorId: string }) => u.actorId === billerId)).toMatchObject({
      actorRole: 'biller',
      accesses: 4,
      distinctPatients: 4,
    });
    expect(report.accessByResourceType).toEqual(
      expect.arrayContaining([
        { resourceType: 'patient', accesses: 4 },
        { resourceType: 'document', accesses: 1 },
      ]),
    );
    const types = Object.fromEntries(
      report.phiDetections.map((d: { type: string; count: number }) => [d.type, d.count]),
    );
    expect(types.PHONE).toBe(1);
    expect(report.summary.phiScans).toBe(1);
    expect(report.summary.failedLogins).toBe(2);
    expect(report.failedLogins).toEqual([{ subject: `biller@${DEMO_EMAIL_DOMAIN}`, count: 2 }]);
    expect(report.exports).toEqual([{ actorId: 'scanner-07', action: 'access.download', count: 1 }]);
    expect(report.alerts.some((a: { ruleId: string }) => a.ruleId === 'phi_export')).toBe(true);
    expect(report.summary.alertsRaised).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(report)).not.toContain('614-555-0142');
  });

  it('writes the same figures as CSV', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/reports?from=${from}&to=${to}&format=csv`,
      headers: officer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/csv/);
    expect(res.headers['content-disposition']).toMatch(/attachment; filename="compliance-report-.*\.csv"/);
    const lines = res.body.trim().split('\r\n');
    expect(lines[0]).toBe('section,item,detail,value');
    expect(lines).toContain('summary,Failed logins,,2');
    expect(lines).toContain('access_by_resource_type,patient,,4');
    expect(lines).toContain('phi_detections,PHONE,,1');
    expect(lines).toContain('exports,scanner-07,access.download,1');
    // /openapi.json gives each format its own schema: the JSON report, CSV text and a binary PDF.
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    const content = doc.paths['/v1/compliance/reports'].get.responses['200'].content;
    expect(Object.keys(content).sort()).toEqual(['application/json', 'application/pdf', 'text/csv']);
    expect([content['text/csv'].schema.type, content['application/pdf'].schema.format]).toEqual([
      'string',
      'binary',
    ]);
    expect(content['text/csv'].schema.examples[0].split('\r\n')[0]).toBe(lines[0]);
  });

  it('renders a real PDF with the summary', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/reports?from=${from}&to=${to}&format=pdf`,
      headers: officer,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.rawPayload;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toContain('%%EOF');
    const text = pdfText(pdf);
    expect(text).toContain('Compliance report');
    expect(text).toContain('Summary');
    expect(text).toContain('Failed logins: 2');
    expect(text).toContain('PHI exports and downloads: 1');
  });

  it('audits every report as an export, and checks the period', async () => {
    const exports = await t.platform.db
      .selectFrom('audit_events')
      .select(['details', 'resource_type'])
      .where('action', '=', 'compliance.report.export')
      .execute();
    expect(exports.map((e) => e.details.format).sort()).toEqual(['csv', 'json', 'pdf']);
    expect(exports.every((e) => e.resource_type === 'compliance_report')).toBe(true);
    const backwards = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/reports?from=${to}&to=${from}`,
      headers: officer,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('/query/to');
    const physician = { authorization: await t.bearer('physician') };
    const refused = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/reports?from=${from}&to=${to}`,
      headers: physician,
    });
    expect(refused.statusCode).toBe(403);
  });
});

describe('retention', () => {
  let t: TestContext;

  beforeAll(async () => {
    t = await startTestContext();
  });
  afterAll(() => t.close());

  it('drops audit partitions wholly past the retention, anchors the chain, and verify still passes', async () => {
    const { db } = t.platform;
    await sql`SELECT intelluxe_ensure_audit_partitions('2018-03-01'::date, 2)`.execute(db);
    await sql`SELECT intelluxe_ensure_audit_partitions('2024-01-01'::date, 1)`.execute(db);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(new Date('2018-03-10T14:00:00Z'));
      for (let i = 0; i < 3; i++)
        await t.platform.audit.record({ action: 'system.start', outcome: 'success', actorType: 'system' });
      vi.setSystemTime(new Date('2018-04-02T09:00:00Z'));
      await t.platform.audit.record({ action: 'system.start', outcome: 'success', actorType: 'system' });
      vi.setSystemTime(new Date('2024-01-15T09:00:00Z'));
      await t.platform.audit.record({ action: 'system.start', outcome: 'success', actorType: 'system' });
    } finally {
      vi.useRealTimers();
    }
    await seedDemo(t.platform, { patients: 1, months: 1 });
    const admin = { authorization: await t.bearer('admin') };
    const officer = { authorization: await t.bearer('compliance_officer') };

    const old = await db
      .insertInto('security_alerts')
      .values({
        practice_id: null,
        rule_id: 'new_ip',
        risk_level: 'low',
        status: 'resolved',
        title: 'Access from a new IP address',
        subject: 'former-user',
        first_event_at: '2018-03-10T14:00:00Z',
        last_event_at: '2018-03-10T14:00:00Z',
        event_count: 1,
        evidence: JSON.stringify([1]),
        details: JSON.stringify({ ip: '198.51.100.20' }),
        updated_at: '2018-03-11T10:00:00Z',
        resolved_by: 'former-officer',
        resolved_at: '2018-03-11T10:00:00Z',
        resolution: 'authorized',
      })
      .returning('id')
      .executeTakeFirstOrThrow();

    const initial = await t.app.inject({ method: 'GET', url: '/v1/compliance/retention', headers: officer });
    expect(initial.json()).toEqual({ days: 2557, default: 2557 });
    const tooShort = await t.app.inject({
      method: 'PUT',
      url: '/v1/compliance/retention',
      headers: admin,
      payload: { days: 7 },
    });
    expect(tooShort.statusCode).toBe(400);

    const queue = complianceQueues(t.platform).find((q) => q.name === RETENTION_QUEUE)!;
    const prune = (id: string) => queue.handle({} as never, { id, retryCount: 0 });
    const firstSeq = async () =>
      (
        await db
          .selectFrom('audit_events')
          .select(sql<number>`min(seq)`.as('first'))
          .executeTakeFirstOrThrow()
      ).first;

    // The default seven years reach back to late 2019 today: the 2018 months go, January 2024 stays.
    await prune('retention-1');
    const gone = await sql<{ march: string | null; april: string | null }>`
      SELECT to_regclass('audit_events_2018_03')::text AS march, to_regclass('audit_events_2018_04')::text AS april
    `.execute(db);
    expect(gone.rows[0]).toEqual({ march: null, april: null });
    expect(await firstSeq()).toBe(5);
    const between = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: officer });
    expect(between.json()).toMatchObject({ valid: true });

    // A year's retention takes January 2024 too.
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/compliance/retention',
      headers: admin,
      payload: { days: 365 },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().days).toBe(365);
    await prune('retention-2');
    const january = await sql<{
      jan: string | null;
    }>`SELECT to_regclass('audit_events_2024_01')::text AS jan`.execute(db);
    expect(january.rows[0]).toEqual({ jan: null });
    expect(await firstSeq()).toBe(6);
    const anchor = await db
      .selectFrom('settings')
      .select('value')
      .where('scope', '=', 'global')
      .where('key', '=', 'audit.chain_anchor')
      .executeTakeFirstOrThrow();
    expect(anchor.value).toMatchObject({ seq: 6 });

    const verify = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: officer });
    expect(verify.statusCode).toBe(200);
    expect(verify.json()).toMatchObject({ valid: true, firstBrokenEventId: null });

    expect(
      await db.selectFrom('security_alerts').select('id').where('id', '=', old.id).executeTakeFirst(),
    ).toBeUndefined();
    const applied = await db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'compliance.retention.apply')
      .orderBy('seq')
      .execute();
    expect(applied.map((e) => e.details.droppedPartitions)).toEqual([
      ['audit_events_2018_03', 'audit_events_2018_04'],
      ['audit_events_2024_01'],
    ]);

    // Nothing left to prune: a second run changes nothing and the chain stays valid.
    await prune('retention-3');
    const again = await t.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: officer });
    expect(again.json().valid).toBe(true);
  });

  it('still detects a deleted event after pruning', async () => {
    const { db } = t.platform;
    const victim = await db
      .selectFrom('audit_events')
      .select('seq')
      .orderBy('seq')
      .offset(2)
      .limit(1)
      .executeTakeFirstOrThrow();
    await db.deleteFrom('audit_events').where('seq', '=', victim.seq).execute();
    const result = await t.services.audit.verify(null);
    expect(result.valid).toBe(false);
    expect(result.firstBrokenEventId).toBe(String(victim.seq));
  });
});
