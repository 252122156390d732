import { type Kysely, sql } from 'kysely';

/**
 * A check answered from the cache points at the check that fetched the answer instead of storing the coverage
 * again: one encrypted copy per payer answer, not per question asked.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE eligibility_checks ADD COLUMN answer_check_id uuid REFERENCES eligibility_checks(id)`.execute(
    db,
  );
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`ALTER TABLE eligibility_checks DROP COLUMN answer_check_id`.execute(db);
}
