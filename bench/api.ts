/**
 * `npm run bench:api`: requests/s and p99 of an authenticated, audited PHI read (GET /v1/patients/:id) against
 * a bare Fastify route on the same machine, in the same run. Runs on PostgreSQL + Redis (DATABASE_URL and
 * REDIS_URL, defaulting to the local services) in a fresh database, and checks afterwards that every 2xx read
 * has its audit event committed. The two run in alternating rounds (BENCH_ROUNDS, default 3, splitting
 * BENCH_SECONDS, default 12, each) and the ratio is the median of the rounds' ratios, so drift in the machine's
 * speed during the run moves both alike. BENCH_ONLY=audited runs one round with one second of bare (profiling).
 */
import pg from 'pg';
import { alternate, freshDatabase, load, REDIS_URL, startServer } from './lib/harness.ts';

const only = process.env.BENCH_ONLY === 'audited';
const seconds = Number(process.env.BENCH_SECONDS ?? 12);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
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
  `bench:api — ${connections} connections, ${seconds} s each in ${only ? 1 : rounds} alternating round(s), PostgreSQL database ${database.name}, Redis ${REDIS_URL}`,
);
console.log('warm-up');
if (!only) await bare(2);
await audited(2);
const db = new pg.Client({ connectionString: database.url });
await db.connect();
const countReads = async () =>
  Number((await db.query(`SELECT count(*) FROM audit_events WHERE action = 'patient.read'`)).rows[0].count);
const before = await countReads();
console.log('measured');
const measured = only
  ? await alternate(1, seconds, () => bare(1), audited)
  : await alternate(rounds, seconds, bare, audited);
const auditedOk = measured.measured.ok;
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
  `audit: ${committed} patient.read events committed for ${auditedOk} successful reads (chain head at ${chain})`,
);
if (committed < auditedOk) console.log('WARNING: fewer audit events than successful reads');

await server.stop();
await db.end();
await database.drop();

const { ratio } = measured;
console.log(
  `rounds: ratios ${measured.ratios.map((r) => r.toFixed(3)).join(' ')} (median ${ratio.toFixed(3)})`,
);
console.log(
  `RESULT audited_rps=${measured.measured.rps.toFixed(0)} bare_rps=${measured.baseline.rps.toFixed(0)} ratio=${ratio.toFixed(3)} audited_p99_ms=${measured.measured.p99} audit_events_committed=${committed} audited_2xx=${auditedOk}`,
);
