/** Liveness of each dependency with its latency; the overall status is the worst that matters. */
import type { Platform } from '../../platform/platform.ts';

export interface CheckResult {
  status: 'ok' | 'down' | 'not configured';
  latencyMs: number;
  detail?: string;
}

export interface HealthReport {
  status: 'ok' | 'degraded' | 'down';
  version: string;
  uptimeSeconds: number;
  mode: { database: string; cache: string };
  checks: Record<string, CheckResult>;
}

async function timed(fn: () => Promise<void>, timeoutMs = 2000): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { status: 'ok', latencyMs: Math.round((performance.now() - started) * 100) / 100 };
  } catch (error) {
    return {
      status: 'down',
      latencyMs: Math.round(performance.now() - started),
      detail: (error as Error).message,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Extra checks contributed by modules (llm, payer gateway…). */
export type HealthCheck = () => Promise<CheckResult>;

export async function checkHealth(
  platform: Platform,
  extra: Record<string, HealthCheck> = {},
): Promise<HealthReport> {
  const [database, cache, jobs] = await Promise.all([
    timed(async () => {
      await platform.database.pool.query('SELECT 1');
    }),
    timed(() => platform.cache.ping()),
    timed(() => platform.jobs.ping()),
  ]);
  const checks: Record<string, CheckResult> = { database, cache, jobs };
  const llm = platform.config.llm;
  checks.llm = llm.baseUrl
    ? await timed(async () => {
        const response = await fetch(
          new URL('models', llm.baseUrl!.endsWith('/') ? llm.baseUrl : `${llm.baseUrl}/`),
          {
            headers: llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {},
          },
        );
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
      })
    : {
        status: 'not configured',
        latencyMs: 0,
        detail: 'no LLM_BASE_URL: AI features use deterministic fallbacks',
      };
  for (const [name, check] of Object.entries(extra)) checks[name] = await check();
  const status =
    database.status === 'down'
      ? 'down'
      : Object.values(checks).some((c) => c.status === 'down')
        ? 'degraded'
        : 'ok';
  return {
    status,
    version: '0.1.0',
    uptimeSeconds: Math.round((Date.now() - platform.startedAt.getTime()) / 1000),
    mode: { database: platform.database.kind, cache: platform.cache.kind },
    checks,
  };
}
