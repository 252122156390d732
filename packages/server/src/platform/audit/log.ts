/**
 * The audit log writer. `record()` resolves only after the event is committed, so a caller that awaits it
 * (every PHI route does) never answers before its audit event is durable. Concurrent calls are grouped: events
 * that arrive together leave together, and each batch is a single statement that moves the chain head and inserts
 * the chained events (group commit); the chain head's row lock orders writers across processes. An event the
 * database refuses fails alone: its batch is retried event by event.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { DatabaseHandle } from '../db/index.ts';
import { GroupCommit } from '../group-commit.ts';
import { chainedTail, chainHash, GENESIS_HASH } from './chain.ts';

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

/**
 * A row written in the same statement as an audit event: it is committed if and only if the event is (the
 * history row of an eligibility check and the check's audit event, say). Values are JSON as the column takes it:
 * strings for uuid, text, dates and times (a Date becomes its ISO string), numbers, booleans, null, and arrays or
 * objects for jsonb columns. A column the row does not name gets its default.
 */
export interface AuditedRow {
  /** A table of the public schema: a plain lower-case identifier. */
  table: string;
  values: object;
}

/**
 * An event as it waits for its batch: everything but its place in the chain is prepared when it is recorded, in
 * the caller's turn, so a batch only numbers, hashes and joins its events while the next commit waits on it.
 */
interface Pending {
  /** The hashed content after the sequence number (see `chainedTail`). */
  tail: string;
  /** The event's columns other than seq, prev_hash and hash, as the members of a JSON object. */
  members: string;
  rows: AuditedRow[] | undefined;
}

export interface AuditObserver {
  onBatch(size: number, seconds: number, ok: boolean): void;
}

const MAX_BATCH = 1000;

/**
 * One batch: move the chain head from where this process saw it ($3, $4) to the batch's last event ($1, $2) and,
 * only if that worked, insert the rows ($5, a JSON array) and any audited rows ($6 on, see #statement). A named
 * prepared statement: parsed and planned once per connection, not once per commit.
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
  )`;
const APPEND_RESULT = 'SELECT count(*)::int AS n FROM added';

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Statement texts and names for batches with audited rows, per shape (tables and columns); few ever exist. */
const MAX_SHAPES = 64;
export class AuditLog {
  readonly #database: DatabaseHandle;
  readonly #group: GroupCommit<Pending, AuditReceipt>;
  /** The chain head as of this process's last append; null when it must be read again. */
  #head: { seq: number; hash: string } | null = null;
  readonly #shapes = new Map<string, { name: string; text: string }>();

  constructor(database: DatabaseHandle, observer?: AuditObserver) {
    this.#database = database;
    this.#group = new GroupCommit((batch) => this.#write(batch), {
      maxBatch: MAX_BATCH,
      onBatch: observer ? (size, seconds, ok) => observer.onBatch(size, seconds, ok) : undefined,
    });
  }

  /**
   * Appends an event; resolves once it is committed. `rows` are written in the same statement and commit with it:
   * if one is refused (a constraint, a bad value, a name that is not a plain identifier), the event fails too and
   * nothing of it is written.
   */
  record(event: AuditEventInput, rows?: AuditedRow[]): Promise<AuditReceipt> {
    let prepared: Pending;
    try {
      prepared = prepare(event, new Date(), rows);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#group.add(prepared);
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
    const { name, text, parameters } = this.#statement(batch);
    for (let attempt = 0; attempt < 20; attempt++) {
      const head = this.#head ?? (await this.#readHead());
      let seq = head.seq;
      let prev = head.hash;
      const receipts: AuditReceipt[] = new Array(batch.length);
      let json = '[';
      for (const [i, { tail, members }] of batch.entries()) {
        seq += 1;
        const hash = chainHash(prev, seq, tail);
        json += `${i === 0 ? '' : ','}{"seq":${seq},"prev_hash":"${prev}","hash":"${hash}",${members}}`;
        receipts[i] = { seq, hash };
        prev = hash;
      }
      json += ']';
      this.#head = { seq, hash: prev };
      let inserted: number;
      try {
        const [result] = await this.#database.prepared<{ n: number }>(
          name,
          CompiledQuery.raw(text, [seq, prev, head.seq, head.hash, json, ...parameters]),
        );
        inserted = result?.n ?? 0;
      } catch (error) {
        this.#head = null;
        throw error;
      }
      if (inserted === batch.length) return receipts;
      this.#head = null;
    }
    throw new Error('audit chain head kept moving; could not append');
  }

  /**
   * The append for this batch: the events alone, or with one more insert per shape of audited rows (table and
   * columns), each taking its rows as one JSON parameter and guarded like the events by the head's move.
   */
  #statement(batch: Pending[]): { name: string; text: string; parameters: string[] } {
    let groups: Map<string, { table: string; columns: string[]; values: unknown[] }> | undefined;
    for (const pending of batch) {
      for (const row of pending.rows ?? []) {
        const columns = Object.keys(row.values);
        const key = `${row.table}(${columns.join(',')})`;
        groups ??= new Map();
        const group = groups.get(key);
        if (group) group.values.push(row.values);
        else groups.set(key, { table: row.table, columns, values: [row.values] });
      }
    }
    if (!groups) return { name: 'audit_append', text: `${APPEND}\n  ${APPEND_RESULT}`, parameters: [] };
    const shape = [...groups.keys()].join(' ');
    let statement = this.#shapes.get(shape);
    if (!statement) {
      // Names are checked once per shape (a shape seen before passed): a bad one fails this batch, and the retry
      // of its events one by one leaves it failing alone.
      for (const { table, columns } of groups.values()) {
        const bad = [table, ...columns].find((name) => !IDENTIFIER.test(name));
        if (bad !== undefined) throw new Error(`audited row: '${bad}' is not a plain identifier`);
      }
      const inserts = [...groups.values()].map(({ table, columns }, i) => {
        const list = columns.map((c) => `"${c}"`).join(', ');
        return `, audited_${i} AS (
    INSERT INTO "${table}" (${list})
    SELECT ${list} FROM jsonb_populate_recordset(NULL::"${table}", $${6 + i}::jsonb)
    WHERE EXISTS (SELECT 1 FROM moved)
  )`;
      });
      const text = `${APPEND}${inserts.join('')}\n  ${APPEND_RESULT}`;
      const name = `audit_append_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      // Past the limit a shape goes as an unnamed statement: every named one stays prepared on its connection.
      statement = { name: this.#shapes.size < MAX_SHAPES ? name : '', text };
      if (statement.name) this.#shapes.set(shape, statement);
    }
    return { ...statement, parameters: [...groups.values()].map((g) => JSON.stringify(g.values)) };
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

/** An event's hashed content and columns, made once when it is recorded. */
function prepare(event: AuditEventInput, occurredAt: Date, rows: AuditedRow[] | undefined): Pending {
  const content = {
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
  const columns = JSON.stringify({
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
  });
  return { tail: chainedTail(content), members: columns.slice(1, -1), rows };
}
