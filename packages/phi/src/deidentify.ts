/**
 * De-identification operations over the spans `scan` finds: mask, redact, pseudonymize (stable keyed surrogates)
 * and date-shift (one offset per patient). Ages over 89 become "90+" and ZIP codes keep only a Safe Harbor ZIP3.
 */
import { createHmac } from 'node:crypto';
import { dictionaries } from './dictionaries.ts';
import { scan } from './scan.ts';
import type { PhiType, ScanOptions, Span } from './types.ts';

export type DeidentifyMode = 'mask' | 'redact' | 'pseudonymize' | 'dateshift';

export const DEIDENTIFY_MODES: readonly DeidentifyMode[] = ['mask', 'redact', 'pseudonymize', 'dateshift'];

export interface DeidentifyOptions {
  /**
   * mask: `[TYPE]` tags; redact: each character replaced by `*` (layout kept); pseudonymize: realistic surrogates,
   * the same for the same value, key and patient; dateshift: dates moved by one offset per patient, the rest masked.
   */
  mode: DeidentifyMode;
  /** Secret for the keyed surrogates and offsets (HMAC-SHA256). Without it the output is stable but guessable. */
  key?: string;
  /** Scopes surrogates and the date offset to one patient. */
  patientKey?: string;
  /** Spans to use instead of scanning (for example after a reviewer edited them). */
  spans?: readonly Span[];
  scanOptions?: ScanOptions;
}

export interface DeidentifyResult {
  text: string;
  /** The spans that were replaced, with offsets into the original text. */
  spans: Span[];
}

function hmac(key: string, message: string): Buffer {
  return createHmac('sha256', key).update(message).digest();
}

/** Days to shift this patient's dates by: 1..365 in either direction, never 0. */
export function dateShiftDays(key: string, patientKey: string): number {
  const h = hmac(key, `dateshift\u0000${patientKey}`);
  const days = (h.readUInt32BE(0) % 365) + 1;
  return h[4]! & 1 ? days : -days;
}

/** The Safe Harbor form of a ZIP code: its first three digits, or 000 for sparsely populated ZIP3 areas. */
export function safeHarborZip(zip: string): string {
  const digits = zip.replace(/\D/g, '');
  if (digits.length < 3) return '000';
  const zip3 = digits.slice(0, 3);
  return dictionaries().restrictedZip3.has(zip3) ? '000' : zip3;
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  if (w.length < 3) return -1;
  return MONTHS.findIndex(
    (m) => m.startsWith(w.slice(0, 3)) && (w.length <= m.length ? m.startsWith(w) || w === 'sept' : false),
  );
}

function ordinal(day: number): string {
  if (day % 100 >= 11 && day % 100 <= 13) return `${day}th`;
  return `${day}${['th', 'st', 'nd', 'rd'][day % 10] ?? 'th'}`;
}

function matchCase(surrogate: string, original: string): string {
  if (original === original.toUpperCase() && /\p{Lu}/u.test(original)) return surrogate.toUpperCase();
  if (original === original.toLowerCase()) return surrogate.toLowerCase();
  return surrogate;
}

