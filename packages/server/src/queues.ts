/** Every queue the platform runs, one definition per file, registered at start. */
import { learningQueues } from './modules/learning/jobs.ts';
import { auditPartitionsQueue } from './platform/audit/partitions-job.ts';
import type { QueueDefinition } from './platform/jobs.ts';
import type { Platform } from './platform/platform.ts';

export function platformQueues(platform: Pick<Platform, 'db' | 'config'>): QueueDefinition<never>[] {
  return [auditPartitionsQueue(platform.db) as QueueDefinition<never>, ...learningQueues(platform)];
}
