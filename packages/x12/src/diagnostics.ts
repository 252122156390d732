/** How bad a diagnostic is. Strict mode throws on `error` only. */
export type Severity = 'error' | 'warning' | 'info';

/** Stable machine-readable diagnostic codes. */
export type DiagnosticCode =
  | 'EMPTY_INPUT'
  | 'NOT_X12'
  | 'ISA_MISSING'
  | 'ISA_LENGTH'
  | 'ISA_INVALID'
  | 'IEA_MISSING'
  | 'IEA_COUNT'
  | 'IEA_CONTROL'
  | 'GS_MISSING'
  | 'GE_MISSING'
  | 'GE_COUNT'
  | 'GE_CONTROL'
  | 'SE_MISSING'
  | 'SE_COUNT'
  | 'SE_CONTROL'
  | 'UNEXPECTED_SEGMENT'
  | 'SEGMENT_ID_INVALID'
  | 'SEGMENT_UNTERMINATED'
  | 'REQUIRED_ELEMENT'
  | 'MISSING_SEGMENT'
  | 'INVALID_DATE'
  | 'INVALID_TIME'
  | 'INVALID_NUMBER'
  | 'SEGMENT_ORDER'
  | 'VERSION_MISMATCH'
  | 'UNSUPPORTED_TRANSACTION'
  | 'TRANSACTION_TYPE_MISMATCH'
  | 'BALANCE_CLAIM'
  | 'BALANCE_SERVICE'
  | 'BALANCE_PAYMENT';

/** One problem found in an X12 document, located by segment and byte. */
export interface Diagnostic {
  code: DiagnosticCode;
  message: string;
  severity: Severity;
  /** 0-based index of the segment in the document, -1 when the problem concerns no segment. */
  segmentIndex: number;
  /** Segment identifier at `segmentIndex` (e.g. `SE`), empty when none. */
  segmentId: string;
  /** Byte offset of the segment (or of the problem) in the input, after any UTF-16 conversion. */
  offset: number;
  /** 1-based line of `offset`, counting LF characters. */
  line: number;
  /** 1-based element position inside the segment, when the problem concerns one element. */
  element?: number;
}

/** Thrown by strict-mode parsing; carries every diagnostic found. */
export class X12Error extends Error {
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const first = diagnostics.find((d) => d.severity === 'error') ?? diagnostics[0];
    super(first ? formatDiagnostic(first) : 'invalid X12');
    this.name = 'X12Error';
    this.diagnostics = diagnostics;
  }
}

/** One-line human form: `error SE_COUNT at segment 37 (SE, line 37, byte 1024): ...`. */
export function formatDiagnostic(d: Diagnostic): string {
  const where =
    d.segmentIndex >= 0
      ? `segment ${d.segmentIndex + 1} (${d.segmentId || '?'}${d.element ? `${String(d.element).padStart(2, '0')}` : ''}, line ${d.line}, byte ${d.offset})`
      : `byte ${d.offset}`;
  return `${d.severity} ${d.code} at ${where}: ${d.message}`;
}

/** True when any diagnostic has severity `error`. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Fills in `line` for every diagnostic with one pass over the bytes. */
export function assignLines(bytes: Uint8Array, diagnostics: Diagnostic[]): void {
  new LineCounter(bytes).locate(diagnostics);
}

/**
 * Counts LF characters up to diagnostic offsets. Batches may come in document order (one per window): the
 * counter resumes where it stopped, and only starts over when an offset goes backwards.
 */
export class LineCounter {
  private readonly bytes: Uint8Array;
  private pos = 0;
  private line = 1;
  /** Position of the next LF at or after `pos`, -1 when there is none, -2 when not looked up yet. */
  private nextLf = -2;

  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }

  locate(diagnostics: readonly Diagnostic[]): void {
    if (diagnostics.length === 0) return;
    const sorted = [...diagnostics].sort((a, b) => a.offset - b.offset);
    for (const d of sorted) {
      const target = Math.min(Math.max(d.offset, 0), this.bytes.length);
      if (target < this.pos) {
        this.pos = 0;
        this.line = 1;
        this.nextLf = -2;
      }
      for (;;) {
        if (this.nextLf === -2 || (this.nextLf >= 0 && this.nextLf < this.pos))
          this.nextLf = this.bytes.indexOf(0x0a, this.pos);
        if (this.nextLf < 0 || this.nextLf >= target) break;
        this.line++;
        this.pos = this.nextLf + 1;
      }
      d.line = this.line;
    }
  }
}
