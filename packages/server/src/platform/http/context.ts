import type { FastifyRequest } from 'fastify';
import type { AuditActor, RequestMeta } from '../../modules/auth/service.ts';
import { UnauthorizedError } from '../errors.ts';

/** The request's ip, user agent and id, for audit events. */
export function requestMeta(request: FastifyRequest): RequestMeta {
  return { ip: request.ip, userAgent: request.headers['user-agent'] ?? null, requestId: request.id };
}

/** The audit actor of an authenticated request. */
export function auditActor(request: FastifyRequest): AuditActor {
  const p = request.principal;
  if (!p) throw new UnauthorizedError();
  return {
    actorType: p.type,
    actorId: p.id,
    actorRole: p.role,
    practiceId: p.practiceId,
    ...requestMeta(request),
  };
}

/** The practice an authenticated request acts for. */
export function practiceOf(request: FastifyRequest): string {
  const practiceId = request.principal?.practiceId;
  if (!practiceId) throw new UnauthorizedError('this credential is not attached to a practice');
  return practiceId;
}
