import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface DenialsTable {
  id: Generated<string>;
  practice_id: string;
  claim_id: string;
  remittance_claim_id: number;
  line_number: number | null;
  category: string;
  group_code: string;
  reason_code: string;
  remark_codes: string[];
  amount_cents: number;
  suggested_fix: string;
  status: Generated<string>;
  appeal_deadline: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AppealsTable {
  id: Generated<string>;
  practice_id: string;
  denial_id: string;
  claim_id: string;
  status: Generated<string>;
  letter: Json<Record<string, unknown>>;
  deadline: string;
  submitted_at: Timestamp | null;
  decided_at: Timestamp | null;
  outcome: string | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DenialsTables {
  denials: DenialsTable;
  appeals: AppealsTable;
}
