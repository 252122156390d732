import { type Kysely, sql } from 'kysely';

/**
 * The check history is an append-only log written only by the eligibility service, which takes every reference
 * from a row it has just read or written: the practice from the caller's session, the payer from its directory,
 * the payer exchange it stored, the check whose cached answer it reused. Rows of those tables are never deleted.
 * Their foreign keys each took a row lock on the parent for every check recorded (the practice's and the payer's
 * rows on all of them), about a sixth of a busy front desk's throughput on cached checks (bench:eligibility).
 * The patient reference keeps its key: deleting a patient still clears it (ON DELETE SET NULL).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE eligibility_checks
      DROP CONSTRAINT eligibility_checks_practice_id_fkey,
      DROP CONSTRAINT eligibility_checks_payer_id_fkey,
      DROP CONSTRAINT eligibility_checks_transaction_id_fkey,
      DROP CONSTRAINT eligibility_checks_answer_check_id_fkey
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    ALTER TABLE eligibility_checks
      ADD CONSTRAINT eligibility_checks_practice_id_fkey FOREIGN KEY (practice_id) REFERENCES practices(id),
      ADD CONSTRAINT eligibility_checks_payer_id_fkey FOREIGN KEY (payer_id) REFERENCES payers(id),
      ADD CONSTRAINT eligibility_checks_transaction_id_fkey FOREIGN KEY (transaction_id)
        REFERENCES payer_transactions(id),
      ADD CONSTRAINT eligibility_checks_answer_check_id_fkey FOREIGN KEY (answer_check_id)
        REFERENCES eligibility_checks(id)
  `.execute(db);
}
