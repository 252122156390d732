import { type Kysely, sql } from 'kysely';

/**
 * The work queues are read oldest deadline first, but their indexes stopped at the filter columns:
 * - the denial queue (a status, optionally one category, by appeal deadline then creation) fetched every denial of
 *   the status or category and sorted them for its first 2000. The queue index now goes on to the deadline and
 *   creation time, and a second one without the category serves the queue of all categories;
 * - the appeal list without a status filter scanned and sorted all of the practice's appeals: an index on the
 *   practice and deadline serves it (the status index still serves a status);
 * - a remittance's report counts the denials of its claim payments by `remittance_claim_id`, which had no index:
 *   every report scanned the whole denials table.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX denials_queue;
    CREATE INDEX denials_queue ON denials (practice_id, status, category, appeal_deadline, created_at);
    CREATE INDEX denials_deadline ON denials (practice_id, status, appeal_deadline, created_at);
    CREATE INDEX denials_remittance_claim ON denials (remittance_claim_id);
    CREATE INDEX appeals_deadline ON appeals (practice_id, deadline);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP INDEX appeals_deadline;
    DROP INDEX denials_remittance_claim;
    DROP INDEX denials_deadline;
    DROP INDEX denials_queue;
    CREATE INDEX denials_queue ON denials (practice_id, status, category);
  `.execute(db);
}
