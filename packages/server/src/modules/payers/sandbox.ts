/**
 * The sandbox clearinghouse: simulated payers that read the X12 they receive and answer with X12 they write,
 * from the plans in plans.ts and a member file of their own (seeded from the practice's coverages on the first
 * 270 that names a member, with deterministic plan-year accumulators). Faults can be injected per payer.
 */
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Benefit,
  build271,
  build277,
  build278,
  build999,
  type ClaimStatusDetail,
  type EligibilityRequest,
  type EligibilityResponseInput,
  type Entity,
  type EnvelopeOptions,
  type ImplementationAcknowledgment,
  parse270,
  parse276,
  parse278,
  parse837,
  parseInterchange,
  type Rejection,
  type ReviewItem,
  type ServiceReviewTransaction,
} from '@intelluxe/x12';
import type { FieldCipher } from '../../platform/crypto.ts';
import { addDays, today } from '../../platform/dates.ts';
import type { Db } from '../../platform/db/index.ts';
import {
  type ClaimSubmissionAnswer,
  type GatewayCall,
  GatewayTransportError,
  type PayerGateway,
} from './gateway.ts';
import {
  findPlan,
  MEMBER_ID_FORMATS,
  type PlanDefinition,
  PREVENTIVE_SERVICE_TYPES,
  serviceTypeForProcedure,
} from './plans.ts';
import { type AdjudicableClaim, adjudicateAndQueue } from './sandbox-remittance.ts';

/** A coverage as the practice has it, which the sandbox payer copies into its member file. */
export interface DirectoryCoverage {
  planName: string | null;
  planType: string | null;
  groupNumber: string | null;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  sex: string;
  effectiveDate: string;
  terminationDate: string | null;
}

/** Where the sandbox finds the members it has not seen yet (the patients service, by member id blind index). */
export interface SandboxMemberSource {
  findCoverage(practiceId: string, payerId: string, memberId: string): Promise<DirectoryCoverage | null>;
}

export type SandboxFault =
  | { kind: 'latency'; ms: number }
  | { kind: 'timeout' }
  | { kind: 'unreachable' }
  | { kind: 'malformed' }
  | { kind: 'reject'; code: string; followUp?: string };

interface PayerEntry {
  id: string;
  name: string;
  x12Id: string;
}

interface Member {
  id: string;
  payerId: string;
  memberId: string;
  plan: PlanDefinition;
  groupNumber: string | null;
  firstName: string;
  lastName: string;
  dateOfBirth: string;
  gender: string;
  effectiveDate: string;
  terminationDate: string | null;
  planYearStart: string;
  deductibleMet: number;
  familyDeductibleMet: number;
  oopMet: number;
  familyOopMet: number;
}

export interface Accumulators {
  deductibleMetCents: number;
  oopMetCents: number;
  familyDeductibleMetCents?: number;
  familyOopMetCents?: number;
}

const hashBytes = (text: string) => createHash('sha256').update(text).digest();
const digitsOf = (bytes: Buffer, n: number) =>
  Array.from(bytes.subarray(0, n), (b) => String(b % 10)).join('');
const roundTo = (cents: number, step: number) => Math.round(cents / step) * step;

/** Plan-year accumulators for a member the sandbox has just met: the same member id always gets the same ones. */
export function seededAccumulators(payerId: string, memberId: string, plan: PlanDefinition): Accumulators {
  const h = hashBytes(`${payerId}|${memberId}`);
  const ded = plan.deductible.in.individual;
  const famDed = plan.deductible.in.family;
  const oop = plan.outOfPocket?.in.individual ?? null;
  const famOop = plan.outOfPocket?.in.family ?? null;
  const bucket = h[0]! % 100;
  let deductibleMet = 0;
  let oopMet = 0;
  if (bucket >= 35 && bucket < 65) {
    deductibleMet = roundTo(ded * (h[1]! / 255) * 0.9, 100);
    oopMet = deductibleMet;
  } else if (bucket >= 65 && bucket < 90) {
    deductibleMet = ded;
    oopMet = oop === null ? ded : ded + roundTo(((oop - ded) * h[2]!) / 255 / 2, 100);
  } else if (bucket >= 90) {
    deductibleMet = ded;
    oopMet = oop === null ? ded : oop - 5_000;
  }
  const familyDeductibleMet = Math.min(famDed, deductibleMet + roundTo((ded * h[3]!) / 255 / 2, 100));
  const familyOopMet =
    famOop === null ? familyDeductibleMet : Math.min(famOop, oopMet + roundTo((ded * h[4]!) / 255 / 2, 100));
  return {
    deductibleMetCents: deductibleMet,
    oopMetCents: oopMet,
    familyDeductibleMetCents: familyDeductibleMet,
    familyOopMetCents: familyOopMet,
  };
}

