import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../src/platform/audit/log.ts';
import { verifyAuditChain } from '../src/platform/audit/verify.ts';
import { openDatabase } from '../src/platform/db/index.ts';
import { createTestDatabase, startTestContext, type TestContext, usingPostgres } from './harness.ts';

const event = (n: number) => ({
  action: 'patient.read',
  outcome: 'success' as const,
  actorType: 'user' as const,
  actorId: `user-${n % 3}`,
  actorRole: 'physician',
  resourceType: 'patient',
  resourceId: `p-${n}`,
  purpose: 'treatment',
  details: { n, nested: { b: 2, a: 1 } },
});

describe('audit trail', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestContext({ seedPatients: 2 });
  });
  afterAll(() => t.close());

  it('chains concurrent events through group commit', async () => {
    const before = (await verifyAuditChain(t.platform.db)).events;
    const receipts = await Promise.all(
      Array.from({ length: 500 }, (_, i) => t.platform.audit.record(event(i))),
    );
    const seqs = receipts.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(500);
    expect(seqs[499]! - seqs[0]!).toBe(499);
    const result = await verifyAuditChain(t.platform.db);
    expect(result).toMatchObject({ valid: true, events: before + 500, firstBrokenEventId: null });
    const batches = await t.platform.metrics.auditBatchSize.get();
    const count = batches.values.find((v) => v.metricName === 'intelluxe_audit_batch_size_count')!.value;
    expect(count).toBeLessThan(before + 500);
  });

  it('batches back to back: a bad event fails alone, its batch-mates commit, the chain stays whole', async () => {
    const tick = () => new Promise((resolve) => setImmediate(resolve));
    const waves: Array<Promise<unknown>> = [];
    let bad: Promise<unknown> | null = null;
    for (let wave = 0; wave < 30; wave++) {
      if (wave === 12) {
        // Not a uuid: the database refuses this batch while the ones around it are in flight.
        bad = t.platform.audit.record({ ...event(9000), practiceId: 'not-a-uuid' });
        bad.catch(() => {});
      } else {
        for (let i = 0; i < 5; i++) waves.push(t.platform.audit.record(event(7000 + wave * 10 + i)));
      }
      await tick();
    }
    await expect(bad).rejects.toThrow();
    const receipts = (await Promise.all(waves)) as Array<{ seq: number }>;
    const seqs = receipts.map((r) => r.seq).sort((a, b) => a - b);
    expect(new Set(seqs).size).toBe(145);
    expect(seqs[144]! - seqs[0]!).toBe(144);
    expect(await verifyAuditChain(t.platform.db)).toMatchObject({ valid: true, firstBrokenEventId: null });
  });

  it('keeps one valid chain when several processes append at once, under sustained load, with no failures', async () => {
    // On PostgreSQL each writer has its own connection pool, as separate processes would; PGlite has one owner.
    const url = t.platform.config.databaseUrl;
    const handles = url
      ? await Promise.all([1, 2].map(() => openDatabase({ databaseUrl: url, pgliteDataDir: '', poolMax: 4 })))
      : [];
    const writers = [
      t.platform.audit,
      ...(url ? handles : [t.platform.database, t.platform.database]).map((d) => new AuditLog(d)),
    ];
    await sql`CREATE TABLE IF NOT EXISTS audited_marks (n integer PRIMARY KEY)`.execute(t.platform.db);
    const head = async () =>
      Number(
        (await sql<{ s: string }>`SELECT last_seq AS s FROM audit_chain_head`.execute(t.platform.db)).rows[0]!
          .s,
      );
    const before = await head();
    try {
      // Each writer: 12 callers, each recording 25 events one after another (every other one with an audited row
      // that must be written exactly once), so the writers' batches keep meeting at the chain head.
      const outcomes = await Promise.allSettled(
        writers.flatMap((writer, w) =>
          Array.from({ length: 12 }, async (_, c) => {
            for (let k = 0; k < 25; k++) {
              const i = (w * 12 + c) * 25 + k;
              await writer.record(
                event(5000 + i),
                i % 2 ? [{ table: 'audited_marks', values: { n: i } }] : undefined,
              );
            }
          }),
        ),
      );
      expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
    } finally {
      await Promise.all(handles.map((h) => h.close()));
    }
    expect((await head()) - before).toBe(900);
    const result = await verifyAuditChain(t.platform.db);
    expect(result).toMatchObject({ valid: true, firstBrokenEventId: null });
    const marks = await sql<{
      count: string;
      sum: string;
    }>`SELECT count(*), sum(n) FROM audited_marks`.execute(t.platform.db);
    // The odd i of 0..899: 450 rows summing to 450².
    expect([Number(marks.rows[0]!.count), Number(marks.rows[0]!.sum)]).toEqual([450, 450 * 450]);
  });

  it('hashes text that is not ASCII exactly as the verifier does, in the database and here', async () => {
    const unusual = (n: number) => ({
      ...event(9000 + n),
      userAgent: 'Mozilla/5.0 (Ünïcödé; 日本語) 🩺',
      details: { note: 'naïve café — “quoted” \\ back\\slash \u0001', emoji: '🦷', n: 1.5 },
    });
    // A new writer does not know the head: its first batch is chained in the database, the next one here.
    const writer = new AuditLog(t.platform.database);
    await writer.record(unusual(1));
    await writer.record(unusual(2));
    expect(await verifyAuditChain(t.platform.db)).toMatchObject({ valid: true, firstBrokenEventId: null });
  });

  it('writes a batch that lost the race to another writer by locking the head, instead of failing it', async () => {
    const a = new AuditLog(t.platform.database);
    const b = new AuditLog(t.platform.database);
    const first = await a.record(event(9100)); // a now knows the head
    const second = await b.record(event(9101)); // b moves it behind a's back
    const third = await a.record(event(9102)); // a's optimistic append finds the head moved, and goes locked
    expect([second.seq - first.seq, third.seq - second.seq]).toEqual([1, 1]);
    const again = await a.record(event(9103));
    expect(again.seq).toBe(third.seq + 1);
    expect(await verifyAuditChain(t.platform.db)).toMatchObject({ valid: true, firstBrokenEventId: null });
  });

  it('commits audited rows with their event, and neither when one of them is refused', async () => {
    await sql`CREATE TABLE IF NOT EXISTS audited_things (
      id uuid PRIMARY KEY, n integer NOT NULL CHECK (n >= 0), tags jsonb, seen_at timestamptz,
      note text DEFAULT 'unset')`.execute(t.platform.db);
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    const row = (n: number, extra: Record<string, unknown> = {}) => ({
      table: 'audited_things',
      values: { id: id(n), n, tags: ['a', n], seen_at: new Date('2026-11-21T10:00:00Z'), ...extra },
    });
    const results = await Promise.allSettled([
      t.platform.audit.record(event(8001), [row(1)]),
      t.platform.audit.record(event(8002), [row(2), row(3, { note: 'two rows, one event' })]),
      t.platform.audit.record(event(8003), [row(-4)]), // refused by the CHECK constraint
      t.platform.audit.record(event(8004)),
      t.platform.audit.record(event(8005), [
        { table: 'audited_things; DROP TABLE x', values: { id: id(5) } },
      ]),
    ]);
    expect(results.map((r) => r.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'rejected',
    ]);
    const { rows } = await sql<{ id: string; n: number; tags: unknown; seen_at: Date; note: string | null }>`
      SELECT id, n, tags, seen_at, note FROM audited_things ORDER BY n`.execute(t.platform.db);
    expect(rows).toEqual([
      { id: id(1), n: 1, tags: ['a', 1], seen_at: new Date('2026-11-21T10:00:00Z'), note: 'unset' },
      { id: id(2), n: 2, tags: ['a', 2], seen_at: new Date('2026-11-21T10:00:00Z'), note: 'unset' },
      {
        id: id(3),
        n: 3,
        tags: ['a', 3],
        seen_at: new Date('2026-11-21T10:00:00Z'),
        note: 'two rows, one event',
      },
    ]);
    const events = await sql<{ resource_id: string }>`
      SELECT resource_id FROM audit_events WHERE resource_id IN ('p-8001', 'p-8002', 'p-8003', 'p-8004', 'p-8005')
      ORDER BY resource_id`.execute(t.platform.db);
    expect(events.rows.map((e) => e.resource_id)).toEqual(['p-8001', 'p-8002', 'p-8004']);
    expect(await verifyAuditChain(t.platform.db)).toMatchObject({ valid: true });
  });

  it('names an edited event', async () => {
    const receipts = await Promise.all([1, 2, 3].map((n) => t.platform.audit.record(event(1000 + n))));
    const target = receipts[1]!.seq;
    await sql`UPDATE audit_events SET resource_id = 'someone-else' WHERE seq = ${target}`.execute(
      t.platform.db,
    );
    const result = await verifyAuditChain(t.platform.db);
    expect(result.valid).toBe(false);
    expect(result.firstBrokenEventId).toBe(String(target));
    expect(result.reason).toContain('modified');
    await sql`UPDATE audit_events SET resource_id = ${`p-1002`} WHERE seq = ${target}`.execute(t.platform.db);
    expect((await verifyAuditChain(t.platform.db)).valid).toBe(true);
  });

  it('names an event whose details were edited, and one that was deleted', async () => {
    const receipts = await Promise.all([1, 2, 3, 4].map((n) => t.platform.audit.record(event(2000 + n))));
    const edited = receipts[0]!.seq;
    await sql`UPDATE audit_events SET details = jsonb_set(details, '{n}', '7') WHERE seq = ${edited}`.execute(
      t.platform.db,
    );
    expect((await verifyAuditChain(t.platform.db)).firstBrokenEventId).toBe(String(edited));
    await sql`UPDATE audit_events SET details = jsonb_set(details, '{n}', '2001') WHERE seq = ${edited}`.execute(
      t.platform.db,
    );
    expect((await verifyAuditChain(t.platform.db)).valid).toBe(true);

    const deleted = receipts[2]!.seq;
    await sql`DELETE FROM audit_events WHERE seq = ${deleted}`.execute(t.platform.db);
    const result = await verifyAuditChain(t.platform.db);
    expect(result).toMatchObject({ valid: false, firstBrokenEventId: String(deleted) });
    expect(result.reason).toContain('missing');
  });

  it('notices the newest events being deleted', async () => {
    const ctx = await startTestContext();
    try {
      const receipts = await Promise.all([1, 2, 3].map((n) => ctx.platform.audit.record(event(n))));
      const last = receipts[2]!.seq;
      await sql`DELETE FROM audit_events WHERE seq = ${last}`.execute(ctx.platform.db);
      const result = await verifyAuditChain(ctx.platform.db);
      expect(result).toMatchObject({ valid: false, firstBrokenEventId: String(last) });
    } finally {
      await ctx.close();
    }
  });

  it('serves verify and filtered event queries to compliance, audited', async () => {
    const fresh = await startTestContext({ seedPatients: 1 });
    try {
      const auth = { authorization: await fresh.bearer('compliance_officer') };
      const verify = await fresh.app.inject({ method: 'GET', url: '/v1/audit/verify', headers: auth });
      expect(verify.statusCode).toBe(200);
      expect(verify.json()).toMatchObject({ valid: true, firstBrokenEventId: null });
      const logins = await fresh.app.inject({
        method: 'GET',
        url: '/v1/audit/events?action=auth.login&limit=5',
        headers: auth,
      });
      const body = logins.json();
      expect(body.items.length).toBeGreaterThan(0);
      expect(body.items[0]).toMatchObject({
        action: 'auth.login',
        outcome: 'success',
        actor: { role: 'compliance_officer' },
      });
      const reads = await fresh.app.inject({
        method: 'GET',
        url: '/v1/audit/events?action=audit.*',
        headers: auth,
      });
      expect(reads.json().items.map((e: { action: string }) => e.action)).toContain('audit.verify');
      const bad = await fresh.app.inject({
        method: 'GET',
        url: '/v1/audit/events?outcome=maybe',
        headers: auth,
      });
      expect(bad.statusCode).toBe(400);
      expect(bad.json().errors[0].path).toBe('/query/outcome');
    } finally {
      await fresh.close();
    }
  });
});

