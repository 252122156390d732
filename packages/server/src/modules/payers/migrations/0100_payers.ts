import { type Kysely, sql } from 'kysely';

/** Payer transactions (raw X12 encrypted) and the sandbox clearinghouse's member, claim, review and 835 stores. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payer_transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid REFERENCES practices(id),
      payer_id text NOT NULL REFERENCES payers(id),
      kind text NOT NULL,
      gateway text NOT NULL,
      request_enc text,
      response_enc text,
      outcome text NOT NULL,
      attempts integer NOT NULL,
      duration_ms integer NOT NULL,
      error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX payer_transactions_payer ON payer_transactions (payer_id, created_at DESC);

    CREATE TABLE sandbox_members (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      member_id_bidx text NOT NULL,
      member_id_enc text NOT NULL,
      plan_name text NOT NULL,
      group_number text,
      last_name_enc text NOT NULL,
      first_name_enc text NOT NULL,
      dob_enc text NOT NULL,
      gender text NOT NULL,
      effective_date date NOT NULL,
      termination_date date,
      plan_year_start date NOT NULL,
      deductible_met_cents bigint NOT NULL DEFAULT 0,
      family_deductible_met_cents bigint NOT NULL DEFAULT 0,
      oop_met_cents bigint NOT NULL DEFAULT 0,
      family_oop_met_cents bigint NOT NULL DEFAULT 0,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payer_id, member_id_bidx)
    );

    CREATE TABLE sandbox_claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      patient_control_number text NOT NULL,
      payer_claim_number text NOT NULL UNIQUE,
      charge_cents bigint NOT NULL,
      status text NOT NULL,
      member_id_bidx text NOT NULL,
      service_date date,
      received_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX sandbox_claims_pcn ON sandbox_claims (payer_id, patient_control_number);

    CREATE TABLE sandbox_authorizations (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      tracking_number text NOT NULL,
      member_id_bidx text NOT NULL,
      procedure_code text NOT NULL,
      units_requested integer NOT NULL,
      level_of_service text NOT NULL,
      status text NOT NULL,
      certification_number text,
      units_authorized integer,
      reason_code text,
      polls integer NOT NULL DEFAULT 0,
      service_from date NOT NULL,
      service_to date NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      decided_at timestamptz,
      UNIQUE (tracking_number, procedure_code)
    );

    CREATE TABLE sandbox_remittances (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      x12 text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TABLE sandbox_remittances;
    DROP TABLE sandbox_authorizations;
    DROP TABLE sandbox_claims;
    DROP TABLE sandbox_members;
    DROP TABLE payer_transactions;
  `.execute(db);
}
