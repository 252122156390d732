/** HTTP for the model registry: versions, safety gates, reviews, deployments, rollbacks, audit reports. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import {
  EXAMPLE_ID,
  IdParams,
  IsoDateTime,
  ListOf,
  problemResponses,
  SECURED,
  Uuid,
} from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { MlopsService } from './service.ts';

const READ: Role[] = ['admin', 'compliance_officer', 'practice_manager', 'service'];
const REGISTER: Role[] = ['admin', 'service'];
const REVIEW: Role[] = ['admin', 'compliance_officer'];
const DEPLOY: Role[] = ['admin'];
const OBSERVE: Role[] = ['admin', 'service'];
const tags = { tags: ['mlops'], security: SECURED };
const open = { additionalProperties: true } as const;

/** A doctor's LoRA adapter that passed its safety gates. */
const MODEL_VERSION_EXAMPLE = {
  id: EXAMPLE_ID.model,
  kind: 'lora_adapter',
  name: 'doctor-9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69',
  version: 1,
  subjectId: EXAMPLE_ID.provider,
  baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
  artifactUri: '/var/lib/intelluxe/adapters/9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69/v1',
  trainingDataHash: '7262ce117263da529ba4744f4993e6e9441c7287c72393177b117b5e9b8e46f9',
  trainingJobId: EXAMPLE_ID.trainingJob,
  metrics: {
    samples: 22,
    eval_loss: 0.9236,
    train_loss: 0.8436,
    duration_seconds: 0.005,
  },
  validationStatus: 'validated',
  gateResults: [
    {
      gate: 'no_regression',
      passed: true,
      blocking: true,
      detail: 'no active version to regress against',
    },
    {
      gate: 'phi_leak',
      passed: true,
      blocking: true,
      detail: '2 generated samples contain no PHI',
      measured: {
        leaking: 0,
        samples: 2,
      },
    },
    {
      gate: 'style_match',
      passed: true,
      blocking: true,
      detail: "style match 0.99 above the base model's 0.819",
      measured: {
        base: 0.819,
        candidate: 0.99,
      },
    },
  ],
  validatedBy: EXAMPLE_ID.user,
  validatedAt: '2026-03-14T18:25:50.964Z',
  reviewNotes: null,
  status: 'candidate',
  createdBy: 'learning-trainer',
  createdAt: '2026-03-14T18:25:50.921Z',
  activatedAt: null,
};

/** A deployment of that version; with no version active before, it was activated at once. */
const DEPLOYMENT_EXAMPLE = {
  id: EXAMPLE_ID.deployment,
  modelVersionId: EXAMPLE_ID.model,
  previousVersionId: null,
  strategy: 'gradual',
  trafficShare: 1,
  stages: [],
  stage: 0,
  rollbackThreshold: 0.95,
  baselineScore: null,
  minObservations: 20,
  observations: [],
  candidateScore: null,
  status: 'completed',
  reason: 'no active version: activated at once',
  createdAt: '2026-03-14T18:25:50.977Z',
  updatedAt: '2026-03-14T18:25:50.980Z',
};

const TRAINER_ACTOR = { type: 'system', id: 'learning-trainer', role: null };
const AUDIT_REPORT_EXTRA = {
  generatedAt: '2026-03-14T18:25:51.007Z',
  lineage: {
    baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
    trainingDataHash: '7262ce117263da529ba4744f4993e6e9441c7287c72393177b117b5e9b8e46f9',
    trainingJobId: EXAMPLE_ID.trainingJob,
    artifactUri: '/var/lib/intelluxe/adapters/9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69/v1',
  },
  gates: MODEL_VERSION_EXAMPLE.gateResults,
  deployments: [DEPLOYMENT_EXAMPLE],
  events: [
    {
      at: '2026-03-14T18:25:50.925Z',
      action: 'mlops.model.register',
      actor: TRAINER_ACTOR,
      outcome: 'success',
      details: {
        kind: 'lora_adapter',
        name: 'doctor-9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69',
        version: 1,
        trainingDataHash: '7262ce117263da529ba4744f4993e6e9441c7287c72393177b117b5e9b8e46f9',
      },
    },
    {
      at: '2026-03-14T18:25:50.930Z',
      action: 'mlops.model.validate',
      actor: TRAINER_ACTOR,
      outcome: 'success',
      details: {
        gates: [
          {
            gate: 'no_regression',
            passed: true,
          },
          {
            gate: 'phi_leak',
            passed: true,
          },
          {
            gate: 'style_match',
            passed: true,
          },
        ],
        status: 'validated',
      },
    },
  ],
};

