/** Every queue the platform runs, one definition per file, registered at start. */
import { claimsQueues } from './modules/claims/jobs.ts';
import { complianceQueues } from './modules/compliance/jobs.ts';
import { eligibilityQueues } from './modules/eligibility/jobs.ts';
import { learningQueues } from './modules/learning/jobs.ts';
import { priorAuthQueues } from './modules/prior-auth/jobs.ts';
import { auditPartitionsQueue } from './platform/audit/partitions-job.ts';
import type { QueueDefinition } from './platform/jobs.ts';
import type { Platform } from './platform/platform.ts';

export function platformQueues(platform: Platform): QueueDefinition<never>[] {
  return [
    auditPartitionsQueue(platform.db) as QueueDefinition<never>,
    ...eligibilityQueues(platform),
    ...priorAuthQueues(platform),
    ...learningQueues(platform),
    ...complianceQueues(platform),
    ...claimsQueues(platform),
  ];
}
