/** The prior-auth module's tables: requests with their decisions, and every status change. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface PriorAuthService {
  code: string;
  modifiers: string[];
  units: number;
  serviceType: string;
  from: string;
  to: string;
  /** HCR01 of the payer's answer: A1 certified, A2 partial, A3 not certified, A4 pended, NA not required. */
  decision: string | null;
  certificationNumber: string | null;
  authorizedUnits: number | null;
  authorizedFrom: string | null;
  authorizedTo: string | null;
}

export interface PriorAuthsTable {
  id: Generated<string>;
  seq: Generated<number>;
  practice_id: string;
  patient_id: string;
  payer_id: string;
  provider_id: string;
  provider_npi: string;
  /** submitted, pended, approved, partially_approved, denied, expired. */
  status: string;
  urgency: string;
  services: JSONColumnType<PriorAuthService[], string, string>;
  diagnoses: JSONColumnType<string[], string, string>;
  justification_enc: string;
  attachments: JSONColumnType<
    Array<{ name: string; kind: string; pages?: number; controlNumber?: string }>,
    string,
    string
  >;
  requirement_reasons: JSONColumnType<string[], string, string>;
  tracking_number: string | null;
  certification_number: string | null;
  authorized_units: number | null;
  authorized_from: string | null;
  authorized_to: string | null;
  decision_date: string | null;
  decision_reason: string | null;
  expected_decision_date: string;
  submitted_at: Timestamp;
  last_polled_at: Timestamp | null;
  polls: Generated<number>;
  reminder_sent_at: Timestamp | null;
  last_transaction_id: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PriorAuthEventsTable {
  id: Generated<string>;
  prior_auth_id: string;
  from_status: string | null;
  to_status: string;
  detail: string;
  transaction_id: string | null;
  actor_id: string | null;
  at: CreatedAt;
}

export interface PriorAuthTables {
  prior_auths: PriorAuthsTable;
  prior_auth_events: PriorAuthEventsTable;
}
