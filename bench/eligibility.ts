/**
 * `npm run bench:eligibility`: in one run on PostgreSQL + Redis (DATABASE_URL and REDIS_URL, defaulting to the
 * local services) in a fresh database, requests/s and latency of
 *   - cached eligibility checks (POST /v1/eligibility/checks, authenticated, audited, history row written),
 *   - a bare Fastify route answering the same JSON (the baseline),
 *   - uncached checks that go through the sandbox clearinghouse (270 built, parsed, 271 built, parsed, stored),
 * and the cached/bare ratio. Afterwards it checks that every successful check has its audit event committed.
 * Bare and cached run in alternating rounds (BENCH_ROUNDS, default 3, splitting BENCH_SECONDS, default 12, each)
 * and the ratio is the median of the rounds' ratios, so drift in the machine's speed moves both alike; p99 is the
 * worst round's. BENCH_ONLY=cached runs one round with one second of bare and of uncached (profiling, A/B runs).
 */
import pg from 'pg';
import { alternate, freshDatabase, load, REDIS_URL, startServer } from './lib/harness.ts';

const seconds = Number(process.env.BENCH_SECONDS ?? 12);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const only = process.env.BENCH_ONLY === 'cached';
const connections = Number(process.env.BENCH_CONNECTIONS ?? 32);

const database = await freshDatabase('ix_bench');
const server = await startServer<{ appPort: number; barePort: number; token: string; patientIds: string[] }>(
  'bench/eligibility-server.ts',
  {
    DATABASE_URL: database.url,
    REDIS_URL,
  },
);
const ready = server.ready;
const run = (name: string, options: Parameters<typeof load>[1]) => load(name, { connections, ...options });

const headers = { authorization: `Bearer ${ready.token}`, 'content-type': 'application/json' };
let i = 0;
const nextPatient = () => ready.patientIds[i++ % ready.patientIds.length];
const cached = (duration: number) =>
  run('cached', {
    url: `http://127.0.0.1:${ready.appPort}`,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/v1/eligibility/checks',
          headers,
          body: JSON.stringify({ patientId: nextPatient() }),
        }),
      },
    ],
  });
const bare = (duration: number) =>
  run('bare', {
    url: `http://127.0.0.1:${ready.barePort}`,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => ({
          ...req,
          path: '/bare',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ patientId: nextPatient() }),
        }),
      },
    ],
  });
// Each uncached request asks about a (patient, date of service) pair no request has asked about: a cache miss.
let miss = 0;
const uncached = (duration: number) =>
  run('uncached', {
    url: `http://127.0.0.1:${ready.appPort}`,
    duration,
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
          const n = miss++;
          const patientId = ready.patientIds[n % ready.patientIds.length];
          const back = 1 + Math.floor(n / ready.patientIds.length);
          const date = new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
          return {
            ...req,
            path: '/v1/eligibility/checks',
            headers,
            body: JSON.stringify({ patientId, dateOfService: date }),
          };
        },
      },
    ],
  });

console.log(
  `bench:eligibility — ${connections} connections, ${seconds} s each (bare and cached in ${only ? 1 : rounds} alternating round(s)), PostgreSQL database ${database.name}, Redis ${REDIS_URL}, ${ready.patientIds.length} patients`,
);
console.log('warm-up');
await bare(2);
await cached(2);
const db = new pg.Client({ connectionString: database.url });
await db.connect();
const count = async () =>
  Number(
    (await db.query(`SELECT count(*) FROM audit_events WHERE action = 'eligibility.check'`)).rows[0].count,
  );
const before = await count();
console.log('measured');
const measured = only
  ? await alternate(1, seconds, () => bare(1), cached)
  : await alternate(rounds, seconds, bare, cached);
const uncachedResult = await uncached(only ? 1 : Math.round(seconds / rounds));
const committed = (await count()) - before;
const checks = measured.measured.ok + uncachedResult['2xx'];
console.log(`audit: ${committed} eligibility.check events committed for ${checks} successful checks`);
if (committed < checks) console.log('WARNING: fewer audit events than successful checks');
const hits = Number(
  (await db.query(`SELECT count(*) FILTER (WHERE cached) AS hits, count(*) AS total FROM eligibility_checks`))
    .rows[0].hits,
);
console.log(`history: ${hits} cached checks recorded`);

await server.stop();
await db.end();
await database.drop();

const { ratio } = measured;
const p99 = measured.measured.p99;
console.log(
  `rounds: ratios ${measured.ratios.map((r) => r.toFixed(3)).join(' ')} (median ${ratio.toFixed(3)})`,
);
console.log(
  `target: cached ≥ 25% of bare (${ratio >= 0.25 ? 'met' : 'NOT met'}), cached p99 < 50 ms (${p99 < 50 ? 'met' : 'NOT met'})`,
);
console.log(
  `RESULT cached_rps=${measured.measured.rps.toFixed(0)} bare_rps=${measured.baseline.rps.toFixed(0)} ratio=${ratio.toFixed(3)} cached_p99_ms=${p99} uncached_rps=${uncachedResult.requests.average.toFixed(0)}`,
);
