import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChangeFeed, CoherentCache } from '../src/platform/changes.ts';
import type { DatabaseHandle } from '../src/platform/db/index.ts';
import { startTestContext, type TestContext, usingPostgres } from './harness.ts';

let t: TestContext;
let physician: Record<string, string>;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 3 });
  physician = { authorization: await t.bearer('physician') };
});
afterAll(() => t.close());

async function firstPatientId(): Promise<string> {
  const row = await t.platform.db
    .selectFrom('patients')
    .select('id')
    .orderBy('mrn')
    .executeTakeFirstOrThrow();
  return row.id;
}

const read = async (id: string) => {
  const res = await t.app.inject({ method: 'GET', url: `/v1/patients/${id}`, headers: physician });
  expect(res.statusCode).toBe(200);
  return res.json();
};

/** Reads until `check` holds (the change notification is asynchronous), at most two seconds. */
async function readUntil(id: string, check: (patient: Record<string, unknown>) => boolean) {
  const deadline = Date.now() + 2000;
  for (;;) {
    const patient = await read(id);
    if (check(patient) || Date.now() > deadline) return patient;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(`patient read cache (${usingPostgres ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('is live on the database the platform runs on', () => {
    expect(t.platform.changes.live).toBe(true);
  });

  it('sees a write made behind its back (straight SQL) without a restart', async () => {
    const id = await firstPatientId();
    const before = await read(id);
    await read(id); // now cached
    await sql`UPDATE patients SET mrn = ${`${before.mrn}X`}, updated_at = now() WHERE id = ${id}`.execute(
      t.platform.db,
    );
    const after = await readUntil(id, (p) => p.mrn === `${before.mrn}X`);
    expect(after.mrn).toBe(`${before.mrn}X`);
  });

  it('sees coverage removed by another writer', async () => {
    const id = await firstPatientId();
    const before = await read(id);
    expect(before.coverages.length).toBeGreaterThan(0);
    const [victim] = before.coverages as Array<{ id: string }>;
    await sql`DELETE FROM coverages WHERE id = ${victim!.id}`.execute(t.platform.db);
    const after = await readUntil(id, (p) => (p.coverages as unknown[]).length < before.coverages.length);
    expect((after.coverages as Array<{ id: string }>).map((c) => c.id)).not.toContain(victim!.id);
  });

  it("reads this process's own writes at once", async () => {
    const id = await firstPatientId();
    await read(id);
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/patients/${id}`,
      headers: { authorization: await t.bearer('front_desk') },
      payload: { phone: '(614) 555-0199' },
    });
    expect(patched.statusCode).toBe(200);
    expect((await read(id)).phone).toBe('(614) 555-0199');
  });

  it.runIf(usingPostgres)(
    'recovers from a dropped listening connection, caching nothing meanwhile',
    async () => {
      const changes = t.platform.changes;
      const waitFor = async (live: boolean) => {
        const deadline = Date.now() + 5000;
        while (changes.live !== live && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
        return changes.live;
      };
      await sql`SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE datname = current_database() AND query LIKE 'LISTEN%'`.execute(t.platform.db);
      expect(await waitFor(false)).toBe(false);
      expect(await waitFor(true)).toBe(true);
      // Live again: a change behind its back still reaches the cache.
      const id = await firstPatientId();
      await read(id);
      await sql`UPDATE patients SET sex = 'unknown' WHERE id = ${id}`.execute(t.platform.db);
      expect((await readUntil(id, (p) => p.sex === 'unknown')).sex).toBe('unknown');
    },
  );

  it('audits every read, cached or not', async () => {
    const id = await firstPatientId();
    const count = async () =>
      Number(
        (
          await t.platform.db
            .selectFrom('audit_events')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('action', '=', 'patient.read')
            .where('resource_id', '=', id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const before = await count();
    for (let i = 0; i < 5; i++) await read(id);
    expect(await count()).toBe(before + 5);
  });
});

describe('CoherentCache', () => {
  /** A feed over a fake database whose notifications and connection state the test drives. */
  async function fakeFeed() {
    let payload: (p: string) => void = () => {};
    let state: (live: boolean) => void = () => {};
    const database = {
      listen: async (_channel: string, onPayload: (p: string) => void, onState: (live: boolean) => void) => {
        payload = onPayload;
        state = onState;
        onState(true);
        return async () => {};
      },
    } as unknown as DatabaseHandle;
    const feed = await ChangeFeed.open(database);
    return { feed, notify: (p: string) => payload(p), setLive: (live: boolean) => state(live) };
  }

  it('serves hits, drops an entry named by a change, and ignores other kinds', async () => {
    const { feed, notify } = await fakeFeed();
    const cache = new CoherentCache<string>(feed, 'patient', { max: 10, ttlMs: 60_000 });
    let fetches = 0;
    const fetch = async (id: string) => `${id}:${++fetches}`;
    expect(await cache.load('a', fetch)).toBe('a:1');
    expect(await cache.load('a', fetch)).toBe('a:1');
    notify('appointment:a');
    expect(await cache.load('a', fetch)).toBe('a:1');
    notify('patient:a');
    expect(await cache.load('a', fetch)).toBe('a:2');
  });

  it('does not keep a value read while a change arrived (it may predate the change)', async () => {
    const { feed, notify } = await fakeFeed();
    const cache = new CoherentCache<string>(feed, 'patient', { max: 10, ttlMs: 60_000 });
    let release: () => void = () => {};
    const slow = cache.load('a', () => new Promise<string>((resolve) => (release = () => resolve('old'))));
    notify('patient:a');
    release();
    expect(await slow).toBe('old');
    expect(await cache.load('a', async () => 'new')).toBe('new');
  });

  it('empties and bypasses itself while the feed is down', async () => {
    const { feed, setLive } = await fakeFeed();
    const cache = new CoherentCache<string>(feed, 'patient', { max: 10, ttlMs: 60_000 });
    await cache.load('a', async () => 'one');
    expect(cache.size).toBe(1);
    setLive(false);
    expect(cache.size).toBe(0);
    expect(await cache.load('a', async () => 'two')).toBe('two');
    expect(await cache.load('a', async () => 'three')).toBe('three');
    setLive(true);
    expect(await cache.load('a', async () => 'four')).toBe('four');
    expect(await cache.load('a', async () => 'five')).toBe('four');
  });

  it('does not cache misses', async () => {
    const { feed } = await fakeFeed();
    const cache = new CoherentCache<string>(feed, 'patient', { max: 10, ttlMs: 60_000 });
    expect(await cache.load('a', async () => undefined)).toBeUndefined();
    expect(await cache.load('a', async () => 'found')).toBe('found');
  });
});
