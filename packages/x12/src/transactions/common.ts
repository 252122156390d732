import type { Diagnostic } from '../diagnostics.ts';
import { assignLines, hasErrors, X12Error } from '../diagnostics.ts';
import type { DocumentWindow, Interchange, ParseOptions, TransactionSet } from '../envelope.ts';
import { DiagnosticSink, walkDocument } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { SegmentTable } from '../tokenizer.ts';
import type { DateRange } from '../values.ts';
import { emptyList, formatDateValue, isoTime, MAX_SHARED, x12Date } from '../values.ts';
import type { SegmentData } from '../writer.ts';

/** A person or organization from an NM1 segment. */
export interface Entity {
  /** NM102: `person` (1) or `organization` (2). */
  type: 'person' | 'organization';
  /** NM103: last name or organization name. */
  name: string;
  firstName?: string;
  middleName?: string;
  suffix?: string;
  /** NM108, e.g. `XX` (NPI), `MI` (member id), `PI` (payer id), `46` (ETIN). */
  idQualifier?: string;
  /** NM109. */
  id?: string;
}

/** N3/N4 address. */
export interface Address {
  line1: string;
  line2?: string;
  city: string;
  state?: string;
  postalCode?: string;
  country?: string;
}

/** A typed result with the envelopes and diagnostics of the document it came from. */
export interface Parsed<T> {
  transactions: T[];
  interchanges: Interchange[];
  diagnostics: Diagnostic[];
}

/** What a typed mapper gets: the segment table, the transaction set bounds and a diagnostic sink. */
export interface MapContext {
  t: SegmentTable;
  tx: TransactionSet;
  sink: DiagnosticSink;
}

/** Maps the transaction sets of one window; a mapper failure on malformed input becomes a diagnostic. */
export function mapWindow<T>(
  w: DocumentWindow,
  accepts: (ctx: MapContext) => boolean,
  map: (ctx: MapContext) => T | null,
  into: T[],
): void {
  for (const tx of w.transactions) {
    const ctx = { t: w.table, tx, sink: w.sink };
    if (!accepts(ctx)) continue;
    try {
      const mapped = map(ctx);
      if (mapped !== null) into.push(mapped);
    } catch (error) {
      w.sink.add(
        'UNSUPPORTED_TRANSACTION',
        `could not map transaction set ${tx.controlNumber}: ${String(error)}`,
        tx.start,
      );
    }
  }
}

/** Throws `X12Error` in strict mode when there is any error diagnostic. */
export function checkStrict(diagnostics: Diagnostic[], strict: boolean | undefined): void {
  if (strict && hasErrors(diagnostics)) throw new X12Error(diagnostics);
}

/**
 * Parses a document one transaction set at a time and maps each set accepted by `accepts` with `map`.
 * Never throws except `X12Error` in strict mode.
 */
export function parseTyped<T>(
  input: X12Input,
  options: ParseOptions,
  accepts: (ctx: MapContext) => boolean,
  map: (ctx: MapContext) => T,
  expected: string,
): Parsed<T> {
  const transactions: T[] = [];
  let mismatch: Diagnostic | null = null;
  const doc = walkDocument(input, options, (w) => {
    if (!mismatch && w.table.length > 0) {
      const probe = new DiagnosticSink(w.table);
      probe.add(
        'TRANSACTION_TYPE_MISMATCH',
        `no ${expected} transaction set found`,
        w.transactions[0]?.start ?? w.table.first,
      );
      assignLines(w.table.bytes, probe.list);
      mismatch = probe.list[0] ?? null;
    }
    mapWindow(w, accepts, map, transactions);
  });
  const diagnostics = doc.diagnostics;
  if (transactions.length === 0 && mismatch) diagnostics.push(mismatch);
  checkStrict(diagnostics, options.strict);
  return { transactions, interchanges: doc.interchanges, diagnostics };
}

/**
 * Turns `init` into a maker of objects whose properties arrive one segment at a time (a claim, its subscriber, a
 * service line). What it makes are plain objects, as `{}` makes them (`Object.getPrototypeOf(o) === Object.prototype`);
 * only their layout differs. An object literal has room for just the properties written in it, so each property
 * added later goes to a separate property store that is reallocated as it grows: an extra object, and garbage,
 * for most parsed objects. Instances of a constructor get room for the properties its `init` assigns plus eight,
 * trimmed to what its first instances came to hold (V8's in-object slack tracking), so later properties stay in
 * the object. Use one maker per kind of object, so each kind is sized by its own.
 */
export function plainObjects<A extends unknown[], T extends object>(
  init: (this: T, ...args: A) => void,
): (...args: A) => T {
  const Make = init as unknown as { prototype: object; new (...args: A): T };
  Make.prototype = Object.prototype;
  return (...args) => new Make(...args);
}

