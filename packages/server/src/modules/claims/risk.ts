/**
 * Denial risk for claims: trains the model on the practice's adjudicated claims (a job), registers each version in
 * the model registry (validated against the active version's AUC before it serves), and scores a claim with its
 * calibrated probability, top risk factors and what to do about them.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { DomainError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { MlopsService, ModelVersion, RegistryActor } from '../mlops/service.ts';
import type { AccessContext } from '../patients/service.ts';
import {
  InsufficientHistoryError,
  type RiskClaim,
  type RiskFactor,
  scoreClaim,
  trainRiskModel,
} from './risk-model.ts';
import type { ClaimsService } from './service.ts';

export const RISK_KIND = 'denial_risk';
export const RISK_QUEUE = 'claims-denial-risk-train';

export interface ClaimRisk {
  claimId: string;
  probability: number;
  level: 'low' | 'medium' | 'high';
  factors: RiskFactor[];
  suggestions: string[];
  model: { versionId: string; version: number; auc: number | null };
}

function suggestionFor(feature: string): string | null {
  if (feature === 'no_prior_auth')
    return 'Check whether the payer requires prior authorization for these codes and attach the number (REF G1).';
  if (feature.startsWith('late_') || feature === 'days_to_submit')
    return 'Submit sooner: the claim is close to or past the payer’s timely filing limit.';
  if (feature.startsWith('code='))
    return `Review coding and documentation for ${feature.slice(5)}: it is often denied by this payer.`;
  if (feature.startsWith('modifier='))
    return `Confirm modifier ${feature.slice(9)} is supported by the documentation.`;
  if (feature.startsWith('payer='))
    return `Verify eligibility and the plan’s rules with ${feature.slice(6)} before submitting.`;
  return null;
}

export class ClaimRiskService {
  readonly #p: Platform;
  readonly #claims: ClaimsService;
  readonly #mlops: MlopsService;

  constructor(platform: Platform, claims: ClaimsService, mlops: MlopsService) {
    this.#p = platform;
    this.#claims = claims;
    this.#mlops = mlops;
  }

  /** The practice's adjudicated claims as training examples (denied in whole or in part = 1). */
  async #examples(practiceId: string): Promise<Array<{ claim: RiskClaim; denied: boolean }>> {
    const rows = await this.#p.db
      .selectFrom('claims')
      .select([
        'id',
        'payer_id',
        'place_of_service',
        'total_charge_cents',
        'prior_auth_number',
        'rendering_provider_id',
        'diagnoses',
        'service_date_from',
        'submitted_at',
        'status',
      ])
      .select(
        sql<boolean>`EXISTS (SELECT 1 FROM claim_events e WHERE e.claim_id = claims.id AND e.to_status IN ('denied', 'partially_paid'))`.as(
          'ever_denied',
        ),
      )
      .where('practice_id', '=', practiceId)
      .where('status', 'in', ['paid', 'partially_paid', 'denied', 'appealed', 'closed'])
      .execute();
    const lines = await this.#claims.linesOfClaims(rows.map((r) => r.id));
    return rows.map((r) => ({
      claim: this.#riskClaim(r, lines.get(r.id) ?? []),
      denied: r.ever_denied,
    }));
  }

  #riskClaim(
    r: {
      payer_id: string;
      place_of_service: string;
      total_charge_cents: number;
      prior_auth_number: string | null;
      rendering_provider_id: string | null;
      diagnoses: string[];
      service_date_from: string;
      submitted_at: Date | null;
    },
    lines: Array<{ procedure_code: string; modifiers: string[] }>,
  ): RiskClaim {
    const submitted = r.submitted_at ?? new Date();
    return {
      payerId: r.payer_id,
      procedureCodes: lines.map((l) => l.procedure_code),
      modifiers: lines.flatMap((l) => l.modifiers),
      placeOfService: r.place_of_service,
      totalChargeCents: r.total_charge_cents,
      hasPriorAuth: r.prior_auth_number !== null,
      daysToSubmit: Math.max(
        0,
        Math.round((submitted.getTime() - Date.parse(`${r.service_date_from}T00:00:00Z`)) / 86_400_000),
      ),
      renderingProviderId: r.rendering_provider_id,
      diagnosisCount: r.diagnoses.length,
    };
  }

  /** Trains a new version, registers it, and activates it when it passes the registry's gates. */
  async train(actor: RegistryActor): Promise<ModelVersion> {
    const examples = await this.#examples(actor.practiceId);
    let model: ReturnType<typeof trainRiskModel>;
    try {
      model = trainRiskModel(examples);
    } catch (error) {
      if (error instanceof InsufficientHistoryError)
        throw new DomainError(409, 'insufficient-history', 'Not enough history', error.message);
      throw error;
    }
    const hash = createHash('sha256').update(JSON.stringify(examples)).digest('hex');
    let version = await this.#mlops.register(actor, {
      kind: RISK_KIND,
      name: 'denial-risk-logistic',
      trainingDataHash: hash,
      artifactUri: 'db:denial_risk_models',
      metrics: {
        auc: model.metrics.auc,
        logLoss: model.metrics.logLoss,
        denialRate: model.metrics.denialRate,
        trainSize: model.metrics.trainSize,
      },
      evaluation: { primaryMetric: { name: 'auc', higherIsBetter: true } },
    });
    await this.#p.db
      .insertInto('denial_risk_models')
      .values({ model_version_id: version.id, practice_id: actor.practiceId, model: JSON.stringify(model) })
      .execute();
    version = await this.#mlops.validate(actor, version.id);
    if (version.validationStatus === 'validated') {
      await this.#mlops.deploy(actor, version.id, { strategy: 'immediate' });
      version = await this.#mlops.get(actor.practiceId, version.id);
    }
    return version;
  }

  async risk(ctx: AccessContext, claimId: string): Promise<ClaimRisk> {
    const active = await this.#mlops.active(ctx.practiceId, RISK_KIND, null);
    if (!active)
      throw new DomainError(
        409,
        'no-risk-model',
        'No denial-risk model',
        'no denial-risk model is active yet; train one with POST /v1/claims/risk-model/train',
      );
    const stored = await this.#p.db
      .selectFrom('denial_risk_models')
      .select('model')
      .where('model_version_id', '=', active.id)
      .executeTakeFirstOrThrow();
    const claim = await this.#claims.getClaim(ctx, claimId);
    const { probability, factors } = scoreClaim(stored.model, {
      payerId: claim.payerId,
      procedureCodes: claim.lines.map((l) => l.procedureCode),
      modifiers: claim.lines.flatMap((l) => l.modifiers),
      placeOfService: claim.placeOfService,
      totalChargeCents: claim.totalChargeCents,
      hasPriorAuth: claim.priorAuthNumber !== null,
      daysToSubmit: Math.max(
        0,
        Math.round(
          ((claim.submittedAt ? Date.parse(claim.submittedAt) : Date.now()) -
            Date.parse(`${claim.serviceDateFrom}T00:00:00Z`)) /
            86_400_000,
        ),
      ),
      renderingProviderId: claim.renderingProviderId,
      diagnosisCount: claim.diagnoses.length,
    });
    return {
      claimId,
      probability,
      level: probability >= 0.5 ? 'high' : probability >= 0.2 ? 'medium' : 'low',
      factors,
      suggestions: [
        ...new Set(factors.map((f) => suggestionFor(f.feature)).filter((s): s is string => s !== null)),
      ],
      model: { versionId: active.id, version: active.version, auc: active.metrics.auc ?? null },
    };
  }

  async enqueueTraining(practiceId: string): Promise<string | null> {
    return this.#p.jobs.send(RISK_QUEUE, { practiceId }, { singletonKey: practiceId });
  }
}
