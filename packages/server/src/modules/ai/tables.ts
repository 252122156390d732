/** Tables of the AI gateway. */
import type { ColumnType, Generated } from 'kysely';

export interface AiInteractionsTable {
  id: Generated<string>;
  practice_id: string | null;
  actor_id: string | null;
  feature: string;
  provider: string;
  model: string;
  prompt_hash: string;
  prompt_tokens: number;
  completion_tokens: number;
  latency_ms: number;
  attempts: number;
  streamed: boolean;
  tool_calls: number;
  phi_redactions: number;
  outcome: 'ok' | 'error' | 'timeout' | 'invalid_output';
  error: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
}

export interface AiTables {
  ai_interactions: AiInteractionsTable;
}
