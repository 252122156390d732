/**
 * Seed-compatible personalization services (design notes' ports): personalization (8007), doctor-style-adapter
 * (8012) and doctor-personalization (8014). Same rules as /v1 (auth, PHI guard, audit); the design notes' body
 * shapes. `doctor_id` is a provider id or the provider's NPI.
 */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { ValidationError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/types.ts';
import type { SeedService } from '../../seed-services.ts';
import { seedInteraction } from '../learning/seed.ts';
import { accessContext } from '../patients/routes.ts';
import type { DoctorPreferences, PreferencesPatch } from './preferences.ts';
import { ADAPTER_KIND, servedModelName } from './service.ts';

const ROLES: Role[] = ['admin', 'physician', 'service'];
const READ: Role[] = ['admin', 'physician', 'practice_manager', 'service'];
const tags = ['seed services'];
const DoctorParams = Type.Object({ doctor_id: Type.String({ minLength: 1, maxLength: 64 }) });
const Body = Type.Record(Type.String(), Type.Unknown());

/** snake_case (design notes) ⇄ camelCase (v1) for the preference document. */
const SNAKE: Record<string, keyof DoctorPreferences> = {
  summary_style: 'summaryStyle',
  preferred_terminology: 'terminology',
  terminology: 'terminology',
  report_format: 'reportFormat',
  response_format: 'responseFormat',
  detail_level: 'detailLevel',
  notification_preferences: 'notifications',
  ui_preferences: 'ui',
  focus_areas: 'focusAreas',
  clinical_interests: 'focusAreas',
  custom_instructions: 'customInstructions',
};
const SUB: Record<string, string> = {
  in_app: 'inApp',
  urgent_threshold: 'urgentThreshold',
  font_size: 'fontSize',
};

function fromSeed(body: Record<string, unknown>): { patch: PreferencesPatch; unknown: string[] } {
  const patch: Record<string, unknown> = {};
  const unknown: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    const target = SNAKE[key] ?? (Object.values(SNAKE).includes(key as keyof DoctorPreferences) ? key : null);
    if (!target) {
      unknown.push(key);
      continue;
    }
    patch[target] =
      value && typeof value === 'object' && !Array.isArray(value)
        ? Object.fromEntries(Object.entries(value).map(([k, v]) => [SUB[k] ?? k, v]))
        : value;
  }
  return { patch: patch as PreferencesPatch, unknown };
}

function toSeed(p: DoctorPreferences) {
  return {
    summary_style: p.summaryStyle,
    preferred_terminology: p.terminology,
    report_format: p.reportFormat,
    response_format: p.responseFormat,
    detail_level: p.detailLevel,
    notification_preferences: {
      email: p.notifications.email,
      sms: p.notifications.sms,
      in_app: p.notifications.inApp,
      urgent_threshold: p.notifications.urgentThreshold,
    },
    ui_preferences: { theme: p.ui.theme, font_size: p.ui.fontSize, density: p.ui.density },
    focus_areas: p.focusAreas,
    custom_instructions: p.customInstructions,
  };
}

