/**
 * Value conversions between X12 element text and typed values. Money is integer cents, dates ISO `YYYY-MM-DD`.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/**
 * Parses an X12 decimal (`R` type: `12.5`, `-3`, `.75`) into integer cents, exactly (no floating point).
 * Returns undefined for empty or malformed text; fractions beyond cents are rounded half away from zero.
 */
export function parseCents(text: string): number | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const whole = m[2] ?? '';
  const frac = m[3] ?? '';
  if (whole === '' && frac === '') return undefined;
  const fracPadded = (frac + '00').slice(0, 2);
  let cents = Number(whole || '0') * 100 + Number(fracPadded);
  if (frac.length > 2 && frac.charCodeAt(2) >= 0x35) cents += 1;
  if (!Number.isSafeInteger(cents)) return undefined;
  return m[1] === '-' && cents !== 0 ? -cents : cents;
}

/** Formats cents as an X12 decimal with no needless zeros: 12345 → `123.45`, 1200 → `12`, 1250 → `12.5`. */
export function formatCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(Math.trunc(cents));
  const whole = Math.floor(abs / 100);
  const frac = abs % 100;
  if (frac === 0) return `${sign}${whole}`;
  const f = frac < 10 ? `0${frac}` : String(frac);
  return `${sign}${whole}.${f.endsWith('0') ? f[0] : f}`;
}

/** Parses an X12 decimal quantity (units, percentages) into a JS number; undefined when empty or malformed. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (t === '' || !DECIMAL.test(t) || t === '.' || t === '-' || t === '+') return undefined;
  return Number(t);
}

/** Formats a quantity without exponent notation or trailing zeros. */
export function formatDecimal(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return value.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
}

/** `CCYYMMDD` → `YYYY-MM-DD`, or null when not a real calendar date. */
export function isoDate(text: string): string | null {
  if (text.length !== 8) return null;
  for (let k = 0; k < 8; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return null;
  }
  const y = Number(text.slice(0, 4));
  const m = Number(text.slice(4, 6));
  const d = Number(text.slice(6, 8));
  if (!isRealDate(y, m, d)) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

/** True when month `m` (1-12) of year `y` has a day `d`. */
export function isRealDate(y: number, m: number, d: number): boolean {
  return m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m);
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0 ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** `YYYY-MM-DD` → `CCYYMMDD`. */
export function x12Date(iso: string): string {
  return iso.replaceAll('-', '');
}

/** `HHMM[SS[D..]]` → `HH:MM` (or `HH:MM:SS`), null when not a valid time. */
export function isoTime(text: string): string | null {
  if (!/^\d{4}(\d{2}\d*)?$/.test(text)) return null;
  const h = Number(text.slice(0, 2));
  const m = Number(text.slice(2, 4));
  if (h > 23 || m > 59) return null;
  if (text.length >= 6) {
    const s = Number(text.slice(4, 6));
    if (s > 59) return null;
    return `${text.slice(0, 2)}:${text.slice(2, 4)}:${text.slice(4, 6)}`;
  }
  return `${text.slice(0, 2)}:${text.slice(2, 4)}`;
}

/** `HH:MM[:SS]` → `HHMM[SS]`. */
export function x12Time(iso: string): string {
  return iso.replaceAll(':', '');
}

/** A date or a date range as found in DTP/DTM (`D8` or `RD8`). */
export interface DateRange {
  start: string;
  end?: string;
}

/*
 * Shared parsed values. What repeats across a document is handed out as one frozen object instead of a copy per
 * segment: the empty list, a one-day date range, a procedure without modifiers (see `readProcedure`). They are
 * plain JSON values like the rest of a parse; writing to one throws a TypeError, so a caller that edits a parsed
 * transaction copies it first with `JSON.parse(JSON.stringify(parsed))` (`structuredClone` would keep the sharing).
 * In an 835 of one- to four-line claims they save about a quarter of what a parse keeps.
 */

/** The one empty list of every parse. */
const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** The shared, frozen empty list, typed as the list it stands for. */
export function emptyList<T>(): T[] {
  return EMPTY_LIST as never[];
}

/** How many distinct dates (and, in `readProcedure`, codes) the caches of shared values keep at most. */
export const MAX_SHARED = 4096;
const oneDays = new Map<string, DateRange>();

/** `{ start: date }`, shared and frozen: a service date, say, is the same for every line of a visit. */
export function oneDay(date: string): DateRange {
  let range = oneDays.get(date);
  if (range === undefined) {
    range = Object.freeze({ start: date });
    if (oneDays.size < MAX_SHARED) oneDays.set(date, range);
  }
  return range;
}

/** Writes a date or range as [format, value] for DTP02/DTP03. */
export function formatDateValue(range: DateRange): [string, string] {
  return range.end !== undefined
    ? ['RD8', `${x12Date(range.start)}-${x12Date(range.end)}`]
    : ['D8', x12Date(range.start)];
}

/**
 * Free text made safe for an X12 element: accents dropped, line breaks and runs of spaces made one space, and
 * anything outside the extended character set removed, along with every character files use as a delimiter
 * (`~ * : ^ | > < { } \`).
 */
export function x12Text(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9 !"&'()+,\-./;?=%@[\]_#$\s]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}
