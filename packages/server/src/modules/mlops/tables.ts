/** Tables of the model registry. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
type JsonDefault<T extends object> = ColumnType<T, string | undefined, string>;

export type ValidationStatus = 'pending' | 'validated' | 'rejected' | 'requires_review';
export type VersionStatus = 'candidate' | 'deploying' | 'active' | 'retired' | 'rolled_back';

export interface GateResult {
  gate: string;
  passed: boolean;
  /** A failed blocking gate rejects the version; a failed advisory gate asks for a human review. */
  blocking: boolean;
  detail: string;
  measured?: Record<string, number | string | null>;
}

export interface Observation {
  score: number;
  at: string;
  source?: string;
}

export interface ModelVersionsTable {
  id: Generated<string>;
  practice_id: string;
  kind: string;
  name: string;
  version: number;
  subject_id: string | null;
  base_model: string | null;
  artifact_uri: string | null;
  training_data_hash: string | null;
  training_job_id: string | null;
  metrics: Json<Record<string, number>>;
  evaluation: Json<Record<string, unknown>>;
  validation_status: ColumnType<ValidationStatus, ValidationStatus | undefined, ValidationStatus>;
  gate_results: Json<GateResult[]> | null;
  validated_by: string | null;
  validated_at: Timestamp | null;
  review_notes: string | null;
  status: ColumnType<VersionStatus, VersionStatus | undefined, VersionStatus>;
  created_by: string | null;
  created_at: CreatedAt;
  activated_at: Timestamp | null;
}

export interface ModelDeploymentsTable {
  id: Generated<string>;
  practice_id: string;
  model_version_id: string;
  previous_version_id: string | null;
  strategy: 'immediate' | 'gradual' | 'staged';
  traffic_share: number;
  stages: JsonDefault<number[]>;
  stage: Generated<number>;
  rollback_threshold: number;
  baseline_score: number | null;
  min_observations: Generated<number>;
  observations: JsonDefault<Observation[]>;
  status: 'in_progress' | 'completed' | 'rolled_back';
  reason: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface MlopsTables {
  model_versions: ModelVersionsTable;
  model_deployments: ModelDeploymentsTable;
}
