import { type Kysely, sql } from 'kysely';

/**
 * Drops `audit_events_seq`: the primary key (seq, occurred_at) already serves lookups and ranges by seq, and every
 * audit append paid for the second index.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX audit_events_seq`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`CREATE INDEX audit_events_seq ON audit_events (seq)`.execute(db);
}
