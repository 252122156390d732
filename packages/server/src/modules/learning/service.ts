/**
 * Continuous learning: every doctor–assistant interaction is analysed for patterns, moves the doctor's
 * preferences by weighted evidence, updates the style profile, and is stored (PHI-masked) as a training
 * interaction. When enough quality interactions accumulate since the last training, exactly one retraining
 * job is queued. Training datasets (chat JSONL, PHI-scrubbed, train/eval split, content hash) feed LoRA
 * training jobs, which run the configured trainer executable, stream its metrics into the job record and
 * register the adapter in the model registry (where its safety gates run).
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { containsPhi } from '@intelluxe/phi';
import type { Selectable, Transaction, Updateable } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { type FieldError, invalidField, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { MlopsService } from '../mlops/service.ts';
import type { AccessContext } from '../patients/service.ts';
import type { PreferencesPatch } from '../personalization/preferences.ts';
import { ADAPTER_KIND, maskPhi, type PersonalizationService } from '../personalization/service.ts';
import {
  analyzeInteraction,
  type InteractionInput,
  type InteractionPatterns,
  isAdministrative,
  isQualityInteraction,
  nudge,
  SIGNAL_THRESHOLD,
  UPDATE_WEIGHTS,
} from './analysis.ts';
import type { TrainingJobsTable, TrainingStep } from './tables.ts';

export const TRAIN_QUEUE = 'learning.train-adapter';
export const MIN_DATASET_RECORDS = 10;

export interface InteractionRequest extends InteractionInput {
  doctorId: string;
  /** The model version that produced the output (from the generate response): its rollout is monitored. */
  modelVersionId?: string | null;
}

export interface TrainingConfig {
  r: number;
  alpha: number;
  dropout: number;
  targetModules: string[];
  steps: number;
  learningRate: number;
  batchSize: number;
  maxSeqLength: number;
  /** auto: 4-bit QLoRA when bitsandbytes (or Unsloth) is installed on the trainer's machine. */
  quantization: 'auto' | '4bit' | 'none';
  evalEvery: number;
}

export const DEFAULT_TRAINING_CONFIG: TrainingConfig = {
  r: 16,
  alpha: 32,
  dropout: 0.05,
  targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'],
  steps: 200,
  learningRate: 2e-4,
  batchSize: 4,
  maxSeqLength: 1024,
  quantization: 'auto',
  evalEvery: 50,
};

export interface TrainingJob {
  id: string;
  doctorId: string;
  datasetId: string | null;
  baseModel: string;
  config: TrainingConfig;
  trigger: 'manual' | 'retraining';
  status: 'queued' | 'running' | 'succeeded' | 'failed';
  steps: TrainingStep[];
  trainLoss: number | null;
  evalLoss: number | null;
  durationSeconds: number | null;
  samples: number | null;
  adapterPath: string | null;
  modelVersionId: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

const SYSTEM_PROMPT =
  "You draft administrative documentation for a medical practice in the doctor's own writing style. " +
  'Administrative content only: never give medical advice.';
const TASK_PROMPTS: Record<string, string> = {
  visit_summary: 'Write the visit summary in your usual style.',
  prior_auth_letter: 'Write the prior authorization request in your usual style.',
  referral_letter: 'Write the referral letter in your usual style.',
  patient_message: 'Write the message to the patient in your usual style.',
};
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const services = new WeakMap<Platform, LearningService>();

function toJob(r: Selectable<TrainingJobsTable>): TrainingJob {
  return {
    id: r.id,
    doctorId: r.doctor_id,
    datasetId: r.dataset_id,
    baseModel: r.base_model,
    config: r.config as unknown as TrainingConfig,
    trigger: r.trigger,
    status: r.status,
    steps: r.steps,
    trainLoss: r.train_loss,
    evalLoss: r.eval_loss,
    durationSeconds: r.duration_seconds,
    samples: r.samples,
    adapterPath: r.adapter_path,
    modelVersionId: r.model_version_id,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    startedAt: r.started_at?.toISOString() ?? null,
    finishedAt: r.finished_at?.toISOString() ?? null,
  };
}

/** A loss curve keeps at most this many points: longer runs are thinned (evaluation points always stay). */
export const MAX_CURVE_POINTS = 2000;

/** Halves the training-loss points of a curve in place, keeping every evaluation point and the last point. */
export function thinCurve(steps: TrainingStep[]): void {
  let kept = 0;
  let plain = 0;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    const keep = s.evalLoss !== undefined || i === steps.length - 1 || plain++ % 2 === 0;
    if (keep) steps[kept++] = s;
  }
  steps.length = kept;
}

