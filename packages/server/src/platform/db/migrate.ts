/**
 * Kysely's Migrator over a static list, so migrations ship inside the package and run the same on PGlite and
 * PostgreSQL. A migration never changes after it has shipped. Numbering leaves each area its own range so work
 * on several modules does not collide: 00xx platform and patients, 01xx payers, eligibility and prior
 * authorization, 02xx compliance, 03xx AI, personalization, learning and MLOps, 04xx claims, remittance, denials
 * and contracts.
 */
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as m0300 from '../../modules/ai/migrations/0300_ai_interactions.ts';
import * as m0400 from '../../modules/claims/migrations/0400_claims.ts';
import * as m0401 from '../../modules/claims/migrations/0401_claims_status_order.ts';
import * as m0430 from '../../modules/claims/migrations/0430_denial_risk.ts';
import * as m0200 from '../../modules/compliance/migrations/0200_compliance.ts';
import * as m0201 from '../../modules/compliance/migrations/0201_security_alerts_recent.ts';
import * as m0190 from '../../modules/contracts/migrations/0190_contracts.ts';
import * as m0420 from '../../modules/denials/migrations/0420_denials.ts';
import * as m0421 from '../../modules/denials/migrations/0421_denial_worklist_order.ts';
import * as m0110 from '../../modules/eligibility/migrations/0110_eligibility.ts';
import * as m0111 from '../../modules/eligibility/migrations/0111_eligibility_answer_ref.ts';
import * as m0112 from '../../modules/eligibility/migrations/0112_eligibility_log_references.ts';
import * as m0113 from '../../modules/eligibility/migrations/0113_eligibility_history_order.ts';
import * as m0320 from '../../modules/learning/migrations/0320_learning.ts';
import * as m0330 from '../../modules/mlops/migrations/0330_model_registry.ts';
import * as m0100 from '../../modules/payers/migrations/0100_payers.ts';
import * as m0310 from '../../modules/personalization/migrations/0310_personalization.ts';
import * as m0120 from '../../modules/prior-auth/migrations/0120_prior_auth.ts';
import * as m0121 from '../../modules/prior-auth/migrations/0121_prior_auth_list_order.ts';
import * as m0410 from '../../modules/remittance/migrations/0410_remittance.ts';
import * as m0411 from '../../modules/remittance/migrations/0411_remittance_list_order.ts';
import * as m0412 from '../../modules/remittance/migrations/0412_remittance_underpaid.ts';
import type { Db } from './index.ts';
import * as m0001 from './migrations/0001_platform.ts';
import * as m0002 from './migrations/0002_audit.ts';
import * as m0003 from './migrations/0003_patients.ts';
import * as m0004 from './migrations/0004_change_feed.ts';
import * as m0005 from './migrations/0005_audit_seq_index.ts';
import * as m0006 from './migrations/0006_api_key_changes.ts';

const migrations: Record<string, Migration> = {
  '0001_platform': m0001,
  '0002_audit': m0002,
  '0003_patients': m0003,
  '0004_change_feed': m0004,
  '0005_audit_seq_index': m0005,
  '0006_api_key_changes': m0006,
  '0100_payers': m0100,
  '0110_eligibility': m0110,
  '0111_eligibility_answer_ref': m0111,
  '0112_eligibility_log_references': m0112,
  '0113_eligibility_history_order': m0113,
  '0120_prior_auth': m0120,
  '0121_prior_auth_list_order': m0121,
  '0190_contracts': m0190,
  '0200_compliance': m0200,
  '0201_security_alerts_recent': m0201,
  '0300_ai_interactions': m0300,
  '0310_personalization': m0310,
  '0320_learning': m0320,
  '0330_model_registry': m0330,
  '0400_claims': m0400,
  '0401_claims_status_order': m0401,
  '0410_remittance': m0410,
  '0411_remittance_list_order': m0411,
  '0412_remittance_underpaid': m0412,
  '0420_denials': m0420,
  '0421_denial_worklist_order': m0421,
  '0430_denial_risk': m0430,
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

export interface MigrationReport {
  applied: string[];
}

/** Applies every pending migration; throws with the failing migration's name and error. */
export async function migrateToLatest(db: Db): Promise<MigrationReport> {
  const migrator = new Migrator({
    allowUnorderedMigrations: true,
    db,
    provider,
    migrationTableName: 'intelluxe_migrations',
    migrationLockTableName: 'intelluxe_migrations_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error || failed) {
    const reason = error instanceof Error ? error.message : String(error ?? 'unknown error');
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return { applied: (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName) };
}
