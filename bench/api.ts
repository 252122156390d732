/**
 * `npm run bench:api`: requests/s and p99 of an authenticated, audited PHI read (GET /v1/patients/:id) against
 * a bare Fastify route on the same machine, in the same run. Runs on PostgreSQL + Redis (DATABASE_URL and
 * REDIS_URL, defaulting to the local services) in a fresh database, and checks afterwards that every 2xx read
 * has its audit event committed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

const baseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

const dbName = `ix_bench_${randomBytes(4).toString('hex')}`;
const admin = new pg.Client({ connectionString: baseUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${dbName}`);
const dbUrl = new URL(baseUrl);
dbUrl.pathname = `/${dbName}`;

const child = spawn(
  process.execPath,
  [...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []), 'bench/api-server.ts'],
  {
    env: {
      ...process.env,
      DATABASE_URL: dbUrl.toString(),
      REDIS_URL: redisUrl,
      INTELLUXE_MASTER_KEY: randomBytes(32).toString('base64'),
      DB_POOL_MAX: '20',
      JOBS_ENABLED: 'false',
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const ready = await new Promise<{ appPort: number; barePort: number; token: string; patientIds: string[] }>(
  (resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line)));
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  },
);

function run(name: string, opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ connections, duration: seconds, pipelining: 1, ...opts }, (error, result) =>
      error ? reject(error) : resolve(result),
    );
  }).then((result) => {
    const r = result as autocannon.Result;
    console.log(
      `${name.padEnd(8)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  2xx ${r['2xx']}  non2xx ${r.non2xx}  errors ${r.errors}`,
    );
    return r;
  });
}

let i = 0;
const nextId = () => ready.patientIds[i++ % ready.patientIds.length];
const audited = (duration: number) =>
  run('audited', {
    url: `http://127.0.0.1:${ready.appPort}`,
    duration,
    headers: { authorization: `Bearer ${ready.token}` },
    requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/patients/${nextId()}` }) }],
  });
const bare = (duration: number) =>
  run('bare', { url: `http://127.0.0.1:${ready.barePort}/bare/${ready.patientIds[0]}`, duration });

console.log(
  `bench:api — ${connections} connections, ${seconds} s each, PostgreSQL database ${dbName}, Redis ${redisUrl}`,
);
console.log('warm-up');
if (process.env.BENCH_ONLY !== 'audited') await bare(2);
await audited(2);
const db = new pg.Client({ connectionString: dbUrl.toString() });
await db.connect();
const before = Number(
  (await db.query(`SELECT count(*) FROM audit_events WHERE action = 'patient.read'`)).rows[0].count,
);
console.log('measured');
const bareResult = process.env.BENCH_ONLY === 'audited' ? await bare(1) : await bare(seconds);
const auditedResult = await audited(seconds);
const after = Number(
  (await db.query(`SELECT count(*) FROM audit_events WHERE action = 'patient.read'`)).rows[0].count,
);
const chain = (await db.query('SELECT last_seq FROM audit_chain_head')).rows[0].last_seq;
const committed = after - before;
console.log(
  `audit: ${committed} patient.read events committed for ${auditedResult['2xx']} successful reads (chain head at ${chain})`,
);
if (committed < auditedResult['2xx']) console.log('WARNING: fewer audit events than successful reads');

child.stdin!.end();
await new Promise((resolve) => child.once('exit', resolve));
await db.end();
await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
await admin.end();

const ratio = auditedResult.requests.average / bareResult.requests.average;
console.log(
  `RESULT audited_rps=${auditedResult.requests.average.toFixed(0)} bare_rps=${bareResult.requests.average.toFixed(0)} ratio=${ratio.toFixed(3)} audited_p99_ms=${auditedResult.latency.p99} audit_events_committed=${committed} audited_2xx=${auditedResult['2xx']}`,
);
