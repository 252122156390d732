import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestContext({ seedPatients: 3 });
});
afterAll(() => t.close());

describe('health, docs and errors', () => {
  it('reports each dependency with its latency', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.status).toBe('ok');
    for (const check of ['database', 'cache', 'jobs']) {
      expect(body.checks[check].status).toBe('ok');
      expect(typeof body.checks[check].latencyMs).toBe('number');
    }
    expect(body.checks.llm.status).toBe('not configured');
  });

  it('is ready once migrated', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/ready' });
    expect(res.json()).toEqual({ ready: true });
  });

  it('serves an OpenAPI 3.1 document listing every /v1 route with schemas', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const v1 = t.routes.filter((r) => r.url.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(25);
    for (const route of v1) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const op = doc.paths[path]?.[route.method.toLowerCase()];
      expect(op, `${route.method} ${route.url}`).toBeDefined();
      expect(op.responses, `${route.method} ${route.url}`).toBeDefined();
      expect(op.summary, `${route.method} ${route.url}`).toBeTruthy();
    }
  });

  it('serves Swagger UI at /docs', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger');
  });

  it('answers unknown routes with a 404 problem document', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('sends the security headers on answers and errors alike', async () => {
    for (const url of ['/health', '/v1/no-such-thing']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("img-src 'self' data:");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('names the allowed values once when a value is not one of a list', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/audit/events?outcome=maybe',
      headers: { authorization: await t.bearer('compliance_officer') },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([
      { path: '/query/outcome', message: 'must be one of: success, failure, denied' },
    ]);
  });

  it('answers a wrong method with 405 and Allow', async () => {
    const res = await t.app.inject({ method: 'PUT', url: '/v1/patients' });
    expect(res.statusCode).toBe(405);
    expect(res.headers.allow).toBe('GET, POST');
    expect(res.json().status).toBe(405);
  });

  it('exposes Prometheus metrics', async () => {
    await t.app.inject({ method: 'GET', url: '/health' });
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.body).toContain('intelluxe_http_request_duration_seconds_bucket');
    expect(res.body).toContain('intelluxe_db_pool_connections');
    expect(res.body).toContain('intelluxe_audit_events_total');
  });

  it('echoes a request id', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-request-id': 'req-12345678' },
    });
    expect(res.headers['x-request-id']).toBe('req-12345678');
  });

  it('serves every seed-compatible service health under /services in all-in-one mode', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/services/billing-engine/health' });
    expect(res.json()).toEqual({ status: 'healthy', service: 'billing-engine' });
  });
});
