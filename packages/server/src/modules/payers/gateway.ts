/**
 * The payer gateway: X12 in, X12 out. The sandbox clearinghouse and the CAQH CORE connector implement it; the
 * payers service wraps either with timeouts, retries, a circuit breaker per payer, metrics and the stored
 * transaction.
 */
import { DomainError } from '../../platform/errors.ts';

/** What one call to the gateway carries besides the X12: whom it is for, and when to give up. */
export interface GatewayCall {
  payerId: string;
  /** The practice sending (the sandbox resolves members through its patients; a connector may route by it). */
  practiceId: string;
  signal: AbortSignal;
}

/** A 837 batch's answers: the 999 implementation acknowledgment and, when accepted, the 277CA. */
export interface ClaimSubmissionAnswer {
  acknowledgment: string;
  claimAcknowledgment: string | null;
}

export interface PayerGateway {
  readonly name: 'sandbox' | 'core';
  /** 270 → 271. */
  eligibility(x12: string, call: GatewayCall): Promise<string>;
  /** 837 → 999 + 277CA. */
  submitClaims(x12: string, call: GatewayCall): Promise<ClaimSubmissionAnswer>;
  /** 276 → 277. */
  claimStatus(x12: string, call: GatewayCall): Promise<string>;
  /** 278 request → 278 response. */
  priorAuth(x12: string, call: GatewayCall): Promise<string>;
  /** 835s waiting for pick-up (each delivered once). */
  remittances(call: GatewayCall): Promise<string[]>;
}

/** A failure below X12: the connection, the envelope, the far side's HTTP status. `transient` ones are retried. */
export class GatewayTransportError extends Error {
  readonly transient: boolean;
  constructor(message: string, transient: boolean) {
    super(message);
    this.name = 'GatewayTransportError';
    this.transient = transient;
  }
}

const retryable = (
  payerId: string,
  transactionId: string | null,
  attempts: number,
  retryAfterSeconds: number,
) => ({
  extensions: { retryable: true, retryAfterSeconds, payerId, transactionId, attempts },
  headers: { 'retry-after': String(retryAfterSeconds) },
});

/** The payer did not answer within the timeout, after every retry. */
export class PayerTimeoutError extends DomainError {
  constructor(payerId: string, timeoutMs: number, attempts: number, transactionId: string | null) {
    super(
      504,
      'payer-timeout',
      'Payer did not respond',
      `${payerId} did not answer within ${timeoutMs} ms (${attempts} attempt${attempts === 1 ? '' : 's'}); no current answer is available — try again shortly`,
      retryable(payerId, transactionId, attempts, 30),
    );
  }
}

/** The payer's answer could not be read as the X12 transaction expected. */
export class PayerBadResponseError extends DomainError {
  constructor(payerId: string, reason: string, attempts: number, transactionId: string | null) {
    super(
      502,
      'payer-bad-response',
      'Unreadable payer response',
      `${payerId} answered with a response that is not a valid ${reason}; nothing from it is shown — try again shortly`,
      retryable(payerId, transactionId, attempts, 60),
    );
  }
}

/** The payer (or the clearinghouse in front of it) could not be reached. */
export class PayerUnreachableError extends DomainError {
  constructor(payerId: string, reason: string, attempts: number, transactionId: string | null) {
    super(
      502,
      'payer-unreachable',
      'Payer unreachable',
      `${payerId} could not be reached (${reason}) after ${attempts} attempt${attempts === 1 ? '' : 's'} — try again shortly`,
      retryable(payerId, transactionId, attempts, 30),
    );
  }
}

/** The payer's circuit is open after repeated failures: calls are refused until the cool-down ends. */
export class PayerCircuitOpenError extends DomainError {
  constructor(payerId: string, retryAfterSeconds: number) {
    super(
      503,
      'payer-circuit-open',
      'Payer temporarily unavailable',
      `${payerId} failed repeatedly; requests to it are paused for ${retryAfterSeconds} s to let it recover`,
      retryable(payerId, null, 0, retryAfterSeconds),
    );
  }
}

/** The clearinghouse refused the exchange for a reason retrying will not fix (credentials, envelope, invalid X12). */
export class PayerRefusedError extends DomainError {
  constructor(payerId: string, reason: string, transactionId: string | null) {
    super(502, 'payer-refused', 'Payer refused the request', `${payerId} refused the request: ${reason}`, {
      extensions: { retryable: false, payerId, transactionId, attempts: 1 },
    });
  }
}