/** Shifts one date written in any of the forms the scanner finds; undefined when it cannot be read. */
export function shiftDate(value: string, days: number): string | undefined {
  const shift = (y: number, m: number, d: number) => {
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return undefined;
    date.setUTCDate(date.getUTCDate() + days);
    return { y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() };
  };
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const century = (yy: number) => (yy < 50 ? 2000 + yy : 1900 + yy);
  // A written year ("2019", "'92") or none (a reference leap year, so that Feb 29 shifts too).
  const readYear = (text: string | undefined) =>
    text === undefined ? 2000 : text.startsWith("'") ? century(Number(text.slice(1))) : Number(text);
  const writeYear = (text: string | undefined, sep: string, y: number) =>
    text === undefined ? '' : `${sep}${text.startsWith("'") ? `'${pad(y % 100, 2)}` : y}`;
  // Numeric: m/d, m/d/yy, m-d-yyyy, yyyy-mm-dd, with an optional time after ISO dates.
  let m = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(.*)$/s.exec(value);
  if (m) {
    const r = shift(Number(m[1]), Number(m[3]), Number(m[4]));
    return r && `${r.y}${m[2]}${pad(r.m, m[3]!.length)}${m[2]}${pad(r.d, m[4]!.length)}${m[5]}`;
  }
  m = /^(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{2}|\d{4}))?$/.exec(value);
  if (m) {
    let [a, b] = [Number(m[1]), Number(m[3])];
    const dayFirst = a > 12;
    if (dayFirst) [a, b] = [b, a];
    const year = m[4] === undefined ? 2000 : m[4].length === 2 ? century(Number(m[4])) : Number(m[4]);
    const r = shift(year, a, b);
    if (!r) return undefined;
    const first = dayFirst ? r.d : r.m;
    const second = dayFirst ? r.m : r.d;
    const y = m[4] === undefined ? '' : `${m[2]}${m[4].length === 2 ? pad(r.y % 100, 2) : r.y}`;
    return `${pad(first, m[1]!.length)}${m[2]}${pad(second, m[3]!.length)}${y}`;
  }
  // Month/year "8/87" has no day: shift by whole months of the offset.
  m = /^(\d{1,2})\/(\d{2}|\d{4})$/.exec(value);
  if (m) {
    const year = m[2]!.length === 2 ? century(Number(m[2])) : Number(m[2]);
    const r = shift(year, Number(m[1]), 15);
    return r && `${r.m}/${m[2]!.length === 2 ? pad(r.y % 100, 2) : r.y}`;
  }
  // "March 3rd, 2019", "Mar 3", "3 March 2019", "3-Mar", "the 3rd of June".
  m =
    /^(?:the\s+)?(\d{1,2})(st|nd|rd|th)?(\s+of\s+|\s*[- ]\s*)([A-Za-z]+\.?)(?:(,?[- ]?\s*)(\d{4}|'\d{2}))?$/.exec(
      value,
    );
  if (m) {
    const month = monthIndex(m[4]!);
    if (month < 0) return undefined;
    const yearText = m[6];
    const year = readYear(yearText);
    const r = shift(year, month + 1, Number(m[1]));
    if (!r) return undefined;
    const monthName = matchCase(formatMonth(r.m, m[4]!), m[4]!);
    const day = m[2] ? ordinal(r.d) : String(r.d);
    const yearOut = writeYear(yearText, m[5] ?? '', r.y);
    return `${value.startsWith('the') ? 'the ' : ''}${day}${m[3]}${monthName}${yearOut}`;
  }
  m = /^([A-Za-z]+\.?)(\s+)(?:the\s+)?(\d{1,2})(st|nd|rd|th)?(?:(,?\s+)(\d{4}|'\d{2}))?$/.exec(value);
  if (m) {
    const month = monthIndex(m[1]!);
    if (month < 0) return undefined;
    const yearText = m[6];
    const year = readYear(yearText);
    const r = shift(year, month + 1, Number(m[3]));
    if (!r) return undefined;
    const yearOut = writeYear(yearText, m[5] ?? '', r.y);
    return `${matchCase(formatMonth(r.m, m[1]!), m[1]!)}${m[2]}${m[4] ? ordinal(r.d) : r.d}${yearOut}`;
  }
  m = /^([A-Za-z]+\.?)(\s*,?\s+)(\d{4})$/.exec(value);
  if (m) {
    const month = monthIndex(m[1]!);
    if (month < 0) return undefined;
    const r = shift(Number(m[3]), month + 1, 15);
    return r && `${matchCase(formatMonth(r.m, m[1]!), m[1]!)}${m[2]}${r.y}`;
  }
  return undefined;
}

function formatMonth(month: number, like: string): string {
  const full = MONTHS[month - 1]!;
  const word = like.replace(/\.$/, '');
  const name = word.length <= 4 && full.length > word.length ? full.slice(0, 3) : full;
  const out = name[0]!.toUpperCase() + name.slice(1);
  return like.endsWith('.') && name.length === 3 ? `${out}.` : out;
}

let namePools: { first: string[]; last: string[]; places: string[] } | undefined;

function pools() {
  if (!namePools) {
    const d = dictionaries();
    const top = (m: Map<string, number>, n: number) =>
      [...m.keys()].filter((w) => !d.english.has(w) && /^[a-z]{3,}$/.test(w)).slice(0, n);
    const title = (w: string) => w[0]!.toUpperCase() + w.slice(1);
    namePools = {
      first: top(d.firstNames, 500).map(title),
      last: top(d.surnames, 1000).map(title),
      places: top(d.places, 500).map((p) => p.replace(/\b\p{L}/gu, (c) => c.toUpperCase())),
    };
  }
  return namePools;
}

const ADDRESS_WORDS = new Set([
  'apt',
  'apartment',
  'suite',
  'ste',
  'unit',
  'box',
  'po',
  'p',
  'o',
  'floor',
  'fl',
  'n',
  's',
  'e',
  'w',
]);

/** Replaces each digit (and, unless `digitsOnly`, each letter) with one drawn from the hash, keeping separators
 *  and case. */
function scramble(value: string, h: Buffer, digitsOnly = false): string {
  let i = 0;
  let out = '';
  for (const ch of value) {
    const b = h[i % h.length]! ^ (i * 31);
    i++;
    if (ch >= '0' && ch <= '9') out += String(b % 10);
    else if (!digitsOnly && /\p{Lu}/u.test(ch)) out += String.fromCharCode(65 + (b % 26));
    else if (!digitsOnly && /\p{Ll}/u.test(ch)) out += String.fromCharCode(97 + (b % 26));
    else out += ch;
  }
  return out;
}

function surrogate(type: PhiType, value: string, key: string, patientKey: string, days: number): string {
  const h = hmac(key, `${patientKey}\u0000${type}\u0000${value.toLowerCase().replace(/\s+/g, ' ')}`);
  const pick = <T>(list: T[], at: number) => list[h.readUInt16BE(at) % list.length]!;
  switch (type) {
    case 'NAME': {
      const words = value.split(/(\s+)/);
      let wordIndex = 0;
      const named = words.map((w) => {
        if (/^\s+$/.test(w) || w.length === 0) return w;
        const at = (wordIndex++ * 2) % 30;
        if (w.replace(/\./g, '').length === 1)
          return matchCase(`${pick(pools().last, at)[0]}${w.endsWith('.') ? '.' : ''}`, w);
        const pool =
          wordIndex === 1 && words.filter((x) => x.trim()).length > 1 ? pools().first : pools().last;
        return matchCase(pick(pool, at), w);
      });
      return named.join('');
    }
    case 'LOCATION':
      return matchCase(pick(pools().places, 0), value);
    case 'ADDRESS': {
      // Street words become surnames, house and unit numbers are redrawn; suffixes, unit words and a state stay,
      // and a closing ZIP code keeps only its Safe Harbor ZIP3.
      const tail = /([ \t,]+[A-Z]{2}[ \t]+)(\d{5})(?:-\d{4})?[ \t]*$/.exec(value);
      const head = tail ? value.slice(0, tail.index) : value;
      const keep = dictionaries().streetSuffixes;
      let n = 0;
      const street = scramble(
        head.replace(/\p{L}[\p{L}'’-]*/gu, (word) => {
          const lower = word.toLowerCase();
          if (keep.has(lower) || ADDRESS_WORDS.has(lower)) return word;
          return matchCase(pick(pools().last, (n++ * 2) % 30), word);
        }),
        h,
        true,
      );
      return tail ? `${street}${tail[1]}${safeHarborZip(tail[2]!)}` : street;
    }
    case 'DATE':
      return shiftDate(value, days) ?? '[DATE]';
    case 'AGE':
      return '90+';
    case 'ZIP':
      return safeHarborZip(value);
    case 'EMAIL':
      return `${scramble(value.split('@')[0] ?? 'user', h).toLowerCase()}@example.org`;
    case 'URL':
      return `https://example.org/${h.toString('hex').slice(0, 8)}`;
    case 'IP':
      return value.includes(':') ? `fd00::${h.readUInt16BE(0).toString(16)}` : `10.${h[0]}.${h[1]}.${h[2]}`;
    default:
      return scramble(value, h);
  }
}

function replacement(span: Span, value: string, options: DeidentifyOptions, days: number): string {
  switch (options.mode) {
    case 'redact':
      return value.replace(/[^\s]/g, '*');
    case 'pseudonymize':
      return surrogate(span.type, value, options.key ?? '', options.patientKey ?? '', days);
    case 'dateshift':
      if (span.type === 'DATE') return shiftDate(value, days) ?? '[DATE]';
      if (span.type === 'AGE') return '90+';
      if (span.type === 'ZIP') return safeHarborZip(value);
      return `[${span.type}]`;
    default:
      return `[${span.type}]`;
  }
}

/** De-identifies `text`: every span `scan` finds (or `options.spans`) is replaced as `options.mode` says. */
export function deidentify(text: string, options: DeidentifyOptions): DeidentifyResult {
  if (typeof text !== 'string' || text.length === 0)
    return { text: typeof text === 'string' ? text : '', spans: [] };
  const spans = options.spans
    ? [...options.spans].sort((a, b) => a.start - b.start)
    : scan(text, options.scanOptions);
  const days = dateShiftDays(options.key ?? '', options.patientKey ?? '');
  let out = '';
  let pos = 0;
  const used: Span[] = [];
  for (const span of spans) {
    if (span.start < pos || span.end > text.length || span.end <= span.start) continue;
    out += text.slice(pos, span.start) + replacement(span, text.slice(span.start, span.end), options, days);
    pos = span.end;
    used.push(span);
  }
  return { text: out + text.slice(pos), spans: used };
}
