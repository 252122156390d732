import type { Readable } from 'node:stream';
import { TextDecoder } from 'node:util';
import type { DelimiterBytes, Delimiters } from './delimiters.ts';
import { delimitersFromBytes, detectDelimiters, isLayoutByte } from './delimiters.ts';
import type { Diagnostic } from './diagnostics.ts';
import { X12Error } from './diagnostics.ts';
import type { X12Input } from './input.ts';
import { detectUtf16, normalizeInput } from './input.ts';
import type { DateRange } from './values.ts';
import { isRealDate, oneDay, parseDecimal } from './values.ts';

type Latin1Buffer = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * Short element values repeat constantly (qualifiers, codes, dates, amounts): a direct-mapped cache keyed by a hash
 * of the bytes hands back the same string instead of allocating a new one. Shared by all tables; bounded size.
 */
/** Bytes per first-pass chunk: bounds the extra marks capacity a scan needs and the re-scan after a window stop. */
const SCAN_CHUNK = 1 << 18;
const INTERN_BITS = 14;
const INTERN_MAX_LENGTH = 16;
const internTable = new Array<string | undefined>(1 << INTERN_BITS);

/**
 * A small open-addressing map from packed segment codes (non-zero ints) to values: the per-segment lookups of the
 * mappers and the validator cost a multiply and an array read instead of a `Map` hash lookup.
 */
export class CodeTable<T> {
  private readonly keys: Int32Array;
  private readonly values: (T | undefined)[];
  private readonly shift: number;
  private size = 0;

  constructor(bits = 10) {
    this.keys = new Int32Array(1 << bits);
    this.values = new Array<T | undefined>(1 << bits).fill(undefined);
    this.shift = 32 - bits;
  }

  get(code: number): T | undefined {
    const mask = this.keys.length - 1;
    let s = Math.imul(code, 0x9e3779b1) >>> this.shift;
    for (;;) {
      const k = this.keys[s]!;
      if (k === code) return this.values[s];
      if (k === 0) return undefined;
      s = (s + 1) & mask;
    }
  }

  /** Adds or replaces; ignored once the table is half full (it only ever caches). */
  set(code: number, value: T): void {
    const mask = this.keys.length - 1;
    let s = Math.imul(code, 0x9e3779b1) >>> this.shift;
    while (this.keys[s] !== 0 && this.keys[s] !== code) s = (s + 1) & mask;
    if (this.keys[s] === 0) {
      if (this.size * 2 >= this.keys.length) return;
      this.size++;
      this.keys[s] = code;
    }
    this.values[s] = value;
  }
}

const idCache = new CodeTable<string>(12);
/** ISO dates by their CCYYMMDD value, direct-mapped: a slot holds the last date that hashed to it. */
const DATE_BITS = 12;
const dateKeys = new Int32Array(1 << DATE_BITS);
const dateStrings = new Array<string>(1 << DATE_BITS).fill('');

/**
 * Segments of a document as offsets into its bytes: no string is made until an element is read.
 * Segment indexes are absolute (position in the document): a table may hold a window `[first, end)` of them.
 * Segment `i` (local `k = i - first`) starts at `starts[k]`, ends before its terminator at `ends[k]`, and its
 * element separators sit at `marks[firstMark[k]] .. marks[firstMark[k + 1] - 1]`.
 */
export class SegmentTable {
  readonly bytes: Buffer;
  readonly delimiters: Delimiters;
  readonly separators: DelimiterBytes;
  /** Index of the first segment held (0 for a whole document). */
  first = 0;
  /** Number of segments held. */
  length = 0;
  starts: Int32Array;
  ends: Int32Array;
  firstMark: Int32Array;
  marks: Int32Array;
  /** Segment ids packed into an int (up to 3 bytes), -1 for malformed ids, 0 until first asked; local indexes. */
  codes: Int32Array;
  markCount = 0;
  /** Byte offset of `bytes[0]` in the whole stream (stream chunks). */
  offsetBase = 0;
  /** True when the last segment ran into the end of input with no terminator. */
  unterminated = false;

  constructor(bytes: Buffer, separators: DelimiterBytes, expectedBytes: number) {
    this.bytes = bytes;
    this.separators = separators;
    this.delimiters = delimitersFromBytes(separators);
    const segs = Math.max(16, (expectedBytes / 20) | 0);
    this.starts = new Int32Array(segs);
    this.ends = new Int32Array(segs);
    this.codes = new Int32Array(segs);
    this.firstMark = new Int32Array(segs + 1);
    this.marks = new Int32Array(Math.max(64, (expectedBytes / 4.5) | 0));
  }

