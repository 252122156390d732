import { type Kysely, sql } from 'kysely';

/**
 * Claim search pages are ordered by patient control number (newest first, keyset on it), but the status index
 * went on to `created_at`, which no query orders or filters by: a page of one status either sorted every claim
 * of that status or walked the practice's claims in control-number order discarding the other statuses (50
 * times the page for a status 2% of claims hold). The status index now ends in the control number, so a status
 * page is a range of it; the lookups by status alone (the submission batch) still use its leading columns.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX claims_status;
    CREATE INDEX claims_status ON claims (practice_id, status, patient_control_number);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX claims_status;
    CREATE INDEX claims_status ON claims (practice_id, status, created_at);
  `.execute(db);
}
