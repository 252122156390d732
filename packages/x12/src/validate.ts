import type { DiagnosticSink, TransactionSet } from './envelope.ts';
import type { SegmentTable } from './tokenizer.ts';
import { segmentCode } from './tokenizer.ts';

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
  DMG: { required: [1, 2] },
  DTM: { required: [1], dates: [2] },
  DTP: { required: [1, 2, 3] },
  EB: { required: [1], numeric: [7, 8] },
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
  PER: { required: [1] },
  PLB: { required: [1, 2, 3, 4], numeric: [4, 6, 8, 10, 12, 14], dates: [2] },
  QTY: { required: [1, 2], numeric: [2] },
  REF: { required: [1] },
  SBR: { required: [1] },
  SE: { required: [1, 2], numeric: [1] },
  ST: { required: [1, 2] },
  STC: { required: [1] },
  SV1: { required: [1], numeric: [2, 4] },
  SV2: { numeric: [3, 5] },
  SVC: { required: [1, 2], numeric: [2, 3, 5, 7] },
  TA1: { required: [1, 2, 3, 4] },
  TRN: { required: [1, 2] },
};

const RULES_BY_CODE = new Map<number, SegmentRule>(
  Object.entries(RULES).map(([id, r]) => [segmentCode(id), r]),
);

/** Order of address and reference segments inside an NM1/N1 loop, for the transaction sets that fix it. */
const NAME_LOOP_RANK = new Map<number, number>([
  [segmentCode('N2'), 1],
  [segmentCode('N3'), 2],
  [segmentCode('N4'), 3],
  [segmentCode('REF'), 4],
  [segmentCode('PER'), 5],
]);
/** In 270/271/276/277/278 name loops REF comes before N3, so only N3 → N4 is checked there. */
const ADDRESS_RANK = new Map<number, number>([
  [segmentCode('N3'), 2],
  [segmentCode('N4'), 3],
]);
const NAME_LOOP_START = new Set([segmentCode('NM1'), segmentCode('N1')]);
const LOOP_BREAK = new Set(
  ['HL', 'CLM', 'LX', 'SBR', 'CLP', 'SVC', 'EB', 'EQ', 'TRN', 'STC', 'SV1', 'SV2', 'UM', 'HCR'].map(
    segmentCode,
  ),
);
const DTP = segmentCode('DTP');
const DMG = segmentCode('DMG');

/** Checks segment ids, required elements, dates, numbers and name-loop order; reports into `sink`. */
export function validateSegments(
  t: SegmentTable,
  transactions: readonly TransactionSet[],
  sink: DiagnosticSink,
): void {
  for (let i = t.first; i < t.end; i++) {
    const code = t.code(i);
    if (code === -1) {
      const id = t.id(i);
      sink.add('SEGMENT_ID_INVALID', id ? `'${id}' is not a valid segment id` : 'segment has an empty id', i);
      continue;
    }
    const rule = RULES_BY_CODE.get(code);
    if (rule) checkRule(t, i, rule, sink);
    if (code === DTP) checkDtp(t, i, sink);
    else if (code === DMG && t.el(i, 1) === 'D8' && t.has(i, 2) && !t.date(i, 2)) {
      sink.add('INVALID_DATE', `DMG02 '${t.el(i, 2)}' is not a CCYYMMDD date`, i, 'error', 2);
    }
  }
  for (const tx of transactions) checkNameLoopOrder(t, tx, sink);
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
      if (t.has(i, j) && !t.date(i, j)) {
        sink.add('INVALID_DATE', `${t.id(i)}${pad(j)} '${t.el(i, j)}' is not a CCYYMMDD date`, i, 'error', j);
      }
    }
  }
}

function checkDtp(t: SegmentTable, i: number, sink: DiagnosticSink): void {
  const format = t.el(i, 2);
  if (!t.has(i, 3) || (format !== 'D8' && format !== 'RD8')) return;
  if (!t.dateRange(i, 2, 3)) {
    sink.add('INVALID_DATE', `DTP03 '${t.el(i, 3)}' does not match format ${format}`, i, 'error', 3);
  }
}

/** Decimal check on the bytes: optional sign, digits, one optional point. */
function isDecimalAt(t: SegmentTable, i: number, j: number): boolean {
  const bytes = t.bytes;
  let p = t.elementStart(i, j);
  const end = t.elementEnd(i, j);
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

function checkNameLoopOrder(t: SegmentTable, tx: TransactionSet, sink: DiagnosticSink): void {
  const ranks = tx.id === '837' || tx.id === '835' ? NAME_LOOP_RANK : ADDRESS_RANK;
  let inNameLoop = false;
  let rank = 0;
  let rankAt = -1;
  for (let i = tx.start + 1; i < tx.end; i++) {
    const code = t.code(i);
    if (NAME_LOOP_START.has(code)) {
      inNameLoop = true;
      rank = 0;
      continue;
    }
    if (LOOP_BREAK.has(code)) {
      inNameLoop = false;
      continue;
    }
    const r = ranks.get(code);
    if (!inNameLoop || r === undefined) continue;
    if (r < rank) {
      sink.add('SEGMENT_ORDER', `${t.id(i)} must come before ${t.id(rankAt)} in its loop`, i);
    } else {
      rank = r;
      rankAt = i;
    }
  }
}

function pad(j: number): string {
  return String(j).padStart(2, '0');
}
