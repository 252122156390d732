import { detectDelimiters } from './delimiters.ts';
import type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.ts';
import { assignLines, hasErrors, LineCounter, X12Error } from './diagnostics.ts';
import type { X12Input } from './input.ts';
import { normalizeInput } from './input.ts';
import type { Tokens } from './tokenizer.ts';
import { SegmentTable, segmentCode, tokenize } from './tokenizer.ts';
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
  /** GS06 and ISA13 of the envelopes around it (null for a bare ST..SE); plain values keep results JSON-safe. */
  groupControlNumber: string | null;
  interchangeControlNumber: string | null;
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
    const valid = segmentIndex >= t.first && segmentIndex < t.end;
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
        : t.offsetBase + t.bytes.length,
      line: 1,
    };
    if (element) d.element = element;
    this.list.push(d);
  }
}

/**
 * Tokenizes a document and checks its envelopes: ISA/IEA, GS/GE and ST/SE pairing, control numbers and counts,
 * plus element-level checks. Lenient by default (everything is reported); `strict` throws `X12Error`.
 * Never throws anything else. The whole document stays tokenized in `table`; `walkDocument` is the
 * memory-bounded alternative the typed parsers use.
 */
export function parseInterchange(input: X12Input, options: ParseOptions = {}): ParsedDocument {
  const tokens = tokenize(input);
  const t = tokens.table;
  const sink = new DiagnosticSink(t);
  sink.list.push(...tokens.diagnostics);
  const reader = new EnvelopeReader(tokens.isaLength);
  const transactions = reader.read(t, sink);
  reader.finish(t, sink);
  if (options.validateElements !== false) validateSegments(t, sink);
  assignLines(t.bytes, sink.list);
  if (options.strict && hasErrors(sink.list)) throw new X12Error(sink.list);
  return { tokens, table: t, interchanges: reader.interchanges, transactions, diagnostics: sink.list };
}

/** Every diagnostic for a document (envelopes and elements). Never throws. */
export function validate(input: X12Input): Diagnostic[] {
  return parseInterchange(input).diagnostics;
}

/** What `walkDocument` hands its visitor for each window of segments. */
export interface DocumentWindow {
  table: SegmentTable;
  sink: DiagnosticSink;
  /** Transaction sets that start in this window (they also end in it). */
  transactions: TransactionSet[];
  /** TA1 segments in this window. */
  ta1: number[];
}

/** Segments per window are bounded by the largest transaction set, so this only sizes the first allocation. */
const WINDOW_BYTES = 1 << 20;

/** What a document walk has found so far; complete once the walk ends. */
export interface WalkResult {
  interchanges: Interchange[];
  diagnostics: Diagnostic[];
}

/**
 * Reads a document one transaction set at a time: tokenizes up to the next SE into a reused table, checks
 * envelopes and elements, and yields the window; the table is reused once the consumer resumes. Memory stays
 * bounded by the largest transaction set instead of the document. Diagnostics (with absolute segment indexes,
 * byte offsets and lines) land in `result` after each window, including those the consumer added to its sink.
 */
export function* documentWindows(
  input: X12Input,
  options: ParseOptions,
  result: WalkResult,
): Generator<DocumentWindow> {
  const { bytes, start } = normalizeInput(input);
  const found = detectDelimiters(bytes, start, true);
  if (found.kind !== 'found') {
    result.diagnostics.push(...tokenize(bytes).diagnostics);
    return;
  }
  const table = new SegmentTable(bytes, found.delimiters, Math.min(bytes.length, WINDOW_BYTES));
  const reader = new EnvelopeReader(found.isaLength);
  const lines = new LineCounter(bytes);
  result.interchanges = reader.interchanges;
  let pos = found.start;
  let next = 0;
  while (pos < bytes.length) {
    table.reset(next);
    pos = table.scan(pos, bytes.length, true, true);
    if (table.length === 0) break;
    const sink = new DiagnosticSink(table);
    const ta1Before = reader.ta1Count;
    const transactions = reader.read(table, sink);
    const atEnd = pos >= bytes.length;
    if (atEnd) {
      if (table.unterminated) {
        sink.add(
          'SEGMENT_UNTERMINATED',
          'the last segment has no segment terminator',
          table.end - 1,
          'warning',
        );
      }
      reader.finish(table, sink);
    }
    if (options.validateElements !== false) validateSegments(table, sink);
    yield { table, sink, transactions, ta1: reader.ta1Since(ta1Before) };
    lines.locate(sink.list);
    for (const d of sink.list) result.diagnostics.push(d);
    next = table.end;
    if (atEnd) break;
  }
}

