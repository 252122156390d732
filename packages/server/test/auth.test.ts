import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestContext({
    seedPatients: 1,
    env: { LOGIN_MAX_FAILURES: '3', LOGIN_LOCKOUT_SECONDS: '60' },
  });
});
afterAll(() => t.close());

const login = (email: string, password: string) =>
  t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email, password } });

async function auditFor(action: string) {
  return t.platform.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', action)
    .orderBy('seq')
    .execute();
}

describe('login', () => {
  it('issues an access and a refresh token to a demo user, audited', async () => {
    const res = await login('Biller@demo.intelluxe.local', DEMO_PASSWORD);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: 900,
      user: { role: 'biller', email: 'biller@demo.intelluxe.local' },
    });
    expect(body.accessToken.split('.')).toHaveLength(3);
    const me = await t.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${body.accessToken}` },
    });
    expect(me.json()).toMatchObject({ type: 'user', role: 'biller' });
    const events = await auditFor('auth.login');
    expect(events.at(-1)).toMatchObject({ outcome: 'success', actor_role: 'biller' });
  });

  it('refuses a wrong password and an unknown email alike, and audits both', async () => {
    const wrong = await login('physician@demo.intelluxe.local', 'not-the-password');
    const unknown = await login('nobody@demo.intelluxe.local', 'whatever-password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const failures = (await auditFor('auth.login')).filter((e) => e.outcome === 'failure');
    expect(failures.map((e) => (e.details as { reason: string }).reason)).toEqual(
      expect.arrayContaining(['bad_password', 'unknown_email']),
    );
  });

  it('locks an account after repeated failures, even for the right password', async () => {
    for (let i = 0; i < 3; i++)
      expect((await login('manager@demo.intelluxe.local', `wrong-${i}-password`)).statusCode).toBe(401);
    const locked = await login('manager@demo.intelluxe.local', DEMO_PASSWORD);
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    expect((await auditFor('auth.login')).at(-1)).toMatchObject({ outcome: 'denied' });
  });

  it('names the missing field in a malformed login', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/auth/login', payload: { email: 'x@y.z' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([{ path: '/password', message: expect.any(String) }]);
  });
});

describe('sessions', () => {
  it('rotates refresh tokens and revokes the session when a spent one is replayed', async () => {
    const first = (await login('frontdesk@demo.intelluxe.local', DEMO_PASSWORD)).json();
    const second = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(second.statusCode).toBe(200);
    const rotated = second.json();
    expect(rotated.refreshToken).not.toBe(first.refreshToken);
    const replay = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: first.refreshToken },
    });
    expect(replay.statusCode).toBe(401);
    const afterReplay = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: rotated.refreshToken },
    });
    expect(afterReplay.statusCode).toBe(401);
    const access = await t.app.inject({
      method: 'GET',
      url: '/v1/auth/me',
      headers: { authorization: `Bearer ${rotated.accessToken}` },
    });
    expect(access.statusCode).toBe(401);
  });

  it('logout ends the access token and the refresh token', async () => {
    const pair = (await login('physician@demo.intelluxe.local', DEMO_PASSWORD)).json();
    const headers = { authorization: `Bearer ${pair.accessToken}` };
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers })).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/v1/auth/logout', headers })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers })).statusCode).toBe(401);
    const refresh = await t.app.inject({
      method: 'POST',
      url: '/v1/auth/refresh',
      payload: { refreshToken: pair.refreshToken },
    });
    expect(refresh.statusCode).toBe(401);
  });

  it('rejects a forged token', async () => {
    const pair = (await login('biller@demo.intelluxe.local', DEMO_PASSWORD)).json();
    const [h, p, s] = pair.accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, role: 'admin' })).toString('base64url')}.${s}`;
    const res = await t.app.inject({
      method: 'GET',
      url: '/v1/users',
      headers: { authorization: `Bearer ${forged}` },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('users and API keys', () => {
  it('lets an admin create a user who can then log in; weak passwords are refused', async () => {
    const admin = { authorization: await t.bearer('admin') };
    const weak = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin,
      payload: {
        email: 'new.biller@demo.intelluxe.local',
        password: 'short',
        role: 'biller',
        fullName: 'New Biller',
      },
    });
    expect(weak.statusCode).toBe(400);
    expect(weak.json().errors[0].path).toBe('/password');
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin,
      payload: {
        email: 'new.biller@demo.intelluxe.local',
        password: 'a-long-enough-passphrase',
        role: 'biller',
        fullName: 'New Biller',
      },
    });
    expect(created.statusCode).toBe(201);
    expect((await login('new.biller@demo.intelluxe.local', 'a-long-enough-passphrase')).statusCode).toBe(200);
    const duplicate = await t.app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: admin,
      payload: {
        email: 'NEW.biller@demo.intelluxe.local',
        password: 'a-long-enough-passphrase',
        role: 'biller',
        fullName: 'Again',
      },
    });
    expect(duplicate.statusCode).toBe(409);
  });

  it('authenticates API keys by header or bearer, and refuses them once revoked', async () => {
    const admin = { authorization: await t.bearer('admin') };
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/api-keys',
      headers: admin,
      payload: { name: 'ehr-sync' },
    });
    expect(created.statusCode).toBe(201);
    const { id, key, role } = created.json();
    expect(role).toBe('service');
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-api-key': key } })).json(),
    ).toMatchObject({ type: 'api_key', role: 'service' });
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/patients',
          headers: { authorization: `Bearer ${key}` },
        })
      ).statusCode,
    ).toBe(200);
    const tampered = `${key.slice(0, -2)}xx`;
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-api-key': tampered } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/api-keys/${id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-api-key': key } })).statusCode,
    ).toBe(401);
  });

  it('refuses a cached API key at once when another writer revokes it, and when it expires', async () => {
    const admin = { authorization: await t.bearer('admin') };
    const create = async (payload: object) =>
      (await t.app.inject({ method: 'POST', url: '/v1/api-keys', headers: admin, payload })).json();
    const me = async (key: string) =>
      (await t.app.inject({ method: 'GET', url: '/v1/auth/me', headers: { 'x-api-key': key } })).statusCode;
    const notified: string[] = [];
    const unsubscribe = t.platform.changes.subscribe('api_key', {
      onChange: (prefix) => notified.push(prefix),
      onReset: () => {},
    });
    try {
      const { id, key, prefix } = await create({ name: 'billing-sync' });
      expect(await me(key)).toBe(200); // cached now, its last use stamped
      expect(await me(key)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(notified).toEqual([]); // the last-use stamp does not empty the entry it was written for

      // Another process (or psql, or `intelluxe apikey revoke`) revokes it behind this one's back.
      await t.platform.db
        .updateTable('api_keys')
        .set({ revoked_at: new Date() })
        .where('id', '=', id)
        .execute();
      const deadline = Date.now() + 2000;
      while ((await me(key)) === 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(await me(key)).toBe(401);
      expect(notified).toEqual([prefix]);

      const soon = await create({
        name: 'short-lived',
        expiresAt: new Date(Date.now() + 1500).toISOString(),
      });
      expect(await me(soon.key)).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1600));
      expect(await me(soon.key)).toBe(401);
    } finally {
      unsubscribe();
    }
  });

  it('audits a configuration change with the old and new value', async () => {
    const admin = { authorization: await t.bearer('admin') };
    await t.app.inject({
      method: 'PUT',
      url: '/v1/settings/eligibility.cache_ttl_minutes',
      headers: admin,
      payload: { value: 30 },
    });
    const res = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings/eligibility.cache_ttl_minutes',
      headers: admin,
      payload: { value: 45 },
    });
    expect(res.json()).toMatchObject({ key: 'eligibility.cache_ttl_minutes', value: 45 });
    const events = await auditFor('config.change');
    expect(events.at(-1)).toMatchObject({
      resource_id: 'eligibility.cache_ttl_minutes',
      details: { previous: 30, value: 45 },
    });
    const bad = await t.app.inject({
      method: 'PUT',
      url: '/v1/settings/Bad Key',
      headers: admin,
      payload: { value: 1 },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/key');
  });
});
