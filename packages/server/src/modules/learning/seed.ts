/** Seed-compatible continuous-learning service (design notes' port 8016). */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import type { App } from '../../platform/http/types.ts';
import type { SeedService } from '../../seed-services.ts';
import { accessContext } from '../patients/routes.ts';
import type { InteractionRequest } from './service.ts';

const ROLES: Role[] = ['admin', 'physician', 'service'];
const READ: Role[] = ['admin', 'physician', 'practice_manager', 'service'];
const tags = ['seed services'];

/**
 * The design notes' interaction_data ({type, input, output | ai_response, feedback (text, or a 0-1 or 1-5
 * score), satisfaction_score, context | workflow_context}) as a learning interaction.
 */
export function seedInteraction(doctorId: string, data: Record<string, unknown>): InteractionRequest {
  const feedback = data.feedback;
  const score =
    typeof data.satisfaction_score === 'number'
      ? data.satisfaction_score
      : typeof feedback === 'number'
        ? feedback <= 1
          ? feedback * 5
          : feedback
        : null;
  return {
    doctorId,
    type:
      typeof data.type === 'string' && /^[a-z][a-z0-9_]{1,49}$/.test(data.type) ? data.type : 'general_admin',
    input: String(data.input ?? ''),
    output: String(data.output ?? data.ai_response ?? ''),
    feedback: typeof feedback === 'string' ? feedback : null,
    satisfaction: score === null ? null : Math.min(5, Math.max(1, Math.round(score))),
    workflowContext: (data.context ?? data.workflow_context ?? {}) as Record<string, unknown>,
  };
}

export const continuousLearningSeed: SeedService = {
  name: 'continuous-learning',
  description: 'Learning from interactions (POST /learn_from_interaction, GET /retraining/status)',
  register(app: App, services) {
    app.post(
      '/learn_from_interaction',
      {
        config: { auth: ROLES },
        schema: {
          tags,
          summary: 'Learn from one interaction ({doctor_id, interaction_data})',
          body: Type.Record(Type.String(), Type.Unknown()),
        },
      },
      async (request) => {
        const ctx = accessContext(request);
        const body = request.body;
        const doctorId = await services.personalization.resolveDoctor(ctx, String(body.doctor_id ?? ''));
        const result = await services.learning.learnFromInteraction(
          ctx,
          seedInteraction(doctorId, (body.interaction_data ?? {}) as Record<string, unknown>),
        );
        return {
          learned: true,
          doctor_id: body.doctor_id,
          interaction_id: result.id,
          patterns_detected: result.patterns,
          preferences_updated: result.preferencesChanged,
          quality_interaction: result.quality,
          interactions_since_training: result.qualityInteractionsSinceTraining,
          retraining_triggered: result.retrainingQueued,
        };
      },
    );

    app.get(
      '/retraining/status',
      { config: { auth: READ }, schema: { tags, summary: 'Retraining threshold, doctors learning, jobs' } },
      async (request) => {
        const ctx = accessContext(request);
        const overview = await services.learning.overview(ctx.practiceId);
        return {
          status: 'operational',
          learning_threshold: overview.threshold,
          doctors_learning: overview.doctorsLearning,
          total_interactions: overview.totalInteractions,
          training_jobs: overview.trainingJobs,
        };
      },
    );
  },
};
