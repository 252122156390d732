/** HTTP for the payer gateway's operators: per-payer circuit state and settings, sandbox faults and plans. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { ConflictError, invalidField } from '../../platform/errors.ts';
import { auditActor } from '../../platform/http/context.ts';
import { problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { SANDBOX_PLANS } from './plans.ts';
import type { SandboxFault } from './sandbox.ts';
import type { PayersService } from './service.ts';

const READ: Role[] = ['admin', 'biller', 'front_desk', 'practice_manager'];
const tags = { tags: ['payer gateway'], security: SECURED };
const PayerParams = Type.Object({ payerId: Type.String({ minLength: 1, maxLength: 40 }) });

const Fault = Type.Object(
  {
    kind: Type.Union([
      Type.Literal('latency'),
      Type.Literal('timeout'),
      Type.Literal('unreachable'),
      Type.Literal('malformed'),
      Type.Literal('reject'),
    ]),
    ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 120_000, description: 'latency: added delay' })),
    code: Type.Optional(
      Type.String({ pattern: '^[0-9A-Z]{2}$', description: 'reject: AAA03 reason (42, 72, 75…)' }),
    ),
    followUp: Type.Optional(
      Type.String({ pattern: '^[A-Z]$', description: 'reject: AAA04 follow-up action' }),
    ),
    times: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'only the next N calls' })),
  },
  { additionalProperties: false, examples: [{ kind: 'reject', code: '42', followUp: 'R', times: 3 }] },
);

const SETTINGS_EXAMPLE = {
  timeoutMs: 5000,
  retries: 2,
  retryBaseMs: 200,
  breakerThreshold: 5,
  breakerCooldownMs: 30_000,
};

export function payerRoutes(app: App, service: PayersService): void {
  const known = async (payerId: string) => {
    if (!(await service.listPayers()).some((p) => p.id === payerId))
      throw invalidField('/payerId', `unknown payer '${payerId}'`);
  };
  const audit = (
    request: Parameters<typeof auditActor>[0],
    action: string,
    payerId: string,
    details: Record<string, unknown> = {},
  ) => service.recordOperatorAction({ ...auditActor(request), action, payerId, details });

  app.get(
    '/v1/payer-gateway',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: "The gateway in use and each payer's circuit breaker, call settings and injected fault",
        response: {
          200: Type.Object(
            {
              gateway: Type.String(),
              payers: Type.Array(
                Type.Object({
                  payerId: Type.String(),
                  name: Type.String(),
                  breaker: Type.Object({
                    state: Type.String(),
                    consecutiveFailures: Type.Integer(),
                    retryAfterSeconds: Type.Union([Type.Integer(), Type.Null()]),
                  }),
                  settings: Type.Object({
                    timeoutMs: Type.Integer(),
                    retries: Type.Integer(),
                    retryBaseMs: Type.Integer(),
                    breakerThreshold: Type.Integer(),
                    breakerCooldownMs: Type.Integer(),
                  }),
                  fault: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
                }),
              ),
            },
            {
              examples: [
                {
                  gateway: 'sandbox',
                  payers: [
                    {
                      payerId: 'anthem',
                      name: 'Anthem Blue Cross',
                      breaker: { state: 'closed', consecutiveFailures: 0, retryAfterSeconds: null },
                      settings: SETTINGS_EXAMPLE,
                      fault: null,
                    },
                    {
                      payerId: 'uhc',
                      name: 'UnitedHealthcare',
                      breaker: { state: 'open', consecutiveFailures: 5, retryAfterSeconds: 22 },
                      settings: SETTINGS_EXAMPLE,
                      fault: { kind: 'timeout' },
                    },
                  ],
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    async () => ({
      gateway: service.gateway.name,
      payers: (await service.listPayers()).map((p) => ({
        payerId: p.id,
        name: p.name,
        breaker: service.breakerState(p.id),
        settings: service.settings(p.id),
        fault: service.sandbox?.faultOf(p.id) ?? null,
      })),
    }),
  );

  app.get(
    '/v1/payer-gateway/plans',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: "The sandbox payers' plans (deductibles, copays, prior-auth and non-covered codes)",
        response: {
          200: Type.Array(Type.Object({}, { additionalProperties: true }), {
            examples: [[SANDBOX_PLANS[0]]],
          }),
          ...problemResponses,
        },
      },
    },
    async () => [...service.plans()],
  );

  app.put(
    '/v1/payer-gateway/sandbox/faults/:payerId',
    {
      config: { auth: ['admin'] },
      schema: {
        ...tags,
        summary: 'Inject a fault into a sandbox payer (latency, timeout, unreachable, malformed, AAA reject)',
        params: PayerParams,
        body: Fault,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      const { payerId } = request.params;
      await known(payerId);
      if (!service.sandbox)
        throw new ConflictError('faults can only be injected into the sandbox clearinghouse');
      const { times, ...f } = request.body;
      if (f.kind === 'latency' && !f.ms) throw invalidField('/ms', 'is required for latency');
      if (f.kind === 'reject' && !f.code) throw invalidField('/code', 'is required for reject');
      service.sandbox.setFault(payerId, f as SandboxFault, times);
      await audit(request, 'payer.sandbox.fault', payerId, { kind: f.kind, times: times ?? null });
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/v1/payer-gateway/sandbox/faults/:payerId',
    {
      config: { auth: ['admin'] },
      schema: {
        ...tags,
        summary: "Clear a sandbox payer's injected fault",
        params: PayerParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await known(request.params.payerId);
      service.sandbox?.setFault(request.params.payerId, null);
      await audit(request, 'payer.sandbox.fault_cleared', request.params.payerId);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/payer-gateway/:payerId/reset',
    {
      config: { auth: ['admin'] },
      schema: {
        ...tags,
        summary: "Close a payer's circuit breaker (the payer is known to be back)",
        params: PayerParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await known(request.params.payerId);
      service.resetBreaker(request.params.payerId);
      await audit(request, 'payer.breaker.reset', request.params.payerId);
      return reply.code(204).send(null);
    },
  );
}
