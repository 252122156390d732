/** The four X12 separators, as single characters. */
export interface Delimiters {
  element: string;
  component: string;
  /** Repetition separator (ISA11 from version 00501 on); null when the interchange has none. */
  repetition: string | null;
  /** Segment terminator. `\n` means "line break" (a CR before it is dropped too). */
  segment: string;
}

/** The delimiters most 005010 trading partners use: `*`, `:`, `^`, `~`. */
export const DEFAULT_DELIMITERS: Delimiters = { element: '*', component: ':', repetition: '^', segment: '~' };

/** Delimiters as byte values, for the tokenizer's hot loop. */
export interface DelimiterBytes {
  element: number;
  component: number;
  /** -1 when none. */
  repetition: number;
  segment: number;
  /** True when the terminator is a line break: a CR just before it is trimmed. */
  newline: boolean;
}

export function delimiterBytes(d: Delimiters): DelimiterBytes {
  return {
    element: d.element.charCodeAt(0),
    component: d.component.charCodeAt(0),
    repetition: d.repetition ? d.repetition.charCodeAt(0) : -1,
    segment: d.segment.charCodeAt(0),
    newline: d.segment === '\n' || d.segment === '\r',
  };
}

export function delimitersFromBytes(b: DelimiterBytes): Delimiters {
  return {
    element: String.fromCharCode(b.element),
    component: String.fromCharCode(b.component),
    repetition: b.repetition >= 0 ? String.fromCharCode(b.repetition) : null,
    segment: b.newline ? '\n' : String.fromCharCode(b.segment),
  };
}

const CR = 0x0d;
const LF = 0x0a;

/** True for bytes skipped between segments (CR, LF, tab, space). */
export function isLayoutByte(b: number): boolean {
  return b === LF || b === CR || b === 0x20 || b === 0x09;
}

function isAlnum(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a);
}

/** Outcome of delimiter detection: the delimiters, or why none could be found yet. */
export type Detection =
  | {
      kind: 'found';
      delimiters: DelimiterBytes;
      start: number;
      isaLength: number;
      envelope: 'ISA' | 'GS' | 'ST';
    }
  | { kind: 'need-more' }
  | { kind: 'not-x12'; start: number; reason: string };

/**
 * Finds the separators from the first segment. With an ISA it walks the 16 element separators rather than
 * trusting fixed offsets, so an ISA not padded to 106 characters still works; with a bare GS or ST it takes the
 * element separator after the segment id and the first byte that cannot belong to the header as the terminator.
 */
export function detectDelimiters(bytes: Uint8Array, from: number, final: boolean): Detection {
  let start = from;
  while (start < bytes.length && isLayoutByte(bytes[start]!)) start++;
  if (bytes.length - start < 4) {
    return final
      ? { kind: 'not-x12', start, reason: 'input is empty or too short to be X12' }
      : { kind: 'need-more' };
  }
  const b0 = bytes[start]!;
  const b1 = bytes[start + 1]!;
  const b2 = bytes[start + 2]!;
  if (b0 === 0x49 && b1 === 0x53 && b2 === 0x41) return detectFromIsa(bytes, start, final);
  const isGs = b0 === 0x47 && b1 === 0x53;
  const isSt = b0 === 0x53 && b1 === 0x54;
  if (isGs || isSt) {
    const element = b2;
    if (isAlnum(element) || isLayoutByte(element)) {
      return { kind: 'not-x12', start, reason: 'no element separator after the first segment id' };
    }
    for (let p = start + 3; p < bytes.length; p++) {
      const b = bytes[p]!;
      if (b === element || isAlnum(b) || b === 0x20 || b === 0x2e || b === 0x2d) continue;
      const newline = b === CR || b === LF;
      return {
        kind: 'found',
        delimiters: {
          element,
          component: guessComponent(bytes, p, element, b),
          repetition: -1,
          segment: newline ? LF : b,
          newline,
        },
        start,
        isaLength: 0,
        envelope: isGs ? 'GS' : 'ST',
      };
    }
    return final ? { kind: 'not-x12', start, reason: 'no segment terminator found' } : { kind: 'need-more' };
  }
  return { kind: 'not-x12', start, reason: 'input does not start with ISA, GS or ST' };
}

function detectFromIsa(bytes: Uint8Array, start: number, final: boolean): Detection {
  const element = bytes[start + 3]!;
  if (isAlnum(element) || isLayoutByte(element)) {
    return { kind: 'not-x12', start, reason: 'ISA is not followed by an element separator' };
  }
  let seps = 1;
  let p = start + 4;
  const limit = Math.min(bytes.length, start + 400);
  let sep11 = -1;
  let sep12 = -1;
  for (; p < limit && seps < 16; p++) {
    if (bytes[p] === element) {
      seps++;
      if (seps === 11) sep11 = p;
      if (seps === 12) sep12 = p;
    }
  }
  if (seps < 16 || p + 1 >= bytes.length) {
    if (!final && limit === bytes.length) return { kind: 'need-more' };
    return { kind: 'not-x12', start, reason: 'ISA segment is truncated (fewer than 16 elements)' };
  }
  // p is now the first byte of ISA16 (the component separator).
  const component = bytes[p]!;
  let term = bytes[p + 1]!;
  let newline = false;
  if (term === CR || term === LF) {
    newline = true;
    term = LF;
  }
  let repetition = -1;
  if (sep11 > 0 && sep12 > 0 && sep12 - sep11 === 2) {
    const r = bytes[sep11 + 1]!;
    const version = Buffer.from(bytes.buffer, bytes.byteOffset + sep12 + 1, 5).toString('latin1');
    if (!isAlnum(r) && r !== 0x20 && version >= '00501' && r !== component && r !== element && r !== term) {
      repetition = r;
    }
  }
  return {
    kind: 'found',
    delimiters: { element, component, repetition, segment: term, newline },
    start,
    isaLength: p + 2 - start,
    envelope: 'ISA',
  };
}

/** Without an ISA there is no declared component separator: use the first of `:`, `>`, `|`, `^` that appears. */
function guessComponent(bytes: Uint8Array, from: number, element: number, terminator: number): number {
  const limit = Math.min(bytes.length, from + 4096);
  for (let p = from; p < limit; p++) {
    const b = bytes[p]!;
    if (b === element || b === terminator) continue;
    if (b === 0x3a || b === 0x3e || b === 0x7c || b === 0x5e) return b;
  }
  return 0x3a;
}