  /** One past the last segment index held. */
  get end(): number {
    return this.first + this.length;
  }

  /** Empties the table to scan the next window, which starts at segment index `first`. */
  reset(first: number): void {
    this.codes.fill(0, 0, this.length);
    this.first = first;
    this.length = 0;
    this.markCount = 0;
    this.unterminated = false;
  }

  /** Packed id of segment `i` (see `segmentCode`), -1 when malformed. */
  code(i: number): number {
    const k = i - this.first;
    const code = this.codes[k]!;
    if (code !== 0) return code;
    const packed = packId(this.bytes, this.starts[k]!, this.elementEnd(i, 0));
    this.codes[k] = packed;
    return packed;
  }

  /** Segment id (`ISA`, `CLM`, ...). */
  id(i: number): string {
    const code = this.code(i);
    if (code > 0) {
      const cached = idCache.get(code);
      if (cached !== undefined) return cached;
      const fresh = this.slice(this.starts[i - this.first]!, this.elementEnd(i, 0));
      // Property keys are internalized: the switch statements of the mappers then compare pointers.
      const internal = Object.keys({ [fresh]: 0 })[0]!;
      idCache.set(code, internal);
      return internal;
    }
    return this.slice(this.starts[i - this.first]!, this.elementEnd(i, 0));
  }

  /** Number of elements after the id (trailing empty elements count when present). */
  elementCount(i: number): number {
    const k = i - this.first;
    return this.firstMark[k + 1]! - this.firstMark[k]!;
  }

  /** Byte offset in `bytes` where element `j` of segment `i` starts (j = 0 is the id). */
  elementStart(i: number, j: number): number {
    const k = i - this.first;
    return j === 0 ? this.starts[k]! : this.marks[this.firstMark[k]! + j - 1]! + 1;
  }

  /** Byte offset in `bytes` where element `j` of segment `i` ends (exclusive). */
  elementEnd(i: number, j: number): number {
    const k = i - this.first;
    const m = this.firstMark[k]! + j;
    return m < this.firstMark[k + 1]! ? this.marks[m]! : this.ends[k]!;
  }

  /** Element `j` (1-based, X12 style: `el(i, 1)` is `CLM01`) as a string; `''` when absent. */
  el(i: number, j: number): string {
    const k = i - this.first;
    const first = this.firstMark[k]!;
    const next = this.firstMark[k + 1]!;
    if (j > next - first) return '';
    const m = first + j;
    return this.slice(
      j === 0 ? this.starts[k]! : this.marks[m - 1]! + 1,
      m < next ? this.marks[m]! : this.ends[k]!,
    );
  }

  /** True when element `j` is present and not empty. */
  has(i: number, j: number): boolean {
    return j <= this.elementCount(i) && this.elementEnd(i, j) > this.elementStart(i, j);
  }

  /** Component `k` (1-based) of element `j`; the whole element when `k` is 1 and it has no components. */
  comp(i: number, j: number, k: number): string {
    if (j > this.elementCount(i)) return '';
    const bytes = this.bytes;
    const end = this.elementEnd(i, j);
    const sep = this.separators.component;
    let s = this.elementStart(i, j);
    for (let n = 1; n < k; n++) {
      while (s < end && bytes[s] !== sep) s++;
      if (s >= end) return '';
      s++;
    }
    let stop = s;
    while (stop < end && bytes[stop] !== sep) stop++;
    return this.slice(s, stop);
  }

  /** All components of element `j`. */
  comps(i: number, j: number): string[] {
    return this.el(i, j).split(this.delimiters.component);
  }

  /** Repetitions of element `j` (split on the repetition separator when the interchange has one). */
  reps(i: number, j: number): string[] {
    const v = this.el(i, j);
    if (v === '') return [];
    const r = this.delimiters.repetition;
    return r ? v.split(r) : [v];
  }

  /** All elements of segment `i` after the id, as strings. */
  elements(i: number): string[] {
    const n = this.elementCount(i);
    const out = new Array<string>(n);
    for (let j = 1; j <= n; j++) out[j - 1] = this.el(i, j);
    return out;
  }

