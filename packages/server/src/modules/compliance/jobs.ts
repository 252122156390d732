/**
 * The compliance queues: the monitor every minute over new audit events, webhook deliveries with retries, and
 * retention once a day.
 */
import type { QueueDefinition } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import { ComplianceMonitor, WEBHOOK_QUEUE } from './monitor.ts';
import { applyRetention } from './retention.ts';
import { deliverWebhook } from './webhook.ts';

export const MONITOR_QUEUE = 'compliance-monitor';
export const RETENTION_QUEUE = 'compliance-retention';

const WEBHOOK_RETRIES = 6;

export function complianceQueues(platform: Platform): QueueDefinition<never>[] {
  const monitor = new ComplianceMonitor(platform);
  const monitorQueue: QueueDefinition<Record<string, never>> = {
    name: MONITOR_QUEUE,
    schedule: { cron: '* * * * *' },
    retry: { limit: 2, delaySeconds: 30, backoff: false },
    expireInSeconds: 600,
    async handle() {
      await monitor.run();
    },
  };
  const webhookQueue: QueueDefinition<{ deliveryId: string }> = {
    name: WEBHOOK_QUEUE,
    retry: { limit: WEBHOOK_RETRIES, delaySeconds: 30, backoff: true },
    expireInSeconds: 120,
    async handle(data, job) {
      await deliverWebhook(platform, data.deliveryId, job.retryCount >= WEBHOOK_RETRIES);
    },
  };
  const retentionQueue: QueueDefinition<Record<string, never>> = {
    name: RETENTION_QUEUE,
    schedule: { cron: '41 4 * * *' },
    retry: { limit: 3, delaySeconds: 600, backoff: true },
    expireInSeconds: 3600,
    async handle() {
      await applyRetention(platform);
    },
  };
  return [monitorQueue, webhookQueue, retentionQueue] as QueueDefinition<never>[];
}
