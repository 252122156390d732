/**
 * Kysely's view of the tables. Each module owns its tables (see migrations); this interface is the union so
 * queries are typed end to end. Encrypted PHI columns end in `_enc` (ciphertext envelopes from platform/crypto)
 * and their exact-match lookups in `_bidx` (HMAC blind indexes).
 */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { AiTables } from '../../modules/ai/tables.ts';
import type { ClaimsTables } from '../../modules/claims/tables.ts';
import type { ComplianceTables } from '../../modules/compliance/tables.ts';
import type { ContractsTables } from '../../modules/contracts/tables.ts';
import type { DenialsTables } from '../../modules/denials/tables.ts';
import type { EligibilityTables } from '../../modules/eligibility/tables.ts';
import type { LearningTables } from '../../modules/learning/tables.ts';
import type { MlopsTables } from '../../modules/mlops/tables.ts';
import type { PayersTables } from '../../modules/payers/tables.ts';
import type { PersonalizationTables } from '../../modules/personalization/tables.ts';
import type { PriorAuthTables } from '../../modules/prior-auth/tables.ts';
import type { RemittanceTables } from '../../modules/remittance/tables.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface PracticesTable {
  id: Generated<string>;
  name: string;
  npi: string | null;
  tax_id: string | null;
  address: Json<Record<string, string>>;
  phone: string | null;
  timezone: string;
  created_at: CreatedAt;
}

export interface RolesTable {
  name: string;
  description: string;
}

export interface UsersTable {
  id: Generated<string>;
  practice_id: string | null;
  email: string;
  password_hash: string;
  role: string;
  full_name: string;
  provider_id: string | null;
  active: Generated<boolean>;
  failed_login_count: Generated<number>;
  locked_until: Timestamp | null;
  last_login_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface ApiKeysTable {
  id: Generated<string>;
  practice_id: string | null;
  name: string;
  prefix: string;
  secret_hash: string;
  role: string;
  created_by: string | null;
  created_at: CreatedAt;
  last_used_at: Timestamp | null;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface RefreshTokensTable {
  id: Generated<string>;
  user_id: string;
  family_id: string;
  token_hash: string;
  expires_at: Timestamp;
  revoked_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SettingsTable {
  scope: string;
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface EncryptionKeysTable {
  id: string;
  kind: 'data' | 'index';
  wrapped_key: string;
  master_key_id: string;
  status: 'active' | 'retired';
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number;
  response: ColumnType<unknown, string, string>;
  created_at: CreatedAt;
}

export interface AuditEventsTable {
  seq: number;
  occurred_at: Date;
  practice_id: string | null;
  actor_type: string;
  actor_id: string | null;
  actor_role: string | null;
  action: string;
  resource_type: string | null;
  resource_id: string | null;
  purpose: string | null;
  outcome: string;
  ip: string | null;
  user_agent: string | null;
  request_id: string | null;
  details: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditChainHeadTable {
  id: number;
  last_seq: number;
  last_hash: string;
  updated_at: Timestamp;
}

export interface PayersTable {
  id: string;
  name: string;
  x12_payer_id: string;
  kind: string;
  active: Generated<boolean>;
}

export interface ProvidersTable {
  id: Generated<string>;
  practice_id: string;
  npi: string;
  kind: 'individual' | 'organization';
  first_name: string | null;
  last_name: string;
  credentials: string | null;
  taxonomy_code: string | null;
  specialty: string | null;
  is_default_rendering: Generated<boolean>;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface PatientsTable {
  id: Generated<string>;
  practice_id: string;
  mrn: string;
  first_name_enc: string;
  last_name_enc: string;
  dob_enc: string;
  ssn_enc: string | null;
  address_enc: string | null;
  phone_enc: string | null;
  email_enc: string | null;
  notes_enc: string | null;
  sex: string;
  first_name_bidx: string;
  last_name_bidx: string;
  dob_bidx: string;
  ssn_bidx: string | null;
  phone_bidx: string | null;
  key_id: string;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CoveragesTable {
  id: Generated<string>;
  patient_id: string;
  payer_id: string;
  priority: number;
  plan_name: string | null;
  plan_type: string | null;
  group_number: string | null;
  member_id_enc: string;
  member_id_bidx: string;
  relationship: string;
  subscriber_enc: string | null;
  effective_date: string;
  termination_date: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EncountersTable {
  id: Generated<string>;
  practice_id: string;
  patient_id: string;
  provider_id: string;
  appointment_id: string | null;
  date_of_service: string;
  place_of_service: string;
  encounter_type: string;
  status: string;
  diagnoses: Json<Array<{ code: string; description?: string }>>;
  procedures: Json<
    Array<{
      code: string;
      modifiers?: string[];
      units: number;
      chargeCents?: number;
      diagnosisPointers?: number[];
    }>
  >;
  prior_auth_number: string | null;
  notes_enc: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface AppointmentsTable {
  id: Generated<string>;
  practice_id: string;
  patient_id: string;
  provider_id: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  status: string;
  appointment_type: string;
  reason_enc: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

/** The platform's own tables and the patients module's. Modules add theirs by extending `Database` below. */
export interface CoreTables {
  practices: PracticesTable;
  roles: RolesTable;
  users: UsersTable;
  api_keys: ApiKeysTable;
  refresh_tokens: RefreshTokensTable;
  settings: SettingsTable;
  encryption_keys: EncryptionKeysTable;
  idempotency_keys: IdempotencyKeysTable;
  audit_events: AuditEventsTable;
  audit_chain_head: AuditChainHeadTable;
  payers: PayersTable;
  providers: ProvidersTable;
  patients: PatientsTable;
  coverages: CoveragesTable;
  encounters: EncountersTable;
  appointments: AppointmentsTable;
}

/**
 * Every table Kysely knows. A module that owns tables declares them in its own `tables.ts` as an interface and
 * adds it to this list.
 */
export interface Database
  extends CoreTables,
    ClaimsTables,
    RemittanceTables,
    DenialsTables,
    ComplianceTables,
    AiTables,
    PersonalizationTables,
    LearningTables,
    MlopsTables,
    PayersTables,
    EligibilityTables,
    PriorAuthTables,
    ContractsTables {}
