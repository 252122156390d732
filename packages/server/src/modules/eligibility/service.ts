/**
 * Eligibility: validate the question, build the 270, send it through the payer gateway, read the 271 into a
 * normalized coverage, price the planned procedures (contracts → deductible → copay/coinsurance → OOP cap),
 * and keep the history. Answers are cached 30 minutes per payer, member, provider, service types, procedures and
 * date (a hit says `cached: true` and keeps the payer's original answer time). Every check is audited.
 */

import { createHash, randomInt, randomUUID } from 'node:crypto';
import {
  isValidCptFormat,
  isValidHcpcsFormat,
  isValidMemberId,
  isValidNpi,
  serviceTypes as serviceTypeCodes,
} from '@intelluxe/codes';
import { parse271 } from '@intelluxe/x12';
import { LRUCache } from 'lru-cache';
import { Histogram } from 'prom-client';
import { addDays, isRealDate, today } from '../../platform/dates.ts';
import { seqCursor } from '../../platform/db/keyset.ts';
import {
  DomainError,
  type FieldError,
  invalidField,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { encodeCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ContractsService } from '../contracts/service.ts';
import type { Coverage, Provider } from '../patients/schemas.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import { PayerBadResponseError } from '../payers/gateway.ts';
import type { PayersService } from '../payers/service.ts';
import { type CostEstimate, type EstimateLineInput, estimateCosts } from './estimate.ts';
import type { EligibilityHistoryRow as HistoryRow } from './tables.ts';
import {
  buildEligibilityRequest,
  type EligibilityInquiry,
  type NormalizedCoverage,
  normalizeCoverage,
} from './x12.ts';

export const CACHE_TTL_SECONDS = 30 * 60;
/** How long a process keeps its own copy of an answer when the cache is shared with other processes. */
const LOCAL_COPY_MS = 60_000;

export interface PlannedProcedure {
  code: string;
  units?: number;
  modifiers?: string[];
}

export interface EligibilityCheckInput {
  patientId?: string;
  payerId?: string;
  subscriber?: {
    memberId: string;
    firstName: string;
    lastName: string;
    dateOfBirth?: string;
    gender?: 'F' | 'M' | 'U';
  };
  providerNpi?: string;
  serviceTypes?: string[];
  procedureCodes?: string[];
  procedures?: PlannedProcedure[];
  placeOfService?: string;
  dateOfService?: string;
  /** Ask the payer even when a recent answer is cached; the new answer replaces it. */
  refresh?: boolean;
}

export interface EligibilityCheck {
  id: string;
  patientId: string | null;
  payerId: string;
  providerNpi: string;
  serviceTypes: string[];
  procedureCodes: string[];
  dateOfService: string;
  status: 'active' | 'inactive' | 'rejected' | 'error';
  cached: boolean;
  /** When the payer gave this answer (older than `createdAt` on a cache hit). */
  answeredAt: string | null;
  createdAt: string;
  durationMs: number;
  payerMs: number | null;
  transactionId: string | null;
  coverage: NormalizedCoverage | null;
  estimate: CostEstimate | null;
  error: { type: string; title: string; detail: string; retryable: boolean } | null;
}

export interface BatchReport {
  practiceId: string;
  date: string;
  appointments: number;
  patients: number;
  active: number;
  inactive: number;
  rejected: number;
  errors: number;
}

interface CachedAnswer {
  /** The check that fetched this answer from the payer. */
  checkId: string;
  coverage: NormalizedCoverage;
  transactionId: string;
  answeredAt: string;
  payerMs: number;
}

const RELATIONSHIP: Record<string, string> = { spouse: '01', child: '19', other: '34', dependent: '19' };
const MEMO_MS = 60_000;

const instances = new WeakMap<Platform, EligibilityService>();

export class EligibilityService {
  /** The service built over a platform in this process (jobs find it here). */
  static of(platform: Platform): EligibilityService | undefined {
    return instances.get(platform);
  }

  readonly #p: Platform;
  readonly #patients: PatientsService;
  readonly #payers: PayersService;
  readonly #contracts: ContractsService;
  readonly #checks: Histogram<'payer' | 'status' | 'cached'>;
  readonly #providerMemo = new Map<
    string,
    { at: number; list: Promise<Provider[]>; fallback: Promise<Provider | null> }
  >();
  #payerMemo: Promise<Map<string, { name: string; x12Id: string }>> | null = null;
  /**
   * Answers already decrypted, in front of the shared cache. An answer under a key never changes while it lives
   * (it is written once, on a miss, and never edited), so a local copy that expires no later than the shared
   * entry cannot disagree with it.
   */
  readonly #localAnswers = new LRUCache<string, CachedAnswer>({ max: 10_000, ttlAutopurge: false });

  constructor(
    platform: Platform,
    patients: PatientsService,
    payers: PayersService,
    contracts: ContractsService,
  ) {
    this.#p = platform;
    this.#patients = patients;
    this.#payers = payers;
    this.#contracts = contracts;
    const registry = platform.metrics.registry;
    this.#checks =
      (registry.getSingleMetric('intelluxe_eligibility_check_duration_seconds') as
        | Histogram<'payer' | 'status' | 'cached'>
        | undefined) ??
      new Histogram({
        name: 'intelluxe_eligibility_check_duration_seconds',
        help: 'Eligibility checks end to end by payer, status (active, inactive, rejected, error) and cache hit',
        labelNames: ['payer', 'status', 'cached'],
        buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [registry],
      });
    if (!instances.has(platform)) instances.set(platform, this);
  }

  #providers(practiceId: string) {
    const memo = this.#providerMemo.get(practiceId);
    if (memo && Date.now() - memo.at < MEMO_MS) return memo;
    const fresh = {
      at: Date.now(),
      list: this.#patients.listProviders(practiceId),
      fallback: this.#patients.defaultRenderingProvider(practiceId),
    };
    fresh.list.catch(() => this.#providerMemo.delete(practiceId));
    this.#providerMemo.set(practiceId, fresh);
    return fresh;
  }

  async #payerDirectory() {
    this.#payerMemo ??= this.#payers
      .listPayers()
      .then((rows) => new Map(rows.map((r) => [r.id, { name: r.name, x12Id: r.x12_payer_id }])));
    return this.#payerMemo;
  }

  #validate(input: EligibilityCheckInput): FieldError[] {
    const errors: FieldError[] = [];
    if (!input.patientId && !input.subscriber)
      errors.push({ path: '/patientId', message: 'patientId or subscriber is required' });
    if (input.subscriber) {
      if (!input.payerId) errors.push({ path: '/payerId', message: 'is required with subscriber details' });
      if (!isValidMemberId(input.subscriber.memberId))
        errors.push({
          path: '/subscriber/memberId',
          message: 'must be 2-80 characters of the X12 character set, without ~ * : ^',
        });
      if (
        input.subscriber.dateOfBirth !== undefined &&
        (!isRealDate(input.subscriber.dateOfBirth) || input.subscriber.dateOfBirth > today())
      )
        errors.push({ path: '/subscriber/dateOfBirth', message: 'is not a past calendar date' });
    }
    if (input.providerNpi !== undefined && !isValidNpi(input.providerNpi))
      errors.push({
        path: '/providerNpi',
        message: 'is not a valid NPI (10 digits with a correct check digit)',
      });
    input.serviceTypes?.forEach((code, i) => {
      if (!serviceTypeCodes.has(code))
        errors.push({ path: `/serviceTypes/${i}`, message: `${code} is not an X12 service type code` });
    });
    const procedures = this.#procedures(input);
    procedures.forEach((p, i) => {
      const path = input.procedures ? `/procedures/${i}/code` : `/procedureCodes/${i}`;
      if (!isValidCptFormat(p.code) && !isValidHcpcsFormat(p.code))
        errors.push({ path, message: `${p.code} is not a CPT or HCPCS code` });
      if (p.units !== undefined && (!Number.isInteger(p.units) || p.units < 1 || p.units > 999))
        errors.push({ path: `/procedures/${i}/units`, message: 'must be a whole number from 1 to 999' });
    });
    if (input.dateOfService !== undefined) {
      if (!isRealDate(input.dateOfService))
        errors.push({ path: '/dateOfService', message: 'is not a calendar date' });
      else if (input.dateOfService < addDays(today(), -365))
        errors.push({
          path: '/dateOfService',
          message: 'is more than 12 months ago; payers answer inquiries for the past 12 months',
        });
      else if (input.dateOfService > addDays(today(), 180))
        errors.push({ path: '/dateOfService', message: 'is more than 180 days ahead' });
    }
    if (input.placeOfService !== undefined && !/^\d{2}$/.test(input.placeOfService))
      errors.push({ path: '/placeOfService', message: 'must be a two-digit place of service code' });
    return errors;
  }

  #procedures(input: EligibilityCheckInput): PlannedProcedure[] {
    return [
      ...(input.procedures ?? []).map((p) => ({ ...p, code: p.code.toUpperCase() })),
      ...(input.procedureCodes ?? []).map((code) => ({ code: code.toUpperCase() })),
    ];
  }

  /** The coverage a check is about: the payer asked for, else the primary; active ones first. */
  #pickCoverage(coverages: Coverage[], payerId: string | undefined): Coverage | undefined {
    const candidates = coverages
      .filter((c) => !payerId || c.payerId === payerId)
      .sort((a, b) => Number(b.active) - Number(a.active) || a.priority - b.priority);
    return candidates[0];
  }

  async check(ctx: AccessContext, input: EligibilityCheckInput, source = 'api'): Promise<EligibilityCheck> {
    const started = performance.now();
    const errors = this.#validate(input);
    if (errors.length) throw new ValidationError(errors);
    const directory = await this.#payerDirectory();
    const procedures = this.#procedures(input);

    let patientId: string | null = null;
    let payerId: string;
    let subscriber: EligibilityInquiry['subscriber'];
    let dependent: EligibilityInquiry['dependent'];
    if (input.patientId) {
      // Read without a patient.read event: this check's own audit event names the patient.
      const patient = await this.#patients.findPatient(ctx.practiceId, input.patientId);
      if (!patient) {
        await this.#audit(ctx, input.patientId, 'failure', { reason: 'patient_not_found', source });
        throw new NotFoundError('patient', input.patientId, '/patientId');
      }
      patientId = patient.id;
      const coverage = this.#pickCoverage(patient.coverages, input.payerId);
      if (!coverage) {
        throw invalidField(
          input.payerId ? '/payerId' : '/patientId',
          input.payerId
            ? `the patient has no coverage with ${input.payerId}`
            : 'the patient has no coverage on file',
        );
      }
      payerId = coverage.payerId;
      const gender = patient.sex === 'female' ? 'F' : patient.sex === 'male' ? 'M' : 'U';
      const holder = coverage.relationship !== 'self' ? coverage.subscriber : null;
      if (holder) {
        subscriber = {
          memberId: coverage.memberId,
          lastName: holder.lastName,
          firstName: holder.firstName,
          dateOfBirth: holder.dateOfBirth ?? null,
          gender: null,
        };
        dependent = {
          lastName: patient.lastName,
          firstName: patient.firstName,
          dateOfBirth: patient.dateOfBirth,
          gender,
          relationship: RELATIONSHIP[coverage.relationship] ?? '34',
        };
      } else {
        subscriber = {
          memberId: coverage.memberId,
          lastName: patient.lastName,
          firstName: patient.firstName,
          dateOfBirth: patient.dateOfBirth,
          gender,
        };
      }
    } else {
      const s = input.subscriber!;
      payerId = input.payerId!;
      subscriber = {
        memberId: s.memberId,
        lastName: s.lastName,
        firstName: s.firstName,
        dateOfBirth: s.dateOfBirth ?? null,
        gender: s.gender ?? null,
      };
    }
    const payer = directory.get(payerId);
    if (!payer) throw invalidField('/payerId', `unknown payer '${payerId}'`);

    const providers = this.#providers(ctx.practiceId);
    let provider: Provider | null | undefined;
    if (input.providerNpi) {
      provider = (await providers.list).find((p) => p.npi === input.providerNpi && p.active);
      if (!provider) throw invalidField('/providerNpi', 'is not an active provider of this practice');
    } else {
      provider = await providers.fallback;
      if (!provider)
        throw invalidField('/providerNpi', 'is required: the practice has no default rendering provider');
    }
    const serviceTypes = [...new Set(input.serviceTypes?.length ? input.serviceTypes : ['30'])].sort();
    const procedureCodes = [...new Set(procedures.map((p) => p.code))].sort();
    const dateOfService = input.dateOfService ?? today();
    const memberBidx = this.#p.cipher.blindIndex(
      'eligibility.member_id',
      `${payerId}|${subscriber.memberId}`,
    );
    const key = `elig:v2:${createHash('sha256')
      .update(
        JSON.stringify([payerId, memberBidx, provider.npi, serviceTypes, procedureCodes, dateOfService]),
      )
      .digest('base64url')}`;

    const checkId = randomUUID();
    const base = {
      id: checkId,
      practiceId: ctx.practiceId,
      patientId,
      payerId,
      memberBidx,
      providerNpi: provider.npi,
      serviceTypes,
      procedureCodes,
      dateOfService,
      source,
    };
    // A refresh skips both caches: the payer is asked, and its answer replaces the cached one.
    let answer: CachedAnswer | null = input.refresh ? null : (this.#localAnswers.get(key) ?? null);
    if (!answer && !input.refresh) {
      const hit = await this.#p.cache.get(key);
      if (hit) {
        try {
          answer = JSON.parse(this.#p.cipher.decrypt(hit)) as CachedAnswer;
          this.#keepLocally(key, answer);
        } catch {
          answer = null;
        }
      }
    }
    const cached = answer !== null;
    if (!answer) {
      const inquiry: EligibilityInquiry = {
        referenceId: checkId.replaceAll('-', '').slice(0, 30),
        traceNumber: checkId.replaceAll('-', '').slice(0, 20).toUpperCase(),
        traceOriginator: `9${createHash('sha256').update(ctx.practiceId).digest().readUInt32BE(0).toString().padStart(9, '0').slice(0, 9)}`,
        payer,
        provider: {
          npi: provider.npi,
          lastName: provider.lastName,
          firstName: provider.firstName,
          organization: provider.kind === 'organization',
        },
        subscriber,
        ...(dependent && { dependent }),
        serviceTypes,
        procedureCodes,
        dateOfService,
      };
      const x12 = buildEligibilityRequest(inquiry, {
        senderId: this.#p.config.payers.core.senderId,
        receiverId: payer.x12Id,
        interchangeControlNumber: randomInt(1, 999_999_999),
        usage: this.#payers.gateway.name === 'sandbox' ? 'T' : 'P',
      });
      try {
        const exchange = await this.#payers.eligibility(ctx.practiceId, payerId, x12);
        const parsed = parse271(exchange.response).transactions[0];
        if (!parsed)
          throw new PayerBadResponseError(payerId, '271', exchange.attempts, exchange.transactionId);
        answer = {
          checkId,
          coverage: normalizeCoverage(parsed, { serviceTypes, procedureCodes }),
          transactionId: exchange.transactionId,
          answeredAt: new Date().toISOString(),
          payerMs: Math.round(exchange.durationMs),
        };
      } catch (error) {
        if (error instanceof DomainError) await this.#recordFailure(ctx, base, error, started);
        throw error;
      }
    }
    const estimate =
      procedures.length > 0
        ? await this.#estimate(
            payerId,
            answer.coverage,
            procedures,
            input.placeOfService ?? '11',
            dateOfService,
          )
        : null;
    const durationMs = Math.round(performance.now() - started);
    const status = answer.coverage.status;
    const createdAt = new Date();
    this.#checks.observe({ payer: payerId, status, cached: String(cached) }, durationMs / 1000);
    // The history row is written with the check's audit event, in one statement: both are durable before the
    // answer leaves, and neither exists without the other.
    await this.#audit(
      ctx,
      patientId,
      'success',
      { checkId, payerId, cached, status, source },
      {
        id: checkId,
        practice_id: ctx.practiceId,
        patient_id: patientId,
        payer_id: payerId,
        member_id_bidx: memberBidx,
        provider_npi: provider.npi,
        service_types: serviceTypes,
        procedure_codes: procedureCodes,
        date_of_service: dateOfService,
        status,
        cached,
        transaction_id: answer.transactionId,
        result_enc: cached
          ? estimate && this.#p.cipher.encrypt(JSON.stringify({ estimate }))
          : this.#p.cipher.encrypt(JSON.stringify({ coverage: answer.coverage, estimate })),
        answer_check_id: cached ? answer.checkId : null,
        error: null,
        duration_ms: durationMs,
        payer_ms: cached ? null : answer.payerMs,
        answered_at: answer.answeredAt,
        requested_by: ctx.actorId ?? null,
        source,
        created_at: createdAt,
      },
    );
    // Cached only once its history row exists (cache hits point at it). A "try again later" rejection is not an
    // answer worth keeping; anything else is, for 30 minutes.
    if (!cached && !answer.coverage.rejections.some((r) => r.retryable)) {
      await this.#p.cache.set(key, this.#p.cipher.encrypt(JSON.stringify(answer)), CACHE_TTL_SECONDS);
      this.#keepLocally(key, answer);
    }
    return {
      id: checkId,
      patientId,
      payerId,
      providerNpi: provider.npi,
      serviceTypes,
      procedureCodes,
      dateOfService,
      status,
      cached,
      answeredAt: answer.answeredAt,
      createdAt: createdAt.toISOString(),
      durationMs,
      payerMs: cached ? null : answer.payerMs,
      transactionId: answer.transactionId,
      coverage: answer.coverage,
      estimate,
      error: null,
    };
  }

  /**
   * Keeps an answer in this process until its time in the shared cache is up, counted from when the payer gave it.
   * With a shared cache (Redis, several processes) the copy is kept for at most a minute, so an answer another
   * process refreshed replaces this one within a minute.
   */
  #keepLocally(key: string, answer: CachedAnswer): void {
    let ttl = Date.parse(answer.answeredAt) + CACHE_TTL_SECONDS * 1000 - Date.now();
    if (this.#p.cache.kind === 'redis') ttl = Math.min(ttl, LOCAL_COPY_MS);
    if (ttl > 0) this.#localAnswers.set(key, answer, { ttl });
  }

  /** The check's audit event, and its history row (an eligibility_checks row) committed with it. */
  #audit(
    ctx: AccessContext,
    patientId: string | null,
    outcome: 'success' | 'failure',
    details: Record<string, unknown>,
    history?: HistoryRow,
  ) {
    const { purpose, practiceId, ...actor } = ctx;
    return this.#p.audit.record(
      {
        ...actor,
        practiceId,
        purpose,
        action: 'eligibility.check',
        outcome,
        resourceType: 'patient',
        resourceId: patientId,
        details,
      },
      history && [{ table: 'eligibility_checks', values: history }],
    );
  }

  async #recordFailure(
    ctx: AccessContext,
    base: {
      id: string;
      patientId: string | null;
      payerId: string;
      memberBidx: string;
      providerNpi: string;
      serviceTypes: string[];
      procedureCodes: string[];
      dateOfService: string;
      source: string;
    },
    error: DomainError,
    started: number,
  ) {
    const transactionId =
      typeof error.extensions.transactionId === 'string' ? error.extensions.transactionId : null;
    const history: HistoryRow = {
      id: base.id,
      practice_id: ctx.practiceId,
      patient_id: base.patientId,
      payer_id: base.payerId,
      member_id_bidx: base.memberBidx,
      provider_npi: base.providerNpi,
      service_types: base.serviceTypes,
      procedure_codes: base.procedureCodes,
      date_of_service: base.dateOfService,
      status: 'error',
      cached: false,
      transaction_id: transactionId,
      result_enc: null,
      answer_check_id: null,
      error: {
        type: error.code,
        title: error.title,
        detail: error.message,
        retryable: error.extensions.retryable === true,
      },
      duration_ms: Math.round(performance.now() - started),
      payer_ms: null,
      answered_at: null,
      requested_by: ctx.actorId ?? null,
      source: base.source,
      created_at: new Date(),
    };
    error.extensions.checkId = base.id;
    this.#checks.observe(
      { payer: base.payerId, status: 'error', cached: 'false' },
      (performance.now() - started) / 1000,
    );
    await this.#audit(
      ctx,
      base.patientId,
      'failure',
      { checkId: base.id, payerId: base.payerId, error: error.code, source: base.source },
      history,
    );
  }

  async #estimate(
    payerId: string,
    coverage: NormalizedCoverage,
    procedures: PlannedProcedure[],
    placeOfService: string,
    date: string,
  ): Promise<CostEstimate | null> {
    if (!coverage.active) return null;
    const inNetwork = await this.#contracts.hasContract(payerId);
    const tier = inNetwork ? 'inNetwork' : 'outOfNetwork';
    const smaller = (a: number | null, b: number | null) =>
      a === null ? b : b === null ? a : Math.min(a, b);
    const ded = coverage.deductible[tier];
    const oop = coverage.outOfPocket[tier];
    const lines: EstimateLineInput[] = [];
    for (const p of procedures) {
      const benefit = coverage.procedures.find((x) => x.code === p.code);
      const st =
        coverage.serviceTypes.find((s) => s.code === benefit?.serviceType) ?? coverage.serviceTypes[0]!;
      const allowed = await this.#contracts.allowedAmount({
        payerId,
        code: p.code,
        modifiers: p.modifiers,
        placeOfService,
        date,
      });
      lines.push({
        code: p.code,
        units: p.units ?? 1,
        unitAllowedCents: allowed?.allowedCents ?? null,
        ...(allowed && { allowedBasis: allowed.detail }),
        terms: {
          serviceType: st.code,
          covered: benefit?.covered ?? st.covered,
          copayCents: inNetwork ? (benefit?.copayCents ?? st.copayCents) : null,
          coinsurancePercent: inNetwork
            ? (benefit?.coinsurancePercent ?? st.coinsurancePercent)
            : (st.outOfNetworkCoinsurancePercent ?? st.coinsurancePercent),
          deductibleApplies: inNetwork
            ? st.deductibleApplies && (benefit?.copayCents ?? null) === null
            : true,
        },
      });
    }
    return estimateCosts(lines, {
      deductibleRemainingCents: smaller(ded.individual.remainingCents, ded.family.remainingCents) ?? 0,
      outOfPocketRemainingCents: smaller(oop.individual.remainingCents, oop.family.remainingCents),
    });
  }

  #fromRow(
    row: {
      id: string;
      patient_id: string | null;
      payer_id: string;
      provider_npi: string;
      service_types: string[];
      procedure_codes: string[];
      date_of_service: string;
      status: string;
      cached: boolean;
      answered_at: Date | null;
      created_at: Date;
      duration_ms: number;
      payer_ms: number | null;
      transaction_id: string | null;
      result_enc: string | null;
      answer_check_id: string | null;
      error: Record<string, unknown> | null;
    },
    answers: Map<string, NormalizedCoverage>,
  ): EligibilityCheck {
    const result = row.result_enc
      ? (JSON.parse(this.#p.cipher.decrypt(row.result_enc)) as {
          coverage?: NormalizedCoverage;
          estimate: CostEstimate | null;
        })
      : null;
    const coverage =
      result?.coverage ?? (row.answer_check_id ? answers.get(row.answer_check_id) : undefined) ?? null;
    return {
      id: row.id,
      patientId: row.patient_id,
      payerId: row.payer_id,
      providerNpi: row.provider_npi,
      serviceTypes: row.service_types,
      procedureCodes: row.procedure_codes,
      dateOfService: row.date_of_service,
      status: row.status as EligibilityCheck['status'],
      cached: row.cached,
      answeredAt: row.answered_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      durationMs: row.duration_ms,
      payerMs: row.payer_ms,
      transactionId: row.transaction_id,
      coverage,
      estimate: result?.estimate ?? null,
      error: (row.error as EligibilityCheck['error']) ?? null,
    };
  }

  /** The coverages cache hits point at, from the checks that fetched them. */
  async #answers(
    practiceId: string,
    rows: Array<{ answer_check_id: string | null }>,
  ): Promise<Map<string, NormalizedCoverage>> {
    const ids = [...new Set(rows.map((r) => r.answer_check_id).filter((x): x is string => x !== null))];
    if (ids.length === 0) return new Map();
    const sources = await this.#p.db
      .selectFrom('eligibility_checks')
      .select(['id', 'result_enc'])
      .where('practice_id', '=', practiceId)
      .where('id', 'in', ids)
      .execute();
    return new Map(
      sources
        .filter((r) => r.result_enc !== null)
        .map((r) => [
          r.id,
          (JSON.parse(this.#p.cipher.decrypt(r.result_enc!)) as { coverage: NormalizedCoverage }).coverage,
        ]),
    );
  }

  async getCheck(ctx: AccessContext, id: string): Promise<EligibilityCheck> {
    const row = await this.#p.db
      .selectFrom('eligibility_checks')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', ctx.practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('eligibility check', id, '/id');
    const check = this.#fromRow(row, await this.#answers(ctx.practiceId, [row]));
    const { purpose, practiceId, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action: 'eligibility.read',
      outcome: 'success',
      resourceType: 'eligibility_check',
      resourceId: id,
      details: { patientId: row.patient_id },
    });
    return check;
  }

  /** The 270 sent and the 271 received for a check (decrypted; audited). */
  async checkX12(
    ctx: AccessContext,
    id: string,
  ): Promise<{
    checkId: string;
    transactionId: string | null;
    request: string | null;
    response: string | null;
  }> {
    const row = await this.#p.db
      .selectFrom('eligibility_checks')
      .select(['id', 'transaction_id', 'patient_id'])
      .where('id', '=', id)
      .where('practice_id', '=', ctx.practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('eligibility check', id, '/id');
    const tx = row.transaction_id ? await this.#payers.transaction(ctx.practiceId, row.transaction_id) : null;
    const { purpose, practiceId, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action: 'eligibility.x12.read',
      outcome: 'success',
      resourceType: 'eligibility_check',
      resourceId: id,
      details: { patientId: row.patient_id, transactionId: row.transaction_id },
    });
    return {
      checkId: id,
      transactionId: row.transaction_id,
      request: tx?.request ?? null,
      response: tx?.response ?? null,
    };
  }

  /** Check history, newest first (optionally one patient's). */
  async listChecks(
    ctx: AccessContext,
    query: { patientId?: string; limit?: number; cursor?: string },
  ): Promise<{ items: EligibilityCheck[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const after = seqCursor(query.cursor);
    let q = this.#p.db.selectFrom('eligibility_checks').selectAll().where('practice_id', '=', ctx.practiceId);
    if (query.patientId) q = q.where('patient_id', '=', query.patientId);
    if (after !== null) q = q.where('seq', '<', after);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const answers = await this.#answers(ctx.practiceId, page);
    const { purpose, practiceId, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action: 'eligibility.search',
      outcome: 'success',
      resourceType: 'patient',
      resourceId: query.patientId ?? null,
      details: { count: page.length },
    });
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.#fromRow(r, answers)),
      nextCursor: rows.length > limit && last ? encodeCursor([last.seq]) : null,
    };
  }

  /** Queues the batch for a day; the job runs `runBatch` in a worker. */
  async enqueueBatch(ctx: AccessContext, date: string, queue: string): Promise<string | null> {
    if (!isRealDate(date)) throw invalidField('/date', 'is not a calendar date');
    const jobId = await this.#p.jobs.send(queue, {
      practiceId: ctx.practiceId,
      date,
      requestedBy: ctx.actorId ?? undefined,
    });
    const { purpose, practiceId, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action: 'eligibility.batch.request',
      outcome: 'success',
      resourceType: 'practice',
      resourceId: practiceId,
      details: { date, jobId },
    });
    return jobId;
  }

  /** Checks every patient with a scheduled appointment on `date` (default tomorrow) against their primary payer. */
  async runBatch(ctx: AccessContext, date = addDays(today(), 1)): Promise<BatchReport> {
    const report: BatchReport = {
      practiceId: ctx.practiceId,
      date,
      appointments: 0,
      patients: 0,
      active: 0,
      inactive: 0,
      rejected: 0,
      errors: 0,
    };
    const patients = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await this.#patients.searchAppointments(ctx, {
        from: `${date}T00:00:00.000Z`,
        to: `${date}T23:59:59.999Z`,
        status: 'scheduled',
        limit: 200,
        ...(cursor && { cursor }),
      });
      report.appointments += page.items.length;
      for (const a of page.items) patients.add(a.patientId);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    report.patients = patients.size;
    for (const patientId of patients) {
      try {
        const check = await this.check(ctx, { patientId, dateOfService: date }, 'batch');
        if (check.status === 'active') report.active++;
        else if (check.status === 'inactive') report.inactive++;
        else report.rejected++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        report.errors++;
      }
    }
    const { purpose, practiceId, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action: 'eligibility.batch',
      outcome: 'success',
      resourceType: 'practice',
      resourceId: practiceId,
      details: { ...report },
    });
    return report;
  }
}
