/**
 * The payers service: every exchange with a payer goes through here. Around the gateway (sandbox or CORE) it
 * adds a per-call timeout, retries with exponential backoff for transient faults only, a circuit breaker per
 * payer (open after N consecutive failures, one half-open probe after the cool-down), Prometheus metrics, a
 * check that the answer is the X12 expected, and the raw X12 both ways stored encrypted in payer_transactions.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parse271, parse277, parse278, parse835, parse999 } from '@intelluxe/x12';
import { Counter, Histogram } from 'prom-client';
import type { PayerGatewayConfig } from '../../platform/config.ts';
import { NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditActor } from '../auth/service.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import { CoreConnector } from './core.ts';
import {
  type ClaimSubmissionAnswer,
  type GatewayCall,
  GatewayTransportError,
  PayerBadResponseError,
  PayerCircuitOpenError,
  type PayerGateway,
  PayerRefusedError,
  PayerTimeoutError,
  PayerUnreachableError,
} from './gateway.ts';
import { findPlan, SANDBOX_PLANS } from './plans.ts';
import { SandboxClearinghouse, type SandboxMemberSource } from './sandbox.ts';

export type PayerTransactionKind = 'eligibility' | 'claims' | 'claim_status' | 'prior_auth' | 'remittances';

export interface PayerExchange<T> {
  transactionId: string;
  response: T;
  durationMs: number;
  attempts: number;
}

export interface PayerCallSettings {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  breakerThreshold: number;
  breakerCooldownMs: number;
}

export interface BreakerView {
  payerId: string;
  state: 'closed' | 'open' | 'half_open';
  consecutiveFailures: number;
  retryAfterSeconds: number | null;
}

/** A payer's published policy: what it reviews before service, what it never covers, how long claims may wait. */
export interface PayerPolicy {
  payerId: string;
  planName: string;
  planType: string;
  priorAuthCodes: readonly string[];
  nonCoveredCodes: readonly string[];
  timelyFilingDays: number;
}

class CircuitBreaker {
  failures = 0;
  openedAt: number | null = null;
  probing = false;

  state(cooldownMs: number, now = Date.now()): BreakerView['state'] {
    if (this.openedAt === null) return 'closed';
    return now - this.openedAt >= cooldownMs ? 'half_open' : 'open';
  }
}

type Outcome = 'ok' | 'timeout' | 'unreachable' | 'refused' | 'bad_response' | 'circuit_open';

const SYSTEM_CONTEXT = (practiceId: string): AccessContext => ({
  actorType: 'system',
  actorId: 'sandbox-clearinghouse',
  actorRole: null,
  practiceId,
  purpose: 'payment',
  ip: null,
  userAgent: null,
  requestId: null,
});

export class PayersService {
  readonly gateway: PayerGateway;
  /** The sandbox clearinghouse when it is the gateway (fault injection and accumulators for tests and demos). */
  readonly sandbox: SandboxClearinghouse | null;
  readonly #p: Platform;
  readonly #defaults: PayerCallSettings;
  readonly #overrides = new Map<string, Partial<PayerCallSettings>>();
  readonly #breakers = new Map<string, CircuitBreaker>();
  readonly #latency: Histogram<'payer' | 'transaction' | 'outcome'>;
  readonly #outcomes: Counter<'payer' | 'transaction' | 'outcome'>;

