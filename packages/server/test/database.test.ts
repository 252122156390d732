import { CompiledQuery, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openDatabase } from '../src/platform/db/index.ts';
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
