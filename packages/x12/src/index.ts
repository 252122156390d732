/**
 * @intelluxe/x12: X12 005010 tokenizer, envelope validator, typed transaction mappers and writer.
 * No runtime dependencies. Money is integer cents; dates are ISO `YYYY-MM-DD`.
 */
import type { TransactionType } from './detect.ts';
import { transactionTypeOf } from './detect.ts';
import type { Diagnostic } from './diagnostics.ts';
import { hasErrors } from './diagnostics.ts';
import type { Interchange, ParseOptions, WalkResult } from './envelope.ts';
import { documentWindows, parseInterchange } from './envelope.ts';
import type { X12Input } from './input.ts';
import type {
  ImplementationAcknowledgment,
  InterchangeAcknowledgment,
} from './transactions/acknowledgments.ts';
import { mapAck, readTa1 } from './transactions/acknowledgments.ts';
import type { ServiceReviewTransaction } from './transactions/authorization.ts';
import { mapReview } from './transactions/authorization.ts';
import type { ClaimSubmission } from './transactions/claims.ts';
import { mapClaims } from './transactions/claims.ts';
import type { MapContext } from './transactions/common.ts';
import { checkStrict, mapWindow } from './transactions/common.ts';
import type { EligibilityRequest, EligibilityResponse } from './transactions/eligibility.ts';
import { mapRequest, mapResponse } from './transactions/eligibility.ts';
import type { Remittance } from './transactions/remittance.ts';
import { mapRemittance } from './transactions/remittance.ts';
import type { ClaimStatusRequest, ClaimStatusResponse } from './transactions/status.ts';
import { mapStatus, mapStatusRequest } from './transactions/status.ts';

export type { DelimiterBytes, Delimiters } from './delimiters.ts';
export { DEFAULT_DELIMITERS } from './delimiters.ts';
export type { TransactionType } from './detect.ts';
export type { Diagnostic, DiagnosticCode, Severity } from './diagnostics.ts';
export { formatDiagnostic, hasErrors, X12Error } from './diagnostics.ts';
export type {
  FunctionalGroup,
  GroupHeader,
  Interchange,
  InterchangeHeader,
  ParsedDocument,
  ParseOptions,
  TransactionSet,
} from './envelope.ts';
export { parseInterchange, validate } from './envelope.ts';
export type { X12Input } from './input.ts';
export type { Tokens } from './tokenizer.ts';
export { Segment, SegmentTable, tokenize, tokenizeStream, X12Tokenizer } from './tokenizer.ts';
export type {
  ElementError,
  ImplementationAcknowledgment,
  InterchangeAcknowledgment,
  SegmentError,
  TransactionSetAck,
} from './transactions/acknowledgments.ts';
export {
  acknowledge,
  build999,
  buildTA1,
  parse999,
  parseTA1,
  TA1_NOTES,
} from './transactions/acknowledgments.ts';
export type {
  ReviewAttachment,
  ReviewDecision,
  ReviewItem,
  ReviewRequest,
  ServiceQuantity,
  ServiceReview,
  ServiceReviewTransaction,
} from './transactions/authorization.ts';
export { build278, parse278, reviewSegments } from './transactions/authorization.ts';
export type {
  AdmissionInfo,
  AmbulanceDropoff,
  AmbulanceTransport,
  Claim,
  ClaimSubmission,
  ConditionIndicator,
  ContactInfo,
  Diagnosis,
  DmeCertification,
  DrugInfo,
  FormAnswer,
  LineAdjudication,
  LineForm,
  OtherParty,
  OtherPayer,
  OtherPayerCoverage,
  OtherPayerProvider,
  OtherPayerProviderRole,
  Patient,
  Payer,
  Provider,
  ServiceLine,
  SpinalManipulation,
  Subscriber,
} from './transactions/claims.ts';
export {
  build837I,
  build837P,
  claimSegments,
  parse837,
  parse837I,
  parse837P,
} from './transactions/claims.ts';
export type { Address, BeginningOfTransaction, Entity, Parsed, Procedure } from './transactions/common.ts';
export type {
  AccumulatorAmounts,
  Benefit,
  BenefitEntity,
  CoverageSummary,
  EligibilityRequest,
  EligibilityResponse,
  EligibilityResponseInput,
  Member,
  NetworkAmounts,
  ProviderInformation,
  QualifiedDate,
  Rejection,
  ServiceCostShare,
  TierAmounts,
  TraceNumber,
} from './transactions/eligibility.ts';
export {
  build270,
  build271,
  coverageBenefits,
  parse270,
  parse271,
  requestSegments,
  responseSegments,
  summarizeCoverage,
} from './transactions/eligibility.ts';
export type {
  AdjudicationInfo,
  Adjustment,
  BankAccount,
  ClaimPayment,
  Contact,
  MonetaryAmount,
  Payee835,
  Payer835,
  Payment,
  ProviderAdjustment,
  Reference,
  Remittance,
  ServicePayment,
  Trace,
} from './transactions/remittance.ts';
export { build835, parse835, remittanceSegments } from './transactions/remittance.ts';
export type {
  ClaimStatus,
  ClaimStatusCode,
  ClaimStatusDetail,
  ClaimStatusRequest,
  ClaimStatusResponse,
  LevelStatus,
  ServiceLineStatus,
} from './transactions/status.ts';
export { build276, build277, parse276, parse277, parse277CA } from './transactions/status.ts';
export type { DateRange } from './values.ts';
export { formatCents, parseCents, x12Text } from './values.ts';
export type {
  ElementValue,
  EnvelopeOptions,
  Repeated,
  SegmentData,
  TransactionBody,
  WriteOptions,
} from './writer.ts';
export { writeInterchange, writeSegments, X12WriteError } from './writer.ts';

