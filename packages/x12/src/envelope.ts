import type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.ts';
import { assignLines, hasErrors, X12Error } from './diagnostics.ts';
import type { X12Input } from './input.ts';
import type { SegmentTable, Tokens } from './tokenizer.ts';
import { segmentCode, tokenize } from './tokenizer.ts';
import { validateSegments } from './validate.ts';
import { isoDate, isoTime } from './values.ts';

/** ISA header fields. */
export interface InterchangeHeader {
  authorizationQualifier: string;
  authorization: string;
  securityQualifier: string;
  security: string;
  senderQualifier: string;
  senderId: string;
  receiverQualifier: string;
  receiverId: string;
  /** ISO date from ISA09 (YYMMDD, 20YY assumed). */
  date: string;
  /** `HH:MM` from ISA10. */
  time: string;
  /** ISA12, e.g. `00501`. */
  version: string;
  controlNumber: string;
  acknowledgmentRequested: boolean;
  usage: 'P' | 'T';
}

/** GS header fields. */
export interface GroupHeader {
  functionalId: string;
  senderCode: string;
  receiverCode: string;
  date: string;
  time: string;
  controlNumber: string;
  /** GS08, e.g. `005010X222A1`. */
  version: string;
}

/** One ST..SE transaction set located in the segment table. */
export interface TransactionSet {
  /** ST01, e.g. `837`. */
  id: string;
  controlNumber: string;
  /** ST03, or GS08 when ST03 is absent. */
  implementationReference: string;
  /** Segment index of ST. */
  start: number;
  /** Segment index of SE (or of the last segment when SE is missing). */
  end: number;
  group: FunctionalGroup | null;
  interchange: Interchange | null;
}

export interface FunctionalGroup {
  header: GroupHeader;
  segmentIndex: number;
  transactions: TransactionSet[];
}

export interface Interchange {
  header: InterchangeHeader;
  segmentIndex: number;
  groups: FunctionalGroup[];
  /** Segment indexes of TA1 segments in this interchange. */
  ta1: number[];
}

/** Everything `parseInterchange` finds. */
export interface ParsedDocument {
  tokens: Tokens;
  table: SegmentTable;
  interchanges: Interchange[];
  transactions: TransactionSet[];
  diagnostics: Diagnostic[];
}

export interface ParseOptions {
  /** Throw `X12Error` when any error-level diagnostic is found. Default false. */
  strict?: boolean;
  /** Run element-level checks (required elements, dates, numbers, segment order). Default true. */
  validateElements?: boolean;
}

const C = {
  ISA: segmentCode('ISA'),
  IEA: segmentCode('IEA'),
  GS: segmentCode('GS'),
  GE: segmentCode('GE'),
  ST: segmentCode('ST'),
  SE: segmentCode('SE'),
  TA1: segmentCode('TA1'),
} as const;

const ISA_WIDTHS = [2, 10, 2, 10, 2, 15, 2, 15, 6, 4, 1, 5, 9, 1, 1, 1];

/** Collects diagnostics located at segments of one table. */
export class DiagnosticSink {
  readonly list: Diagnostic[] = [];
  readonly table: SegmentTable;

  constructor(table: SegmentTable) {
    this.table = table;
  }

  add(
    code: DiagnosticCode,
    message: string,
    segmentIndex: number,
    severity: Severity = 'error',
    element?: number,
  ): void {
    const t = this.table;
    const valid = segmentIndex >= 0 && segmentIndex < t.length;
    const d: Diagnostic = {
      code,
      message,
      severity,
      segmentIndex: valid ? segmentIndex : -1,
      segmentId: valid ? t.id(segmentIndex) : '',
      offset: valid
        ? element
          ? t.offsetBase + t.elementStart(segmentIndex, Math.min(element, t.elementCount(segmentIndex)))
          : t.offset(segmentIndex)
        : t.bytes.length,
      line: 1,
    };
    if (element) d.element = element;
    this.list.push(d);
  }
}

/**
 * Tokenizes a document and checks its envelopes: ISA/IEA, GS/GE and ST/SE pairing, control numbers and counts,
 * plus element-level checks. Lenient by default (everything is reported); `strict` throws `X12Error`.
 * Never throws anything else.
 */
export function parseInterchange(input: X12Input, options: ParseOptions = {}): ParsedDocument {
  const tokens = tokenize(input);
  const doc = readEnvelopes(tokens, options.validateElements !== false);
  assignLines(tokens.table.bytes, doc.diagnostics);
  if (options.strict && hasErrors(doc.diagnostics)) throw new X12Error(doc.diagnostics);
  return doc;
}

/** Every diagnostic for a document (envelopes and elements). Never throws. */
export function validate(input: X12Input): Diagnostic[] {
  return parseInterchange(input).diagnostics;
}