  /**
   * Element `j` as integer cents, read from the bytes (no string, no float): `12.5` → 1250, `-3` → -300.
   * Beyond two decimals it rounds half away from zero. Undefined when empty or not a decimal number.
   */
  cents(i: number, j: number): number | undefined {
    if (j > this.elementCount(i)) return undefined;
    const bytes = this.bytes;
    let p = this.elementStart(i, j);
    const end = this.elementEnd(i, j);
    let negative = false;
    if (p < end && (bytes[p] === 0x2d || bytes[p] === 0x2b)) negative = bytes[p++] === 0x2d;
    let whole = 0;
    let frac = 0;
    let fracDigits = 0;
    let digits = 0;
    let point = false;
    let round = 0;
    for (; p < end; p++) {
      const d = bytes[p]! - 0x30;
      if (d >= 0 && d <= 9) {
        digits++;
        if (!point) whole = whole * 10 + d;
        else if (fracDigits < 2) {
          frac = frac * 10 + d;
          fracDigits++;
        } else if (fracDigits === 2) {
          round = d >= 5 ? 1 : 0;
          fracDigits++;
        }
      } else if (d === -2 && !point) point = true;
      else return undefined;
    }
    if (digits === 0) return undefined;
    const cents = whole * 100 + (fracDigits === 1 ? frac * 10 : frac) + round;
    if (!Number.isSafeInteger(cents)) return undefined;
    return negative && cents !== 0 ? -cents : cents;
  }

  /** Element `j` as an ISO date when it is a valid CCYYMMDD date (read from the bytes), else undefined. */
  date(i: number, j: number): string | undefined {
    if (j > this.elementCount(i)) return undefined;
    const start = this.elementStart(i, j);
    return this.elementEnd(i, j) - start === 8 ? this.dateAt(start) : undefined;
  }

  /**
   * A date or range from a format qualifier element (`D8`, `RD8`, `DT`) and a value element, as in DTP02/DTP03.
   * Undefined when the value does not match its format.
   */
  dateRange(i: number, formatAt: number, valueAt: number): DateRange | undefined {
    const shape = this.rangeShape(i, formatAt, valueAt);
    if (shape === 0) return undefined;
    const start = this.elementStart(i, valueAt);
    const from = this.dateAt(start)!;
    return shape === 2 ? { start: from, end: this.dateAt(start + 9)! } : oneDay(from);
  }

  /** True when `dateRange` finds a date or range (without making it). */
  isDateRange(i: number, formatAt: number, valueAt: number): boolean {
    return this.rangeShape(i, formatAt, valueAt) !== 0;
  }

  /** What the value element holds: 0 no valid date, 1 a date in its first 8 bytes, 2 an RD8 range of two. */
  private rangeShape(i: number, formatAt: number, valueAt: number): number {
    if (!this.has(i, valueAt)) return 0;
    const start = this.elementStart(i, valueAt);
    const length = this.elementEnd(i, valueAt) - start;
    const format = this.el(i, formatAt);
    if (format === 'RD8') {
      if (length !== 17 || this.bytes[start + 8] !== 0x2d) return 0;
      return this.dateKey(start) >= 0 && this.dateKey(start + 9) >= 0 ? 2 : 0;
    }
    if (format === 'D8' ? length !== 8 : length < 8) return 0;
    return this.dateKey(start) >= 0 ? 1 : 0;
  }

