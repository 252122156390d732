/**
 * Claims: charge capture from encounters (or direct entry) priced from the charge master, the scrubber before
 * submission, 837P/837I generation, submission through the payer gateway with its 999 and 277CA recorded, and
 * the claim state machine — every transition an event with who, when and why.
 */
import { formatIcd10, normalizeIcd10 } from '@intelluxe/codes';
import {
  build837I,
  build837P,
  type ClaimSubmission,
  parse277CA,
  parse999,
  type Claim as X12Claim,
} from '@intelluxe/x12';
import { sql } from 'kysely';
import { today } from '../../platform/dates.ts';
import type { Tx } from '../../platform/db/index.ts';
import {
  ConflictError,
  DomainError,
  type FieldError,
  invalidField,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { encodeCursor, keysetCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import type { PayersService } from '../payers/service.ts';
import * as repo from './repo.ts';
import type { ChargeMasterEntry, Claim, ClaimInput, ClaimSearch, ClaimStatus } from './schemas.ts';
import { type ScrubProblem, scrubClaim } from './scrubber.ts';

/** Where a claim may go from each state. */
export const TRANSITIONS: Readonly<Record<ClaimStatus, readonly ClaimStatus[]>> = {
  draft: ['validated', 'closed'],
  validated: ['submitted', 'draft', 'closed'],
  submitted: ['accepted', 'rejected'],
  accepted: ['paid', 'partially_paid', 'denied'],
  rejected: ['draft', 'closed'],
  paid: ['closed', 'partially_paid', 'denied'],
  partially_paid: ['paid', 'appealed', 'closed', 'denied'],
  denied: ['appealed', 'closed', 'paid', 'partially_paid'],
  appealed: ['paid', 'partially_paid', 'denied', 'closed'],
  closed: [],
};

const CLAIM_FILING: Record<string, string> = { medicare: 'MB', bcbs: 'BL' };
const RELATIONSHIP_CODE: Record<string, string> = { spouse: '01', child: '19', other: 'G8' };
const GENDER: Record<string, string> = { female: 'F', male: 'M' };

export interface SubmissionReport {
  claim: Claim;
  acknowledgment: { status: string; accepted: boolean; errors: string[] };
  claimAcknowledgment: { accepted: boolean; statuses: string[]; payerClaimNumber: string | null } | null;
  transactionId: string;
}

export class ClaimsService {
  readonly #p: Platform;
  readonly #patients: PatientsService;
  readonly #payers: PayersService;

  constructor(platform: Platform, patients: PatientsService, payers: PayersService) {
    this.#p = platform;
    this.#patients = patients;
    this.#payers = payers;
  }

  #audit(
    ctx: AccessContext,
    action: string,
    claimId: string,
    details: Record<string, unknown> = {},
    outcome: 'success' | 'failure' = 'success',
  ) {
    const { purpose, ...actor } = ctx;
    return this.#p.audit.record({
      ...actor,
      purpose,
      action,
      outcome,
      resourceType: 'claim',
      resourceId: claimId,
      details,
    });
  }

  // ---- charge master -----------------------------------------------------------------------------------

  async chargeMaster(practiceId: string) {
    return (await repo.chargeMaster(this.#p.db, practiceId)).map((r) => ({
      code: r.code,
      modifier: r.modifier,
      description: r.description,
      chargeCents: r.charge_cents,
      active: r.active,
    }));
  }

  async setCharge(ctx: AccessContext, entry: ChargeMasterEntry) {
    const row = await repo.upsertCharge(this.#p.db, {
      practice_id: ctx.practiceId,
      code: entry.code,
      modifier: entry.modifier ?? '',
      description: entry.description,
      charge_cents: entry.chargeCents,
      active: entry.active ?? true,
      updated_at: new Date(),
    });
    const { purpose: _purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      action: 'config.change',
      outcome: 'success',
      resourceType: 'charge_master',
      resourceId: `${row.code}${row.modifier ? `-${row.modifier}` : ''}`,
      details: { chargeCents: row.charge_cents },
    });
    return {
      code: row.code,
      modifier: row.modifier,
      description: row.description,
      chargeCents: row.charge_cents,
      active: row.active,
    };
  }

  // ---- creation ----------------------------------------------------------------------------------------

  /** Charge capture: a claim from an encounter's procedures and diagnoses, priced from the charge master. */
  async createFromEncounter(ctx: AccessContext, encounterId: string): Promise<Claim> {
    const encounter = await this.#patients.getEncounter(ctx, encounterId);
    const existing = await repo.findClaimByEncounter(this.#p.db, encounterId);
    if (existing) {
      throw new ConflictError(
        `encounter ${encounterId} is already billed on claim ${existing.patient_control_number}`,
        {
          claimId: existing.id,
        },
      );
    }
    if (encounter.procedures.length === 0)
      throw invalidField('/procedures', 'the encounter has no procedures to bill');
    return this.createClaim(
      ctx,
      {
        patientId: encounter.patientId,
        renderingProviderId: encounter.providerId,
        placeOfService: encounter.placeOfService,
        diagnoses: encounter.diagnoses.map((d) => d.code),
        priorAuthNumber: encounter.priorAuthNumber ?? undefined,
        lines: encounter.procedures.map((p) => ({
          procedureCode: p.code,
          modifiers: p.modifiers,
          units: p.units,
          chargeCents: p.chargeCents,
          diagnosisPointers: p.diagnosisPointers ?? [1],
          serviceDate: encounter.dateOfService,
        })),
      },
      encounterId,
    );
  }

  async createClaim(
    ctx: AccessContext,
    input: ClaimInput,
    encounterId: string | null = null,
  ): Promise<Claim> {
    const patient = await this.#patients.getPatient(ctx, input.patientId);
    const coverage = input.coverageId
      ? patient.coverages.find((c) => c.id === input.coverageId)
      : (patient.coverages.find((c) => c.active && c.priority === 1) ??
        patient.coverages.find((c) => c.active));
    if (!coverage) {
      throw input.coverageId
        ? invalidField(
            '/coverageId',
            `coverage ${input.coverageId} does not belong to patient ${input.patientId}`,
          )
        : invalidField(
            '/coverageId',
            'the patient has no active coverage to bill; add one or name the coverage',
          );
    }
    const errors: FieldError[] = [];
    for (const [key, id] of [
      ['billingProviderId', input.billingProviderId],
      ['renderingProviderId', input.renderingProviderId],
    ] as const) {
      if (id)
        await this.#patients
          .getProvider(ctx.practiceId, id)
          .catch(() => errors.push({ path: `/${key}`, message: `provider ${id} does not exist` }));
    }
    const codes = [...new Set(input.lines.map((l) => l.procedureCode))];
    const charges = await repo.chargesFor(this.#p.db, ctx.practiceId, codes);
    const priced = input.lines.map((line, i) => {
      if (line.chargeCents !== undefined) return line.chargeCents;
      const modifier = line.modifiers?.[0] ?? '';
      const charge =
        charges.find((c) => c.code === line.procedureCode && c.modifier === modifier) ??
        charges.find((c) => c.code === line.procedureCode && c.modifier === '');
      if (!charge)
        errors.push({
          path: `/lines/${i}/chargeCents`,
          message: `${line.procedureCode} is not in the charge master; give chargeCents`,
        });
      return charge?.charge_cents ?? 0;
    });
    if (errors.length) throw new ValidationError(errors);
    const dates = input.lines.map((l) => l.serviceDate).sort();
    const rendering =
      input.renderingProviderId ??
      (await this.#patients.defaultRenderingProvider(ctx.practiceId))?.id ??
      null;
    const claim = await this.#p.db.transaction().execute(async (tx) => {
      const pcn = await repo.nextPatientControlNumber(tx);
      const row = await repo.insertClaim(tx, {
        practice_id: ctx.practiceId,
        patient_id: patient.id,
        coverage_id: coverage.id,
        payer_id: coverage.payerId,
        encounter_id: encounterId,
        kind: input.kind ?? 'professional',
        patient_control_number: pcn,
        billing_provider_id: input.billingProviderId ?? null,
        rendering_provider_id: rendering,
        place_of_service: input.placeOfService,
        diagnoses: JSON.stringify(input.diagnoses.map((d) => formatIcd10(d))),
        prior_auth_number: input.priorAuthNumber ?? null,
        service_date_from: dates[0]!,
        service_date_to: dates[dates.length - 1]!,
        total_charge_cents: priced.reduce((sum, cents) => sum + cents, 0),
        status: 'draft',
        created_by: ctx.actorId ?? null,
        created_at: new Date(),
        updated_at: new Date(),
      });
      await repo.insertLines(
        tx,
        input.lines.map((l, i) => ({
          claim_id: row.id,
          line_number: i + 1,
          procedure_code: l.procedureCode,
          modifiers: l.modifiers ?? [],
          units: l.units,
          charge_cents: priced[i]!,
          diagnosis_pointers: l.diagnosisPointers,
          service_date: l.serviceDate,
          place_of_service: null,
          revenue_code: l.revenueCode ?? null,
          line_control_number: `${pcn}-${i + 1}`,
        })),
      );
      await repo.insertEvent(tx, {
        claim_id: row.id,
        from_status: null,
        to_status: 'draft',
        actor_id: ctx.actorId ?? null,
        reason: encounterId ? `charge capture from encounter ${encounterId}` : 'created',
        details: JSON.stringify({ lines: input.lines.length }),
        occurred_at: new Date(),
      });
      return row;
    });
    await this.#audit(ctx, 'claim.create', claim.id, {
      patientId: patient.id,
      encounterId,
      lines: input.lines.length,
    });
    return this.#load(ctx.practiceId, claim.id);
  }

  // ---- reading -----------------------------------------------------------------------------------------

  #toClaim(row: repo.ClaimRow, lines: repo.ClaimLineRow[]): Claim {
    return {
      id: row.id,
      patientControlNumber: row.patient_control_number,
      status: row.status as ClaimStatus,
      kind: row.kind,
      patientId: row.patient_id,
      coverageId: row.coverage_id,
      payerId: row.payer_id,
      encounterId: row.encounter_id,
      billingProviderId: row.billing_provider_id,
      renderingProviderId: row.rendering_provider_id,
      placeOfService: row.place_of_service,
      diagnoses: row.diagnoses,
      priorAuthNumber: row.prior_auth_number,
      serviceDateFrom: row.service_date_from,
      serviceDateTo: row.service_date_to,
      totalChargeCents: row.total_charge_cents,
      paidCents: row.paid_cents,
      patientResponsibilityCents: row.patient_responsibility_cents,
      adjustmentCents: row.adjustment_cents,
      payerClaimNumber: row.payer_claim_number,
      submittedAt: row.submitted_at?.toISOString() ?? null,
      createdAt: row.created_at.toISOString(),
      lines: lines.map((l) => ({
        lineNumber: l.line_number,
        procedureCode: l.procedure_code,
        modifiers: l.modifiers,
        units: l.units,
        chargeCents: l.charge_cents,
        diagnosisPointers: l.diagnosis_pointers,
        serviceDate: l.service_date,
        lineControlNumber: l.line_control_number,
      })),
    };
  }

  async #row(practiceId: string, id: string): Promise<repo.ClaimRow> {
    const row = await repo.findClaim(this.#p.db, practiceId, id);
    if (!row) throw new NotFoundError('claim', id, '/id');
    return row;
  }

  async #load(practiceId: string, id: string): Promise<Claim> {
    const row = await this.#row(practiceId, id);
    return this.#toClaim(row, await repo.linesOf(this.#p.db, [id]));
  }

  async getClaim(ctx: AccessContext, id: string): Promise<Claim> {
    const claim = await this.#load(ctx.practiceId, id);
    await this.#audit(ctx, 'claim.read', id, { patientId: claim.patientId });
    return claim;
  }

  /** A claim by its patient control number (CLP01 of an 835). */
  async findByControlNumber(practiceId: string, pcn: string): Promise<Claim | null> {
    const row = await repo.findClaimByPcn(this.#p.db, practiceId, pcn);
    return row ? this.#toClaim(row, await repo.linesOf(this.#p.db, [row.id])) : null;
  }

  async listClaims(
    ctx: AccessContext,
    query: ClaimSearch,
  ): Promise<{ items: Claim[]; nextCursor: string | null }> {
    const cursor = keysetCursor(query.cursor, 1);
    const limit = query.limit ?? 50;
    const rows = await repo.searchClaims(this.#p.db, ctx.practiceId, {
      ...query,
      afterPcn: cursor?.[0] ?? null,
      limit,
    });
    const page = rows.slice(0, limit);
    const lines = Map.groupBy(
      await repo.linesOf(
        this.#p.db,
        page.map((r) => r.id),
      ),
      (l) => l.claim_id,
    );
    const last = page[page.length - 1];
    const { purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      purpose,
      action: 'claim.search',
      outcome: 'success',
      resourceType: 'claim',
      details: { count: page.length, status: query.status ?? null, patientId: query.patientId ?? null },
    });
    return {
      items: page.map((r) => this.#toClaim(r, lines.get(r.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor([last.patient_control_number]) : null,
    };
  }

  async events(ctx: AccessContext, id: string) {
    await this.#row(ctx.practiceId, id);
    return (await repo.eventsOf(this.#p.db, id)).map((e) => ({
      fromStatus: e.from_status,
      toStatus: e.to_status,
      actorId: e.actor_id,
      reason: e.reason,
      details: e.details,
      occurredAt: e.occurred_at.toISOString(),
    }));
  }

  async documents(ctx: AccessContext, id: string) {
    const claim = await this.#row(ctx.practiceId, id);
    const docs = await repo.documentsOf(this.#p.db, id);
    await this.#audit(ctx, 'claim.x12.read', id, { patientId: claim.patient_id, documents: docs.length });
    return docs.map((d) => ({
      kind: d.kind,
      x12: this.#p.cipher.decrypt(d.x12_enc),
      createdAt: d.created_at.toISOString(),
    }));
  }

  // ---- state machine -----------------------------------------------------------------------------------

  /**
   * Moves a claim to `to`, recording who and why; refuses a move the state machine does not allow. Runs in the
   * caller's transaction when given one (remittance posting moves claims as part of posting).
   */
  async transition(
    q: Tx,
    claim: repo.ClaimRow,
    to: ClaimStatus,
    reason: string,
    actorId: string | null,
    details: Record<string, unknown> = {},
    set: Parameters<typeof repo.updateClaim>[2] = {},
  ): Promise<repo.ClaimRow> {
    const from = claim.status as ClaimStatus;
    if (from !== to && !TRANSITIONS[from].includes(to)) {
      throw new ConflictError(`claim ${claim.patient_control_number} is ${from} and cannot become ${to}`, {
        claimStatus: from,
        allowed: TRANSITIONS[from],
      });
    }
    const updated = await repo.updateClaim(q, claim.id, { ...set, status: to });
    await repo.insertEvent(q, {
      claim_id: claim.id,
      from_status: from,
      to_status: to,
      actor_id: actorId,
      reason,
      details: JSON.stringify(details),
      occurred_at: new Date(),
    });
    return updated;
  }

  // ---- scrubbing ---------------------------------------------------------------------------------------

  async #scrub(ctx: AccessContext, row: repo.ClaimRow): Promise<ScrubProblem[]> {
    const lines = await repo.linesOf(this.#p.db, [row.id]);
    const patient = await this.#patients.getPatient(ctx, row.patient_id);
    const coverage = patient.coverages.find((c) => c.id === row.coverage_id);
    const practice = await this.#patients.getPractice(ctx.practiceId);
    const billing = row.billing_provider_id
      ? await this.#patients.getProvider(ctx.practiceId, row.billing_provider_id)
      : null;
    const rendering = row.rendering_provider_id
      ? await this.#patients.getProvider(ctx.practiceId, row.rendering_provider_id)
      : null;
    const policy = this.#payers.policy(row.payer_id, coverage?.planName, coverage?.planType);
    const subscriber =
      coverage?.relationship === 'self' || !coverage?.subscriber ? patient : coverage.subscriber;
    const duplicates = await repo.sameDayClaims(this.#p.db, row);
    const codes = (c: string[]) => [...c].sort().join(',');
    const mine = codes(lines.map((l) => l.procedure_code));
    let duplicateOf: string | null = null;
    for (const other of duplicates) {
      const theirs = await repo.linesOf(this.#p.db, [other.id]);
      if (codes(theirs.map((l) => l.procedure_code)) === mine) duplicateOf = other.patient_control_number;
    }
    const problems = scrubClaim(
      {
        kind: row.kind,
        placeOfService: row.place_of_service,
        diagnoses: row.diagnoses,
        priorAuthNumber: row.prior_auth_number,
        billingProviderNpi: billing?.npi ?? practice.npi ?? '',
        renderingProviderNpi: rendering?.npi ?? null,
        subscriber: {
          memberId: coverage?.memberId ?? '',
          firstName: subscriber.firstName,
          lastName: subscriber.lastName,
          dateOfBirth: subscriber.dateOfBirth ?? null,
        },
        patient: {
          firstName: patient.firstName,
          lastName: patient.lastName,
          dateOfBirth: patient.dateOfBirth,
          sex: patient.sex,
        },
        lines: lines.map((l) => ({
          procedureCode: l.procedure_code,
          modifiers: l.modifiers,
          units: l.units,
          chargeCents: l.charge_cents,
          diagnosisPointers: l.diagnosis_pointers,
          serviceDate: l.service_date,
        })),
      },
      {
        today: today(),
        rules: {
          timelyFilingDays: policy?.timelyFilingDays ?? 90,
          priorAuthCodes: new Set(policy?.priorAuthCodes ?? []),
        },
        duplicateOf,
      },
    );
    if (!coverage?.active) {
      problems.push({
        path: '/coverageId',
        code: 'subscriber',
        severity: 'error',
        message: 'the coverage billed is not active',
        fix: "Check eligibility and bill the patient's current coverage.",
      });
    }
    return problems;
  }

  /** Runs the scrubber; a clean draft becomes validated, a validated claim with problems goes back to draft. */
  async validateClaim(
    ctx: AccessContext,
    id: string,
  ): Promise<{ valid: boolean; status: ClaimStatus; problems: ScrubProblem[] }> {
    const row = await this.#row(ctx.practiceId, id);
    const problems = await this.#scrub(ctx, row);
    const valid = !problems.some((p) => p.severity === 'error');
    const status = await this.#p.db.transaction().execute(async (tx) => {
      const locked = (await repo.findClaimForUpdate(tx, ctx.practiceId, id))!;
      if (valid && locked.status === 'draft')
        return (
          await this.transition(tx, locked, 'validated', 'scrubber found no problems', ctx.actorId ?? null)
        ).status;
      if (!valid && locked.status === 'validated') {
        return (
          await this.transition(tx, locked, 'draft', 'scrubber found problems', ctx.actorId ?? null, {
            problems: problems.length,
          })
        ).status;
      }
      return locked.status;
    });
    await this.#audit(
      ctx,
      'claim.validate',
      id,
      { problems: problems.map((p) => p.code) },
      valid ? 'success' : 'failure',
    );
    return { valid, status: status as ClaimStatus, problems };
  }

  // ---- submission --------------------------------------------------------------------------------------

  async #build837(ctx: AccessContext, row: repo.ClaimRow, interchange: number): Promise<string> {
    const lines = await repo.linesOf(this.#p.db, [row.id]);
    const patient = await this.#patients.getPatient(ctx, row.patient_id);
    const coverage = patient.coverages.find((c) => c.id === row.coverage_id)!;
    const practice = await this.#patients.getPractice(ctx.practiceId);
    const payer = (await this.#patients.listPayers()).find((p) => p.id === row.payer_id)!;
    const billing = row.billing_provider_id
      ? await this.#patients.getProvider(ctx.practiceId, row.billing_provider_id)
      : null;
    const rendering = row.rendering_provider_id
      ? await this.#patients.getProvider(ctx.practiceId, row.rendering_provider_id)
      : null;
    const address = practice.address as { line1: string; city: string; state: string; postalCode: string };
    const selfPay = coverage.relationship === 'self' || !coverage.subscriber;
    const sub = selfPay
      ? {
          firstName: patient.firstName,
          lastName: patient.lastName,
          dateOfBirth: patient.dateOfBirth,
          sex: patient.sex,
        }
      : coverage.subscriber!;
    const claim: X12Claim = {
      billingProvider: billing
        ? {
            type: 'person',
            name: billing.lastName,
            firstName: billing.firstName ?? undefined,
            idQualifier: 'XX',
            id: billing.npi,
            taxonomy: billing.taxonomyCode ?? undefined,
            taxId: practice.taxId?.replace('-', '') ?? undefined,
            address,
          }
        : {
            type: 'organization',
            name: practice.name,
            idQualifier: 'XX',
            id: practice.npi ?? '',
            taxId: practice.taxId?.replace('-', '') ?? undefined,
            address,
          },
      subscriber: {
        type: 'person',
        name: sub.lastName,
        firstName: sub.firstName,
        idQualifier: 'MI',
        id: coverage.memberId,
        payerResponsibility: ['P', 'S', 'T'][coverage.priority - 1] ?? 'P',
        relationship: selfPay ? '18' : undefined,
        groupNumber: coverage.groupNumber ?? undefined,
        claimFilingCode: CLAIM_FILING[row.payer_id] ?? 'CI',
        address: selfPay && patient.address ? patient.address : undefined,
        dateOfBirth: sub.dateOfBirth,
        gender: GENDER[sub.sex ?? ''] ?? 'U',
      },
      payer: { type: 'organization', name: payer.name, idQualifier: 'PI', id: payer.x12PayerId },
      patient: selfPay
        ? undefined
        : {
            type: 'person',
            name: patient.lastName,
            firstName: patient.firstName,
            relationship: RELATIONSHIP_CODE[coverage.relationship] ?? 'G8',
            address: patient.address ?? undefined,
            dateOfBirth: patient.dateOfBirth,
            gender: GENDER[patient.sex] ?? 'U',
          },
      patientControlNumber: row.patient_control_number,
      chargeCents: row.total_charge_cents,
      placeOfService: row.place_of_service,
      frequencyCode: row.frequency_code,
      providerSignature: true,
      assignmentCode: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      diagnoses: row.diagnoses.map((code, i) => ({
        qualifier: i === 0 ? 'ABK' : 'ABF',
        code: normalizeIcd10(code),
      })),
      priorAuthorization: row.prior_auth_number ?? undefined,
      renderingProvider: rendering
        ? {
            type: 'person',
            name: rendering.lastName,
            firstName: rendering.firstName ?? undefined,
            idQualifier: 'XX',
            id: rendering.npi,
            taxonomy: rendering.taxonomyCode ?? undefined,
          }
        : undefined,
      lines: lines.map((l) => ({
        procedure: { qualifier: 'HC', code: l.procedure_code, modifiers: l.modifiers },
        revenueCode: l.revenue_code ?? undefined,
        chargeCents: l.charge_cents,
        unitType: 'UN',
        units: l.units,
        diagnosisPointers: l.diagnosis_pointers,
        serviceDate: { start: l.service_date },
        lineControlNumber: l.line_control_number,
      })),
    };
    const now = new Date();
    const doc: Omit<ClaimSubmission, 'kind'> = {
      referenceId: row.patient_control_number,
      date: now.toISOString().slice(0, 10),
      time: now.toISOString().slice(11, 16),
      claimType: 'CH',
      submitter: {
        type: 'organization',
        name: practice.name,
        idQualifier: '46',
        id: practice.npi ?? 'INTELLUXE',
        contact: { name: 'Billing Office', phone: practice.phone?.replace(/\D/g, '') ?? undefined },
      },
      receiver: { type: 'organization', name: payer.name, idQualifier: '46', id: payer.x12PayerId },
      claims: [claim],
    };
    const envelope = {
      senderId: practice.npi ?? 'INTELLUXE',
      receiverId: payer.x12PayerId,
      interchangeControlNumber: interchange,
    };
    return row.kind === 'institutional' ? build837I(doc, envelope) : build837P(doc, envelope);
  }

  /**
   * Submits a validated claim: the 837 goes through the gateway; the 999 says whether the batch was readable, the
   * 277CA whether the payer took the claim into adjudication. All three are stored (encrypted) with the claim.
   */
  async submitClaim(ctx: AccessContext, id: string): Promise<SubmissionReport> {
    const row = await this.#row(ctx.practiceId, id);
    if (row.status !== 'validated') {
      throw new ConflictError(
        `claim ${row.patient_control_number} is ${row.status}; validate it before submitting`,
        { claimStatus: row.status },
      );
    }
    const problems = await this.#scrub(ctx, row);
    if (problems.some((p) => p.severity === 'error')) {
      throw new DomainError(
        422,
        'claim-not-clean',
        'Claim has problems',
        'the scrubber found problems since validation; fix them and validate again',
        {
          errors: problems.map((p) => ({ path: p.path, message: p.message })),
        },
      );
    }
    const x12 = await this.#build837(ctx, row, await repo.nextInterchangeNumber(this.#p.db));
    const exchange = await this.#payers.submitClaims(ctx.practiceId, row.payer_id, x12);
    const ack = parse999(exchange.response.acknowledgment).transactions[0];
    const setAck = ack?.transactionSets[0];
    const ackStatus = setAck?.status ?? ack?.groupStatus ?? 'R';
    const ackAccepted = ackStatus === 'A' || ackStatus === 'E';
    const ca = exchange.response.claimAcknowledgment
      ? parse277CA(exchange.response.claimAcknowledgment).transactions[0]
      : undefined;
    const caClaim =
      ca?.claims.find(
        (c) =>
          c.patientControlNumber === row.patient_control_number ||
          c.traceNumber === row.patient_control_number,
      ) ?? ca?.claims[0];
    const caStatuses = caClaim?.statuses.map((s) => `${s.category}:${s.code}`) ?? [];
    const caAccepted = caClaim
      ? caClaim.statuses.some((s) => s.category === 'A1' || s.category === 'A2') &&
        !caClaim.statuses.some((s) => ['A3', 'A6', 'A7', 'A8'].includes(s.category))
      : false;
    const accepted = ackAccepted && caAccepted;
    const reason = accepted
      ? `accepted by ${row.payer_id} (277CA ${caStatuses.join(' ')})`
      : !ackAccepted
        ? `999 rejected the batch (${[...(setAck?.errorCodes ?? []), ...(setAck?.segmentErrors.map((e) => `${e.segmentId}@${e.position}`) ?? [])].join(', ') || ackStatus})`
        : `277CA rejected the claim (${caStatuses.join(' ') || 'no claim acknowledgment'})`;
    const updated = await this.#p.db.transaction().execute(async (tx) => {
      const locked = (await repo.findClaimForUpdate(tx, ctx.practiceId, id))!;
      const submitted = await this.transition(
        tx,
        locked,
        'submitted',
        'submitted as 837',
        ctx.actorId ?? null,
        { transactionId: exchange.transactionId },
        { submitted_at: new Date() },
      );
      await repo.insertDocument(tx, id, '837', this.#p.cipher.encrypt(x12));
      await repo.insertDocument(tx, id, '999', this.#p.cipher.encrypt(exchange.response.acknowledgment));
      if (exchange.response.claimAcknowledgment)
        await repo.insertDocument(
          tx,
          id,
          '277CA',
          this.#p.cipher.encrypt(exchange.response.claimAcknowledgment),
        );
      return this.transition(
        tx,
        submitted,
        accepted ? 'accepted' : 'rejected',
        reason,
        ctx.actorId ?? null,
        { statuses: caStatuses },
        {
          payer_claim_number: caClaim?.payerClaimControlNumber ?? null,
        },
      );
    });
    await this.#audit(
      ctx,
      'claim.submit',
      id,
      { accepted, payerId: row.payer_id, transactionId: exchange.transactionId },
      accepted ? 'success' : 'failure',
    );
    return {
      claim: this.#toClaim(updated, await repo.linesOf(this.#p.db, [id])),
      acknowledgment: { status: ackStatus, accepted: ackAccepted, errors: setAck?.errorCodes ?? [] },
      claimAcknowledgment: caClaim
        ? {
            accepted: caAccepted,
            statuses: caStatuses,
            payerClaimNumber: caClaim.payerClaimControlNumber ?? null,
          }
        : null,
      transactionId: exchange.transactionId,
    };
  }

  // ---- remittance posting ------------------------------------------------------------------------------

  /** Claims matched to an 835's patient control numbers. */
  claimsByControlNumbers(practiceId: string, pcns: string[]): Promise<Map<string, repo.PostingClaim>> {
    return repo.claimsByControlNumbers(this.#p.db, practiceId, pcns);
  }

  /**
   * Applies many postings in the caller's transaction: amounts added, statuses moved along the state machine
   * (a claim still 'submitted' is accepted first: an 835 implies the payer took it), one event per move.
   */
  async applyPostings(
    tx: Tx,
    postings: Array<{
      claim: repo.PostingClaim;
      to: ClaimStatus;
      reason: string;
      paidCents: number;
      patientResponsibilityCents: number;
      adjustmentCents: number;
      payerClaimNumber: string | null;
      details: Record<string, unknown>;
    }>,
    actorId: string | null,
  ): Promise<void> {
    const events: Parameters<typeof repo.applyPostings>[2] = [];
    for (const p of postings) {
      let from = p.claim.status as ClaimStatus;
      if (from === 'submitted') {
        events.push({
          claim_id: p.claim.id,
          from_status: from,
          to_status: 'accepted',
          actor_id: actorId,
          reason: 'an 835 for the claim implies acceptance',
          details: '{}',
        });
        from = 'accepted';
      }
      if (from !== p.to && !TRANSITIONS[from].includes(p.to)) {
        throw new ConflictError(
          `claim ${p.claim.patient_control_number} is ${from} and cannot become ${p.to}`,
        );
      }
      events.push({
        claim_id: p.claim.id,
        from_status: from,
        to_status: p.to,
        actor_id: actorId,
        reason: p.reason,
        details: JSON.stringify(p.details),
      });
    }
    await repo.applyPostings(
      tx,
      postings.map((p) => ({
        id: p.claim.id,
        status: p.to,
        paidCents: p.paidCents,
        patientResponsibilityCents: p.patientResponsibilityCents,
        adjustmentCents: p.adjustmentCents,
        payerClaimNumber: p.payerClaimNumber,
      })),
      events,
    );
  }

  async linesOfClaims(ids: string[]): Promise<Map<string, repo.ClaimLineRow[]>> {
    const lines: repo.ClaimLineRow[] = [];
    for (let i = 0; i < ids.length; i += 50_000)
      lines.push(...(await repo.linesOf(this.#p.db, ids.slice(i, i + 50_000))));
    return Map.groupBy(lines, (l) => l.claim_id);
  }

  /** Claim lines for posting an 835 (by the claims' control numbers), grouped by claim and in line order. */
  async postingLinesOf(practiceId: string, pcns: string[]) {
    const lines = await repo.postingLinesByControlNumbers(this.#p.db, practiceId, pcns);
    lines.sort((a, b) => a.line_number - b.line_number);
    return Map.groupBy(lines, (l) => l.claim_id);
  }

  async statusesOf(ids: string[]): Promise<Map<string, ClaimStatus>> {
    const rows =
      ids.length === 0
        ? []
        : await this.#p.db
            .selectFrom('claims')
            .select(['id', 'status'])
            .where(sql<boolean>`id = ANY(${ids}::uuid[])`)
            .execute();
    return new Map(rows.map((r) => [r.id, r.status as ClaimStatus]));
  }

  /** Marks a claim appealed (from denied or partially paid), in the caller's transaction. */
  async appealClaim(tx: Tx, ctx: AccessContext, id: string, reason: string): Promise<void> {
    const row = await repo.findClaimForUpdate(tx, ctx.practiceId, id);
    if (!row) throw new NotFoundError('claim', id, '/id');
    if (row.status !== 'appealed') await this.transition(tx, row, 'appealed', reason, ctx.actorId ?? null);
  }

  /** Closes a draft nobody will bill (e.g. rejected at intake), keeping it for the record. */
  async closeDraft(ctx: AccessContext, id: string, reason: string): Promise<void> {
    await this.#p.db.transaction().execute(async (tx) => {
      const row = await repo.findClaimForUpdate(tx, ctx.practiceId, id);
      if (!row) throw new NotFoundError('claim', id, '/id');
      await this.transition(tx, row, 'closed', reason, ctx.actorId ?? null);
    });
  }
}
