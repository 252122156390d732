import { type Kysely, sql } from 'kysely';

/** Trained denial-risk models, one row per registered model version (the registry holds its lifecycle). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE denial_risk_models (
      model_version_id uuid PRIMARY KEY,
      practice_id uuid NOT NULL REFERENCES practices(id),
      model jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE denial_risk_models;`.execute(db);
}
