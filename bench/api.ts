/**
 * `npm run bench:api`: requests/s and p99 of an authenticated, audited PHI read (GET /v1/patients/:id) against
 * a bare Fastify route on the same machine, in the same run. Runs on PostgreSQL + Redis (DATABASE_URL and
 * REDIS_URL, defaulting to the local services) in a fresh database, and checks afterwards that every 2xx read
 * has its audit event committed. BENCH_ONLY=audited skips the bare measurement (profiling).
 */
import pg from 'pg';
import { freshDatabase, load, REDIS_URL, startServer } from './lib/harness.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

const database = await freshDatabase('ix_bench');
const server = await startServer<{ appPort: number; barePort: number; token: string; patientIds: string[] }>(
  'bench/api-server.ts',
  {
    DATABASE_URL: database.url,
    REDIS_URL,
  },
);
const ready = server.ready;

// Every connection cycles through reads of all the demo patients. The requests are built once, as the bare
// route's is: a request rebuilt per call (autocannon's setupRequest) costs the load generator, which shares this
// machine's cores with the server, about twice as much CPU per request and would be charged to the audited side.
const reads = ready.patientIds.map((id) => ({ method: 'GET' as const, path: `/v1/patients/${id}` }));
const audited = (duration: number) =>
  load('audited', {
    url: `http://127.0.0.1:${ready.appPort}`,
    connections,
    duration,
    headers: { authorization: `Bearer ${ready.token}` },
    requests: reads,
  });
const bare = (duration: number) =>
  load('bare', {
    url: `http://127.0.0.1:${ready.barePort}/bare/${ready.patientIds[0]}`,
    connections,
    duration,
  });

console.log(
  `bench:api — ${connections} connections, ${seconds} s each, PostgreSQL database ${database.name}, Redis ${REDIS_URL}`,
);
console.log('warm-up');
if (process.env.BENCH_ONLY !== 'audited') await bare(2);
await audited(2);
const db = new pg.Client({ connectionString: database.url });
await db.connect();
const countReads = async () =>
  Number((await db.query(`SELECT count(*) FROM audit_events WHERE action = 'patient.read'`)).rows[0].count);
const before = await countReads();
console.log('measured');
const bareResult = process.env.BENCH_ONLY === 'audited' ? await bare(1) : await bare(seconds);
const auditedResult = await audited(seconds);
const committed = (await countReads()) - before;
const chain = (await db.query('SELECT last_seq FROM audit_chain_head')).rows[0].last_seq;
// Rows inserted by one statement share their transaction id: distinct xmin values count the group commits.
const commits = Number(
  (
    await db.query(
      `SELECT count(DISTINCT xmin::text) AS n FROM audit_events WHERE action = 'patient.read' AND seq > $1`,
      [Number(chain) - committed],
    )
  ).rows[0].n,
);
console.log(
  `audit: ${commits} group commits, ${(committed / Math.max(commits, 1)).toFixed(1)} events each on average`,
);
console.log(
  `audit: ${committed} patient.read events committed for ${auditedResult['2xx']} successful reads (chain head at ${chain})`,
);
if (committed < auditedResult['2xx']) console.log('WARNING: fewer audit events than successful reads');

await server.stop();
await db.end();
await database.drop();

const ratio = auditedResult.requests.average / bareResult.requests.average;
console.log(
  `RESULT audited_rps=${auditedResult.requests.average.toFixed(0)} bare_rps=${bareResult.requests.average.toFixed(0)} ratio=${ratio.toFixed(3)} audited_p99_ms=${auditedResult.latency.p99} audit_events_committed=${committed} audited_2xx=${auditedResult['2xx']}`,
);
