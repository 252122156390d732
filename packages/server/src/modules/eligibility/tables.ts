/** The eligibility module's table: every check, with its timing, outcome and (encrypted) normalized answer. */
import type { ColumnType, Generated, Insertable, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

export interface EligibilityChecksTable {
  id: string;
  practice_id: string;
  patient_id: string | null;
  payer_id: string;
  member_id_bidx: string;
  provider_npi: string;
  service_types: JSONColumnType<string[], string, string>;
  procedure_codes: JSONColumnType<string[], string, string>;
  date_of_service: string;
  /** active, inactive, rejected (AAA), error (no usable answer). */
  status: string;
  cached: boolean;
  /** The payer exchange that produced the answer (for a cache hit: the original one). */
  transaction_id: string | null;
  /** JSON of the normalized coverage and the estimate, encrypted (a cache hit keeps only its estimate). */
  result_enc: string | null;
  /** For a cache hit: the check whose payer answer it reused (its coverage is read from there). */
  answer_check_id: ColumnType<string | null, string | null | undefined, string | null>;
  error: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  duration_ms: number;
  payer_ms: number | null;
  /** When the payer answered (a cached result keeps the original time). */
  answered_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  requested_by: string | null;
  source: string;
  created_at: CreatedAt;
  seq: Generated<number>;
}

export interface EligibilityTables {
  eligibility_checks: EligibilityChecksTable;
}

/**
 * A new eligibility_checks row as the audit log writes it with the check's audit event (an audited row): JSON
 * values, so the jsonb columns are arrays and objects here, not strings. `seq` is left to its sequence.
 */
export type EligibilityHistoryRow = Omit<
  Insertable<EligibilityChecksTable>,
  'service_types' | 'procedure_codes' | 'error' | 'answered_at' | 'created_at' | 'seq'
> & {
  service_types: string[];
  procedure_codes: string[];
  error: Record<string, unknown> | null;
  answered_at: string | null;
  created_at: Date;
};
