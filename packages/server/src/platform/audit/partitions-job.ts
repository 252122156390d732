/** Keeps monthly audit partitions created ahead of time, so events never land in the default partition. */
import { sql } from 'kysely';
import type { Db } from '../db/index.ts';
import type { QueueDefinition } from '../jobs.ts';

export async function ensureAuditPartitions(db: Db, monthsAhead = 3): Promise<number> {
  const { rows } = await sql<{ created: number }>`
    SELECT intelluxe_ensure_audit_partitions(date_trunc('month', now())::date, ${monthsAhead + 1}) AS created
  `.execute(db);
  return rows[0]?.created ?? 0;
}

export function auditPartitionsQueue(db: Db): QueueDefinition<Record<string, never>> {
  return {
    name: 'audit-partitions',
    schedule: { cron: '17 3 * * *' },
    retry: { limit: 5, delaySeconds: 300, backoff: true },
    async handle() {
      await ensureAuditPartitions(db);
    },
  };
}
