import { type Kysely, sql } from 'kysely';

/** One row per LLM call: the trace (model, prompt hash, tokens, latency, outcome). Never the prompt itself. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE ai_interactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid,
      actor_id text,
      feature text NOT NULL,
      provider text NOT NULL,
      model text NOT NULL,
      prompt_hash char(64) NOT NULL,
      prompt_tokens integer NOT NULL DEFAULT 0,
      completion_tokens integer NOT NULL DEFAULT 0,
      latency_ms integer NOT NULL,
      attempts integer NOT NULL DEFAULT 1,
      streamed boolean NOT NULL DEFAULT false,
      tool_calls integer NOT NULL DEFAULT 0,
      phi_redactions integer NOT NULL DEFAULT 0,
      outcome text NOT NULL CHECK (outcome IN ('ok', 'error', 'timeout', 'invalid_output')),
      error text,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX ai_interactions_created ON ai_interactions (created_at DESC);
    CREATE INDEX ai_interactions_practice ON ai_interactions (practice_id, created_at DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE ai_interactions`.execute(db);
}