  constructor(platform: Platform, patients: PatientsService, options: { gateway?: PayerGateway } = {}) {
    this.#p = platform;
    const cfg: PayerGatewayConfig = platform.config.payers;
    this.#defaults = {
      timeoutMs: cfg.timeoutMs,
      retries: cfg.retries,
      retryBaseMs: cfg.retryBaseMs,
      breakerThreshold: cfg.breakerThreshold,
      breakerCooldownMs: cfg.breakerCooldownMs,
    };
    const source: SandboxMemberSource = {
      async findCoverage(practiceId, payerId, memberId) {
        const page = await patients.searchPatients(SYSTEM_CONTEXT(practiceId), { memberId, limit: 5 });
        for (const patient of page.items) {
          const coverage = patient.coverages.find((c) => c.payerId === payerId && c.memberId === memberId);
          if (coverage) {
            return {
              planName: coverage.planName,
              planType: coverage.planType,
              groupNumber: coverage.groupNumber,
              firstName: patient.firstName,
              lastName: patient.lastName,
              dateOfBirth: patient.dateOfBirth,
              sex: patient.sex,
              effectiveDate: coverage.effectiveDate,
              terminationDate: coverage.terminationDate,
            };
          }
        }
        return null;
      },
    };
    if (options.gateway) {
      this.gateway = options.gateway;
      this.sandbox = options.gateway instanceof SandboxClearinghouse ? options.gateway : null;
    } else if (cfg.gateway === 'core') {
      this.gateway = new CoreConnector(cfg.core);
      this.sandbox = null;
    } else {
      this.sandbox = new SandboxClearinghouse(platform.db, platform.cipher, source);
      this.gateway = this.sandbox;
    }
    const registers = [platform.metrics.registry];
    // A second service over the same platform (a worker's own stack) shares the metrics already registered.
    const registry = platform.metrics.registry;
    this.#latency =
      (registry.getSingleMetric('intelluxe_payer_request_duration_seconds') as
        | Histogram<'payer' | 'transaction' | 'outcome'>
        | undefined) ??
      new Histogram({
        name: 'intelluxe_payer_request_duration_seconds',
        help: 'Payer gateway exchanges by payer, transaction and outcome (including retries)',
        labelNames: ['payer', 'transaction', 'outcome'],
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
        registers,
      });
    this.#outcomes =
      (registry.getSingleMetric('intelluxe_payer_requests_total') as
        | Counter<'payer' | 'transaction' | 'outcome'>
        | undefined) ??
      new Counter({
        name: 'intelluxe_payer_requests_total',
        help: 'Payer gateway exchanges by payer, transaction and outcome',
        labelNames: ['payer', 'transaction', 'outcome'],
        registers,
      });
  }

  /** The call settings of one payer (config defaults, then what `configure` set). */
  settings(payerId: string): PayerCallSettings {
    return { ...this.#defaults, ...this.#overrides.get(payerId) };
  }

  /** Overrides a payer's timeout, retries or breaker settings at run time. */
  configure(payerId: string, settings: Partial<PayerCallSettings>): void {
    this.#overrides.set(payerId, { ...this.#overrides.get(payerId), ...settings });
  }

  #breaker(payerId: string): CircuitBreaker {
    let b = this.#breakers.get(payerId);
    if (!b) {
      b = new CircuitBreaker();
      this.#breakers.set(payerId, b);
    }
    return b;
  }

  breakerState(payerId: string): BreakerView {
    const s = this.settings(payerId);
    const b = this.#breaker(payerId);
    const state = b.state(s.breakerCooldownMs);
    return {
      payerId,
      state,
      consecutiveFailures: b.failures,
      retryAfterSeconds:
        state === 'open'
          ? Math.max(1, Math.ceil((b.openedAt! + s.breakerCooldownMs - Date.now()) / 1000))
          : null,
    };
  }

  /** Closes a payer's circuit (an operator who knows the payer is back). */
  resetBreaker(payerId: string): void {
    this.#breakers.delete(payerId);
  }

  /** The payer's published policy for a plan (null when the payer publishes none to the platform). */
  policy(payerId: string, planName?: string | null, planType?: string | null): PayerPolicy | null {
    const plan = findPlan(payerId, planName, planType);
    if (!plan) return null;
    return {
      payerId,
      planName: plan.name,
      planType: plan.type,
      priorAuthCodes: plan.priorAuthCodes,
      nonCoveredCodes: plan.nonCoveredCodes,
      timelyFilingDays: plan.timelyFilingDays,
    };
  }

  plans() {
    return SANDBOX_PLANS;
  }

  async #record(
    practiceId: string | null,
    payerId: string,
    kind: PayerTransactionKind,
    request: string | null,
    response: string | null,
    outcome: Outcome,
    attempts: number,
    durationMs: number,
    error: string | null,
  ): Promise<string> {
    const c = this.#p.cipher;
    const row = await this.#p.db
      .insertInto('payer_transactions')
      .values({
        practice_id: practiceId,
        payer_id: payerId,
        kind,
        gateway: this.gateway.name,
        request_enc: c.encryptNullable(request),
        response_enc: c.encryptNullable(response),
        outcome,
        attempts,
        duration_ms: Math.round(durationMs),
        error,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * One exchange: breaker check, attempts with timeout and backoff, response check, metrics, stored transaction.
   * `check` returns null when the answer is usable, else why it is not.
   */
  async #exchange<T>(
    kind: PayerTransactionKind,
    practiceId: string,
    payerId: string,
    request: string | null,
    send: (call: GatewayCall) => Promise<T>,
    check: (answer: T) => string | null,
    serialize: (answer: T) => string,
  ): Promise<PayerExchange<T>> {
    const settings = this.settings(payerId);
    const breaker = this.#breaker(payerId);
    const state = breaker.state(settings.breakerCooldownMs);
    if (state === 'open' || (state === 'half_open' && breaker.probing)) {
      this.#outcomes.inc({ payer: payerId, transaction: kind, outcome: 'circuit_open' });
      const retryAfter =
        state === 'open'
          ? Math.max(1, Math.ceil((breaker.openedAt! + settings.breakerCooldownMs - Date.now()) / 1000))
          : 1;
      throw new PayerCircuitOpenError(payerId, retryAfter);
    }
    const probe = state === 'half_open';
    if (probe) breaker.probing = true;
    const started = performance.now();
    let attempts = 0;
    let failure: { outcome: Outcome; reason: string } | null = null;
    let answer: T | null = null;
    // A half-open probe gets one attempt: if the payer is still down, the circuit reopens at once.
    const maxAttempts = probe ? 1 : settings.retries + 1;
    try {
      while (attempts < maxAttempts) {
        attempts++;
        const controller = new AbortController();
        const timer = setTimeout(() => controller.abort(new Error('payer timeout')), settings.timeoutMs);
        try {
          answer = await send({ payerId, practiceId, signal: controller.signal });
          failure = null;
          break;
        } catch (error) {
          if (controller.signal.aborted)
            failure = { outcome: 'timeout', reason: `no answer in ${settings.timeoutMs} ms` };
          else if (error instanceof GatewayTransportError) {
            failure = { outcome: error.transient ? 'unreachable' : 'refused', reason: error.message };
            if (!error.transient) break;
          } else throw error;
        } finally {
          clearTimeout(timer);
        }
        if (attempts < maxAttempts) {
          const backoff = settings.retryBaseMs * 2 ** (attempts - 1);
          await sleep(backoff + Math.floor(Math.random() * settings.retryBaseMs));
        }
      }
      if (!failure && answer !== null) {
        const problem = check(answer);
        if (problem) failure = { outcome: 'bad_response', reason: problem };
      }
    } finally {
      if (probe) breaker.probing = false;
    }
    const durationMs = performance.now() - started;
    const outcome: Outcome = failure?.outcome ?? 'ok';
    this.#latency.observe({ payer: payerId, transaction: kind, outcome }, durationMs / 1000);
    this.#outcomes.inc({ payer: payerId, transaction: kind, outcome });
    if (failure) {
      breaker.failures++;
      if (probe || breaker.failures >= settings.breakerThreshold) breaker.openedAt = Date.now();
    } else {
      breaker.failures = 0;
      breaker.openedAt = null;
    }
    const transactionId = await this.#record(
      practiceId,
      payerId,
      kind,
      request,
      answer === null ? null : serialize(answer),
      outcome,
      attempts,
      durationMs,
      failure?.reason ?? null,
    );
    if (failure?.outcome === 'timeout')
      throw new PayerTimeoutError(payerId, settings.timeoutMs, attempts, transactionId);
    if (failure?.outcome === 'bad_response')
      throw new PayerBadResponseError(payerId, failure.reason, attempts, transactionId);
    if (failure?.outcome === 'refused') throw new PayerRefusedError(payerId, failure.reason, transactionId);
    if (failure) throw new PayerUnreachableError(payerId, failure.reason, attempts, transactionId);
    return { transactionId, response: answer as T, durationMs, attempts };
  }

  /** 270 → 271. */
  eligibility(practiceId: string, payerId: string, x12: string): Promise<PayerExchange<string>> {
    return this.#exchange(
      'eligibility',
      practiceId,
      payerId,
      x12,
      (call) => this.gateway.eligibility(x12, call),
      (answer) => usable(parse271(answer), '271'),
      (a) => a,
    );
  }

  /** 278 request → 278 response. */
  priorAuth(practiceId: string, payerId: string, x12: string): Promise<PayerExchange<string>> {
    return this.#exchange(
      'prior_auth',
      practiceId,
      payerId,
      x12,
      (call) => this.gateway.priorAuth(x12, call),
      (answer) => {
        const parsed = parse278(answer);
        return usable(parsed, '278') ?? (parsed.transactions[0]?.kind === 'response' ? null : '278 response');
      },
      (a) => a,
    );
  }

  /** 837 → 999 (+ 277CA when accepted). */
  submitClaims(
    practiceId: string,
    payerId: string,
    x12: string,
  ): Promise<PayerExchange<ClaimSubmissionAnswer>> {
    return this.#exchange(
      'claims',
      practiceId,
      payerId,
      x12,
      (call) => this.gateway.submitClaims(x12, call),
      (answer) =>
        usable(parse999(answer.acknowledgment), '999') ??
        (answer.claimAcknowledgment === null ? null : usable(parse277(answer.claimAcknowledgment), '277CA')),
      (a) => (a.claimAcknowledgment ? `${a.acknowledgment}\n${a.claimAcknowledgment}` : a.acknowledgment),
    );
  }

  /** 276 → 277. */
  claimStatus(practiceId: string, payerId: string, x12: string): Promise<PayerExchange<string>> {
    return this.#exchange(
      'claim_status',
      practiceId,
      payerId,
      x12,
      (call) => this.gateway.claimStatus(x12, call),
      (answer) => usable(parse277(answer), '277'),
      (a) => a,
    );
  }

  /** The 835s the payer has queued (each returned once). */
  remittances(practiceId: string, payerId: string): Promise<PayerExchange<string[]>> {
    return this.#exchange(
      'remittances',
      practiceId,
      payerId,
      null,
      (call) => this.gateway.remittances(call),
      (answers) => answers.map((a) => usable(parse835(a), '835')).find((x) => x !== null) ?? null,
      (a) => a.join('\n'),
    );
  }

  /** A stored exchange with its X12 decrypted (the caller audits the read). */
  async transaction(practiceId: string, id: string) {
    const row = await this.#p.db
      .selectFrom('payer_transactions')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('payer transaction', id);
    const c = this.#p.cipher;
    return {
      id: row.id,
      payerId: row.payer_id,
      kind: row.kind,
      gateway: row.gateway,
      outcome: row.outcome,
      attempts: row.attempts,
      durationMs: row.duration_ms,
      error: row.error,
      request: c.decryptNullable(row.request_enc),
      response: c.decryptNullable(row.response_enc),
      createdAt: row.created_at.toISOString(),
    };
  }

  /** Audits an operator's change to the gateway (faults, breaker resets). */
  recordOperatorAction(
    event: AuditActor & { action: string; payerId: string; details: Record<string, unknown> },
  ) {
    const { action, payerId, details, ...actor } = event;
    return this.#p.audit.record({
      ...actor,
      action,
      outcome: 'success',
      resourceType: 'payer',
      resourceId: payerId,
      details,
    });
  }

  /**
   * The gateway for /health: down while any payer's circuit is open (checks to that payer are refused), with the
   * payers concerned and when they will be tried again.
   */
  async health(): Promise<{ status: 'ok' | 'down'; latencyMs: number; detail: string }> {
    const started = performance.now();
    const payers = await this.listPayers();
    const open = payers
      .map((p) => this.breakerState(p.id))
      .filter((b) => b.state === 'open')
      .map((b) => `${b.payerId} (retry in ${b.retryAfterSeconds} s)`);
    const gateway = this.gateway.name === 'sandbox' ? 'sandbox clearinghouse' : 'CAQH CORE connector';
    return {
      status: open.length > 0 ? 'down' : 'ok',
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      detail:
        open.length > 0
          ? `${gateway}: circuit open for ${open.join(', ')}`
          : `${gateway}: ${payers.length} payers, every circuit closed`,
    };
  }

  async listPayers() {
    return this.#p.db
      .selectFrom('payers')
      .select(['id', 'name', 'x12_payer_id', 'kind'])
      .where('active', '=', true)
      .execute();
  }
}

function usable(parsed: { transactions: unknown[]; diagnostics: Array<{ severity: string }> }, what: string) {
  if (parsed.transactions.length === 0 || parsed.diagnostics.some((d) => d.severity === 'error')) return what;
  return null;
}
