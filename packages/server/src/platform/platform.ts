/**
 * The platform's lifecycle in one place: `startPlatform` opens everything in order (logger, database and
 * migrations, keys, cache, audit, jobs) and `stopPlatform` undoes it in reverse. The HTTP app, the CLI and the
 * workers all start from here.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { AuditLog } from './audit/log.ts';
import { TokenService } from './auth/tokens.ts';
import { type Cache, createCache } from './cache.ts';
import { ChangeFeed } from './changes.ts';
import type { Config } from './config.ts';
import { type FieldCipher, loadFieldCipher, loadOrCreateMasterKey } from './crypto.ts';
import { type DatabaseHandle, type Db, openDatabase, pgliteDirectory } from './db/index.ts';
import { migrateToLatest } from './db/migrate.ts';
import { Jobs, type QueueDefinition } from './jobs.ts';
import { createLogger } from './logger.ts';
import { Metrics } from './metrics.ts';

export interface Platform {
  config: Config;
  logger: Logger;
  database: DatabaseHandle;
  db: Db;
  cache: Cache;
  /** Row changes as they commit, for in-process caches (see changes.ts). */
  changes: ChangeFeed;
  masterKey: Buffer;
  cipher: FieldCipher;
  audit: AuditLog;
  jobs: Jobs;
  metrics: Metrics;
  tokens: TokenService;
  startedAt: Date;
}

export interface StartOptions {
  logger?: Logger;
  /** Run job workers in this process (default: config.jobsEnabled). */
  work?: boolean;
  /** Queues to register (the modules' job definitions). */
  queues?: (platform: Omit<Platform, 'jobs'> & { jobs: Jobs }) => QueueDefinition<never>[];
  /** Override the PGlite directory ('memory://' in tests). */
  pgliteDataDir?: string;
  /** A namespace for cache keys (tests sharing one Redis). */
  cacheNamespace?: string;
}

export async function startPlatform(config: Config, options: StartOptions = {}): Promise<Platform> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const metrics = new Metrics({ defaultMetrics: config.env !== 'test' });
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: options.pgliteDataDir ?? pgliteDirectory(config.dataDir),
    poolMax: config.dbPoolMax,
  });
  const opened: Array<() => Promise<void>> = [() => database.close()];
  try {
    const report = await migrateToLatest(database.db);
    if (report.applied.length > 0) logger.info({ migrations: report.applied }, 'database migrated');

    const { key: masterKey, created } = loadOrCreateMasterKey(
      config.masterKey,
      join(config.dataDir, 'master.key'),
      config.env !== 'production',
    );
    if (created) {
      logger.warn(
        { file: join(config.dataDir, 'master.key') },
        'created a new master key for PHI encryption in DATA_DIR; back it up, or set INTELLUXE_MASTER_KEY (required in production)',
      );
    }
    const cipher = await loadFieldCipher(database.db, masterKey);

    const cache = createCache(config.redisUrl, options.cacheNamespace);
    opened.push(() => cache.close());
    if (cache.kind === 'redis') await cache.ping();

    const changes = await ChangeFeed.open(database);
    opened.push(() => changes.close());

    const audit = new AuditLog(database, {
      onBatch(size, seconds, ok) {
        metrics.auditBatchSize.observe(size);
        metrics.auditBatchSeconds.observe(seconds);
        metrics.auditEvents.inc({ outcome: ok ? 'ok' : 'failed' }, size);
      },
    });
    opened.push(() => audit.flush());

    const jobs = new Jobs(database, config.databaseUrl, logger, metrics);
    const platform: Platform = {
      config,
      logger,
      database,
      db: database.db,
      cache,
      changes,
      masterKey,
      cipher,
      audit,
      jobs,
      metrics,
      tokens: new TokenService(masterKey, config.accessTokenTtlSeconds),
      startedAt: new Date(),
    };
    for (const queue of options.queues?.(platform) ?? []) jobs.register(queue);
    await jobs.start({ work: options.work ?? config.jobsEnabled });
    return platform;
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw error;
  }
}

export async function stopPlatform(platform: Platform): Promise<void> {
  await platform.jobs.stop().catch((error) => platform.logger.warn({ err: error }, 'job engine stop failed'));
  await platform.audit.flush();
  await platform.cache.close();
  await platform.changes.close();
  await platform.database.close();
}
