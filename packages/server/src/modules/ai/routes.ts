/** HTTP for the LLM gateway: its configuration (no secrets) and the per-call traces. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { practiceOf } from '../../platform/http/context.ts';
import {
  EXAMPLE_ID,
  IsoDateTime,
  Page,
  PageQuery,
  problemResponses,
  SECURED,
} from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { AiService } from './service.ts';

const READ: Role[] = ['admin', 'compliance_officer', 'practice_manager'];

const GatewayStatus = Type.Object(
  {
    configured: Type.Boolean(),
    provider: Type.String({ examples: ['ollama'] }),
    model: Type.Union([Type.String(), Type.Null()]),
    local: Type.Boolean(),
    phiGuard: Type.String({ examples: ['pseudonymize'] }),
    timeoutMs: Type.Integer(),
    maxRetries: Type.Integer(),
  },
  {
    examples: [
      {
        configured: true,
        provider: 'ollama',
        model: 'llama3.1:8b-instruct-q4_K_M',
        local: true,
        phiGuard: 'pseudonymize',
        timeoutMs: 30_000,
        maxRetries: 2,
      },
    ],
  },
);

const Interaction = Type.Object(
  {
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
  },
  {
    examples: [
      {
        id: EXAMPLE_ID.interaction,
        feature: 'personalization.generate.style_prompting',
        provider: 'ollama',
        model: 'llama3.1:8b-instruct-q4_K_M',
        promptHash: '3f6c1a9e8b2d4f7a0c5e9b1d3a6f8c2e4b7d9a1c3e5f7b9d2a4c6e8f0b1d3a5c',
        promptTokens: 812,
        completionTokens: 164,
        latencyMs: 2_340,
        attempts: 1,
        streamed: false,
        toolCalls: 0,
        phiRedactions: 3,
        outcome: 'ok',
        error: null,
        createdAt: '2026-03-14T15:30:00.000Z',
      },
    ],
  },
);

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
          200: Page(Interaction),
          ...problemResponses,
        },
      },
    },
    (request) => service.listInteractions(practiceOf(request), request.query),
  );
}
