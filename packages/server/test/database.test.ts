import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/index.ts';
import { DatabaseInUseError } from '../src/platform/db/owner-lock.ts';
import { createTestDatabase, type TestDatabase } from './harness.ts';

describe('database handle', () => {
  let target: TestDatabase;
  let database: DatabaseHandle;
  beforeAll(async () => {
    target = await createTestDatabase();
    database = await openDatabase({ databaseUrl: target.url, pgliteDataDir: 'memory://', poolMax: 4 });
  });
  afterAll(async () => {
    await database.close();
    await target.drop();
  });

  // On PGlite every client of the pool shares one connection: a failed query used to close it, and the next query,
  // whatever it was, failed with "Connection terminated unexpectedly".
  it('answers the next query after a prepared statement or raw SQL fails', async () => {
    const divide = (by: number) => CompiledQuery.raw('SELECT 10 / $1::int AS q', [by]);
    await expect(database.prepared('test_divide', divide(0))).rejects.toMatchObject({ code: '22012' });
    expect(await database.prepared('test_divide', divide(5))).toEqual([{ q: 2 }]);
    await expect(
      database.executeSql('SELECT no_such_column FROM (VALUES (1)) AS v (a)'),
    ).rejects.toMatchObject({
      code: '42703',
    });
    expect((await database.executeSql('SELECT $1::int + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
    const { rows } = await sql<{ n: number }>`SELECT 7 AS n`.execute(database.db);
    expect(rows).toEqual([{ n: 7 }]);
  });

  it('keeps an error raised inside a function to its own query', async () => {
    await sql`CREATE OR REPLACE FUNCTION test_refuse(x int) RETURNS int LANGUAGE plpgsql AS $$
      BEGIN IF x < 0 THEN RAISE EXCEPTION 'negative' USING ERRCODE = '40001'; END IF; RETURN x; END $$`.execute(
      database.db,
    );
    const call = (x: number) => CompiledQuery.raw('SELECT test_refuse($1) AS x', [x]);
    const results = await Promise.allSettled(
      [-1, 1, -2, 2].map((x) => database.prepared('test_refuse', call(x))),
    );
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled']);
    expect(
      results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as { code: string }).code)),
    ).toEqual(['40001', [{ x: 1 }], '40001', [{ x: 2 }]]);
  });
});

describe('embedded database owner', () => {
  it('refuses a second opener of a data directory, names the owner, and takes over a lock left by a dead process', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'ix-owner-')), 'pgdata');
    const open = () => openDatabase({ databaseUrl: undefined, pgliteDataDir: dir, poolMax: 4 });
    try {
      const first = await open();
      expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
      await expect(open()).rejects.toThrow(/already open in this process/);
      await first.close();
      expect(existsSync(`${dir}.lock`)).toBe(false);

      // Another live process holds it (a child that sleeps).
      const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
      try {
        writeFileSync(`${dir}.lock`, `${owner.pid}\n`);
        const refused = await open().catch((error: unknown) => error);
        expect(refused).toBeInstanceOf(DatabaseInUseError);
        expect((refused as Error).message).toContain(`in use by process ${owner.pid}`);
        expect((refused as Error).message).toContain('DATABASE_URL');
      } finally {
        owner.kill();
        await once(owner, 'exit');
      }

      // That process is gone: its lock is stale and the next opener takes it, with the data intact.
      const second = await open();
      expect(readFileSync(`${dir}.lock`, 'utf8').trim()).toBe(String(process.pid));
      const { rows } = await sql<{ n: number }>`SELECT 1 AS n`.execute(second.db);
      expect(rows).toEqual([{ n: 1 }]);
      await second.close();
    } finally {
      rmSync(dirname(dir), { recursive: true, force: true });
    }
  });
});
