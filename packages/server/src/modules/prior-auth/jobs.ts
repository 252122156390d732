/** Prior authorization's queues: polling pended requests, and reminders before authorizations run out. */
import type { QueueDefinition } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import { eligibilityServiceFor, jobContext } from '../eligibility/jobs.ts';
import { PatientsService } from '../patients/service.ts';
import { PayersService } from '../payers/service.ts';
import { PriorAuthsService } from './service.ts';

export const POLL_QUEUE = 'prior-auth.poll';
export const REMINDER_QUEUE = 'prior-auth.reminders';

export function priorAuthServiceFor(platform: Platform): PriorAuthsService {
  const existing = PriorAuthsService.of(platform);
  if (existing) return existing;
  const patients = new PatientsService(platform);
  return new PriorAuthsService(
    platform,
    patients,
    new PayersService(platform, patients),
    eligibilityServiceFor(platform),
  );
}

async function practices(platform: Platform, practiceId?: string): Promise<string[]> {
  if (practiceId) return [practiceId];
  return (await platform.db.selectFrom('practices').select('id').execute()).map((p) => p.id);
}

export function priorAuthQueues(platform: Platform): QueueDefinition<never>[] {
  const poll: QueueDefinition<{ practiceId?: string }> = {
    name: POLL_QUEUE,
    retry: { limit: 2, delaySeconds: 120, backoff: true },
    schedule: { cron: '*/30 * * * *', data: {} },
    async handle(data) {
      const service = priorAuthServiceFor(platform);
      for (const practiceId of await practices(platform, data.practiceId))
        await service.pollPended(jobContext(practiceId, 'prior-auth-poller'));
    },
  };
  const reminders: QueueDefinition<{ practiceId?: string }> = {
    name: REMINDER_QUEUE,
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    schedule: { cron: '0 12 * * *', data: {} },
    async handle(data) {
      const service = priorAuthServiceFor(platform);
      for (const practiceId of await practices(platform, data.practiceId))
        await service.remindAndExpire(jobContext(practiceId, 'prior-auth-reminders'));
    },
  };
  return [poll as QueueDefinition<never>, reminders as QueueDefinition<never>];
}
