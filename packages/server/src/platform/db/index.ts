/**
 * The database: Kysely over node-postgres. Without DATABASE_URL it is PGlite (Postgres compiled to WASM) in
 * DATA_DIR, reached through PGlite's node-postgres shim, so the same dialect, SQL and migrations run in both
 * modes. Every other part of the server gets its connection from here.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { vector } from '@electric-sql/pglite-pgvector';
import { type CompiledQuery, Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { lockDataDirectory } from './owner-lock.ts';
import type { Database } from './schema.ts';

// int8 (counts, cents) as numbers: every value we store is far below 2^53. Dates stay 'YYYY-MM-DD' strings
// so a date of service never shifts with the server's time zone.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
export type DatabaseKind = 'pglite' | 'postgres';

export interface DatabaseHandle {
  db: Db;
  kind: DatabaseKind;
  pool: pg.Pool;
  /** Runs SQL for pg-boss over the same pool, so the single PGlite connection is never shared mid-transaction. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Runs a compiled Kysely query as a named prepared statement (parsed and planned once per connection):
   * for the few hot paths where that matters. An empty name runs it unnamed (parsed each time).
   */
  prepared<R>(name: string, query: CompiledQuery<R>): Promise<R[]>;
  /**
   * Subscribes to a NOTIFY channel. `onState(false)` says notifications may have been missed (the listening
   * connection dropped; it reconnects by itself) and `onState(true)` that they flow again.
   */
  listen(
    channel: string,
    onPayload: (payload: string) => void,
    onState: (live: boolean) => void,
  ): Promise<() => Promise<void>>;
  /** True when the pgvector extension is available. */
  hasVector: boolean;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** A PostgreSQL URL; undefined means PGlite. */
  databaseUrl: string | undefined;
  /** PGlite data directory, or 'memory://' for an in-memory database. */
  pgliteDataDir: string;
  poolMax: number;
}

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolMax);
  return openPglite(options.pgliteDataDir);
}

/** The embedded data directory of a DATA_DIR. */
export function pgliteDirectory(dataDir: string): string {
  const dir = join(dataDir, 'pgdata');
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function openPostgres(url: string, poolMax: number): Promise<DatabaseHandle> {
  const pool = new pg.Pool({ connectionString: url, max: poolMax, idleTimeoutMillis: 30_000 });
  pool.on('error', () => {
    // An idle client lost its connection; the pool replaces it. Queries in flight report their own errors.
  });
  const client = await pool.connect().catch(async (error: Error) => {
    await pool.end();
    throw new Error(`cannot connect to PostgreSQL (DATABASE_URL): ${error.message}`);
  });
  let hasVector = false;
  try {
    const found = await client.query(`SELECT 1 FROM pg_available_extensions WHERE name = 'vector'`);
    hasVector = (found.rowCount ?? 0) > 0;
  } finally {
    client.release();
  }
  return wrap(
    pool,
    'postgres',
    hasVector,
    async () => {},
    (channel, onPayload, onState) => listenPostgres(url, channel, onPayload, onState),
  );
}

/**
 * LISTEN on a dedicated connection (a pooled one would be handed to others). A lost connection is reported and
 * re-opened with backoff until `stop`.
 */
async function listenPostgres(
  url: string,
  channel: string,
  onPayload: (payload: string) => void,
  onState: (live: boolean) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url });
    next.on('notification', (message) => {
      if (message.channel === channel) onPayload(message.payload ?? '');
    });
    next.on('error', () => lost(next));
    next.on('end', () => lost(next));
    await next.connect();
    await next.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    if (stopped) {
      await next.end().catch(() => {});
      return;
    }
    client = next;
    onState(true);
  };
  const reconnect = (delayMs: number) => {
    retry = setTimeout(() => {
      connect().catch(() => {
        if (!stopped) reconnect(Math.min(delayMs * 2, 30_000));
      });
    }, delayMs);
    retry.unref();
  };
  const lost = (which: pg.Client) => {
    if (client !== which || stopped) return;
    client = null;
    onState(false);
    which.end().catch(() => {});
    reconnect(500);
  };
  await connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    const current = client;
    client = null;
    await current?.end().catch(() => {});
  };
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const release = lockDataDirectory(dataDir);
  let pglite: PGlite;
  try {
    pglite = await PGlite.create(dataDir, { extensions: { vector } });
  } catch (error) {
    release();
    throw error;
  }
  const pool = new pg.Pool(createPgConfig(pglite) as unknown as pg.PoolConfig);
  return wrap(
    pool,
    'pglite',
    true,
    () => pglite.close().finally(release),
    async (channel, onPayload, onState) => {
      // In-process: notifications cannot be lost while the engine is open.
      const unlisten = await pglite.listen(channel, onPayload);
      onState(true);
      return async () => {
        if (!pglite.closed) await unlisten();
      };
    },
  );
}

function wrap(
  pool: pg.Pool,
  kind: DatabaseKind,
  hasVector: boolean,
  closeEngine: () => Promise<void>,
  listen: DatabaseHandle['listen'],
): DatabaseHandle {
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  // One query on a pooled client, handed back as Kysely does. Not pool.query(): after a failed query it closes
  // the client, and PGlite's node-postgres shim shares one connection between all the clients of its pool, so the
  // closing connection also failed the next query ("Connection terminated unexpectedly"). A client whose
  // connection really broke is dropped by the pool on release either way.
  const runQuery = async (config: pg.QueryConfig | string, values?: unknown[]) => {
    const client = await pool.connect();
    try {
      return await client.query(config, values);
    } finally {
      client.release();
    }
  };
  return {
    db,
    kind,
    pool,
    hasVector,
    listen,
    async prepared<R>(name: string, query: CompiledQuery<R>) {
      const result = await runQuery({ name, text: query.sql, values: query.parameters as unknown[] });
      return result.rows as R[];
    },
    async executeSql(text, values) {
      // A parameterless call may carry several statements (pg-boss migrations): the simple query protocol runs
      // them all and node-postgres returns one result per statement; pg-boss wants the last one's rows.
      const result = values && values.length > 0 ? await runQuery(text, values) : await runQuery(text);
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: (last as pg.QueryResult | undefined)?.rows ?? [] };
    },
    async close() {
      if (closed) return;
      closed = true;
      await db.destroy();
      await closeEngine();
    },
  };
}