describe('audit across restarts', () => {
  it('keeps the data and the chain valid after the server restarts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ix-restart-'));
    const database = await createTestDatabase();
    try {
      const first = await startTestContext({ dataDir, database, seedPatients: 2 });
      const auth = { authorization: await first.bearer('front_desk') };
      const list = (await first.app.inject({ method: 'GET', url: '/v1/patients', headers: auth })).json();
      const id = list.items[0].id;
      await first.close();

      const second = await startTestContext({ dataDir, database });
      const read = await second.app.inject({ method: 'GET', url: `/v1/patients/${id}`, headers: auth });
      expect(read.statusCode).toBe(200);
      expect(read.json().firstName).toBe(list.items[0].firstName);
      const result = await verifyAuditChain(second.platform.db);
      expect(result.valid).toBe(true);
      expect(result.events).toBeGreaterThan(3);
      await second.close();
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it.runIf(usingPostgres)('stores audit events in monthly partitions', async () => {
    const t = await startTestContext();
    try {
      await t.platform.audit.record(event(1));
      const { rows } = await sql<{
        part: string;
      }>`SELECT tableoid::regclass::text AS part FROM audit_events LIMIT 1`.execute(t.platform.db);
      expect(rows[0]!.part).toMatch(/^audit_events_\d{4}_\d{2}$/);
    } finally {
      await t.close();
    }
  });
});
