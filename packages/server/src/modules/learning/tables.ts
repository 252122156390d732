/** Tables of the learning module. */
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json<T extends object | null> = JSONColumnType<T, string, string>;
type JsonDefault<T extends object> = ColumnType<T, string | undefined, string>;

export interface TrainingStep {
  step: number;
  loss: number;
  learningRate?: number;
  evalLoss?: number;
}

export interface LearningInteractionsTable {
  id: Generated<string>;
  doctor_id: string;
  practice_id: string;
  interaction_type: string;
  input_text: string;
  output_text: string;
  feedback: string | null;
  satisfaction: number | null;
  workflow_context: Json<Record<string, unknown>>;
  patterns: Json<Record<string, unknown>>;
  quality: boolean;
  phi_spans: number;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface LearningStateTable {
  doctor_id: string;
  practice_id: string;
  total_interactions: Generated<number>;
  quality_since_training: Generated<number>;
  retraining_jobs: Generated<number>;
  /** Weighted evidence of preference shifts: format (+1 bullets … -1 prose). */
  signals: JsonDefault<Record<string, number>>;
  last_training_at: Timestamp | null;
  last_trigger_at: Timestamp | null;
  updated_at: Timestamp;
}

export interface TrainingDatasetsTable {
  id: Generated<string>;
  doctor_id: string;
  practice_id: string;
  content_hash: string;
  train_jsonl: string;
  eval_jsonl: string;
  train_count: number;
  eval_count: number;
  sources: Json<{ samples: number; interactions: number; dropped: number }>;
  created_by: string | null;
  created_at: CreatedAt;
}

export interface TrainingJobsTable {
  id: Generated<string>;
  doctor_id: string;
  practice_id: string;
  dataset_id: string | null;
  base_model: string;
  config: Json<Record<string, unknown>>;
  trigger: 'manual' | 'retraining';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  steps: JsonDefault<TrainingStep[]>;
  train_loss: number | null;
  eval_loss: number | null;
  duration_seconds: number | null;
  samples: number | null;
  adapter_path: string | null;
  model_version_id: string | null;
  error: string | null;
  created_by: string | null;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
}

export interface LearningTables {
  learning_interactions: LearningInteractionsTable;
  learning_state: LearningStateTable;
  training_datasets: TrainingDatasetsTable;
  training_jobs: TrainingJobsTable;
}
