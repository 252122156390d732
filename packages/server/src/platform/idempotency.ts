/**
 * Idempotency keys: the first request with a key runs and its response is stored; a retry with the same key and
 * the same body gets the stored response; the same key with another body, or while the first is still running,
 * is a 409/422 problem. Keys are scoped (route + practice) so clients cannot collide across tenants.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from './db/index.ts';
import { DomainError, invalidField } from './errors.ts';

export interface IdempotentResult<T> {
  status: number;
  body: T;
  replayed: boolean;
}

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;
const IN_PROGRESS = 0;

export async function idempotent<T>(
  db: Db,
  scope: string,
  key: string | undefined,
  request: unknown,
  run: () => Promise<{ status: number; body: T }>,
): Promise<IdempotentResult<T>> {
  if (key === undefined) return { ...(await run()), replayed: false };
  if (!KEY.test(key))
    throw invalidField('/headers/idempotency-key', 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');
  const requestHash = createHash('sha256')
    .update(JSON.stringify(request ?? null))
    .digest('hex');
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ scope, key, request_hash: requestHash, status_code: IN_PROGRESS, response: 'null' })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) {
    const previous = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (previous.request_hash !== requestHash) {
      throw new DomainError(
        422,
        'idempotency-key-reused',
        'Idempotency key reused',
        'this Idempotency-Key was used with a different request',
        {
          errors: [{ path: '/headers/idempotency-key', message: 'was used with a different request' }],
        },
      );
    }
    if (previous.status_code === IN_PROGRESS) {
      throw new DomainError(
        409,
        'idempotency-in-progress',
        'Request in progress',
        'a request with this Idempotency-Key is still running; retry shortly',
        {
          headers: { 'retry-after': '1' },
        },
      );
    }
    return { status: previous.status_code, body: previous.response as T, replayed: true };
  }
  try {
    const result = await run();
    await db
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body) })
      .where('scope', '=', scope)
      .where('key', '=', key)
      .execute();
    return { ...result, replayed: false };
  } catch (error) {
    // A failed attempt must not pin the key: the client may retry it.
    await sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`.execute(db);
    throw error;
  }
}
