import { type Kysely, sql } from 'kysely';

/** Prior authorization requests (justification encrypted), their decisions, and the status history. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE prior_auths (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      seq bigserial NOT NULL,
      practice_id uuid NOT NULL REFERENCES practices(id),
      patient_id uuid NOT NULL REFERENCES patients(id),
      payer_id text NOT NULL REFERENCES payers(id),
      provider_id uuid NOT NULL REFERENCES providers(id),
      provider_npi char(10) NOT NULL,
      status text NOT NULL CHECK (status IN ('submitted', 'pended', 'approved', 'partially_approved', 'denied', 'expired')),
      urgency text NOT NULL CHECK (urgency IN ('routine', 'urgent', 'emergency')),
      services jsonb NOT NULL,
      diagnoses jsonb NOT NULL,
      justification_enc text NOT NULL,
      attachments jsonb NOT NULL DEFAULT '[]',
      requirement_reasons jsonb NOT NULL DEFAULT '[]',
      tracking_number text,
      certification_number text,
      authorized_units integer,
      authorized_from date,
      authorized_to date,
      decision_date date,
      decision_reason text,
      expected_decision_date date NOT NULL,
      submitted_at timestamptz NOT NULL,
      last_polled_at timestamptz,
      polls integer NOT NULL DEFAULT 0,
      reminder_sent_at timestamptz,
      last_transaction_id uuid REFERENCES payer_transactions(id),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX prior_auths_practice ON prior_auths (practice_id, status, seq DESC);
    CREATE INDEX prior_auths_patient ON prior_auths (practice_id, patient_id, seq DESC);
    CREATE TABLE prior_auth_events (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      prior_auth_id uuid NOT NULL REFERENCES prior_auths(id) ON DELETE CASCADE,
      from_status text,
      to_status text NOT NULL,
      detail text NOT NULL,
      transaction_id uuid REFERENCES payer_transactions(id),
      actor_id text,
      at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX prior_auth_events_auth ON prior_auth_events (prior_auth_id, at);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE prior_auth_events; DROP TABLE prior_auths;`.execute(db);
}
