/**
 * Doctor personalization: preferences (versioned, audited, PHI-free), writing samples (stored PHI-masked, the
 * original encrypted), the style profile learned from them, and personalized generation — through the doctor's
 * active LoRA adapter when one is deployed, else style prompting of the base model, else the deterministic
 * renderer. A doctor is a provider of the practice (its id is the provider id); a physician may act only on
 * the provider linked to their own user account.
 */
import { createHash } from 'node:crypto';
import { containsPhi, deidentify } from '@intelluxe/phi';
import type { Transaction } from 'kysely';
import { Counter } from 'prom-client';
import type { Database } from '../../platform/db/schema.ts';
import {
  ConflictError,
  type FieldError,
  ForbiddenError,
  invalidField,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ChatMessage } from '../ai/gateway.ts';
import type { AiService } from '../ai/service.ts';
import type { AuthService } from '../auth/service.ts';
import type { MlopsService, ModelVersion } from '../mlops/service.ts';
import type { GateResult } from '../mlops/tables.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import {
  DEFAULT_PREFERENCES,
  type DoctorPreferences,
  mergePreferences,
  type PreferencesPatch,
  REPORT_FORMATS,
  RESPONSE_FORMATS,
  SUMMARY_STYLES,
  stringsOf,
  TERMINOLOGY,
  withDefaults,
} from './preferences.ts';
import { type RenderContext, renderDeterministic, renderSettings } from './render.ts';
import {
  emptyStyleState,
  extractFeatures,
  profileOf,
  type StyleProfile,
  type StyleState,
  styleMatch,
  updateStyle,
} from './style.ts';

export const SAMPLES_NEEDED = 50;

/** The model name an adapter version is served under (vLLM --lora-modules name=path, Ollama model name). */
export function servedModelName(version: Pick<ModelVersion, 'name' | 'version'>): string {
  return `${version.name}-v${version.version}`;
}
export const ADAPTER_KIND = 'lora_adapter';

export interface PreferencesView {
  doctorId: string;
  preferences: DoctorPreferences;
  version: number;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Fields set by the doctor or learned from feedback (they win over the style profile). */
  explicitFields: string[];
}

export interface SampleInput {
  content: string;
  type: string;
  metadata?: Record<string, unknown>;
}

export interface GenerateInput {
  doctorId: string;
  task: string;
  context: RenderContext;
}

export type AdaptationMethod = 'lora_adapter' | 'style_prompting' | 'deterministic';

export interface GenerateResult {
  content: string;
  adaptationMethod: AdaptationMethod;
  styleConfidence: number;
  styleMatch: number;
  model: string | null;
  modelVersionId: string | null;
}

const SAMPLE_TYPES = /^[a-z][a-z0-9_]{1,49}$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Text with its PHI replaced by [TYPE] tags (the form stored for learning and training). */
export function maskPhi(text: string): { text: string; spans: number } {
  const result = deidentify(text, { mode: 'mask' });
  return { text: result.text, spans: result.spans.length };
}

export class PersonalizationService {
  readonly #p: Platform;
  readonly #ai: AiService;
  readonly #patients: PatientsService;
  readonly #mlops: MlopsService;
  readonly #auth: AuthService;
  readonly #generations: Counter<'method'>;
  readonly #providerOfUser = new Map<string, { providerId: string | null; at: number }>();

