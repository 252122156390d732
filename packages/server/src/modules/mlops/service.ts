/**
 * The model registry. Any kind of model registers versions here (LoRA adapters, the denial-risk model, base
 * models): each version carries its training-data hash, metrics and evaluation evidence, goes through safety
 * gates (pending → validated / rejected / requires_review), and only a validated version can be deployed —
 * immediately, gradually (a traffic share with automatic rollback when the monitored score falls under a
 * threshold of the previous version's) or in stages. Every step is audited and reversible.
 */
import { createHash } from 'node:crypto';
import { containsPhi } from '@intelluxe/phi';
import type { Selectable, Transaction } from 'kysely';
import type { Database } from '../../platform/db/schema.ts';
import { ConflictError, invalidField, NotFoundError, ValidationError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditService } from '../audit/service.ts';
import type { AuditActor } from '../auth/service.ts';
import type {
  GateResult,
  ModelVersionsTable,
  Observation,
  ValidationStatus,
  VersionStatus,
} from './tables.ts';

export type RegistryActor = AuditActor & { practiceId: string };

export interface ModelVersionInput {
  kind: string;
  name: string;
  subjectId?: string | null;
  baseModel?: string | null;
  artifactUri?: string | null;
  trainingDataHash?: string | null;
  trainingJobId?: string | null;
  metrics?: Record<string, number>;
  /**
   * Evidence for the gates: `primaryMetric` ({name, higherIsBetter}) for the regression gate, `generations`
   * (texts the version produced on the evaluation prompts) for the PHI-leak gate, and kind-specific data.
   */
  evaluation?: Record<string, unknown>;
}

export interface ModelVersion {
  id: string;
  kind: string;
  name: string;
  version: number;
  subjectId: string | null;
  baseModel: string | null;
  artifactUri: string | null;
  trainingDataHash: string | null;
  trainingJobId: string | null;
  metrics: Record<string, number>;
  validationStatus: ValidationStatus;
  gateResults: GateResult[] | null;
  validatedBy: string | null;
  validatedAt: string | null;
  reviewNotes: string | null;
  status: VersionStatus;
  createdBy: string | null;
  createdAt: string;
  activatedAt: string | null;
}

export interface Deployment {
  id: string;
  modelVersionId: string;
  previousVersionId: string | null;
  strategy: 'immediate' | 'gradual' | 'staged';
  trafficShare: number;
  stages: number[];
  stage: number;
  rollbackThreshold: number;
  baselineScore: number | null;
  minObservations: number;
  observations: Observation[];
  candidateScore: number | null;
  status: 'in_progress' | 'completed' | 'rolled_back';
  reason: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface DeployInput {
  strategy: 'immediate' | 'gradual' | 'staged';
  trafficShare?: number;
  stages?: number[];
  /** Roll back when the candidate's mean score < threshold × baseline (default 0.95). */
  rollbackThreshold?: number;
  /** The previous version's score; default its metrics.monitoredScore, else the control arm's observations. */
  baselineScore?: number;
  minObservations?: number;
}

/** Kind-specific gates (the personalization module adds style match for LoRA adapters). */
export type GateEvaluator = (
  version: ModelVersion,
  evaluation: Record<string, unknown>,
  active: ModelVersion | null,
  practiceId: string,
) => Promise<GateResult[]>;

const KIND = /^[a-z][a-z0-9_]{1,49}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;
const REGRESSION_TOLERANCE = 0.02;
/** Kinds whose output is text: their generations must be checked for PHI before activation. */
const TEXT_KINDS = new Set(['lora_adapter', 'base_model', 'llm']);

function toVersion(r: Selectable<ModelVersionsTable>): ModelVersion {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    version: r.version,
    subjectId: r.subject_id,
    baseModel: r.base_model,
    artifactUri: r.artifact_uri,
    trainingDataHash: r.training_data_hash,
    trainingJobId: r.training_job_id,
    metrics: r.metrics,
    validationStatus: r.validation_status,
    gateResults: r.gate_results,
    validatedBy: r.validated_by,
    validatedAt: r.validated_at?.toISOString() ?? null,
    reviewNotes: r.review_notes,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    activatedAt: r.activated_at?.toISOString() ?? null,
  };
}