const Gate = Type.Object(
  { gate: Type.String(), passed: Type.Boolean(), blocking: Type.Boolean(), detail: Type.String() },
  open,
);

const ModelVersion = Type.Object(
  {
    id: Uuid,
    kind: Type.String({ examples: ['lora_adapter', 'denial_risk', 'base_model'] }),
    name: Type.String(),
    version: Type.Integer(),
    subjectId: Type.Union([Type.String(), Type.Null()]),
    baseModel: Type.Union([Type.String(), Type.Null()]),
    artifactUri: Type.Union([Type.String(), Type.Null()]),
    trainingDataHash: Type.Union([Type.String(), Type.Null()]),
    trainingJobId: Type.Union([Type.String(), Type.Null()]),
    metrics: Type.Record(Type.String(), Type.Number()),
    validationStatus: Type.String({ examples: ['pending', 'validated', 'rejected', 'requires_review'] }),
    gateResults: Type.Union([Type.Array(Gate), Type.Null()]),
    validatedBy: Type.Union([Type.String(), Type.Null()]),
    validatedAt: Type.Union([IsoDateTime, Type.Null()]),
    reviewNotes: Type.Union([Type.String(), Type.Null()]),
    status: Type.String({ examples: ['candidate', 'deploying', 'active', 'retired', 'rolled_back'] }),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoDateTime,
    activatedAt: Type.Union([IsoDateTime, Type.Null()]),
  },
  { ...open, examples: [MODEL_VERSION_EXAMPLE] },
);

const Deployment = Type.Object(
  {
    id: Uuid,
    modelVersionId: Uuid,
    previousVersionId: Type.Union([Type.String(), Type.Null()]),
    strategy: Type.String(),
    trafficShare: Type.Number(),
    stages: Type.Array(Type.Number()),
    stage: Type.Integer(),
    rollbackThreshold: Type.Number(),
    baselineScore: Type.Union([Type.Number(), Type.Null()]),
    minObservations: Type.Integer(),
    observations: Type.Array(Type.Object({ score: Type.Number(), at: Type.String() }, open)),
    candidateScore: Type.Union([Type.Number(), Type.Null()]),
    status: Type.String(),
    reason: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  },
  { ...open, examples: [DEPLOYMENT_EXAMPLE] },
);

const RegisterInput = Type.Object(
  {
    kind: Type.String({ minLength: 2, maxLength: 50 }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    subjectId: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
    baseModel: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
    artifactUri: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
    trainingDataHash: Type.Optional(Type.Union([Type.String({ maxLength: 128 }), Type.Null()])),
    metrics: Type.Optional(Type.Record(Type.String(), Type.Number())),
    evaluation: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), {
        description:
          'Gate evidence: primaryMetric {name, higherIsBetter}, generations (texts for the PHI-leak check), baseGenerations (adapters)',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        kind: 'lora_adapter',
        name: MODEL_VERSION_EXAMPLE.name,
        subjectId: EXAMPLE_ID.provider,
        baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
        artifactUri: MODEL_VERSION_EXAMPLE.artifactUri,
        trainingDataHash: MODEL_VERSION_EXAMPLE.trainingDataHash,
        metrics: { eval_loss: 0.9236, train_loss: 0.8436 },
      },
    ],
  },
);

