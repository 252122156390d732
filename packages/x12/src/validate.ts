import type { DiagnosticSink } from './envelope.ts';
import type { SegmentTable } from './tokenizer.ts';
import { CodeTable, segmentCode } from './tokenizer.ts';

/** Element-level rules for the segments the typed mappers read. Element positions are 1-based. */
interface SegmentRule {
  required?: number[];
  /** Elements that must be decimal numbers when present. */
  numeric?: number[];
  /** Elements that must be CCYYMMDD dates when present. */
  dates?: number[];
}

const RULES: Record<string, SegmentRule> = {
  AAA: { required: [1, 3] },
  AK1: { required: [1, 2] },
  AK2: { required: [1, 2] },
  AK9: { required: [1, 2, 3, 4], numeric: [2, 3, 4] },
  AMT: { required: [1, 2], numeric: [2] },
  BHT: { required: [1, 2], dates: [4] },
  BPR: { required: [1, 2, 3, 4], numeric: [2], dates: [16] },
  CAS: { required: [1, 2, 3], numeric: [3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19] },
  CLM: { required: [1, 2, 5], numeric: [2] },
  CLP: { required: [1, 2, 3, 4], numeric: [3, 4, 5] },
  CR1: { required: [4, 5, 6], numeric: [2, 6] },
  CR3: { required: [1, 2, 3], numeric: [3] },
  CRC: { required: [1, 2, 3] },
  DMG: { required: [1, 2] },
  DTM: { required: [1], dates: [2] },
  DTP: { required: [1, 2, 3] },
  EB: { required: [1], numeric: [7, 8] },
  FRM: { required: [1], numeric: [5], dates: [4] },
  GE: { required: [1, 2], numeric: [1] },
  GS: { required: [1, 2, 3, 4, 5, 6, 7, 8], dates: [4] },
  HCR: { required: [1] },
  HI: { required: [1] },
  HL: { required: [1, 3] },
  IEA: { required: [1, 2], numeric: [1] },
  IK5: { required: [1] },
  LQ: { required: [1, 2] },
  LX: { required: [1] },
  NM1: { required: [1, 2] },
  N1: { required: [1] },
  N3: { required: [1] },
  OI: { required: [3, 6] },
  PER: { required: [1] },
  PLB: { required: [1, 2, 3, 4], numeric: [4, 6, 8, 10, 12, 14], dates: [2] },
  QTY: { required: [1, 2], numeric: [2] },
  REF: { required: [1] },
  SBR: { required: [1] },
  SE: { required: [1, 2], numeric: [1] },
  ST: { required: [1, 2] },
  STC: { required: [1] },
  SVD: { required: [1, 2, 3, 5], numeric: [2, 5, 6] },
  SV1: { required: [1], numeric: [2, 4] },
  SV2: { numeric: [3, 5] },
  SVC: { required: [1, 2], numeric: [2, 3, 5, 7] },
  TA1: { required: [1, 2, 3, 4] },
  TRN: { required: [1, 2] },
};

/**
 * Everything the single validation pass needs to know about a segment id, found with one lookup: its element
 * rule and its role in NM1/N1 name loops (start, loop break, or the rank of an address/reference segment).
 */
interface SegmentInfo {
  rule: SegmentRule | undefined;
  /** The rule as bit masks (bit `j` for element `j`): required, numeric, dates, and all three together. */
  required: number;
  numeric: number;
  dates: number;
  checked: number;
  loop: 'start' | 'break' | 'ranked' | undefined;
  /** Order inside a name loop: N2 1, N3 2, N4 3, REF 4, PER 5. */
  rank: number;
  /** N3/N4: ordered in every transaction set; the others only in 835 and 837 (270/271/278 put REF first). */
  everywhere: boolean;
}

const NAME_LOOP_RANKS: Record<string, number> = { N2: 1, N3: 2, N4: 3, REF: 4, PER: 5 };
const LOOP_BREAKS = [
  'HL',
  'CLM',
  'LX',
  'SBR',
  'CLP',
  'SVC',
  'EB',
  'EQ',
  'TRN',
  'STC',
  'SV1',
  'SV2',
  'UM',
  'HCR',
  'ST',
];

const mask = (list: readonly number[] | undefined): number => (list ?? []).reduce((m, j) => m | (1 << j), 0);
const INFO = new CodeTable<SegmentInfo>(9);
for (const id of new Set([
  ...Object.keys(RULES),
  ...Object.keys(NAME_LOOP_RANKS),
  ...LOOP_BREAKS,
  'NM1',
  'N1',
])) {
  const rank = NAME_LOOP_RANKS[id] ?? 0;
  const rule = RULES[id];
  const required = mask(rule?.required);
  const numeric = mask(rule?.numeric);
  const dates = mask(rule?.dates);
  INFO.set(segmentCode(id), {
    rule,
    required,
    numeric,
    dates,
    checked: required | numeric | dates,
    loop:
      id === 'NM1' || id === 'N1'
        ? 'start'
        : LOOP_BREAKS.includes(id)
          ? 'break'
          : rank > 0
            ? 'ranked'
            : undefined,
    rank,
    everywhere: id === 'N3' || id === 'N4',
  });
}
const DTP = segmentCode('DTP');
const DMG = segmentCode('DMG');
const ST = segmentCode('ST');

