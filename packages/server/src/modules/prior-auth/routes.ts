/** HTTP for prior authorizations: translation only. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { IdParams, Page, Problem, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import {
  PRIOR_AUTH_X12_EXAMPLE,
  PriorAuth,
  PriorAuthInput,
  PriorAuthNotRequired,
  PriorAuthOutcome,
  PriorAuthSearch,
  RequirementsInput,
  RequirementsOutcome,
} from './schemas.ts';
import type { PriorAuthsService } from './service.ts';

const ROLES: Role[] = ['front_desk', 'biller', 'physician', 'admin'];
const tags = { tags: ['prior authorization'], security: SECURED };
const payerProblems = { 422: Problem, 502: Problem, 503: Problem, 504: Problem };

export function priorAuthRoutes(app: App, service: PriorAuthsService): void {
  app.post(
    '/v1/prior-auths',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'Request prior authorization (278) for services that need it',
        description:
          "Decides per service whether authorization is required (the payer's 271 and the plan's published list). " +
          'When none is required the answer is 200 with `required: false` and the reasons, and nothing is sent; ' +
          'otherwise 201 with the request as the payer answered it (approved, partially approved, denied or pended).',
        body: PriorAuthInput,
        response: { 200: PriorAuthNotRequired, 201: PriorAuthOutcome, ...problemResponses, ...payerProblems },
      },
    },
    async (request, reply) => {
      const outcome = await service.create(accessContext(request), request.body);
      return reply.code(outcome.priorAuth ? 201 : 200).send(outcome);
    },
  );

  app.post(
    '/v1/prior-auths/requirements',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'Whether services need prior authorization, and why (nothing is sent to the payer)',
        body: RequirementsInput,
        response: { 200: RequirementsOutcome, ...problemResponses, ...payerProblems },
      },
    },
    async (request) => {
      const { check, requirements } = await service.checkRequirements(accessContext(request), request.body);
      return { eligibilityCheckId: check.id, requirements };
    },
  );

  app.get(
    '/v1/prior-auths',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'Prior authorizations, newest first (filter by status, patient, payer)',
        querystring: PriorAuthSearch,
        response: { 200: Page(PriorAuth), ...problemResponses },
      },
    },
    (request) => service.list(accessContext(request), request.query),
  );

  app.get(
    '/v1/prior-auths/:id',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'One prior authorization with its history',
        params: IdParams,
        response: { 200: PriorAuth, ...problemResponses },
      },
    },
    (request) => service.get(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/prior-auths/:id/x12',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: "The last 278 sent for the request and the payer's 278 answer",
        params: IdParams,
        response: {
          200: Type.Object(
            {
              priorAuthId: Type.String(),
              transactionId: Type.Union([Type.String(), Type.Null()]),
              request: Type.Union([Type.String(), Type.Null()]),
              response: Type.Union([Type.String(), Type.Null()]),
            },
            { examples: [PRIOR_AUTH_X12_EXAMPLE] },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.x12(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/prior-auths/:id/poll',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'Ask the payer about a pended request now',
        params: IdParams,
        response: { 200: PriorAuth, ...problemResponses, ...payerProblems },
      },
    },
    (request) => service.poll(accessContext(request), request.params.id),
  );
}
