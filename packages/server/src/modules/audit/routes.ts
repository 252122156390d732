import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { auditActor } from '../../platform/http/context.ts';
import { IsoDateTime, problemResponses } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { AuditService } from './service.ts';

const AUDIT_READERS: Role[] = ['admin', 'compliance_officer'];

const AuditEvent = Type.Object({
  id: Type.String({ description: 'position in the hash chain' }),
  occurredAt: IsoDateTime,
  actor: Type.Object({
    type: Type.String(),
    id: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.String(), Type.Null()]),
  }),
  action: Type.String({ examples: ['patient.read'] }),
  resource: Type.Object({
    type: Type.Union([Type.String(), Type.Null()]),
    id: Type.Union([Type.String(), Type.Null()]),
  }),
  purpose: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.String(),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  requestId: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

export function auditRoutes(app: App, service: AuditService): void {
  app.get(
    '/v1/audit/events',
    {
      config: { auth: AUDIT_READERS },
      schema: {
        tags: ['audit'],
        summary: 'Audit events, newest first',
        security: [{ bearerAuth: [] }, { apiKey: [] }],
        querystring: Type.Object(
          {
            actorId: Type.Optional(Type.String({ maxLength: 100 })),
            action: Type.Optional(
              Type.String({ maxLength: 100, description: "exact action, or a prefix such as 'patient.*'" }),
            ),
            resourceType: Type.Optional(Type.String({ maxLength: 100 })),
            resourceId: Type.Optional(Type.String({ maxLength: 100 })),
            outcome: Type.Optional(
              Type.Union([Type.Literal('success'), Type.Literal('failure'), Type.Literal('denied')]),
            ),
            from: Type.Optional(IsoDateTime),
            to: Type.Optional(IsoDateTime),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 30 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            items: Type.Array(AuditEvent),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...problemResponses,
        },
      },
    },
    (request) => service.listEvents(request.query, auditActor(request)),
  );

  app.get(
    '/v1/audit/verify',
    {
      config: { auth: AUDIT_READERS },
      schema: {
        tags: ['audit'],
        summary: 'Verify the audit hash chain: any edited or deleted event is reported',
        security: [{ bearerAuth: [] }, { apiKey: [] }],
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            events: Type.Integer(),
            firstBrokenEventId: Type.Union([Type.String(), Type.Null()]),
            reason: Type.Union([Type.String(), Type.Null()]),
            headSeq: Type.Integer(),
          }),
          ...problemResponses,
        },
      },
    },
    (request) => service.verify(auditActor(request)),
  );
}
