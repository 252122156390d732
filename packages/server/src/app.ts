/**
 * Builds the Fastify app over a started platform: security headers, request ids, auth, problem+json errors,
 * OpenAPI, the modules' routes and the seed-compatible services. No business logic here.
 */
import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController } from 'fastify';
import type { Logger } from 'pino';
import { aiRoutes } from './modules/ai/routes.ts';
import { auditRoutes } from './modules/audit/routes.ts';
import { authRoutes } from './modules/auth/routes.ts';
import { claimRoutes } from './modules/claims/routes.ts';
import { complianceRoutes } from './modules/compliance/routes.ts';
import { contractRoutes } from './modules/contracts/routes.ts';
import { denialRoutes } from './modules/denials/routes.ts';
import { eligibilityRoutes } from './modules/eligibility/routes.ts';
import { learningRoutes } from './modules/learning/routes.ts';
import { mlopsRoutes } from './modules/mlops/routes.ts';
import { patientRoutes } from './modules/patients/routes.ts';
import { payerRoutes } from './modules/payers/routes.ts';
import { personalizationRoutes } from './modules/personalization/routes.ts';
import { priorAuthRoutes } from './modules/prior-auth/routes.ts';
import { remittanceRoutes } from './modules/remittance/routes.ts';
import { settingsRoutes } from './modules/settings/routes.ts';
import { systemRoutes } from './modules/system/routes.ts';
import { installAuth } from './platform/http/auth.ts';
import { handleError, installProblemHandlers } from './platform/http/problems.ts';
import { Problem } from './platform/http/schemas.ts';
import { installSecurityHeaders } from './platform/http/security-headers.ts';
import type { App, RouteEntry } from './platform/http/types.ts';
import { validatorCompiler } from './platform/http/validation.ts';
import { lazyChildLogger } from './platform/logger.ts';
import type { Platform } from './platform/platform.ts';
import { mountSeedService, SEED_SERVICES, type SeedService } from './seed-services.ts';
import type { Services } from './services.ts';

export interface AppOptions {
  /** Serve the whole API (default) or only these seed-compatible services at the root. */
  seedService?: SeedService;
  /** Serve the OpenAPI document and Swagger UI (default true for the full API). */
  docs?: boolean;
}

export interface BuiltApp {
  app: App;
  routes: RouteEntry[];
}

const REQUEST_ID = /^[A-Za-z0-9._-]{8,128}$/;

export async function buildApp(
  platform: Platform,
  services: Services,
  options: AppOptions = {},
): Promise<BuiltApp> {
  const app = Fastify({
    loggerInstance: platform.logger,
    childLoggerFactory: (logger, bindings, options) =>
      lazyChildLogger(logger as unknown as Logger, bindings, options) as unknown as typeof logger,
    logController: new LogController({ disableRequestLogging: true }),
    trustProxy: true,
    bodyLimit: 10 * 1024 * 1024,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    ajv: {
      customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: true },
    },
    // A path the router cannot decode, or a parameter past maxParamLength: problem+json like every other error.
    frameworkErrors: handleError,
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as App;

  app.setValidatorCompiler(validatorCompiler());
  const routes: RouteEntry[] = [];
  installProblemHandlers(app);
  installAuth(app, services.auth, platform.audit, routes);
  app.addSchema(Problem);

  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  // The level is fixed at start: checking it here spares most requests their child logger.
  const requestLogs = platform.logger.isLevelEnabled('info');
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    const seconds = reply.elapsedTime / 1000;
    platform.metrics.httpDuration.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      seconds,
    );
    if (requestLogs)
      request.log.info(
        {
          method: request.method,
          route,
          status: reply.statusCode,
          ms: Math.round(reply.elapsedTime * 10) / 10,
        },
        'request',
      );
  });

  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'", "'unsafe-inline'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
      },
    },
  });
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: 200 * 1024 * 1024, files: 5 } });

  const docs = options.docs ?? !options.seedService;
  if (docs) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Intelluxe API',
          version: '0.1.0',
          description:
            'Self-hosted administrative AI platform for medical practices. Errors are RFC 9457 problem documents. ' +
            'Every read or write of PHI is recorded in a hash-chained audit trail.',
        },
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          },
        },
      },
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });
    await app.register(swaggerUi, { routePrefix: '/docs' });
    app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () =>
      app.swagger(),
    );
  }

  if (options.seedService) {
    mountSeedService(app, options.seedService, services, platform, '');
  } else {
    systemRoutes(app, platform, { payers: () => services.payers.health() });
    authRoutes(app, services.auth);
    auditRoutes(app, services.audit);
    settingsRoutes(app, services.settings);
    patientRoutes(app, services.patients);
    contractRoutes(app, services.contracts);
    eligibilityRoutes(app, services.eligibility);
    priorAuthRoutes(app, services.priorAuths);
    payerRoutes(app, services.payers);
    claimRoutes(app, services.claims, platform, services.claimRisk);
    remittanceRoutes(app, services.remittance);
    denialRoutes(app, services.denials);
    aiRoutes(app, services.ai);
    personalizationRoutes(app, services.personalization);
    learningRoutes(app, services.learning);
    mlopsRoutes(app, services.mlops);
    complianceRoutes(app, services.compliance);
    for (const service of SEED_SERVICES)
      mountSeedService(app, service, services, platform, `/services/${service.name}`);
  }

  await app.ready();
  return { app, routes };
}
