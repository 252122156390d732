import { type Kysely, sql } from 'kysely';

/**
 * The model registry: versions of any kind of model (LoRA adapters, the denial-risk model, base models) with
 * validation status, safety-gate results and metrics, and their deployments (immediate, gradual, staged) with
 * monitored scores and rollbacks.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE model_versions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      kind text NOT NULL,
      name text NOT NULL,
      version integer NOT NULL,
      subject_id text,
      base_model text,
      artifact_uri text,
      training_data_hash text,
      training_job_id uuid,
      metrics jsonb NOT NULL DEFAULT '{}',
      evaluation jsonb NOT NULL DEFAULT '{}',
      validation_status text NOT NULL DEFAULT 'pending'
        CHECK (validation_status IN ('pending', 'validated', 'rejected', 'requires_review')),
      gate_results jsonb,
      validated_by text,
      validated_at timestamptz,
      review_notes text,
      status text NOT NULL DEFAULT 'candidate'
        CHECK (status IN ('candidate', 'deploying', 'active', 'retired', 'rolled_back')),
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      activated_at timestamptz,
      UNIQUE (practice_id, kind, name, version)
    );
    CREATE INDEX model_versions_subject ON model_versions (practice_id, kind, subject_id, status);
    CREATE UNIQUE INDEX model_versions_one_active
      ON model_versions (practice_id, kind, coalesce(subject_id, '')) WHERE status = 'active';

    CREATE TABLE model_deployments (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      model_version_id uuid NOT NULL REFERENCES model_versions(id),
      previous_version_id uuid REFERENCES model_versions(id),
      strategy text NOT NULL CHECK (strategy IN ('immediate', 'gradual', 'staged')),
      traffic_share double precision NOT NULL,
      stages jsonb NOT NULL DEFAULT '[]',
      stage integer NOT NULL DEFAULT 0,
      rollback_threshold double precision NOT NULL,
      baseline_score double precision,
      min_observations integer NOT NULL DEFAULT 5,
      observations jsonb NOT NULL DEFAULT '[]',
      status text NOT NULL CHECK (status IN ('in_progress', 'completed', 'rolled_back')),
      reason text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX model_deployments_version ON model_deployments (model_version_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE model_deployments, model_versions`.execute(db);
}
