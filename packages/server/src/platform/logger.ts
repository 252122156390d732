/**
 * pino with PHI redaction. Credentials and the structured PHI fields of our API bodies are censored by path;
 * free-text fields (notes, reasons, details), the messages of warnings and errors, and error messages are
 * de-identified with the PHI engine, so a log line keeps its meaning without the identifiers in it; values logged
 * under `phi` always go through the engine. Request logs
 * carry the route pattern, never the raw URL (a query string can hold a name or a date of birth).
 */
import { deidentify } from '@intelluxe/phi';
import { LRUCache } from 'lru-cache';
import { type Logger, pino } from 'pino';

const PHI_KEYS = [
  'firstName',
  'lastName',
  'middleName',
  'name',
  'dob',
  'dateOfBirth',
  'birthDate',
  'ssn',
  'memberId',
  'address',
  'phone',
  'email',
  'subscriber',
  'password',
  'refreshToken',
  'accessToken',
  'secret',
];

/** Keys whose string values are free text: de-identified rather than censored whole. */
export const FREE_TEXT_KEYS = new Set([
  'notes',
  'note',
  'reason',
  'text',
  'content',
  'detail',
  'details',
  'description',
  'comment',
  'message',
  'summary',
  'transcript',
  'prompt',
]);

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  ...PHI_KEYS,
  ...PHI_KEYS.map((k) => `*.${k}`),
  ...PHI_KEYS.map((k) => `*.*.${k}`),
];

/** Longer free text is not worth de-identifying in a log line: it is cut to this many characters first. */
const MAX_FREE_TEXT = 4000;

/** De-identified log messages: most messages are a handful of fixed strings, so each is scanned once. */
const messages = new LRUCache<string, string>({ max: 2000 });

/** Masks the identifiers in one free-text value (`[NAME]`, `[DATE]`…). */
export function maskFreeText(value: string): string {
  const text = value.length > MAX_FREE_TEXT ? `${value.slice(0, MAX_FREE_TEXT)}…` : value;
  return deidentify(text, { mode: 'mask' }).text;
}

function maskMessage(message: string): string {
  if (message.length > MAX_FREE_TEXT) return maskFreeText(message);
  let masked = messages.get(message);
  if (masked === undefined) {
    masked = maskFreeText(message);
    messages.set(message, masked);
  }
  return masked;
}

function maskValue(value: unknown, depth: number): unknown {
  if (typeof value === 'string') return maskFreeText(value);
  if (depth > 0 && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth - 1);
    return out;
  }
  if (depth > 0 && Array.isArray(value)) return value.map((v) => maskValue(v, depth - 1));
  return value;
}

/**
 * De-identifies the free-text keys of a log object (top level and one level down). Only those keys are
 * scanned: a normal log line (ids, counts, routes, timings) costs one property walk.
 */
export function maskFreeTextFields(object: Record<string, unknown>): Record<string, unknown> {
  let out: Record<string, unknown> | null = null;
  for (const [key, value] of Object.entries(object)) {
    let next: unknown = value;
    if (FREE_TEXT_KEYS.has(key)) next = maskValue(value, 2);
    else if (
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      !(value instanceof Error)
    ) {
      let inner: Record<string, unknown> | null = null;
      for (const [k, v] of Object.entries(value)) {
        if (FREE_TEXT_KEYS.has(k) && v !== undefined) {
          inner ??= { ...(value as Record<string, unknown>) };
          inner[k] = maskValue(v, 2);
        }
      }
      if (inner) next = inner;
    }
    if (next !== value) {
      out ??= { ...object };
      out[key] = next;
    }
  }
  return out ?? object;
}

/** pino's error serializer, with the message (and its copy at the top of the stack) de-identified. */
function maskError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  if (serialized && typeof serialized.message === 'string' && serialized.message !== '') {
    const original = serialized.message;
    const masked = maskMessage(original);
    if (masked !== original) {
      serialized.message = masked;
      if (typeof serialized.stack === 'string') serialized.stack = serialized.stack.replace(original, masked);
    }
  }
  return serialized;
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'intelluxe' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { log: maskFreeTextFields },
      serializers: { phi: (value: unknown) => maskValue(value, 3), err: maskError },
      hooks: {
        logMethod(args, method, level) {
          // Warnings and errors are where values get interpolated into the message (the first string
          // argument, alone or after the merging object); info and debug messages are fixed phrases.
          const at = level < 40 ? -1 : typeof args[0] === 'string' ? 0 : typeof args[1] === 'string' ? 1 : -1;
          if (at < 0) return method.apply(this, args);
          const copy = [...args] as unknown[];
          copy[at] = maskMessage(copy[at] as string);
          return method.apply(this, copy as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}

/**
 * A request's child logger, made only when something is logged: most requests log nothing at the configured
 * level, and making a pino child copies and redacts its bindings every time.
 */
export function lazyChildLogger(
  logger: Logger,
  bindings: pino.Bindings,
  options: pino.ChildLoggerOptions,
): Logger {
  let child: Logger | undefined;
  const real = () => {
    child ??= logger.child(bindings, options);
    return child;
  };
  return new Proxy(logger, {
    get(target, property) {
      // Methods are handed out without making the child (Fastify checks they exist on every request); the child
      // is made when one is called, or when a value is read.
      if (typeof Reflect.get(target, property, target) === 'function') {
        return (...args: unknown[]) =>
          (Reflect.get(real(), property) as (...a: unknown[]) => unknown).apply(child, args);
      }
      return Reflect.get(real(), property);
    },
  });
}