/** Runs `visit` on every window of `documentWindows` and returns what the walk found. */
export function walkDocument(
  input: X12Input,
  options: ParseOptions,
  visit: (window: DocumentWindow) => void,
): WalkResult {
  const result: WalkResult = { interchanges: [], diagnostics: [] };
  for (const window of documentWindows(input, options, result)) visit(window);
  return result;
}

/**
 * The envelope state machine: pairs ISA/IEA, GS/GE, ST/SE and checks counts and control numbers. Fed segment
 * tables in document order (one whole document, or consecutive windows of it).
 */
class EnvelopeReader {
  readonly interchanges: Interchange[] = [];
  private isa: Interchange | null = null;
  private gs: FunctionalGroup | null = null;
  private st: TransactionSet | null = null;
  private sawEnvelope = false;
  private readonly firstIsaLength: number;
  private readonly ta1s: number[] = [];

  constructor(firstIsaLength: number) {
    this.firstIsaLength = firstIsaLength;
  }

  get ta1Count(): number {
    return this.ta1s.length;
  }

  ta1Since(count: number): number[] {
    return this.ta1s.slice(count);
  }

  /** Processes the segments of `t`; returns the transaction sets that start in it. */
  read(t: SegmentTable, sink: DiagnosticSink): TransactionSet[] {
    const started: TransactionSet[] = [];
    for (let i = t.first; i < t.end; i++) {
      const code = t.code(i);
      if (code === C.ISA) this.onIsa(t, i, sink);
      else if (code === C.IEA) this.onIea(t, i, sink);
      else if (code === C.GS) this.onGs(t, i, sink);
      else if (code === C.GE) this.onGe(t, i, sink);
      else if (code === C.ST) started.push(this.onSt(t, i, sink));
      else if (code === C.SE) this.onSe(t, i, sink);
      else if (code === C.TA1 && this.isa && !this.gs) {
        this.isa.ta1.push(i);
        this.ta1s.push(i);
      } else if (!this.st) {
        sink.add('UNEXPECTED_SEGMENT', `${t.id(i) || 'segment'} outside a transaction set (missing ST?)`, i);
      }
    }
    return started;
  }

  /** End of input: whatever is still open lacks its trailer. */
  finish(t: SegmentTable, sink: DiagnosticSink): void {
    const last = t.end - 1;
    if (this.st) {
      sink.add(
        'SE_MISSING',
        `transaction set ${this.st.id} ${this.st.controlNumber} has no SE (input ends)`,
        last,
      );
      this.st.end = last;
      this.st = null;
    }
    this.closeGs(last, '(input ends)', sink);
    if (this.isa)
      sink.add('IEA_MISSING', `interchange ${this.isa.header.controlNumber} has no IEA (input ends)`, last);
    this.isa = null;
  }

  private closeSt(at: number, why: string, sink: DiagnosticSink): void {
    if (!this.st) return;
    sink.add('SE_MISSING', `transaction set ${this.st.id} ${this.st.controlNumber} has no SE ${why}`, at);
    this.st.end = Math.max(this.st.start, at - 1);
    this.st = null;
  }

  private closeGs(at: number, why: string, sink: DiagnosticSink): void {
    if (!this.gs) return;
    sink.add('GE_MISSING', `functional group ${this.gs.header.controlNumber} has no GE ${why}`, at);
    this.gs = null;
  }

