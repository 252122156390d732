/** /health, /ready and /metrics: public, unauthenticated, no PHI. */
import { Type } from 'typebox';
import type { App } from '../../platform/http/types.ts';
import type { Platform } from '../../platform/platform.ts';
import { checkHealth, type HealthCheck } from './health.ts';

const Check = Type.Object({
  status: Type.String(),
  latencyMs: Type.Number(),
  detail: Type.Optional(Type.String()),
});

export function systemRoutes(
  app: App,
  platform: Platform,
  extraChecks: Record<string, HealthCheck> = {},
): void {
  app.get(
    '/health',
    {
      config: { auth: 'public' },
      schema: {
        tags: ['system'],
        summary: 'Liveness and the state of each dependency (database, cache, jobs, llm)',
        response: {
          '2xx': Type.Object({
            status: Type.Union([Type.Literal('ok'), Type.Literal('degraded'), Type.Literal('down')]),
            version: Type.String(),
            uptimeSeconds: Type.Integer(),
            mode: Type.Object({ database: Type.String(), cache: Type.String() }),
            checks: Type.Record(Type.String(), Check),
          }),
          503: Type.Unknown(),
        },
      },
    },
    async (_request, reply) => {
      const report = await checkHealth(platform, extraChecks);
      return reply.code(report.status === 'down' ? 503 : 200).send(report);
    },
  );

  app.get(
    '/ready',
    {
      config: { auth: 'public' },
      schema: { tags: ['system'], summary: 'Ready to take traffic (database reachable, migrations applied)' },
    },
    async (_request, reply) => {
      try {
        await platform.database.pool.query('SELECT 1 FROM intelluxe_migrations LIMIT 1');
        return reply.send({ ready: true });
      } catch (error) {
        return reply.code(503).send({ ready: false, reason: (error as Error).message });
      }
    },
  );

  app.get(
    '/metrics',
    { config: { auth: 'public' }, schema: { tags: ['system'], summary: 'Prometheus metrics', hide: false } },
    async (_request, reply) => {
      const pool = platform.database.pool;
      platform.metrics.dbPool.set({ state: 'total' }, pool.totalCount);
      platform.metrics.dbPool.set({ state: 'idle' }, pool.idleCount);
      platform.metrics.dbPool.set({ state: 'waiting' }, pool.waitingCount);
      await platform.jobs.stats().catch(() => {});
      return reply
        .type(platform.metrics.registry.contentType)
        .send(await platform.metrics.registry.metrics());
    },
  );
}