  /** ISO date from the 8 bytes at `p` (CCYYMMDD), or undefined. */
  dateAt(p: number): string | undefined {
    const key = this.dateKey(p);
    if (key < 0) return undefined;
    const slot = Math.imul(key, 0x9e3779b1) >>> (32 - DATE_BITS);
    if (dateKeys[slot] === key) return dateStrings[slot];
    const text = String(key).padStart(8, '0');
    const iso = `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
    dateKeys[slot] = key;
    dateStrings[slot] = iso;
    return iso;
  }

  /** The 8 bytes at `p` as the number CCYYMMDD when they are a real calendar date, else -1. */
  dateKey(p: number): number {
    const bytes = this.bytes;
    let key = 0;
    for (let q = p; q < p + 8; q++) {
      const d = bytes[q]! - 0x30;
      if (d < 0 || d > 9) return -1;
      key = key * 10 + d;
    }
    const day = key % 100;
    const month = ((key / 100) | 0) % 100;
    return isRealDate((key / 10000) | 0, month, day) ? key : -1;
  }

  /** True when element `j` is a valid CCYYMMDD date (what `date` checks, without making the string). */
  isDate(i: number, j: number): boolean {
    if (j > this.elementCount(i)) return false;
    const start = this.elementStart(i, j);
    return this.elementEnd(i, j) - start === 8 && this.dateKey(start) >= 0;
  }

  /**
   * Element `j` as a number (units, quantities, percentages), as `parseDecimal` reads it; undefined when empty.
   * Plain digit strings are read from the bytes; anything else goes through `parseDecimal`.
   */
  decimal(i: number, j: number): number | undefined {
    if (j > this.elementCount(i)) return undefined;
    const bytes = this.bytes;
    const start = this.elementStart(i, j);
    const end = this.elementEnd(i, j);
    if (end === start) return undefined;
    if (end - start > 15) return parseDecimal(this.el(i, j));
    let n = 0;
    for (let p = start; p < end; p++) {
      const d = bytes[p]! - 0x30;
      if (d < 0 || d > 9) return parseDecimal(this.el(i, j));
      n = n * 10 + d;
    }
    return n;
  }

  /** Byte offset of segment `i` in the whole input or stream. */
  offset(i: number): number {
    return this.offsetBase + this.starts[i - this.first]!;
  }

  /** Byte offset (in `bytes`) where segment `i` ends, before its terminator. */
  segmentEnd(i: number): number {
    return this.ends[i - this.first]!;
  }

  /** The segment's text without its terminator. */
  text(i: number): string {
    return this.slice(this.starts[i - this.first]!, this.ends[i - this.first]!);
  }

  /** Decodes a byte range: short ASCII values come from the intern cache, UTF-8 is decoded when high bytes show up. */
  slice(start: number, end: number): string {
    const len = end - start;
    if (len <= 0) return '';
    const bytes = this.bytes;
    if (len <= INTERN_MAX_LENGTH) {
      // The slot comes from the length and the bytes at both ends (no loop); a hit is confirmed byte by byte,
      // so a cached string is only ever returned for exactly these (ASCII) bytes.
      const last = end - 1;
      const h = Math.imul(
        (len << 24) ^
          (bytes[start]! << 16) ^
          (bytes[start + (len >> 1)]! << 8) ^
          bytes[last]! ^
          (bytes[last - 1 + (len === 1 ? 1 : 0)]! << 4),
        0x9e3779b1,
      );
      const slot = h >>> (32 - INTERN_BITS);
      const cached = internTable[slot];
      if (cached !== undefined && cached.length === len) {
        let k = 0;
        while (k < len && cached.charCodeAt(k) === bytes[start + k]) k++;
        if (k === len) return cached;
      }
      if (!isAscii(bytes, start, end)) return bytes.toString('utf8', start, end);
      const fresh = shortAscii(bytes, start, len);
      internTable[slot] = fresh;
      return fresh;
    }
    return isAscii(bytes, start, end)
      ? (bytes as Latin1Buffer).latin1Slice(start, end)
      : bytes.toString('utf8', start, end);
  }

  /** A view object for segment `i`. */
  segment(i: number): Segment {
    return new Segment(this, i);
  }

  /**
   * Appends segments found in `bytes[from, to)`; returns where the unfinished tail starts. With `stopAfterSe`,
   * returns right after the first SE segment (so a caller can map one transaction set at a time).
   *
   * Two passes per chunk: a tight loop records every separator and terminator position (terminators as `~p`),
   * then a pass over those positions (far fewer than bytes) closes segments, trims line breaks and drops empty
   * segments. Keeping the byte loop free of per-segment work is what makes it fast.
   */
  scan(from: number, to: number, final: boolean, stopAfterSe = false): number {
    const bytes = this.bytes;
    const el = this.separators.element;
    const term = this.separators.segment;
    let p = from;
    while (p < to && isLayoutByte(bytes[p]!)) p++;
    let segStart = p;
    let segMark = this.markCount;
    let m = segMark;
    while (p < to) {
      const chunkEnd = Math.min(to, p + SCAN_CHUNK);
      if (m + (chunkEnd - p) > this.marks.length) this.growMarks(m, m + (chunkEnd - p));
      const marks = this.marks;
      const raw = m;
      m = recordSeparators(bytes, p, chunkEnd, el, term, marks, m);
      p = chunkEnd;
      // Second pass: compact separators in place and close a segment at each terminator.
      let w = raw;
      for (let r = raw; r < m; r++) {
        const at = marks[r]!;
        if (at >= 0) {
          marks[w++] = at;
          continue;
        }
        const stop = ~at;
        if (this.close(segStart, stop, segMark, w)) {
          segMark = w;
          if (stopAfterSe && this.lastIsSe()) {
            this.markCount = w;
            let next = stop + 1;
            while (next < to && isLayoutByte(bytes[next]!)) next++;
            return next;
          }
        } else w = segMark;
        segStart = stop + 1;
      }
      m = w;
    }
    this.markCount = segMark;
    if (!final) return segStart;
    let end = to;
    while (end > segStart && isLayoutByte(bytes[end - 1]!)) end--;
    while (m > segMark && this.marks[m - 1]! >= end) m--;
    if (this.close(segStart, end, segMark, m)) {
      this.markCount = m;
      this.unterminated = true;
    }
    return to;
  }

  /** Records the segment in `[start, stop)` with separators `marks[mark, markEnd)`, unless it is only layout. */
  private close(start: number, stop: number, mark: number, markEnd: number): boolean {
    const bytes = this.bytes;
    let s = start;
    while (s < stop && isLayoutByte(bytes[s]!)) s++;
    let end = stop;
    if (this.separators.newline) while (end > s && isLayoutByte(bytes[end - 1]!)) end--;
    if (end <= s) return false;
    const n = this.length;
    if (n + 1 >= this.starts.length) this.growSegments();
    this.starts[n] = s;
    this.ends[n] = end;
    this.firstMark[n] = mark;
    this.firstMark[n + 1] = markEnd;
    this.length = n + 1;
    return true;
  }

  /** True when the last recorded segment has the id SE. */
  private lastIsSe(): boolean {
    const n = this.length - 1;
    const start = this.starts[n]!;
    const mark = this.firstMark[n]!;
    const idEnd = this.firstMark[n + 1]! > mark ? this.marks[mark]! : this.ends[n]!;
    return idEnd - start === 2 && this.bytes[start] === 0x53 && this.bytes[start + 1] === 0x45;
  }

  private growMarks(used: number, needed: number): void {
    const next = new Int32Array(Math.max(needed, Math.ceil(this.marks.length * 1.5)));
    next.set(this.marks.subarray(0, used));
    this.marks = next;
  }

  private growSegments(): void {
    const size = Math.ceil(this.starts.length * 1.5);
    const grow = (a: Int32Array, extra: number): Int32Array => {
      const next = new Int32Array(size + extra);
      next.set(a);
      return next;
    };
    this.starts = grow(this.starts, 0);
    this.ends = grow(this.ends, 0);
    this.codes = grow(this.codes, 0);
    this.firstMark = grow(this.firstMark, 1);
  }
}

/** The hot loop: writes the position of every element separator, and `~position` of every terminator. */
function recordSeparators(
  bytes: Uint8Array,
  from: number,
  to: number,
  el: number,
  term: number,
  marks: Int32Array,
  m: number,
): number {
  for (let p = from; p < to; p++) {
    const b = bytes[p]!;
    if (b === el) marks[m++] = p;
    else if (b === term) marks[m++] = ~p;
  }
  return m;
}

function isAscii(bytes: Uint8Array, start: number, end: number): boolean {
  let any = 0;
  for (let p = start; p < end; p++) any |= bytes[p]!;
  return any < 0x80;
}

/** Reused argument lists for `shortAscii`, one per length. */
const CHAR_CODES = Array.from({ length: INTERN_MAX_LENGTH + 1 }, (_, n) => new Array<number>(n).fill(0));

/**
 * 1 to 16 ASCII bytes as a string, made in JS by `String.fromCharCode`: for values this short (most element values)
 * that is several times faster than a call into the Buffer binding. Up to 8 bytes go as direct arguments.
 */
function shortAscii(b: Uint8Array, s: number, len: number): string {
  const c = String.fromCharCode;
  switch (len) {
    case 1:
      return c(b[s]!);
    case 2:
      return c(b[s]!, b[s + 1]!);
    case 3:
      return c(b[s]!, b[s + 1]!, b[s + 2]!);
    case 4:
      return c(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!);
    case 5:
      return c(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!);
    case 6:
      return c(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!);
    case 7:
      return c(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!);
    case 8:
      return c(b[s]!, b[s + 1]!, b[s + 2]!, b[s + 3]!, b[s + 4]!, b[s + 5]!, b[s + 6]!, b[s + 7]!);
    default: {
      const codes = CHAR_CODES[len]!;
      for (let k = 0; k < len; k++) codes[k] = b[s + k]!;
      return c.apply(null, codes);
    }
  }
}

/** Packs a well-formed segment id (2-3 uppercase letters/digits, starting with a letter) into an int, else -1. */
function packId(bytes: Uint8Array, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || len > 3) return -1;
  let code = 0;
  for (let p = start; p < end; p++) {
    const b = bytes[p]!;
    if (!((b >= 0x41 && b <= 0x5a) || (p > start && b >= 0x30 && b <= 0x39))) return -1;
    code = (code << 8) | b;
  }
  return code;
}

/** The packed code of a segment id, for comparing with `SegmentTable.codes`. */
export function segmentCode(id: string): number {
  let code = 0;
  for (let k = 0; k < id.length; k++) code = (code << 8) | id.charCodeAt(k);
  return code;
}

/** A read-only view of one segment. */
export class Segment {
  readonly table: SegmentTable;
  readonly index: number;

  constructor(table: SegmentTable, index: number) {
    this.table = table;
    this.index = index;
  }

  /** Segment id, e.g. `CLM`. */
  get id(): string {
    return this.table.id(this.index);
  }

  /** Position of this segment in the document (0-based, across stream chunks). */
  get position(): number {
    return this.index;
  }

  /** Byte offset in the input. */
  get offset(): number {
    return this.table.offset(this.index);
  }

  /** Element `j` (1-based); `element(0)` is the id. */
  element(j: number): string {
    return j === 0 ? this.id : this.table.el(this.index, j);
  }

  /** Component `k` of element `j` (both 1-based). */
  component(j: number, k: number): string {
    return this.table.comp(this.index, j, k);
  }

  /** Elements after the id. */
  get elements(): string[] {
    return this.table.elements(this.index);
  }

  toString(): string {
    return this.table.text(this.index);
  }
}

/** Result of tokenizing a whole document. */
export interface Tokens {
  table: SegmentTable;
  delimiters: Delimiters;
  /** Tokenizer-level problems (not X12, missing terminator). */
  diagnostics: Diagnostic[];
  /** Which header the delimiters came from. */
  envelope: 'ISA' | 'GS' | 'ST' | null;
  /** Characters from the ISA id to ISA16 plus terminator (106 when padded properly), 0 without ISA. */
  isaLength: number;
}

/**
 * Splits a document into segments. Never throws: input that is not X12 yields an empty table and a diagnostic.
 */
export function tokenize(input: X12Input): Tokens {
  const { bytes, start } = normalizeInput(input);
  const found = detectDelimiters(bytes, start, true);
  if (found.kind !== 'found') {
    const reason = found.kind === 'not-x12' ? found.reason : 'input too short';
    const empty = bytes.length - start === 0 || found.kind === 'need-more';
    const table = new SegmentTable(
      bytes,
      { element: 0x2a, component: 0x3a, repetition: -1, segment: 0x7e, newline: false },
      0,
    );
    return {
      table,
      delimiters: table.delimiters,
      diagnostics: [
        diag(empty ? 'EMPTY_INPUT' : 'NOT_X12', reason, found.kind === 'not-x12' ? found.start : 0),
      ],
      envelope: null,
      isaLength: 0,
    };
  }
  const table = new SegmentTable(bytes, found.delimiters, bytes.length);
  table.scan(found.start, bytes.length, true);
  const diagnostics: Diagnostic[] = [];
  if (table.unterminated && table.length > 0) {
    const last = table.length - 1;
    diagnostics.push({
      ...diag('SEGMENT_UNTERMINATED', 'the last segment has no segment terminator', table.offset(last)),
      segmentIndex: last,
      segmentId: table.id(last),
      severity: 'warning',
    });
  }
  return {
    table,
    delimiters: table.delimiters,
    diagnostics,
    envelope: found.envelope,
    isaLength: found.isaLength,
  };
}

function diag(code: Diagnostic['code'], message: string, offset: number): Diagnostic {
  return { code, message, severity: 'error', segmentIndex: -1, segmentId: '', offset, line: 1 };
}

/**
 * Incremental tokenizer: feed chunks split anywhere with `push`, then call `end`. Each call returns the segments
 * completed so far as views over the chunk bytes; only a segment that straddles a chunk boundary is copied.
 */
export class X12Tokenizer {
  private separators: DelimiterBytes | null = null;
  private pending: Buffer = Buffer.alloc(0);
  private consumedBytes = 0;
  private segmentCount = 0;
  private utf16: TextDecoder | null = null;
  private sniffed = false;
  private finished = false;

  /** Delimiters, once the header has been seen. */
  get delimiters(): Delimiters | null {
    return this.separators ? delimitersFromBytes(this.separators) : null;
  }

  /** Adds a chunk; returns the segments it completed. Throws `X12Error` when the stream is not X12. */
  push(chunk: Uint8Array | string): Segment[] {
    if (this.finished) return [];
    return this.feed(this.decode(chunk, false), false);
  }

  /** Flushes the last segment (which may lack a terminator). */
  end(): Segment[] {
    if (this.finished) return [];
    const tail = this.utf16 ? Buffer.from(this.utf16.decode(), 'utf8') : Buffer.alloc(0);
    const out = this.feed(tail, true);
    this.finished = true;
    return out;
  }

  private decode(chunk: Uint8Array | string, final: boolean): Buffer {
    let bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.sniffed) {
      const head = this.pending.length > 0 ? Buffer.concat([this.pending, bytes]) : bytes;
      if (head.length < 4 && !final) {
        this.pending = head;
        return Buffer.alloc(0);
      }
      this.sniffed = true;
      this.pending = Buffer.alloc(0);
      const utf16 = detectUtf16(head);
      if (utf16) this.utf16 = new TextDecoder(utf16.encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
      bytes = head;
      if (!utf16 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
        bytes = bytes.subarray(3);
        this.consumedBytes = 3;
      }
    }
    if (this.utf16)
      return Buffer.from(this.utf16.decode(bytes, { stream: true }).replace(/^\ufeff/, ''), 'utf8');
    return bytes;
  }

  private feed(chunk: Buffer, final: boolean): Segment[] {
    if (!this.separators) {
      const head = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : chunk;
      const found = detectDelimiters(head, 0, final);
      if (found.kind === 'need-more') {
        this.pending = head;
        return [];
      }
      if (found.kind === 'not-x12') {
        this.finished = true;
        throw new X12Error([
          diag(head.length === 0 ? 'EMPTY_INPUT' : 'NOT_X12', found.reason, this.consumedBytes),
        ]);
      }
      this.separators = found.delimiters;
      this.pending = Buffer.alloc(0);
      return this.scanParts(head, final);
    }
    return this.scanParts(chunk, final);
  }

  /** Completes the pending partial segment with the head of `chunk`, then scans the rest of `chunk` in place. */
  private scanParts(chunk: Buffer, final: boolean): Segment[] {
    const out: Segment[] = [];
    let rest = chunk;
    if (this.pending.length > 0) {
      const t = chunk.indexOf(this.separators!.segment);
      if (t < 0 && !final) {
        this.pending = Buffer.concat([this.pending, chunk]);
        return out;
      }
      const headLen = t < 0 ? chunk.length : t + 1;
      const head = Buffer.concat([this.pending, chunk.subarray(0, headLen)]);
      this.pending = Buffer.alloc(0);
      const base = this.consumedBytes;
      this.scanOne(head, final && headLen === chunk.length, out, base);
      rest = chunk.subarray(headLen);
    }
    if (rest.length > 0 || final) this.scanOne(rest, final, out, this.consumedBytes);
    return out;
  }

  private scanOne(bytes: Buffer, final: boolean, out: Segment[], base: number): void {
    const table = new SegmentTable(bytes, this.separators!, bytes.length);
    table.first = this.segmentCount;
    table.offsetBase = base;
    const consumed = table.scan(0, bytes.length, final);
    this.pending = consumed < bytes.length ? Buffer.from(bytes.subarray(consumed)) : Buffer.alloc(0);
    this.consumedBytes = base + consumed;
    for (let i = table.first; i < table.end; i++) out.push(new Segment(table, i));
    this.segmentCount += table.length;
  }
}

/** Async-iterates the segments of a byte stream (a `Readable`, or any iterable or async iterable of chunks). */
export async function* tokenizeStream(
  source: Readable | AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
): AsyncGenerator<Segment> {
  const tokenizer = new X12Tokenizer();
  for await (const chunk of source as AsyncIterable<Uint8Array | string>) {
    yield* tokenizer.push(chunk);
  }
  yield* tokenizer.end();
}
