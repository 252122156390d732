/** HTTP for the denial work queue and appeals. */
import { DENIAL_CATEGORIES } from '@intelluxe/codes';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { IdParams, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { DenialsService } from './service.ts';

const WORK: Role[] = ['admin', 'biller'];
const READ: Role[] = ['admin', 'biller', 'practice_manager'];
const schema = { tags: ['denials'], security: SECURED };

const Denial = Type.Object({
  id: Type.String(),
  claimId: Type.String(),
  lineNumber: Type.Union([Type.Integer(), Type.Null()]),
  category: Type.String(),
  groupCode: Type.String(),
  reasonCode: Type.String(),
  reasonDescription: Type.String(),
  remarkCodes: Type.Array(Type.String()),
  amountCents: Type.Integer(),
  suggestedFix: Type.String(),
  status: Type.String(),
  appealDeadline: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

const Appeal = Type.Object({
  id: Type.String(),
  denialId: Type.String(),
  claimId: Type.String(),
  status: Type.String(),
  deadline: Type.String(),
  letter: Type.Object({
    title: Type.String(),
    recipient: Type.Array(Type.String()),
    reference: Type.Array(Type.Array(Type.String())),
    body: Type.Array(Type.String()),
    enclosures: Type.Array(Type.String()),
    signature: Type.Array(Type.String()),
  }),
  text: Type.String(),
  submittedAt: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});

export function denialRoutes(app: App, service: DenialsService): void {
  app.get(
    '/v1/denials',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'The denial work queue, grouped by category with a suggested fix',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([
                Type.Literal('open'),
                Type.Literal('appealed'),
                Type.Literal('resolved'),
                Type.Literal('closed'),
              ]),
            ),
            category: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...DENIAL_CATEGORIES] })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            amountCents: Type.Integer(),
            groups: Type.Array(
              Type.Object({
                category: Type.String(),
                count: Type.Integer(),
                amountCents: Type.Integer(),
                suggestedFix: Type.Union([Type.String(), Type.Null()]),
                denials: Type.Array(Denial),
              }),
            ),
          }),
          ...problemResponses,
        },
      },
    },
    (request) => service.queue(accessContext(request), request.query),
  );

  app.get(
    '/v1/denials/:id',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'A denial',
        params: IdParams,
        response: { 200: Denial, ...problemResponses },
      },
    },
    (request) => service.getDenial(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/denials/:id/appeals',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'Draft an appeal letter from the claim, the 835 and the practice',
        params: IdParams,
        response: { 201: Appeal, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createAppeal(accessContext(request), request.params.id)),
  );

  app.get(
    '/v1/appeals',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'Appeals by deadline',
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ maxLength: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Appeal), ...problemResponses },
      },
    },
    (request) => service.listAppeals(accessContext(request), request.query.status),
  );

  app.get(
    '/v1/appeals/:id',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'An appeal',
        params: IdParams,
        response: { 200: Appeal, ...problemResponses },
      },
    },
    (request) => service.getAppeal(accessContext(request), request.params.id),
  );

  app.patch(
    '/v1/appeals/:id',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'Track an appeal: submitted, won, lost or withdrawn',
        params: IdParams,
        body: Type.Object(
          {
            status: Type.Union([
              Type.Literal('submitted'),
              Type.Literal('won'),
              Type.Literal('lost'),
              Type.Literal('withdrawn'),
            ]),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Appeal, ...problemResponses },
      },
    },
    (request) =>
      service.updateAppeal(accessContext(request), request.params.id, request.body.status, request.body.note),
  );

  app.get(
    '/v1/appeals/:id/export',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'The appeal letter as DOCX, PDF, or a ZIP with both and the X12 enclosures',
        params: IdParams,
        querystring: Type.Object(
          {
            format: Type.Union([Type.Literal('docx'), Type.Literal('pdf'), Type.Literal('zip')], {
              default: 'pdf',
            }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request, reply) => {
      const file = await service.exportAppeal(
        accessContext(request),
        request.params.id,
        request.query.format,
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );
}
