import { type Kysely, sql } from 'kysely';

/**
 * Doctor preferences (current document + every version), writing samples (PHI-masked text for style learning
 * and training, the original encrypted), and the learned style profile per doctor. A doctor is a provider.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE doctor_preferences (
      doctor_id uuid PRIMARY KEY REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      preferences jsonb NOT NULL,
      explicit_fields jsonb NOT NULL DEFAULT '[]',
      version integer NOT NULL,
      updated_by text,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE doctor_preference_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      doctor_id uuid NOT NULL REFERENCES providers(id),
      version integer NOT NULL,
      preferences jsonb NOT NULL,
      changed jsonb NOT NULL,
      source text NOT NULL CHECK (source IN ('user', 'learning', 'seed_api')),
      actor_id text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (doctor_id, version)
    );

    CREATE TABLE writing_samples (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      doctor_id uuid NOT NULL REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      sample_type text NOT NULL,
      content text NOT NULL,
      content_enc text NOT NULL,
      phi_spans integer NOT NULL DEFAULT 0,
      content_hash char(64) NOT NULL,
      metadata jsonb NOT NULL DEFAULT '{}',
      features jsonb NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (doctor_id, content_hash)
    );
    CREATE INDEX writing_samples_doctor ON writing_samples (doctor_id, created_at);

    CREATE TABLE style_profiles (
      doctor_id uuid PRIMARY KEY REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      state jsonb NOT NULL,
      samples integer NOT NULL DEFAULT 0,
      interactions integer NOT NULL DEFAULT 0,
      updated_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE style_profiles, writing_samples, doctor_preference_versions, doctor_preferences`.execute(
    db,
  );
}