const mean = (xs: number[]) => (xs.length === 0 ? null : xs.reduce((a, b) => a + b, 0) / xs.length);

export class MlopsService {
  readonly #p: Platform;
  readonly #audit: AuditService;
  readonly #evaluators = new Map<string, GateEvaluator>();

  constructor(platform: Platform, audit: AuditService) {
    this.#p = platform;
    this.#audit = audit;
  }

  /** Adds gates for one kind of model. */
  registerEvaluator(kind: string, evaluator: GateEvaluator): void {
    this.#evaluators.set(kind, evaluator);
  }

  #record(actor: RegistryActor, action: string, resourceId: string, details: Record<string, unknown>) {
    return this.#p.audit.record({
      ...actor,
      purpose: 'operations',
      action,
      outcome: 'success',
      resourceType: 'model_version',
      resourceId,
      details,
    });
  }

  async register(
    actor: RegistryActor,
    input: ModelVersionInput,
    tx?: Transaction<Database>,
  ): Promise<ModelVersion> {
    const errors = [];
    if (!KIND.test(input.kind))
      errors.push({ path: '/kind', message: 'must be snake_case (e.g. lora_adapter)' });
    if (!NAME.test(input.name))
      errors.push({ path: '/name', message: 'must be 1-128 characters of A-Z a-z 0-9 . _ : / -' });
    for (const [k, v] of Object.entries(input.metrics ?? {})) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        errors.push({ path: `/metrics/${k}`, message: 'must be a finite number' });
    }
    if (errors.length) throw new ValidationError(errors);
    const run = async (t: Transaction<Database>) => {
      await t
        .selectFrom('practices')
        .select('id')
        .where('id', '=', actor.practiceId)
        .forUpdate()
        .executeTakeFirstOrThrow();
      const last = await t
        .selectFrom('model_versions')
        .select((eb) => eb.fn.max('version').as('v'))
        .where('practice_id', '=', actor.practiceId)
        .where('kind', '=', input.kind)
        .where('name', '=', input.name)
        .executeTakeFirst();
      return t
        .insertInto('model_versions')
        .values({
          practice_id: actor.practiceId,
          kind: input.kind,
          name: input.name,
          version: Number(last?.v ?? 0) + 1,
          subject_id: input.subjectId ?? null,
          base_model: input.baseModel ?? null,
          artifact_uri: input.artifactUri ?? null,
          training_data_hash: input.trainingDataHash ?? null,
          training_job_id: input.trainingJobId ?? null,
          metrics: JSON.stringify(input.metrics ?? {}),
          evaluation: JSON.stringify(input.evaluation ?? {}),
          created_by: actor.actorId ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    };
    const row = tx ? await run(tx) : await this.#p.db.transaction().execute(run);
    const version = toVersion(row);
    await this.#record(actor, 'mlops.model.register', version.id, {
      kind: version.kind,
      name: version.name,
      version: version.version,
      trainingDataHash: version.trainingDataHash,
    });
    return version;
  }

  async list(
    practiceId: string,
    query: { kind?: string; name?: string; subjectId?: string; status?: string; limit?: number },
  ): Promise<ModelVersion[]> {
    let q = this.#p.db.selectFrom('model_versions').selectAll().where('practice_id', '=', practiceId);
    if (query.kind) q = q.where('kind', '=', query.kind);
    if (query.name) q = q.where('name', '=', query.name);
    if (query.subjectId) q = q.where('subject_id', '=', query.subjectId);
    if (query.status) q = q.where('status', '=', query.status as VersionStatus);
    const rows = await q
      .orderBy('version', 'desc')
      .orderBy('created_at', 'desc')
      .limit(query.limit ?? 100)
      .execute();
    return rows.map(toVersion);
  }

  async get(practiceId: string, id: string): Promise<ModelVersion> {
    const row = await this.#p.db
      .selectFrom('model_versions')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('model version', id);
    return toVersion(row);
  }

  async evaluationOf(practiceId: string, id: string): Promise<Record<string, unknown>> {
    const row = await this.#p.db
      .selectFrom('model_versions')
      .select('evaluation')
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('model version', id);
    return row.evaluation;
  }

  async active(practiceId: string, kind: string, subjectId: string | null): Promise<ModelVersion | null> {
    let q = this.#p.db
      .selectFrom('model_versions')
      .selectAll()
      .where('practice_id', '=', practiceId)
      .where('kind', '=', kind)
      .where('status', '=', 'active');
    q = subjectId === null ? q.where('subject_id', 'is', null) : q.where('subject_id', '=', subjectId);
    const row = await q.executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  /**
   * The version that serves one request: during a gradual or staged rollout, requests whose routing key hashes
   * under the traffic share get the candidate; the rest (and everything else) the active version.
   */
  async serving(
    practiceId: string,
    kind: string,
    subjectId: string | null,
    routingKey: string,
  ): Promise<{ version: ModelVersion; deploymentId: string | null; arm: 'candidate' | 'control' } | null> {
    let q = this.#p.db
      .selectFrom('model_deployments as d')
      .innerJoin('model_versions as v', 'v.id', 'd.model_version_id')
      .selectAll('v')
      .select(['d.id as deployment_id', 'd.traffic_share'])
      .where('d.practice_id', '=', practiceId)
      .where('d.status', '=', 'in_progress')
      .where('v.kind', '=', kind);
    q = subjectId === null ? q.where('v.subject_id', 'is', null) : q.where('v.subject_id', '=', subjectId);
    const rollout = await q.executeTakeFirst();
    if (rollout) {
      const bucket = createHash('sha256').update(routingKey).digest().readUInt32BE(0) / 0xffffffff;
      if (bucket < rollout.traffic_share) {
        const { deployment_id, traffic_share: _, ...row } = rollout;
        return { version: toVersion(row), deploymentId: deployment_id, arm: 'candidate' };
      }
      const active = await this.active(practiceId, kind, subjectId);
      return active ? { version: active, deploymentId: rollout.deployment_id, arm: 'control' } : null;
    }
    const active = await this.active(practiceId, kind, subjectId);
    return active ? { version: active, deploymentId: null, arm: 'control' } : null;
  }

  /** Runs the safety gates and records the outcome: validated, rejected or requires_review. */
  async validate(actor: RegistryActor, id: string): Promise<ModelVersion> {
    const version = await this.get(actor.practiceId, id);
    if (version.status !== 'candidate') {
      throw new ConflictError(`version ${id} is ${version.status}; only candidates are validated`);
    }
    const evaluation = await this.evaluationOf(actor.practiceId, id);
    const active = await this.active(actor.practiceId, version.kind, version.subjectId);
    const gates: GateResult[] = [
      this.#regressionGate(version, evaluation, active),
      this.#phiGate(version.kind, evaluation),
    ];
    const evaluator = this.#evaluators.get(version.kind);
    if (evaluator) gates.push(...(await evaluator(version, evaluation, active, actor.practiceId)));
    const status: ValidationStatus = gates.some((g) => !g.passed && g.blocking)
      ? 'rejected'
      : gates.some((g) => !g.passed)
        ? 'requires_review'
        : 'validated';
    const row = await this.#p.db
      .updateTable('model_versions')
      .set({
        validation_status: status,
        gate_results: JSON.stringify(gates),
        validated_by: status === 'validated' || status === 'rejected' ? (actor.actorId ?? 'system') : null,
        validated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#record(actor, 'mlops.model.validate', id, {
      status,
      gates: gates.map((g) => ({ gate: g.gate, passed: g.passed })),
    });
    return toVersion(row);
  }

  #regressionGate(
    version: ModelVersion,
    evaluation: Record<string, unknown>,
    active: ModelVersion | null,
  ): GateResult {
    const primary = (evaluation.primaryMetric as { name?: string; higherIsBetter?: boolean } | undefined) ?? {
      name: 'eval_loss',
      higherIsBetter: false,
    };
    const name = primary.name ?? 'eval_loss';
    const higher = primary.higherIsBetter ?? false;
    if (!active) {
      return {
        gate: 'no_regression',
        passed: true,
        blocking: true,
        detail: 'no active version to regress against',
      };
    }
    const candidate = version.metrics[name];
    const current = active.metrics[name];
    if (candidate === undefined || current === undefined) {
      return {
        gate: 'no_regression',
        passed: false,
        blocking: false,
        detail: `metric ${name} is missing on the ${candidate === undefined ? 'candidate' : 'active version'}`,
        measured: { candidate: candidate ?? null, active: current ?? null },
      };
    }
    const passed = higher
      ? candidate >= current * (1 - REGRESSION_TOLERANCE)
      : candidate <= current * (1 + REGRESSION_TOLERANCE);
    return {
      gate: 'no_regression',
      passed,
      blocking: true,
      detail: passed
        ? `${name} ${candidate} vs active ${current}: no regression`
        : `${name} ${candidate} regresses against the active version's ${current}`,
      measured: { candidate, active: current },
    };
  }

  #phiGate(kind: string, evaluation: Record<string, unknown>): GateResult {
    const generations = Array.isArray(evaluation.generations)
      ? evaluation.generations.filter((g): g is string => typeof g === 'string')
      : [];
    if (generations.length === 0 && !TEXT_KINDS.has(kind)) {
      return {
        gate: 'phi_leak',
        passed: true,
        blocking: true,
        detail: `not applicable: a ${kind} model does not generate text`,
      };
    }
    if (generations.length === 0) {
      return {
        gate: 'phi_leak',
        passed: false,
        blocking: false,
        detail: 'no generated samples to check for PHI',
      };
    }
    const leaking = generations.filter((g) => containsPhi(g)).length;
    return {
      gate: 'phi_leak',
      passed: leaking === 0,
      blocking: true,
      detail:
        leaking === 0
          ? `${generations.length} generated samples contain no PHI`
          : `${leaking} of ${generations.length} generated samples contain PHI`,
      measured: { samples: generations.length, leaking },
    };
  }

  /** A human decision on a version whose gates asked for review. */
  async review(
    actor: RegistryActor,
    id: string,
    decision: 'validated' | 'rejected',
    notes: string,
  ): Promise<ModelVersion> {
    const version = await this.get(actor.practiceId, id);
    if (version.validationStatus !== 'requires_review') {
      throw new ConflictError(`version ${id} is ${version.validationStatus}, not requires_review`);
    }
    const blocking = (version.gateResults ?? []).filter((g) => !g.passed && g.blocking);
    if (decision === 'validated' && blocking.length > 0) {
      throw new ConflictError(`blocking gates failed: ${blocking.map((g) => g.gate).join(', ')}`);
    }
    const row = await this.#p.db
      .updateTable('model_versions')
      .set({
        validation_status: decision,
        validated_by: actor.actorId ?? null,
        validated_at: new Date(),
        review_notes: notes,
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#record(actor, 'mlops.model.review', id, { decision });
    return toVersion(row);
  }

  async deploy(actor: RegistryActor, id: string, input: DeployInput): Promise<Deployment> {
    const threshold = input.rollbackThreshold ?? 0.95;
    if (threshold <= 0 || threshold > 1) throw invalidField('/rollbackThreshold', 'must be in (0, 1]');
    let stages: number[] = [];
    if (input.strategy === 'staged') {
      stages = input.stages ?? [0.05, 0.25, 0.5, 1];
      if (stages.some((s, i) => s <= 0 || s > 1 || (i > 0 && s <= stages[i - 1]!)))
        throw invalidField('/stages', 'must be increasing traffic shares in (0, 1]');
    }
    const share =
      input.strategy === 'immediate'
        ? 1
        : input.strategy === 'staged'
          ? stages[0]!
          : (input.trafficShare ?? 0.1);
    if (share <= 0 || share > 1) throw invalidField('/trafficShare', 'must be in (0, 1]');
    const result = await this.#p.db.transaction().execute(async (tx) => {
      const row = await lockedVersion(tx, actor.practiceId, id);
      const version = toVersion(row);
      if (version.validationStatus !== 'validated') {
        const failed = (version.gateResults ?? []).filter((g) => !g.passed).map((g) => g.gate);
        throw new ConflictError(
          `version ${version.name} v${version.version} is ${version.validationStatus}: only validated versions can be activated` +
            (failed.length ? ` (failed gates: ${failed.join(', ')})` : ''),
          { validationStatus: version.validationStatus, failedGates: failed },
        );
      }
      if (version.status !== 'candidate')
        throw new ConflictError(`version ${id} is already ${version.status}`);
      let activeQ = tx
        .selectFrom('model_versions')
        .selectAll()
        .where('practice_id', '=', actor.practiceId)
        .where('kind', '=', version.kind)
        .where('status', 'in', ['active', 'deploying']);
      activeQ =
        version.subjectId === null
          ? activeQ.where('subject_id', 'is', null)
          : activeQ.where('subject_id', '=', version.subjectId);
      const others = (await activeQ.forUpdate().execute()).map(toVersion);
      if (others.some((o) => o.status === 'deploying')) {
        throw new ConflictError(
          'another version of this model is being rolled out; finish or roll it back first',
        );
      }
      const previous = others.find((o) => o.status === 'active') ?? null;
      const immediate = input.strategy === 'immediate' || !previous;
      const baseline = input.baselineScore ?? (previous ? (previous.metrics.monitoredScore ?? null) : null);
      if (immediate) {
        if (previous) {
          await tx
            .updateTable('model_versions')
            .set({ status: 'retired' })
            .where('id', '=', previous.id)
            .execute();
        }
        await tx
          .updateTable('model_versions')
          .set({ status: 'active', activated_at: new Date() })
          .where('id', '=', id)
          .execute();
      } else {
        await tx.updateTable('model_versions').set({ status: 'deploying' }).where('id', '=', id).execute();
      }
      const deployment = await tx
        .insertInto('model_deployments')
        .values({
          practice_id: actor.practiceId,
          model_version_id: id,
          previous_version_id: previous?.id ?? null,
          strategy: input.strategy,
          traffic_share: immediate ? 1 : share,
          stages: JSON.stringify(stages),
          stage: 0,
          rollback_threshold: threshold,
          baseline_score: baseline,
          min_observations: input.minObservations ?? 5,
          status: immediate ? 'completed' : 'in_progress',
          reason: immediate && input.strategy !== 'immediate' ? 'no active version: activated at once' : null,
          created_by: actor.actorId ?? null,
          updated_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return deployment;
    });
    await this.#record(actor, 'mlops.model.deploy', id, {
      deploymentId: result.id,
      strategy: input.strategy,
      trafficShare: result.traffic_share,
      status: result.status,
    });
    return this.#deployment(result);
  }

  #deployment(r: {
    id: string;
    model_version_id: string;
    previous_version_id: string | null;
    strategy: 'immediate' | 'gradual' | 'staged';
    traffic_share: number;
    stages: number[];
    stage: number;
    rollback_threshold: number;
    baseline_score: number | null;
    min_observations: number;
    observations: Observation[];
    status: 'in_progress' | 'completed' | 'rolled_back';
    reason: string | null;
    created_at: Date;
    updated_at: Date;
  }): Deployment {
    const candidate = r.observations.filter((o) => o.source !== 'control').map((o) => o.score);
    const score = mean(candidate.slice(-r.min_observations));
    return {
      id: r.id,
      modelVersionId: r.model_version_id,
      previousVersionId: r.previous_version_id,
      strategy: r.strategy,
      trafficShare: r.traffic_share,
      stages: r.stages,
      stage: r.stage,
      rollbackThreshold: r.rollback_threshold,
      baselineScore: r.baseline_score,
      minObservations: r.min_observations,
      observations: r.observations,
      candidateScore: score === null ? null : Math.round(score * 10000) / 10000,
      status: r.status,
      reason: r.reason,
      createdAt: r.created_at.toISOString(),
      updatedAt: r.updated_at.toISOString(),
    };
  }

  async getDeployment(practiceId: string, id: string): Promise<Deployment> {
    const row = await this.#p.db
      .selectFrom('model_deployments')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('deployment', id);
    return this.#deployment(row);
  }

  /** Locks a rollout that is still in progress (404 when unknown, 409 when it has ended). */
  async #lockRollout(tx: Transaction<Database>, practiceId: string, deploymentId: string) {
    const row = await tx
      .selectFrom('model_deployments')
      .selectAll()
      .where('id', '=', deploymentId)
      .where('practice_id', '=', practiceId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw new NotFoundError('deployment', deploymentId);
    if (row.status !== 'in_progress') throw new ConflictError(`deployment ${deploymentId} is ${row.status}`);
    return row;
  }

  /**
   * Records a monitored score of the rollout (source 'candidate', or 'control' for the previous version's
   * arm). When the candidate has at least `minObservations` scores and their recent mean falls under
   * threshold × baseline, the rollout rolls back on its own.
   */
  async observe(
    actor: RegistryActor,
    deploymentId: string,
    observation: { score: number; source?: 'candidate' | 'control' },
  ): Promise<Deployment> {
    if (!Number.isFinite(observation.score) || observation.score < 0)
      throw invalidField('/score', 'must be a non-negative number');
    let rolledBack: string | null = null;
    const result = await this.#p.db.transaction().execute(async (tx) => {
      const row = await this.#lockRollout(tx, actor.practiceId, deploymentId);
      const observations = [
        ...row.observations,
        { score: observation.score, at: new Date().toISOString(), source: observation.source ?? 'candidate' },
      ];
      const candidate = observations.filter((o) => o.source !== 'control').map((o) => o.score);
      const control = observations.filter((o) => o.source === 'control').map((o) => o.score);
      const baseline = row.baseline_score ?? mean(control);
      const recent = mean(candidate.slice(-row.min_observations));
      let status: 'in_progress' | 'rolled_back' = 'in_progress';
      let reason: string | null = row.reason;
      if (baseline !== null && recent !== null && candidate.length >= row.min_observations) {
        if (recent < row.rollback_threshold * baseline) {
          status = 'rolled_back';
          reason = `monitored score ${recent.toFixed(4)} fell under ${row.rollback_threshold} × baseline ${baseline.toFixed(4)}`;
          await tx
            .updateTable('model_versions')
            .set({ status: 'rolled_back' })
            .where('id', '=', row.model_version_id)
            .execute();
          rolledBack = reason;
        }
      }
      return tx
        .updateTable('model_deployments')
        .set({ observations: JSON.stringify(observations), status, reason, updated_at: new Date() })
        .where('id', '=', deploymentId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    if (rolledBack) {
      await this.#record(actor, 'mlops.model.rollback', result.model_version_id, {
        deploymentId,
        automatic: true,
        reason: rolledBack,
      });
    }
    return this.#deployment(result);
  }

  /**
   * Feeds a monitored score for the version that produced an output (a doctor's satisfaction with it, for
   * example) into the rollout it takes part in: as the candidate, or as the control arm's previous version.
   * Returns the deployment, or null when the version is in no rollout.
   */
  async observeVersion(actor: RegistryActor, versionId: string, score: number): Promise<Deployment | null> {
    const rollout = await this.#p.db
      .selectFrom('model_deployments')
      .select(['id', 'model_version_id'])
      .where('practice_id', '=', actor.practiceId)
      .where('status', '=', 'in_progress')
      .where((eb) =>
        eb.or([eb('model_version_id', '=', versionId), eb('previous_version_id', '=', versionId)]),
      )
      .orderBy('created_at', 'desc')
      .executeTakeFirst();
    if (!rollout) return null;
    return this.observe(actor, rollout.id, {
      score,
      source: rollout.model_version_id === versionId ? 'candidate' : 'control',
    });
  }

  /** Moves a rollout forward: the next stage, or (last stage, or gradual) full activation. */
  async promote(actor: RegistryActor, deploymentId: string): Promise<Deployment> {
    const result = await this.#p.db.transaction().execute(async (tx) => {
      const row = await this.#lockRollout(tx, actor.practiceId, deploymentId);
      const nextStage = row.stage + 1;
      if (row.strategy === 'staged' && nextStage < row.stages.length) {
        return tx
          .updateTable('model_deployments')
          .set({ stage: nextStage, traffic_share: row.stages[nextStage]!, updated_at: new Date() })
          .where('id', '=', deploymentId)
          .returningAll()
          .executeTakeFirstOrThrow();
      }
      if (row.previous_version_id) {
        await tx
          .updateTable('model_versions')
          .set({ status: 'retired' })
          .where('id', '=', row.previous_version_id)
          .where('status', '=', 'active')
          .execute();
      }
      await tx
        .updateTable('model_versions')
        .set({ status: 'active', activated_at: new Date() })
        .where('id', '=', row.model_version_id)
        .execute();
      return tx
        .updateTable('model_deployments')
        .set({ status: 'completed', traffic_share: 1, updated_at: new Date() })
        .where('id', '=', deploymentId)
        .returningAll()
        .executeTakeFirstOrThrow();
    });
    await this.#record(actor, 'mlops.model.promote', result.model_version_id, {
      deploymentId,
      trafficShare: result.traffic_share,
      status: result.status,
    });
    return this.#deployment(result);
  }

  /**
   * Rolls a version back: a rollout in progress stops (the previous version keeps serving); an active version
   * hands over to the version it replaced.
   */
  async rollback(actor: RegistryActor, id: string, reason: string): Promise<ModelVersion> {
    const restored = await this.#p.db.transaction().execute(async (tx) => {
      const row = await lockedVersion(tx, actor.practiceId, id);
      if (row.status !== 'active' && row.status !== 'deploying') {
        throw new ConflictError(
          `version ${id} is ${row.status}: only active or deploying versions roll back`,
        );
      }
      const deployment = await tx
        .selectFrom('model_deployments')
        .selectAll()
        .where('model_version_id', '=', id)
        .orderBy('created_at', 'desc')
        .executeTakeFirst();
      await tx.updateTable('model_versions').set({ status: 'rolled_back' }).where('id', '=', id).execute();
      if (deployment?.status === 'in_progress') {
        await tx
          .updateTable('model_deployments')
          .set({ status: 'rolled_back', reason, updated_at: new Date() })
          .where('id', '=', deployment.id)
          .execute();
      }
      if (row.status === 'active' && deployment?.previous_version_id) {
        await tx
          .updateTable('model_versions')
          .set({ status: 'active', activated_at: new Date() })
          .where('id', '=', deployment.previous_version_id)
          .where('status', '=', 'retired')
          .execute();
        return deployment.previous_version_id;
      }
      return null;
    });
    await this.#record(actor, 'mlops.model.rollback', id, { automatic: false, reason, restored });
    return this.get(actor.practiceId, id);
  }

  /** Everything an auditor asks about one version: lineage, gates, deployments, and its audit trail. */
  async auditReport(actor: RegistryActor, id: string) {
    const version = await this.get(actor.practiceId, id);
    const deployments = await this.#p.db
      .selectFrom('model_deployments')
      .selectAll()
      .where('model_version_id', '=', id)
      .orderBy('created_at')
      .execute();
    const events = await this.#audit.listEvents(
      { resourceType: 'model_version', resourceId: id, limit: 500 },
      actor,
    );
    return {
      generatedAt: new Date().toISOString(),
      version,
      lineage: {
        baseModel: version.baseModel,
        trainingDataHash: version.trainingDataHash,
        trainingJobId: version.trainingJobId,
        artifactUri: version.artifactUri,
      },
      gates: version.gateResults ?? [],
      deployments: deployments.map((d) => this.#deployment(d)),
      events: events.items
        .map((e) => ({
          at: e.occurredAt,
          action: e.action,
          actor: e.actor,
          outcome: e.outcome,
          details: e.details,
        }))
        .reverse(),
    };
  }
}

/** A model version of the practice, locked for the rest of the transaction (deploy and rollback change it). */
async function lockedVersion(tx: Transaction<Database>, practiceId: string, id: string) {
  const row = await tx
    .selectFrom('model_versions')
    .selectAll()
    .where('id', '=', id)
    .where('practice_id', '=', practiceId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw new NotFoundError('model version', id);
  return row;
}
