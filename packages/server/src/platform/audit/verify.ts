/**
 * Walks the audit chain in order and recomputes every hash. An edited row fails its own hash; a deleted row
 * leaves a gap in the sequence; a deleted tail no longer reaches the chain head.
 */
import type { Db } from '../db/index.ts';
import { GENESIS_HASH, hashEvent } from './chain.ts';

export const AUDIT_ANCHOR_KEY = 'audit.chain_anchor';

export interface VerifyResult {
  valid: boolean;
  events: number;
  firstBrokenEventId: string | null;
  reason: string | null;
  headSeq: number;
}

const PAGE = 5000;

export async function verifyAuditChain(db: Db): Promise<VerifyResult> {
  const head = await db
    .selectFrom('audit_chain_head')
    .select(['last_seq', 'last_hash'])
    .where('id', '=', 1)
    .executeTakeFirstOrThrow();
  // Retention may prune the oldest partitions; it then records where the kept chain starts and the hash it
  // links to, so pruning is told apart from deletion.
  const anchor = await db
    .selectFrom('settings')
    .select('value')
    .where('scope', '=', 'global')
    .where('key', '=', AUDIT_ANCHOR_KEY)
    .executeTakeFirst();
  const start = anchor?.value as { seq: number; prevHash: string } | undefined;
  let expectedSeq = start?.seq ?? 1;
  let prev = start?.prevHash ?? GENESIS_HASH;
  let events = 0;
  const broken = (seq: number, reason: string): VerifyResult => ({
    valid: false,
    events,
    firstBrokenEventId: String(seq),
    reason,
    headSeq: head.last_seq,
  });
  for (;;) {
    const rows = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', expectedSeq - 1)
      .where('seq', '<=', head.last_seq)
      .orderBy('seq')
      .limit(PAGE)
      .execute();
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(expectedSeq, `event ${expectedSeq} is missing`);
      if (row.prev_hash !== prev)
        return broken(row.seq, `event ${row.seq} does not link to event ${row.seq - 1}`);
      const recomputed = hashEvent(prev, {
        seq: row.seq,
        occurredAt: row.occurred_at,
        practiceId: row.practice_id,
        actorType: row.actor_type,
        actorId: row.actor_id,
        actorRole: row.actor_role,
        action: row.action,
        resourceType: row.resource_type,
        resourceId: row.resource_id,
        purpose: row.purpose,
        outcome: row.outcome,
        ip: row.ip,
        userAgent: row.user_agent,
        requestId: row.request_id,
        details: row.details,
      });
      if (recomputed !== row.hash) return broken(row.seq, `event ${row.seq} was modified`);
      prev = row.hash;
      expectedSeq += 1;
      events += 1;
    }
    if (rows.length < PAGE) break;
  }
  if (expectedSeq - 1 !== head.last_seq) return broken(expectedSeq, `event ${expectedSeq} is missing`);
  if (head.last_seq > 0 && prev !== head.last_hash)
    return broken(head.last_seq, `event ${head.last_seq} does not match the chain head`);
  return { valid: true, events, firstBrokenEventId: null, reason: null, headSeq: head.last_seq };
}