export function mlopsRoutes(app: App, service: MlopsService): void {
  app.post(
    '/v1/mlops/models',
    {
      config: { auth: REGISTER },
      schema: {
        ...tags,
        summary: 'Register a model version (any kind); it starts pending validation',
        body: RegisterInput,
        response: { 201: ModelVersion, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.register(accessContext(request), request.body)),
  );

  app.get(
    '/v1/mlops/models',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'Model versions, newest first',
        querystring: Type.Object({
          kind: Type.Optional(Type.String({ maxLength: 50 })),
          subjectId: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(Type.String({ maxLength: 20 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
        }),
        response: { 200: ListOf(ModelVersion), ...problemResponses },
      },
    },
    (request) => service.list(accessContext(request).practiceId, request.query),
  );

  app.get(
    '/v1/mlops/models/:id',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'One model version',
        params: IdParams,
        response: { 200: ModelVersion, ...problemResponses },
      },
    },
    (request) => service.get(accessContext(request).practiceId, request.params.id),
  );

  app.post(
    '/v1/mlops/models/:id/validate',
    {
      config: { auth: REGISTER },
      schema: {
        ...tags,
        summary: 'Run the safety gates (no regression, PHI leak, kind-specific such as style match)',
        params: IdParams,
        response: { 200: ModelVersion, ...problemResponses },
      },
    },
    (request) => service.validate(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/mlops/models/:id/review',
    {
      config: { auth: REVIEW },
      schema: {
        ...tags,
        summary: 'Decide on a version whose gates require review (blocking failures cannot be overridden)',
        params: IdParams,
        body: Type.Object(
          {
            decision: Type.Union([Type.Literal('validated'), Type.Literal('rejected')]),
            notes: Type.String({ minLength: 1, maxLength: 2000 }),
          },
          {
            additionalProperties: false,
            examples: [
              {
                decision: 'validated',
                notes: 'Reviewed 20 generated visit summaries: no PHI, style matches.',
              },
            ],
          },
        ),
        response: { 200: ModelVersion, ...problemResponses },
      },
    },
    (request) =>
      service.review(accessContext(request), request.params.id, request.body.decision, request.body.notes),
  );

  app.post(
    '/v1/mlops/models/:id/deploy',
    {
      config: { auth: DEPLOY },
      schema: {
        ...tags,
        summary:
          'Deploy a validated version: immediate, gradual (traffic share, automatic rollback) or staged',
        params: IdParams,
        body: Type.Object(
          {
            strategy: Type.Union([
              Type.Literal('immediate'),
              Type.Literal('gradual'),
              Type.Literal('staged'),
            ]),
            trafficShare: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
            stages: Type.Optional(Type.Array(Type.Number(), { minItems: 1, maxItems: 10 })),
            rollbackThreshold: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
            baselineScore: Type.Optional(Type.Number({ minimum: 0 })),
            minObservations: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
          },
          {
            additionalProperties: false,
            examples: [
              { strategy: 'gradual', trafficShare: 0.1, rollbackThreshold: 0.95, minObservations: 20 },
            ],
          },
        ),
        response: { 201: Deployment, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.deploy(accessContext(request), request.params.id, request.body)),
  );

  app.post(
    '/v1/mlops/models/:id/rollback',
    {
      config: { auth: DEPLOY },
      schema: {
        ...tags,
        summary: 'Roll back: stop a rollout, or hand an active version back to the one it replaced',
        params: IdParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 1000 }) },
          {
            additionalProperties: false,
            examples: [{ reason: 'Satisfaction fell below the previous version during the rollout' }],
          },
        ),
        response: { 200: ModelVersion, ...problemResponses },
      },
    },
    (request) => service.rollback(accessContext(request), request.params.id, request.body.reason),
  );

  app.get(
    '/v1/mlops/models/:id/audit-report',
    {
      config: { auth: REVIEW },
      schema: {
        ...tags,
        summary: 'Audit report of one version: lineage, gates, deployments, audit trail',
        params: IdParams,
        response: {
          200: Type.Object(
            { version: ModelVersion },
            { ...open, examples: [{ version: MODEL_VERSION_EXAMPLE, ...AUDIT_REPORT_EXTRA }] },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.auditReport(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/mlops/deployments/:id',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'One deployment',
        params: IdParams,
        response: { 200: Deployment, ...problemResponses },
      },
    },
    (request) => service.getDeployment(accessContext(request).practiceId, request.params.id),
  );

  app.post(
    '/v1/mlops/deployments/:id/observations',
    {
      config: { auth: OBSERVE },
      schema: {
        ...tags,
        summary:
          'Record a monitored score; the rollout rolls back on its own when it falls under the threshold',
        params: IdParams,
        body: Type.Object(
          {
            score: Type.Number({ minimum: 0 }),
            source: Type.Optional(Type.Union([Type.Literal('candidate'), Type.Literal('control')])),
          },
          { additionalProperties: false, examples: [{ score: 0.8, source: 'candidate' }] },
        ),
        response: { 200: Deployment, ...problemResponses },
      },
    },
    (request) => service.observe(accessContext(request), request.params.id, request.body),
  );

  app.post(
    '/v1/mlops/deployments/:id/promote',
    {
      config: { auth: DEPLOY },
      schema: {
        ...tags,
        summary: 'Next stage of a staged rollout, or full activation',
        params: IdParams,
        response: { 200: Deployment, ...problemResponses },
      },
    },
    (request) => service.promote(accessContext(request), request.params.id),
  );
}
