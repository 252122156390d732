import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { runServer } from '../src/server.ts';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase } from './harness.ts';

function fakeIo(stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (text) => out.push(text),
    readStdin: async () => stdin,
    async *stdinLines() {
      yield* stdin.split('\n').filter(Boolean);
    },
  };
  return { io, out, err };
}

let dataDir: string;
let database: TestDatabase;
const saved = { ...process.env };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ix-cli-'));
  database = await createTestDatabase();
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    INTELLUXE_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: 'silent',
    INTELLUXE_ENV: 'test',
    INTELLUXE_DEMO_PASSWORD: 'intelluxe-demo',
  });
  if (database.url) process.env.DATABASE_URL = database.url;
});

afterAll(async () => {
  process.env = saved;
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('intelluxe CLI', () => {
  it('prints usage for no command and refuses unknown ones', async () => {
    const none = fakeIo();
    expect(await main([], none.io)).toBe(2);
    expect(none.out.join('\n')).toContain('audit');
    const unknown = fakeIo();
    expect(await main(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.err[0]).toContain("unknown command 'frobnicate'");
  });

  it('migrates, seeds the demo practice once, creates a user and verifies the audit chain', async () => {
    const migrate = fakeIo();
    expect(await main(['migrate'], migrate.io)).toBe(0);
    expect(migrate.out[0]).toMatch(/applied \d+ migration|up to date/);

    const seed = fakeIo();
    expect(await main(['seed-demo', '--patients', '5'], seed.io)).toBe(0);
    expect(seed.out[0]).toMatch(/^seeded 5 patients/);
    const again = fakeIo();
    expect(await main(['seed-demo'], again.io)).toBe(0);
    expect(again.out[0]).toContain('already present');

    const user = fakeIo('a-strong-passphrase-2026\n');
    expect(
      await main(
        [
          'user',
          'create',
          '--email',
          'auditor@example.org',
          '--role',
          'compliance_officer',
          '--name',
          'Ann Auditor',
        ],
        user.io,
      ),
    ).toBe(0);
    expect(JSON.parse(user.out.join(''))).toMatchObject({
      email: 'auditor@example.org',
      role: 'compliance_officer',
    });
    const badRole = fakeIo('a-strong-passphrase-2026');
    expect(await main(['user', 'create', '--email', 'x@example.org', '--role', 'wizard'], badRole.io)).toBe(
      1,
    );
    expect(badRole.err[0]).toContain('role');

    const verify = fakeIo();
    expect(await main(['audit', 'verify'], verify.io)).toBe(0);
    expect(JSON.parse(verify.out[0]!)).toMatchObject({ valid: true, firstBrokenEventId: null });
  });

  it('creates an API key that a seed-compatible service accepts, and revokes it', async () => {
    const create = fakeIo();
    expect(
      await main(['apikey', 'create', '--name', 'front-desk-kiosk', '--role', 'front_desk'], create.io),
    ).toBe(0);
    const created = JSON.parse(create.out.join('')) as { id: string; key: string };
    expect(created).toMatchObject({ name: 'front-desk-kiosk', role: 'front_desk', expiresAt: null });
    expect(created.key).toMatch(/^ixk_/);
    expect(create.err[0]).toContain('shown once');

    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const config = loadConfig({
      ...process.env,
      SERVICE_PORT_INSURANCE_VERIFICATION: String(base),
      JOBS_ENABLED: 'false',
    });
    const verify = (key: string) =>
      fetch(`http://127.0.0.1:${base}/verify`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json' },
        body: JSON.stringify({ member_id: 'X1', provider_id: '1' }),
      });
    let server = await runServer(config, { services: ['insurance-verification'] });
    try {
      // Authenticated: the seed service's own validation answers (member id and provider id too short).
      const accepted = await verify(created.key);
      expect(accepted.status).toBe(400);
      expect(((await accepted.json()) as { issues: unknown[] }).issues.length).toBeGreaterThan(0);
      expect((await verify('ixk_not-a-key')).status).toBe(401);
    } finally {
      await server.close();
    }

    const revoke = fakeIo();
    expect(await main(['apikey', 'revoke', created.id], revoke.io)).toBe(0);
    expect(JSON.parse(revoke.out.join(''))).toEqual({ id: created.id, revoked: true });
    const again = fakeIo();
    expect(await main(['apikey', 'revoke', created.id], again.io)).toBe(1);
    expect(again.err[0]).toContain('api key');
    server = await runServer(config, { services: ['insurance-verification'] });
    try {
      expect((await verify(created.key)).status).toBe(401);
    } finally {
      await server.close();
    }

    const bad = fakeIo();
    expect(await main(['apikey', 'create', '--name', 'x', '--role', 'wizard'], bad.io)).toBe(1);
    expect(bad.err[0]).toContain('role');
    const past = fakeIo();
    expect(
      await main(['apikey', 'create', '--name', 'x', '--expires', '2020-01-01T00:00:00Z'], past.io),
    ).toBe(1);
    expect(past.err[0]).toContain('expires');
    const practice = fakeIo();
    expect(await main(['apikey', 'create', '--name', 'x', '--practice', 'riverside'], practice.io)).toBe(1);
    expect(practice.err[0]).toContain('practice');
    const usage = fakeIo();
    expect(await main(['apikey', 'create'], usage.io)).toBe(2);
    expect(usage.err.join('\n')).toContain('usage: intelluxe apikey');
  });

  it('exits 1 and names the broken event when the audit trail was edited', async () => {
    const config = loadConfig();
    if (config.databaseUrl) {
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      await client.query(`UPDATE audit_events SET outcome = 'failure' WHERE seq = 2`);
      await client.end();
    } else {
      const { PGlite } = await import('@electric-sql/pglite');
      const db = await PGlite.create(join(dataDir, 'pgdata'));
      await db.query(`UPDATE audit_events SET outcome = 'failure' WHERE seq = 2`);
      await db.close();
    }
    const verify = fakeIo();
    expect(await main(['audit', 'verify'], verify.io)).toBe(1);
    expect(JSON.parse(verify.out[0]!)).toMatchObject({ valid: false, firstBrokenEventId: '2' });
    expect(verify.err[0]).toContain('event 2');
  });

  it('stops with a message naming a bad configuration value', async () => {
    process.env.PORT = 'eighty';
    const serve = fakeIo();
    expect(await main(['serve'], serve.io)).toBe(2);
    expect(serve.err[0]).toContain('PORT');
    delete process.env.PORT;
    process.env.INTELLUXE_MASTER_KEY = 'too-short';
    const migrate = fakeIo();
    expect(await main(['migrate'], migrate.io)).toBe(2);
    expect(migrate.err[0]).toContain('INTELLUXE_MASTER_KEY');
    process.env.INTELLUXE_MASTER_KEY = TEST_MASTER_KEY;
  });

  it('serves named seed-compatible services each on its own port', async () => {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const config = loadConfig({
      ...process.env,
      HOST: '127.0.0.1',
      SERVICE_PORT_INSURANCE_VERIFICATION: String(base),
      SERVICE_PORT_COMPLIANCE_MONITOR: String(base + 1),
      JOBS_ENABLED: 'false',
    });
    const server = await runServer(config, { services: ['insurance-verification', 'compliance-monitor'] });
    try {
      expect(server.listening.map((l) => l.name)).toEqual(['insurance-verification', 'compliance-monitor']);
      const a = await fetch(`http://127.0.0.1:${base}/health`);
      expect(await a.json()).toEqual({ status: 'healthy', service: 'insurance-verification' });
      const b = await fetch(`http://127.0.0.1:${base + 1}/health`);
      expect(await b.json()).toEqual({ status: 'healthy', service: 'compliance-monitor' });
    } finally {
      await server.close();
    }
    await expect(runServer(config, { services: ['astrology'] })).rejects.toThrow(/unknown service astrology/);
  });
});
