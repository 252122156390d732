/**
 * Route access control. Every /v1 route must declare `config.auth` (the app refuses to start otherwise);
 * the onRequest hook authenticates and checks the role before the body is even read, so an unauthenticated
 * caller gets 401 and a wrong role 403 whatever the payload.
 */
import type { AuthService } from '../../modules/auth/service.ts';
import type { AuditLog } from '../audit/log.ts';
import { ForbiddenError, UnauthorizedError } from '../errors.ts';
import type { App, RouteEntry } from './types.ts';

export function installAuth(app: App, auth: AuthService, audit: AuditLog, routeTable: RouteEntry[]): void {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const url = route.url ?? route.path;
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const rule = route.config?.auth;
    if (url.startsWith('/v1/') && rule === undefined) {
      throw new Error(`route ${methods.join(',')} ${url} does not declare config.auth`);
    }
    for (const method of methods) if (method !== 'HEAD') routeTable.push({ method, url, auth: rule });
  });

  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config?.auth;
    if (rule === undefined || rule === 'public') return;
    const apiKey = request.headers['x-api-key'];
    const principal = await auth.authenticate(
      request.headers.authorization,
      Array.isArray(apiKey) ? apiKey[0] : apiKey,
    );
    if (!principal) throw new UnauthorizedError();
    request.principal = principal;
    if (!rule.includes(principal.role)) {
      await audit.record({
        action: 'access.denied',
        outcome: 'denied',
        actorType: principal.type,
        actorId: principal.id,
        actorRole: principal.role,
        practiceId: principal.practiceId,
        ip: request.ip,
        userAgent: request.headers['user-agent'] ?? null,
        requestId: request.id,
        details: { method: request.method, route: request.routeOptions.url },
      });
      throw new ForbiddenError(
        `role ${principal.role} may not ${request.method} ${request.routeOptions.url}`,
      );
    }
  });
}