export const personalizationSeed: SeedService = {
  name: 'personalization',
  description:
    'Doctor preferences and LoRA data collection (GET/POST /preferences/{doctor_id}, POST /lora_training/collect_data, POST /lora_personalization/apply, GET /lora_training/status)',
  register(app: App, services) {
    const p = services.personalization;
    app.get(
      '/preferences/:doctor_id',
      { config: { auth: READ }, schema: { tags, summary: "A doctor's preferences", params: DoctorParams } },
      async (request) => {
        const ctx = accessContext(request);
        const view = await p.getPreferences(ctx, await p.resolveDoctor(ctx, request.params.doctor_id));
        return {
          doctor_id: request.params.doctor_id,
          preferences: toSeed(view.preferences),
          last_updated: view.updatedAt,
          version: Math.max(1, view.version),
        };
      },
    );

    app.post(
      '/preferences/:doctor_id',
      {
        config: { auth: ROLES },
        schema: {
          tags,
          summary: 'Update preferences (refused when a value holds PHI)',
          params: DoctorParams,
          body: Body,
        },
      },
      async (request, reply) => {
        const ctx = accessContext(request);
        const doctorId = await p.resolveDoctor(ctx, request.params.doctor_id);
        const { patch, unknown } = fromSeed(request.body);
        if (unknown.length > 0) {
          throw new ValidationError(
            unknown.map((k) => ({ path: `/${k}`, message: 'is not a known preference' })),
          );
        }
        try {
          const result = await p.updatePreferences(ctx, doctorId, patch, 'seed_api');
          return {
            updated: true,
            doctor_id: request.params.doctor_id,
            preferences_updated: Object.keys(request.body),
            timestamp: result.updatedAt ?? new Date().toISOString(),
            version: result.version,
          };
        } catch (error) {
          if (
            error instanceof ValidationError &&
            error.errors?.some((e) => e.message.includes('protected health'))
          ) {
            return reply.code(400).send({
              updated: false,
              error: 'Privacy violation detected',
              issues: error.errors.map((e) => `${e.path}: ${e.message}`),
            });
          }
          throw error;
        }
      },
    );

    app.post(
      '/lora_training/collect_data',
      {
        config: { auth: ROLES },
        schema: {
          tags,
          summary: 'Collect training data: a writing sample ({doctor_id, content, type}) or an interaction',
          body: Body,
        },
      },
      async (request) => {
        const ctx = accessContext(request);
        const body = request.body;
        const doctorId = await p.resolveDoctor(ctx, String(body.doctor_id ?? ''));
        if (typeof body.content === 'string') {
          const sample = await p.addSample(ctx, doctorId, {
            content: body.content,
            type: typeof body.type === 'string' ? body.type : 'documentation',
          });
          return {
            collected: true,
            doctor_id: body.doctor_id,
            kind: 'writing_sample',
            sample_id: sample.id,
            samples_collected: sample.readiness.samplesCollected,
            ready_for_training: sample.readiness.ready,
          };
        }
        const result = await services.learning.learnFromInteraction(
          ctx,
          seedInteraction(doctorId, (body.interaction_data ?? {}) as Record<string, unknown>),
        );
        return {
          collected: true,
          doctor_id: body.doctor_id,
          kind: 'interaction',
          interaction_id: result.id,
          quality: result.quality,
          retraining_queued: result.retrainingQueued,
        };
      },
    );

    app.post(
      '/lora_personalization/apply',
      {
        config: { auth: ROLES },
        schema: { tags, summary: "Write a response in the doctor's style", body: Body },
      },
      async (request) => {
        const ctx = accessContext(request);
        const body = request.body;
        const doctorId = await p.resolveDoctor(ctx, String(body.doctor_id ?? ''));
        const { task_type, ...workflow } = (body.workflow_context ?? {}) as Record<string, unknown>;
        const task = String(task_type ?? 'documentation')
          .replace(/[^a-z0-9_]/gi, '_')
          .toLowerCase();
        const result = await p.generate(ctx, {
          doctorId,
          task: /^[a-z]/.test(task) ? task : 'documentation',
          context: { request: String(body.input_text ?? ''), ...workflow },
        });
        return {
          personalized_response: result.content,
          personalization_applied: true,
          doctor_id: body.doctor_id,
          adaptation_method: result.adaptationMethod,
          style_confidence: result.styleConfidence,
        };
      },
    );

    app.get(
      '/lora_training/status',
      { config: { auth: READ }, schema: { tags, summary: 'Training data collection and training jobs' } },
      async (request) => {
        const ctx = accessContext(request);
        const overview = await services.learning.overview(ctx.practiceId);
        const providers = await services.patients.listProviders(ctx.practiceId);
        const doctors = [];
        for (const provider of providers) {
          if (ctx.actorRole === 'physician') {
            // A physician sees their own readiness only.
            const allowed = await p.authorizeDoctor(ctx, provider.id).then(
              () => true,
              () => false,
            );
            if (!allowed) continue;
          }
          const readiness = await p.readinessOf(provider.id);
          doctors.push({
            doctor_id: provider.id,
            samples_collected: readiness.samplesCollected,
            samples_needed: readiness.samplesNeeded,
            ready: readiness.ready,
          });
        }
        return {
          status: 'operational',
          doctors,
          training_jobs: overview.trainingJobs,
          trainer: overview.trainer,
          retraining_threshold: overview.threshold,
        };
      },
    );
  },
};

