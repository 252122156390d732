/** HTTP for the charge master and claims: translation only. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import {
  EXAMPLE_ID,
  IdParams,
  ListOf,
  Page,
  problemResponses,
  SECURED,
} from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { idempotent } from '../../platform/idempotency.ts';
import type { Platform } from '../../platform/platform.ts';
import { accessContext } from '../patients/routes.ts';
import type { ClaimRiskService } from './risk.ts';
import {
  ChargeMasterEntry,
  Claim,
  ClaimDocument,
  ClaimEvent,
  ClaimInput,
  ClaimSearch,
  SubmissionReport,
  ValidationReport,
} from './schemas.ts';
import type { ClaimsService } from './service.ts';

const CLAIM_READ: Role[] = ['admin', 'biller', 'physician', 'practice_manager', 'service'];
const CLAIM_WRITE: Role[] = ['admin', 'biller', 'service'];
const schema = { tags: ['claims'], security: SECURED };
const IdempotencyHeaders = Type.Object({
  'idempotency-key': Type.Optional(
    Type.String({ description: 'retries with the same key and body get the first answer' }),
  ),
});

function idempotencyKey(request: FastifyRequest): string | undefined {
  const value = request.headers['idempotency-key'];
  return Array.isArray(value) ? value[0] : value;
}

async function sendIdempotent<T>(
  platform: Platform,
  request: FastifyRequest,
  reply: FastifyReply,
  scope: string,
  status: number,
  run: () => Promise<T>,
) {
  const result = await idempotent(
    platform.db,
    `${scope}:${request.principal?.practiceId}`,
    idempotencyKey(request),
    request.body ?? request.params,
    async () => ({
      status,
      body: await run(),
    }),
  );
  if (result.replayed) reply.header('idempotent-replayed', 'true');
  return reply.code(result.status).send(result.body);
}

const Risk = Type.Object(
  {
    claimId: Type.String(),
    probability: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'calibrated probability that the payer denies the claim in whole or part',
    }),
    level: Type.String(),
    factors: Type.Array(
      Type.Object({ feature: Type.String(), label: Type.String(), contribution: Type.Number() }),
    ),
    suggestions: Type.Array(Type.String()),
    model: Type.Object({
      versionId: Type.String(),
      version: Type.Integer(),
      auc: Type.Union([Type.Number(), Type.Null()]),
    }),
  },
  {
    examples: [
      {
        claimId: EXAMPLE_ID.claim,
        probability: 0.34,
        level: 'medium',
        factors: [
          { feature: 'code=73721', label: 'procedure 73721', contribution: 0.412 },
          { feature: 'no_prior_auth', label: 'no prior authorization on the claim', contribution: 0.287 },
          { feature: 'payer=anthem', label: 'payer anthem', contribution: 0.064 },
        ],
        suggestions: [
          'Review coding and documentation for 73721: it is often denied by this payer.',
          'Check whether the payer requires prior authorization for these codes and attach the number (REF G1).',
          'Verify eligibility and the plan’s rules with anthem before submitting.',
        ],
        model: { versionId: EXAMPLE_ID.model, version: 3, auc: 0.81 },
      },
    ],
  },
);

export function claimRoutes(
  app: App,
  service: ClaimsService,
  platform: Platform,
  risk: ClaimRiskService,
): void {
  app.get(
    '/v1/claims/:id/risk',
    {
      config: { auth: CLAIM_READ },
      schema: {
        ...schema,
        summary: 'Denial risk: calibrated probability, top factors and suggestions',
        params: IdParams,
        response: { 200: Risk, ...problemResponses },
      },
    },
    (request) => risk.risk(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/claims/risk-model/train',
    {
      config: { auth: ['admin', 'biller'] },
      schema: {
        ...schema,
        summary: "Queue retraining of the denial-risk model on the practice's adjudicated claims",
        response: {
          202: Type.Object(
            { jobId: Type.Union([Type.String(), Type.Null()]) },
            { examples: [{ jobId: '0142b8ba-2023-4929-a4d6-a8344f664abc' }] },
          ),
          ...problemResponses,
        },
      },
    },
    async (request, reply) =>
      reply.code(202).send({ jobId: await risk.enqueueTraining(accessContext(request).practiceId) }),
  );

  app.get(
    '/v1/charge-master',
    {
      config: { auth: [...CLAIM_READ, 'front_desk'] },
      schema: {
        ...schema,
        summary: "The practice's charge master",
        response: { 200: ListOf(ChargeMasterEntry), ...problemResponses },
      },
    },
    (request) => service.chargeMaster(accessContext(request).practiceId),
  );

  app.put(
    '/v1/charge-master',
    {
      config: { auth: ['admin', 'biller'] },
      schema: {
        ...schema,
        summary: 'Set the price of a code (and modifier)',
        body: ChargeMasterEntry,
        response: { 200: ChargeMasterEntry, ...problemResponses },
      },
    },
    (request) => service.setCharge(accessContext(request), request.body),
  );

  app.post(
    '/v1/claims',
    {
      config: { auth: CLAIM_WRITE },
      schema: {
        ...schema,
        summary: 'Create a claim directly (Idempotency-Key honored)',
        headers: IdempotencyHeaders,
        body: ClaimInput,
        response: { 201: Claim, ...problemResponses },
      },
    },
    (request, reply) =>
      sendIdempotent(platform, request, reply, 'claims.create', 201, () =>
        service.createClaim(accessContext(request), request.body),
      ),
  );

  app.post(
    '/v1/encounters/:id/claim',
    {
      config: { auth: CLAIM_WRITE },
      schema: {
        ...schema,
        summary: 'Charge capture: a claim from an encounter (Idempotency-Key honored)',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: { 201: Claim, ...problemResponses },
      },
    },
    (request, reply) =>
      sendIdempotent(platform, request, reply, `claims.from-encounter.${request.params.id}`, 201, () =>
        service.createFromEncounter(accessContext(request), request.params.id),
      ),
  );

  app.get(
    '/v1/claims',
    {
      config: { auth: CLAIM_READ },
      schema: {
        ...schema,
        summary: 'Claims, newest first',
        querystring: ClaimSearch,
        response: { 200: Page(Claim), ...problemResponses },
      },
    },
    (request) => service.listClaims(accessContext(request), request.query),
  );

  app.get(
    '/v1/claims/:id',
    {
      config: { auth: CLAIM_READ },
      schema: {
        ...schema,
        summary: 'A claim with its lines',
        params: IdParams,
        response: { 200: Claim, ...problemResponses },
      },
    },
    (request) => service.getClaim(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/claims/:id/events',
    {
      config: { auth: CLAIM_READ },
      schema: {
        ...schema,
        summary: "The claim's state history",
        params: IdParams,
        response: { 200: ListOf(ClaimEvent), ...problemResponses },
      },
    },
    (request) => service.events(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/claims/:id/x12',
    {
      config: { auth: ['admin', 'biller', 'service'] },
      schema: {
        ...schema,
        summary: 'The X12 exchanged for the claim (837, 999, 277CA, 835)',
        params: IdParams,
        response: { 200: ListOf(ClaimDocument), ...problemResponses },
      },
    },
    (request) => service.documents(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/claims/:id/validate',
    {
      config: { auth: CLAIM_WRITE },
      schema: {
        ...schema,
        summary: 'Scrub the claim: every problem with its path and a fix',
        params: IdParams,
        response: { 200: ValidationReport, ...problemResponses },
      },
    },
    (request) => service.validateClaim(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/claims/:id/submit',
    {
      config: { auth: CLAIM_WRITE },
      schema: {
        ...schema,
        summary: 'Submit a validated claim as an 837 (Idempotency-Key honored)',
        headers: IdempotencyHeaders,
        params: IdParams,
        response: {
          200: SubmissionReport,
          422: problemResponses[400],
          502: problemResponses[500],
          503: problemResponses[500],
          504: problemResponses[500],
          ...problemResponses,
        },
      },
    },
    (request, reply) =>
      sendIdempotent(platform, request, reply, `claims.submit.${request.params.id}`, 200, () =>
        service.submitClaim(accessContext(request), request.params.id),
      ),
  );
}
