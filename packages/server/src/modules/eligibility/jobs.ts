/**
 * Eligibility's queue: the nightly batch that checks every patient booked for tomorrow (and on demand, through
 * POST /v1/eligibility/batches). The handler uses the process's eligibility service, or builds the stack it needs
 * in a worker process that serves no HTTP.
 */
import type { QueueDefinition } from '../../platform/jobs.ts';
import type { Platform } from '../../platform/platform.ts';
import { ContractsService } from '../contracts/service.ts';
import type { AccessContext } from '../patients/service.ts';
import { PatientsService } from '../patients/service.ts';
import { PayersService } from '../payers/service.ts';
import { EligibilityService } from './service.ts';

export const BATCH_QUEUE = 'eligibility.batch';

export interface BatchJob {
  /** One practice, or every practice when absent (the nightly schedule). */
  practiceId?: string;
  /** 'YYYY-MM-DD'; tomorrow when absent. */
  date?: string;
  requestedBy?: string;
}

/** The system acting for a practice in a background job. */
export function jobContext(practiceId: string, actorId = 'eligibility-batch'): AccessContext {
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

export function eligibilityServiceFor(platform: Platform): EligibilityService {
  const existing = EligibilityService.of(platform);
  if (existing) return existing;
  const patients = new PatientsService(platform);
  return new EligibilityService(
    platform,
    patients,
    new PayersService(platform, patients),
    new ContractsService(platform),
  );
}

export function eligibilityQueues(platform: Platform): QueueDefinition<never>[] {
  const batch: QueueDefinition<BatchJob> = {
    name: BATCH_QUEUE,
    retry: { limit: 2, delaySeconds: 300, backoff: true },
    expireInSeconds: 3_600,
    schedule: { cron: '0 22 * * *', data: {} },
    async handle(data) {
      const service = eligibilityServiceFor(platform);
      const practices = data.practiceId
        ? [data.practiceId]
        : (await platform.db.selectFrom('practices').select('id').execute()).map((p) => p.id);
      for (const practiceId of practices) {
        await service.runBatch(jobContext(practiceId, data.requestedBy ?? 'eligibility-batch'), data.date);
      }
    },
  };
  return [batch as QueueDefinition<never>];
}
