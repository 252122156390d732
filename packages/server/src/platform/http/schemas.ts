/** Shared TypeBox schemas: problem documents, pagination, ids, dates. */
import { Type } from 'typebox';
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
export const IsoDate = Type.String({ format: 'date', examples: ['2026-03-14'] });
export const IsoDateTime = Type.String({ format: 'date-time', examples: ['2026-03-14T15:30:00.000Z'] });
export const IdParams = Type.Object({ id: Uuid });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'opaque cursor from nextCursor' })),
};

export function Page<T extends ReturnType<typeof Type.Object>>(item: T) {
  return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });
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

/** Decodes a cursor of `parts` sort-key parts, or throws a 400 naming the query parameter. */
export function keysetCursor(cursor: string | undefined, parts: number): string[] | null {
  if (cursor === undefined) return null;
  const decoded = decodeCursor(cursor);
  if (decoded?.length !== parts) throw invalidField('/query/cursor', 'is not a cursor from this endpoint');
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
