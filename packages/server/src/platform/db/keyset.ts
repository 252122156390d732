/**
 * Keyset pages on (timestamp, id). A cursor keeps the timestamp to the microsecond, as PostgreSQL stores it: a JS
 * Date holds milliseconds only, and a cursor cut to the millisecond skipped every row of that same millisecond
 * sorting after the page's last row.
 */
import { type RawBuilder, sql } from 'kysely';
import { invalidField } from '../errors.ts';

const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A timestamptz column as ISO text to the microsecond (UTC): select it `.as('cursor_at')` for the next cursor. */
export function microsKey(column: 'created_at' | 'starts_at'): RawBuilder<string> {
  return sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** True for a (timestamp, id) cursor this module made (a millisecond one from before is accepted too). */
export function isTimestampCursor(at: string, id: string): boolean {
  return ISO_TIMESTAMP.test(at) && !Number.isNaN(Date.parse(at)) && UUID.test(id);
}

/** True for a (date, id) cursor. */
export function isDateCursor(day: string, id: string): boolean {
  return ISO_DATE.test(day) && !Number.isNaN(Date.parse(day)) && UUID.test(id);
}

/** The rows after the cursor in (created_at DESC, id DESC) order: one row comparison, which the index can seek to. */
export function afterCreatedAtCursor(at: string, id: string): RawBuilder<boolean> {
  return sql<boolean>`(created_at, id) < (${at}::timestamptz, ${id}::uuid)`;
}

/** The rows after the cursor in (starts_at, id) order. */
export function afterStartsAtCursor(at: string, id: string): RawBuilder<boolean> {
  return sql<boolean>`(starts_at, id) > (${at}::timestamptz, ${id}::uuid)`;
}

/** The sequence number of a one-part `seq` cursor, or null without one; anything else is a 400 naming the cursor. */
export function seqCursor(parts: string[] | null): number | null {
  if (!parts) return null;
  const seq = Number(parts[0]);
  if (!/^\d{1,15}$/.test(parts[0] ?? '') || !Number.isSafeInteger(seq))
    throw invalidField('/query/cursor', 'is not a cursor from this endpoint');
  return seq;
}
