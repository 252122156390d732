/** 999 implementation acknowledgment (005010X231A1), 997 functional acknowledgment and TA1 interchange acknowledgment. */

import { DEFAULT_DELIMITERS } from '../delimiters.ts';
import type { DiagnosticCode } from '../diagnostics.ts';
import type { ParseOptions } from '../envelope.ts';
import { parseInterchange } from '../envelope.ts';
import type { X12Input } from '../input.ts';
import type { SegmentTable } from '../tokenizer.ts';
import { isoDate, isoTime, x12Date, x12Time } from '../values.ts';
import type { EnvelopeOptions, SegmentData } from '../writer.ts';
import { writeInterchange, writeSegments, X12WriteError } from '../writer.ts';
import type { MapContext, Parsed } from './common.ts';
import { checkStrict, parseTyped, put } from './common.ts';

/** IK4 / AK4: an element error. */
export interface ElementError {
  /** IK401-1: element position in the segment. */
  position: number;
  /** IK401-2: component position, when the error is in a component. */
  componentPosition?: number;
  /** IK402: data element reference number. */
  elementReference?: string;
  /** IK403: implementation data element syntax error code (`1` required missing, `7` invalid code value ...). */
  code: string;
  /** IK404: a copy of the bad data. */
  badValue?: string;
}

/** IK3 / AK3: a segment error with its element errors. */
export interface SegmentError {
  segmentId: string;
  /** IK302: position of the segment in the transaction set (ST is 1). */
  position: number;
  loopId?: string;
  /** IK304: segment syntax error code (`3` mandatory segment missing, `8` segment has data element errors, `I4` ...). */
  code?: string;
  elementErrors: ElementError[];
}

/** AK2..IK5: the verdict on one transaction set. */
export interface TransactionSetAck {
  /** AK201 transaction set id (`837`). */
  transactionSetId: string;
  /** AK202 its ST02. */
  controlNumber: string;
  implementationReference?: string;
  /** IK501 / AK501: `A` accepted, `E` accepted with errors, `R` rejected, `M`, `W`, `X`. */
  status: string;
  /** IK502-506 / AK502-506 syntax error codes. */
  errorCodes: string[];
  segmentErrors: SegmentError[];
}

/** A typed 999 (or 997). */
export interface ImplementationAcknowledgment {
  /** `999` or `997`. */
  type: '999' | '997';
  /** AK101 functional id of the acknowledged group (`HC`). */
  functionalId: string;
  /** AK102 group control number (GS06) being acknowledged. */
  groupControlNumber: string;
  /** AK103 version of the acknowledged group. */
  version?: string;
  transactionSets: TransactionSetAck[];
  /** AK901: `A` accepted, `E`, `P` partially accepted, `R` rejected. */
  groupStatus: string;
  included: number;
  received: number;
  accepted: number;
  /** AK905-909 functional group syntax error codes. */
  groupErrorCodes: string[];
}

/** TA1 interchange acknowledgment. */
export interface InterchangeAcknowledgment {
  /** TA101: the acknowledged ISA13. */
  controlNumber: string;
  /** TA102/TA103 of the acknowledged interchange. */
  date: string;
  time: string;
  /** TA104: `A` accepted, `E` accepted with errors, `R` rejected. */
  ackCode: string;
  /** TA105 note code (`000` no error, `001` control numbers do not match ...). */
  noteCode: string;
  /** Description of the note code. */
  note: string;
}