/** Splits a command line on whitespace (no shell; quote-free paths). */
export function commandLine(command: string): { file: string; args: string[] } {
  const parts = command.trim().split(/\s+/);
  return { file: parts[0]!, args: parts.slice(1) };
}

export class LearningService {
  readonly #p: Platform;
  readonly #personalization: PersonalizationService;
  readonly #mlops: MlopsService;
  #queueWarm = false;

  constructor(platform: Platform, personalization: PersonalizationService, mlops: MlopsService) {
    this.#p = platform;
    this.#personalization = personalization;
    this.#mlops = mlops;
    services.set(platform, this);
  }

  /** The service built over `platform` (for queue handlers, which are registered before the services). */
  static of(platform: Platform): LearningService | undefined {
    return services.get(platform);
  }

  // ---- interactions -----------------------------------------------------------------------------------

  /**
   * pg-boss resolves a queue's table through its own connection the first time a process sends to it; on the
   * embedded database that connection is the one our transaction holds, so resolve it before any transaction.
   */
  async #warmQueue(): Promise<void> {
    if (this.#queueWarm) return;
    await this.#p.jobs.getJob(TRAIN_QUEUE, '00000000-0000-4000-8000-000000000000');
    this.#queueWarm = true;
  }

  async learnFromInteraction(ctx: AccessContext, request: InteractionRequest) {
    await this.#personalization.authorizeDoctor(ctx, request.doctorId);
    await this.#warmQueue();
    if (request.satisfaction != null && (request.satisfaction < 1 || request.satisfaction > 5)) {
      throw invalidField('/satisfaction', 'must be from 1 to 5');
    }
    if (!/^[a-z][a-z0-9_]{1,49}$/.test(request.type)) throw invalidField('/type', 'must be snake_case');
    const patterns = analyzeInteraction(request);
    const quality = isQualityInteraction(request);
    const input = maskPhi(request.input);
    const output = maskPhi(request.output);
    const feedback = request.feedback ? maskPhi(request.feedback) : null;
    const context = maskPhi(JSON.stringify(request.workflowContext ?? {}));
    let workflowContext: Record<string, unknown>;
    try {
      workflowContext = JSON.parse(context.text) as Record<string, unknown>;
    } catch {
      workflowContext = { masked: context.text };
    }
    const threshold = this.#p.config.learning.retrainThreshold;
    const result = await this.#p.db.transaction().execute(async (tx) => {
      const interaction = await tx
        .insertInto('learning_interactions')
        .values({
          doctor_id: request.doctorId,
          practice_id: ctx.practiceId,
          interaction_type: request.type,
          input_text: input.text,
          output_text: output.text,
          feedback: feedback?.text ?? null,
          satisfaction: request.satisfaction ?? null,
          workflow_context: JSON.stringify(workflowContext),
          patterns: JSON.stringify(patterns),
          quality,
          phi_spans: input.spans + output.spans + (feedback?.spans ?? 0) + context.spans,
          created_by: ctx.actorId ?? null,
        })
        .returning(['id', 'created_at'])
        .executeTakeFirstOrThrow();

      await tx
        .insertInto('learning_state')
        .values({ doctor_id: request.doctorId, practice_id: ctx.practiceId })
        .onConflict((oc) => oc.column('doctor_id').doNothing())
        .execute();
      const state = await tx
        .selectFrom('learning_state')
        .selectAll()
        .where('doctor_id', '=', request.doctorId)
        .forUpdate()
        .executeTakeFirstOrThrow();

      const { patch, signals } = await this.#preferenceUpdate(tx, request.doctorId, state.signals, patterns);
      const preferences =
        Object.keys(patch).length > 0
          ? await this.#personalization.applyLearnedPreferences(tx, ctx, request.doctorId, patch)
          : { changed: [], version: null };

      // An output the doctor was satisfied with is (weaker) evidence of their style.
      if ((request.satisfaction ?? 0) >= 4 && isAdministrative(request) && output.text.trim().length > 20) {
        await this.#personalization.observeStyle(
          tx,
          ctx.practiceId,
          request.doctorId,
          output.text,
          0.5,
          'interaction',
        );
      }

