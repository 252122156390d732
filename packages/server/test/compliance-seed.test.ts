/** The design notes' compliance-monitor service (port 8005): /log_access, /scan_pii, /security_monitoring_dashboard. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import type { App } from '../src/platform/http/types.ts';
import { findSeedService } from '../src/seed-services.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let own: App;
let service: Record<string, string>;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 2 });
  own = (await buildApp(t.platform, t.services, { seedService: findSeedService('compliance-monitor') })).app;
  const key = await t.services.auth.createApiKey(
    { name: 'ai-orchestrator', role: 'service', practiceId: t.seed!.practiceId },
    { actorType: 'system', actorId: 'test' },
  );
  service = { 'x-api-key': key.key };
  officer = { authorization: await t.bearer('compliance_officer') };
  // Weekend or night runs of this suite should not make every access an after-hours violation.
  await t.app.inject({
    method: 'PATCH',
    url: '/v1/compliance/rules/after_hours',
    headers: officer,
    payload: { enabled: false },
  });
});
afterAll(async () => {
  await own.close();
  await t.close();
});

describe('compliance-monitor seed service', () => {
  it("logs the notes' access event and answers in their shape", async () => {
    const res = await own.inject({
      method: 'POST',
      url: '/log_access',
      headers: service,
      payload: {
        user_id: 'dr_smith',
        action: 'view_patient_record',
        resource_type: 'patient_data',
        resource_id: 'P123456',
        ip_address: '192.168.1.100',
        details: { record_type: 'demographics' },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      logged: true,
      audit_id: expect.stringMatching(/^\d+$/),
      compliance_status: 'compliant',
      requires_attention: false,
      user_id: 'dr_smith',
      action: 'view_patient_record',
      success: true,
      ip_address: '192.168.1.100',
      compliance_flags: [],
    });
    const event = await t.platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', Number(body.audit_id))
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: 'access.view_patient_record',
      actor_id: 'dr_smith',
      resource_type: 'patient_data',
      resource_id: 'P123456',
      ip: '192.168.1.100',
    });
  });

  it('flags a PHI export in the short body and reports that it needs attention', async () => {
    const res = await own.inject({
      method: 'POST',
      url: '/log_access',
      headers: service,
      payload: { user_id: 'dr_smith', resource: 'patient_records', action: 'download', success: true },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      logged: true,
      compliance_status: 'violation',
      requires_attention: true,
      resource: 'patient_records',
      compliance_flags: expect.arrayContaining(['PHI_EXPORT']),
    });
    expect(res.json().alerts[0]).toMatchObject({ rule: 'phi_export', risk_level: 'medium' });
  });

  it('rejects an access event without the required fields', async () => {
    const res = await own.inject({
      method: 'POST',
      url: '/log_access',
      headers: service,
      payload: { action: 'view' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/user_id');
  });

  it("scans content for PII with the notes' violation details", async () => {
    const res = await own.inject({
      method: 'POST',
      url: '/scan_pii',
      headers: service,
      payload: { content: 'Patient SSN 219-09-9999, call 614-555-0142 or maria.alvarez@example.com' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.violations_found).toBe(true);
    expect(body.violation_details).toEqual(
      expect.arrayContaining([
        { type: 'ssn', count: 1, severity: 'high' },
        { type: 'phone', count: 1, severity: 'medium' },
        { type: 'email', count: 1, severity: 'medium' },
      ]),
    );
    expect(Number.isNaN(Date.parse(body.scan_timestamp))).toBe(false);
    const clean = await own.inject({
      method: 'POST',
      url: '/scan_pii',
      headers: service,
      payload: { content: 'BP 120/80, Lisinopril 10 mg daily' },
    });
    expect(clean.json()).toMatchObject({ violations_found: false, violation_details: [] });
  });

  it('serves the security monitoring dashboard', async () => {
    const res = await own.inject({ method: 'GET', url: '/security_monitoring_dashboard', headers: officer });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.open_alerts_by_risk).toMatchObject({
      low: expect.any(Number),
      medium: 1,
      high: 0,
      critical: 0,
    });
    expect(body.risk_alerts[0]).toMatchObject({ rule: 'phi_export', status: 'open' });
    expect(body.recent_events.length).toBeGreaterThan(0);
    expect(body.rule_status.find((r: { rule: string }) => r.rule === 'after_hours').enabled).toBe(false);
    expect(body.monitor.lag).toBeGreaterThanOrEqual(0);
  });

  it('is mounted under /services/compliance-monitor in all-in-one mode, and authenticated', async () => {
    const health = await t.app.inject({ method: 'GET', url: '/services/compliance-monitor/health' });
    expect(health.json()).toEqual({ status: 'healthy', service: 'compliance-monitor' });
    const scan = await t.app.inject({
      method: 'POST',
      url: '/services/compliance-monitor/scan_pii',
      headers: service,
      payload: { content: 'call 614-555-0142' },
    });
    expect(scan.statusCode).toBe(200);
    expect(
      (await own.inject({ method: 'POST', url: '/scan_pii', payload: { content: 'x' } })).statusCode,
    ).toBe(401);
    const physician = { authorization: await t.bearer('physician') };
    expect(
      (await own.inject({ method: 'GET', url: '/security_monitoring_dashboard', headers: physician }))
        .statusCode,
    ).toBe(403);
  });
});