/** Sets `obj[key] = value` only when value is not undefined or empty text (keeps objects free of noise). */
export function put<T extends object, K extends keyof T>(obj: T, key: K, value: T[K] | undefined | ''): void {
  if (value !== undefined && value !== '') obj[key] = value as T[K];
}

/** Reads NM1 at segment `i`. */
export function readEntity(t: SegmentTable, i: number): Entity {
  const type = t.el(i, 2) === '1' ? 'person' : 'organization';
  const name = t.el(i, 3);
  const firstName = t.el(i, 4);
  const idQualifier = t.el(i, 8);
  const id = t.el(i, 9);
  // The usual shapes as whole literals: their fields stay in the object, with no property store to grow.
  let e: Entity;
  if (idQualifier && id) {
    e = firstName ? { type, name, firstName, idQualifier, id } : { type, name, idQualifier, id };
  } else {
    e = firstName ? { type, name, firstName } : { type, name };
    put(e, 'idQualifier', idQualifier);
    put(e, 'id', id);
  }
  put(e, 'middleName', t.el(i, 5));
  put(e, 'suffix', t.el(i, 7));
  return e;
}

/** Reads NM1 at segment `i` onto an existing party object (no temporary object). */
export function assignEntity(e: Entity, t: SegmentTable, i: number): void {
  // Direct stores rather than `put`: its one keyed store sees every object and key, and is slow for it.
  e.type = t.el(i, 2) === '1' ? 'person' : 'organization';
  e.name = t.el(i, 3);
  const firstName = t.el(i, 4);
  if (firstName !== '') e.firstName = firstName;
  const middleName = t.el(i, 5);
  if (middleName !== '') e.middleName = middleName;
  const suffix = t.el(i, 7);
  if (suffix !== '') e.suffix = suffix;
  const idQualifier = t.el(i, 8);
  if (idQualifier !== '') e.idQualifier = idQualifier;
  const id = t.el(i, 9);
  if (id !== '') e.id = id;
}

/** NM1 for an entity with the given entity identifier code (NM101). */
export function nm1(code: string, e: Entity): SegmentData {
  return [
    'NM1',
    code,
    e.type === 'person' ? '1' : '2',
    e.name,
    e.firstName ?? '',
    e.middleName ?? '',
    '',
    e.suffix ?? '',
    e.id ? (e.idQualifier ?? '') : '',
    e.id ?? '',
  ];
}

/** Reads N3 at `i` (and N4 right after it, when present). Returns the address and the index of its last segment. */
export function readAddress(t: SegmentTable, i: number): { address: Address; last: number } {
  const a: Address = { line1: t.el(i, 1), city: '' };
  put(a, 'line2', t.el(i, 2));
  let last = i;
  if (i + 1 < t.end && t.id(i + 1) === 'N4') {
    last = i + 1;
    readCity(t, i + 1, a);
  }
  return { address: a, last };
}

/** Fills city/state/zip/country from N4 at `i`. */
export function readCity(t: SegmentTable, i: number, a: Address): void {
  a.city = t.el(i, 1);
  const state = t.el(i, 2);
  if (state !== '') a.state = state;
  const postalCode = t.el(i, 3);
  if (postalCode !== '') a.postalCode = postalCode;
  const country = t.el(i, 4);
  if (country !== '') a.country = country;
}

/** N3 and N4 segments for an address. */
export function addressSegments(a: Address | undefined): SegmentData[] {
  if (!a) return [];
  return [
    ['N3', a.line1, a.line2 ?? ''],
    ['N4', a.city, a.state ?? '', a.postalCode ?? '', a.country ?? ''],
  ];
}

/** Money element as integer cents, read from the bytes; undefined when empty or malformed. */
export function cents(ctx: MapContext, i: number, j: number): number | undefined {
  return ctx.t.cents(i, j);
}

/** Money element that must be present; 0 when missing (the validator reports required elements). */
export function centsOr0(ctx: MapContext, i: number, j: number): number {
  return cents(ctx, i, j) ?? 0;
}

/** Decimal element as a number; undefined when empty. */
export function decimal(t: SegmentTable, i: number, j: number): number | undefined {
  return t.decimal(i, j);
}

/** DTP segment value at `i` (format in DTP02, value in DTP03). */
export function dtpRange(t: SegmentTable, i: number): DateRange | undefined {
  return t.dateRange(i, 2, 3);
}

/** DTP segment for a qualifier and a date or range. */
export function dtp(qualifier: string, range: DateRange): SegmentData {
  const [format, value] = formatDateValue(range);
  return ['DTP', qualifier, format, value];
}

/** ISO date from a CCYYMMDD element, or undefined. */
export function dateAt(t: SegmentTable, i: number, j: number): string | undefined {
  return t.date(i, j);
}

/** `HH:MM` time from an element, or undefined. */
export function timeAt(t: SegmentTable, i: number, j: number): string | undefined {
  return isoTime(t.el(i, j)) ?? undefined;
}

