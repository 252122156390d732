/**
 * The audit log writer. `record()` resolves only after the event is committed, so a caller that awaits it
 * (every PHI route does) never answers before its audit event is durable. Concurrent calls are grouped: events
 * that arrive together leave together, and each batch is a single statement that inserts the chained events and
 * moves the chain head (group commit). While this process is the only writer, it hashes the events itself onto the
 * head it last wrote and the statement applies only if the head is still there; once another writer (an API
 * process, a job worker, the CLI) is seen, batches lock the head first and are chained in the database onto
 * whatever it holds, so concurrent writers queue on the head's row lock and never fail for being concurrent. An
 * event the database refuses fails alone: its batch is retried event by event.
 */
import { createHash } from 'node:crypto';
import { CompiledQuery } from 'kysely';
import type { DatabaseHandle } from '../db/index.ts';
import { GroupCommit } from '../group-commit.ts';
import { chainedTail, chainHash } from './chain.ts';

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

/** The columns of an audit event, and how both appends read them from their JSON rows (`r`). */
const EVENT_COLUMNS = `seq, occurred_at, practice_id, actor_type, actor_id, actor_role, action, resource_type,
      resource_id, purpose, outcome, ip, user_agent, request_id, details, prev_hash, hash`;
const RECORD_FIELDS = `occurred_at timestamptz, practice_id uuid, actor_type text, actor_id text,
      actor_role text, action text, resource_type text, resource_id text, purpose text, outcome text, ip text,
      user_agent text, request_id text, details jsonb`;
const FROM_RECORD = `r.occurred_at, r.practice_id, r.actor_type, r.actor_id, r.actor_role, r.action,
      r.resource_type, r.resource_id, r.purpose, r.outcome, r.ip, r.user_agent, r.request_id,
      coalesce(r.details, '{}')`;

/**
 * A batch the usual way, while this process is the only writer: the events were numbered and hashed here onto the
 * head this process last wrote (`$3`, `$4`), and the statement moves the head to the batch's last event (`$1`,
 * `$2`) and inserts the rows (`$5`, a JSON array) only if the head was still where this process left it. If another
 * writer moved it meanwhile, nothing is written and the batch goes again as LOCKED_APPEND. Audited rows follow as
 * further inserts (`$6` on, see #statement), under the same condition.
 */
const OPTIMISTIC_APPEND = `
  WITH moved AS (
    UPDATE audit_chain_head SET last_seq = $1, last_hash = $2, updated_at = now()
    WHERE id = 1 AND last_seq = $3 AND last_hash = $4
    RETURNING 1
  ), added AS (
    INSERT INTO audit_events (${EVENT_COLUMNS})
    SELECT r.seq, ${FROM_RECORD}, r.prev_hash, r.hash
    FROM jsonb_to_recordset($5::jsonb) AS r(seq bigint, ${RECORD_FIELDS}, prev_hash text, hash text)
    WHERE EXISTS (SELECT 1 FROM moved)
    RETURNING seq, hash
  )`;

/**
 * A batch when other writers are about: the head row is locked first (a concurrent writer waits here, then reads
 * the head the other one left), then each event is numbered and hashed onto the one before in the database, exactly
 * as `chainHash` does here: SHA-256 over the previous hash, a newline and `[seq,tail]`, in UTF-8, as hex. `$1` holds
 * each event's hashed content after its sequence number (`chainedTail`) and `$2` its columns (objects that carry
 * `n`, the event's place in the batch from 1). Audited rows follow (`$3` on). It never loses a race, so it never
 * fails for being concurrent; it costs the database about 8 µs more per event than the optimistic append.
 */
const LOCKED_APPEND = `
  WITH RECURSIVE head AS (
    SELECT last_seq, last_hash FROM audit_chain_head WHERE id = 1 FOR UPDATE
  ), chain (n, seq, prev_hash, hash) AS (
    SELECT 0, last_seq, NULL::text, last_hash FROM head
    UNION ALL
    SELECT n + 1, seq + 1, hash,
      encode(sha256(convert_to(hash || E'\\n[' || (seq + 1)::text || ',' || ($1::text[])[n + 1] || ']', 'UTF8')), 'hex')
    FROM chain WHERE n < cardinality($1::text[])
  ), moved AS (
    UPDATE audit_chain_head h SET last_seq = last.seq, last_hash = last.hash, updated_at = now()
    FROM (SELECT seq, hash FROM chain ORDER BY n DESC LIMIT 1) AS last
    WHERE h.id = 1
  ), added AS (
    INSERT INTO audit_events (${EVENT_COLUMNS})
    SELECT c.seq, ${FROM_RECORD}, c.prev_hash, c.hash
    FROM jsonb_to_recordset($2::jsonb) AS r(n int, ${RECORD_FIELDS})
    JOIN chain c ON c.n = r.n
    RETURNING seq, hash
  )`;