  private onIsa(t: SegmentTable, i: number, sink: DiagnosticSink): void {
    this.sawEnvelope = true;
    this.closeSt(i, 'before the next ISA', sink);
    this.closeGs(i, 'before the next ISA', sink);
    if (this.isa)
      sink.add(
        'IEA_MISSING',
        `interchange ${this.isa.header.controlNumber} has no IEA before the next ISA`,
        i,
      );
    const measured = this.interchanges.length === 0 && i === 0 ? this.firstIsaLength : 0;
    this.isa = { header: readIsa(t, i, sink, measured), segmentIndex: i, groups: [], ta1: [] };
    this.interchanges.push(this.isa);
  }

  private onIea(t: SegmentTable, i: number, sink: DiagnosticSink): void {
    this.closeSt(i, 'before IEA', sink);
    this.closeGs(i, 'before IEA', sink);
    const isa = this.isa;
    if (!isa) {
      sink.add('UNEXPECTED_SEGMENT', 'IEA without a matching ISA', i);
      return;
    }
    const declared = t.el(i, 1);
    const groups = isa.groups.length;
    if (
      !isDigits(declared) ||
      !(Number(declared) === groups || (groups === 0 && Number(declared) === isa.ta1.length))
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
    this.isa = null;
  }

  private onGs(t: SegmentTable, i: number, sink: DiagnosticSink): void {
    this.sawEnvelope = true;
    this.closeSt(i, 'before the next GS', sink);
    this.closeGs(i, 'before the next GS', sink);
    if (!this.isa) sink.add('ISA_MISSING', 'GS outside an interchange (no ISA)', i);
    this.gs = { header: readGs(t, i), segmentIndex: i, transactions: [] };
    this.isa?.groups.push(this.gs);
  }

  private onGe(t: SegmentTable, i: number, sink: DiagnosticSink): void {
    this.closeSt(i, 'before GE', sink);
    const gs = this.gs;
    if (!gs) {
      sink.add('UNEXPECTED_SEGMENT', 'GE without a matching GS', i);
      return;
    }
    const declared = t.el(i, 1);
    if (!isDigits(declared) || Number(declared) !== gs.transactions.length) {
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
    this.gs = null;
  }

  private onSt(t: SegmentTable, i: number, sink: DiagnosticSink): TransactionSet {
    this.closeSt(i, 'before the next ST', sink);
    const gs = this.gs;
    if (this.sawEnvelope && !gs) sink.add('GS_MISSING', 'ST outside a functional group (no GS)', i);
    const st: TransactionSet = {
      id: t.el(i, 1),
      controlNumber: t.el(i, 2),
      implementationReference: t.el(i, 3) || gs?.header.version || '',
      start: i,
      end: i,
      groupControlNumber: gs?.header.controlNumber ?? null,
      interchangeControlNumber: this.isa?.header.controlNumber ?? null,
    };
    if (gs) {
      checkGroupMatchesSet(t, i, gs, sink);
      gs.transactions.push(st);
    }
    this.st = st;
    return st;
  }

  private onSe(t: SegmentTable, i: number, sink: DiagnosticSink): void {
    const st = this.st;
    if (!st) {
      sink.add('UNEXPECTED_SEGMENT', 'SE without a matching ST', i);
      return;
    }
    const declared = t.el(i, 1);
    const actual = i - st.start + 1;
    if (!isDigits(declared) || Number(declared) !== actual) {
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
    this.st = null;
  }
}

function readIsa(t: SegmentTable, i: number, sink: DiagnosticSink, measured: number): InterchangeHeader {
  const n = t.elementCount(i);
  if (n !== 16) sink.add('ISA_INVALID', `ISA has ${n} elements, expected 16`, i);
  const length = measured || t.segmentEnd(i) - t.elementStart(i, 0) + 1;
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
