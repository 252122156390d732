/**
 * The monitor's rules, driven through the API: demo users log in, read patients, services post access events,
 * and the alerts that come out are checked rule by rule.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { complianceQueues, MONITOR_QUEUE } from '../src/modules/compliance/jobs.ts';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/demo/seed.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let officer: Record<string, string>;
let admin: Record<string, string>;
let physician: Record<string, string>;
let biller: Record<string, string>;
let service: Record<string, string>;
let physicianId: string;
let billerId: string;
let adminId: string;
let ownPatient: string;
let otherPatient: string;

interface Alert {
  id: string;
  ruleId: string;
  riskLevel: string;
  status: string;
  subject: string;
  subjectDetail: string | null;
  eventCount: number;
  evidence: string[];
}

async function userId(local: string): Promise<{ id: string; provider_id: string | null }> {
  return t.platform.db
    .selectFrom('users')
    .select(['id', 'provider_id'])
    .where('email', '=', `${local}@${DEMO_EMAIL_DOMAIN}`)
    .executeTakeFirstOrThrow();
}

async function alerts(ruleId: string, subject?: string): Promise<Alert[]> {
  const query = new URLSearchParams({ ruleId, limit: '500', ...(subject && { subject }) });
  const res = await t.app.inject({ method: 'GET', url: `/v1/compliance/alerts?${query}`, headers: officer });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().items;
}

const monitor = () => t.services.compliance.monitor.run();

async function readPatient(headers: Record<string, string>, id: string, extra: Record<string, string> = {}) {
  const res = await t.app.inject({
    method: 'GET',
    url: `/v1/patients/${id}`,
    headers: { ...headers, ...extra },
  });
  expect(res.statusCode, res.body).toBe(200);
}

async function lastSeq(): Promise<string> {
  const head = await t.platform.db
    .selectFrom('audit_chain_head')
    .select('last_seq')
    .executeTakeFirstOrThrow();
  return String(head.last_seq);
}

async function postAccess(body: Record<string, unknown>) {
  return t.app.inject({
    method: 'POST',
    url: '/v1/compliance/access-events',
    headers: service,
    payload: body,
  });
}

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 12 });
  officer = { authorization: await t.bearer('compliance_officer') };
  admin = { authorization: await t.bearer('admin') };
  physician = { authorization: await t.bearer('physician') };
  biller = { authorization: await t.bearer('biller') };
  const key = await t.services.auth.createApiKey(
    { name: 'scheduling-service', role: 'service', practiceId: t.seed!.practiceId },
    { actorType: 'system', actorId: 'test' },
  );
  service = { 'x-api-key': key.key };
  const doc = await userId('physician');
  physicianId = doc.id;
  billerId = (await userId('biller')).id;
  adminId = (await userId('admin')).id;
  const providerId = doc.provider_id!;
  const related = await t.platform.db
    .selectFrom('appointments')
    .select('patient_id')
    .where('provider_id', '=', providerId)
    .union(t.platform.db.selectFrom('encounters').select('patient_id').where('provider_id', '=', providerId))
    .execute();
  const relatedIds = new Set(related.map((r) => r.patient_id));
  const patients = await t.platform.db.selectFrom('patients').select('id').orderBy('mrn').execute();
  ownPatient = patients.find((p) => relatedIds.has(p.id))!.id;
  otherPatient = patients.find((p) => !relatedIds.has(p.id))!.id;
  expect(ownPatient).toBeDefined();
  expect(otherPatient).toBeDefined();
});
afterAll(() => t.close());

describe('care relationship', () => {
  it("raises nothing when a physician reads their own patient, and an alert for someone else's", async () => {
    await readPatient(physician, ownPatient);
    await monitor();
    expect(await alerts('no_care_relationship', physicianId)).toEqual([]);

    await readPatient(physician, otherPatient);
    const seq = await lastSeq();
    await monitor();
    const raised = await alerts('no_care_relationship', physicianId);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ subjectDetail: otherPatient, riskLevel: 'medium', status: 'open' });
    expect(raised[0]!.evidence).toContain(seq);

    // Reading the same chart again extends the alert instead of raising another.
    await readPatient(physician, otherPatient);
    await monitor();
    const again = await alerts('no_care_relationship', physicianId);
    expect(again).toHaveLength(1);
    expect(again[0]!.eventCount).toBe(2);
  });
});

describe('accesses per hour', () => {
  it('raises exactly one alert for the 51st access in an hour, not one per access after it', async () => {
    for (let i = 0; i < 50; i++) await readPatient(biller, ownPatient);
    await monitor();
    expect(await alerts('hourly_access_rate', billerId)).toEqual([]);

    await readPatient(biller, ownPatient);
    const fiftyFirst = await lastSeq();
    await monitor();
    const raised = await alerts('hourly_access_rate', billerId);
    expect(raised).toHaveLength(1);
    expect(raised[0]!.evidence).toHaveLength(51);
    expect(raised[0]!.evidence.at(-1)).toBe(fiftyFirst);

    for (let i = 0; i < 9; i++) await readPatient(biller, ownPatient);
    await monitor();
    const after = await alerts('hourly_access_rate', billerId);
    expect(after).toHaveLength(1);
    expect(after[0]!.eventCount).toBe(60);
  });
});

describe('failed logins', () => {
  it('raises one alert per burst of failed logins', async () => {
    const email = `someone.else@${DEMO_EMAIL_DOMAIN}`;
    for (let i = 0; i < 7; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: `guess-${i}-wrong` },
      });
      expect(res.statusCode).toBe(401);
    }
    await monitor();
    const raised = await alerts('failed_logins', email);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ riskLevel: 'high', eventCount: 7 });
  });

  it('raises a new alert for a second burst after the window', async () => {
    const email = `someone.else@${DEMO_EMAIL_DOMAIN}`;
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 40 * 60_000);
      for (let i = 0; i < 5; i++)
        await t.app.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { email, password: `later-${i}-wrong` },
        });
    } finally {
      vi.useRealTimers();
    }
    await monitor();
    const raised = await alerts('failed_logins', email);
    expect(raised).toHaveLength(2);
    expect(raised.map((a) => a.eventCount).sort()).toEqual([5, 7]);
  });

  it('stays quiet below the threshold', async () => {
    const email = `typo.prone@${DEMO_EMAIL_DOMAIN}`;
    for (let i = 0; i < 3; i++)
      await t.app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email, password: 'nope-nope-1' },
      });
    await monitor();
    expect(await alerts('failed_logins', email)).toEqual([]);
  });
});

describe('break the glass', () => {
  it('raises a high alert when a patient is read under the break_glass purpose', async () => {
    await readPatient(physician, ownPatient, { 'x-purpose-of-use': 'break_glass' });
    await monitor();
    const raised = await alerts('break_glass', physicianId);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ riskLevel: 'high', subjectDetail: ownPatient });
  });
});

describe('access events', () => {
  it('records a reported export, evaluates it at once and reports the alerts it raised', async () => {
    const res = await postAccess({
      actor: { id: physicianId, role: 'physician' },
      action: 'export',
      resourceType: 'patient',
      patientId: ownPatient,
      purpose: 'treatment',
      ip: '203.0.113.50',
      details: { format: 'ccda', records: 1 },
    });
    expect(res.statusCode, res.body).toBe(201);
    const receipt = res.json();
    const rules = receipt.alerts.map((a: { ruleId: string }) => a.ruleId);
    expect(rules).toContain('phi_export');
    expect(rules).toContain('new_ip');
    const event = await t.platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '=', Number(receipt.auditId))
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: 'access.export',
      actor_id: physicianId,
      resource_type: 'patient',
      resource_id: ownPatient,
      ip: '203.0.113.50',
    });
    expect(event.details).toMatchObject({ patientId: ownPatient, format: 'ccda' });

    // The same IP again is no longer new.
    const again = await postAccess({
      actor: { id: physicianId },
      action: 'view',
      resourceType: 'patient',
      patientId: ownPatient,
      ip: '203.0.113.50',
    });
    expect(again.json().alerts.map((a: { ruleId: string }) => a.ruleId)).not.toContain('new_ip');
  });

  it('masks PHI a reporter puts in the details', async () => {
    const res = await postAccess({
      actor: { id: billerId },
      action: 'view',
      resourceType: 'claim',
      resourceId: 'CLM-2026-000143',
      details: { note: 'called Mrs. Alvarez at 614-555-0142' },
    });
    expect(res.statusCode).toBe(201);
    const event = await t.platform.db
      .selectFrom('audit_events')
      .select('details')
      .where('seq', '=', Number(res.json().auditId))
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(event.details)).not.toContain('614-555-0142');
  });

  it('raises an after-hours alert in the practice time zone, with configurable hours', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/v1/compliance/rules/after_hours',
      headers: officer,
      payload: { params: { start: '07:00', end: '21:00', weekdays: [1, 2, 3, 4, 5] } },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    // Wednesday 2026-03-11, 20:30 in New York (EDT, UTC-4): inside the hours.
    const inside = await postAccess({
      actor: { id: adminId },
      action: 'view',
      resourceType: 'patient',
      patientId: ownPatient,
      occurredAt: '2026-03-12T00:30:00.000Z',
    });
    expect(inside.json().alerts.map((a: { ruleId: string }) => a.ruleId)).not.toContain('after_hours');
    // The same Wednesday at 22:15 local time: after hours.
    const late = await postAccess({
      actor: { id: adminId },
      action: 'view',
      resourceType: 'patient',
      patientId: ownPatient,
      occurredAt: '2026-03-12T02:15:00.000Z',
    });
    const alert = late.json().alerts.find((a: { ruleId: string }) => a.ruleId === 'after_hours');
    expect(alert).toMatchObject({ riskLevel: 'low' });
    const detail = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/alerts/${alert.id}`,
      headers: officer,
    });
    expect(detail.json().details).toMatchObject({ timeZone: 'America/New_York', localTime: '22:15' });
  });

  it('refuses an event dated in the future', async () => {
    const res = await postAccess({
      actor: { id: adminId },
      action: 'view',
      resourceType: 'patient',
      occurredAt: new Date(Date.now() + 3_600_000).toISOString(),
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/occurredAt');
  });
});

describe('bulk access and rule configuration', () => {
  it('raises one bulk-access alert when an account opens many distinct patients', async () => {
    const patch = await t.app.inject({
      method: 'PATCH',
      url: '/v1/compliance/rules/bulk_access',
      headers: admin,
      payload: { params: { distinctPatients: 5, windowMinutes: 10 }, riskLevel: 'critical' },
    });
    expect(patch.statusCode, patch.body).toBe(200);
    expect(patch.json()).toMatchObject({ riskLevel: 'critical', params: { distinctPatients: 5 } });
    const patients = await t.platform.db.selectFrom('patients').select('id').limit(8).execute();
    for (const p of patients) await readPatient(admin, p.id);
    await monitor();
    const raised = await alerts('bulk_access', adminId);
    expect(raised).toHaveLength(1);
    expect(raised[0]!.riskLevel).toBe('critical');
  });

  it('honours a disabled rule', async () => {
    await t.app.inject({
      method: 'PATCH',
      url: '/v1/compliance/rules/new_ip',
      headers: officer,
      payload: { enabled: false },
    });
    const res = await postAccess({
      actor: { id: billerId },
      action: 'view',
      resourceType: 'claim',
      ip: '198.51.100.7',
    });
    expect(res.json().alerts.map((a: { ruleId: string }) => a.ruleId)).not.toContain('new_ip');
    const rules = await t.app.inject({ method: 'GET', url: '/v1/compliance/rules', headers: officer });
    expect(rules.json().find((r: { id: string }) => r.id === 'new_ip').enabled).toBe(false);
  });

  it('rejects parameters a rule does not have, or out of range, naming the field', async () => {
    const bad = await t.app.inject({
      method: 'PATCH',
      url: '/v1/compliance/rules/hourly_access_rate',
      headers: officer,
      payload: { params: { maxPerHour: 0, windowHours: 2 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/params/maxPerHour', '/params/windowHours']);
    const unknown = await t.app.inject({
      method: 'PATCH',
      url: '/v1/compliance/rules/teleportation',
      headers: officer,
      payload: { enabled: false },
    });
    expect(unknown.statusCode).toBe(404);
  });

  it('runs as a scheduled job over the audit cursor without evaluating an event twice', async () => {
    const job = complianceQueues(t.platform).find((q) => q.name === MONITOR_QUEUE)!;
    expect(job.schedule?.cron).toBe('* * * * *');
    await readPatient(physician, otherPatient, { 'x-purpose-of-use': 'break_glass' });
    const seq = await lastSeq();
    await job.handle({} as never, { id: 'monitor-1', retryCount: 0 });
    const glass = await alerts('break_glass', physicianId);
    expect(glass.some((a) => a.evidence.includes(seq))).toBe(true);
    const cursor = await t.platform.db
      .selectFrom('compliance_monitor_cursor')
      .select('last_seq')
      .executeTakeFirstOrThrow();
    expect(cursor.last_seq).toBeGreaterThanOrEqual(Number(seq));

    // The job's own audit events (alerts raised) are evaluated once by the next run, then nothing is left.
    await monitor();

    const before = await t.platform.db.selectFrom('security_alerts').select('id').execute();
    const run = await monitor();
    expect(run.processed).toBe(0);
    const after = await t.platform.db.selectFrom('security_alerts').select('id').execute();
    expect(after.length).toBe(before.length);
  });
});
