/**
 * Prior authorization: decide whether the services need one (the payer's 271 and the plan's published list),
 * assemble the request (patient, provider, services, ICD-10 diagnoses, clinical justification, urgency,
 * attachments), send it as a 278, and track it: submitted → pended → approved / partially approved / denied →
 * expired, with the certification number, authorized units and dates, polling of pended requests and reminders
 * before an authorization runs out. Every read and write is audited.
 */

import { createHash, randomInt, randomUUID } from 'node:crypto';
import { icd10, isValidCptFormat, isValidHcpcsFormat } from '@intelluxe/codes';
import { build278, parse278, type ServiceReviewTransaction, x12Text } from '@intelluxe/x12';
import type { Selectable } from 'kysely';
import { addDays, isRealDate, today } from '../../platform/dates.ts';
import { seqCursor } from '../../platform/db/keyset.ts';
import { DomainError, type FieldError, NotFoundError, ValidationError } from '../../platform/errors.ts';
import { encodeCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import type { EligibilityService } from '../eligibility/service.ts';
import { explainRejection, type RejectionView } from '../eligibility/x12.ts';
import type { Coverage, Patient, Provider } from '../patients/schemas.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import { PayerBadResponseError } from '../payers/gateway.ts';
import { serviceTypeForProcedure } from '../payers/plans.ts';
import type { PayersService } from '../payers/service.ts';
import {
  authorizationRequirement,
  expectedDecisionDate,
  type Requirement,
  statusFromDecisions,
} from './rules.ts';
import type { PriorAuthsTable, PriorAuthService as ServiceLine } from './tables.ts';

interface Parties {
  patient: Patient;
  coverage: Coverage;
  payer: { id: string; name: string; x12_payer_id: string };
  provider: Provider;
}

export type Urgency = 'routine' | 'urgent' | 'emergency';
export type PriorAuthStatus =
  | 'submitted'
  | 'pended'
  | 'approved'
  | 'partially_approved'
  | 'denied'
  | 'expired';

export interface PriorAuthInput {
  patientId: string;
  payerId?: string;
  providerNpi?: string;
  services: Array<{ code: string; units?: number; modifiers?: string[]; from: string; to?: string }>;
  diagnoses: string[];
  justification: string;
  urgency?: Urgency;
  attachments?: Array<{ name: string; kind: string; pages?: number }>;
  placeOfService?: string;
}

export interface PriorAuth {
  id: string;
  patientId: string;
  payerId: string;
  providerNpi: string;
  status: PriorAuthStatus;
  urgency: Urgency;
  services: ServiceLine[];
  diagnoses: string[];
  justification: string;
  /** `controlNumber` is the PWK06 the document is faxed under (absent on requests from before it was sent). */
  attachments: Array<{ name: string; kind: string; pages?: number; controlNumber?: string }>;
  requirementReasons: string[];
  trackingNumber: string | null;
  certificationNumber: string | null;
  authorizedUnits: number | null;
  authorizedFrom: string | null;
  authorizedTo: string | null;
  decisionDate: string | null;
  decisionReason: string | null;
  expectedDecisionDate: string;
  submittedAt: string;
  lastPolledAt: string | null;
  polls: number;
  reminderSentAt: string | null;
  history: Array<{ from: string | null; to: string; detail: string; at: string }>;
}

export interface PriorAuthOutcome {
  required: boolean;
  requirements: Requirement[];
  eligibilityCheckId: string;
  priorAuth: PriorAuth | null;
}

export const ATTACHMENT_KINDS = [
  'clinical_notes',
  'imaging_report',
  'lab_results',
  'letter_of_medical_necessity',
  'photographs',
  'other',
] as const;

/** PWK01 report type of each attachment kind (X12 code list 755). */
const REPORT_TYPE: Record<(typeof ATTACHMENT_KINDS)[number], string> = {
  clinical_notes: 'M1',
  imaging_report: 'RR',
  lab_results: 'LA',
  letter_of_medical_necessity: '03',
  photographs: 'XP',
  other: 'OZ',
};

/**
 * The attachment control number (PWK06) the practice writes on the fax cover sheet: the request's reference and
 * the attachment's position.
 */
export function attachmentControlNumber(referenceId: string, index: number): string {
  return `${referenceId.slice(0, 12).toUpperCase()}-${index + 1}`;
}

const LEVEL: Record<Urgency, string> = { routine: 'E', urgent: 'U', emergency: '03' };
/** HCR03 reasons the sandbox and common payers give, in words. */
const DECISION_REASONS: Record<string, string> = {
  MN: 'medical necessity not established from the documentation sent',
};

const instances = new WeakMap<Platform, PriorAuthsService>();

export class PriorAuthsService {
  static of(platform: Platform): PriorAuthsService | undefined {
    return instances.get(platform);
  }

  readonly #p: Platform;
  readonly #patients: PatientsService;
  readonly #payers: PayersService;
  readonly #eligibility: EligibilityService;

  constructor(
    platform: Platform,
    patients: PatientsService,
    payers: PayersService,
    eligibility: EligibilityService,
  ) {
    this.#p = platform;
    this.#patients = patients;
    this.#payers = payers;
    this.#eligibility = eligibility;
    if (!instances.has(platform)) instances.set(platform, this);
  }

  /**
   * The services' codes, units and dates. A request must also start within the last 14 days (older care needs a
   * retro-authorization); asking whether care needed authorization has no such limit.
   */
  #validateServices(services: PriorAuthInput['services'], request: boolean): FieldError[] {
    const errors: FieldError[] = [];
    if (services.length === 0) errors.push({ path: '/services', message: 'must list at least one service' });
    services.forEach((s, i) => {
      if (!isValidCptFormat(s.code) && !isValidHcpcsFormat(s.code))
        errors.push({ path: `/services/${i}/code`, message: `${s.code} is not a CPT or HCPCS code` });
      if (s.units !== undefined && (!Number.isInteger(s.units) || s.units < 1 || s.units > 999))
        errors.push({ path: `/services/${i}/units`, message: 'must be a whole number from 1 to 999' });
      if (!isRealDate(s.from))
        errors.push({ path: `/services/${i}/from`, message: 'is not a calendar date' });
      else if (request && s.from < addDays(today(), -14))
        errors.push({
          path: `/services/${i}/from`,
          message: 'is more than 14 days ago: ask the payer for a retro-authorization',
        });
      if (s.to !== undefined) {
        if (!isRealDate(s.to)) errors.push({ path: `/services/${i}/to`, message: 'is not a calendar date' });
        else if (isRealDate(s.from) && s.to < s.from)
          errors.push({ path: `/services/${i}/to`, message: 'is before from' });
        else if (isRealDate(s.from) && s.to > addDays(s.from, 365))
          errors.push({ path: `/services/${i}/to`, message: 'is more than a year after from' });
      }
    });
    return errors;
  }

  #validate(input: PriorAuthInput): FieldError[] {
    const errors = this.#validateServices(input.services, true);
    if (input.diagnoses.length === 0)
      errors.push({ path: '/diagnoses', message: 'must list at least one ICD-10-CM diagnosis' });
    input.diagnoses.forEach((code, i) => {
      const entry = icd10.get(code);
      if (!entry) errors.push({ path: `/diagnoses/${i}`, message: `${code} is not an ICD-10-CM code` });
      else if (!icd10.isBillable(code))
        errors.push({
          path: `/diagnoses/${i}`,
          message: `${code} is a category, not a billable ICD-10-CM code`,
        });
    });
    const justification = input.justification.trim();
    if (justification.length < 20)
      errors.push({
        path: '/justification',
        message: 'must explain the clinical need (at least 20 characters)',
      });
    input.attachments?.forEach((a, i) => {
      if (!(ATTACHMENT_KINDS as readonly string[]).includes(a.kind))
        errors.push({
          path: `/attachments/${i}/kind`,
          message: `must be one of ${ATTACHMENT_KINDS.join(', ')}`,
        });
    });
    if (input.placeOfService !== undefined && !/^\d{2}$/.test(input.placeOfService))
      errors.push({ path: '/placeOfService', message: 'must be a two-digit place of service code' });
    return errors;
  }

  #audit(
    ctx: AccessContext,
    action: string,
    resourceId: string | null,
    details: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ) {
    const { purpose, practiceId, ...actor } = ctx;
    return this.#p.audit.record({
      ...actor,
      practiceId,
      purpose,
      action,
      outcome,
      resourceType: 'prior_auth',
      resourceId,
      details,
    });
  }

  /** `requirements` for a caller's question: the services are validated first (400 naming the field). */
  async checkRequirements(
    ctx: AccessContext,
    input: Pick<PriorAuthInput, 'patientId' | 'payerId' | 'providerNpi' | 'services' | 'urgency'>,
  ) {
    const errors = this.#validateServices(input.services, false);
    if (errors.length) throw new ValidationError(errors);
    return this.requirements(ctx, input);
  }

  /** Decides whether the services need authorization (runs an eligibility check with the procedure codes). */
  async requirements(
    ctx: AccessContext,
    input: Pick<PriorAuthInput, 'patientId' | 'payerId' | 'providerNpi' | 'services' | 'urgency'>,
  ) {
    const codes = [...new Set(input.services.map((s) => s.code.toUpperCase()))];
    const firstDay = input.services.map((s) => s.from).sort()[0] ?? today();
    const dateOfService = firstDay > addDays(today(), 180) || firstDay < today() ? today() : firstDay;
    const check = await this.#eligibility.check(
      ctx,
      {
        patientId: input.patientId,
        ...(input.payerId && { payerId: input.payerId }),
        ...(input.providerNpi && { providerNpi: input.providerNpi }),
        procedureCodes: codes,
        dateOfService,
      },
      'prior_auth',
    );
    const coverage = check.coverage!;
    if (coverage.status === 'rejected') {
      throw new DomainError(
        422,
        'eligibility-rejected',
        'Eligibility rejected',
        `the payer rejected the eligibility inquiry: ${coverage.rejections.map((r) => r.explanation).join('; ')}`,
        {
          extensions: { eligibilityCheckId: check.id, rejections: coverage.rejections },
        },
      );
    }
    if (!coverage.active) {
      throw new DomainError(
        422,
        'coverage-inactive',
        'Coverage not active',
        `the patient's ${check.payerId} coverage is not active on ${check.dateOfService}`,
        {
          extensions: { eligibilityCheckId: check.id },
        },
      );
    }
    const policy = this.#payers.policy(check.payerId, coverage.plan.name);
    const requirements = codes.map((code) => {
      const proc = coverage.procedures.find((p) => p.code === code) ?? null;
      const st =
        coverage.serviceTypes.find((s) => s.code === (proc?.serviceType ?? serviceTypeForProcedure(code))) ??
        null;
      return authorizationRequirement({
        code,
        urgency: input.urgency ?? 'routine',
        planName: coverage.plan.name,
        policyCodes: policy?.priorAuthCodes ?? null,
        procedureFlag: proc
          ? { authorizationRequired: proc.authorizationRequired, covered: proc.covered }
          : null,
        serviceTypeFlag: st ? { code: st.code, authorizationRequired: st.authorizationRequired } : null,
      });
    });
    return { check, requirements };
  }

  async #parties(ctx: AccessContext, patientId: string, payerId: string, npi: string): Promise<Parties> {
    const [patient, payers, providers] = await Promise.all([
      this.#patients.getPatient(ctx, patientId),
      this.#payers.listPayers(),
      this.#patients.listProviders(ctx.practiceId),
    ]);
    const coverage = patient.coverages.find((c) => c.payerId === payerId)!;
    const payer = payers.find((p) => p.id === payerId)!;
    const provider = providers.find((p) => p.npi === npi)!;
    return { patient, coverage, payer, provider };
  }

  #review(
    parties: Parties,
    lines: ServiceLine[],
    diagnoses: string[],
    urgency: Urgency,
    placeOfService: string,
    trackingNumber: string | null,
    referenceId: string,
    documentation?: { justification: string; attachments: Array<{ name: string; kind: string }> },
  ): ServiceReviewTransaction {
    const { patient, coverage, payer, provider } = parties;
    const now = new Date().toISOString();
    const from = lines.map((l) => l.from).sort()[0]!;
    const to = lines
      .map((l) => l.to)
      .sort()
      .at(-1)!;
    return {
      kind: 'request',
      referenceId,
      date: now.slice(0, 10),
      time: now.slice(11, 16),
      umo: {
        type: 'organization',
        name: payer.name.toUpperCase(),
        idQualifier: 'PI',
        id: payer.x12_payer_id,
      },
      requester:
        provider.kind === 'organization'
          ? {
              type: 'organization',
              name: provider.lastName.toUpperCase(),
              idQualifier: 'XX',
              id: provider.npi,
            }
          : {
              type: 'person',
              name: provider.lastName.toUpperCase(),
              ...(provider.firstName && { firstName: provider.firstName.toUpperCase() }),
              idQualifier: 'XX',
              id: provider.npi,
            },
      subscriber: {
        type: 'person',
        name: patient.lastName.toUpperCase(),
        firstName: patient.firstName.toUpperCase(),
        idQualifier: 'MI',
        id: coverage.memberId,
        dateOfBirth: patient.dateOfBirth,
        gender: patient.sex === 'female' ? 'F' : patient.sex === 'male' ? 'M' : 'U',
      },
      traceNumbers: [
        {
          type: '1',
          number: referenceId.slice(0, 20).toUpperCase(),
          originatorId: `9${createHash('sha256').update(parties.patient.id).digest().readUInt32BE(0).toString().padStart(9, '0').slice(0, 9)}`,
        },
      ],
      rejections: [],
      event: {
        review: {
          requestCategory: 'HS',
          certificationType: 'I',
          serviceType: lines[0]!.serviceType,
          facilityCode: placeOfService,
          facilityQualifier: 'B',
          levelOfService: LEVEL[urgency],
        },
        ...(trackingNumber && { administrativeReference: trackingNumber }),
        dates: [{ qualifier: 'AAH', range: { start: from, end: to } }],
        // The documentation goes out once, with the first request: the justification's opening as MSG, and a PWK
        // per attachment (faxed with its control number; the payer matches them up).
        ...(documentation && {
          message: x12Text(documentation.justification).slice(0, 264),
          ...(documentation.attachments.length > 0 && {
            attachments: documentation.attachments.map((a, i) => ({
              reportType: REPORT_TYPE[a.kind as keyof typeof REPORT_TYPE] ?? 'OZ',
              transmission: 'FX',
              controlNumber: attachmentControlNumber(referenceId, i),
              description: x12Text(a.name).slice(0, 80),
            })),
          }),
        }),
        providers: [],
        diagnoses: diagnoses.map((code, i) => ({
          qualifier: i === 0 ? 'ABK' : 'ABF',
          code: code.replace('.', '').toUpperCase(),
        })),
      },
      services: lines.map((l) => ({
        review: { requestCategory: 'HS', certificationType: 'I', serviceType: l.serviceType },
        procedure: { qualifier: 'HC', code: l.code, modifiers: l.modifiers },
        unitType: 'UN',
        units: l.units,
        dates: [{ qualifier: '472', range: { start: l.from, end: l.to } }],
        providers: [],
      })),
    };
  }

  /** Sends a 278 and reads the payer's decisions back onto the service lines. */
  async #send(
    ctx: AccessContext,
    payerId: string,
    x12Id: string,
    review: ServiceReviewTransaction,
    lines: ServiceLine[],
  ) {
    const x12 = build278(review, {
      senderId: this.#p.config.payers.core.senderId,
      receiverId: x12Id,
      interchangeControlNumber: randomInt(1, 999_999_999),
      usage: this.#payers.gateway.name === 'sandbox' ? 'T' : 'P',
    });
    const exchange = await this.#payers.priorAuth(ctx.practiceId, payerId, x12);
    const response = parse278(exchange.response).transactions[0];
    if (!response)
      throw new PayerBadResponseError(payerId, '278 response', exchange.attempts, exchange.transactionId);
    if (response.rejections.length > 0) {
      const rejections: RejectionView[] = response.rejections.map(explainRejection);
      throw new DomainError(
        422,
        'prior-auth-rejected',
        'Prior authorization request rejected',
        `the payer rejected the request: ${rejections.map((r) => r.explanation).join('; ')}`,
        {
          extensions: { rejections, transactionId: exchange.transactionId },
        },
      );
    }
    const updated = lines.map((line) => {
      const answer = response.services.find((s) => s.procedure?.code === line.code);
      if (!answer?.decision) return line;
      const range = answer.dates.find((d) => d.qualifier === '472')?.range;
      return {
        ...line,
        decision: answer.decision.action,
        certificationNumber: answer.decision.certificationNumber ?? answer.authorizationNumber ?? null,
        authorizedUnits: answer.quantity?.quantity ?? (answer.decision.action === 'A1' ? line.units : null),
        authorizedFrom: range?.start ?? null,
        authorizedTo: range?.end ?? range?.start ?? null,
        ...(answer.decision.reasonCode && { reasonCode: answer.decision.reasonCode }),
      };
    });
    const reason = response.services.map((s) => s.decision?.reasonCode).find((r) => r !== undefined);
    return {
      transactionId: exchange.transactionId,
      trackingNumber: response.event.administrativeReference ?? null,
      lines: updated.map(({ reasonCode: _r, ...l }: ServiceLine & { reasonCode?: string }) => l),
      reason: reason ? (DECISION_REASONS[reason] ?? `payer reason code ${reason}`) : null,
    };
  }

  #decisionColumns(lines: ServiceLine[], status: PriorAuthStatus, reason: string | null) {
    const approved = lines.filter((l) => l.decision === 'A1' || l.decision === 'A2');
    const decided = status !== 'pended' && status !== 'submitted';
    return {
      certification_number: approved.find((l) => l.certificationNumber)?.certificationNumber ?? null,
      authorized_units: approved.length ? approved.reduce((s, l) => s + (l.authorizedUnits ?? 0), 0) : null,
      authorized_from:
        approved
          .map((l) => l.authorizedFrom)
          .filter((d): d is string => !!d)
          .sort()[0] ?? null,
      authorized_to:
        approved
          .map((l) => l.authorizedTo)
          .filter((d): d is string => !!d)
          .sort()
          .at(-1) ?? null,
      decision_date: decided ? today() : null,
      decision_reason: decided ? reason : null,
    };
  }

  async create(ctx: AccessContext, input: PriorAuthInput): Promise<PriorAuthOutcome> {
    const errors = this.#validate(input);
    if (errors.length) throw new ValidationError(errors);
    const urgency = input.urgency ?? 'routine';
    const { check, requirements } = await this.requirements(ctx, input);
    const required = requirements.filter((r) => r.required);
    if (required.length === 0) {
      await this.#audit(ctx, 'prior_auth.not_required', null, {
        patientId: input.patientId,
        payerId: check.payerId,
        codes: requirements.map((r) => r.code),
      });
      return { required: false, requirements, eligibilityCheckId: check.id, priorAuth: null };
    }
    const parties = await this.#parties(ctx, input.patientId, check.payerId, check.providerNpi);
    const lines: ServiceLine[] = input.services
      .filter((s) => required.some((r) => r.code === s.code.toUpperCase()))
      .map((s) => ({
        code: s.code.toUpperCase(),
        modifiers: s.modifiers ?? [],
        units: s.units ?? 1,
        serviceType: serviceTypeForProcedure(s.code),
        from: s.from,
        to: s.to ?? addDays(s.from, 89),
        decision: null,
        certificationNumber: null,
        authorizedUnits: null,
        authorizedFrom: null,
        authorizedTo: null,
      }));
    const referenceId = randomUUID().replaceAll('-', '').slice(0, 30);
    const review = this.#review(
      parties,
      lines,
      input.diagnoses,
      urgency,
      input.placeOfService ?? '11',
      null,
      referenceId,
      { justification: input.justification, attachments: input.attachments ?? [] },
    );
    const sent = await this.#send(ctx, check.payerId, parties.payer.x12_payer_id, review, lines);
    const status = statusFromDecisions(sent.lines.map((l) => l.decision ?? 'A4'));
    const submittedAt = new Date();
    const id = await this.#p.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('prior_auths')
        .values({
          practice_id: ctx.practiceId,
          patient_id: input.patientId,
          payer_id: check.payerId,
          provider_id: parties.provider.id,
          provider_npi: parties.provider.npi,
          status,
          urgency,
          services: JSON.stringify(sent.lines),
          diagnoses: JSON.stringify(input.diagnoses.map((d) => d.toUpperCase())),
          justification_enc: this.#p.cipher.encrypt(input.justification.trim()),
          attachments: JSON.stringify(
            (input.attachments ?? []).map((a, i) => ({
              ...a,
              controlNumber: attachmentControlNumber(referenceId, i),
            })),
          ),
          requirement_reasons: JSON.stringify(required.flatMap((r) => r.reasons)),
          tracking_number: sent.trackingNumber,
          ...this.#decisionColumns(sent.lines, status, sent.reason),
          expected_decision_date: expectedDecisionDate(today(), urgency),
          submitted_at: submittedAt,
          last_transaction_id: sent.transactionId,
          created_by: ctx.actorId ?? null,
          updated_at: new Date(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('prior_auth_events')
        .values([
          {
            prior_auth_id: row.id,
            from_status: null,
            to_status: 'submitted',
            detail: `278 sent to ${check.payerId} (${lines.length} service${lines.length === 1 ? '' : 's'})`,
            transaction_id: sent.transactionId,
            actor_id: ctx.actorId ?? null,
          },
          {
            prior_auth_id: row.id,
            from_status: 'submitted',
            to_status: status,
            detail: this.#describe(status, sent.lines, sent.reason),
            transaction_id: sent.transactionId,
            actor_id: ctx.actorId ?? null,
          },
        ])
        .execute();
      return row.id;
    });
    await this.#audit(ctx, 'prior_auth.create', id, {
      patientId: input.patientId,
      payerId: check.payerId,
      status,
      codes: lines.map((l) => l.code),
    });
    return {
      required: true,
      requirements,
      eligibilityCheckId: check.id,
      priorAuth: await this.#load(ctx.practiceId, id),
    };
  }

  #describe(status: PriorAuthStatus, lines: ServiceLine[], reason: string | null): string {
    const certs = lines
      .filter((l) => l.certificationNumber)
      .map(
        (l) =>
          `${l.code} ${l.certificationNumber} (${l.authorizedUnits ?? '?'} units, ${l.authorizedFrom}–${l.authorizedTo})`,
      );
    switch (status) {
      case 'pended':
        return 'the payer pended the request for clinical review';
      case 'approved':
        return `approved: ${certs.join('; ')}`;
      case 'partially_approved':
        return `partially approved: ${certs.join('; ')}`;
      case 'denied':
        return `denied${reason ? `: ${reason}` : ''}`;
      default:
        return status;
    }
  }

  /** Asks the payer about a pended request again (the 278 carries the payer's tracking number). */
  async poll(ctx: AccessContext, id: string): Promise<PriorAuth> {
    const row = await this.#p.db
      .selectFrom('prior_auths')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', ctx.practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('prior authorization', id, '/id');
    if (row.status !== 'pended' && row.status !== 'submitted') return this.get(ctx, id);
    const parties = await this.#parties(ctx, row.patient_id, row.payer_id, row.provider_npi);
    const review = this.#review(
      parties,
      row.services,
      row.diagnoses,
      row.urgency as Urgency,
      '11',
      row.tracking_number,
      randomUUID().replaceAll('-', '').slice(0, 30),
    );
    const sent = await this.#send(ctx, row.payer_id, parties.payer.x12_payer_id, review, row.services);
    const status = statusFromDecisions(sent.lines.map((l) => l.decision ?? 'A4'));
    await this.#p.db.transaction().execute(async (tx) => {
      await tx
        .updateTable('prior_auths')
        .set({
          status,
          services: JSON.stringify(sent.lines),
          ...this.#decisionColumns(sent.lines, status, sent.reason),
          last_polled_at: new Date(),
          polls: row.polls + 1,
          last_transaction_id: sent.transactionId,
          updated_at: new Date(),
        })
        .where('id', '=', id)
        .execute();
      if (status !== row.status) {
        await tx
          .insertInto('prior_auth_events')
          .values({
            prior_auth_id: id,
            from_status: row.status,
            to_status: status,
            detail: this.#describe(status, sent.lines, sent.reason),
            transaction_id: sent.transactionId,
            actor_id: ctx.actorId ?? null,
          })
          .execute();
      }
    });
    await this.#audit(ctx, 'prior_auth.poll', id, { from: row.status, to: status });
    return this.#load(ctx.practiceId, id);
  }

  async #load(practiceId: string, id: string): Promise<PriorAuth> {
    const row = await this.#p.db
      .selectFrom('prior_auths')
      .selectAll()
      .where('id', '=', id)
      .where('practice_id', '=', practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('prior authorization', id, '/id');
    const events = await this.#p.db
      .selectFrom('prior_auth_events')
      .selectAll()
      .where('prior_auth_id', '=', id)
      .orderBy('at')
      .execute();
    return this.#toView(row, events);
  }

  #toView(
    row: Selectable<PriorAuthsTable>,
    events: Array<{ from_status: string | null; to_status: string; detail: string; at: Date }>,
  ): PriorAuth {
    return {
      id: row.id,
      patientId: row.patient_id,
      payerId: row.payer_id,
      providerNpi: row.provider_npi,
      status: row.status as PriorAuthStatus,
      urgency: row.urgency as Urgency,
      services: row.services,
      diagnoses: row.diagnoses,
      justification: this.#p.cipher.decrypt(row.justification_enc),
      attachments: row.attachments,
      requirementReasons: row.requirement_reasons,
      trackingNumber: row.tracking_number,
      certificationNumber: row.certification_number,
      authorizedUnits: row.authorized_units,
      authorizedFrom: row.authorized_from,
      authorizedTo: row.authorized_to,
      decisionDate: row.decision_date,
      decisionReason: row.decision_reason,
      expectedDecisionDate: row.expected_decision_date,
      submittedAt: row.submitted_at.toISOString(),
      lastPolledAt: row.last_polled_at?.toISOString() ?? null,
      polls: row.polls,
      reminderSentAt: row.reminder_sent_at?.toISOString() ?? null,
      history: events.map((e) => ({
        from: e.from_status,
        to: e.to_status,
        detail: e.detail,
        at: e.at.toISOString(),
      })),
    };
  }

  async get(ctx: AccessContext, id: string): Promise<PriorAuth> {
    const auth = await this.#load(ctx.practiceId, id);
    await this.#audit(ctx, 'prior_auth.read', id, { patientId: auth.patientId });
    return auth;
  }

  async list(
    ctx: AccessContext,
    query: {
      status?: PriorAuthStatus;
      patientId?: string;
      payerId?: string;
      limit?: number;
      cursor?: string;
    },
  ): Promise<{ items: PriorAuth[]; nextCursor: string | null }> {
    const limit = query.limit ?? 50;
    const after = seqCursor(query.cursor);
    let q = this.#p.db.selectFrom('prior_auths').selectAll().where('practice_id', '=', ctx.practiceId);
    if (query.status) q = q.where('status', '=', query.status);
    if (query.patientId) q = q.where('patient_id', '=', query.patientId);
    if (query.payerId) q = q.where('payer_id', '=', query.payerId);
    if (after !== null) q = q.where('seq', '<', after);
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const events = page.length
      ? await this.#p.db
          .selectFrom('prior_auth_events')
          .selectAll()
          .where(
            'prior_auth_id',
            'in',
            page.map((r) => r.id),
          )
          .orderBy('at')
          .execute()
      : [];
    const byAuth = Map.groupBy(events, (e) => e.prior_auth_id);
    await this.#audit(ctx, 'prior_auth.search', null, {
      count: page.length,
      status: query.status ?? null,
      patientId: query.patientId ?? null,
    });
    const last = page[page.length - 1];
    return {
      items: page.map((r) => this.#toView(r, byAuth.get(r.id) ?? [])),
      nextCursor: rows.length > limit && last ? encodeCursor([last.seq]) : null,
    };
  }

  /** Polls every pended request of a practice (the polling job). Returns how many changed status. */
  async pollPended(ctx: AccessContext): Promise<{ polled: number; decided: number; errors: number }> {
    const pended = await this.#p.db
      .selectFrom('prior_auths')
      .select(['id'])
      .where('practice_id', '=', ctx.practiceId)
      .where('status', 'in', ['pended', 'submitted'])
      .execute();
    let decided = 0;
    let errors = 0;
    for (const { id } of pended) {
      try {
        const after = await this.poll(ctx, id);
        if (after.status !== 'pended' && after.status !== 'submitted') decided++;
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        errors++;
      }
    }
    return { polled: pended.length, decided, errors };
  }

  /**
   * Reminders before authorizations run out (within `windowDays`, once each) and expiry of those that have.
   * A reminder is an audit event the practice's notification channel picks up, and the reminderSentAt mark.
   */
  async remindAndExpire(
    ctx: AccessContext,
    on = today(),
    windowDays = 14,
  ): Promise<{ reminded: string[]; expired: string[] }> {
    const decided = ['approved', 'partially_approved'];
    const expiring = await this.#p.db
      .selectFrom('prior_auths')
      .select(['id', 'patient_id', 'authorized_to'])
      .where('practice_id', '=', ctx.practiceId)
      .where('status', 'in', decided)
      .where('reminder_sent_at', 'is', null)
      .where('authorized_to', '>=', on)
      .where('authorized_to', '<=', addDays(on, windowDays))
      .execute();
    for (const a of expiring) {
      await this.#p.db
        .updateTable('prior_auths')
        .set({ reminder_sent_at: new Date(), updated_at: new Date() })
        .where('id', '=', a.id)
        .execute();
      await this.#audit(ctx, 'prior_auth.reminder', a.id, {
        patientId: a.patient_id,
        authorizedTo: a.authorized_to,
      });
    }
    const lapsed = await this.#p.db
      .selectFrom('prior_auths')
      .select(['id', 'status', 'authorized_to'])
      .where('practice_id', '=', ctx.practiceId)
      .where('status', 'in', decided)
      .where('authorized_to', '<', on)
      .execute();
    for (const a of lapsed) {
      await this.#p.db.transaction().execute(async (tx) => {
        await tx
          .updateTable('prior_auths')
          .set({ status: 'expired', updated_at: new Date() })
          .where('id', '=', a.id)
          .execute();
        await tx
          .insertInto('prior_auth_events')
          .values({
            prior_auth_id: a.id,
            from_status: a.status,
            to_status: 'expired',
            detail: `authorization ended ${a.authorized_to}`,
            transaction_id: null,
            actor_id: ctx.actorId ?? null,
          })
          .execute();
      });
      await this.#audit(ctx, 'prior_auth.expire', a.id, { authorizedTo: a.authorized_to });
    }
    return { reminded: expiring.map((a) => a.id), expired: lapsed.map((a) => a.id) };
  }

  /** The last 278 sent for a request and the payer's 278 answer (decrypted; audited). */
  async x12(
    ctx: AccessContext,
    id: string,
  ): Promise<{
    priorAuthId: string;
    transactionId: string | null;
    request: string | null;
    response: string | null;
  }> {
    const row = await this.#p.db
      .selectFrom('prior_auths')
      .select(['id', 'patient_id', 'last_transaction_id'])
      .where('id', '=', id)
      .where('practice_id', '=', ctx.practiceId)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('prior authorization', id, '/id');
    const tx = row.last_transaction_id
      ? await this.#payers.transaction(ctx.practiceId, row.last_transaction_id)
      : null;
    await this.#audit(ctx, 'prior_auth.x12.read', id, {
      patientId: row.patient_id,
      transactionId: row.last_transaction_id,
    });
    return {
      priorAuthId: id,
      transactionId: row.last_transaction_id,
      request: tx?.request ?? null,
      response: tx?.response ?? null,
    };
  }

  /** Counts by status (the seed-compatible status endpoint). */
  async statusSummary(ctx: AccessContext): Promise<Record<string, number>> {
    const rows = await this.#p.db
      .selectFrom('prior_auths')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('practice_id', '=', ctx.practiceId)
      .groupBy('status')
      .execute();
    const out: Record<string, number> = {
      submitted: 0,
      pended: 0,
      approved: 0,
      partially_approved: 0,
      denied: 0,
      expired: 0,
    };
    for (const r of rows) out[r.status] = Number(r.count);
    return out;
  }
}
