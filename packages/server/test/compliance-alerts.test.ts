/** Alert lifecycle (open → acknowledged → resolved, 409 otherwise) and signed webhook deliveries with retries. */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { complianceQueues } from '../src/modules/compliance/jobs.ts';
import { WEBHOOK_QUEUE } from '../src/modules/compliance/monitor.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, webhookSignature } from '../src/modules/compliance/webhook.ts';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/demo/seed.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let officer: Record<string, string>;
let admin: Record<string, string>;
let service: Record<string, string>;
let patientIds: string[];
let physicianId: string;

/** A break-the-glass read of the i-th patient; reads of one patient merge into one alert until it is resolved. */
async function breakGlass(i = 0): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/compliance/access-events',
    headers: service,
    payload: {
      actor: { id: physicianId, role: 'physician' },
      action: 'view',
      resourceType: 'patient',
      patientId: patientIds[i],
      purpose: 'break_glass',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  const alert = res.json().alerts.find((a: { ruleId: string }) => a.ruleId === 'break_glass');
  expect(alert).toMatchObject({ riskLevel: 'high' });
  return alert.id;
}

const act = (id: string, verb: 'acknowledge' | 'resolve', payload: object, headers = officer) =>
  t.app.inject({ method: 'POST', url: `/v1/compliance/alerts/${id}/${verb}`, headers, payload });

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 3 });
  officer = { authorization: await t.bearer('compliance_officer') };
  admin = { authorization: await t.bearer('admin') };
  const key = await t.services.auth.createApiKey(
    { name: 'ehr-bridge', role: 'service', practiceId: t.seed!.practiceId },
    { actorType: 'system', actorId: 'test' },
  );
  service = { 'x-api-key': key.key };
  patientIds = (await t.platform.db.selectFrom('patients').select('id').orderBy('mrn').execute()).map(
    (p) => p.id,
  );
  physicianId = (
    await t.platform.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', `physician@${DEMO_EMAIL_DOMAIN}`)
      .executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

describe('alert lifecycle', () => {
  it('moves open → acknowledged → resolved, recording who, when and the note', async () => {
    const id = await breakGlass();
    const acked = await act(id, 'acknowledge', { note: 'Reviewing with the covering physician' });
    expect(acked.statusCode, acked.body).toBe(200);
    expect(acked.json()).toMatchObject({
      status: 'acknowledged',
      acknowledged: { note: 'Reviewing with the covering physician' },
      resolved: null,
    });
    expect(Date.parse(acked.json().acknowledged.at)).toBeGreaterThan(Date.now() - 60_000);

    const resolved = await act(id, 'resolve', {
      resolution: 'authorized',
      note: 'Emergency department visit',
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    expect(resolved.json()).toMatchObject({
      status: 'resolved',
      resolved: { resolution: 'authorized', note: 'Emergency department visit' },
    });
    expect(resolved.json().resolved.by).toBe(resolved.json().acknowledged.by);

    const actions = await t.platform.db
      .selectFrom('audit_events')
      .select('action')
      .where('resource_id', '=', id)
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'compliance.alert.raise',
      'compliance.alert.acknowledge',
      'compliance.alert.resolve',
    ]);
  });

  it('answers 409 problems for transitions the lifecycle does not allow', async () => {
    const id = await breakGlass();
    const early = await act(id, 'resolve', { resolution: 'false_positive' });
    expect(early.statusCode).toBe(409);
    expect(early.headers['content-type']).toContain('application/problem+json');
    expect(early.json()).toMatchObject({
      status: 409,
      title: 'Conflict',
      allowed: ['acknowledge'],
      alertStatus: 'open',
    });

    expect((await act(id, 'acknowledge', {})).statusCode).toBe(200);
    const twice = await act(id, 'acknowledge', {});
    expect(twice.statusCode).toBe(409);
    expect(twice.json().status).toBe(409);

    expect((await act(id, 'resolve', { resolution: 'confirmed_violation' })).statusCode).toBe(200);
    expect((await act(id, 'resolve', { resolution: 'confirmed_violation' })).statusCode).toBe(409);
    expect((await act(id, 'acknowledge', {})).statusCode).toBe(409);
  });

  it('checks the resolution, the alert id and the role', async () => {
    const id = await breakGlass();
    await act(id, 'acknowledge', {});
    const bad = await act(id, 'resolve', { resolution: 'ignored' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/resolution');
    const missing = await act('0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10', 'acknowledge', {});
    expect(missing.statusCode).toBe(404);
    const physician = { authorization: await t.bearer('physician') };
    expect((await act(id, 'resolve', { resolution: 'authorized' }, physician)).statusCode).toBe(403);
  });

  it('lists and filters alerts, newest first, with a cursor', async () => {
    const all = await t.app.inject({
      method: 'GET',
      url: '/v1/compliance/alerts?limit=500',
      headers: officer,
    });
    const items = all.json().items as Array<{ id: string; status: string; riskLevel: string }>;
    expect(items.length).toBeGreaterThanOrEqual(3);
    const open = await t.app.inject({
      method: 'GET',
      url: '/v1/compliance/alerts?status=acknowledged&minRisk=high',
      headers: officer,
    });
    for (const a of open.json().items) {
      expect(a.status).toBe('acknowledged');
      expect(['high', 'critical']).toContain(a.riskLevel);
    }
    const first = await t.app.inject({
      method: 'GET',
      url: '/v1/compliance/alerts?limit=1',
      headers: officer,
    });
    const next = await t.app.inject({
      method: 'GET',
      url: `/v1/compliance/alerts?limit=1&cursor=${first.json().nextCursor}`,
      headers: officer,
    });
    expect(next.json().items[0].id).not.toBe(first.json().items[0].id);
    expect(next.json().items[0].id).toBe(items[1]!.id);
  });
});

describe('webhook notifications', () => {
  let server: Server;
  let url: string;
  const received: Array<{ headers: IncomingMessage['headers']; body: string }> = [];
  let failuresLeft = 1;

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push({ headers: req.headers, body });
        if (failuresLeft > 0) {
          failuresLeft -= 1;
          res.writeHead(503).end('busy');
        } else {
          res.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/intelluxe`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('signs each new alert with HMAC-SHA256 and retries a failed delivery through the job', async () => {
    const secret = 'whsec-4f1c2d9e10b7c6a3';
    const put = await t.app.inject({
      method: 'PUT',
      url: '/v1/compliance/webhook',
      headers: admin,
      payload: { url, secret, minRisk: 'medium' },
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json()).toMatchObject({ url, enabled: true, minRisk: 'medium' });
    expect(put.body).not.toContain(secret);

    const alertId = await breakGlass(1);
    const delivery = await t.platform.db
      .selectFrom('compliance_webhook_deliveries')
      .selectAll()
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    expect(delivery.status).toBe('pending');
    const queued = await t.platform.jobs.getJob(WEBHOOK_QUEUE, delivery.id);
    expect(queued).toMatchObject({ name: WEBHOOK_QUEUE, data: { deliveryId: delivery.id } });

    const queue = complianceQueues(t.platform).find((q) => q.name === WEBHOOK_QUEUE)!;
    const job = (retryCount: number) =>
      queue.handle({ deliveryId: delivery.id } as never, { id: 'job-1', retryCount });
    await expect(job(0)).rejects.toThrow(/HTTP 503/);
    await job(1);

    const after = await t.platform.db
      .selectFrom('compliance_webhook_deliveries')
      .selectAll()
      .where('id', '=', delivery.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'delivered', attempts: 2, last_status_code: 204 });

    expect(received).toHaveLength(2);
    const last = received[1]!;
    const timestamp = String(last.headers[TIMESTAMP_HEADER]);
    expect(last.headers[SIGNATURE_HEADER]).toBe(webhookSignature(secret, timestamp, last.body));
    expect(last.headers[SIGNATURE_HEADER]).not.toBe(
      webhookSignature('another-secret-entirely', timestamp, last.body),
    );
    const payload = JSON.parse(last.body);
    expect(payload).toMatchObject({
      event: 'security_alert.raised',
      alert: { id: alertId, ruleId: 'break_glass', riskLevel: 'high' },
    });

    // A delivered webhook is not sent again.
    await job(2);
    expect(received).toHaveLength(2);
  });

  it('sends nothing for alerts below the minimum risk', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/compliance/access-events',
      headers: service,
      payload: {
        actor: { id: physicianId },
        action: 'view',
        resourceType: 'patient',
        patientId: patientIds[0],
        ip: '192.0.2.44',
      },
    });
    const low = res.json().alerts.find((a: { ruleId: string }) => a.ruleId === 'new_ip');
    expect(low).toMatchObject({ riskLevel: 'low' });
    const deliveries = await t.platform.db
      .selectFrom('compliance_webhook_deliveries')
      .select('id')
      .where('alert_id', '=', low.id)
      .execute();
    expect(deliveries).toEqual([]);
  });

  it('marks a delivery failed after the last retry', async () => {
    failuresLeft = 10;
    const alertId = await breakGlass(2);
    const delivery = await t.platform.db
      .selectFrom('compliance_webhook_deliveries')
      .selectAll()
      .where('alert_id', '=', alertId)
      .executeTakeFirstOrThrow();
    const queue = complianceQueues(t.platform).find((q) => q.name === WEBHOOK_QUEUE)!;
    await queue.handle({ deliveryId: delivery.id } as never, { id: 'job-2', retryCount: 6 });
    const after = await t.platform.db
      .selectFrom('compliance_webhook_deliveries')
      .selectAll()
      .where('id', '=', delivery.id)
      .executeTakeFirstOrThrow();
    expect(after).toMatchObject({ status: 'failed', last_status_code: 503 });
  });
});
