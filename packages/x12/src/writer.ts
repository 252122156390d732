import type { Delimiters } from './delimiters.ts';
import { DEFAULT_DELIMITERS } from './delimiters.ts';
import { x12Date, x12Time } from './values.ts';

/** A repeated element (written with the repetition separator), e.g. EB03 service types. */
export interface Repeated {
  repeat: readonly (string | readonly string[])[];
}

/** One element: plain text, a composite (array of components) or repetitions. */
export type ElementValue = string | readonly string[] | Repeated;

/** A segment to write: its id followed by its elements (`['CLM', 'PCN1', '125', ...]`). */
export type SegmentData = readonly [string, ...ElementValue[]];

/** How to write: delimiters and whether to put a line break after each terminator. */
export interface WriteOptions {
  delimiters?: Partial<Delimiters>;
  /** Add `\n` after each segment terminator (readability; parsers ignore it). Default false. */
  lineBreaks?: boolean;
}

/** Thrown when a value cannot be written (contains a delimiter, or an envelope field does not fit). */
export class X12WriteError extends Error {
  override name = 'X12WriteError';
}

function resolve(options: WriteOptions | undefined): Delimiters {
  const d = { ...DEFAULT_DELIMITERS, ...options?.delimiters };
  const chars = [d.element, d.component, d.segment, ...(d.repetition ? [d.repetition] : [])];
  if (new Set(chars).size !== chars.length || chars.some((c) => c.length !== 1)) {
    throw new X12WriteError(`delimiters must be distinct single characters: ${JSON.stringify(d)}`);
  }
  return d;
}

/** Serializes segments with the chosen delimiters; trailing empty elements and components are dropped. */
export function writeSegments(segments: readonly SegmentData[], options?: WriteOptions): string {
  const d = resolve(options);
  const end = d.segment + (options?.lineBreaks && d.segment !== '\n' ? '\n' : '');
  const forbidden = new Set([d.element, d.component, d.segment, ...(d.repetition ? [d.repetition] : [])]);
  let out = '';
  for (const seg of segments) out += writeSegment(seg, d, forbidden) + end;
  return out;
}

function writeSegment(seg: SegmentData, d: Delimiters, forbidden: Set<string>): string {
  const parts: string[] = [seg[0]];
  for (let k = 1; k < seg.length; k++) parts.push(writeElement(seg[k] as ElementValue, d, forbidden, seg[0]));
  let n = parts.length;
  while (n > 1 && parts[n - 1] === '') n--;
  return parts.slice(0, n).join(d.element);
}

function writeElement(v: ElementValue, d: Delimiters, forbidden: Set<string>, id: string): string {
  if (typeof v === 'string') return clean(v, forbidden, id);
  if (isRepeated(v)) {
    if (!d.repetition) {
      if (v.repeat.length > 1) throw new X12WriteError(`${id}: repetitions need a repetition separator`);
    }
    return v.repeat.map((r) => writeElement(r, d, forbidden, id)).join(d.repetition ?? '');
  }
  const comps = v.map((c) => clean(c, forbidden, id));
  let n = comps.length;
  while (n > 0 && comps[n - 1] === '') n--;
  return comps.slice(0, n).join(d.component);
}

function isRepeated(v: ElementValue): v is Repeated {
  return typeof v === 'object' && !Array.isArray(v) && 'repeat' in v;
}

function clean(value: string, forbidden: Set<string>, id: string): string {
  for (const ch of value) {
    if (forbidden.has(ch)) throw new X12WriteError(`${id}: value '${value}' contains the delimiter '${ch}'`);
  }
  return value;
}

/** Interchange and group envelope settings for building a document. */
export interface EnvelopeOptions {
  senderId: string;
  receiverId: string;
  /** ISA05 / ISA07 (default `ZZ`, mutually defined). */
  senderQualifier?: string;
  receiverQualifier?: string;
  /** ISA13, 1..999999999. */
  interchangeControlNumber: number;
  /** GS06 (default: the interchange control number). */
  groupControlNumber?: number;
  /** ST02 of the first transaction set (default 1, written as `0001`); later sets count up. */
  transactionControlNumber?: number;
  /** GS02 / GS03 (default: sender and receiver ids). */
  applicationSenderCode?: string;
  applicationReceiverCode?: string;
  /** ISO date and `HH:MM` time of the interchange (default: now, UTC). */
  date?: string;
  time?: string;
  /** ISA15: `P` production or `T` test (default `P`). */
  usage?: 'P' | 'T';
  /** ISA14: ask for a TA1 (default false). */
  acknowledgmentRequested?: boolean;
  delimiters?: Partial<Delimiters>;
  lineBreaks?: boolean;
}

