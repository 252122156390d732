import { type Kysely, sql } from 'kysely';

/**
 * The underpayment report reads only the claims paid below the contract, largest first, but found them by
 * scanning every posted claim. Underpaid claims are a small share of all: a partial index holds just those, in the
 * report's order.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE INDEX remittance_claims_underpaid ON remittance_claims (underpaid_cents DESC, id)
      WHERE underpaid_cents > 0;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP INDEX remittance_claims_underpaid`.execute(db);
}
