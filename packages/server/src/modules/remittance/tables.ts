import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface RemittancesTable {
  id: Generated<string>;
  practice_id: string;
  payer_id: string | null;
  payer_name: string;
  trace_number: string;
  payment_cents: number;
  payment_method: string;
  payment_date: string | null;
  provider_adjustment_cents: number;
  provider_adjustments: Json<Array<{ reasonCode: string; referenceId?: string; amountCents: number }>>;
  content_hash: string;
  source: string;
  claims_count: number;
  matched_count: number;
  unmatched_count: number;
  error_count: number;
  warnings: Json<string[]>;
  x12_enc: string;
  created_by: string | null;
  created_at: Timestamp;
}

export interface PostedAdjustment {
  group: string;
  reason: string;
  amountCents: number;
  description: string;
}

export interface PostedLine {
  lineNumber: number | null;
  procedureCode: string;
  chargeCents: number;
  paidCents: number;
  adjustments: PostedAdjustment[];
  remarkCodes: string[];
}

export interface RemittanceClaimsTable {
  id: Generated<number>;
  remittance_id: string;
  /** The CLP's position in the 835 (1-based). */
  position: number;
  claim_id: string | null;
  patient_control_number: string;
  payer_claim_number: string | null;
  status_code: string;
  charge_cents: number;
  paid_cents: number;
  patient_responsibility_cents: number;
  expected_cents: number | null;
  underpaid_cents: number;
  outcome: string;
  message: string | null;
  adjustments: Json<PostedAdjustment[]>;
  lines: Json<PostedLine[]>;
}

export interface RemittanceTables {
  remittances: RemittancesTable;
  remittance_claims: RemittanceClaimsTable;
}