/** TA105 interchange note codes. */
export const TA1_NOTES: Record<string, string> = {
  '000': 'No error',
  '001': 'The Interchange Control Number in the Header and Trailer Do Not Match',
  '002': 'This Standard as Noted in the Control Standards Identifier is Not Supported',
  '003': 'This Version of the Controls is Not Supported',
  '004': 'The Segment Terminator is Invalid',
  '005': 'Invalid Interchange ID Qualifier for Sender',
  '006': 'Invalid Interchange Sender ID',
  '007': 'Invalid Interchange ID Qualifier for Receiver',
  '008': 'Invalid Interchange Receiver ID',
  '009': 'Unknown Interchange Receiver ID',
  '010': 'Invalid Authorization Information Qualifier Value',
  '011': 'Invalid Authorization Information Value',
  '012': 'Invalid Security Information Qualifier Value',
  '013': 'Invalid Security Information Value',
  '014': 'Invalid Interchange Date Value',
  '015': 'Invalid Interchange Time Value',
  '016': 'Invalid Interchange Standards Identifier Value',
  '017': 'Invalid Interchange Version ID Value',
  '018': 'Invalid Interchange Control Number Value',
  '019': 'Invalid Acknowledgment Requested Value',
  '020': 'Invalid Test Indicator Value',
  '021': 'Invalid Number of Included Groups Value',
  '022': 'Invalid Control Structure',
  '023': 'Improper (Premature) End-of-File (Transmission)',
  '024': 'Invalid Interchange Content (e.g., Invalid GS Segment)',
  '025': 'Duplicate Interchange Control Number',
  '026': 'Invalid Data Element Separator',
  '027': 'Invalid Component Element Separator',
  '028': 'Invalid Delivery Date in Deferred Delivery Request',
  '029': 'Invalid Delivery Time in Deferred Delivery Request',
  '030': 'Invalid Delivery Time Code in Deferred Delivery Request',
  '031': 'Invalid Grade of Service Code',
};

/** Parses every 999 and 997 in a document. */
export function parse999(input: X12Input, options: ParseOptions = {}): Parsed<ImplementationAcknowledgment> {
  return parseTyped(input, options, (c) => c.tx.id === '999' || c.tx.id === '997', mapAck, '999');
}

/** Maps one 999/997 transaction set. */
export function mapAck(ctx: MapContext): ImplementationAcknowledgment {
  const { t, tx } = ctx;
  const a: ImplementationAcknowledgment = {
    type: tx.id === '997' ? '997' : '999',
    functionalId: '',
    groupControlNumber: '',
    transactionSets: [],
    groupStatus: '',
    included: 0,
    received: 0,
    accepted: 0,
    groupErrorCodes: [],
  };
  let set: TransactionSetAck | null = null;
  let segment: SegmentError | null = null;
  for (let i = tx.start + 1; i < tx.end; i++) {
    switch (t.id(i)) {
      case 'AK1':
        a.functionalId = t.el(i, 1);
        a.groupControlNumber = t.el(i, 2);
        put(a, 'version', t.el(i, 3));
        break;
      case 'AK2':
        set = {
          transactionSetId: t.el(i, 1),
          controlNumber: t.el(i, 2),
          status: '',
          errorCodes: [],
          segmentErrors: [],
        };
        put(set, 'implementationReference', t.el(i, 3));
        segment = null;
        a.transactionSets.push(set);
        break;
      case 'IK3':
      case 'AK3':
        if (!set) break;
        segment = { segmentId: t.el(i, 1), position: Number(t.el(i, 2)) || 0, elementErrors: [] };
        put(segment, 'loopId', t.el(i, 3));
        put(segment, 'code', t.el(i, 4));
        set.segmentErrors.push(segment);
        break;
      case 'IK4':
      case 'AK4':
        if (segment) segment.elementErrors.push(readElementError(t, i));
        break;
      case 'IK5':
      case 'AK5':
        if (!set) break;
        set.status = t.el(i, 1);
        for (let j = 2; j <= 6; j++) if (t.has(i, j)) set.errorCodes.push(t.el(i, j));
        break;
      case 'AK9':
        a.groupStatus = t.el(i, 1);
        a.included = Number(t.el(i, 2)) || 0;
        a.received = Number(t.el(i, 3)) || 0;
        a.accepted = Number(t.el(i, 4)) || 0;
        for (let j = 5; j <= 9; j++) if (t.has(i, j)) a.groupErrorCodes.push(t.el(i, j));
        break;
    }
  }
  return a;
}

function readElementError(t: SegmentTable, i: number): ElementError {
  const e: ElementError = { position: Number(t.comp(i, 1, 1)) || 0, code: t.el(i, 3) };
  const component = Number(t.comp(i, 1, 2));
  if (component) e.componentPosition = component;
  put(e, 'elementReference', t.el(i, 2));
  put(e, 'badValue', t.el(i, 4));
  return e;
}

