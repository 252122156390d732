/**
 * The billing queues: batch submission of validated claims, the scheduled pull of 835s from the clearinghouse,
 * and the weekly retraining of the denial-risk model. Handlers use the services of the process they run in.
 */
import type { QueueDefinition } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import { servicesFor } from '../../services.ts';
import type { AccessContext } from '../patients/service.ts';
import { RISK_QUEUE } from './risk.ts';

export const SUBMIT_QUEUE = 'claims-submit-batch';
export const FETCH_QUEUE = 'remittance-fetch';

function system(practiceId: string, actorId: string): AccessContext {
  return {
    actorType: 'system',
    actorId,
    actorRole: null,
    practiceId,
    purpose: 'payment',
    ip: null,
    userAgent: null,
    requestId: null,
  };
}

async function practices(platform: Platform, practiceId?: string): Promise<string[]> {
  if (practiceId) return [practiceId];
  return (await platform.db.selectFrom('practices').select('id').execute()).map((p) => p.id);
}

export function claimsQueues(platform: Platform): QueueDefinition<never>[] {
  const submit: QueueDefinition<{ practiceId: string; claimIds?: string[] }> = {
    name: SUBMIT_QUEUE,
    retry: { limit: 3, delaySeconds: 60, backoff: true },
    async handle({ practiceId, claimIds }) {
      const { claims } = servicesFor(platform);
      const ctx = system(practiceId, 'claims-batch');
      const ids =
        claimIds ??
        (
          await platform.db
            .selectFrom('claims')
            .select('id')
            .where('practice_id', '=', practiceId)
            .where('status', '=', 'validated')
            .limit(500)
            .execute()
        ).map((c) => c.id);
      for (const id of ids) {
        const claim = await claims.getClaim(ctx, id);
        if (claim.status === 'validated') await claims.submitClaim(ctx, id);
      }
    },
  };
  const fetch: QueueDefinition<{ practiceId?: string }> = {
    name: FETCH_QUEUE,
    schedule: { cron: '*/30 * * * *' },
    retry: { limit: 3, delaySeconds: 120, backoff: true },
    async handle({ practiceId }) {
      const { remittance } = servicesFor(platform);
      for (const id of await practices(platform, practiceId))
        await remittance.fetchRemittances(system(id, 'remittance-fetch'));
    },
  };
  const train: QueueDefinition<{ practiceId?: string }> = {
    name: RISK_QUEUE,
    schedule: { cron: '0 4 * * 0' },
    retry: { limit: 1, delaySeconds: 600, backoff: false },
    async handle({ practiceId }) {
      const { claimRisk } = servicesFor(platform);
      for (const id of await practices(platform, practiceId)) {
        await claimRisk
          .train({
            actorType: 'system',
            actorId: 'denial-risk-job',
            actorRole: null,
            practiceId: id,
            ip: null,
            userAgent: null,
            requestId: null,
          })
          .catch((error: Error) => {
            platform.logger.info(
              { practiceId: id, reason: error.message },
              'denial-risk model not retrained',
            );
          });
      }
    },
  };
  return [submit, fetch, train] as QueueDefinition<never>[];
}
