/**
 * Remittance: an 835 is parsed, its claim payments matched to claims by patient control number (CLP01) and
 * service lines by line control number (REF 6R) or code, and posted in one transaction — payments, CARC/RARC
 * adjustments with their descriptions, patient responsibility, provider-level (PLB) adjustments, claim statuses,
 * underpayments against the contract, and denials opened for the work queue. The same 835 twice posts once.
 */

import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gunzipSync, gzip } from 'node:zlib';
import {
  type ClaimPayment,
  type Diagnostic,
  parse835,
  type Remittance,
  Segment,
  tokenize,
} from '@intelluxe/x12';
import { sql } from 'kysely';
import type { Tx } from '../../platform/db/index.ts';
import { afterCreatedAt, microsKey, timestampCursor } from '../../platform/db/keyset.ts';
import { DomainError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { encodeCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ClaimsService } from '../claims/service.ts';
import type { ContractsService } from '../contracts/service.ts';
import type { DenialsService } from '../denials/service.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import type { PayersService } from '../payers/service.ts';
import { type PostingPlan, planPosting } from './posting.ts';
import type { PostedAdjustment, PostedLine, RemittanceClaimsTable } from './tables.ts';

const gzipAsync = promisify(gzip);

type PostingLookup = {
  asked: Set<string>;
  claims: Awaited<ReturnType<ClaimsService['claimsByControlNumbers']>>;
  lines: Awaited<ReturnType<ClaimsService['postingLinesOf']>>;
};
type PostingClaimRow = PostingLookup['claims'] extends Map<string, infer C> ? C : never;
type PostingLine = PostingLookup['lines'] extends Map<string, Array<infer L>> ? L : never;

/** Claim payments planned and written per slice: the database writes one slice while the next is planned. */
const SLICE = 5000;

/** A payment row as written: the table's columns, with the adjustments and lines as objects (sent as JSON). */
type PaymentRow = Omit<RemittanceClaimsTable, 'id' | 'adjustments' | 'lines'> & {
  adjustments: PostedAdjustment[];
  lines: PostedLine[];
};

/** One statement per slice of payment rows (jsonb_to_recordset keeps it to a single parameter). */
function insertPaymentRows(tx: Tx, rows: PaymentRow[]) {
  return sql`
    INSERT INTO remittance_claims (remittance_id, position, claim_id, patient_control_number, payer_claim_number,
      status_code, charge_cents, paid_cents, patient_responsibility_cents, expected_cents, underpaid_cents, outcome,
      message, adjustments, lines)
    SELECT r.remittance_id, r.position, r.claim_id, r.patient_control_number, r.payer_claim_number, r.status_code,
      r.charge_cents, r.paid_cents, r.patient_responsibility_cents, r.expected_cents, r.underpaid_cents, r.outcome,
      r.message, r.adjustments, r.lines
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(remittance_id uuid, position integer, claim_id uuid,
      patient_control_number text, payer_claim_number text, status_code text, charge_cents bigint, paid_cents bigint,
      patient_responsibility_cents bigint, expected_cents bigint, underpaid_cents bigint, outcome text, message text,
      adjustments jsonb, lines jsonb)
  `.execute(tx);
}

/** CLP01 of every claim payment in the file, from the segments alone (no typed parse). */
function controlNumbersIn(bytes: Buffer): string[] {
  const { table } = tokenize(bytes);
  const found = new Set<string>();
  for (let i = table.first; i < table.end; i++) {
    if (table.id(i) === 'CLP') found.add(new Segment(table, i).element(1).trim());
  }
  return [...found];
}

function mergeLookups(a: PostingLookup, b: PostingLookup): PostingLookup {
  return {
    asked: new Set([...a.asked, ...b.asked]),
    claims: new Map([...a.claims, ...b.claims]),
    lines: new Map([...a.lines, ...b.lines]),
  };
}

export interface PostingReportClaim {
  patientControlNumber: string;
  claimId: string | null;
  outcome: 'posted' | 'unmatched' | 'not_postable';
  message: string | null;
  statusCode: string;
  status: string | null;
  chargeCents: number;
  paidCents: number;
  patientResponsibilityCents: number;
  expectedCents: number | null;
  underpaidCents: number;
  adjustments: Array<{ group: string; reason: string; amountCents: number; description: string }>;
  denials: number;
}

export interface PostingReport {
  id: string;
  duplicate: boolean;
  payer: { id: string | null; name: string };
  traceNumber: string;
  paymentCents: number;
  paymentMethod: string;
  paymentDate: string | null;
  providerAdjustmentCents: number;
  providerAdjustments: Array<{ reasonCode: string; referenceId?: string; amountCents: number }>;
  totals: {
    claims: number;
    applied: number;
    unmatched: number;
    errors: number;
    deniedClaims: number;
    underpaidClaims: number;
  };
  warnings: string[];
  claims: PostingReportClaim[];
  postedAt: string;
}

/** An 835 that cannot be posted: every problem, located by segment. */
/** How many underpaid claims the underpayment report lists (largest first); its totals cover all of them. */
const UNDERPAID_LISTED = 1000;

export class RemittanceRejectedError extends DomainError {
  constructor(diagnostics: Diagnostic[]) {
    super(
      422,
      'remittance-invalid',
      'Remittance not posted',
      `the 835 has ${diagnostics.length} error(s); nothing was posted`,
      {
        errors: diagnostics.slice(0, 50).map((d) => ({
          path: `/segments/${d.segmentIndex}`,
          message: `${d.segmentId || 'document'} (line ${d.line}): ${d.message}`,
        })),
      },
    );
  }
}

const HARD_ERRORS = new Set([
  'EMPTY_INPUT',
  'NOT_X12',
  'ISA_MISSING',
  'ISA_INVALID',
  'ST_MISSING',
  'SEGMENT_ID_INVALID',
  'UNSUPPORTED_TRANSACTION',
  'TRANSACTION_TYPE_MISMATCH',
  'REQUIRED_ELEMENT',
  'INVALID_NUMBER',
  'INVALID_DATE',
]);

export class RemittanceService {
  readonly #p: Platform;
  readonly #claims: ClaimsService;
  readonly #contracts: ContractsService;
  readonly #denials: DenialsService;
  readonly #patients: PatientsService;
  readonly #payers: PayersService;

  constructor(
    platform: Platform,
    claims: ClaimsService,
    contracts: ContractsService,
    denials: DenialsService,
    patients: PatientsService,
    payers: PayersService,
  ) {
    this.#payers = payers;
    this.#p = platform;
    this.#claims = claims;
    this.#contracts = contracts;
    this.#denials = denials;
    this.#patients = patients;
  }

  /** Posts an 835 (one or several transaction sets). Idempotent by content; transactional as a whole. */
  async postRemittance(
    ctx: AccessContext,
    input: Uint8Array | string,
    source: 'upload' | 'api' | 'fetch',
  ): Promise<PostingReport> {
    // Bytes as received: the X12 library decodes UTF-16 and byte-order marks itself.
    const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : Buffer.from(input);
    let end = bytes.length;
    while (end > 0 && (bytes[end - 1] === 0x0a || bytes[end - 1] === 0x0d || bytes[end - 1] === 0x20))
      end -= 1;
    const contentHash = createHash('sha256').update(bytes.subarray(0, end)).digest('hex');
    const existing = await this.#p.db
      .selectFrom('remittances')
      .select('id')
      .where('practice_id', '=', ctx.practiceId)
      .where('content_hash', '=', contentHash)
      .executeTakeFirst();
    if (existing) return { ...(await this.#report(ctx.practiceId, existing.id)), duplicate: true };

    // The claims the 835 pays are looked up while it is parsed: a quick pass over the segments finds the patient
    // control numbers (CLP01), and the database works on them while this thread builds the typed transactions.
    const prefetch = this.#lookup(ctx.practiceId, controlNumbersIn(bytes));
    prefetch.catch(() => {});
    // The 835 is kept, compressed and encrypted, with what it posted; compression runs on the thread pool while
    // the file is parsed and matched.
    const sealed = gzipAsync(bytes, { level: 6 }).then((gz) => this.#p.cipher.encryptBytes(gz));
    sealed.catch(() => {});
    const parsed = parse835(bytes);
    const hard = parsed.diagnostics.filter((d) => d.severity === 'error' && HARD_ERRORS.has(d.code));
    if (hard.length > 0 || parsed.transactions.length === 0) {
      throw new RemittanceRejectedError(
        hard.length > 0
          ? hard
          : parsed.diagnostics.length > 0
            ? parsed.diagnostics
            : [
                {
                  code: 'MISSING_SEGMENT',
                  message: 'no 835 transaction set',
                  severity: 'error',
                  segmentIndex: -1,
                  segmentId: '',
                  offset: 0,
                  line: 1,
                },
              ],
      );
    }
    const warnings = parsed.diagnostics
      .filter((d) => !HARD_ERRORS.has(d.code))
      .map((d) => `${d.code} at segment ${d.segmentIndex} (${d.segmentId}, line ${d.line}): ${d.message}`);
    const payers = await this.#patients.listPayers();
    const reports: PostingReport[] = [];
    for (const remittance of parsed.transactions) {
      reports.push(
        await this.#postOne(
          ctx,
          remittance,
          await sealed,
          await prefetch,
          parsed.transactions.length > 1 ? `${contentHash}:${reports.length}` : contentHash,
          source,
          warnings,
          payers,
        ),
      );
    }
    await this.#audit(ctx, 'remittance.post', reports[0]!.id, {
      remittances: reports.map((r) => r.id),
      source,
    });
    return reports[0]!;
  }

  async #postOne(
    ctx: AccessContext,
    r: Remittance,
    x12Sealed: string,
    prefetched: PostingLookup,
    contentHash: string,
    source: string,
    warnings: string[],
    payers: Array<{ id: string; name: string; x12PayerId: string }>,
  ): Promise<PostingReport> {
    const pcns = r.claims.map((c) => c.patientControlNumber);
    // Control numbers the quick pass read differently from the parser (escapes, say) are looked up now.
    const missed = pcns.filter((pcn) => !prefetched.asked.has(pcn));
    const { claims, lines: lineMap } =
      missed.length === 0 ? prefetched : mergeLookups(prefetched, await this.#lookup(ctx.practiceId, missed));
    const payerId =
      payers.find((p) => p.x12PayerId === r.payer.id || p.x12PayerId === r.payer.payerId)?.id ??
      pcns.map((pcn) => claims.get(pcn)).find((c) => c !== undefined)?.payer_id ??
      null;
    const plbCents = r.providerAdjustments
      .flatMap((p) => p.adjustments)
      .reduce((s, a) => s + a.amountCents, 0);
    // Expected payer payment: the contract's allowed amount for each matched line, less what the patient owes.
    // An 835 repeats the same few codes thousands of times: each distinct price is looked up once, before the
    // transaction (the contract tables may need the database).
    const priceKey = (row: PostingClaimRow, line: PostingLine) =>
      `${row.payer_id}|${line.procedure_code}|${line.modifiers.join(',')}|${row.place_of_service}|${line.service_date}`;
    const prices = new Map<string, number | null>();
    for (const pcn of pcns) {
      const row = claims.get(pcn);
      if (!row) continue;
      for (const line of lineMap.get(row.id) ?? []) {
        const key = priceKey(row, line);
        if (prices.has(key)) continue;
        const allowed = await this.#contracts.allowedAmount({
          payerId: row.payer_id,
          code: line.procedure_code,
          modifiers: line.modifiers,
          placeOfService: row.place_of_service,
          date: line.service_date,
        });
        prices.set(key, allowed?.allowedCents ?? null);
      }
    }
    const remittanceId = randomUUID();
    return this.#p.db.transaction().execute(async (tx) => {
      // The writes are queued on the transaction's connection as soon as each slice of the 835 is planned, so
      // the database writes one slice while the next is worked out here. Any failure fails the whole posting.
      const writes: Array<Promise<unknown>> = [];
      const write = (promise: Promise<unknown>) => {
        promise.catch(() => {});
        writes.push(promise);
      };
      write(
        tx
          .insertInto('remittances')
          .values({
            id: remittanceId,
            practice_id: ctx.practiceId,
            payer_id: payerId,
            payer_name: r.payer.name,
            trace_number: r.trace.number,
            payment_cents: r.payment.amountCents,
            payment_method: r.payment.method,
            payment_date: r.payment.date || null,
            provider_adjustment_cents: plbCents,
            provider_adjustments: JSON.stringify(r.providerAdjustments.flatMap((p) => p.adjustments)),
            content_hash: contentHash,
            source,
            claims_count: r.claims.length,
            matched_count: 0,
            unmatched_count: 0,
            error_count: 0,
            warnings: JSON.stringify(warnings),
            x12_enc: x12Sealed,
            created_by: ctx.actorId ?? null,
          })
          .execute(),
      );
      const plans: Array<{ clp: ClaimPayment; row: PostingClaimRow | null; plan: PostingPlan }> = [];
      const rows: PaymentRow[] = [];
      for (let from = 0; from < r.claims.length; from += SLICE) {
        const slice = r.claims.slice(from, from + SLICE).map((clp) => {
          const row = claims.get(clp.patientControlNumber) ?? null;
          const lines = row ? (lineMap.get(row.id) ?? []) : [];
          const plan = planPosting(
            clp,
            row
              ? {
                  id: row.id,
                  status: row.status as never,
                  lines: lines.map((l) => ({
                    lineNumber: l.line_number,
                    procedureCode: l.procedure_code,
                    lineControlNumber: l.line_control_number,
                  })),
                }
              : null,
          );
          return { clp, row, plan, lines };
        });
        const sliceRows: PaymentRow[] = [];
        for (const { clp, row, plan, lines } of slice) {
          let expected: number | null = null;
          if (row && plan.outcome === 'posted' && !plan.reversal) {
            let allowed = 0;
            let known = true;
            for (const line of lines) {
              const price = prices.get(priceKey(row, line)) ?? null;
              if (price === null) known = false;
              else allowed += price * line.units;
            }
            if (known) expected = Math.max(0, allowed - plan.patientResponsibilityCents);
          }
          const underpaid =
            expected !== null && plan.to === 'paid' && clp.paidCents < expected
              ? expected - clp.paidCents
              : 0;
          plans.push({ clp, row, plan });
          sliceRows.push({
            remittance_id: remittanceId,
            position: plans.length,
            claim_id: plan.outcome === 'posted' ? row!.id : null,
            patient_control_number: clp.patientControlNumber,
            payer_claim_number: clp.payerClaimControlNumber ?? null,
            status_code: clp.statusCode,
            charge_cents: clp.chargeCents,
            paid_cents: clp.paidCents,
            patient_responsibility_cents: plan.patientResponsibilityCents,
            expected_cents: expected,
            underpaid_cents: underpaid,
            outcome: plan.outcome,
            message: plan.message,
            adjustments: plan.adjustments,
            lines: plan.lines,
          });
        }
        rows.push(...sliceRows);
        write(insertPaymentRows(tx, sliceRows));
        write(
          this.#claims.applyPostings(
            tx,
            slice
              .filter(({ row, plan }) => plan.outcome === 'posted' && row && plan.to)
              .map(({ row, plan, clp }) => ({
                claim: row!,
                to: plan.to!,
                reason: plan.reversal
                  ? `835 ${r.trace.number}: payment reversed`
                  : `835 ${r.trace.number}: ${plan.to!.replace('_', ' ')} (CLP02 ${clp.statusCode})`,
                paidCents: plan.paidCents,
                patientResponsibilityCents: plan.patientResponsibilityCents,
                adjustmentCents: plan.adjustmentCents,
                payerClaimNumber: clp.payerClaimControlNumber ?? null,
                details: { remittanceId, paidCents: plan.paidCents },
              })),
            ctx.actorId ?? null,
          ),
        );
      }
      await Promise.all(writes);
      const count = (outcome: PostingPlan['outcome']) =>
        plans.filter((p) => p.plan.outcome === outcome).length;
      await tx
        .updateTable('remittances')
        .set({
          matched_count: count('posted'),
          unmatched_count: count('unmatched'),
          error_count: count('not_postable'),
        })
        .where('id', '=', remittanceId)
        .execute();
      // Ids only of the payments that open denials (usually few), by their position in the 835.
      const withDenials = plans.flatMap((p, i) =>
        p.plan.outcome === 'posted' && p.plan.denials.length > 0 ? [i + 1] : [],
      );
      const idAt =
        withDenials.length === 0
          ? new Map<number, number>()
          : new Map(
              (
                await tx
                  .selectFrom('remittance_claims')
                  .select(['id', 'position'])
                  .where('remittance_id', '=', remittanceId)
                  .where(sql<boolean>`position = ANY(${withDenials}::int[])`)
                  .execute()
              ).map((r) => [r.position, r.id]),
            );
      const denials = plans.flatMap(({ row, plan }, i) =>
        plan.outcome === 'posted' && row
          ? plan.denials.map((d) => ({ ...d, claimId: row.id, remittanceClaimId: idAt.get(i + 1)! }))
          : [],
      );
      await this.#denials.openDenials(tx, ctx.practiceId, denials, r.payment.date || null, payerId);
      // The report from what was just written, rather than reading 50,000 rows back.
      const report: PostingReport = {
        id: remittanceId,
        duplicate: false,
        payer: { id: payerId, name: r.payer.name },
        traceNumber: r.trace.number,
        paymentCents: r.payment.amountCents,
        paymentMethod: r.payment.method,
        paymentDate: r.payment.date || null,
        providerAdjustmentCents: plbCents,
        providerAdjustments: r.providerAdjustments.flatMap((p) => p.adjustments),
        totals: {
          claims: plans.length,
          applied: count('posted'),
          unmatched: count('unmatched'),
          errors: count('not_postable'),
          deniedClaims: plans.filter((p) => p.plan.outcome === 'posted' && p.plan.to === 'denied').length,
          underpaidClaims: rows.filter((row) => row.underpaid_cents > 0).length,
        },
        warnings,
        claims: plans.map(({ clp, row, plan }, i) => ({
          patientControlNumber: clp.patientControlNumber,
          claimId: rows[i]!.claim_id,
          outcome: plan.outcome,
          message: plan.message,
          statusCode: clp.statusCode,
          status: plan.outcome === 'posted' ? (plan.to ?? row?.status ?? null) : null,
          chargeCents: clp.chargeCents,
          paidCents: clp.paidCents,
          patientResponsibilityCents: plan.patientResponsibilityCents,
          expectedCents: rows[i]!.expected_cents,
          underpaidCents: rows[i]!.underpaid_cents,
          adjustments: [...plan.adjustments, ...plan.lines.flatMap((l) => l.adjustments)],
          denials: plan.outcome === 'posted' ? plan.denials.length : 0,
        })),
        postedAt: new Date().toISOString(),
      };
      return report;
    });
  }

  async #report(practiceId: string, id: string): Promise<PostingReport> {
    const remittance = await this.#p.db
      .selectFrom('remittances')
      .selectAll()
      .where('practice_id', '=', practiceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!remittance) throw new NotFoundError('remittance', id, '/id');
    const rows = await this.#p.db
      .selectFrom('remittance_claims')
      .selectAll()
      .where('remittance_id', '=', id)
      .orderBy('position')
      .execute();
    const statuses = await this.#claims.statusesOf(
      rows.map((r) => r.claim_id).filter((x): x is string => x !== null),
    );
    const denialCounts = await this.#denials.countByRemittanceClaims(rows.map((r) => r.id));
    return {
      id: remittance.id,
      duplicate: false,
      payer: { id: remittance.payer_id, name: remittance.payer_name },
      traceNumber: remittance.trace_number,
      paymentCents: remittance.payment_cents,
      paymentMethod: remittance.payment_method,
      paymentDate: remittance.payment_date,
      providerAdjustmentCents: remittance.provider_adjustment_cents,
      providerAdjustments: remittance.provider_adjustments,
      totals: {
        claims: remittance.claims_count,
        applied: remittance.matched_count,
        unmatched: remittance.unmatched_count,
        errors: remittance.error_count,
        deniedClaims: rows.filter((r) => r.claim_id && statuses.get(r.claim_id) === 'denied').length,
        underpaidClaims: rows.filter((r) => r.underpaid_cents > 0).length,
      },
      warnings: remittance.warnings,
      claims: rows.map((r) => ({
        patientControlNumber: r.patient_control_number,
        claimId: r.claim_id,
        outcome: r.outcome as PostingReportClaim['outcome'],
        message: r.message,
        statusCode: r.status_code,
        status: r.claim_id ? (statuses.get(r.claim_id) ?? null) : null,
        chargeCents: r.charge_cents,
        paidCents: r.paid_cents,
        patientResponsibilityCents: r.patient_responsibility_cents,
        expectedCents: r.expected_cents,
        underpaidCents: r.underpaid_cents,
        adjustments: [...r.adjustments, ...r.lines.flatMap((l) => l.adjustments)],
        denials: denialCounts.get(r.id) ?? 0,
      })),
      postedAt: remittance.created_at.toISOString(),
    };
  }

  async getRemittance(ctx: AccessContext, id: string): Promise<PostingReport> {
    const report = await this.#report(ctx.practiceId, id);
    await this.#audit(ctx, 'remittance.read', id);
    return report;
  }

  #audit(ctx: AccessContext, action: string, id: string, details?: Record<string, unknown>) {
    const { purpose, ...actor } = ctx;
    return this.#p.audit.record({
      ...actor,
      purpose,
      action,
      outcome: 'success',
      resourceType: 'remittance',
      resourceId: id,
      ...(details && { details }),
    });
  }

  /** Claims and their lines by patient control number, as posting needs them (two queries, side by side). */
  async #lookup(practiceId: string, pcns: string[]): Promise<PostingLookup> {
    const [claims, lines] = await Promise.all([
      this.#claims.claimsByControlNumbers(practiceId, pcns),
      this.#claims.postingLinesOf(practiceId, pcns),
    ]);
    return { asked: new Set(pcns), claims, lines };
  }

  /** The 835 exactly as it was received (decrypted and decompressed), audited as an export of payment data. */
  async remittanceX12(ctx: AccessContext, id: string): Promise<Buffer> {
    const row = await this.#p.db
      .selectFrom('remittances')
      .select('x12_enc')
      .where('practice_id', '=', ctx.practiceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('remittance', id, '/id');
    const plain = this.#p.cipher.decryptBytes(row.x12_enc);
    // gzip since 2026-11; base64 text of the bytes before.
    const x12 =
      plain[0] === 0x1f && plain[1] === 0x8b
        ? gunzipSync(plain)
        : Buffer.from(plain.toString('utf8'), 'base64');
    await this.#audit(ctx, 'remittance.x12.read', id, { bytes: x12.length });
    return x12;
  }

  async listRemittances(ctx: AccessContext, query: { limit?: number; cursor?: string }) {
    const after = timestampCursor(query.cursor);
    const limit = query.limit ?? 50;
    let q = this.#p.db
      .selectFrom('remittances')
      .select([
        'id',
        'payer_id',
        'payer_name',
        'trace_number',
        'payment_cents',
        'payment_date',
        'claims_count',
        'matched_count',
        'unmatched_count',
        'created_at',
        microsKey('created_at').as('cursor_at'),
      ])
      .where('practice_id', '=', ctx.practiceId);
    if (after) q = q.where(afterCreatedAt(after));
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => ({
        id: r.id,
        payerId: r.payer_id,
        payerName: r.payer_name,
        traceNumber: r.trace_number,
        paymentCents: r.payment_cents,
        paymentDate: r.payment_date,
        claims: r.claims_count,
        applied: r.matched_count,
        unmatched: r.unmatched_count,
        postedAt: r.created_at.toISOString(),
      })),
      nextCursor: rows.length > limit && last ? encodeCursor([last.cursor_at, last.id]) : null,
    };
  }

  /** Pulls the 835s the gateway holds for the practice's payers and posts each. */
  async fetchRemittances(ctx: AccessContext, payerIds?: string[]): Promise<PostingReport[]> {
    const known = (await this.#patients.listPayers()).map((p) => p.id);
    // Every id is checked before anything is fetched: an unknown one posts nothing (it failed the exchange log's
    // foreign key, a 500, after the payers before it had posted).
    const unknown = (payerIds ?? []).flatMap((id, i) =>
      known.includes(id) ? [] : [{ path: `/payerIds/${i}`, message: `unknown payer '${id}'` }],
    );
    if (unknown.length > 0) throw new ValidationError(unknown);
    const payers = payerIds ?? known;
    const reports: PostingReport[] = [];
    for (const payerId of payers) {
      const exchange = await this.#payers.remittances(ctx.practiceId, payerId);
      for (const x12 of exchange.response) reports.push(await this.postRemittance(ctx, x12, 'fetch'));
    }
    return reports;
  }

  /** What the contract says the payer should pay for a claim: allowed per line, then the total. */
  async expectedReimbursement(ctx: AccessContext, claimId: string) {
    const claim = await this.#claims.getClaim(ctx, claimId);
    const lines = [];
    let allowedTotal = 0;
    let complete = true;
    for (const line of claim.lines) {
      const allowed = await this.#contracts.allowedAmount({
        payerId: claim.payerId,
        code: line.procedureCode,
        modifiers: line.modifiers,
        placeOfService: claim.placeOfService,
        date: line.serviceDate,
      });
      if (!allowed) complete = false;
      const cents = allowed ? allowed.allowedCents * line.units : null;
      if (cents !== null) allowedTotal += cents;
      lines.push({
        lineNumber: line.lineNumber,
        procedureCode: line.procedureCode,
        units: line.units,
        chargeCents: line.chargeCents,
        allowedCents: cents,
        basis: allowed?.detail ?? 'no fee schedule or rule covers this code',
      });
    }
    return {
      claimId,
      payerId: claim.payerId,
      totalChargeCents: claim.totalChargeCents,
      expectedAllowedCents: allowedTotal,
      complete,
      paidCents: claim.paidCents,
      patientResponsibilityCents: claim.patientResponsibilityCents,
      varianceCents:
        claim.status === 'paid' ? claim.paidCents + claim.patientResponsibilityCents - allowedTotal : null,
      lines,
    };
  }

  /**
   * Claims paid below the contract: expected (allowed less patient share) against paid. The totals and the
   * per-payer sums cover every underpaid claim that matches; the list shows the largest `UNDERPAID_LISTED`.
   */
  async underpayments(ctx: AccessContext, filter: { from?: string; to?: string; payerId?: string }) {
    const matching = () => {
      let q = this.#p.db
        .selectFrom('remittance_claims')
        .innerJoin('remittances', 'remittances.id', 'remittance_claims.remittance_id')
        .where('remittances.practice_id', '=', ctx.practiceId)
        .where('remittance_claims.underpaid_cents', '>', 0);
      if (filter.payerId) q = q.where('remittances.payer_id', '=', filter.payerId);
      if (filter.from) q = q.where('remittances.payment_date', '>=', filter.from);
      if (filter.to) q = q.where('remittances.payment_date', '<=', filter.to);
      return q;
    };
    // A remittance from a payer the gateway does not know has no payer id: those are told apart by name.
    const payerKey = sql<string>`coalesce(remittances.payer_id, 'name:' || remittances.payer_name)`;
    const [sums, rows] = await Promise.all([
      matching()
        .select([
          sql<string | null>`min(remittances.payer_id)`.as('payer_id'),
          sql<string>`min(remittances.payer_name)`.as('payer_name'),
          sql<number>`count(*)::int`.as('claims'),
          sql<string>`sum(remittance_claims.underpaid_cents)`.as('underpaid'),
        ])
        .groupBy(payerKey)
        .orderBy(sql`sum(remittance_claims.underpaid_cents)`, 'desc')
        .execute(),
      matching()
        .select([
          'remittance_claims.claim_id',
          'remittance_claims.patient_control_number',
          'remittance_claims.payer_claim_number',
          'remittance_claims.expected_cents',
          'remittance_claims.paid_cents',
          'remittance_claims.underpaid_cents',
          'remittances.payer_id',
          'remittances.trace_number',
          'remittances.payment_date',
        ])
        .orderBy('remittance_claims.underpaid_cents', 'desc')
        .orderBy('remittance_claims.id')
        .limit(UNDERPAID_LISTED)
        .execute(),
    ]);
    const byPayer = sums.map((r) => ({
      payerId: r.payer_id,
      payerName: r.payer_name,
      claims: r.claims,
      underpaidCents: Number(r.underpaid),
    }));
    return {
      totalUnderpaidCents: byPayer.reduce((s, p) => s + p.underpaidCents, 0),
      underpaidClaims: byPayer.reduce((n, p) => n + p.claims, 0),
      byPayer,
      claims: rows.map((r) => ({
        claimId: r.claim_id,
        patientControlNumber: r.patient_control_number,
        payerClaimNumber: r.payer_claim_number,
        payerId: r.payer_id,
        traceNumber: r.trace_number,
        paymentDate: r.payment_date,
        expectedCents: r.expected_cents,
        paidCents: r.paid_cents,
        underpaidCents: r.underpaid_cents,
      })),
    };
  }
}
