/** The contracts module's tables: payer fee schedules and percent-of-Medicare rules. */
import type { ColumnType, Generated } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;

/** One allowed amount: payer, code, modifier and place of service ('' for any). */
export interface FeeSchedulesTable {
  id: Generated<string>;
  payer_id: string;
  code: string;
  modifier: string;
  pos: string;
  allowed_cents: number;
  effective_from: string;
  effective_to: string | null;
  /** contract (the payer's own schedule) or medicare_pfs (the Medicare physician fee schedule). */
  source: string;
  created_at: CreatedAt;
}

/** A payer that pays a percentage of the Medicare fee schedule for codes its schedule does not list. */
export interface FeeScheduleRulesTable {
  id: Generated<string>;
  payer_id: string;
  percent_of_medicare: number;
  effective_from: string;
  effective_to: string | null;
  created_at: CreatedAt;
}

export interface ContractsTables {
  fee_schedules: FeeSchedulesTable;
  fee_schedule_rules: FeeScheduleRulesTable;
}
