/**
 * Background jobs on pg-boss, one engine in both modes: on PostgreSQL pg-boss gets its own pool; on PGlite it
 * runs through our pool (`executeSql`), which hands out the single embedded connection one caller at a time.
 * Each queue is defined in its own file as a `QueueDefinition` and registered before `start()`.
 */

import { fromKysely, PgBoss, type SendOptions } from 'pg-boss';
import type { Logger } from 'pino';
import type { DatabaseHandle, Tx } from './db/index.ts';
import type { Metrics } from './metrics.ts';

export interface QueueDefinition<T extends object = object> {
  name: string;
  /** Handles one job; a throw fails the attempt, and pg-boss retries it per `retry`. */
  handle(data: T, job: { id: string; retryCount: number }): Promise<void>;
  retry?: { limit: number; delaySeconds: number; backoff: boolean };
  expireInSeconds?: number;
  /** A cron expression (UTC) to enqueue this job on a schedule. */
  schedule?: { cron: string; data?: T };
  /** Jobs fetched per poll. */
  batchSize?: number;
  pollingIntervalSeconds?: number;
}

export class Jobs {
  readonly #boss: PgBoss;
  readonly #queues = new Map<string, QueueDefinition<never>>();
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  #started = false;
  #working = false;

  constructor(database: DatabaseHandle, databaseUrl: string | undefined, logger: Logger, metrics: Metrics) {
    this.#boss =
      database.kind === 'postgres' && databaseUrl
        ? new PgBoss({
            connectionString: databaseUrl,
            max: 5,
            schema: 'pgboss',
            application_name: 'intelluxe-jobs',
          })
        : new PgBoss({ db: { executeSql: database.executeSql }, schema: 'pgboss' });
    this.#boss.on('error', (error) => logger.error({ err: error }, 'job engine error'));
    this.#logger = logger;
    this.#metrics = metrics;
  }

  register<T extends object>(definition: QueueDefinition<T>): void {
    if (this.#queues.has(definition.name)) throw new Error(`queue ${definition.name} is registered twice`);
    this.#queues.set(definition.name, definition as QueueDefinition<never>);
  }

  get queueNames(): string[] {
    return [...this.#queues.keys()];
  }

  /** Installs or migrates pg-boss's schema and creates the queues; with `work`, starts the workers too. */
  async start(options: { work: boolean }): Promise<void> {
    await this.#boss.start();
    this.#started = true;
    for (const q of this.#queues.values()) {
      await this.#boss.createQueue(q.name, {
        retryLimit: q.retry?.limit ?? 3,
        retryDelay: q.retry?.delaySeconds ?? 30,
        retryBackoff: q.retry?.backoff ?? true,
        expireInSeconds: q.expireInSeconds ?? 900,
      });
      if (q.schedule)
        await this.#boss.schedule(q.name, q.schedule.cron, q.schedule.data ?? {}, { tz: 'UTC' });
    }
    if (options.work) await this.#startWorkers();
  }

  async #startWorkers(): Promise<void> {
    this.#working = true;
    for (const q of this.#queues.values()) {
      await this.#boss.work<object>(
        q.name,
        { batchSize: q.batchSize ?? 1, pollingIntervalSeconds: q.pollingIntervalSeconds ?? 2 },
        async (jobs) => {
          for (const job of jobs) {
            try {
              await q.handle(job.data as never, {
                id: job.id,
                retryCount: (job as { retryCount?: number }).retryCount ?? 0,
              });
              this.#metrics.jobsCompleted.inc({ queue: q.name, outcome: 'completed' });
            } catch (error) {
              this.#metrics.jobsCompleted.inc({ queue: q.name, outcome: 'failed' });
              this.#logger.warn({ err: error, queue: q.name, jobId: job.id }, 'job failed');
              throw error;
            }
          }
        },
      );
    }
  }

  /** Enqueues a job; with `tx`, the job commits or rolls back with the caller's transaction. */
  async send<T extends object>(
    queue: string,
    data: T,
    options: SendOptions & { tx?: Tx } = {},
  ): Promise<string | null> {
    if (!this.#queues.has(queue)) throw new Error(`unknown queue ${queue}`);
    const { tx, ...sendOptions } = options;
    return this.#boss.send(queue, data, tx ? { ...sendOptions, db: fromKysely(tx) } : sendOptions);
  }

  async stats(): Promise<Array<{ queue: string; queued: number; active: number; total: number }>> {
    const result = [];
    for (const name of this.#queues.keys()) {
      const q = await this.#boss.getQueue(name);
      if (!q) continue;
      result.push({ queue: name, queued: q.queuedCount, active: q.activeCount, total: q.totalCount });
      this.#metrics.jobQueue.set({ queue: name, state: 'queued' }, q.queuedCount);
      this.#metrics.jobQueue.set({ queue: name, state: 'active' }, q.activeCount);
    }
    return result;
  }

  async getJob(queue: string, id: string) {
    return this.#boss.getJobById(queue, id);
  }

  async ping(): Promise<void> {
    if (!this.#started) throw new Error('job engine not started');
    await this.#boss.getQueues([]);
  }

  get working(): boolean {
    return this.#working;
  }

  /** Stops taking jobs, lets running ones finish (up to `timeoutMs`), then closes. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    await this.#boss.stop({ graceful: true, close: true, timeout: timeoutMs });
  }
}
