/**
 * Shared pieces of the benchmarks: a fresh PostgreSQL database per run, a server in a child process (so the load
 * generator never shares its event loop), and an autocannon run that prints one line of figures.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import pg from 'pg';

export const BASE_DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

export async function freshDatabase(prefix: string): Promise<BenchDatabase> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: BASE_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(BASE_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Starts `script` with Node and waits for the one JSON line it prints when ready; closing stdin stops it. */
export async function startServer<T>(
  script: string,
  env: Record<string, string>,
): Promise<{ ready: T; stop(): Promise<void> }> {
  const profile = process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, script], {
    env: {
      ...process.env,
      INTELLUXE_MASTER_KEY: randomBytes(32).toString('base64'),
      DB_POOL_MAX: '20',
      JOBS_ENABLED: 'false',
      ...env,
    },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const ready = await new Promise<T>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve(JSON.parse(line) as T));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return {
    ready,
    async stop() {
      child.stdin!.end();
      await new Promise((resolve) => child.once('exit', resolve));
    },
  };
}

/** One autocannon run; prints requests/s, p50, p99 and the status counts. */
export function load(name: string, options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon({ pipelining: 1, ...options }, (error, result) => (error ? reject(error) : resolve(result)));
  }).then((r) => {
    console.log(
      `${name.padEnd(9)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  2xx ${r['2xx']}  non2xx ${r.non2xx}  errors ${r.errors}`,
    );
    return r;
  });
}

/** Measurements of a contender over alternating rounds, and the summary the RESULT lines print. */
export interface Rounds {
  results: autocannon.Result[];
  /** Median requests/s over the rounds. */
  rps: number;
  /** Worst p99 (ms) over the rounds. */
  p99: number;
  /** Sum of 2xx over the rounds. */
  ok: number;
}

/**
 * Runs the baseline and the measured contender in alternating rounds (baseline, measured, baseline, measured…),
 * `seconds` split evenly, so a machine whose speed drifts during the run (shared or throttled cores) moves both
 * alike. Returns each one's rounds and the median of the per-round ratios measured/baseline.
 */
export async function alternate(
  rounds: number,
  seconds: number,
  baseline: (duration: number) => Promise<autocannon.Result>,
  measured: (duration: number) => Promise<autocannon.Result>,
): Promise<{ baseline: Rounds; measured: Rounds; ratio: number; ratios: number[] }> {
  const each = Math.max(1, Math.round(seconds / rounds));
  const base: autocannon.Result[] = [];
  const meas: autocannon.Result[] = [];
  for (let r = 0; r < rounds; r++) {
    base.push(await baseline(each));
    meas.push(await measured(each));
  }
  const ratios = meas.map((m, i) => m.requests.average / base[i]!.requests.average);
  const summary = (results: autocannon.Result[]): Rounds => ({
    results,
    rps: median(results.map((x) => x.requests.average)),
    p99: Math.max(...results.map((x) => x.latency.p99)),
    ok: results.reduce((n, x) => n + x['2xx'], 0),
  });
  return { baseline: summary(base), measured: summary(meas), ratio: median(ratios), ratios };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
