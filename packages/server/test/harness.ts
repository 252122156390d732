/**
 * An isolated platform per test file: a fresh in-memory PGlite, or (with DATABASE_URL) a fresh PostgreSQL
 * database created for the file and dropped after; with REDIS_URL a key namespace of its own.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_USERS, type SeedReport, seedDemo } from '../src/modules/demo/seed.ts';
import type { Role } from '../src/platform/auth/roles.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import type { App, RouteEntry } from '../src/platform/http/types.ts';
import type { QueueDefinition } from '../src/platform/jobs.ts';
import { type Platform, startPlatform, stopPlatform } from '../src/platform/platform.ts';
import { platformQueues } from '../src/queues.ts';
import { createServices, type Services } from '../src/services.ts';

export const TEST_MASTER_KEY = Buffer.alloc(32, 7).toString('base64');
export const DEMO_PASSWORD = 'intelluxe-demo';
export const usingPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  /** DATABASE_URL for the fresh database, or undefined for PGlite. */
  url: string | undefined;
  drop(): Promise<void>;
}

/** A fresh, empty PostgreSQL database when DATABASE_URL is set (PGlite otherwise). */
export async function createTestDatabase(): Promise<TestDatabase> {
  const base = process.env.DATABASE_URL;
  if (!base) return { url: undefined, drop: async () => {} };
  const name = `ix_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    },
  };
}

export function testConfig(overrides: Record<string, string | undefined> = {}): Config {
  return loadConfig({
    INTELLUXE_ENV: 'test',
    INTELLUXE_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: 'silent',
    REDIS_URL: process.env.REDIS_URL,
    INTELLUXE_DEMO_PASSWORD: DEMO_PASSWORD,
    ...overrides,
  });
}

export interface TestContext {
  platform: Platform;
  services: Services;
  app: App;
  routes: RouteEntry[];
  config: Config;
  seed: SeedReport | null;
  /** Logs in a demo user of that role and returns the Authorization header value. */
  bearer(role: Exclude<Role, 'service'>): Promise<string>;
  close(): Promise<void>;
}

export interface TestOptions {
  /** Seed the demo practice (with this many patients). */
  seedPatients?: number;
  /** Keep data on disk in this PGlite directory (restart tests). */
  dataDir?: string;
  /** Reuse an existing test database (restart tests on PostgreSQL). */
  database?: TestDatabase;
  queues?: (platform: Platform) => QueueDefinition<never>[];
  work?: boolean;
  env?: Record<string, string>;
}

export async function startTestContext(options: TestOptions = {}): Promise<TestContext> {
  const database = options.database ?? (await createTestDatabase());
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'ix-test-'));
  const config = testConfig({
    DATABASE_URL: database.url,
    DATA_DIR: dataDir,
    DB_POOL_MAX: '5',
    ...options.env,
  });
  const platform = await startPlatform(config, {
    pgliteDataDir: options.dataDir ? join(dataDir, 'pgdata') : 'memory://',
    cacheNamespace: `ixtest:${randomUUID()}:`,
    work: options.work ?? false,
    queues: (p) => [...platformQueues(p), ...(options.queues?.(p as Platform) ?? [])],
  });
  const services = createServices(platform);
  const seed =
    options.seedPatients !== undefined
      ? await seedDemo(platform, { patients: options.seedPatients, months: 2 })
      : null;
  const { app, routes } = await buildApp(platform, services);
  const tokens = new Map<string, string>();
  return {
    platform,
    services,
    app,
    routes,
    config,
    seed,
    async bearer(role) {
      const cached = tokens.get(role);
      if (cached) return cached;
      const local = DEMO_USERS.find((u) => u.role === role)!.local;
      const response = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: `${local}@${DEMO_EMAIL_DOMAIN}`, password: DEMO_PASSWORD },
      });
      if (response.statusCode !== 200) throw new Error(`login as ${role} failed: ${response.body}`);
      const header = `Bearer ${response.json().accessToken}`;
      tokens.set(role, header);
      return header;
    },
    async close() {
      await app.close();
      await stopPlatform(platform);
      if (!options.database) await database.drop();
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
