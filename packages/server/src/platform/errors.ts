/**
 * Domain errors as values with a status, and their RFC 9457 problem+json form. Services throw these; the
 * one error handler in app.ts turns them (and Fastify's validation errors) into problem documents, and anything
 * else into a 500 that names only the request id.
 */

export interface FieldError {
  /** JSON pointer style path of the offending field, e.g. `/subscriber/memberId`. */
  path: string;
  message: string;
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  errors?: FieldError[];
  requestId?: string;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://intelluxe.dev/problems/';

export class DomainError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly errors: FieldError[] | undefined;
  readonly extensions: Record<string, unknown>;
  /** Response headers the problem needs (Retry-After, Allow, WWW-Authenticate). */
  readonly headers: Record<string, string>;

  constructor(
    status: number,
    code: string,
    title: string,
    detail: string,
    options: {
      errors?: FieldError[];
      extensions?: Record<string, unknown>;
      headers?: Record<string, string>;
    } = {},
  ) {
    super(detail);
    this.name = 'DomainError';
    this.status = status;
    this.code = code;
    this.title = title;
    this.errors = options.errors;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }

  toProblem(instance?: string, requestId?: string): ProblemDocument {
    // Extensions first: they may add members but never replace the standard ones.
    const problem: ProblemDocument = {
      ...this.extensions,
      type: PROBLEM_BASE + this.code,
      title: this.title,
      status: this.status,
      detail: this.message,
    };
    if (instance) problem.instance = instance;
    if (this.errors) problem.errors = this.errors;
    if (requestId) problem.requestId = requestId;
    return problem;
  }
}

export class ValidationError extends DomainError {
  constructor(errors: FieldError[], detail?: string) {
    super(
      400,
      'validation',
      'Invalid request',
      detail ?? errors.map((e) => `${e.path}: ${e.message}`).join('; '),
      {
        errors,
      },
    );
  }
}

/** One invalid field: `invalidField('/npi', 'check digit does not match')`. */
export function invalidField(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }]);
}

export class NotFoundError extends DomainError {
  constructor(resource: string, id: string, path?: string) {
    super(404, 'not-found', 'Not found', `${resource} ${id} does not exist`, {
      errors: path ? [{ path, message: `${resource} ${id} does not exist` }] : undefined,
    });
  }
}

export class ConflictError extends DomainError {
  constructor(detail: string, extensions?: Record<string, unknown>) {
    super(409, 'conflict', 'Conflict', detail, { extensions });
  }
}

export class UnauthorizedError extends DomainError {
  constructor(detail = 'authentication required') {
    super(401, 'unauthorized', 'Unauthorized', detail, { headers: { 'www-authenticate': 'Bearer' } });
  }
}

export class ForbiddenError extends DomainError {
  constructor(detail = 'your role is not allowed to do this') {
    super(403, 'forbidden', 'Forbidden', detail);
  }
}

export class TooManyRequestsError extends DomainError {
  constructor(detail: string, retryAfterSeconds: number) {
    super(429, 'too-many-requests', 'Too many requests', detail, {
      headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) },
      extensions: { retryAfterSeconds },
    });
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor(detail: string, options: { retryable?: boolean; retryAfterSeconds?: number } = {}) {
    super(503, 'unavailable', 'Service unavailable', detail, {
      headers: options.retryAfterSeconds ? { 'retry-after': String(options.retryAfterSeconds) } : {},
      extensions: { retryable: options.retryable ?? true },
    });
  }
}

/** Maps Ajv's instancePath/params to our field path: missing properties name the property itself. */
export function fieldErrorsFromAjv(
  validation: Array<{
    instancePath?: string;
    message?: string;
    keyword?: string;
    params?: Record<string, unknown>;
  }>,
  context: string | undefined,
): FieldError[] {
  // Fastify calls the query string `querystring`; the paths this API names by hand say `/query/…` (one spelling).
  const prefix = !context || context === 'body' ? '' : context === 'querystring' ? '/query' : `/${context}`;
  const located = validation.map((v) => {
    let path = v.instancePath ?? '';
    if (v.keyword === 'required' && typeof v.params?.missingProperty === 'string') {
      path = `${path}/${v.params.missingProperty}`;
    } else if (v.keyword === 'additionalProperties' && typeof v.params?.additionalProperty === 'string') {
      path = `${path}/${v.params.additionalProperty}`;
    }
    return { ...v, path: prefix + path || '/' };
  });
  // A union of constants fails once per alternative ("must be equal to constant") and once as a whole ("must
  // match a schema in anyOf"): say it once, with the values allowed.
  const allowed = new Map<string, unknown[]>();
  for (const v of located) {
    if (v.keyword === 'const') allowed.set(v.path, [...(allowed.get(v.path) ?? []), v.params?.allowedValue]);
  }
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const v of located) {
    const values = allowed.get(v.path);
    const unionOfConstants =
      values !== undefined && located.some((o) => o.path === v.path && o.keyword === 'anyOf');
    if (unionOfConstants && v.keyword === 'const') continue;
    const message =
      unionOfConstants && v.keyword === 'anyOf'
        ? `must be one of: ${values.map(String).join(', ')}`
        : (v.message ?? 'is invalid');
    const key = `${v.path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    errors.push({ path: v.path, message });
  }
  return errors;
}
