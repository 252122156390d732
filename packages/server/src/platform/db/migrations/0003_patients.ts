import { type Kysely, sql } from 'kysely';

/** Payers (reference), providers, patients, coverages, encounters, appointments. PHI columns are ciphertext. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE payers (
      id text PRIMARY KEY,
      name text NOT NULL,
      x12_payer_id text NOT NULL,
      kind text NOT NULL,
      active boolean NOT NULL DEFAULT true
    );
    INSERT INTO payers (id, name, x12_payer_id, kind) VALUES
      ('anthem', 'Anthem Blue Cross', '00227', 'commercial'),
      ('uhc', 'UnitedHealthcare', '87726', 'commercial'),
      ('cigna', 'Cigna', '62308', 'commercial'),
      ('aetna', 'Aetna', '60054', 'commercial'),
      ('bcbs', 'Blue Cross Blue Shield', '00060', 'commercial'),
      ('medicare', 'Medicare Part B', '12202', 'medicare');

    CREATE TABLE providers (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      npi char(10) NOT NULL,
      kind text NOT NULL CHECK (kind IN ('individual', 'organization')),
      first_name text,
      last_name text NOT NULL,
      credentials text,
      taxonomy_code text,
      specialty text,
      is_default_rendering boolean NOT NULL DEFAULT false,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (practice_id, npi)
    );

    CREATE SEQUENCE patient_mrn_seq START 100001;

    CREATE TABLE patients (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      mrn text NOT NULL,
      first_name_enc text NOT NULL,
      last_name_enc text NOT NULL,
      dob_enc text NOT NULL,
      ssn_enc text,
      address_enc text,
      phone_enc text,
      email_enc text,
      notes_enc text,
      sex text NOT NULL,
      first_name_bidx text NOT NULL,
      last_name_bidx text NOT NULL,
      dob_bidx text NOT NULL,
      ssn_bidx text,
      phone_bidx text,
      key_id text NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (practice_id, mrn)
    );
    CREATE INDEX patients_last_name ON patients (practice_id, last_name_bidx);
    CREATE INDEX patients_dob ON patients (practice_id, dob_bidx);
    CREATE INDEX patients_ssn ON patients (practice_id, ssn_bidx);
    CREATE INDEX patients_phone ON patients (practice_id, phone_bidx);

    CREATE TABLE coverages (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      patient_id uuid NOT NULL REFERENCES patients(id) ON DELETE CASCADE,
      payer_id text NOT NULL REFERENCES payers(id),
      priority smallint NOT NULL CHECK (priority BETWEEN 1 AND 3),
      plan_name text,
      plan_type text,
      group_number text,
      member_id_enc text NOT NULL,
      member_id_bidx text NOT NULL,
      relationship text NOT NULL,
      subscriber_enc text,
      effective_date date NOT NULL,
      termination_date date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX coverages_patient ON coverages (patient_id, priority);
    CREATE INDEX coverages_member ON coverages (member_id_bidx);

    CREATE TABLE appointments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      patient_id uuid NOT NULL REFERENCES patients(id),
      provider_id uuid NOT NULL REFERENCES providers(id),
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      status text NOT NULL,
      appointment_type text NOT NULL,
      reason_enc text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK (ends_at > starts_at)
    );
    CREATE INDEX appointments_day ON appointments (practice_id, starts_at);
    CREATE INDEX appointments_patient ON appointments (patient_id, starts_at);
    CREATE INDEX appointments_provider ON appointments (provider_id, starts_at);

    CREATE TABLE encounters (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      patient_id uuid NOT NULL REFERENCES patients(id),
      provider_id uuid NOT NULL REFERENCES providers(id),
      appointment_id uuid REFERENCES appointments(id),
      date_of_service date NOT NULL,
      place_of_service char(2) NOT NULL,
      encounter_type text NOT NULL,
      status text NOT NULL,
      diagnoses jsonb NOT NULL DEFAULT '[]',
      procedures jsonb NOT NULL DEFAULT '[]',
      prior_auth_number text,
      notes_enc text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX encounters_patient ON encounters (patient_id, date_of_service);
    CREATE INDEX encounters_provider ON encounters (provider_id, date_of_service);
    CREATE INDEX encounters_day ON encounters (practice_id, date_of_service);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE encounters, appointments, coverages, patients, providers, payers; DROP SEQUENCE patient_mrn_seq;`.execute(
    db,
  );
}
