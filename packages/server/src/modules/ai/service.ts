/** The AI layer's service: the gateway and its traces. Other modules call `gateway.chat()` / `gateway.stream()`. */

import { afterCreatedAt, microsKey, timestampCursor } from '../../platform/db/keyset.ts';
import { encodeCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import { LlmGateway } from './gateway.ts';

export interface InteractionTrace {
  id: string;
  feature: string;
  provider: string;
  model: string;
  promptHash: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  attempts: number;
  streamed: boolean;
  toolCalls: number;
  phiRedactions: number;
  outcome: string;
  error: string | null;
  createdAt: string;
}

export class AiService {
  readonly #p: Platform;
  readonly gateway: LlmGateway;

  constructor(platform: Platform) {
    this.#p = platform;
    this.gateway = new LlmGateway(platform);
  }

  async listInteractions(
    practiceId: string | null,
    query: { limit?: number; cursor?: string; feature?: string; outcome?: string },
  ): Promise<{ items: InteractionTrace[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const after = timestampCursor(query.cursor);
    let q = this.#p.db
      .selectFrom('ai_interactions')
      .selectAll()
      .select(microsKey('created_at').as('cursor_at'))
      .where((eb) =>
        practiceId === null
          ? eb('practice_id', 'is', null)
          : eb.or([eb('practice_id', '=', practiceId), eb('practice_id', 'is', null)]),
      );
    if (query.feature) q = q.where('feature', '=', query.feature);
    if (query.outcome) q = q.where('outcome', '=', query.outcome as 'ok');
    if (after) q = q.where(afterCreatedAt(after));
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        id: r.id,
        feature: r.feature,
        provider: r.provider,
        model: r.model,
        promptHash: r.prompt_hash,
        promptTokens: r.prompt_tokens,
        completionTokens: r.completion_tokens,
        latencyMs: r.latency_ms,
        attempts: r.attempts,
        streamed: r.streamed,
        toolCalls: r.tool_calls,
        phiRedactions: r.phi_redactions,
        outcome: r.outcome,
        error: r.error,
        createdAt: r.created_at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
    };
  }
}
