/**
 * Running the platform as a server: all-in-one on PORT, or the named seed-compatible services each on its own
 * port, all in one process over one platform (so the embedded database keeps a single owner).
 */
import { buildApp } from './app.ts';
import { seedDemo } from './modules/demo/seed.ts';
import type { Config } from './platform/config.ts';
import type { App } from './platform/http/types.ts';
import { type Platform, startPlatform, stopPlatform } from './platform/platform.ts';
import { platformQueues } from './queues.ts';
import { findSeedService, SEED_SERVICES } from './seed-services.ts';
import { createServices, type Services } from './services.ts';

export interface RunningServer {
  platform: Platform;
  services: Services;
  listening: Array<{ name: string; url: string; app: App }>;
  close(): Promise<void>;
}

export class UnknownServiceError extends Error {}

export async function runServer(
  config: Config,
  options: { services?: string[] } = {},
): Promise<RunningServer> {
  const requested = options.services ?? [];
  const unknown = requested.filter((name) => !findSeedService(name));
  if (unknown.length > 0) {
    throw new UnknownServiceError(
      `unknown service ${unknown.join(', ')}; known: ${SEED_SERVICES.map((s) => s.name).join(', ')}`,
    );
  }
  const platform = await startPlatform(config, { queues: platformQueues });
  const services = createServices(platform);
  const listening: RunningServer['listening'] = [];
  try {
    if (config.autoSeedDemo && platform.database.kind === 'pglite') {
      const hasPractice = await platform.db.selectFrom('practices').select('id').limit(1).executeTakeFirst();
      if (!hasPractice) {
        platform.logger.info('first embedded start: seeding the demo practice (intelluxe seed-demo)');
        const report = await seedDemo(platform);
        platform.logger.info({ ...report }, 'demo practice ready; log in as admin@demo.intelluxe.local');
      }
    }
    const targets =
      requested.length === 0
        ? [{ name: 'intelluxe', port: config.port, seedService: undefined }]
        : requested.map((name) => ({
            name,
            port: config.servicePorts[name]!,
            seedService: findSeedService(name),
          }));
    for (const target of targets) {
      const { app } = await buildApp(platform, services, { seedService: target.seedService });
      const address = await app.listen({ host: config.host, port: target.port });
      listening.push({ name: target.name, url: address, app });
      // `listener`, not `service`: every line already carries service=intelluxe (the logger's base).
      platform.logger.info({ listener: target.name, url: address }, 'listening');
    }
  } catch (error) {
    for (const l of listening) await l.app.close();
    await stopPlatform(platform);
    throw error;
  }
  return {
    platform,
    services,
    listening,
    async close() {
      for (const l of listening) await l.app.close();
      await stopPlatform(platform);
    },
  };
}
