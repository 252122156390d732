import { type Kysely, sql } from 'kysely';

/**
 * Continuous learning: interactions (PHI-masked), the per-doctor counter of quality interactions since the
 * last training, training datasets (chat JSONL) and LoRA training jobs with their streamed metrics.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE learning_interactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      doctor_id uuid NOT NULL REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      interaction_type text NOT NULL,
      input_text text NOT NULL,
      output_text text NOT NULL,
      feedback text,
      satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 5),
      workflow_context jsonb NOT NULL DEFAULT '{}',
      patterns jsonb NOT NULL DEFAULT '{}',
      quality boolean NOT NULL,
      phi_spans integer NOT NULL DEFAULT 0,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX learning_interactions_doctor ON learning_interactions (doctor_id, created_at);

    CREATE TABLE learning_state (
      doctor_id uuid PRIMARY KEY REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      total_interactions integer NOT NULL DEFAULT 0,
      quality_since_training integer NOT NULL DEFAULT 0,
      retraining_jobs integer NOT NULL DEFAULT 0,
      signals jsonb NOT NULL DEFAULT '{}',
      last_training_at timestamptz,
      last_trigger_at timestamptz,
      updated_at timestamptz NOT NULL DEFAULT now()
    );

    CREATE TABLE training_datasets (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      doctor_id uuid NOT NULL REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      content_hash char(64) NOT NULL,
      train_jsonl text NOT NULL,
      eval_jsonl text NOT NULL,
      train_count integer NOT NULL,
      eval_count integer NOT NULL,
      sources jsonb NOT NULL,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX training_datasets_doctor ON training_datasets (doctor_id, created_at DESC);

    CREATE TABLE training_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      doctor_id uuid NOT NULL REFERENCES providers(id),
      practice_id uuid NOT NULL REFERENCES practices(id),
      dataset_id uuid REFERENCES training_datasets(id),
      base_model text NOT NULL,
      config jsonb NOT NULL,
      trigger text NOT NULL CHECK (trigger IN ('manual', 'retraining')),
      status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed')),
      steps jsonb NOT NULL DEFAULT '[]',
      train_loss double precision,
      eval_loss double precision,
      duration_seconds double precision,
      samples integer,
      adapter_path text,
      model_version_id uuid,
      error text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE INDEX training_jobs_doctor ON training_jobs (doctor_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE training_jobs, training_datasets, learning_state, learning_interactions`.execute(db);
}
