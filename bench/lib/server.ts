/**
 * The server side shared by the HTTP benchmarks: the full Intelluxe app over a started platform with the demo
 * practice, a bare Fastify app beside it, a login, and the stdin/stdout protocol `startServer` (harness.ts) speaks.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { buildApp } from '../../packages/server/src/app.ts';
import { seedDemo } from '../../packages/server/src/modules/demo/seed.ts';
import { loadConfig } from '../../packages/server/src/platform/config.ts';
import type { App } from '../../packages/server/src/platform/http/types.ts';
import { startPlatform, stopPlatform } from '../../packages/server/src/platform/platform.ts';
import { platformQueues } from '../../packages/server/src/queues.ts';
import { createServices } from '../../packages/server/src/services.ts';

export interface BenchApps {
  app: App;
  bare: FastifyInstance;
  /** Logs a demo user in (e.g. 'physician') and returns the access token. */
  login(local: string): Promise<string>;
  /** Prints the ready line (ports plus `extra`) and serves until stdin closes. */
  ready(extra: Record<string, unknown>): Promise<void>;
}

export async function startBenchApps(): Promise<BenchApps> {
  const config = loadConfig({
    ...process.env,
    LOG_LEVEL: 'warn',
    INTELLUXE_ENV: 'development',
    INTELLUXE_AUTO_SEED_DEMO: 'false',
  });
  const platform = await startPlatform(config, { queues: platformQueues, work: false });
  const services = createServices(platform);
  await seedDemo(platform, { patients: 200 });
  const { app } = await buildApp(platform, services);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const bare = Fastify();
  const port = (server: { server: { address(): unknown } }) =>
    (server.server.address() as { port: number }).port;
  return {
    app,
    bare,
    async login(local) {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { email: `${local}@demo.intelluxe.local`, password: config.demoPassword },
      });
      return res.json().accessToken as string;
    },
    async ready(extra) {
      await bare.listen({ host: '127.0.0.1', port: 0 });
      process.stdout.write(`${JSON.stringify({ appPort: port(app), barePort: port(bare), ...extra })}\n`);
      process.stdin.resume();
      await new Promise<void>((resolve) => process.stdin.on('end', () => resolve()));
      await app.close();
      await bare.close();
      await stopPlatform(platform);
      process.exit(0);
    },
  };
}
