/** Shared TypeBox schemas: problem documents, pagination, ids, dates. */
import { type TSchema, Type } from 'typebox';
import { invalidField } from '../errors.ts';

export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  {
    $id: 'Problem',
    additionalProperties: true,
    description: 'RFC 9457 problem document',
    examples: [
      {
        type: 'https://intelluxe.dev/problems/validation',
        title: 'Invalid request',
        status: 400,
        detail: '/npi: check digit does not match',
        errors: [{ path: '/npi', message: 'check digit does not match' }],
      },
    ],
  },
);

export const Uuid = Type.String({ format: 'uuid', examples: ['0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10'] });
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** True for text in the form of a uuid (what the `Uuid` schema accepts). */
export const isUuid = (value: string) => UUID.test(value);
export const IsoDate = Type.String({ format: 'date', examples: ['2026-03-14'] });
export const IsoDateTime = Type.String({ format: 'date-time', examples: ['2026-03-14T15:30:00.000Z'] });
export const IdParams = Type.Object({ id: Uuid });
/**
 * The most a charge may be, in cents ($100,000,000): money columns are bigint, and a larger number (1e300) failed
 * there as a 500 instead of a 400; claim totals summed from such charges stay exact integers.
 */
export const MAX_CENTS = 10_000_000_000;

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque cursor from nextCursor' })),
};

/** The first example of a schema (wrappers build their own examples from their item's). */
export function exampleOf(schema: TSchema): unknown {
  const examples = (schema as { examples?: unknown[] }).examples;
  return examples?.[0];
}

/** A page of items; its example is one page holding the item's example, the last page (no nextCursor). */
export function Page<T extends ReturnType<typeof Type.Object>>(item: T) {
  const example = exampleOf(item);
  return Type.Object(
    { items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) },
    example === undefined ? {} : { examples: [{ items: [example], nextCursor: null }] },
  );
}

/** An array of items; its example is the list of the item's examples. */
export function ListOf<T extends TSchema>(item: T) {
  const examples = (item as { examples?: unknown[] }).examples;
  return Type.Array(item, examples ? { examples: [examples] } : {});
}

/**
 * Ids the examples share, so that one example's references match another's (the patient of an encounter example is
 * the patient example, and so on).
 */
export const EXAMPLE_ID = {
  practice: '5d2f8a61-3c4e-4b7a-9f10-2a6b8c9d0e1f',
  user: '7a1c3e5f-2b4d-4c6e-8f0a-1b3d5f7a9c2e',
  apiKey: 'c4e6a8b0-1d3f-4a5c-9e7b-0f2a4c6e8b1d',
  patient: '0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10',
  coverage: '3e9a1f44-7b2c-4d8e-a6f1-5c0b9d2e7a31',
  provider: '9f4b2d10-6e8a-4c3f-b7d1-2a5e8c0f4b69',
  encounter: 'e2a7c9d1-4f6b-4a8c-8d0e-6b1f3a5c7e92',
  appointment: 'a6d8f0b2-3c5e-4e7a-9b1d-4f6a8c0e2b53',
  claim: '1c3e5a7b-9d0f-4b2c-8e4a-6c8e0a2b4d75',
  remittance: 'b8d0f2a4-5c7e-4a9b-8c1d-3e5f7a9b1c86',
  denial: 'd1f3a5c7-8e0b-4d2f-9a4c-6e8b0d2f4a17',
  appeal: 'f5b7d9e1-2a4c-4e6f-8b0d-1c3e5f7a9b28',
  eligibilityCheck: '2d4f6b8e-0a1c-4e3f-9b5d-7a9c1e3f5b39',
  priorAuth: '4a6c8e0f-2b4d-4f6a-8c0e-9b1d3f5a7c40',
  model: '6c8e0a2b-4d6f-4b8c-9e0a-2c4e6a8c0e51',
  deployment: '8e0a2c4d-6f8b-4d0e-8a2c-4e6a8c0e2a62',
  dataset: 'a0c2e4f6-8b0d-4f2a-9c4e-6a8c0e2a4c73',
  trainingJob: 'c2e4a6b8-0d2f-4b4c-8e6a-8c0e2a4c6e84',
  alert: 'e4a6c8d0-2f4b-4d6e-9a8c-0e2a4c6e8a95',
  interaction: '16b8d0f2-4a6c-4e8a-8b0d-2f4a6c8e0b06',
  sample: '38d0f2a4-6c8e-4a0c-9d2f-4a6c8e0b2d17',
  request: '5a0c2e4b-8e0a-4c2e-8f4a-6c8e0b2d4f28',
} as const;

/** A file download's success response: the same binary body under each of its media types. */
export function binaryResponse(description: string, mediaTypes: string[]) {
  const schema = { type: 'string', format: 'binary' };
  return { description, content: Object.fromEntries(mediaTypes.map((type) => [type, { schema }])) };
}

/** Problem responses every authenticated route can give. */
export const problemResponses = {
  400: Problem,
  401: Problem,
  403: Problem,
  404: Problem,
  409: Problem,
  500: Problem,
};

/** Opaque keyset cursors: base64url of the last row's sort key. */
export function encodeCursor(parts: unknown[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** A sort-key part as cursors are made: text PostgreSQL can compare, or a number (a sequence). */
function isKeyPart(part: unknown): boolean {
  return (typeof part === 'string' && !part.includes('\u0000')) || Number.isFinite(part);
}

/** Decodes a cursor of `parts` sort-key parts, or throws a 400 naming the query parameter. */
export function keysetCursor(cursor: string | undefined, parts: number): string[] | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  if (decoded?.length !== parts || !decoded.every(isKeyPart))
    throw invalidField('/query/cursor', 'is not a cursor from this endpoint');
  return decoded.map(String);
}

export function decodeCursor(cursor: string | undefined): unknown[] | null {
  if (!cursor) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(parts) ? parts : null;
  } catch {
    return null;
  }
}

/** OpenAPI security requirement of routes that take a bearer token or an API key. */
export const SECURED: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { apiKey: [] }];
