import { type Kysely, sql } from 'kysely';

/** Posted 835s and their claim payments. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE remittances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      payer_id text REFERENCES payers(id),
      payer_name text NOT NULL,
      trace_number text NOT NULL,
      payment_cents bigint NOT NULL,
      payment_method text NOT NULL,
      payment_date date,
      provider_adjustment_cents bigint NOT NULL DEFAULT 0,
      provider_adjustments jsonb NOT NULL DEFAULT '[]',
      content_hash text NOT NULL,
      source text NOT NULL,
      claims_count integer NOT NULL,
      matched_count integer NOT NULL,
      unmatched_count integer NOT NULL,
      error_count integer NOT NULL,
      warnings jsonb NOT NULL DEFAULT '[]',
      x12_enc text NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (practice_id, content_hash)
    );

    CREATE TABLE remittance_claims (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- No foreign keys: payment rows are written only with their remittance, in its transaction, and neither is ever
      -- deleted (retention keeps financial records); per-row referential checks would dominate bulk posting.
      remittance_id uuid NOT NULL,
      position integer NOT NULL,
      claim_id uuid,
      patient_control_number text NOT NULL,
      payer_claim_number text,
      status_code text NOT NULL,
      charge_cents bigint NOT NULL,
      paid_cents bigint NOT NULL,
      patient_responsibility_cents bigint NOT NULL,
      expected_cents bigint,
      underpaid_cents bigint NOT NULL DEFAULT 0,
      outcome text NOT NULL,
      message text,
      adjustments jsonb NOT NULL DEFAULT '[]',
      lines jsonb NOT NULL DEFAULT '[]'
    );
    CREATE UNIQUE INDEX remittance_claims_position ON remittance_claims (remittance_id, position);
    CREATE INDEX remittance_claims_claim ON remittance_claims (claim_id);

  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE remittance_claims, remittances;`.execute(db);
}
