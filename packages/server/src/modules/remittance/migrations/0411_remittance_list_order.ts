import { type Kysely, sql } from 'kysely';

/**
 * Posted remittances are listed newest first by (`created_at`, `id`), but the table's only index on the practice
 * was the duplicate check on the content hash: every page scanned and sorted all of the practice's remittances.
 * An index in the list's order serves a page from the index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX remittances_recent ON remittances (practice_id, created_at DESC, id DESC);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX remittances_recent`.execute(db);
}
