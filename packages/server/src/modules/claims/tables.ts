import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface ChargeMasterTable {
  practice_id: string;
  code: string;
  modifier: Generated<string>;
  description: string;
  charge_cents: number;
  active: Generated<boolean>;
  updated_at: Timestamp;
}

export interface ClaimsTable {
  id: Generated<string>;
  practice_id: string;
  patient_id: string;
  coverage_id: string;
  payer_id: string;
  encounter_id: string | null;
  kind: 'professional' | 'institutional';
  patient_control_number: string;
  billing_provider_id: string | null;
  rendering_provider_id: string | null;
  place_of_service: string;
  frequency_code: Generated<string>;
  diagnoses: JSONColumnType<string[], string, string>;
  prior_auth_number: string | null;
  service_date_from: string;
  service_date_to: string;
  total_charge_cents: number;
  status: string;
  payer_claim_number: string | null;
  paid_cents: Generated<number>;
  patient_responsibility_cents: Generated<number>;
  adjustment_cents: Generated<number>;
  submitted_at: Timestamp | null;
  created_by: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ClaimLinesTable {
  claim_id: string;
  line_number: number;
  procedure_code: string;
  modifiers: string[];
  units: number;
  charge_cents: number;
  diagnosis_pointers: number[];
  service_date: string;
  place_of_service: string | null;
  revenue_code: string | null;
  line_control_number: string;
}

export interface ClaimEventsTable {
  id: Generated<number>;
  claim_id: string;
  from_status: string | null;
  to_status: string;
  actor_id: string | null;
  reason: string;
  details: JSONColumnType<Record<string, unknown>, string, string>;
  occurred_at: Timestamp;
}

export interface ClaimDocumentsTable {
  id: Generated<number>;
  claim_id: string;
  kind: string;
  x12_enc: string;
  created_at: Timestamp;
}

export interface DenialRiskModelsTable {
  model_version_id: string;
  practice_id: string;
  model: JSONColumnType<import('./risk-model.ts').RiskModel, string, string>;
  created_at: Timestamp;
}

export interface ClaimsTables {
  denial_risk_models: DenialRiskModelsTable;
  charge_master: ChargeMasterTable;
  claims: ClaimsTable;
  claim_lines: ClaimLinesTable;
  claim_events: ClaimEventsTable;
  claim_documents: ClaimDocumentsTable;
}
