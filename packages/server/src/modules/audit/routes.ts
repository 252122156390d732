import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { auditActor } from '../../platform/http/context.ts';
import { EXAMPLE_ID, exampleOf, IsoDateTime, problemResponses } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { AuditService } from './service.ts';

const AUDIT_READERS: Role[] = ['admin', 'compliance_officer'];

const AuditEvent = Type.Object(
  {
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
  },
  {
    examples: [
      {
        id: '48213',
        occurredAt: '2026-03-14T15:30:00.000Z',
        actor: { type: 'user', id: EXAMPLE_ID.user, role: 'physician' },
        action: 'patient.read',
        resource: { type: 'patient', id: EXAMPLE_ID.patient },
        purpose: 'treatment',
        outcome: 'success',
        ip: '10.20.4.17',
        userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64)',
        requestId: 'req-7f3a9c21',
        details: {},
        hash: '9c1e4b7a2d5f8e0b3a6c9d2f5e8b1a4c7d0f3e6b9a2c5d8f1e4b7a0c3d6f9e2b',
      },
    ],
  },
);

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
          200: Type.Object(
            { items: Type.Array(AuditEvent), nextCursor: Type.Union([Type.String(), Type.Null()]) },
            { examples: [{ items: [exampleOf(AuditEvent)], nextCursor: '48213' }] },
          ),
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
          200: Type.Object(
            {
              valid: Type.Boolean(),
              events: Type.Integer(),
              firstBrokenEventId: Type.Union([Type.String(), Type.Null()]),
              reason: Type.Union([Type.String(), Type.Null()]),
              headSeq: Type.Integer(),
            },
            {
              examples: [
                { valid: true, events: 48213, firstBrokenEventId: null, reason: null, headSeq: 48213 },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.verify(auditActor(request)),
  );
}