  constructor(
    platform: Platform,
    ai: AiService,
    patients: PatientsService,
    mlops: MlopsService,
    auth: AuthService,
  ) {
    this.#p = platform;
    this.#ai = ai;
    this.#patients = patients;
    this.#mlops = mlops;
    this.#auth = auth;
    this.#generations = new Counter({
      name: 'intelluxe_personalization_generations_total',
      help: 'Personalized generations by adaptation method',
      labelNames: ['method'],
      registers: [platform.metrics.registry],
    });
    mlops.registerEvaluator(ADAPTER_KIND, (version, evaluation, _active, practiceId) =>
      this.#styleGate(practiceId, version, evaluation),
    );
  }

  get gatewayConfigured(): boolean {
    return this.#ai.gateway.configured;
  }

  /** Checks the doctor is a provider of the caller's practice the caller may act for. */
  async authorizeDoctor(ctx: AccessContext, doctorId: string): Promise<void> {
    await this.#patients.getProvider(ctx.practiceId, doctorId);
    if (ctx.actorRole !== 'physician') return;
    const cached = this.#providerOfUser.get(ctx.actorId ?? '');
    let providerId = cached && Date.now() - cached.at < 60_000 ? cached.providerId : undefined;
    if (providerId === undefined) {
      const user = (await this.#auth.listUsers(ctx.practiceId)).find((u) => u.id === ctx.actorId);
      providerId = user?.providerId ?? null;
      this.#providerOfUser.set(ctx.actorId ?? '', { providerId, at: Date.now() });
    }
    if (providerId !== doctorId) {
      throw new ForbiddenError('a physician may only act on their own personalization (their provider id)');
    }
  }

  /** A doctor by provider id or NPI (the seed-compatible services accept either). */
  async resolveDoctor(ctx: AccessContext, idOrNpi: string): Promise<string> {
    if (/^\d{10}$/.test(idOrNpi)) {
      const provider = (await this.#patients.listProviders(ctx.practiceId, true)).find(
        (p) => p.npi === idOrNpi,
      );
      if (!provider) throw new NotFoundError('doctor with NPI', idOrNpi, '/doctor_id');
      return provider.id;
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrNpi)) {
      throw invalidField('/doctor_id', 'must be a provider id (uuid) or a 10-digit NPI');
    }
    return idOrNpi;
  }

  #audit(ctx: AccessContext, action: string, resourceType: string, resourceId: string, details = {}) {
    return this.#p.audit.record({
      ...ctx,
      action,
      outcome: 'success',
      resourceType,
      resourceId,
      details,
    });
  }

  // ---- preferences -------------------------------------------------------------------------------------

  async getPreferences(ctx: AccessContext, doctorId: string): Promise<PreferencesView> {
    await this.authorizeDoctor(ctx, doctorId);
    return this.#preferences(doctorId);
  }

  async #preferences(doctorId: string, db: Transaction<Database> | Platform['db'] = this.#p.db) {
    const row = await db
      .selectFrom('doctor_preferences')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .executeTakeFirst();
    return {
      doctorId,
      preferences: withDefaults(row?.preferences),
      version: row?.version ?? 0,
      updatedAt: row?.updated_at.toISOString() ?? null,
      updatedBy: row?.updated_by ?? null,
      explicitFields: row?.explicit_fields ?? [],
    };
  }

  #validatePatch(patch: PreferencesPatch): void {
    const errors: FieldError[] = [];
    const oneOf = (path: string, value: unknown, allowed: readonly string[]) => {
      if (value !== undefined && !allowed.includes(value as string))
        errors.push({ path, message: `must be one of ${allowed.join(', ')}` });
    };
    oneOf('/summaryStyle', patch.summaryStyle, SUMMARY_STYLES);
    oneOf('/terminology', patch.terminology, TERMINOLOGY);
    oneOf('/reportFormat', patch.reportFormat, REPORT_FORMATS);
    oneOf('/responseFormat', patch.responseFormat, RESPONSE_FORMATS);
    if (
      patch.detailLevel !== undefined &&
      (!Number.isInteger(patch.detailLevel) || patch.detailLevel < 1 || patch.detailLevel > 10)
    ) {
      errors.push({ path: '/detailLevel', message: 'must be an integer from 1 to 10' });
    }
    for (const { path, text } of stringsOf(patch)) {
      if (containsPhi(text)) {
        errors.push({
          path,
          message: 'contains protected health information; preferences must not hold patient details',
        });
      }
    }
    if (errors.length > 0) throw new ValidationError(errors);
  }

  async updatePreferences(
    ctx: AccessContext,
    doctorId: string,
    patch: PreferencesPatch,
    source: 'user' | 'seed_api' = 'user',
  ): Promise<PreferencesView & { changed: string[] }> {
    await this.authorizeDoctor(ctx, doctorId);
    this.#validatePatch(patch);
    const result = await this.#p.db
      .transaction()
      .execute((tx) => this.#writePreferences(tx, ctx, doctorId, patch, source));
    await this.#audit(ctx, 'personalization.preferences.update', 'doctor_preferences', doctorId, {
      changed: result.changed,
      version: result.version,
      source,
    });
    return result;
  }

  /** Applies a learned update inside the caller's transaction (no audit: the caller audits the interaction). */
  async applyLearnedPreferences(
    tx: Transaction<Database>,
    ctx: AccessContext,
    doctorId: string,
    patch: PreferencesPatch,
  ): Promise<{ changed: string[]; version: number }> {
    this.#validatePatch(patch);
    const result = await this.#writePreferences(tx, ctx, doctorId, patch, 'learning');
    return { changed: result.changed, version: result.version };
  }

  async currentPreferences(doctorId: string, tx?: Transaction<Database>) {
    return this.#preferences(doctorId, tx ?? this.#p.db);
  }

  async #writePreferences(
    tx: Transaction<Database>,
    ctx: AccessContext,
    doctorId: string,
    patch: PreferencesPatch,
    source: 'user' | 'learning' | 'seed_api',
  ): Promise<PreferencesView & { changed: string[] }> {
    await tx
      .insertInto('doctor_preferences')
      .values({
        doctor_id: doctorId,
        practice_id: ctx.practiceId,
        preferences: JSON.stringify(DEFAULT_PREFERENCES),
        explicit_fields: '[]',
        version: 0,
      })
      .onConflict((oc) => oc.column('doctor_id').doNothing())
      .execute();
    const row = await tx
      .selectFrom('doctor_preferences')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { preferences, changed } = mergePreferences(withDefaults(row.preferences), patch);
    const explicit = [...new Set([...row.explicit_fields, ...changed])].sort();
    if (changed.length === 0) {
      return {
        doctorId,
        preferences,
        version: row.version,
        updatedAt: row.updated_at.toISOString(),
        updatedBy: row.updated_by,
        explicitFields: row.explicit_fields,
        changed,
      };
    }
    const version = row.version + 1;
    const now = new Date();
    await tx
      .updateTable('doctor_preferences')
      .set({
        preferences: JSON.stringify(preferences),
        explicit_fields: JSON.stringify(explicit),
        version,
        updated_by: ctx.actorId ?? null,
        updated_at: now,
      })
      .where('doctor_id', '=', doctorId)
      .execute();
    await tx
      .insertInto('doctor_preference_versions')
      .values({
        doctor_id: doctorId,
        version,
        preferences: JSON.stringify(preferences),
        changed: JSON.stringify(changed),
        source,
        actor_id: ctx.actorId ?? null,
      })
      .execute();
    return {
      doctorId,
      preferences,
      version,
      updatedAt: now.toISOString(),
      updatedBy: ctx.actorId ?? null,
      explicitFields: explicit,
      changed,
    };
  }

  async preferenceHistory(ctx: AccessContext, doctorId: string) {
    await this.authorizeDoctor(ctx, doctorId);
    const rows = await this.#p.db
      .selectFrom('doctor_preference_versions')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .orderBy('version', 'desc')
      .limit(200)
      .execute();
    return rows.map((r) => ({
      version: r.version,
      preferences: withDefaults(r.preferences),
      changed: r.changed,
      source: r.source,
      actorId: r.actor_id,
      createdAt: r.created_at.toISOString(),
    }));
  }

  // ---- samples and style -------------------------------------------------------------------------------

  async addSample(ctx: AccessContext, doctorId: string, input: SampleInput) {
    await this.authorizeDoctor(ctx, doctorId);
    const errors: FieldError[] = [];
    if (!SAMPLE_TYPES.test(input.type))
      errors.push({ path: '/type', message: 'must be snake_case, e.g. visit_summary' });
    if (input.content.trim().length < 20)
      errors.push({ path: '/content', message: 'must be at least 20 characters of writing' });
    for (const { path, text } of stringsOf(input.metadata ?? {}, '/metadata')) {
      if (containsPhi(text)) errors.push({ path, message: 'contains protected health information' });
    }
    if (errors.length > 0) throw new ValidationError(errors);
    const masked = maskPhi(input.content);
    const features = extractFeatures(masked.text);
    const hash = sha256(masked.text);
    const sample = await this.#p.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('writing_samples')
        .values({
          doctor_id: doctorId,
          practice_id: ctx.practiceId,
          sample_type: input.type,
          content: masked.text,
          content_enc: this.#p.cipher.encrypt(input.content),
          phi_spans: masked.spans,
          content_hash: hash,
          metadata: JSON.stringify(input.metadata ?? {}),
          features: JSON.stringify(features),
          created_by: ctx.actorId ?? null,
        })
        .onConflict((oc) => oc.columns(['doctor_id', 'content_hash']).doNothing())
        .returning(['id', 'created_at'])
        .executeTakeFirst();
      if (!inserted) throw new ConflictError('this writing sample was already submitted');
      await this.observeStyle(tx, ctx.practiceId, doctorId, masked.text, 1, 'sample');
      return inserted;
    });
    await this.#audit(ctx, 'personalization.sample.create', 'writing_sample', sample.id, {
      doctorId,
      type: input.type,
      phiSpansMasked: masked.spans,
    });
    return {
      id: sample.id,
      doctorId,
      type: input.type,
      phiSpansMasked: masked.spans,
      contentHash: hash,
      createdAt: sample.created_at.toISOString(),
      readiness: await this.readinessOf(doctorId),
    };
  }

  /** Folds a text into the doctor's style profile (inside the caller's transaction). */
  async observeStyle(
    tx: Transaction<Database>,
    practiceId: string,
    doctorId: string,
    text: string,
    weight: number,
    kind: 'sample' | 'interaction',
  ): Promise<void> {
    await tx
      .insertInto('style_profiles')
      .values({ doctor_id: doctorId, practice_id: practiceId, state: JSON.stringify(emptyStyleState()) })
      .onConflict((oc) => oc.column('doctor_id').doNothing())
      .execute();
    const row = await tx
      .selectFrom('style_profiles')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const state = updateStyle(row.state, extractFeatures(text), weight);
    await tx
      .updateTable('style_profiles')
      .set({
        state: JSON.stringify(state),
        samples: row.samples + (kind === 'sample' ? 1 : 0),
        interactions: row.interactions + (kind === 'interaction' ? 1 : 0),
        updated_at: new Date(),
      })
      .where('doctor_id', '=', doctorId)
      .execute();
  }

  /** Samples collected against the 50 needed (no authorization: callers check the doctor). */
  async readinessOf(doctorId: string) {
    const row = await this.#p.db
      .selectFrom('writing_samples')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('doctor_id', '=', doctorId)
      .executeTakeFirst();
    const collected = Number(row?.n ?? 0);
    return {
      doctorId,
      samplesCollected: collected,
      samplesNeeded: SAMPLES_NEEDED,
      ready: collected >= SAMPLES_NEEDED,
      percent: Math.min(100, Math.round((collected / SAMPLES_NEEDED) * 100)),
    };
  }

  async readiness(ctx: AccessContext, doctorId: string) {
    await this.authorizeDoctor(ctx, doctorId);
    return this.readinessOf(doctorId);
  }

  async profileOf(
    doctorId: string,
  ): Promise<{ profile: StyleProfile; samples: number; interactions: number; updatedAt: string | null }> {
    const row = await this.#p.db
      .selectFrom('style_profiles')
      .selectAll()
      .where('doctor_id', '=', doctorId)
      .executeTakeFirst();
    const state: StyleState = row?.state ?? emptyStyleState();
    return {
      profile: profileOf(state),
      samples: row?.samples ?? 0,
      interactions: row?.interactions ?? 0,
      updatedAt: row?.updated_at.toISOString() ?? null,
    };
  }

  async style(ctx: AccessContext, doctorId: string) {
    await this.authorizeDoctor(ctx, doctorId);
    const { profile, samples, interactions, updatedAt } = await this.profileOf(doctorId);
    return { doctorId, ...profile, samples, interactions, updatedAt };
  }

  /** The masked samples of a doctor, oldest first (for training datasets). */
  async samplesForTraining(doctorId: string): Promise<Array<{ id: string; type: string; content: string }>> {
    const rows = await this.#p.db
      .selectFrom('writing_samples')
      .select(['id', 'sample_type', 'content'])
      .where('doctor_id', '=', doctorId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({ id: r.id, type: r.sample_type, content: r.content }));
  }

  // ---- generation -------------------------------------------------------------------------------------

  /** The unpersonalized rendering (default preferences, no profile): the baseline of the benchmark. */
  static renderBase(task: string, context: RenderContext): string {
    return renderDeterministic(task, context, renderSettings(DEFAULT_PREFERENCES, null));
  }

  /** The deterministic rendering for a doctor (no model involved). */
  async renderFor(doctorId: string, task: string, context: RenderContext): Promise<string> {
    const prefs = await this.#preferences(doctorId);
    const { profile } = await this.profileOf(doctorId);
    return renderDeterministic(
      task,
      context,
      renderSettings(
        prefs.preferences,
        profile.observations > 0 ? profile : null,
        new Set(prefs.explicitFields),
      ),
    );
  }

  styleInstructions(preferences: DoctorPreferences, profile: StyleProfile, explicit: Set<string>): string {
    const s = renderSettings(preferences, profile.observations > 0 ? profile : null, explicit);
    const f = profile.features;
    const lines = [
      'You draft administrative documentation for a medical practice in the voice of one doctor.',
      'Administrative content only: never give medical advice, diagnoses or treatment recommendations beyond what the provided content states.',
      `Format: ${s.bullets ? 'bullet points' : 'prose paragraphs'}; ${s.concise ? 'concise' : 'detailed'} (detail level ${preferences.detailLevel}/10).`,
      s.sections.length > 0
        ? `Sections in this order: ${s.sections.join(', ')}${s.abbreviatedHeadings ? ' (abbreviated headings such as S:, O:, A:, P:)' : ''}.`
        : 'No section headings.',
      `Terminology: ${s.terminology >= 0.62 ? 'technical, with standard abbreviations (pt, f/u, w/, hx)' : s.terminology <= 0.35 ? 'plain language, no abbreviations' : 'standard'}.`,
      `Tone: ${s.formality >= 0.62 ? 'formal' : s.formality <= 0.38 ? 'casual and brief' : 'neutral professional'}; typical sentence length about ${Math.round(f.sentenceLength.value)} words; about ${Math.round(f.length.value)} words in total.`,
    ];
    if (s.education)
      lines.push(
        'Mention the patient education and written instructions given, when the content supports it.',
      );
    if (s.empathy) lines.push('Acknowledge the patient’s concerns with a short empathetic sentence.');
    if (preferences.customInstructions)
      lines.push(`Doctor's instructions: ${preferences.customInstructions}`);
    return lines.join('\n');
  }

  async generate(ctx: AccessContext, input: GenerateInput): Promise<GenerateResult> {
    await this.authorizeDoctor(ctx, input.doctorId);
    if (!/^[a-z][a-z0-9_]{1,49}$/.test(input.task))
      throw invalidField('/task', 'must be snake_case, e.g. visit_summary');
    if (Object.keys(input.context).length === 0) throw invalidField('/context', 'has no content to write up');
    const prefs = await this.#preferences(input.doctorId);
    const { profile } = await this.profileOf(input.doctorId);
    const explicit = new Set(prefs.explicitFields);
    let result: Omit<GenerateResult, 'styleConfidence' | 'styleMatch'> | null = null;
    if (this.#ai.gateway.configured) {
      const messages = (system: string): ChatMessage[] => [
        { role: 'system', content: system },
        {
          role: 'user',
          content: `Task: ${input.task.replace(/_/g, ' ')}\nContent (JSON):\n${JSON.stringify(input.context, null, 2)}`,
        },
      ];
      const routingKey = sha256(JSON.stringify([input.task, input.context]));
      const serving = await this.#mlops.serving(ctx.practiceId, ADAPTER_KIND, input.doctorId, routingKey);
      if (serving) {
        try {
          const r = await this.#ai.gateway.chat({
            messages: messages(
              'You draft administrative documentation for a medical practice in the voice of the doctor whose adapter you are. Administrative content only: never give medical advice.',
            ),
            model: servedModelName(serving.version),
            feature: 'personalization.generate.adapter',
            practiceId: ctx.practiceId,
            actorId: ctx.actorId ?? null,
          });
          result = {
            content: r.content,
            adaptationMethod: 'lora_adapter',
            model: r.model,
            modelVersionId: serving.version.id,
          };
        } catch (error) {
          this.#p.logger.warn(
            { err: error, adapter: serving.version.name },
            'adapter generation failed; style prompting',
          );
        }
      }
      if (!result) {
        try {
          const r = await this.#ai.gateway.chat({
            messages: messages(this.styleInstructions(prefs.preferences, profile, explicit)),
            feature: 'personalization.generate.style_prompting',
            practiceId: ctx.practiceId,
            actorId: ctx.actorId ?? null,
          });
          result = {
            content: r.content,
            adaptationMethod: 'style_prompting',
            model: r.model,
            modelVersionId: null,
          };
        } catch (error) {
          this.#p.logger.warn({ err: error }, 'style prompting failed; deterministic rendering');
        }
      }
    }
    result ??= {
      content: renderDeterministic(
        input.task,
        input.context,
        renderSettings(prefs.preferences, profile.observations > 0 ? profile : null, explicit),
      ),
      adaptationMethod: 'deterministic',
      model: null,
      modelVersionId: null,
    };
    this.#generations.inc({ method: result.adaptationMethod });
    await this.#audit(ctx, 'personalization.generate', 'doctor', input.doctorId, {
      task: input.task,
      method: result.adaptationMethod,
      modelVersionId: result.modelVersionId,
    });
    return {
      ...result,
      styleConfidence: profile.confidence,
      styleMatch: profile.observations > 0 ? styleMatch(profile, result.content) : 0,
    };
  }

  /** Safety gate of LoRA adapters: its generations must match the doctor's style better than the base model's. */
  async #styleGate(
    practiceId: string,
    version: ModelVersion,
    evaluation: Record<string, unknown>,
  ): Promise<GateResult[]> {
    if (!version.subjectId) {
      return [
        {
          gate: 'style_match',
          passed: false,
          blocking: true,
          detail: 'an adapter needs a doctor (subjectId)',
        },
      ];
    }
    await this.#patients.getProvider(practiceId, version.subjectId);
    const { profile } = await this.profileOf(version.subjectId);
    const texts = (key: string) =>
      Array.isArray(evaluation[key])
        ? (evaluation[key] as unknown[]).filter((t): t is string => typeof t === 'string')
        : [];
    const candidate = texts('generations');
    const base = texts('baseGenerations');
    if (candidate.length === 0 || base.length === 0 || profile.observations === 0) {
      return [
        {
          gate: 'style_match',
          passed: false,
          blocking: false,
          detail: 'needs generations of the adapter and of the base model, and a style profile',
        },
      ];
    }
    const avg = (xs: string[]) => xs.reduce((a, t) => a + styleMatch(profile, t), 0) / xs.length;
    const c = Math.round(avg(candidate) * 1000) / 1000;
    const b = Math.round(avg(base) * 1000) / 1000;
    return [
      {
        gate: 'style_match',
        passed: c > b,
        blocking: true,
        detail:
          c > b
            ? `style match ${c} above the base model's ${b}`
            : `style match ${c} not above the base model's ${b}`,
        measured: { candidate: c, base: b },
      },
    ];
  }
}
