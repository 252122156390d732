import { type Kysely, sql } from 'kysely';

/**
 * A patient's or a practice's check history is listed newest first by `seq` (keyset pages), but its indexes were
 * on `created_at`: every page read all of the patient's checks and sorted them, and the practice-wide list scanned
 * the whole table. The same two indexes on `seq` serve each page straight from the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX eligibility_checks_patient;
    DROP INDEX eligibility_checks_practice;
    CREATE INDEX eligibility_checks_patient ON eligibility_checks (practice_id, patient_id, seq DESC);
    CREATE INDEX eligibility_checks_practice ON eligibility_checks (practice_id, seq DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX eligibility_checks_patient;
    DROP INDEX eligibility_checks_practice;
    CREATE INDEX eligibility_checks_patient ON eligibility_checks (practice_id, patient_id, created_at DESC);
    CREATE INDEX eligibility_checks_practice ON eligibility_checks (practice_id, created_at DESC);
  `.execute(db);
}
