/** The payers module's tables: the gateway's transactions and the sandbox clearinghouse's own stores. */
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** One exchange with a payer: the raw X12 both ways, encrypted. */
export interface PayerTransactionsTable {
  id: Generated<string>;
  practice_id: string | null;
  payer_id: string;
  /** eligibility, claims, claim_status, prior_auth, remittances. */
  kind: string;
  gateway: string;
  request_enc: string | null;
  response_enc: string | null;
  /** ok, timeout, unreachable, bad_response, circuit_open. */
  outcome: string;
  attempts: number;
  duration_ms: number;
  error: string | null;
  created_at: CreatedAt;
}

/** The sandbox payer's member file, seeded from the practice's coverages, with the plan-year accumulators. */
export interface SandboxMembersTable {
  id: Generated<string>;
  payer_id: string;
  member_id_bidx: string;
  member_id_enc: string;
  plan_name: string;
  group_number: string | null;
  last_name_enc: string;
  first_name_enc: string;
  dob_enc: string;
  gender: string;
  effective_date: string;
  termination_date: string | null;
  plan_year_start: string;
  deductible_met_cents: number;
  family_deductible_met_cents: number;
  oop_met_cents: number;
  family_oop_met_cents: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** Claims the sandbox accepted (277CA), for 276 status answers and, later, adjudication. */
export interface SandboxClaimsTable {
  id: Generated<string>;
  payer_id: string;
  patient_control_number: string;
  payer_claim_number: string;
  charge_cents: number;
  status: string;
  member_id_bidx: string;
  service_date: string | null;
  received_at: CreatedAt;
}

/** Prior authorization reviews the sandbox payer holds. */
export interface SandboxAuthorizationsTable {
  id: Generated<string>;
  payer_id: string;
  tracking_number: string;
  member_id_bidx: string;
  procedure_code: string;
  units_requested: number;
  level_of_service: string;
  status: string;
  certification_number: string | null;
  units_authorized: number | null;
  reason_code: string | null;
  polls: number;
  service_from: string;
  service_to: string;
  created_at: CreatedAt;
  decided_at: Timestamp | null;
}

/** 835s queued for pick-up by remittances(). */
export interface SandboxRemittancesTable {
  id: Generated<string>;
  payer_id: string;
  x12: string;
  created_at: CreatedAt;
  delivered_at: Timestamp | null;
}

export interface PayersTables {
  payer_transactions: PayerTransactionsTable;
  sandbox_members: SandboxMembersTable;
  sandbox_claims: SandboxClaimsTable;
  sandbox_authorizations: SandboxAuthorizationsTable;
  sandbox_remittances: SandboxRemittancesTable;
}