export const doctorStyleAdapterSeed: SeedService = {
  name: 'doctor-style-adapter',
  description: 'Per-doctor LoRA adapters (GET /doctor_adapters/status)',
  register(app: App, services) {
    app.get(
      '/doctor_adapters/status',
      {
        config: { auth: READ },
        schema: { tags, summary: 'Adapters per doctor with their validation and status' },
      },
      async (request) => {
        const ctx = accessContext(request);
        const versions = await services.mlops.list(ctx.practiceId, { kind: ADAPTER_KIND, limit: 500 });
        return {
          status: 'operational',
          adapters: versions.map((v) => ({
            doctor_id: v.subjectId,
            adapter: servedModelName(v),
            version: v.version,
            status: v.status,
            validation_status: v.validationStatus,
            base_model: v.baseModel,
            eval_loss: v.metrics.eval_loss ?? null,
            created_at: v.createdAt,
          })),
          active_adapters: versions.filter((v) => v.status === 'active').length,
        };
      },
    );
  },
};

export const doctorPersonalizationSeed: SeedService = {
  name: 'doctor-personalization',
  description:
    'Personalized generation (POST /generate_personalized_response, GET /personalization/status, GET /adapters/{doctor_id}/status)',
  register(app: App, services) {
    const p = services.personalization;
    app.post(
      '/generate_personalized_response',
      { config: { auth: ROLES }, schema: { tags, summary: "Generate in the doctor's style", body: Body } },
      async (request) => {
        const ctx = accessContext(request);
        const body = request.body;
        const doctorId = await p.resolveDoctor(ctx, String(body.doctor_id ?? ''));
        const patientContext = (body.patient_context ?? {}) as Record<string, unknown>;
        const result = await p.generate(ctx, {
          doctorId,
          task: 'documentation',
          context: { request: String(body.query ?? ''), ...patientContext },
        });
        return {
          content: result.content,
          doctor_id: body.doctor_id,
          style_confidence: result.styleConfidence,
          style_match: result.styleMatch,
          adaptation_method: result.adaptationMethod,
        };
      },
    );

    app.get(
      '/personalization/status',
      { config: { auth: READ }, schema: { tags, summary: 'Which generation path is available' } },
      async () => ({
        status: 'operational',
        llm_configured: p.gatewayConfigured,
        default_method: p.gatewayConfigured ? 'style_prompting' : 'deterministic',
        methods: ['lora_adapter', 'style_prompting', 'deterministic'],
      }),
    );

    app.get(
      '/adapters/:doctor_id/status',
      {
        config: { auth: READ },
        schema: { tags, summary: "A doctor's adapter and readiness", params: DoctorParams },
      },
      async (request) => {
        const ctx = accessContext(request);
        const doctorId = await p.resolveDoctor(ctx, request.params.doctor_id);
        const readiness = await p.readiness(ctx, doctorId);
        const active = await services.mlops.active(ctx.practiceId, ADAPTER_KIND, doctorId);
        const style = await p.style(ctx, doctorId);
        return {
          doctor_id: request.params.doctor_id,
          has_adapter: active !== null,
          active_adapter: active ? servedModelName(active) : null,
          active_version_id: active?.id ?? null,
          samples_collected: readiness.samplesCollected,
          ready_for_training: readiness.ready,
          style_confidence: style.confidence,
        };
      },
    );
  },
};
