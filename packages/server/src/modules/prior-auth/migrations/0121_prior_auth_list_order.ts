import { type Kysely, sql } from 'kysely';

/**
 * The request list is read newest first by `seq` (keyset pages), filtered by status, patient or payer or not at
 * all. Status and patient each had an index that leads to `seq`, but the practice-wide list (and the payer filter)
 * had none: every page scanned all of the practice's requests and sorted them. An index on the practice and `seq`
 * serves those pages straight from the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX prior_auths_recent ON prior_auths (practice_id, seq DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX prior_auths_recent`.execute(db);
}