/** Checks segment ids, required elements, dates, numbers and name-loop order in one pass; reports into `sink`. */
export function validateSegments(t: SegmentTable, sink: DiagnosticSink): void {
  let strictOrder = false;
  let inNameLoop = false;
  let rank = 0;
  let rankAt = -1;
  for (let i = t.first; i < t.end; i++) {
    const code = t.code(i);
    if (code === -1) {
      const id = t.id(i);
      sink.add(
        'SEGMENT_ID_INVALID',
        id ? `'${printable(id)}' is not a valid segment id` : 'segment has an empty id',
        i,
      );
      continue;
    }
    const info = INFO.get(code);
    if (info?.rule && !passes(t, i, info)) checkRule(t, i, info.rule, sink);
    if (code === DTP) checkDtp(t, i, sink);
    else if (code === DMG && t.el(i, 1) === 'D8' && t.has(i, 2) && !t.isDate(i, 2)) {
      sink.add('INVALID_DATE', `DMG02 '${t.el(i, 2)}' is not a CCYYMMDD date`, i, 'error', 2);
    }
    if (!info?.loop) continue;
    if (code === ST) strictOrder = t.el(i, 1) === '837' || t.el(i, 1) === '835';
    if (info.loop === 'start') {
      inNameLoop = true;
      rank = 0;
    } else if (info.loop === 'break') inNameLoop = false;
    else if (inNameLoop && (strictOrder || info.everywhere)) {
      if (info.rank < rank)
        sink.add('SEGMENT_ORDER', `${t.id(i)} must come before ${t.id(rankAt)} in its loop`, i);
      else {
        rank = info.rank;
        rankAt = i;
      }
    }
  }
}

/**
 * The fast path of `checkRule`: true when segment `i` breaks none of its rule's checks, read from the element
 * offsets in one pass. Only a segment that fails goes through `checkRule`, which reports in the rule's order.
 */
function passes(t: SegmentTable, i: number, info: SegmentInfo): boolean {
  const n = t.elementCount(i);
  // A required element past the last one present.
  if (n < 31 && info.required >>> (n + 1) !== 0) return false;
  const checked = info.checked;
  const bytes = t.bytes;
  const marks = t.marks;
  const k = i - t.first;
  const base = t.firstMark[k]! - 1;
  for (let j = 1; j <= n && 1 << j <= checked; j++) {
    const bit = 1 << j;
    if ((checked & bit) === 0) continue;
    const start = marks[base + j]! + 1;
    const end = j < n ? marks[base + j + 1]! : t.ends[k]!;
    if (end <= start) {
      if ((info.required & bit) !== 0) return false;
      continue;
    }
    if ((info.numeric & bit) !== 0 && !isDecimalBytes(bytes, start, end)) return false;
    if ((info.dates & bit) !== 0 && !(end - start === 8 && t.dateKey(start) >= 0)) return false;
  }
  return true;
}

function checkRule(t: SegmentTable, i: number, rule: SegmentRule, sink: DiagnosticSink): void {
  if (rule.required) {
    for (const j of rule.required) {
      if (!t.has(i, j)) sink.add('REQUIRED_ELEMENT', `${t.id(i)}${pad(j)} is required`, i, 'error', j);
    }
  }
  if (rule.numeric) {
    for (const j of rule.numeric) {
      if (t.has(i, j) && !isDecimalAt(t, i, j)) {
        sink.add('INVALID_NUMBER', `${t.id(i)}${pad(j)} '${t.el(i, j)}' is not a number`, i, 'error', j);
      }
    }
  }
  if (rule.dates) {
    for (const j of rule.dates) {
      if (t.has(i, j) && !t.isDate(i, j)) {
        sink.add('INVALID_DATE', `${t.id(i)}${pad(j)} '${t.el(i, j)}' is not a CCYYMMDD date`, i, 'error', j);
      }
    }
  }
}

function checkDtp(t: SegmentTable, i: number, sink: DiagnosticSink): void {
  const format = t.el(i, 2);
  if (!t.has(i, 3) || (format !== 'D8' && format !== 'RD8')) return;
  if (!t.isDateRange(i, 2, 3)) {
    sink.add('INVALID_DATE', `DTP03 '${t.el(i, 3)}' does not match format ${format}`, i, 'error', 3);
  }
}

/** Decimal check on the bytes: optional sign, digits, one optional point. */
function isDecimalAt(t: SegmentTable, i: number, j: number): boolean {
  return isDecimalBytes(t.bytes, t.elementStart(i, j), t.elementEnd(i, j));
}

function isDecimalBytes(bytes: Uint8Array, start: number, end: number): boolean {
  let p = start;
  if (bytes[p] === 0x2d || bytes[p] === 0x2b) p++;
  let digits = 0;
  let points = 0;
  for (; p < end; p++) {
    const b = bytes[p]!;
    if (b >= 0x30 && b <= 0x39) digits++;
    else if (b === 0x2e && points === 0) points++;
    else return false;
  }
  return digits > 0;
}

/** Shows invisible and non-ASCII characters as `\uXXXX` so a message says what is really there. */
function printable(text: string): string {
  return text.replace(/[^\x21-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function pad(j: number): string {
  return String(j).padStart(2, '0');
}
