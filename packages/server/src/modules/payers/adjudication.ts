/**
 * The sandbox payer's adjudication: each service line of a claim priced and cost-shared the way a payer's
 * claims system does it, producing CLP/CAS/SVC data for an 835 and the member's updated accumulators.
 * Order per line: non-covered (CO-96), missing authorization (CO-197), timely filing (CO-29), missing
 * information (CO-16), duplicate (CO-18); otherwise the allowed amount (CO-45 the contractual write-off), then the
 * copay (PR-3) or the deductible (PR-1) and coinsurance (PR-2), capped by the out-of-pocket maximum. Pure.
 */
import type { Adjustment, ClaimPayment, Claim as X12Claim } from '@intelluxe/x12';
import { type PlanDefinition, PREVENTIVE_SERVICE_TYPES, serviceTypeForProcedure } from './plans.ts';
import type { Accumulators } from './sandbox.ts';

export interface AdjudicationInput {
  claim: X12Claim;
  plan: PlanDefinition;
  accumulators: Accumulators;
  /** The payer's allowed amount for one unit of a line, or null when it has no price for it. */
  allowed: (line: {
    code: string;
    modifiers: string[];
    placeOfService: string;
    date: string;
  }) => number | null;
  receivedDate: string;
  payerClaimNumber: string;
  /** Line keys (`code|date`) this member already had paid: the claim repeats them. */
  alreadyPaid: ReadonlySet<string>;
  inNetwork: boolean;
}

export interface AdjudicationResult {
  payment: ClaimPayment;
  accumulators: Accumulators;
}

const sum = (adjustments: Adjustment[], group?: string) =>
  adjustments.filter((a) => !group || a.group === group).reduce((s, a) => s + a.amountCents, 0);

export function adjudicateClaim(input: AdjudicationInput): AdjudicationResult {
  const { claim, plan, receivedDate } = input;
  let deductibleMet = input.accumulators.deductibleMetCents;
  let oopMet = input.accumulators.oopMetCents;
  const deductible = input.inNetwork
    ? plan.deductible.in.individual
    : (plan.deductible.out?.individual ?? plan.deductible.in.individual);
  const oopMax = plan.outOfPocket
    ? input.inNetwork
      ? plan.outOfPocket.in.individual
      : (plan.outOfPocket.out?.individual ?? null)
    : null;
  const coinsurance = input.inNetwork ? plan.coinsurance.in : (plan.coinsurance.out ?? plan.coinsurance.in);
  const authorized = Boolean(claim.priorAuthorization);
  const services: ClaimPayment['services'] = [];

  for (const line of claim.lines) {
    const code = line.procedure?.code ?? '';
    const date = line.serviceDate?.start ?? receivedDate;
    const adjustments: Adjustment[] = [];
    const remarks: string[] = [];
    const deny = (group: string, reason: string, remark?: string) => {
      adjustments.push({ group, reason, amountCents: line.chargeCents });
      if (remark) remarks.push(remark);
    };
    const ageDays = Math.round(
      (Date.parse(`${receivedDate}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000,
    );
    const perUnit = input.allowed({
      code,
      modifiers: line.procedure?.modifiers ?? [],
      placeOfService: line.placeOfService ?? claim.placeOfService,
      date,
    });
    if (plan.nonCoveredCodes.includes(code)) deny('CO', '96', 'N130');
    else if (plan.priorAuthCodes.includes(code) && !authorized && !line.priorAuthorization)
      deny('CO', '197', 'N54');
    else if (ageDays > plan.timelyFilingDays) deny('CO', '29');
    else if (line.diagnosisPointers.length === 0 || perUnit === null)
      deny('CO', '16', perUnit === null ? 'M51' : 'M76');
    else if (input.alreadyPaid.has(`${code}|${date}`)) deny('CO', '18');
    else {
      const allowed = Math.min(line.chargeCents, perUnit * line.units);
      if (line.chargeCents > allowed)
        adjustments.push({ group: 'CO', reason: '45', amountCents: line.chargeCents - allowed });
      const serviceType = serviceTypeForProcedure(code);
      let patient = 0;
      const cost: Adjustment[] = [];
      if (plan.preventiveInFull && input.inNetwork && PREVENTIVE_SERVICE_TYPES.has(serviceType)) {
        // Preventive care in network: paid in full.
      } else if (input.inNetwork && plan.copays[serviceType] !== undefined) {
        const copay = Math.min(allowed, plan.copays[serviceType]!);
        cost.push({ group: 'PR', reason: '3', amountCents: copay });
        patient += copay;
      } else {
        const toDeductible = Math.min(allowed, Math.max(0, deductible - deductibleMet));
        if (toDeductible > 0) cost.push({ group: 'PR', reason: '1', amountCents: toDeductible });
        const coins = Math.round(((allowed - toDeductible) * coinsurance) / 100);
        if (coins > 0) cost.push({ group: 'PR', reason: '2', amountCents: coins });
        deductibleMet += toDeductible;
        patient += toDeductible + coins;
      }
      // The out-of-pocket maximum caps what the member pays; the plan pays the rest.
      if (oopMax !== null && oopMet + patient > oopMax) {
        let excess = oopMet + patient - oopMax;
        for (let i = cost.length - 1; i >= 0 && excess > 0; i--) {
          const cut = Math.min(cost[i]!.amountCents, excess);
          cost[i] = { ...cost[i]!, amountCents: cost[i]!.amountCents - cut };
          excess -= cut;
          patient -= cut;
        }
      }
      oopMet += patient;
      adjustments.push(...cost.filter((c) => c.amountCents > 0));
    }
    const paid = line.chargeCents - sum(adjustments);
    services.push({
      procedure: { qualifier: 'HC', code, modifiers: line.procedure?.modifiers ?? [] },
      chargeCents: line.chargeCents,
      paidCents: paid,
      units: line.units,
      serviceDate: line.serviceDate,
      adjustments,
      lineControlNumber: line.lineControlNumber,
      references: [],
      amounts:
        paid > 0 || adjustments.some((a) => a.reason === '45')
          ? [{ qualifier: 'B6', amountCents: line.chargeCents - sum(adjustments, 'CO') }]
          : [],
      remarkCodes: remarks,
    });
  }
  const paidCents = services.reduce((s, l) => s + l.paidCents, 0);
  const patientResponsibilityCents = services.reduce((s, l) => s + sum(l.adjustments, 'PR'), 0);
  const allDenied = services.every((l) => l.paidCents === 0 && sum(l.adjustments, 'PR') === 0);
  return {
    payment: {
      patientControlNumber: claim.patientControlNumber,
      statusCode: allDenied ? '4' : '1',
      chargeCents: claim.chargeCents,
      paidCents,
      patientResponsibilityCents,
      filingIndicator: plan.type === 'MEDICARE_B' ? 'MB' : plan.type === 'HMO' ? 'HM' : '12',
      payerClaimControlNumber: input.payerClaimNumber,
      patient: claim.patient
        ? {
            type: 'person',
            name: claim.patient.name,
            firstName: claim.patient.firstName,
            idQualifier: 'MI',
            id: claim.subscriber.id,
          }
        : {
            type: 'person',
            name: claim.subscriber.name,
            firstName: claim.subscriber.firstName,
            idQualifier: 'MI',
            id: claim.subscriber.id,
          },
      adjustments: [],
      references: [],
      amounts: [],
      services,
      receivedDate,
    },
    accumulators: { ...input.accumulators, deductibleMetCents: deductibleMet, oopMetCents: oopMet },
  };
}
