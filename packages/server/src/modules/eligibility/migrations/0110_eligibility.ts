import { type Kysely, sql } from 'kysely';

/** Eligibility check history: timing, outcome, the payer exchange, and the normalized answer encrypted. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE eligibility_checks (
      id uuid PRIMARY KEY,
      seq bigserial NOT NULL,
      practice_id uuid NOT NULL REFERENCES practices(id),
      patient_id uuid REFERENCES patients(id) ON DELETE SET NULL,
      payer_id text NOT NULL REFERENCES payers(id),
      member_id_bidx text NOT NULL,
      provider_npi char(10) NOT NULL,
      service_types jsonb NOT NULL,
      procedure_codes jsonb NOT NULL,
      date_of_service date NOT NULL,
      status text NOT NULL CHECK (status IN ('active', 'inactive', 'rejected', 'error')),
      cached boolean NOT NULL,
      transaction_id uuid REFERENCES payer_transactions(id),
      result_enc text,
      error jsonb,
      duration_ms integer NOT NULL,
      payer_ms integer,
      answered_at timestamptz,
      requested_by text,
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX eligibility_checks_patient ON eligibility_checks (practice_id, patient_id, created_at DESC);
    CREATE INDEX eligibility_checks_practice ON eligibility_checks (practice_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE eligibility_checks;`.execute(db);
}
