/**
 * The audit log writer. `record()` resolves only after the event is committed, so a caller that awaits it
 * (every PHI route does) never answers before its audit event is durable. Concurrent calls are grouped: events
 * that arrive together leave together, and each batch is a single statement that moves the chain head and inserts
 * the chained events (group commit); the chain head's row lock orders writers across processes. An event the
 * database refuses fails alone: its batch is retried event by event.
 */
import { CompiledQuery } from 'kysely';
import type { DatabaseHandle } from '../db/index.ts';
import { GroupCommit } from '../group-commit.ts';
import { type ChainedContent, GENESIS_HASH, hashEvent } from './chain.ts';

export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditEventInput {
  action: string;
  outcome: AuditOutcome;
  actorType: 'user' | 'api_key' | 'system' | 'anonymous';
  actorId?: string | null;
  actorRole?: string | null;
  practiceId?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  purpose?: string | null;
  ip?: string | null;
  userAgent?: string | null;
  requestId?: string | null;
  /** Non-PHI context: ids, counts, field names, reasons. Never names, dates of birth or free text. */
  details?: Record<string, unknown>;
}

export interface AuditReceipt {
  seq: number;
  hash: string;
}

interface Pending {
  event: AuditEventInput;
  occurredAt: Date;
}

export interface AuditObserver {
  onBatch(size: number, seconds: number, ok: boolean): void;
}

const MAX_BATCH = 1000;

/**
 * One batch: move the chain head from where this process saw it ($3, $4) to the batch's last event ($1, $2) and,
 * only if that worked, insert the rows ($5, a JSON array). A named prepared statement: parsed and planned once per
 * connection, not once per commit.
 */
const APPEND = `
  WITH moved AS (
    UPDATE audit_chain_head SET last_seq = $1, last_hash = $2, updated_at = now()
    WHERE id = 1 AND last_seq = $3 AND last_hash = $4
    RETURNING 1
  ), added AS (
    INSERT INTO audit_events (seq, occurred_at, practice_id, actor_type, actor_id, actor_role, action,
      resource_type, resource_id, purpose, outcome, ip, user_agent, request_id, details, prev_hash, hash)
    SELECT r.seq, r.occurred_at, r.practice_id, r.actor_type, r.actor_id, r.actor_role, r.action,
      r.resource_type, r.resource_id, r.purpose, r.outcome, r.ip, r.user_agent, r.request_id,
      coalesce(r.details, '{}'), r.prev_hash, r.hash
    FROM jsonb_to_recordset($5::jsonb) AS r(seq bigint, occurred_at timestamptz,
      practice_id uuid, actor_type text, actor_id text, actor_role text, action text, resource_type text,
      resource_id text, purpose text, outcome text, ip text, user_agent text, request_id text,
      details jsonb, prev_hash text, hash text)
    WHERE EXISTS (SELECT 1 FROM moved)
    RETURNING 1
  )
  SELECT count(*)::int AS n FROM added`;
export class AuditLog {
  readonly #database: DatabaseHandle;
  readonly #group: GroupCommit<Pending, AuditReceipt>;
  /** The chain head as of this process's last append; null when it must be read again. */
  #head: { seq: number; hash: string } | null = null;

  constructor(database: DatabaseHandle, observer?: AuditObserver) {
    this.#database = database;
    this.#group = new GroupCommit((batch) => this.#write(batch), {
      maxBatch: MAX_BATCH,
      onBatch: observer ? (size, seconds, ok) => observer.onBatch(size, seconds, ok) : undefined,
    });
  }

  record(event: AuditEventInput): Promise<AuditReceipt> {
    return this.#group.add({ event, occurredAt: new Date() });
  }

  /** Waits until every event recorded so far is committed (or failed). */
  flush(): Promise<void> {
    return this.#group.flush();
  }

  /**
   * Appends one batch in a single statement: the chain head moves from the head this process last saw to the
   * batch's last event, and the rows are inserted only if that move succeeded. If another process appended in
   * between, nothing is written, the head is read again and the batch re-chained (optimistic concurrency).
   */
  async #write(batch: Pending[]): Promise<AuditReceipt[]> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = this.#head ?? (await this.#readHead());
      let seq = head.seq;
      let prev = head.hash;
      const rows = batch.map(({ event, occurredAt }) => {
        seq += 1;
        const content: ChainedContent = {
          seq,
          occurredAt,
          practiceId: event.practiceId ?? null,
          actorType: event.actorType,
          actorId: event.actorId ?? null,
          actorRole: event.actorRole ?? null,
          action: event.action,
          resourceType: event.resourceType ?? null,
          resourceId: event.resourceId ?? null,
          purpose: event.purpose ?? null,
          outcome: event.outcome,
          ip: event.ip ?? null,
          userAgent: event.userAgent ?? null,
          requestId: event.requestId ?? null,
          details: event.details ?? {},
        };
        const hash = hashEvent(prev, content);
        const row = {
          seq,
          occurred_at: occurredAt.toISOString(),
          practice_id: content.practiceId,
          actor_type: content.actorType,
          actor_id: content.actorId,
          actor_role: content.actorRole,
          action: content.action,
          resource_type: content.resourceType,
          resource_id: content.resourceId,
          purpose: content.purpose,
          outcome: content.outcome,
          ip: content.ip,
          user_agent: content.userAgent,
          request_id: content.requestId,
          details: content.details,
          prev_hash: prev,
          hash,
        };
        prev = hash;
        return row;
      });
      this.#head = { seq, hash: prev };
      let inserted: number;
      try {
        const [result] = await this.#database.prepared<{ n: number }>(
          'audit_append',
          CompiledQuery.raw(APPEND, [seq, prev, head.seq, head.hash, JSON.stringify(rows)]),
        );
        inserted = result?.n ?? 0;
      } catch (error) {
        this.#head = null;
        throw error;
      }
      if (inserted === rows.length) return rows.map((r) => ({ seq: r.seq, hash: r.hash }));
      this.#head = null;
    }
    throw new Error('audit chain head kept moving; could not append');
  }

  async #readHead(): Promise<{ seq: number; hash: string }> {
    const head = await this.#database.db
      .selectFrom('audit_chain_head')
      .select(['last_seq', 'last_hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: head.last_seq, hash: head.last_hash || GENESIS_HASH };
  }
}
