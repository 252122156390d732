import { type Kysely, sql } from 'kysely';

/**
 * The audit trail: an append-only, hash-chained event table partitioned by month, and a one-row chain head
 * that serializes writers (row lock) and anchors the chain's end so deleting the newest rows is detected too.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE audit_events (
      seq bigint NOT NULL,
      occurred_at timestamptz NOT NULL,
      practice_id uuid,
      actor_type text NOT NULL,
      actor_id text,
      actor_role text,
      action text NOT NULL,
      resource_type text,
      resource_id text,
      purpose text,
      outcome text NOT NULL,
      ip text,
      user_agent text,
      request_id text,
      details jsonb NOT NULL DEFAULT '{}',
      prev_hash text NOT NULL,
      hash text NOT NULL,
      PRIMARY KEY (seq, occurred_at)
    ) PARTITION BY RANGE (occurred_at);

    CREATE TABLE audit_events_default PARTITION OF audit_events DEFAULT;
    CREATE INDEX audit_events_seq ON audit_events (seq);
    CREATE INDEX audit_events_actor ON audit_events (actor_id, occurred_at);
    CREATE INDEX audit_events_resource ON audit_events (resource_type, resource_id, occurred_at);
    CREATE INDEX audit_events_action ON audit_events (action, occurred_at);

    CREATE TABLE audit_chain_head (
      id integer PRIMARY KEY CHECK (id = 1),
      last_seq bigint NOT NULL,
      last_hash text NOT NULL,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    INSERT INTO audit_chain_head (id, last_seq, last_hash) VALUES (1, 0, repeat('0', 64));

    -- Creates the monthly partitions from the month of 'from_month' for 'months' months; idempotent.
    CREATE FUNCTION intelluxe_ensure_audit_partitions(from_month date, months integer) RETURNS integer
    LANGUAGE plpgsql AS $fn$
    DECLARE
      start_month date := date_trunc('month', from_month)::date;
      created integer := 0;
      part_name text;
    BEGIN
      FOR i IN 0..months - 1 LOOP
        part_name := 'audit_events_' || to_char(start_month + make_interval(months => i), 'YYYY_MM');
        IF to_regclass(part_name) IS NULL THEN
          EXECUTE format(
            'CREATE TABLE %I PARTITION OF audit_events FOR VALUES FROM (%L) TO (%L)',
            part_name,
            start_month + make_interval(months => i),
            start_month + make_interval(months => i + 1)
          );
          created := created + 1;
        END IF;
      END LOOP;
      RETURN created;
    END
    $fn$;

    SELECT intelluxe_ensure_audit_partitions((now() - interval '1 month')::date, 4);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP FUNCTION intelluxe_ensure_audit_partitions(date, integer);
    DROP TABLE audit_chain_head, audit_events;
  `.execute(db);
}
