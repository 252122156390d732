import { type Kysely, sql } from 'kysely';

/** The denial work queue (one row per denied claim or line adjustment) and the appeals drafted for them. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE denials (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      claim_id uuid NOT NULL REFERENCES claims(id),
      remittance_claim_id bigint NOT NULL REFERENCES remittance_claims(id),
      line_number smallint,
      category text NOT NULL,
      group_code text NOT NULL,
      reason_code text NOT NULL,
      remark_codes text[] NOT NULL DEFAULT '{}',
      amount_cents bigint NOT NULL,
      suggested_fix text NOT NULL,
      status text NOT NULL DEFAULT 'open',
      appeal_deadline date,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX denials_queue ON denials (practice_id, status, category);
    CREATE INDEX denials_claim ON denials (claim_id);

    CREATE TABLE appeals (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      practice_id uuid NOT NULL REFERENCES practices(id),
      denial_id uuid NOT NULL REFERENCES denials(id),
      claim_id uuid NOT NULL REFERENCES claims(id),
      status text NOT NULL DEFAULT 'draft',
      letter jsonb NOT NULL,
      deadline date NOT NULL,
      submitted_at timestamptz,
      decided_at timestamptz,
      outcome text,
      created_by text,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX appeals_practice ON appeals (practice_id, status, deadline);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE appeals, denials;`.execute(db);
}
