import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../src/platform/auth/roles.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
const credentials = new Map<Role, Record<string, string>>();

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 1 });
  for (const role of ROLES) {
    if (role === 'service') {
      const key = await t.services.auth.createApiKey(
        { name: 'matrix', role: 'service', practiceId: t.seed!.practiceId },
        { actorType: 'system', actorId: 'test' },
      );
      credentials.set(role, { 'x-api-key': key.key });
    } else {
      credentials.set(role, { authorization: await t.bearer(role) });
    }
  }
});
afterAll(() => t.close());

const concrete = (url: string) =>
  url
    .replace(/:id\b/g, randomUUID())
    .replace(/:key\b/g, 'some.key')
    .replace(/:(\w+)/g, 'x');
// Logging out would end the session the rest of the walk uses; it is exercised in auth.test.ts.
const SESSION_ENDING = new Set(['POST /v1/auth/logout']);

describe('every route × every role', () => {
  it('declares access on every /v1 route', () => {
    const v1 = t.routes.filter((r) => r.url.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThan(25);
    for (const r of v1) expect(r.auth, `${r.method} ${r.url}`).toBeDefined();
  });

  it('answers 401 without credentials, 403 for roles not allowed, and lets allowed roles through', async () => {
    const protectedRoutes = t.routes.filter((r) => r.auth !== undefined && r.auth !== 'public');
    let checked = 0;
    for (const route of protectedRoutes) {
      const url = concrete(route.url);
      const method = route.method as 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
      const payload = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined;
      const anonymous = await t.app.inject({ method, url, payload });
      expect(anonymous.statusCode, `anonymous ${method} ${route.url}`).toBe(401);
      expect(anonymous.headers['content-type']).toContain('application/problem+json');
      const bogus = await t.app.inject({
        method,
        url,
        payload,
        headers: { authorization: 'Bearer not-a-token' },
      });
      expect(bogus.statusCode, `bad token ${method} ${route.url}`).toBe(401);
      for (const role of ROLES) {
        const allowed = (route.auth as readonly Role[]).includes(role);
        if (allowed && SESSION_ENDING.has(`${method} ${route.url}`)) continue;
        const res = await t.app.inject({ method, url, payload, headers: credentials.get(role) });
        if (allowed) {
          expect([401, 403], `${role} ${method} ${route.url} → ${res.statusCode} ${res.body}`).not.toContain(
            res.statusCode,
          );
        } else {
          expect(res.statusCode, `${role} ${method} ${route.url}`).toBe(403);
        }
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(protectedRoutes.length * 6);
  });

  it('records refused access in the audit trail', async () => {
    const events = await t.platform.db
      .selectFrom('audit_events')
      .select(['action', 'outcome', 'actor_role'])
      .where('action', '=', 'access.denied')
      .execute();
    expect(events.length).toBeGreaterThan(10);
    expect(events.every((e) => e.outcome === 'denied')).toBe(true);
  });
});