function readEnvelopes(tokens: Tokens, checkElements: boolean): ParsedDocument {
  const t = tokens.table;
  const sink = new DiagnosticSink(t);
  sink.list.push(...tokens.diagnostics);
  const interchanges: Interchange[] = [];
  const transactions: TransactionSet[] = [];
  let isa: Interchange | null = null;
  let gs: FunctionalGroup | null = null;
  let st: TransactionSet | null = null;
  let sawEnvelope = false;

  const closeSt = (at: number, why: string) => {
    if (!st) return;
    sink.add('SE_MISSING', `transaction set ${st.id} ${st.controlNumber} has no SE ${why}`, at);
    st.end = Math.max(st.start, at - 1);
    st = null;
  };
  const closeGs = (at: number, why: string) => {
    if (!gs) return;
    sink.add('GE_MISSING', `functional group ${gs.header.controlNumber} has no GE ${why}`, at);
    gs = null;
  };

  for (let i = 0; i < t.length; i++) {
    const code = t.codes[i]!;
    if (code === C.ISA) {
      sawEnvelope = true;
      closeSt(i, 'before the next ISA');
      closeGs(i, 'before the next ISA');
      if (isa)
        sink.add('IEA_MISSING', `interchange ${isa.header.controlNumber} has no IEA before the next ISA`, i);
      isa = {
        header: readIsa(t, i, sink, i === 0 ? tokens.isaLength : 0),
        segmentIndex: i,
        groups: [],
        ta1: [],
      };
      interchanges.push(isa);
    } else if (code === C.IEA) {
      closeSt(i, 'before IEA');
      closeGs(i, 'before IEA');
      if (!isa) {
        sink.add('UNEXPECTED_SEGMENT', 'IEA without a matching ISA', i);
        continue;
      }
      const declared = t.el(i, 1);
      const groups = isa.groups.length;
      if (
        !(Number(declared) === groups || (groups === 0 && Number(declared) === isa.ta1.length)) ||
        !isDigits(declared)
      ) {
        sink.add(
          'IEA_COUNT',
          `IEA01 says ${declared || '(empty)'} functional groups, the interchange has ${groups}`,
          i,
          'error',
          1,
        );
      }
      if (t.el(i, 2) !== isa.header.controlNumber) {
        sink.add(
          'IEA_CONTROL',
          `IEA02 ${t.el(i, 2) || '(empty)'} does not match ISA13 ${isa.header.controlNumber}`,
          i,
          'error',
          2,
        );
      }
      isa = null;
    } else if (code === C.GS) {
      sawEnvelope = true;
      closeSt(i, 'before the next GS');
      closeGs(i, 'before the next GS');
      if (!isa) sink.add('ISA_MISSING', 'GS outside an interchange (no ISA)', i);
      gs = { header: readGs(t, i), segmentIndex: i, transactions: [] };
      isa?.groups.push(gs);
    } else if (code === C.GE) {
      closeSt(i, 'before GE');
      if (!gs) {
        sink.add('UNEXPECTED_SEGMENT', 'GE without a matching GS', i);
        continue;
      }
      const declared = t.el(i, 1);
      if (Number(declared) !== gs.transactions.length || !isDigits(declared)) {
        sink.add(
          'GE_COUNT',
          `GE01 says ${declared || '(empty)'} transaction sets, the group has ${gs.transactions.length}`,
          i,
          'error',
          1,
        );
      }
      if (t.el(i, 2) !== gs.header.controlNumber) {
        sink.add(
          'GE_CONTROL',
          `GE02 ${t.el(i, 2) || '(empty)'} does not match GS06 ${gs.header.controlNumber}`,
          i,
          'error',
          2,
        );
      }
      gs = null;
    } else if (code === C.ST) {
      closeSt(i, 'before the next ST');
      if (sawEnvelope && !gs) sink.add('GS_MISSING', 'ST outside a functional group (no GS)', i);
      st = {
        id: t.el(i, 1),
        controlNumber: t.el(i, 2),
        implementationReference: t.el(i, 3) || gs?.header.version || '',
        start: i,
        end: i,
        group: gs,
        interchange: isa,
      };
      if (gs) checkGroupMatchesSet(t, i, gs, sink);
      gs?.transactions.push(st);
      transactions.push(st);
    } else if (code === C.SE) {
      if (!st) {
        sink.add('UNEXPECTED_SEGMENT', 'SE without a matching ST', i);
        continue;
      }
      const declared = t.el(i, 1);
      const actual = i - st.start + 1;
      if (Number(declared) !== actual || !isDigits(declared)) {
        sink.add(
          'SE_COUNT',
          `SE01 says ${declared || '(empty)'} segments, the transaction set has ${actual}`,
          i,
          'error',
          1,
        );
      }
      if (t.el(i, 2) !== st.controlNumber) {
        sink.add(
          'SE_CONTROL',
          `SE02 ${t.el(i, 2) || '(empty)'} does not match ST02 ${st.controlNumber}`,
          i,
          'error',
          2,
        );
      }
      st.end = i;
      st = null;
    } else if (code === C.TA1 && isa && !gs) {
      isa.ta1.push(i);
    } else if (!st) {
      sink.add('UNEXPECTED_SEGMENT', `${t.id(i) || 'segment'} outside a transaction set (missing ST?)`, i);
    }
  }
  const last = t.length - 1;
  if (st) {
    const open: TransactionSet = st;
    sink.add('SE_MISSING', `transaction set ${open.id} ${open.controlNumber} has no SE (input ends)`, last);
    open.end = last;
  }
  if (gs) closeGs(last, '(input ends)');
  if (isa)
    sink.add(
      'IEA_MISSING',
      `interchange ${(isa as Interchange).header.controlNumber} has no IEA (input ends)`,
      last,
    );
  if (checkElements) validateSegments(t, transactions, sink);
  return { tokens, table: t, interchanges, transactions, diagnostics: sink.list };
}

