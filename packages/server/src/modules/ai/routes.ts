/** HTTP for the LLM gateway: its configuration (no secrets) and the per-call traces. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { practiceOf } from '../../platform/http/context.ts';
import { IsoDateTime, PageQuery, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { AiService } from './service.ts';

const READ: Role[] = ['admin', 'compliance_officer', 'practice_manager'];

const GatewayStatus = Type.Object({
  configured: Type.Boolean(),
  provider: Type.String({ examples: ['ollama'] }),
  model: Type.Union([Type.String(), Type.Null()]),
  local: Type.Boolean(),
  phiGuard: Type.String({ examples: ['pseudonymize'] }),
  timeoutMs: Type.Integer(),
  maxRetries: Type.Integer(),
});

const Interaction = Type.Object({
  id: Type.String(),
  feature: Type.String(),
  provider: Type.String(),
  model: Type.String(),
  promptHash: Type.String({
    description: 'sha256 of the (de-identified) prompt; the prompt is never stored',
  }),
  promptTokens: Type.Integer(),
  completionTokens: Type.Integer(),
  latencyMs: Type.Integer(),
  attempts: Type.Integer(),
  streamed: Type.Boolean(),
  toolCalls: Type.Integer(),
  phiRedactions: Type.Integer(),
  outcome: Type.String(),
  error: Type.Union([Type.String(), Type.Null()]),
  createdAt: IsoDateTime,
});

export function aiRoutes(app: App, service: AiService): void {
  app.get(
    '/v1/ai/gateway',
    {
      config: { auth: READ },
      schema: {
        tags: ['ai'],
        security: SECURED,
        summary: 'The LLM gateway: provider, model, PHI guard, timeout and retries (no secrets)',
        response: { 200: GatewayStatus, ...problemResponses },
      },
    },
    () => service.gateway.status(),
  );

  app.get(
    '/v1/ai/interactions',
    {
      config: { auth: READ },
      schema: {
        tags: ['ai'],
        security: SECURED,
        summary: "Traces of the practice's LLM calls, newest first",
        querystring: Type.Object({
          ...PageQuery,
          feature: Type.Optional(Type.String({ maxLength: 100 })),
          outcome: Type.Optional(
            Type.Union([
              Type.Literal('ok'),
              Type.Literal('error'),
              Type.Literal('timeout'),
              Type.Literal('invalid_output'),
            ]),
          ),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Interaction),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    (request) => service.listInteractions(practiceOf(request), request.query),
  );
}