/** A composite procedure (`HC:99213:25:59`): qualifier, code and up to four modifiers. */
export interface Procedure {
  /** Code list qualifier: `HC` (CPT/HCPCS), `AD` (ADA), `NU` (revenue), `ER`, `IV`, `N4` ... */
  qualifier: string;
  code: string;
  modifiers: string[];
}

/** Procedures without modifiers by code, shared and frozen (see `emptyList`); a hit's qualifier is checked. */
const plainProcedures = new Map<string, Procedure>();

/** `{ qualifier, code, modifiers: [] }`, shared and frozen: the same few codes come back line after line. */
function plainProcedure(qualifier: string, code: string): Procedure {
  const hit = plainProcedures.get(code);
  if (hit !== undefined && hit.qualifier === qualifier) return hit;
  const p: Procedure = Object.freeze({ qualifier, code, modifiers: emptyList<string>() });
  if (hit === undefined && plainProcedures.size < MAX_SHARED) plainProcedures.set(code, p);
  return p;
}

/**
 * Reads a procedure composite from element `j` of segment `i`, in one pass over its bytes. One without modifiers
 * is shared and frozen (see `emptyList`).
 */
export function readProcedure(t: SegmentTable, i: number, j: number): Procedure {
  if (j > t.elementCount(i)) return plainProcedure('', '');
  const bytes = t.bytes;
  const sep = t.separators.component;
  const end = t.elementEnd(i, j);
  let s = t.elementStart(i, j);
  let qualifier = '';
  let code = '';
  let m1 = '';
  let m2 = '';
  let m3 = '';
  let m4 = '';
  for (let k = 1; k <= 6 && s <= end; k++) {
    let stop = s;
    while (stop < end && bytes[stop] !== sep) stop++;
    if (stop > s) {
      const value = t.slice(s, stop);
      if (k === 1) qualifier = value;
      else if (k === 2) code = value;
      else if (k === 3) m1 = value;
      else if (k === 4) m2 = value;
      else if (k === 5) m3 = value;
      else m4 = value;
    }
    s = stop + 1;
  }
  return m1 === '' && m2 === '' && m3 === '' && m4 === ''
    ? plainProcedure(qualifier, code)
    : { qualifier, code, modifiers: nonEmpty(m1, m2, m3, m4) };
}

/** The non-empty ones of up to four values, as an array of exactly that length. */
function nonEmpty(a: string, b: string, c: string, d: string): string[] {
  if (b === '' && c === '' && d === '') return a === '' ? emptyList() : [a];
  const out: string[] = [];
  if (a !== '') out.push(a);
  if (b !== '') out.push(b);
  if (c !== '') out.push(c);
  if (d !== '') out.push(d);
  return fit(out);
}

/**
 * The list itself when empty, else a copy of exactly its length. V8 gives an array that grows by `push` room for
 * 17 elements at once (152 bytes); parsed lists usually hold one or two.
 */
export function fit<T>(list: T[]): T[] {
  return list.length === 0 ? list : list.slice();
}

/**
 * Gathers a list's items while its loop is open, in an array reused from loop to loop, and hands them over at
 * exactly their count when the loop closes (see `fit`), so no grown-then-dropped array is left behind per loop.
 */
export class Collector<T> {
  private readonly items: T[] = [];
  private count = 0;

  add(item: T): void {
    this.items[this.count++] = item;
  }

  /** How many items were added since the last `take`. */
  get length(): number {
    return this.count;
  }

  /** The items added since the last `take`, or `empty` (the shared empty list by default) when there were none. */
  take(empty?: T[]): T[] {
    const n = this.count;
    if (n === 0) return empty ?? emptyList();
    this.count = 0;
    return this.items.slice(0, n);
  }
}

/** A procedure as a composite value. */
export function procedureComposite(p: Procedure): string[] {
  return [p.qualifier, p.code, ...p.modifiers];
}

/** Header information every transaction set carries in its BHT. */
export interface BeginningOfTransaction {
  /** BHT03: the originator's reference for this transaction. */
  referenceId: string;
  /** BHT04 as ISO date. */
  date: string;
  /** BHT05 as `HH:MM`. */
  time: string;
}

/** Reads BHT03-05. */
export function readBht(t: SegmentTable, i: number): BeginningOfTransaction {
  return { referenceId: t.el(i, 3), date: dateAt(t, i, 4) ?? '', time: timeAt(t, i, 5) ?? '' };
}

/** DMG with date of birth and gender; nothing without a date of birth (DMG01/DMG02 are required). */
export function dmgSegments(p: { dateOfBirth?: string; gender?: string }): SegmentData[] {
  if (!p.dateOfBirth) return [];
  return [['DMG', 'D8', x12Date(p.dateOfBirth), p.gender ?? '']];
}