function readIsa(t: SegmentTable, i: number, sink: DiagnosticSink, measured: number): InterchangeHeader {
  const n = t.elementCount(i);
  if (n !== 16) sink.add('ISA_INVALID', `ISA has ${n} elements, expected 16`, i);
  const length = measured || t.ends[i]! - t.starts[i]! + 1;
  if (length !== 106) {
    const bad = ISA_WIDTHS.findIndex((w, k) => t.elementEnd(i, k + 1) - t.elementStart(i, k + 1) !== w);
    sink.add(
      'ISA_LENGTH',
      `ISA is ${length} characters, expected 106${bad >= 0 ? `; ISA${String(bad + 1).padStart(2, '0')} should be ${ISA_WIDTHS[bad]} wide` : ''}`,
      i,
      'error',
      bad >= 0 ? bad + 1 : undefined,
    );
  }
  const control = t.el(i, 13).trim();
  if (!/^\d{1,9}$/.test(control))
    sink.add('ISA_INVALID', `ISA13 control number '${control}' is not numeric`, i, 'error', 13);
  const rawDate = t.el(i, 9).trim();
  const date = rawDate.length === 6 ? isoDate(`20${rawDate}`) : null;
  if (!date) sink.add('INVALID_DATE', `ISA09 '${rawDate}' is not a YYMMDD date`, i, 'error', 9);
  const time = isoTime(t.el(i, 10).trim());
  if (!time) sink.add('INVALID_TIME', `ISA10 '${t.el(i, 10)}' is not an HHMM time`, i, 'error', 10);
  const usage = t.el(i, 15).trim();
  if (usage !== 'P' && usage !== 'T')
    sink.add('ISA_INVALID', `ISA15 usage '${usage}' must be P or T`, i, 'error', 15);
  return {
    authorizationQualifier: t.el(i, 1).trim(),
    authorization: t.el(i, 2).trim(),
    securityQualifier: t.el(i, 3).trim(),
    security: t.el(i, 4).trim(),
    senderQualifier: t.el(i, 5).trim(),
    senderId: t.el(i, 6).trim(),
    receiverQualifier: t.el(i, 7).trim(),
    receiverId: t.el(i, 8).trim(),
    date: date ?? rawDate,
    time: time ?? t.el(i, 10),
    version: t.el(i, 12).trim(),
    controlNumber: control,
    acknowledgmentRequested: t.el(i, 14).trim() === '1',
    usage: usage === 'P' ? 'P' : 'T',
  };
}

function readGs(t: SegmentTable, i: number): GroupHeader {
  return {
    functionalId: t.el(i, 1),
    senderCode: t.el(i, 2).trim(),
    receiverCode: t.el(i, 3).trim(),
    date: isoDate(t.el(i, 4)) ?? t.el(i, 4),
    time: isoTime(t.el(i, 5)) ?? t.el(i, 5),
    controlNumber: t.el(i, 6),
    version: t.el(i, 8).trim(),
  };
}

/** Functional identifier code (GS01) each transaction set belongs under. */
const FUNCTIONAL_IDS: Record<string, string> = {
  '270': 'HS',
  '271': 'HB',
  '276': 'HR',
  '277': 'HN',
  '278': 'HI',
  '835': 'HP',
  '837': 'HC',
  '999': 'FA',
  '997': 'FA',
};

function checkGroupMatchesSet(t: SegmentTable, st: number, gs: FunctionalGroup, sink: DiagnosticSink): void {
  const expected = FUNCTIONAL_IDS[t.el(st, 1)];
  if (expected && gs.header.functionalId !== expected) {
    sink.add(
      'TRANSACTION_TYPE_MISMATCH',
      `GS01 '${gs.header.functionalId}' does not match transaction set ${t.el(st, 1)} (expected ${expected})`,
      gs.segmentIndex,
      'warning',
      1,
    );
  }
  const st03 = t.el(st, 3);
  if (st03 && gs.header.version && st03 !== gs.header.version) {
    sink.add('VERSION_MISMATCH', `ST03 '${st03}' differs from GS08 '${gs.header.version}'`, st, 'warning', 3);
  }
}

function isDigits(s: string): boolean {
  return /^\d+$/.test(s);
}
