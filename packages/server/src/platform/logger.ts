/**
 * pino with PHI redaction. Credentials and the PHI fields of our API bodies are censored by path; request
 * logs carry the route pattern, never the raw URL (a query string can hold a name or a date of birth).
 */
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
  'notes',
  'reason',
  'subscriber',
  'password',
  'refreshToken',
  'accessToken',
  'text',
  'content',
];

export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  ...PHI_KEYS,
  ...PHI_KEYS.map((k) => `*.${k}`),
  ...PHI_KEYS.map((k) => `*.*.${k}`),
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'intelluxe' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