export interface ReviewOutcome {
  status: 'approved' | 'partial' | 'denied';
  certification: string | null;
  units: number;
  reason: string | null;
}

/**
 * The sandbox payer's clinical review of one service: the same member and code always get the same outcome
 * (70% approved, 15% partially approved when more than one unit was asked for, 15% denied for medical necessity).
 */
export function reviewOutcome(payerId: string, memberId: string, code: string, units: number): ReviewOutcome {
  const h = hashBytes(`${payerId}|${memberId}|${code}`);
  const roll = h[0]! % 100;
  const certification = `AUTH${digitsOf(h.subarray(1), 9)}`;
  if (roll < 70 || (roll < 85 && units <= 1))
    return { status: 'approved', certification, units, reason: null };
  if (roll < 85)
    return { status: 'partial', certification, units: Math.max(1, Math.floor(units / 2)), reason: null };
  return { status: 'denied', certification: null, units: 0, reason: 'MN' };
}

/** Service-line lookups of the 270 that the typed mapper does not keep: EQ02 procedure composites. */
export function requestedProcedures(x12: string): string[] {
  const doc = parseInterchange(x12, { validateElements: false });
  const t = doc.table;
  const codes: string[] = [];
  for (const tx of doc.transactions) {
    for (let i = tx.start; i <= tx.end; i++) {
      if (t.id(i) === 'EQ' && t.has(i, 2) && t.comp(i, 2, 2)) codes.push(t.comp(i, 2, 2));
    }
  }
  return codes;
}

export class SandboxClearinghouse implements PayerGateway {
  readonly name = 'sandbox' as const;
  readonly #db: Db;
  readonly #cipher: FieldCipher;
  readonly #source: SandboxMemberSource;
  readonly #faults = new Map<string, { fault: SandboxFault; remaining: number | null }>();
  #payers: Promise<PayerEntry[]> | null = null;

  constructor(db: Db, cipher: FieldCipher, source: SandboxMemberSource) {
    this.#db = db;
    this.#cipher = cipher;
    this.#source = source;
  }

  /** Injects a fault for a payer's next `times` calls (every call when omitted); `null` clears it. */
  setFault(payerId: string, fault: SandboxFault | null, times?: number): void {
    if (fault === null) this.#faults.delete(payerId);
    else this.#faults.set(payerId, { fault, remaining: times ?? null });
  }

  faultOf(payerId: string): SandboxFault | null {
    return this.#faults.get(payerId)?.fault ?? null;
  }

  /** Sets a member's plan-year accumulators (deductible met, out-of-pocket used), seeding the member if new. */
  async setAccumulators(
    practiceId: string,
    payerId: string,
    memberId: string,
    values: Accumulators,
  ): Promise<void> {
    const member = await this.#member(practiceId, payerId, memberId);
    if (!member) throw new Error(`sandbox payer ${payerId} has no member ${memberId}`);
    await this.#db
      .updateTable('sandbox_members')
      .set({
        deductible_met_cents: values.deductibleMetCents,
        oop_met_cents: values.oopMetCents,
        family_deductible_met_cents: values.familyDeductibleMetCents ?? values.deductibleMetCents,
        family_oop_met_cents: values.familyOopMetCents ?? values.oopMetCents,
        updated_at: new Date(),
      })
      .where('id', '=', member.id)
      .execute();
  }