/** Segments of a 999 body. */
export function acknowledgmentSegments(a: ImplementationAcknowledgment): SegmentData[] {
  const v5 = a.type === '999';
  const out: SegmentData[] = [['AK1', a.functionalId, a.groupControlNumber, a.version ?? '']];
  for (const s of a.transactionSets) {
    out.push(['AK2', s.transactionSetId, s.controlNumber, s.implementationReference ?? '']);
    for (const seg of s.segmentErrors) {
      out.push([v5 ? 'IK3' : 'AK3', seg.segmentId, String(seg.position), seg.loopId ?? '', seg.code ?? '']);
      for (const e of seg.elementErrors) {
        out.push([
          v5 ? 'IK4' : 'AK4',
          e.componentPosition ? [String(e.position), String(e.componentPosition)] : String(e.position),
          e.elementReference ?? '',
          e.code,
          e.badValue ?? '',
        ]);
      }
    }
    out.push([v5 ? 'IK5' : 'AK5', s.status, ...s.errorCodes]);
  }
  out.push([
    'AK9',
    a.groupStatus,
    String(a.included),
    String(a.received),
    String(a.accepted),
    ...a.groupErrorCodes,
  ]);
  return out;
}

/** Builds a complete 999 (or 997) interchange. */
export function build999(ack: ImplementationAcknowledgment, envelope: EnvelopeOptions): string {
  return writeInterchange(envelope, [
    {
      id: ack.type,
      implementationReference: ack.type === '999' ? '005010X231A1' : '005010',
      functionalId: 'FA',
      segments: acknowledgmentSegments(ack),
    },
  ]);
}

/** Reads every TA1 segment of a document (TA1s live between ISA and IEA, outside any group). */
export function parseTA1(input: X12Input, options: ParseOptions = {}): Parsed<InterchangeAcknowledgment> {
  const doc = parseInterchange(input, { ...options, strict: false });
  const transactions: InterchangeAcknowledgment[] = [];
  for (const isa of doc.interchanges) for (const i of isa.ta1) transactions.push(readTa1(doc.table, i));
  checkStrict(doc.diagnostics, options.strict);
  return { transactions, interchanges: doc.interchanges, diagnostics: doc.diagnostics };
}

/** IK304 segment syntax error codes for segment-level diagnostics. */
const IK3_CODES: Partial<Record<DiagnosticCode, string>> = {
  SEGMENT_ID_INVALID: '1',
  UNEXPECTED_SEGMENT: '2',
  MISSING_SEGMENT: '3',
  SEGMENT_ORDER: '7',
};
/** IK403 data element syntax error codes for element-level diagnostics. */
const IK4_CODES: Partial<Record<DiagnosticCode, string>> = {
  REQUIRED_ELEMENT: '1',
  INVALID_NUMBER: '6',
  INVALID_DATE: '8',
  INVALID_TIME: '9',
};
/** IK502 transaction set syntax error codes for envelope diagnostics. */
const IK5_CODES: Partial<Record<DiagnosticCode, string>> = {
  SE_MISSING: '2',
  SE_CONTROL: '3',
  SE_COUNT: '4',
};
/** AK905 functional group syntax error codes. */
const AK9_CODES: Partial<Record<DiagnosticCode, string>> = {
  GE_MISSING: '3',
  GE_CONTROL: '4',
  GE_COUNT: '5',
};

/**
 * The 999 a receiver sends back for a document: one acknowledgment per functional group, each transaction set
 * accepted (`A`) or rejected (`R`) with IK3/IK4 segment and element errors and IK5/AK9 envelope error codes taken
 * from the validator's diagnostics. Build the X12 with `build999`.
 */
