/**
 * Keyset pages: decoding a page's cursor (a 400 naming `/query/cursor` for one the endpoint did not make) and the
 * conditions for the rows after it. A timestamp cursor keeps the microseconds PostgreSQL stores: a JS Date holds
 * milliseconds only, and a cursor cut to the millisecond skipped every row of that same millisecond sorting after
 * the page's last row.
 */
import { type RawBuilder, sql } from 'kysely';
import { invalidField } from '../errors.ts';
import { isUuid, keysetCursor } from '../http/schemas.ts';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Where a page of (sort key, id) rows resumes. */
export interface KeysetPosition {
  key: string;
  id: string;
}

const notOurs = () => invalidField('/query/cursor', 'is not a cursor from this endpoint');

function keyAndId(cursor: string | undefined, key: RegExp): KeysetPosition | null {
  const parts = keysetCursor(cursor, 2);
  if (!parts) return null;
  const [at, id] = parts as [string, string];
  if (!key.test(at) || Number.isNaN(Date.parse(at)) || !isUuid(id)) throw notOurs();
  return { key: at, id };
}

/** A (timestamp, id) cursor (a millisecond one from before is accepted too), or null without one. */
export function timestampCursor(cursor: string | undefined): KeysetPosition | null {
  return keyAndId(cursor, ISO_TIMESTAMP);
}

/** A (date, id) cursor, or null without one. */
export function dateCursor(cursor: string | undefined): KeysetPosition | null {
  return keyAndId(cursor, ISO_DATE);
}

/** The sequence number of a one-part `seq` cursor, or null without one. */
export function seqCursor(cursor: string | undefined): number | null {
  const parts = keysetCursor(cursor, 1);
  if (!parts) return null;
  if (!/^\d{1,15}$/.test(parts[0]!)) throw notOurs();
  return Number(parts[0]);
}

/** A timestamptz column as ISO text to the microsecond (UTC): select it `.as('cursor_at')` for the next cursor. */
export function microsKey(column: 'created_at' | 'starts_at'): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** The rows after `after` in (created_at DESC, id DESC) order: one row comparison, which the index can seek to. */
export function afterCreatedAt(after: KeysetPosition): RawBuilder<boolean> {
  return sql<boolean>`(created_at, id) < (${after.key}::timestamptz, ${after.id}::uuid)`;
}

/** The rows after `after` in (starts_at, id) order. */
export function afterStartsAt(after: KeysetPosition): RawBuilder<boolean> {
  return sql<boolean>`(starts_at, id) > (${after.key}::timestamptz, ${after.id}::uuid)`;
}
