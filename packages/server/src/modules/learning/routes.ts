/** HTTP for continuous learning: interactions, retraining status, training datasets and LoRA training jobs. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import {
  binaryResponse,
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
import type { LearningService, TrainingConfig } from './service.ts';

const WRITE: Role[] = ['admin', 'physician', 'service'];
const READ: Role[] = ['admin', 'physician', 'practice_manager', 'service'];
const TRAIN: Role[] = ['admin', 'physician', 'service'];
const EXPORT: Role[] = ['admin', 'service'];
const tags = { tags: ['learning'], security: SECURED };
const open = { additionalProperties: true } as const;

const INTERACTION_RESULT_EXAMPLE = {
  id: EXAMPLE_ID.interaction,
  doctorId: EXAMPLE_ID.provider,
  quality: true,
  preferencesChanged: ['/detailLevel', '/focusAreas'],
  qualityInteractionsSinceTraining: 1,
  threshold: 50,
  retrainingQueued: false,
  retrainingJobId: null,
  rollout: null,
  patterns: {
    focusAreas: ['billing_management'],
    workflows: ['billing_optimization_focused'],
    documentationStyle: 'bullet_points',
    formality: 'formal',
    technicalDepth: 'medium',
    educationFocus: false,
    empathyEmphasis: false,
    adminPriorities: [],
    efficiency: {
      prefersShortcuts: false,
      valuesAutomation: false,
      timeConscious: false,
    },
    prefersBulletPoints: true,
    requestsLessDetail: true,
  },
  createdAt: '2026-03-14T18:25:50.782Z',
  preferencesVersion: 1,
};

const INTERACTION_EXAMPLE = {
  id: EXAMPLE_ID.interaction,
  type: 'visit_summary',
  input: 'Summarize the visit for the billing team, please.',
  output: 'Visit summary: annual wellness visit, coverage verified, prior authorization not required.',
  feedback: 'too long',
  satisfaction: 3,
  quality: true,
  phiSpansMasked: 0,
  patterns: {
    formality: 'formal',
    workflows: ['billing_optimization_focused'],
    efficiency: {
      timeConscious: false,
      prefersShortcuts: false,
      valuesAutomation: false,
    },
    focusAreas: ['billing_management'],
    educationFocus: false,
    technicalDepth: 'medium',
    adminPriorities: [],
    empathyEmphasis: false,
    documentationStyle: 'bullet_points',
    requestsLessDetail: true,
    prefersBulletPoints: true,
  },
  workflowContext: {
    type: 'billing',
  },
  createdAt: '2026-03-14T18:25:50.782Z',
  doctorId: EXAMPLE_ID.provider,
};

const RETRAINING_EXAMPLE = {
  doctorId: EXAMPLE_ID.provider,
  totalInteractions: 1,
  qualityInteractionsSinceTraining: 1,
  threshold: 50,
  percent: 2,
  retrainingJobs: 0,
  lastTrainingAt: null,
  lastTriggerAt: null,
  latestJob: null,
};

const DATASET_EXAMPLE = {
  id: EXAMPLE_ID.dataset,
  doctorId: EXAMPLE_ID.provider,
  contentHash: '7262ce117263da529ba4744f4993e6e9441c7287c72393177b117b5e9b8e46f9',
  trainCount: 22,
  evalCount: 2,
  sources: {
    samples: 24,
    interactions: 0,
    dropped: 0,
  },
  format: 'chat-jsonl',
  createdAt: '2026-03-14T18:25:50.824Z',
};

/** A LoRA run on the doctor's dataset (the metric stream trimmed to the eval steps). */
const TRAINING_JOB_EXAMPLE = {
  id: EXAMPLE_ID.trainingJob,
  doctorId: EXAMPLE_ID.provider,
  datasetId: EXAMPLE_ID.dataset,
  baseModel: 'meta-llama/Llama-3.1-8B-Instruct',
  config: {
    r: 16,
    alpha: 32,
    steps: 30,
    dropout: 0.05,
    batchSize: 4,
    evalEvery: 10,
    learningRate: 0.0002,
    maxSeqLength: 1024,
    quantization: 'auto',
    targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
  },
  trigger: 'threshold',
  status: 'succeeded',
  steps: [
    {
      loss: 2.2839,
      step: 1,
      learningRate: 0.0002,
    },
    {
      loss: 1.5242,
      step: 10,
      evalLoss: 1.6042,
      learningRate: 0.0002,
    },
    {
      loss: 1.0745,
      step: 20,
      evalLoss: 1.1545,
      learningRate: 0.0002,
    },
    {
      loss: 0.8436,
      step: 30,
      evalLoss: 0.9236,
      learningRate: 0.0002,
    },
  ],
  trainLoss: 0.8436,
  evalLoss: 0.9236,
  durationSeconds: 0.005,
  samples: 22,
  adapterPath: '/var/lib/intelluxe/adapters/9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69/v1',
  modelVersionId: EXAMPLE_ID.model,
  error: null,
  createdAt: '2026-03-14T02:00:00.480Z',
  startedAt: '2026-03-14T02:00:03.120Z',
  finishedAt: '2026-03-14T02:12:25.720Z',
};

