import { type Kysely, sql } from 'kysely';

/**
 * Alerts are listed newest first by (`created_at`, `id`) with a row-comparison keyset, over the practice's alerts
 * and the platform-wide ones (`practice_id IS NULL`), or over all of them for a platform compliance officer; the
 * dashboard reads the newest unresolved ones. The index on (`practice_id`, `created_at`) serves none of these in
 * order (the OR of two practice values cannot be read in `created_at` order from it), so every page scanned and
 * sorted the table. An index in the list's order serves each page and its cursor from the index (alerts are written
 * rarely: the extra index costs little).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX security_alerts_recent ON security_alerts (created_at DESC, id DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX security_alerts_recent`.execute(db);
}
