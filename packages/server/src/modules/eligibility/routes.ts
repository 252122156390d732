/** HTTP for eligibility checks: translation only. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { IdParams, Page, Problem, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import { BATCH_QUEUE } from './jobs.ts';
import { BatchInput, CheckSearch, CheckX12, EligibilityCheck, EligibilityCheckInput } from './schemas.ts';
import type { EligibilityService } from './service.ts';

export const ELIGIBILITY_ROLES: Role[] = ['front_desk', 'biller', 'physician', 'admin'];
const tags = { tags: ['eligibility'], security: SECURED };
const payerProblems = { 502: Problem, 503: Problem, 504: Problem };

export function eligibilityRoutes(app: App, service: EligibilityService): void {
  app.post(
    '/v1/eligibility/checks',
    {
      config: { auth: ELIGIBILITY_ROLES },
      schema: {
        ...tags,
        summary: 'Check eligibility (270/271) and estimate the patient cost of planned procedures',
        description:
          '`{"patientId": …}` alone checks the primary coverage for the default rendering provider, service type 30, today. ' +
          'Answers are cached 30 minutes (`cached: true`). Payer failures are 502/503/504 problems with `retryable` and Retry-After.',
        body: EligibilityCheckInput,
        response: { 201: EligibilityCheck, ...problemResponses, ...payerProblems },
      },
    },
    async (request, reply) => reply.code(201).send(await service.check(accessContext(request), request.body)),
  );

  app.get(
    '/v1/eligibility/checks',
    {
      config: { auth: ELIGIBILITY_ROLES },
      schema: {
        ...tags,
        summary: 'Eligibility check history, newest first (filter by patient)',
        querystring: CheckSearch,
        response: { 200: Page(EligibilityCheck), ...problemResponses },
      },
    },
    (request) => service.listChecks(accessContext(request), request.query),
  );

  app.get(
    '/v1/eligibility/checks/:id',
    {
      config: { auth: ELIGIBILITY_ROLES },
      schema: {
        ...tags,
        summary: 'One eligibility check',
        params: IdParams,
        response: { 200: EligibilityCheck, ...problemResponses },
      },
    },
    (request) => service.getCheck(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/eligibility/checks/:id/x12',
    {
      config: { auth: ELIGIBILITY_ROLES },
      schema: {
        ...tags,
        summary: 'The 270 sent and the 271 received',
        params: IdParams,
        response: { 200: CheckX12, ...problemResponses },
      },
    },
    (request) => service.checkX12(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/patients/:id/eligibility',
    {
      config: { auth: ELIGIBILITY_ROLES },
      schema: {
        ...tags,
        summary: "A patient's eligibility check history",
        params: IdParams,
        querystring: Type.Object(
          { limit: CheckSearch.properties.limit, cursor: CheckSearch.properties.cursor },
          { additionalProperties: false },
        ),
        response: { 200: Page(EligibilityCheck), ...problemResponses },
      },
    },
    (request) =>
      service.listChecks(accessContext(request), { ...request.query, patientId: request.params.id }),
  );

  app.post(
    '/v1/eligibility/batches',
    {
      config: { auth: ['front_desk', 'biller', 'admin'] },
      schema: {
        ...tags,
        summary: 'Check every patient booked on a day (default tomorrow) in the background',
        body: BatchInput,
        response: {
          202: Type.Object(
            { jobId: Type.Union([Type.String(), Type.Null()]), date: Type.String() },
            { examples: [{ jobId: 'bdd71fd2-41f6-43ef-ac3e-41e3d39bdac6', date: '2026-03-16' }] },
          ),
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request);
      const date = request.body?.date ?? new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
      const jobId = await service.enqueueBatch(ctx, date, BATCH_QUEUE);
      return reply.code(202).send({ jobId, date });
    },
  );
}
