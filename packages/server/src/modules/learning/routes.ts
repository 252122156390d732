/** HTTP for continuous learning: interactions, retraining status, training datasets and LoRA training jobs. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { IdParams, IsoDateTime, problemResponses, SECURED, Uuid } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { LearningService, TrainingConfig } from './service.ts';

const WRITE: Role[] = ['admin', 'physician', 'service'];
const READ: Role[] = ['admin', 'physician', 'practice_manager', 'service'];
const TRAIN: Role[] = ['admin', 'physician', 'service'];
const EXPORT: Role[] = ['admin', 'service'];
const tags = { tags: ['learning'], security: SECURED };
const open = { additionalProperties: true } as const;

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
        doctorId: '0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10',
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
  open,
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
  open,
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
  open,
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
        response: { 200: Type.Object({ doctorId: Uuid }, open), ...problemResponses },
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
        response: { 200: Type.Array(Dataset), ...problemResponses },
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
        response: { 200: Type.String(), ...problemResponses },
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
          { additionalProperties: false },
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
        response: { 200: Type.Array(TrainingJob), ...problemResponses },
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