/** Any typed transaction, tagged with its kind and its ST02 (TA1: the acknowledged ISA13). */
export type TypedTransaction =
  | { type: '270'; controlNumber: string; transaction: EligibilityRequest }
  | { type: '271'; controlNumber: string; transaction: EligibilityResponse }
  | { type: '276'; controlNumber: string; transaction: ClaimStatusRequest }
  | { type: '277' | '277CA'; controlNumber: string; transaction: ClaimStatusResponse }
  | { type: '278'; controlNumber: string; transaction: ServiceReviewTransaction }
  | { type: '835'; controlNumber: string; transaction: Remittance }
  | { type: '837P' | '837I' | '837D'; controlNumber: string; transaction: ClaimSubmission }
  | { type: '999' | '997'; controlNumber: string; transaction: ImplementationAcknowledgment }
  | { type: 'TA1'; controlNumber: string; transaction: InterchangeAcknowledgment };

/** Everything `parseX12` returns. */
export interface X12Document {
  transactions: TypedTransaction[];
  interchanges: Interchange[];
  diagnostics: Diagnostic[];
}

/** Kind of the first transaction set of a document (or `TA1` for an acknowledgment-only interchange); null if none. */
export function detectTransactionType(input: X12Input): TransactionType | null {
  const doc = parseInterchange(input, { validateElements: false });
  const first = doc.transactions[0];
  if (first) return transactionTypeOf(doc.table, first);
  return doc.interchanges.some((i) => i.ta1.length > 0) ? 'TA1' : null;
}

function mapAny(ctx: MapContext): TypedTransaction | null {
  const type = transactionTypeOf(ctx.t, ctx.tx);
  const controlNumber = ctx.tx.controlNumber;
  switch (type) {
    case '270':
      return { type, controlNumber, transaction: mapRequest(ctx) };
    case '271':
      return { type, controlNumber, transaction: mapResponse(ctx) };
    case '276':
      return { type, controlNumber, transaction: mapStatusRequest(ctx) };
    case '277':
    case '277CA':
      return { type, controlNumber, transaction: mapStatus(ctx) };
    case '278':
      return { type, controlNumber, transaction: mapReview(ctx) };
    case '835':
      return { type, controlNumber, transaction: mapRemittance(ctx) };
    case '837P':
    case '837I':
    case '837D':
      return { type, controlNumber, transaction: mapClaims(ctx) };
    case '999':
    case '997':
      return { type, controlNumber, transaction: mapAck(ctx) };
    default:
      ctx.sink.add(
        'UNSUPPORTED_TRANSACTION',
        `transaction set ${ctx.tx.id} is not supported`,
        ctx.tx.start,
        'warning',
      );
      return null;
  }
}

/**
 * Reads typed transactions one transaction set at a time, for documents too large to hold as objects:
 * `for (const tx of new X12Reader(bytes)) post(tx)`. Memory stays bounded by the largest transaction set.
 * `diagnostics` and `interchanges` fill in as iteration goes; with `strict`, iteration throws `X12Error` at the
 * first transaction set whose window has an error.
 */
export class X12Reader implements Iterable<TypedTransaction> {
  readonly diagnostics: Diagnostic[] = [];
  interchanges: Interchange[] = [];
  private readonly input: X12Input;
  private readonly options: ParseOptions;

  constructor(input: X12Input, options: ParseOptions = {}) {
    this.input = input;
    this.options = options;
  }

  *[Symbol.iterator](): Iterator<TypedTransaction> {
    const result: WalkResult = { interchanges: [], diagnostics: this.diagnostics };
    for (const w of documentWindows(this.input, this.options, result)) {
      this.interchanges = result.interchanges;
      const mapped: TypedTransaction[] = [];
      mapWindow(w, () => true, mapAny, mapped);
      for (const i of w.ta1) {
        mapped.push({ type: 'TA1', controlNumber: w.table.el(i, 1), transaction: readTa1(w.table, i) });
      }
      if (this.options.strict && hasErrors(w.sink.list)) {
        checkStrict([...this.diagnostics, ...w.sink.list], true);
      }
      yield* mapped;
    }
    this.interchanges = result.interchanges;
  }
}

/**
 * Parses any supported document into typed transactions (every transaction set, plus TA1s), one transaction set
 * at a time. Lenient by default; `strict: true` throws `X12Error` on any error diagnostic. Never throws anything else.
 */
export function parseX12(input: X12Input, options: ParseOptions = {}): X12Document {
  const reader = new X12Reader(input, { ...options, strict: false });
  const transactions = [...reader];
  checkStrict(reader.diagnostics, options.strict);
  return { transactions, interchanges: reader.interchanges, diagnostics: reader.diagnostics };
}