/** A transaction set body to wrap in ST/SE. */
export interface TransactionBody {
  /** ST01, e.g. `837`. */
  id: string;
  /** ST03 / GS08, e.g. `005010X222A1`. */
  implementationReference: string;
  /** GS01 functional identifier, e.g. `HC`. */
  functionalId: string;
  /** Segments between ST and SE. */
  segments: readonly SegmentData[];
}

/**
 * Wraps transaction sets in ST/SE, GS/GE (one group per functional id and version) and ISA/IEA with correct
 * control numbers and counts, and an ISA padded to 106 characters.
 */
export function writeInterchange(envelope: EnvelopeOptions, bodies: readonly TransactionBody[]): string {
  const d = resolve(envelope);
  const now = new Date();
  const date = envelope.date ?? now.toISOString().slice(0, 10);
  const time = envelope.time ?? now.toISOString().slice(11, 16);
  const isa13 = controlNumber(envelope.interchangeControlNumber, 9, 'interchange');
  const groupKeys: string[] = [];
  const groups = new Map<string, TransactionBody[]>();
  for (const b of bodies) {
    const key = `${b.functionalId}|${b.implementationReference}`;
    if (!groups.has(key)) {
      groups.set(key, []);
      groupKeys.push(key);
    }
    groups.get(key)!.push(b);
  }
  const isa = [
    'ISA',
    '00',
    ' '.repeat(10),
    '00',
    ' '.repeat(10),
    fixed(envelope.senderQualifier ?? 'ZZ', 2),
    fixed(envelope.senderId, 15),
    fixed(envelope.receiverQualifier ?? 'ZZ', 2),
    fixed(envelope.receiverId, 15),
    x12Date(date).slice(2),
    x12Time(time).slice(0, 4),
    d.repetition ?? 'U',
    '00501',
    isa13,
    envelope.acknowledgmentRequested ? '1' : '0',
    envelope.usage ?? 'P',
    d.component,
  ].join(d.element);
  const segments: SegmentData[] = [];
  let gsNumber = envelope.groupControlNumber ?? envelope.interchangeControlNumber;
  let stNumber = envelope.transactionControlNumber ?? 1;
  for (const key of groupKeys) {
    const list = groups.get(key)!;
    const first = list[0]!;
    const gs06 = controlNumber(gsNumber++, 0, 'group');
    segments.push([
      'GS',
      first.functionalId,
      envelope.applicationSenderCode ?? envelope.senderId,
      envelope.applicationReceiverCode ?? envelope.receiverId,
      x12Date(date),
      x12Time(time).slice(0, 4),
      gs06,
      'X',
      first.implementationReference,
    ]);
    for (const body of list) {
      const st02 = controlNumber(stNumber++, 4, 'transaction set');
      segments.push(['ST', body.id, st02, body.implementationReference]);
      for (const s of body.segments) segments.push(s);
      segments.push(['SE', String(body.segments.length + 2), st02]);
    }
    segments.push(['GE', String(list.length), gs06]);
  }
  segments.push(['IEA', String(groupKeys.length), isa13]);
  const lineEnd = envelope.lineBreaks && d.segment !== '\n' ? '\n' : '';
  return (
    isa + d.segment + lineEnd + writeSegments(segments, { delimiters: d, lineBreaks: envelope.lineBreaks })
  );
}

function fixed(value: string, width: number): string {
  if (value.length > width) throw new X12WriteError(`'${value}' is longer than ${width} characters`);
  return value.padEnd(width, ' ');
}

function controlNumber(n: number, width: number, what: string): string {
  if (!Number.isInteger(n) || n < 1 || n > 999_999_999) {
    throw new X12WriteError(`${what} control number must be an integer from 1 to 999999999, got ${n}`);
  }
  return String(n).padStart(width, '0');
}
