/** Tables of the personalization module. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { DoctorPreferences } from './preferences.ts';
import type { StyleState, TextFeatures } from './style.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;

export interface DoctorPreferencesTable {
  doctor_id: string;
  practice_id: string;
  preferences: Json<DoctorPreferences>;
  explicit_fields: Json<string[]>;
  version: number;
  updated_by: string | null;
  updated_at: Timestamp;
}

export interface DoctorPreferenceVersionsTable {
  id: Generated<string>;
  doctor_id: string;
  version: number;
  preferences: Json<DoctorPreferences>;
  changed: Json<string[]>;
  source: 'user' | 'learning' | 'seed_api';
  actor_id: string | null;
  created_at: CreatedAt;
}

export interface WritingSamplesTable {
  id: Generated<string>;
  doctor_id: string;
  practice_id: string;
  sample_type: string;
  content: string;
  content_enc: string;
  phi_spans: number;
  content_hash: string;
  metadata: Json<Record<string, unknown>>;
  features: Json<TextFeatures>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface StyleProfilesTable {
  doctor_id: string;
  practice_id: string;
  state: Json<StyleState>;
  samples: Generated<number>;
  interactions: Generated<number>;
  updated_at: Timestamp;
}

export interface PersonalizationTables {
  doctor_preferences: DoctorPreferencesTable;
  doctor_preference_versions: DoctorPreferenceVersionsTable;
  writing_samples: WritingSamplesTable;
  style_profiles: StyleProfilesTable;
}
