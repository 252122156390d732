/** The one error handler: domain errors, validation errors, 404 and 405 all leave as problem+json. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, fieldErrorsFromAjv, type ProblemDocument, ValidationError } from '../errors.ts';
import type { App } from './types.ts';

const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

export function sendProblem(
  reply: FastifyReply,
  problem: ProblemDocument,
  headers: Record<string, string> = {},
): FastifyReply {
  for (const [name, value] of Object.entries(headers)) reply.header(name, value);
  return reply.code(problem.status).type(PROBLEM_TYPE).send(JSON.stringify(problem));
}

function toDomainError(error: FastifyError): DomainError | null {
  if (error instanceof DomainError) return error;
  if (error.validation) {
    return new ValidationError(fieldErrorsFromAjv(error.validation as never[], error.validationContext));
  }
  const status = error.statusCode;
  if (status && status >= 400 && status < 500) {
    const code = (error.code ?? 'bad-request')
      .toLowerCase()
      .replace(/^fst_err_/, '')
      .replaceAll('_', '-');
    const retryAfter = status === 429 ? { 'retry-after': '60' } : undefined;
    const path = locationOf(error.code);
    return new DomainError(status, code, titleFor(status), error.message, {
      headers: retryAfter,
      errors: path ? [{ path, message: error.message }] : undefined,
    });
  }
  return null;
}

/** Where a framework's refusal lies: the body for a content-type parser's, the path for the router's. */
function locationOf(code: string | undefined): string | null {
  if (code?.startsWith('FST_ERR_CTP_')) return '/';
  if (code === 'FST_ERR_BAD_URL' || code === 'FST_ERR_MAX_PARAM_LENGTH') return '/params';
  return null;
}

function titleFor(status: number): string {
  return (
    {
      400: 'Bad request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not found',
      405: 'Method not allowed',
      406: 'Not acceptable',
      409: 'Conflict',
      413: 'Payload too large',
      415: 'Unsupported media type',
      422: 'Unprocessable content',
      429: 'Too many requests',
    }[status] ?? 'Client error'
  );
}

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** Errors into problem documents: the app's error handler, and Fastify's `frameworkErrors` (the router's URL errors). */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const domain = toDomainError(error);
  if (domain) {
    if (domain.status >= 500) request.log.warn({ err: error }, domain.message);
    return sendProblem(reply, domain.toProblem(request.url.split('?')[0], request.id), domain.headers);
  }
  request.log.error({ err: error }, 'unhandled error');
  return sendProblem(reply, {
    type: 'https://intelluxe.dev/problems/internal',
    title: 'Internal server error',
    status: 500,
    detail: `an unexpected error occurred; quote request id ${request.id} to support`,
    requestId: request.id,
  });
}

export function installProblemHandlers(app: App): void {
  app.setErrorHandler(handleError);

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    const allowed = METHODS.filter((m) => m !== request.method && app.findRoute({ method: m, url: path }));
    if (allowed.length > 0) {
      return sendProblem(
        reply,
        {
          type: 'https://intelluxe.dev/problems/method-not-allowed',
          title: 'Method not allowed',
          status: 405,
          detail: `${request.method} is not allowed on ${path}; use ${allowed.join(', ')}`,
          instance: path,
          requestId: request.id,
        },
        { allow: allowed.join(', ') },
      );
    }
    return sendProblem(reply, {
      type: 'https://intelluxe.dev/problems/not-found',
      title: 'Not found',
      status: 404,
      detail: `no route ${request.method} ${path}`,
      instance: path,
      requestId: request.id,
    });
  });
}