const APPEND_RESULT = 'SELECT seq, hash FROM added ORDER BY seq';

type Mode = 'optimistic' | 'locked';
const APPENDS: Record<Mode, { text: string; guard: string; firstRowsParameter: number }> = {
  optimistic: {
    text: OPTIMISTIC_APPEND,
    guard: '\n    WHERE EXISTS (SELECT 1 FROM moved)',
    firstRowsParameter: 6,
  },
  locked: { text: LOCKED_APPEND, guard: '', firstRowsParameter: 3 },
};

/** After losing a race to another writer, batches go locked for this long before trying the optimistic way again. */
const CONTENDED_MS = 2000;

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Statement texts and names for batches with audited rows, per shape (tables and columns); few ever exist. */
const MAX_SHAPES = 64;
export class AuditLog {
  readonly #database: DatabaseHandle;
  readonly #group: GroupCommit<Pending, AuditReceipt>;
  readonly #shapes = new Map<string, { name: string; text: string }>();
  /** The head as this process last wrote it; null when unknown (start, after an error). */
  #head: AuditReceipt | null = null;
  /** Until when batches go locked: another writer was seen appending. */
  #contendedUntil = 0;

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
   * Appends one batch in a single statement: optimistically (hashed here) while this process knows the head and no
   * other writer was seen lately, else, or when another writer moved the head meanwhile, locked (hashed in the
   * database). Returns each event's place and hash, in order.
   */
  async #write(batch: Pending[]): Promise<AuditReceipt[]> {
    try {
      let written: AuditReceipt[] | undefined;
      if (this.#head && performance.now() >= this.#contendedUntil) {
        written = await this.#optimistic(batch, this.#head);
        if (!written) this.#contendedUntil = performance.now() + CONTENDED_MS;
      }
      written ??= await this.#locked(batch);
      if (written.length !== batch.length) {
        throw new Error(`audit append wrote ${written.length} of ${batch.length} events`);
      }
      this.#head = written[written.length - 1]!;
      return written;
    } catch (error) {
      this.#head = null;
      throw error;
    }
  }

  /** The optimistic append (OPTIMISTIC_APPEND); undefined when another writer had moved the head. */
  async #optimistic(batch: Pending[], head: AuditReceipt): Promise<AuditReceipt[] | undefined> {
    const { name, text, parameters } = this.#statement(batch, 'optimistic');
    let seq = head.seq;
    let prev = head.hash;
    const rows = batch.map(({ tail, members }) => {
      seq += 1;
      const hash = chainHash(prev, seq, tail);
      const row = `{"seq":${seq},"prev_hash":"${prev}","hash":"${hash}",${members}}`;
      prev = hash;
      return row;
    });
    const written = await this.#database.prepared<AuditReceipt>(
      name,
      CompiledQuery.raw(text, [seq, prev, head.seq, head.hash, `[${rows.join(',')}]`, ...parameters]),
    );
    return written.length === 0 ? undefined : written;
  }

  /** The locked append (LOCKED_APPEND): waits for the head, chains onto whatever it holds. */
  #locked(batch: Pending[]): Promise<AuditReceipt[]> {
    const { name, text, parameters } = this.#statement(batch, 'locked');
    const rows = batch.map(({ members }, i) => `{"n":${i + 1},${members}}`);
    return this.#database.prepared<AuditReceipt>(
      name,
      CompiledQuery.raw(text, [batch.map((p) => p.tail), `[${rows.join(',')}]`, ...parameters]),
    );
  }

  /**
   * The append for this batch: the events alone, or with one more insert per shape of audited rows (table and
   * columns), each taking its rows as one JSON parameter: all of it commits, or none.
   */
  #statement(batch: Pending[], mode: Mode): { name: string; text: string; parameters: string[] } {
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
    const append = APPENDS[mode];
    if (!groups) return { name: `audit_${mode}`, text: `${append.text}\n  ${APPEND_RESULT}`, parameters: [] };
    const shape = `${mode} ${[...groups.keys()].join(' ')}`;
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
    SELECT ${list} FROM jsonb_populate_recordset(NULL::"${table}", $${append.firstRowsParameter + i}::jsonb)${append.guard}
  )`;
      });
      const text = `${append.text}${inserts.join('')}\n  ${APPEND_RESULT}`;
      const name = `audit_append_${createHash('sha256').update(text).digest('hex').slice(0, 16)}`;
      // Past the limit a shape goes as an unnamed statement: every named one stays prepared on its connection.
      statement = { name: this.#shapes.size < MAX_SHAPES ? name : '', text };
      if (statement.name) this.#shapes.set(shape, statement);
    }
    return { ...statement, parameters: [...groups.values()].map((g) => JSON.stringify(g.values)) };
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