      let since = state.quality_since_training + (quality ? 1 : 0);
      let retrainingJobId: string | null = null;
      if (quality && since >= threshold) {
        retrainingJobId = await this.#queueTraining(tx, ctx, request.doctorId, 'retraining', {});
        since = 0;
      }
      await tx
        .updateTable('learning_state')
        .set({
          total_interactions: state.total_interactions + 1,
          quality_since_training: since,
          retraining_jobs: state.retraining_jobs + (retrainingJobId ? 1 : 0),
          last_trigger_at: retrainingJobId ? new Date() : state.last_trigger_at,
          signals: JSON.stringify(signals),
          updated_at: new Date(),
        })
        .where('doctor_id', '=', request.doctorId)
        .execute();
      return {
        id: interaction.id,
        createdAt: interaction.created_at.toISOString(),
        preferencesChanged: preferences.changed,
        preferencesVersion: preferences.version,
        qualityInteractionsSinceTraining: since,
        retrainingJobId,
      };
    });
    // The doctor's satisfaction is the monitored score of the version that wrote the output.
    let rollout: { deploymentId: string; status: string } | null = null;
    if (request.modelVersionId && request.satisfaction != null) {
      const deployment = await this.#mlops.observeVersion(
        ctx,
        request.modelVersionId,
        request.satisfaction / 5,
      );
      if (deployment) rollout = { deploymentId: deployment.id, status: deployment.status };
    }
    await this.#p.audit.record({
      ...ctx,
      action: 'learning.interaction.create',
      outcome: 'success',
      resourceType: 'learning_interaction',
      resourceId: result.id,
      details: {
        doctorId: request.doctorId,
        quality,
        preferencesChanged: result.preferencesChanged,
        retrainingJobId: result.retrainingJobId,
      },
    });
    return {
      ...result,
      doctorId: request.doctorId,
      quality,
      patterns,
      retrainingQueued: result.retrainingJobId !== null,
      threshold,
      rollout,
    };
  }

  async #preferenceUpdate(
    tx: Transaction<Database>,
    doctorId: string,
    previous: Record<string, number>,
    p: InteractionPatterns,
  ): Promise<{ patch: PreferencesPatch; signals: Record<string, number> }> {
    const { preferences } = await this.#personalization.currentPreferences(doctorId, tx);
    const signals = { format: 0, summary: 0, ...previous };
    const patch: PreferencesPatch = {};
    const formatWeight = p.explicitFormat ? UPDATE_WEIGHTS.explicitFormat : UPDATE_WEIGHTS.impliedFormat;
    if (p.prefersBulletPoints) signals.format = nudge(signals.format, 1, formatWeight);
    else if (p.prefersParagraphs) signals.format = nudge(signals.format, -1, formatWeight);
    if (signals.format >= SIGNAL_THRESHOLD && preferences.responseFormat !== 'bullet_points')
      patch.responseFormat = 'bullet_points';
    else if (signals.format <= -SIGNAL_THRESHOLD && preferences.responseFormat !== 'paragraphs')
      patch.responseFormat = 'paragraphs';

    let detail = preferences.detailLevel;
    if (p.requestsMoreDetail) detail = Math.min(10, detail + UPDATE_WEIGHTS.detail);
    else if (p.requestsLessDetail) detail = Math.max(1, detail - UPDATE_WEIGHTS.detail);
    if (detail !== preferences.detailLevel) patch.detailLevel = detail;

    if (p.prefersQuickSummaries || p.requestsLessDetail)
      signals.summary = nudge(signals.summary, 1, UPDATE_WEIGHTS.impliedFormat);
    else if (p.prefersDetailedExplanations || p.requestsMoreDetail)
      signals.summary = nudge(signals.summary, -1, UPDATE_WEIGHTS.impliedFormat);
    const summary =
      signals.summary >= SIGNAL_THRESHOLD || detail <= 3
        ? 'concise'
        : signals.summary <= -SIGNAL_THRESHOLD || detail >= 8
          ? 'detailed'
          : preferences.summaryStyle;
    if (summary !== preferences.summaryStyle) patch.summaryStyle = summary;

    const focus = [...new Set([...preferences.focusAreas, ...p.focusAreas])];
    if (focus.length !== preferences.focusAreas.length) patch.focusAreas = focus;
    if (p.respondsQuicklyToUrgent && preferences.notifications.urgentThreshold !== 'high') {
      patch.notifications = { urgentThreshold: 'high' };
    }
    return { patch, signals };
  }

  /** A doctor's interactions, newest first, as stored (PHI-masked), with the patterns found in each. */
  async listInteractions(ctx: AccessContext, doctorId: string, limit = 50) {
    await this.#personalization.authorizeDoctor(ctx, doctorId);
    const rows = await this.#p.db
      .selectFrom('learning_interactions')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      doctorId: r.doctor_id,
      type: r.interaction_type,
      input: r.input_text,
      output: r.output_text,
      feedback: r.feedback,
      satisfaction: r.satisfaction,
      workflowContext: r.workflow_context,
      patterns: r.patterns,
      quality: r.quality,
      phiSpansMasked: r.phi_spans,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async retrainingStatus(ctx: AccessContext, doctorId: string) {
    await this.#personalization.authorizeDoctor(ctx, doctorId);
    return this.#retrainingStatus(doctorId);
  }

  async #retrainingStatus(doctorId: string) {
    const state = await this.#p.db
      .selectFrom('learning_state')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .executeTakeFirst();
    const last = await this.#p.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    const threshold = this.#p.config.learning.retrainThreshold;
    const since = state?.quality_since_training ?? 0;
    return {
      doctorId,
      totalInteractions: state?.total_interactions ?? 0,
      qualityInteractionsSinceTraining: since,
      threshold,
      percent: Math.min(100, Math.round((since / threshold) * 100)),
      retrainingJobs: state?.retraining_jobs ?? 0,
      lastTrainingAt: state?.last_training_at?.toISOString() ?? null,
      lastTriggerAt: state?.last_trigger_at?.toISOString() ?? null,
      latestJob: last ? toJob(last) : null,
    };
  }

  /** Overall status (seed services): doctors learning, jobs by status. */
  async overview(practiceId: string) {
    const doctors = await this.#p.db
      .selectFrom('learning_state')
      .select((eb) => [eb.fn.countAll<string>().as('n'), eb.fn.sum<string>('total_interactions').as('total')])
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    const jobs = await this.#p.db
      .selectFrom('training_jobs')
      .select(['status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('practice_id', '=', practiceId)
      .groupBy('status')
      .execute();
    return {
      doctorsLearning: Number(doctors?.n ?? 0),
      totalInteractions: Number(doctors?.total ?? 0),
      threshold: this.#p.config.learning.retrainThreshold,
      trainingJobs: Object.fromEntries(jobs.map((j) => [j.status, Number(j.n)])),
      trainer: commandLine(this.#p.config.learning.trainerCommand).file,
    };
  }

  // ---- datasets ---------------------------------------------------------------------------------------

  async buildDataset(ctx: AccessContext, doctorId: string, tx?: Transaction<Database>) {
    await this.#personalization.authorizeDoctor(ctx, doctorId);
    const samples = await this.#personalization.samplesForTraining(doctorId);
    const interactions = await (tx ?? this.#p.db)
      .selectFrom('learning_interactions')
      .select(['id', 'interaction_type', 'input_text', 'output_text', 'satisfaction'])
      .where('doctor_id', '=', doctorId)
      .where('quality', '=', true)
      .where('satisfaction', '>=', 4)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const candidates: Array<{ key: string; messages: Array<{ role: string; content: string }> }> = [];
    for (const s of samples) {
      candidates.push({
        key: `sample:${s.id}`,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          {
            role: 'user',
            content: TASK_PROMPTS[s.type] ?? `Write the ${s.type.replace(/_/g, ' ')} in your usual style.`,
          },
          { role: 'assistant', content: s.content },
        ],
      });
    }
    for (const i of interactions) {
      candidates.push({
        key: `interaction:${i.id}`,
        messages: [
          { role: 'system', content: SYSTEM_PROMPT },
          { role: 'user', content: i.input_text },
          { role: 'assistant', content: i.output_text },
        ],
      });
    }
    // Defense in depth: everything stored is masked already; anything the engine still flags is masked again
    // or, failing that, dropped.
    let dropped = 0;
    const records: string[] = [];
    for (const c of candidates) {
      const messages = c.messages.map((m) =>
        containsPhi(m.content) ? { ...m, content: maskPhi(m.content).text } : m,
      );
      if (messages.some((m) => containsPhi(m.content))) {
        dropped++;
        continue;
      }
      records.push(JSON.stringify({ messages }));
    }
    if (records.length < MIN_DATASET_RECORDS) {
      throw new ValidationError(
        [
          {
            path: '/doctorId',
            message: `has ${records.length} usable examples; a dataset needs ${MIN_DATASET_RECORDS}`,
          },
        ],
        `not enough writing samples or quality interactions for a dataset (${records.length} of ${MIN_DATASET_RECORDS})`,
      );
    }
    const ordered = records.map((r) => ({ r, h: sha256(r) })).sort((a, b) => a.h.localeCompare(b.h));
    const evalCount = Math.max(1, Math.round(records.length * 0.1));
    const evalSet = new Set(ordered.slice(0, evalCount).map((o) => o.r));
    const train = records.filter((r) => !evalSet.has(r));
    const evals = records.filter((r) => evalSet.has(r));
    const trainJsonl = `${train.join('\n')}\n`;
    const evalJsonl = `${evals.join('\n')}\n`;
    const contentHash = sha256(`${trainJsonl}\u0000${evalJsonl}`);
    const row = await (tx ?? this.#p.db)
      .insertInto('training_datasets')
      .values({
        doctor_id: doctorId,
        practice_id: ctx.practiceId,
        content_hash: contentHash,
        train_jsonl: trainJsonl,
        eval_jsonl: evalJsonl,
        train_count: train.length,
        eval_count: evals.length,
        sources: JSON.stringify({ samples: samples.length, interactions: interactions.length, dropped }),
        created_by: ctx.actorId ?? null,
      })
      .returning(['id', 'created_at'])
      .executeTakeFirstOrThrow();
    await this.#p.audit.record({
      ...ctx,
      action: 'learning.dataset.create',
      outcome: 'success',
      resourceType: 'training_dataset',
      resourceId: row.id,
      details: { doctorId, contentHash, train: train.length, eval: evals.length, dropped },
    });
    return {
      id: row.id,
      doctorId,
      contentHash,
      trainCount: train.length,
      evalCount: evals.length,
      sources: { samples: samples.length, interactions: interactions.length, dropped },
      format: 'chat-jsonl' as const,
      createdAt: row.created_at.toISOString(),
    };
  }

  async listDatasets(ctx: AccessContext, doctorId: string) {
    await this.#personalization.authorizeDoctor(ctx, doctorId);
    const rows = await this.#p.db
      .selectFrom('training_datasets')
      .select(['id', 'doctor_id', 'content_hash', 'train_count', 'eval_count', 'sources', 'created_at'])
      .where('doctor_id', '=', doctorId)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      doctorId: r.doctor_id,
      contentHash: r.content_hash,
      trainCount: r.train_count,
      evalCount: r.eval_count,
      sources: r.sources,
      format: 'chat-jsonl' as const,
      createdAt: r.created_at.toISOString(),
    }));
  }

  async #dataset(practiceId: string, id: string) {
    const row = await this.#p.db
      .selectFrom('training_datasets')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('training dataset', id);
    return row;
  }

  async downloadDataset(ctx: AccessContext, id: string, split: 'train' | 'eval') {
    const row = await this.#dataset(ctx.practiceId, id);
    await this.#personalization.authorizeDoctor(ctx, row.doctor_id);
    await this.#p.audit.record({
      ...ctx,
      action: 'learning.dataset.export',
      outcome: 'success',
      resourceType: 'training_dataset',
      resourceId: id,
      details: { split, contentHash: row.content_hash },
    });
    return {
      filename: `dataset-${row.doctor_id}-${row.content_hash.slice(0, 12)}-${split}.jsonl`,
      body: split === 'train' ? row.train_jsonl : row.eval_jsonl,
      contentHash: row.content_hash,
    };
  }

  // ---- training jobs ----------------------------------------------------------------------------------

  #config(input: Partial<TrainingConfig>): TrainingConfig {
    const c = { ...DEFAULT_TRAINING_CONFIG, ...input };
    const errors: FieldError[] = [];
    const range = (key: keyof TrainingConfig, lo: number, hi: number, integer: boolean) => {
      const v = c[key] as number;
      if (typeof v !== 'number' || v < lo || v > hi || (integer && !Number.isInteger(v)))
        errors.push({
          path: `/config/${key}`,
          message: `must be ${integer ? 'an integer' : 'a number'} from ${lo} to ${hi}`,
        });
    };
    range('r', 1, 256, true);
    range('alpha', 1, 1024, true);
    range('dropout', 0, 0.5, false);
    range('steps', 1, 100_000, true);
    range('learningRate', 1e-7, 0.01, false);
    range('batchSize', 1, 256, true);
    range('maxSeqLength', 64, 32_768, true);
    range('evalEvery', 1, 100_000, true);
    if (
      !Array.isArray(c.targetModules) ||
      c.targetModules.length === 0 ||
      c.targetModules.some((m) => !/^[A-Za-z_][A-Za-z0-9_.]{0,63}$/.test(m))
    )
      errors.push({
        path: '/config/targetModules',
        message: 'must list module names such as q_proj, v_proj',
      });
    if (!['auto', '4bit', 'none'].includes(c.quantization))
      errors.push({ path: '/config/quantization', message: 'must be auto, 4bit or none' });
    if (errors.length > 0) throw new ValidationError(errors);
    return c;
  }

  async #queueTraining(
    tx: Transaction<Database>,
    ctx: AccessContext,
    doctorId: string,
    trigger: 'manual' | 'retraining',
    input: { baseModel?: string; config?: Partial<TrainingConfig>; datasetId?: string },
  ): Promise<string> {
    if (trigger === 'retraining') {
      // Singleton: a retraining job still waiting for a worker absorbs the new trigger.
      const waiting = await tx
        .selectFrom('training_jobs')
        .select('id')
        .where('doctor_id', '=', doctorId)
        .where('trigger', '=', 'retraining')
        .where('status', '=', 'queued')
        .executeTakeFirst();
      if (waiting) return waiting.id;
    }
    const job = await tx
      .insertInto('training_jobs')
      .values({
        doctor_id: doctorId,
        practice_id: ctx.practiceId,
        dataset_id: input.datasetId ?? null,
        base_model: input.baseModel ?? this.#p.config.learning.baseModel,
        config: JSON.stringify(this.#config(input.config ?? {})),
        trigger,
        status: 'queued',
        created_by: ctx.actorId ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await this.#p.jobs.send(TRAIN_QUEUE, { trainingJobId: job.id }, { tx });
    return job.id;
  }

  async createTrainingJob(
    ctx: AccessContext,
    input: { doctorId: string; baseModel?: string; config?: Partial<TrainingConfig>; datasetId?: string },
  ): Promise<TrainingJob> {
    await this.#personalization.authorizeDoctor(ctx, input.doctorId);
    await this.#warmQueue();
    if (input.datasetId) {
      const dataset = await this.#dataset(ctx.practiceId, input.datasetId);
      if (dataset.doctor_id !== input.doctorId) throw invalidField('/datasetId', 'belongs to another doctor');
    }
    const id = await this.#p.db
      .transaction()
      .execute((tx) => this.#queueTraining(tx, ctx, input.doctorId, 'manual', input));
    await this.#p.audit.record({
      ...ctx,
      action: 'learning.training_job.create',
      outcome: 'success',
      resourceType: 'training_job',
      resourceId: id,
      details: { doctorId: input.doctorId, baseModel: input.baseModel ?? this.#p.config.learning.baseModel },
    });
    return this.getTrainingJob(ctx, id);
  }

  async getTrainingJob(ctx: AccessContext, id: string): Promise<TrainingJob> {
    const row = await this.#p.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', ctx.practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('training job', id);
    await this.#personalization.authorizeDoctor(ctx, row.doctor_id);
    return toJob(row);
  }

  async listTrainingJobs(ctx: AccessContext, doctorId?: string): Promise<TrainingJob[]> {
    if (doctorId) await this.#personalization.authorizeDoctor(ctx, doctorId);
    let q = this.#p.db.selectFrom('training_jobs').selectAll().where('practice_id', '=', ctx.practiceId);
    if (doctorId) q = q.where('doctor_id', '=', doctorId);
    return (await q.orderBy('created_at', 'desc').limit(100).execute()).map(toJob);
  }

  /**
   * Runs one training job (the queue handler): builds the dataset when the job has none, runs the trainer
   * with the JSONL files, streams its metric lines into the job, and registers and gates the adapter.
   * A trainer failure fails the job (no retry: the same data would fail the same way).
   */
  async runTrainingJob(trainingJobId: string): Promise<TrainingJob> {
    const row = await this.#p.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('id', '=', trainingJobId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('training job', trainingJobId);
    if (row.status === 'succeeded' || row.status === 'failed') return toJob(row);
    const ctx: AccessContext = {
      actorType: 'system',
      actorId: 'learning-trainer',
      actorRole: null,
      practiceId: row.practice_id,
      purpose: 'operations',
      ip: null,
      userAgent: null,
      requestId: null,
    };
    const update = (set: Updateable<TrainingJobsTable>) =>
      this.#p.db.updateTable('training_jobs').set(set).where('id', '=', trainingJobId).execute();
    await update({ status: 'running', started_at: new Date(), error: null, steps: '[]' });
    const started = Date.now();
    try {
      let datasetId = row.dataset_id;
      if (!datasetId) {
        datasetId = (await this.buildDataset(ctx, row.doctor_id)).id;
        await update({ dataset_id: datasetId });
      }
      const dataset = await this.#dataset(row.practice_id, datasetId);
      const work = join(this.#p.config.dataDir, 'training', trainingJobId);
      mkdirSync(work, { recursive: true });
      writeFileSync(join(work, 'train.jsonl'), dataset.train_jsonl);
      writeFileSync(join(work, 'eval.jsonl'), dataset.eval_jsonl);
      const name = `doctor-${row.doctor_id}`;
      const existing = await this.#mlops.list(row.practice_id, { kind: ADAPTER_KIND, name, limit: 1 });
      const nextVersion = (existing[0]?.version ?? 0) + 1;
      const adapterDir = join(this.#p.config.dataDir, 'adapters', row.doctor_id, `v${nextVersion}`);
      mkdirSync(adapterDir, { recursive: true });
      const config = row.config as unknown as TrainingConfig;
      const outcome = await this.#runTrainer(trainingJobId, {
        train: join(work, 'train.jsonl'),
        eval: join(work, 'eval.jsonl'),
        output: adapterDir,
        baseModel: row.base_model,
        config,
      });
      const version = await this.#mlops.register(ctx, {
        kind: ADAPTER_KIND,
        name,
        subjectId: row.doctor_id,
        baseModel: row.base_model,
        artifactUri: adapterDir,
        trainingDataHash: dataset.content_hash,
        trainingJobId,
        metrics: Object.fromEntries(
          Object.entries({
            train_loss: outcome.trainLoss,
            eval_loss: outcome.evalLoss,
            duration_seconds: outcome.durationSeconds,
            samples: outcome.samples,
          }).filter((e): e is [string, number] => typeof e[1] === 'number'),
        ),
        evaluation: {
          primaryMetric: { name: 'eval_loss', higherIsBetter: false },
          generations: outcome.generations,
          baseGenerations: outcome.baseGenerations,
          trainingConfig: config,
        },
      });
      await this.#mlops.validate(ctx, version.id);
      await update({
        status: 'succeeded',
        finished_at: new Date(),
        adapter_path: adapterDir,
        model_version_id: version.id,
        train_loss: outcome.trainLoss,
        eval_loss: outcome.evalLoss,
        duration_seconds: outcome.durationSeconds ?? (Date.now() - started) / 1000,
        samples: outcome.samples,
      });
      await this.#p.db
        .updateTable('learning_state')
        .set({ last_training_at: new Date(), updated_at: new Date() })
        .where('doctor_id', '=', row.doctor_id)
        .execute();
    } catch (error) {
      const message = (error as Error).message.slice(0, 2000);
      await update({ status: 'failed', finished_at: new Date(), error: message });
      this.#p.logger.warn({ err: error, trainingJobId }, 'training job failed');
    } finally {
      // The dataset stays in the database; the copies handed to the trainer go.
      rmSync(join(this.#p.config.dataDir, 'training', trainingJobId), { recursive: true, force: true });
    }
    const done = await this.#p.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('id', '=', trainingJobId)
      .executeTakeFirstOrThrow();
    await this.#p.audit.record({
      ...ctx,
      action: 'learning.training_job.finish',
      outcome: done.status === 'succeeded' ? 'success' : 'failure',
      resourceType: 'training_job',
      resourceId: trainingJobId,
      details: { status: done.status, modelVersionId: done.model_version_id, evalLoss: done.eval_loss },
    });
    return toJob(done);
  }

  async #runTrainer(
    trainingJobId: string,
    run: { train: string; eval: string; output: string; baseModel: string; config: TrainingConfig },
  ): Promise<{
    trainLoss: number | null;
    evalLoss: number | null;
    durationSeconds: number | null;
    samples: number | null;
    generations: string[];
    baseGenerations: string[];
  }> {
    const { file, args } = commandLine(this.#p.config.learning.trainerCommand);
    const c = run.config;
    const metricsFile = join(run.output, 'metrics.json');
    const argv = [
      ...args,
      '--train',
      run.train,
      '--eval',
      run.eval,
      '--output',
      run.output,
      '--metrics-file',
      metricsFile,
      '--base-model',
      run.baseModel,
      '--r',
      String(c.r),
      '--alpha',
      String(c.alpha),
      '--dropout',
      String(c.dropout),
      '--target-modules',
      c.targetModules.join(','),
      '--steps',
      String(c.steps),
      '--learning-rate',
      String(c.learningRate),
      '--batch-size',
      String(c.batchSize),
      '--max-seq-length',
      String(c.maxSeqLength),
      '--quantization',
      c.quantization,
      '--eval-every',
      String(c.evalEvery),
    ];
    const steps: TrainingStep[] = [];
    let done: Record<string, unknown> = {};
    let stderr = '';
    let flushed = 0;
    let flushing: Promise<unknown> = Promise.resolve();
    const flush = () => {
      const snapshot = JSON.stringify(steps);
      flushed = Date.now();
      flushing = flushing.then(() =>
        this.#p.db
          .updateTable('training_jobs')
          .set({ steps: snapshot })
          .where('id', '=', trainingJobId)
          .execute(),
      );
    };
    const child = spawn(file, argv, {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: this.#p.config.learning.trainerTimeoutMs,
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-4000);
    });
    const lines = createInterface({ input: child.stdout });
    const exited = new Promise<number | null>((resolve, reject) => {
      child.on('error', (error) => reject(new Error(`cannot start the trainer (${file}): ${error.message}`)));
      child.on('close', (code, signal) => resolve(signal ? -1 : code));
    });
    for await (const line of lines) {
      let event: Record<string, unknown>;
      try {
        event = JSON.parse(line) as Record<string, unknown>;
      } catch {
        continue;
      }
      if (event.event === 'step' && typeof event.step === 'number' && typeof event.loss === 'number') {
        steps.push({
          step: event.step,
          loss: event.loss,
          ...(typeof event.learning_rate === 'number' ? { learningRate: event.learning_rate } : {}),
        });
      } else if (event.event === 'eval' && typeof event.eval_loss === 'number') {
        const last = steps.findLast((s) => s.step === event.step);
        if (last) last.evalLoss = event.eval_loss;
        else steps.push({ step: Number(event.step ?? 0), loss: Number.NaN, evalLoss: event.eval_loss });
      } else if (event.event === 'done') {
        done = event;
      }
      if (steps.length > MAX_CURVE_POINTS) thinCurve(steps);
      if (Date.now() - flushed > 1000) flush();
    }
    const code = await exited;
    flush();
    await flushing;
    if (code !== 0) {
      throw new Error(
        `trainer exited with ${code === -1 ? 'a signal (timeout?)' : `code ${code}`}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
      );
    }
    let metrics: Record<string, unknown> = {};
    try {
      metrics = JSON.parse(readFileSync(metricsFile, 'utf8')) as Record<string, unknown>;
    } catch {
      metrics = {};
    }
    const num = (key: string) => {
      const v = metrics[key] ?? done[key];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    };
    const texts = (key: string) =>
      Array.isArray(metrics[key])
        ? (metrics[key] as unknown[]).filter((t): t is string => typeof t === 'string')
        : [];
    const lastLoss = steps.findLast((s) => Number.isFinite(s.loss))?.loss ?? null;
    return {
      trainLoss: num('train_loss') ?? lastLoss,
      evalLoss: num('eval_loss') ?? steps.findLast((s) => s.evalLoss !== undefined)?.evalLoss ?? null,
      durationSeconds: num('duration_seconds'),
      samples: num('samples'),
      generations: texts('generations'),
      baseGenerations: texts('base_generations'),
    };
  }
}