export function acknowledge(input: X12Input): ImplementationAcknowledgment[] {
  const doc = parseInterchange(input);
  const t = doc.table;
  const errors = doc.diagnostics.filter((d) => d.severity === 'error' && d.segmentIndex >= 0);
  const groups = doc.interchanges.flatMap((isa) => isa.groups);
  return groups.map((group, g) => {
    const until = groups[g + 1]?.segmentIndex ?? t.end;
    const sets = group.transactions.map((st): TransactionSetAck => {
      const ack: TransactionSetAck = {
        transactionSetId: st.id,
        controlNumber: st.controlNumber,
        status: 'A',
        errorCodes: [],
        segmentErrors: [],
      };
      put(ack, 'implementationReference', t.el(st.start, 3));
      const bySegment = new Map<number, SegmentError>();
      for (const d of errors) {
        if (d.segmentIndex < st.start || d.segmentIndex > st.end) continue;
        const ik5 = IK5_CODES[d.code];
        if (ik5) {
          if (!ack.errorCodes.includes(ik5)) ack.errorCodes.push(ik5);
          continue;
        }
        const ik4 = IK4_CODES[d.code];
        const ik3 = IK3_CODES[d.code];
        if (!ik4 && !ik3) continue;
        let seg = bySegment.get(d.segmentIndex);
        if (!seg) {
          seg = { segmentId: d.segmentId, position: d.segmentIndex - st.start + 1, elementErrors: [] };
          bySegment.set(d.segmentIndex, seg);
          ack.segmentErrors.push(seg);
        }
        if (ik4 && d.element) {
          seg.code = '8';
          const e: ElementError = { position: d.element, code: ik4 };
          put(e, 'badValue', t.el(d.segmentIndex, d.element).slice(0, 99));
          seg.elementErrors.push(e);
        } else seg.code = ik3 ?? '8';
      }
      if (ack.segmentErrors.length > 0 && !ack.errorCodes.includes('5')) ack.errorCodes.push('5');
      if (ack.errorCodes.length > 0) ack.status = 'R';
      return ack;
    });
    const groupErrorCodes: string[] = [];
    for (const d of errors) {
      const code = AK9_CODES[d.code];
      if (
        code &&
        d.segmentIndex >= group.segmentIndex &&
        d.segmentIndex < until &&
        !groupErrorCodes.includes(code)
      ) {
        groupErrorCodes.push(code);
      }
    }
    const accepted = sets.filter((s) => s.status === 'A').length;
    const ack: ImplementationAcknowledgment = {
      type: '999',
      functionalId: group.header.functionalId,
      groupControlNumber: group.header.controlNumber,
      transactionSets: sets,
      groupStatus: groupErrorCodes.length > 0 || accepted === 0 ? 'R' : accepted === sets.length ? 'A' : 'P',
      included: sets.length,
      received: sets.length,
      accepted: groupErrorCodes.length > 0 ? 0 : accepted,
      groupErrorCodes,
    };
    put(ack, 'version', group.header.version);
    return ack;
  });
}

/** Reads the TA1 segment at `i`. */
export function readTa1(t: SegmentTable, i: number): InterchangeAcknowledgment {
  const date = t.el(i, 2);
  const noteCode = t.el(i, 5);
  return {
    controlNumber: t.el(i, 1),
    date: date.length === 6 ? (isoDate(`20${date}`) ?? date) : (isoDate(date) ?? date),
    time: isoTime(t.el(i, 3)) ?? t.el(i, 3),
    ackCode: t.el(i, 4),
    noteCode,
    note: TA1_NOTES[noteCode] ?? '',
  };
}

/** Builds an interchange that carries only a TA1 (IEA01 counts zero groups). */
export function buildTA1(ack: InterchangeAcknowledgment, envelope: EnvelopeOptions): string {
  const full = writeInterchange(envelope, []);
  const d = { ...DEFAULT_DELIMITERS, ...envelope.delimiters };
  const isaEnd = full.indexOf(d.segment) + 1 + (envelope.lineBreaks && d.segment !== '\n' ? 1 : 0);
  if (ack.controlNumber.length !== 9)
    throw new X12WriteError('TA101 must be the 9-digit ISA13 being acknowledged');
  const ta1 = writeSegments(
    [
      [
        'TA1',
        ack.controlNumber,
        x12Date(ack.date).slice(2),
        x12Time(ack.time).slice(0, 4),
        ack.ackCode,
        ack.noteCode,
      ],
    ],
    envelope,
  );
  return full.slice(0, isaEnd) + ta1 + full.slice(isaEnd);
}
