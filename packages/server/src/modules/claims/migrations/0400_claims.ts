import { type Kysely, sql } from 'kysely';

/** Charge master, claims with their service lines, the claim state history, and the X12 exchanged per claim. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE charge_master (
      practice_id uuid NOT NULL REFERENCES practices(id),
      code text NOT NULL,
      modifier text NOT NULL DEFAULT '',
      description text NOT NULL,
      charge_cents bigint NOT NULL CHECK (charge_cents >= 0),
      active boolean NOT NULL DEFAULT true,
      updated_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (practice_id, code, modifier)
    );

    CREATE SEQUENCE claim_pcn_seq START 1000001;
    CREATE SEQUENCE claim_interchange_seq START 1 MAXVALUE 999999999 CYCLE;

    CREATE TABLE claims (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      patient_id uuid NOT NULL REFERENCES patients(id),
      coverage_id uuid NOT NULL REFERENCES coverages(id),
      payer_id text NOT NULL REFERENCES payers(id),
      encounter_id uuid REFERENCES encounters(id),
      kind text NOT NULL CHECK (kind IN ('professional', 'institutional')),
      patient_control_number text NOT NULL,
      billing_provider_id uuid REFERENCES providers(id),
      rendering_provider_id uuid REFERENCES providers(id),
      place_of_service text NOT NULL,
      frequency_code text NOT NULL DEFAULT '1',
      diagnoses jsonb NOT NULL,
      prior_auth_number text,
      service_date_from date NOT NULL,
      service_date_to date NOT NULL,
      total_charge_cents bigint NOT NULL,
      status text NOT NULL,
      payer_claim_number text,
      paid_cents bigint NOT NULL DEFAULT 0,
      patient_responsibility_cents bigint NOT NULL DEFAULT 0,
      adjustment_cents bigint NOT NULL DEFAULT 0,
      submitted_at timestamptz,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (practice_id, patient_control_number)
    );
    CREATE INDEX claims_status ON claims (practice_id, status, created_at);
    CREATE INDEX claims_patient ON claims (patient_id, service_date_from);
    CREATE UNIQUE INDEX claims_one_per_encounter ON claims (encounter_id) WHERE encounter_id IS NOT NULL AND frequency_code = '1';

    CREATE TABLE claim_lines (
      claim_id uuid NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
      line_number smallint NOT NULL,
      procedure_code text NOT NULL,
      modifiers text[] NOT NULL DEFAULT '{}',
      units integer NOT NULL CHECK (units > 0),
      charge_cents bigint NOT NULL CHECK (charge_cents >= 0),
      diagnosis_pointers smallint[] NOT NULL,
      service_date date NOT NULL,
      place_of_service text,
      revenue_code text,
      line_control_number text NOT NULL,
      PRIMARY KEY (claim_id, line_number)
    );

    CREATE TABLE claim_events (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      -- No foreign key: events are written in bulk by remittance posting, and claims are never deleted.
      claim_id uuid NOT NULL,
      from_status text,
      to_status text NOT NULL,
      actor_id text,
      reason text NOT NULL,
      details jsonb NOT NULL DEFAULT '{}',
      occurred_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX claim_events_claim ON claim_events (claim_id, id);

    CREATE TABLE claim_documents (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      claim_id uuid NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
      kind text NOT NULL,
      x12_enc text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX claim_documents_claim ON claim_documents (claim_id, id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE claim_documents, claim_events, claim_lines, claims, charge_master; DROP SEQUENCE claim_pcn_seq, claim_interchange_seq;`.execute(
    db,
  );
}