  async #payerList(): Promise<PayerEntry[]> {
    this.#payers ??= this.#db
      .selectFrom('payers')
      .select(['id', 'name', 'x12_payer_id'])
      .execute()
      .then((rows) => rows.map((r) => ({ id: r.id, name: r.name, x12Id: r.x12_payer_id })));
    return this.#payers;
  }

  async #payer(payerId: string): Promise<PayerEntry> {
    const found = (await this.#payerList()).find((p) => p.id === payerId || p.x12Id === payerId);
    if (!found) throw new GatewayTransportError(`the sandbox clearinghouse has no payer ${payerId}`, false);
    return found;
  }

  /** Applies the payer's injected fault; returns true when the answer must be malformed. */
  async #fault(call: GatewayCall): Promise<SandboxFault | null> {
    const entry = this.#faults.get(call.payerId);
    if (!entry) return null;
    if (entry.remaining !== null && --entry.remaining <= 0) this.#faults.delete(call.payerId);
    const fault = entry.fault;
    if (fault.kind === 'latency') await sleep(fault.ms, undefined, { signal: call.signal });
    if (fault.kind === 'timeout') {
      await new Promise((_, reject) => {
        const abort = () => reject(call.signal.reason ?? new Error('aborted'));
        if (call.signal.aborted) abort();
        else call.signal.addEventListener('abort', abort, { once: true });
      });
    }
    if (fault.kind === 'unreachable')
      throw new GatewayTransportError('connection refused by the sandbox payer', true);
    return fault;
  }

  #rowToMember(r: {
    id: string;
    payer_id: string;
    member_id_enc: string;
    plan_name: string;
    group_number: string | null;
    first_name_enc: string;
    last_name_enc: string;
    dob_enc: string;
    gender: string;
    effective_date: string;
    termination_date: string | null;
    plan_year_start: string;
    deductible_met_cents: number;
    family_deductible_met_cents: number;
    oop_met_cents: number;
    family_oop_met_cents: number;
  }): Member {
    const c = this.#cipher;
    return {
      id: r.id,
      payerId: r.payer_id,
      memberId: c.decrypt(r.member_id_enc),
      plan: findPlan(r.payer_id, r.plan_name)!,
      groupNumber: r.group_number,
      firstName: c.decrypt(r.first_name_enc),
      lastName: c.decrypt(r.last_name_enc),
      dateOfBirth: c.decrypt(r.dob_enc),
      gender: r.gender,
      effectiveDate: r.effective_date,
      terminationDate: r.termination_date,
      planYearStart: r.plan_year_start,
      deductibleMet: r.deductible_met_cents,
      familyDeductibleMet: r.family_deductible_met_cents,
      oopMet: r.oop_met_cents,
      familyOopMet: r.family_oop_met_cents,
    };
  }

  /** The payer's member, from its own file or, the first time, copied from the practice's coverage. */
  async #member(practiceId: string, payerId: string, memberId: string): Promise<Member | null> {
    const bidx = this.#cipher.blindIndex('sandbox.member_id', `${payerId}|${memberId}`);
    const row = await this.#db
      .selectFrom('sandbox_members')
      .selectAll()
      .where('payer_id', '=', payerId)
      .where('member_id_bidx', '=', bidx)
      .executeTakeFirst();
    if (row) return this.#rowToMember(row);
    const coverage = await this.#source.findCoverage(practiceId, payerId, memberId);
    if (!coverage) return null;
    const plan = findPlan(payerId, coverage.planName, coverage.planType);
    if (!plan) return null;
    const acc = seededAccumulators(payerId, memberId, plan);
    const year = new Date().getUTCFullYear();
    const c = this.#cipher;
    const inserted = await this.#db
      .insertInto('sandbox_members')
      .values({
        payer_id: payerId,
        member_id_bidx: bidx,
        member_id_enc: c.encrypt(memberId),
        plan_name: plan.name,
        group_number: coverage.groupNumber,
        first_name_enc: c.encrypt(coverage.firstName),
        last_name_enc: c.encrypt(coverage.lastName),
        dob_enc: c.encrypt(coverage.dateOfBirth),
        gender: coverage.sex === 'female' ? 'F' : coverage.sex === 'male' ? 'M' : 'U',
        effective_date: coverage.effectiveDate,
        termination_date: coverage.terminationDate,
        plan_year_start: `${year}-${String(plan.planYearStartMonth).padStart(2, '0')}-01`,
        deductible_met_cents: acc.deductibleMetCents,
        family_deductible_met_cents: acc.familyDeductibleMetCents ?? acc.deductibleMetCents,
        oop_met_cents: acc.oopMetCents,
        family_oop_met_cents: acc.familyOopMetCents ?? acc.oopMetCents,
        updated_at: new Date(),
      })
      .onConflict((oc) => oc.columns(['payer_id', 'member_id_bidx']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return this.#rowToMember(inserted);
    const again = await this.#db
      .selectFrom('sandbox_members')
      .selectAll()
      .where('payer_id', '=', payerId)
      .where('member_id_bidx', '=', bidx)
      .executeTakeFirstOrThrow();
    return this.#rowToMember(again);
  }

  #envelope(payer: PayerEntry, request: string): EnvelopeOptions {
    const doc = parseInterchange(request, { validateElements: false });
    const isa = doc.interchanges[0]?.header;
    return {
      senderId: payer.x12Id,
      senderQualifier: 'ZZ',
      receiverId: isa?.senderId.trim() || 'SUBMITTER',
      receiverQualifier: isa?.senderQualifier || 'ZZ',
      interchangeControlNumber: Number(isa?.controlNumber) || 1,
      usage: 'T',
    };
  }

  /** Rejects a request or member with AAA: where found, why, and what the submitter should do. */
  #rejection(code: string, level: Rejection['level'] = 'subscriber', followUp?: string): Rejection {
    const action =
      followUp ?? ({ '42': 'R', '72': 'C', '75': 'C', '71': 'C', '73': 'C', '58': 'C' }[code] || 'C');
    return { level, valid: code === '42' || code === '75', reasonCode: code, followUpAction: action };
  }

  async eligibility(x12: string, call: GatewayCall): Promise<string> {
    const fault = await this.#fault(call);
    const parsed = parse270(x12);
    const request = parsed.transactions[0];
    if (!request || parsed.diagnostics.some((d) => d.severity === 'error')) {
      throw new GatewayTransportError('the clearinghouse rejected the 270 (invalid X12)', false);
    }
    const payer = await this.#payer(request.payer.id ?? call.payerId);
    const response = await this.#answer270(request, payer, requestedProcedures(x12), call, fault);
    const out = build271(response, this.#envelope(payer, x12));
    // A malformed answer: the interchange cut off mid-segment, as a dropped connection leaves it.
    return fault?.kind === 'malformed' ? out.slice(0, Math.floor(out.length * 0.6)) : out;
  }

  async #answer270(
    request: EligibilityRequest,
    payer: PayerEntry,
    procedures: string[],
    call: GatewayCall,
    fault: SandboxFault | null,
  ): Promise<EligibilityResponseInput> {
    const memberId = request.subscriber.id ?? '';
    const base: EligibilityResponseInput = {
      referenceId: request.referenceId,
      date: today(),
      time: new Date().toISOString().slice(11, 16),
      payer: { type: 'organization', name: payer.name.toUpperCase(), idQualifier: 'PI', id: payer.x12Id },
      provider: request.provider,
      subscriber: {
        ...request.subscriber,
        references: [],
        dates: [],
      },
      traceNumbers: request.trace.number ? [{ ...request.trace, type: '2' }] : [],
      rejections: [],
      benefits: [],
    };
    if (fault?.kind === 'reject') {
      base.rejections.push(
        this.#rejection(fault.code, fault.code === '42' ? 'payer' : 'subscriber', fault.followUp),
      );
      return base;
    }
    const format = MEMBER_ID_FORMATS[payer.id];
    if (!memberId || (format && !format.test(memberId))) {
      base.rejections.push(this.#rejection('72'));
      return base;
    }
    const member = await this.#member(call.practiceId, payer.id, memberId);
    if (!member) {
      base.rejections.push(this.#rejection('75'));
      return base;
    }
    const patient = request.dependent ?? request.subscriber;
    if (patient.dateOfBirth && patient.dateOfBirth !== member.dateOfBirth) {
      base.rejections.push(this.#rejection('71', request.dependent ? 'dependent' : 'subscriber'));
      return base;
    }
    base.subscriber = {
      type: 'person',
      name: member.lastName.toUpperCase(),
      firstName: member.firstName.toUpperCase(),
      idQualifier: 'MI',
      id: member.memberId,
      references: member.groupNumber ? [{ qualifier: '6P', value: member.groupNumber }] : [],
      dateOfBirth: member.dateOfBirth,
      gender: member.gender,
      dates: [
        { qualifier: '356', range: { start: member.effectiveDate } },
        ...(member.terminationDate ? [{ qualifier: '357', range: { start: member.terminationDate } }] : []),
      ],
    };
    base.dependent = undefined;
    const dateOfService = request.serviceDate?.start ?? today();
    const active =
      member.effectiveDate <= dateOfService &&
      (member.terminationDate === null || member.terminationDate >= dateOfService);
    base.benefits = active
      ? this.#benefits(member, request.serviceTypes, procedures)
      : [
          {
            code: '6',
            coverageLevel: 'IND',
            serviceTypes: ['30'],
            insuranceType: member.plan.insuranceType,
            planDescription: member.plan.name,
            dates: [],
            references: [],
            messages: [
              member.terminationDate && member.terminationDate < dateOfService
                ? `Coverage terminated ${member.terminationDate}`
                : `Coverage not yet effective on ${dateOfService}`,
            ],
          },
        ];
    return base;
  }

  #benefits(member: Member, serviceTypes: string[], procedures: string[]): Benefit[] {
    const plan = member.plan;
    const planYearEnd = addDays(
      `${Number(member.planYearStart.slice(0, 4)) + 1}${member.planYearStart.slice(4)}`,
      -1,
    );
    const eb = (b: Omit<Benefit, 'dates' | 'references' | 'messages'> & Partial<Benefit>): Benefit => ({
      dates: [],
      references: [],
      messages: [],
      ...b,
    });
    const out: Benefit[] = [
      eb({
        code: '1',
        coverageLevel: 'IND',
        serviceTypes: ['30'],
        insuranceType: plan.insuranceType,
        planDescription: plan.name,
        dates: [
          { qualifier: '346', range: { start: member.planYearStart } },
          { qualifier: '347', range: { start: planYearEnd } },
        ],
        messages: [`Claims must be filed within ${plan.timelyFilingDays} days of the date of service`],
      }),
    ];
    const accumulator = (
      code: 'C' | 'G',
      network: 'in' | 'out',
      level: 'IND' | 'FAM',
      total: number,
      used: number,
    ) => {
      out.push(
        eb({
          code,
          coverageLevel: level,
          serviceTypes: ['30'],
          timePeriod: '23',
          amountCents: total,
          network,
        }),
        eb({
          code,
          coverageLevel: level,
          serviceTypes: ['30'],
          timePeriod: '29',
          amountCents: Math.max(0, total - used),
          network,
        }),
      );
    };
    const family = plan.type !== 'MEDICARE_B';
    accumulator('C', 'in', 'IND', plan.deductible.in.individual, member.deductibleMet);
    if (family) accumulator('C', 'in', 'FAM', plan.deductible.in.family, member.familyDeductibleMet);
    if (plan.deductible.out) {
      // Out-of-network accumulators are separate; the sandbox's members have met none of them.
      accumulator('C', 'out', 'IND', plan.deductible.out.individual, 0);
      accumulator('C', 'out', 'FAM', plan.deductible.out.family, 0);
    }
    if (plan.outOfPocket) {
      accumulator('G', 'in', 'IND', plan.outOfPocket.in.individual, member.oopMet);
      accumulator('G', 'in', 'FAM', plan.outOfPocket.in.family, member.familyOopMet);
      if (plan.outOfPocket.out) {
        accumulator('G', 'out', 'IND', plan.outOfPocket.out.individual, 0);
        accumulator('G', 'out', 'FAM', plan.outOfPocket.out.family, 0);
      }
    }
    const coinsurance = (types: string[], auth?: boolean) => {
      out.push(
        eb({
          code: 'A',
          coverageLevel: 'IND',
          serviceTypes: types,
          percent: plan.coinsurance.in / 100,
          network: 'in',
          ...(auth !== undefined && { authorizationRequired: auth }),
        }),
      );
      if (plan.coinsurance.out !== null)
        out.push(
          eb({
            code: 'A',
            coverageLevel: 'IND',
            serviceTypes: types,
            percent: plan.coinsurance.out / 100,
            network: 'out',
          }),
        );
    };
    coinsurance(['30']);
    if (plan.coinsurance.out === null) {
      out.push(
        eb({
          code: 'I',
          coverageLevel: 'IND',
          serviceTypes: ['30'],
          network: 'out',
          messages: ['No out-of-network benefits except emergencies'],
        }),
      );
    }
    const asked = new Set(serviceTypes.filter((s) => s !== '30'));
    for (const code of procedures) asked.add(serviceTypeForProcedure(code));
    for (const [serviceType, copay] of Object.entries(plan.copays)) {
      if (asked.size === 0 || asked.has(serviceType) || serviceType === '98')
        out.push(
          eb({
            code: 'B',
            coverageLevel: 'IND',
            serviceTypes: [serviceType],
            timePeriod: '27',
            amountCents: copay,
            network: 'in',
          }),
        );
    }
    for (const serviceType of asked) {
      if (plan.preventiveInFull && PREVENTIVE_SERVICE_TYPES.has(serviceType)) {
        out.push(
          eb({ code: 'A', coverageLevel: 'IND', serviceTypes: [serviceType], percent: 0, network: 'in' }),
          eb({
            code: 'C',
            coverageLevel: 'IND',
            serviceTypes: [serviceType],
            timePeriod: '23',
            amountCents: 0,
            network: 'in',
            messages: ['Preventive care in network is covered in full; deductible does not apply'],
          }),
        );
      } else if (!plan.copays[serviceType]) {
        const auth = plan.priorAuthCodes.some((c) => serviceTypeForProcedure(c) === serviceType);
        coinsurance([serviceType], auth);
      }
    }
    for (const code of procedures) {
      const serviceType = serviceTypeForProcedure(code);
      const procedure = { qualifier: 'HC', code, modifiers: [] };
      if (plan.nonCoveredCodes.includes(code)) {
        out.push(
          eb({
            code: 'I',
            coverageLevel: 'IND',
            serviceTypes: [serviceType],
            procedure,
            messages: [`${code} is not a covered benefit under ${plan.name}`],
          }),
        );
        continue;
      }
      const auth = plan.priorAuthCodes.includes(code);
      out.push(
        eb({
          code: plan.copays[serviceType] !== undefined ? 'B' : 'A',
          coverageLevel: 'IND',
          serviceTypes: [serviceType],
          ...(plan.copays[serviceType] !== undefined
            ? { timePeriod: '27', amountCents: plan.copays[serviceType] }
            : {
                percent:
                  plan.preventiveInFull && PREVENTIVE_SERVICE_TYPES.has(serviceType)
                    ? 0
                    : plan.coinsurance.in / 100,
              }),
          authorizationRequired: auth,
          network: 'in',
          procedure,
          messages: auth ? [`Prior authorization required for ${code}`] : [],
        }),
      );
    }
    return out;
  }

  async submitClaims(x12: string, call: GatewayCall): Promise<ClaimSubmissionAnswer> {
    const fault = await this.#fault(call);
    const parsed = parse837(x12);
    const doc = parseInterchange(x12, { validateElements: false });
    const group = doc.interchanges[0]?.groups[0];
    const payer = await this.#payer(call.payerId);
    const envelope = this.#envelope(payer, x12);
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error');
    const ack: ImplementationAcknowledgment = {
      type: '999',
      functionalId: 'HC',
      groupControlNumber: group?.header.controlNumber ?? '1',
      version: group?.header.version ?? '005010X222A1',
      transactionSets: doc.transactions.map((tx) => {
        const own = errors.filter((d) => d.segmentIndex >= tx.start && d.segmentIndex <= tx.end);
        return {
          transactionSetId: tx.id,
          controlNumber: tx.controlNumber,
          implementationReference: tx.implementationReference,
          status: own.length > 0 ? 'R' : 'A',
          errorCodes: own.length > 0 ? ['5'] : [],
          segmentErrors: own.slice(0, 10).map((d) => ({
            segmentId: d.segmentId || 'ST',
            position: Math.max(1, d.segmentIndex - tx.start + 1),
            code: '8',
            elementErrors: d.element ? [{ position: d.element, code: '7' }] : [],
          })),
        };
      }),
      groupStatus: '',
      included: doc.transactions.length,
      received: doc.transactions.length,
      accepted: 0,
      groupErrorCodes: [],
    };
    ack.accepted = ack.transactionSets.filter((s) => s.status === 'A').length;
    ack.groupStatus =
      ack.accepted === ack.included && ack.included > 0 ? 'A' : ack.accepted === 0 ? 'R' : 'P';
    const acknowledgment = build999(ack, envelope);
    if (ack.accepted === 0 || parsed.transactions.length === 0)
      return { acknowledgment, claimAcknowledgment: null };

    const date = today();
    const claims: ClaimStatusDetail[] = [];
    let receiver: Entity = { type: 'organization', name: 'SUBMITTER' };
    const adjudicable: AdjudicableClaim[] = [];
    for (const submission of parsed.transactions) {
      receiver = submission.submitter;
      for (const claim of submission.claims) {
        const memberId = claim.subscriber.id ?? '';
        const member = memberId ? await this.#member(call.practiceId, payer.id, memberId) : null;
        const billingNpi = claim.billingProvider.id ?? '';
        let status: { category: string; code: string; entity?: string } = {
          category: 'A1',
          code: '20',
          entity: 'PR',
        };
        if (!member) status = { category: 'A3', code: '33', entity: 'IL' };
        else if (!/^\d{10}$/.test(billingNpi)) status = { category: 'A3', code: '562', entity: '85' };
        else if (claim.diagnoses.length === 0) status = { category: 'A3', code: '255', entity: 'PR' };
        const accepted = status.category === 'A1';
        const payerClaimNumber = `${payer.x12Id}${digitsOf(hashBytes(`${payer.id}|${claim.patientControlNumber}|${date}`), 11)}`;
        if (accepted && member) adjudicable.push({ claim, member, payerClaimNumber });
        if (accepted) {
          await this.#db
            .insertInto('sandbox_claims')
            .values({
              payer_id: payer.id,
              patient_control_number: claim.patientControlNumber,
              payer_claim_number: payerClaimNumber,
              charge_cents: claim.chargeCents,
              status: 'received',
              member_id_bidx: this.#cipher.blindIndex('sandbox.member_id', `${payer.id}|${memberId}`),
              service_date: claim.lines[0]?.serviceDate?.start ?? null,
            })
            .onConflict((oc) => oc.column('payer_claim_number').doNothing())
            .execute();
        }
        claims.push({
          provider: {
            type: 'organization',
            name: claim.billingProvider.name,
            idQualifier: 'XX',
            id: billingNpi,
          },
          patient: {
            type: 'person',
            name: claim.subscriber.name,
            firstName: claim.subscriber.firstName,
            idQualifier: 'MI',
            id: memberId,
          },
          traceNumber: claim.patientControlNumber,
          statuses: [
            {
              ...status,
              effectiveDate: date,
              action: accepted ? 'WQ' : 'U',
              chargeCents: claim.chargeCents,
              additional: [],
            },
          ],
          ...(accepted && { payerClaimControlNumber: payerClaimNumber }),
          lines: [],
        });
      }
    }
    await adjudicateAndQueue(this.#db, payer, adjudicable, date);
    const claimAcknowledgment = build277(
      {
        variant: '277CA',
        referenceId: parsed.transactions[0]?.referenceId || 'CA',
        date,
        time: new Date().toISOString().slice(11, 16),
        payer: { type: 'organization', name: payer.name.toUpperCase(), idQualifier: 'PI', id: payer.x12Id },
        receiver,
        levelStatuses: [],
        claims,
      },
      {
        ...envelope,
        interchangeControlNumber:
          envelope.interchangeControlNumber + 1 > 999_999_999 ? 1 : envelope.interchangeControlNumber + 1,
      },
    );
    return {
      acknowledgment,
      claimAcknowledgment:
        fault?.kind === 'malformed' ? claimAcknowledgment.slice(0, 80) : claimAcknowledgment,
    };
  }

  async claimStatus(x12: string, call: GatewayCall): Promise<string> {
    const fault = await this.#fault(call);
    const parsed = parse276(x12);
    const request = parsed.transactions[0];
    if (!request) throw new GatewayTransportError('the clearinghouse rejected the 276 (invalid X12)', false);
    const payer = await this.#payer(request.payer.id ?? call.payerId);
    const claims: ClaimStatusDetail[] = [];
    for (const claim of request.claims) {
      const pcn = claim.patientControlNumber ?? claim.traceNumber;
      const row = await this.#db
        .selectFrom('sandbox_claims')
        .selectAll()
        .where('payer_id', '=', payer.id)
        .where('patient_control_number', '=', pcn)
        .orderBy('received_at', 'desc')
        .executeTakeFirst();
      claims.push({
        ...claim,
        statuses: [
          row
            ? {
                category: 'P1',
                code: '20',
                entity: 'PR',
                effectiveDate: today(),
                chargeCents: row.charge_cents,
                additional: [],
              }
            : { category: 'A4', code: '35', entity: 'PR', effectiveDate: today(), additional: [] },
        ],
        ...(row && { payerClaimControlNumber: row.payer_claim_number }),
        lines: [],
      });
    }
    const out = build277(
      {
        variant: '277',
        referenceId: request.referenceId,
        date: today(),
        time: new Date().toISOString().slice(11, 16),
        payer: { type: 'organization', name: payer.name.toUpperCase(), idQualifier: 'PI', id: payer.x12Id },
        receiver: request.receiver,
        levelStatuses: [],
        claims,
      },
      this.#envelope(payer, x12),
    );
    return fault?.kind === 'malformed' ? out.slice(0, Math.floor(out.length / 2)) : out;
  }

  async priorAuth(x12: string, call: GatewayCall): Promise<string> {
    const fault = await this.#fault(call);
    const parsed = parse278(x12);
    const request = parsed.transactions[0];
    if (request?.kind !== 'request' || parsed.diagnostics.some((d) => d.severity === 'error')) {
      throw new GatewayTransportError('the clearinghouse rejected the 278 (invalid X12)', false);
    }
    const payer = await this.#payer(request.umo.id ?? call.payerId);
    const response = await this.#review(request, payer, call, fault);
    const out = build278(response, this.#envelope(payer, x12));
    return fault?.kind === 'malformed' ? out.slice(0, Math.floor(out.length * 0.6)) : out;
  }

  async #review(
    request: ServiceReviewTransaction,
    payer: PayerEntry,
    call: GatewayCall,
    fault: SandboxFault | null,
  ): Promise<ServiceReviewTransaction> {
    const response: ServiceReviewTransaction = {
      ...request,
      kind: 'response',
      date: today(),
      time: new Date().toISOString().slice(11, 16),
      umo: { type: 'organization', name: payer.name.toUpperCase(), idQualifier: 'PI', id: payer.x12Id },
      traceNumbers: request.traceNumbers.map((t) => ({ ...t, type: '2' })),
      rejections: [],
      // A response carries no documentation back: PWK and MSG are the requester's.
      event: { ...request.event, attachments: undefined, message: undefined, providers: [] },
      services: [],
    };
    if (fault?.kind === 'reject') {
      response.rejections.push(this.#rejection(fault.code, 'subscriber', fault.followUp));
      return response;
    }
    const memberId = request.subscriber.id ?? '';
    const format = MEMBER_ID_FORMATS[payer.id];
    if (!memberId || (format && !format.test(memberId))) {
      response.rejections.push(this.#rejection('72'));
      return response;
    }
    const member = await this.#member(call.practiceId, payer.id, memberId);
    if (!member) {
      response.rejections.push(this.#rejection('75'));
      return response;
    }
    const memberBidx = this.#cipher.blindIndex('sandbox.member_id', `${payer.id}|${memberId}`);
    const existing = request.event.administrativeReference
      ? await this.#db
          .selectFrom('sandbox_authorizations')
          .selectAll()
          .where('payer_id', '=', payer.id)
          .where('tracking_number', '=', request.event.administrativeReference)
          .where('member_id_bidx', '=', memberBidx)
          .execute()
      : [];
    const tracking =
      existing[0]?.tracking_number ??
      `${payer.x12Id}${digitsOf(hashBytes(`${payer.id}|${request.referenceId}|${memberId}`), 10)}`;
    response.event.administrativeReference = tracking;
    const level = request.event.review?.levelOfService ?? 'E';
    const rows = [];
    if (existing.length > 0) {
      for (const row of existing) {
        const polls = row.polls + 1;
        const decided =
          row.status === 'pended'
            ? reviewOutcome(payer.id, memberId, row.procedure_code, row.units_requested)
            : null;
        const update = {
          polls,
          ...(decided && {
            status: decided.status,
            certification_number: decided.certification,
            units_authorized: decided.units,
            reason_code: decided.reason,
            decided_at: new Date(),
          }),
        };
        rows.push({ ...row, ...update });
        await this.#db.updateTable('sandbox_authorizations').set(update).where('id', '=', row.id).execute();
      }
    } else {
      for (const service of request.services) {
        const code = service.procedure?.code ?? '';
        const units = service.units ?? 1;
        const range =
          service.dates.find((d) => d.qualifier === '472')?.range ?? request.event.dates[0]?.range;
        const from = range?.start ?? today();
        const to = range?.end ?? addDays(from, 89);
        const required = member.plan.priorAuthCodes.includes(code);
        const urgent = level === 'U' || level === '03';
        const decided = !required
          ? { status: 'not_required', certification: null, units, reason: null }
          : urgent
            ? reviewOutcome(payer.id, memberId, code, units)
            : null;
        const row = {
          payer_id: payer.id,
          tracking_number: tracking,
          member_id_bidx: memberBidx,
          procedure_code: code,
          units_requested: units,
          level_of_service: level,
          status: decided?.status ?? 'pended',
          certification_number: decided?.certification ?? null,
          units_authorized: decided?.units ?? null,
          reason_code: decided?.reason ?? null,
          polls: 0,
          service_from: from,
          service_to: to,
          decided_at: decided ? new Date() : null,
        };
        await this.#db
          .insertInto('sandbox_authorizations')
          .values(row)
          .onConflict((oc) => oc.columns(['tracking_number', 'procedure_code']).doNothing())
          .execute();
        rows.push(row);
      }
    }
    response.services = rows.map((row) => {
      const decision: ReviewItem['decision'] =
        row.status === 'approved'
          ? { action: 'A1', certificationNumber: row.certification_number ?? undefined }
          : row.status === 'partial'
            ? { action: 'A2', certificationNumber: row.certification_number ?? undefined }
            : row.status === 'denied'
              ? { action: 'A3', reasonCode: row.reason_code ?? undefined }
              : row.status === 'not_required'
                ? { action: 'NA' }
                : { action: 'A4' };
      const approved = row.status === 'approved' || row.status === 'partial';
      return {
        procedure: { qualifier: 'HC', code: row.procedure_code, modifiers: [] },
        unitType: 'UN',
        units: row.units_requested,
        decision,
        ...(row.certification_number && { authorizationNumber: row.certification_number }),
        dates: approved
          ? [{ qualifier: '472', range: { start: row.service_from, end: row.service_to } }]
          : [],
        ...(approved && {
          quantity: { qualifier: 'FL', quantity: row.units_authorized ?? row.units_requested },
        }),
        providers: [],
      };
    });
    return response;
  }

  async remittances(call: GatewayCall): Promise<string[]> {
    await this.#fault(call);
    return this.#db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('sandbox_remittances')
        .select(['id', 'x12'])
        .where('payer_id', '=', call.payerId)
        .where('delivered_at', 'is', null)
        .orderBy('created_at')
        .forUpdate()
        .execute();
      if (rows.length > 0) {
        await tx
          .updateTable('sandbox_remittances')
          .set({ delivered_at: new Date() })
          .where(
            'id',
            'in',
            rows.map((r) => r.id),
          )
          .execute();
      }
      return rows.map((r) => r.x12);
    });
  }
}