const InteractionInput = Type.Object(
  {
    doctorId: Uuid,
    type: Type.String({ minLength: 2, maxLength: 50, examples: ['visit_summary'] }),
    input: Type.String({ maxLength: 50_000, description: "The doctor's request" }),
    output: Type.String({ maxLength: 100_000, description: "The assistant's output" }),
    feedback: Type.Optional(Type.Union([Type.String({ maxLength: 10_000 }), Type.Null()])),
    satisfaction: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: 5 }), Type.Null()])),
    workflowContext: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    modelVersionId: Type.Optional(
      Type.Union([Uuid, Type.Null()], {
        description:
          'The version that produced the output (modelVersionId of the generate response): satisfaction / 5 becomes its monitored rollout score',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [
      {
        doctorId: EXAMPLE_ID.provider,
        type: 'visit_summary',
        input: 'Summarize the visit for the billing team, please.',
        output: 'Visit summary: annual wellness visit, coverage verified, prior authorization not required.',
        feedback: 'too long',
        satisfaction: 3,
        workflowContext: { type: 'billing' },
      },
    ],
  },
);

const InteractionResult = Type.Object(
  {
    id: Uuid,
    doctorId: Uuid,
    quality: Type.Boolean(),
    preferencesChanged: Type.Array(Type.String()),
    qualityInteractionsSinceTraining: Type.Integer(),
    threshold: Type.Integer(),
    retrainingQueued: Type.Boolean(),
    retrainingJobId: Type.Union([Type.String(), Type.Null()]),
    rollout: Type.Union([Type.Object({ deploymentId: Uuid, status: Type.String() }), Type.Null()]),
    patterns: Type.Unknown(),
    createdAt: IsoDateTime,
  },
  { ...open, examples: [INTERACTION_RESULT_EXAMPLE] },
);

const TrainingJob = Type.Object(
  {
    id: Uuid,
    doctorId: Uuid,
    datasetId: Type.Union([Type.String(), Type.Null()]),
    baseModel: Type.String(),
    config: Type.Unknown(),
    trigger: Type.String(),
    status: Type.String(),
    steps: Type.Array(Type.Unknown()),
    trainLoss: Type.Union([Type.Number(), Type.Null()]),
    evalLoss: Type.Union([Type.Number(), Type.Null()]),
    durationSeconds: Type.Union([Type.Number(), Type.Null()]),
    samples: Type.Union([Type.Number(), Type.Null()]),
    adapterPath: Type.Union([Type.String(), Type.Null()]),
    modelVersionId: Type.Union([Type.String(), Type.Null()]),
    error: Type.Union([Type.String(), Type.Null()]),
    createdAt: IsoDateTime,
    startedAt: Type.Union([IsoDateTime, Type.Null()]),
    finishedAt: Type.Union([IsoDateTime, Type.Null()]),
  },
  { ...open, examples: [TRAINING_JOB_EXAMPLE] },
);

const Dataset = Type.Object(
  {
    id: Uuid,
    doctorId: Uuid,
    contentHash: Type.String(),
    trainCount: Type.Integer(),
    evalCount: Type.Integer(),
    sources: Type.Record(Type.String(), Type.Integer()),
    format: Type.Literal('chat-jsonl'),
    createdAt: IsoDateTime,
  },
  { ...open, examples: [DATASET_EXAMPLE] },
);

const TrainingConfigSchema = Type.Object(
  {
    r: Type.Optional(Type.Integer()),
    alpha: Type.Optional(Type.Integer()),
    dropout: Type.Optional(Type.Number()),
    targetModules: Type.Optional(Type.Array(Type.String(), { maxItems: 32 })),
    steps: Type.Optional(Type.Integer()),
    learningRate: Type.Optional(Type.Number()),
    batchSize: Type.Optional(Type.Integer()),
    maxSeqLength: Type.Optional(Type.Integer()),
    quantization: Type.Optional(Type.String()),
    evalEvery: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
);

export function learningRoutes(app: App, service: LearningService): void {
  app.post(
    '/v1/learning/interactions',
    {
      config: { auth: WRITE },
      schema: {
        ...tags,
        summary:
          'Learn from one interaction: patterns, weighted preference updates, style profile, training record; queues retraining at the threshold',
        body: InteractionInput,
        response: { 201: InteractionResult, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.learnFromInteraction(accessContext(request), request.body)),
  );

  app.get(
    '/v1/learning/doctors/:id/interactions',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: "A doctor's learning interactions, newest first (stored PHI-masked) with their patterns",
        params: IdParams,
        querystring: Type.Object({
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: {
          200: Type.Array(
            Type.Object(
              {
                id: Uuid,
                type: Type.String(),
                input: Type.String(),
                output: Type.String(),
                feedback: Type.Union([Type.String(), Type.Null()]),
                satisfaction: Type.Union([Type.Integer(), Type.Null()]),
                quality: Type.Boolean(),
                phiSpansMasked: Type.Integer(),
                patterns: Type.Unknown(),
                workflowContext: Type.Unknown(),
                createdAt: IsoDateTime,
              },
              open,
            ),
            { examples: [[INTERACTION_EXAMPLE]] },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.listInteractions(accessContext(request), request.params.id, request.query.limit),
  );

  app.get(
    '/v1/learning/doctors/:id/retraining',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'Quality interactions since the last training, the threshold, and the latest training job',
        params: IdParams,
        response: {
          200: Type.Object({ doctorId: Uuid }, { ...open, examples: [RETRAINING_EXAMPLE] }),
          ...problemResponses,
        },
      },
    },
    (request) => service.retrainingStatus(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/learning/doctors/:id/datasets',
    {
      config: { auth: TRAIN },
      schema: {
        ...tags,
        summary:
          'Build a training dataset: PHI-scrubbed chat JSONL, train/eval split, content hash (audited)',
        params: IdParams,
        response: { 201: Dataset, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.buildDataset(accessContext(request), request.params.id)),
  );

  app.get(
    '/v1/learning/doctors/:id/datasets',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: "A doctor's training datasets, newest first",
        params: IdParams,
        response: { 200: ListOf(Dataset), ...problemResponses },
      },
    },
    (request) => service.listDatasets(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/learning/datasets/:id/download',
    {
      config: { auth: EXPORT },
      schema: {
        ...tags,
        summary: 'Download one split of a dataset as JSONL (audited export)',
        params: IdParams,
        querystring: Type.Object({
          split: Type.Optional(
            Type.Union([Type.Literal('train'), Type.Literal('eval')], { default: 'train' }),
          ),
        }),
        response: {
          200: binaryResponse('The split as chat JSONL (one {"messages": [...]} object a line)', [
            'application/x-ndjson',
          ]),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const file = await service.downloadDataset(
        accessContext(request),
        request.params.id,
        request.query.split ?? 'train',
      );
      return reply
        .header('content-type', 'application/x-ndjson; charset=utf-8')
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .header('x-content-sha256', file.contentHash)
        .send(file.body);
    },
  );

  app.post(
    '/v1/learning/training-jobs',
    {
      config: { auth: TRAIN },
      schema: {
        ...tags,
        summary: 'Queue LoRA training for a doctor (the trainer executable runs as a background job)',
        body: Type.Object(
          {
            doctorId: Uuid,
            baseModel: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            datasetId: Type.Optional(Uuid),
            config: Type.Optional(TrainingConfigSchema),
          },
          {
            additionalProperties: false,
            examples: [
              {
                doctorId: EXAMPLE_ID.provider,
                datasetId: EXAMPLE_ID.dataset,
                config: { r: 16, alpha: 32, steps: 30, learningRate: 0.0002, evalEvery: 10 },
              },
            ],
          },
        ),
        response: { 202: TrainingJob, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(202).send(
        await service.createTrainingJob(accessContext(request), {
          ...request.body,
          config: request.body.config as Partial<TrainingConfig> | undefined,
        }),
      ),
  );

  app.get(
    '/v1/learning/training-jobs',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'Training jobs, newest first',
        querystring: Type.Object({ doctorId: Type.Optional(Uuid) }),
        response: { 200: ListOf(TrainingJob), ...problemResponses },
      },
    },
    (request) => service.listTrainingJobs(accessContext(request), request.query.doctorId),
  );

  app.get(
    '/v1/learning/training-jobs/:id',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'One training job with its metric stream (loss per step, eval loss)',
        params: IdParams,
        response: { 200: TrainingJob, ...problemResponses },
      },
    },
    (request) => service.getTrainingJob(accessContext(request), request.params.id),
  );
}
