/**
 * Retention: audit events are kept for the configured period (7 years by default, the usual HIPAA
 * documentation horizon plus a margin). The audit table is partitioned by month, so pruning drops whole
 * partitions whose every event is older than the retention, never single rows; it then writes the chain anchor
 * (the seq and previous hash of the first kept event) so `audit verify` tells pruning from tampering. Resolved
 * alerts, their deliveries and known IPs past the retention are deleted too.
 */
import { sql } from 'kysely';
import { AUDIT_ANCHOR_KEY } from '../../platform/audit/verify.ts';
import type { Tx } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/platform.ts';

export const RETENTION_KEY = 'compliance.retention';
export const DEFAULT_RETENTION_DAYS = 2557; // 7 years
export const MIN_RETENTION_DAYS = 30;
export const MAX_RETENTION_DAYS = 36_525;

export interface RetentionResult {
  cutoff: string;
  retentionDays: number;
  droppedPartitions: string[];
  anchor: { seq: number; prevHash: string } | null;
  /** Why old partitions were kept, when they were. */
  skipped: string | null;
  deleted: { alerts: number; deliveries: number; knownIps: number };
}

const PARTITION = /^audit_events_(\d{4})_(\d{2})$/;

export async function retentionDays(platform: Platform): Promise<number> {
  const row = await platform.db
    .selectFrom('settings')
    .select('value')
    .where('scope', '=', 'global')
    .where('key', '=', RETENTION_KEY)
    .executeTakeFirst();
  const days = (row?.value as { days?: unknown } | undefined)?.days;
  return typeof days === 'number' && Number.isInteger(days) ? days : DEFAULT_RETENTION_DAYS;
}

/** The monthly partitions of audit_events whose upper bound is at or before `cutoff`, oldest first. */
async function expiredPartitions(tx: Tx, cutoff: Date): Promise<Array<{ name: string; oid: number }>> {
  const { rows } = await sql<{ name: string; oid: number }>`
    SELECT c.relname AS name, c.oid::int AS oid FROM pg_inherits i
    JOIN pg_class c ON c.oid = i.inhrelid
    JOIN pg_class p ON p.oid = i.inhparent
    WHERE p.relname = 'audit_events'
  `.execute(tx);
  return rows
    .map((r) => ({ ...r, match: PARTITION.exec(r.name) }))
    .filter((r) => r.match !== null)
    .map((r) => ({ name: r.name, oid: r.oid, end: Date.UTC(Number(r.match![1]), Number(r.match![2]), 1) }))
    .filter((r) => r.end <= cutoff.getTime())
    .sort((a, b) => a.end - b.end)
    .map(({ name, oid }) => ({ name, oid }));
}

export async function applyRetention(platform: Platform, now = new Date()): Promise<RetentionResult> {
  const days = await retentionDays(platform);
  const cutoff = new Date(now.getTime() - days * 86_400_000);
  const result = await platform.db.transaction().execute(async (tx) => {
    const out: RetentionResult = {
      cutoff: cutoff.toISOString(),
      retentionDays: days,
      droppedPartitions: [],
      anchor: null,
      skipped: null,
      deleted: { alerts: 0, deliveries: 0, knownIps: 0 },
    };
    // Holding the chain head keeps appends out while the oldest events go and the anchor moves.
    const head = await tx
      .selectFrom('audit_chain_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const expired = await expiredPartitions(tx, cutoff);
    if (expired.length > 0) {
      const oids = expired.map((p) => p.oid);
      const { rows: dropped } = await sql<{ max: number | null }>`
        SELECT max(seq) AS max FROM audit_events WHERE tableoid::int IN (${sql.join(oids)})
      `.execute(tx);
      const { rows: kept } = await sql<{ seq: number; prev_hash: string }>`
        SELECT seq, prev_hash FROM audit_events WHERE tableoid::int NOT IN (${sql.join(oids)})
        ORDER BY seq LIMIT 1
      `.execute(tx);
      const lastDropped = dropped[0]?.max ?? null;
      const firstKept = kept[0] ?? null;
      if (lastDropped !== null && firstKept && lastDropped > firstKept.seq) {
        // A kept event precedes a dropped one (clock skew between writers): pruning would cut the chain.
        out.skipped = `event ${firstKept.seq} is kept but event ${lastDropped} would be dropped`;
      } else {
        for (const p of expired) await sql`DROP TABLE ${sql.id(p.name)}`.execute(tx);
        out.droppedPartitions = expired.map((p) => p.name);
        if (lastDropped !== null) {
          out.anchor = firstKept
            ? { seq: firstKept.seq, prevHash: firstKept.prev_hash }
            : { seq: head.last_seq + 1, prevHash: head.last_hash };
          const value = JSON.stringify(out.anchor);
          await tx
            .insertInto('settings')
            .values({
              scope: 'global',
              key: AUDIT_ANCHOR_KEY,
              value,
              updated_by: 'retention',
              updated_at: now,
            })
            .onConflict((oc) =>
              oc.columns(['scope', 'key']).doUpdateSet({ value, updated_by: 'retention', updated_at: now }),
            )
            .execute();
        }
      }
    }
    const deliveries = await tx
      .deleteFrom('compliance_webhook_deliveries')
      .where('created_at', '<', cutoff)
      .executeTakeFirst();
    const alerts = await tx
      .deleteFrom('security_alerts')
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', cutoff)
      .executeTakeFirst();
    const ips = await tx
      .deleteFrom('compliance_known_ips')
      .where('last_seen_at', '<', cutoff)
      .executeTakeFirst();
    out.deleted = {
      alerts: Number(alerts.numDeletedRows),
      deliveries: Number(deliveries.numDeletedRows),
      knownIps: Number(ips.numDeletedRows),
    };
    return out;
  });
  await platform.audit.record({
    action: 'compliance.retention.apply',
    outcome: result.skipped ? 'failure' : 'success',
    actorType: 'system',
    actorId: 'compliance-retention',
    resourceType: 'audit_partition',
    details: { ...result },
  });
  return result;
}
