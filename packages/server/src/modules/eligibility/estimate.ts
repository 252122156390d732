/**
 * The patient's cost for planned procedures: allowed amount (the payer's fee schedule) → deductible →
 * copay or coinsurance → out-of-pocket cap, line by line, in integer cents, each step written down. Lines
 * consume the deductible and the out-of-pocket room in order, as a claim's lines would. Pure.
 */

export interface CostShareTerms {
  serviceType: string;
  covered: boolean;
  /** A per-visit copay; copay services skip the deductible. */
  copayCents: number | null;
  /** Patient coinsurance in percent after the deductible (20 for 20%). */
  coinsurancePercent: number | null;
  deductibleApplies: boolean;
}

export interface EstimateLineInput {
  code: string;
  units: number;
  /** Allowed amount for one unit; null when no fee schedule covers the code. */
  unitAllowedCents: number | null;
  /** How the allowed amount was found. */
  allowedBasis?: string;
  terms: CostShareTerms;
}

export interface EstimateAccumulators {
  /** What is left of the deductible (the smaller of individual and family); null when there is none. */
  deductibleRemainingCents: number | null;
  /** What is left before the out-of-pocket maximum; null when the plan has no maximum. */
  outOfPocketRemainingCents: number | null;
}

export interface EstimateStep {
  step:
    | 'allowed'
    | 'not_covered'
    | 'deductible'
    | 'copay'
    | 'coinsurance'
    | 'out_of_pocket_cap'
    | 'plan_pays'
    | 'no_fee_schedule';
  detail: string;
  amountCents: number | null;
}

export interface EstimateLine {
  code: string;
  units: number;
  serviceType: string;
  allowedCents: number | null;
  deductibleCents: number;
  copayCents: number;
  coinsuranceCents: number;
  patientCents: number | null;
  planCents: number | null;
  steps: EstimateStep[];
}

export interface CostEstimate {
  lines: EstimateLine[];
  totalAllowedCents: number;
  totalPatientCents: number;
  totalPlanCents: number;
  /** False when a line could not be priced (no fee schedule): totals cover the priced lines only. */
  complete: boolean;
  deductibleRemainingAfterCents: number | null;
  outOfPocketRemainingAfterCents: number | null;
}

const usd = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** Coinsurance on an amount, rounded half up to the cent. */
export function coinsuranceOf(amountCents: number, percent: number): number {
  return Math.round((amountCents * Math.round(percent * 100)) / 10_000);
}

export function estimateCosts(
  lines: readonly EstimateLineInput[],
  start: EstimateAccumulators,
): CostEstimate {
  let deductibleLeft = start.deductibleRemainingCents;
  let oopLeft = start.outOfPocketRemainingCents;
  const out: EstimateLine[] = [];
  let complete = true;
  for (const line of lines) {
    const steps: EstimateStep[] = [];
    const base = { code: line.code, units: line.units, serviceType: line.terms.serviceType };
    if (line.unitAllowedCents === null) {
      complete = false;
      steps.push({
        step: 'no_fee_schedule',
        detail: `no fee schedule or rule prices ${line.code} for this payer`,
        amountCents: null,
      });
      out.push({
        ...base,
        allowedCents: null,
        deductibleCents: 0,
        copayCents: 0,
        coinsuranceCents: 0,
        patientCents: null,
        planCents: null,
        steps,
      });
      continue;
    }
    const allowed = line.unitAllowedCents * line.units;
    steps.push({
      step: 'allowed',
      // The basis already ends with the amount of one unit ("… for 99213 = $123.09"); units multiply it.
      detail:
        line.units > 1
          ? `${line.allowedBasis ?? `allowed ${usd(line.unitAllowedCents)} per unit`}; × ${line.units} units = ${usd(allowed)}`
          : (line.allowedBasis ?? `allowed ${usd(allowed)}`),
      amountCents: allowed,
    });
    if (!line.terms.covered) {
      steps.push({
        step: 'not_covered',
        detail: `${line.code} is not covered: the patient owes the full ${usd(allowed)}, which does not count toward the deductible or out-of-pocket maximum`,
        amountCents: allowed,
      });
      out.push({
        ...base,
        allowedCents: allowed,
        deductibleCents: 0,
        copayCents: 0,
        coinsuranceCents: 0,
        patientCents: allowed,
        planCents: 0,
        steps,
      });
      continue;
    }
    let deductible = 0;
    let copay = 0;
    let coinsurance = 0;
    if (line.terms.copayCents !== null) {
      copay = Math.min(line.terms.copayCents, allowed);
      steps.push({
        step: 'copay',
        detail: `copay ${usd(line.terms.copayCents)} per visit${copay < line.terms.copayCents ? `, limited to the allowed ${usd(allowed)}` : ''}; the deductible does not apply`,
        amountCents: copay,
      });
    } else {
      if (line.terms.deductibleApplies && deductibleLeft !== null && deductibleLeft > 0) {
        deductible = Math.min(allowed, deductibleLeft);
        deductibleLeft -= deductible;
        steps.push({
          step: 'deductible',
          detail: `${usd(deductible)} applied to the deductible (${usd(deductibleLeft)} left after this line)`,
          amountCents: deductible,
        });
      } else {
        steps.push({
          step: 'deductible',
          detail: line.terms.deductibleApplies
            ? 'deductible already met'
            : 'deductible does not apply to this service',
          amountCents: 0,
        });
      }
      const rest = allowed - deductible;
      const percent = line.terms.coinsurancePercent ?? 0;
      coinsurance = coinsuranceOf(rest, percent);
      steps.push({
        step: 'coinsurance',
        detail: `${percent}% coinsurance on the remaining ${usd(rest)} = ${usd(coinsurance)}`,
        amountCents: coinsurance,
      });
    }
    let patient = deductible + copay + coinsurance;
    if (oopLeft !== null) {
      if (patient > oopLeft) {
        steps.push({
          step: 'out_of_pocket_cap',
          detail: `out-of-pocket maximum reached: the patient pays ${usd(oopLeft)} instead of ${usd(patient)}`,
          amountCents: oopLeft,
        });
        // What the cap removes comes off coinsurance first, then copay, then deductible.
        let over = patient - oopLeft;
        const cut = (x: number) => {
          const c = Math.min(x, over);
          over -= c;
          return x - c;
        };
        coinsurance = cut(coinsurance);
        copay = cut(copay);
        const applied = deductible;
        deductible = cut(deductible);
        if (deductibleLeft !== null) deductibleLeft += applied - deductible;
        patient = oopLeft;
      }
      oopLeft -= patient;
    }
    steps.push({
      step: 'plan_pays',
      detail: `plan pays ${usd(allowed)} − ${usd(patient)} = ${usd(allowed - patient)}`,
      amountCents: allowed - patient,
    });
    out.push({
      ...base,
      allowedCents: allowed,
      deductibleCents: deductible,
      copayCents: copay,
      coinsuranceCents: coinsurance,
      patientCents: patient,
      planCents: allowed - patient,
      steps,
    });
  }
  const priced = out.filter((l) => l.patientCents !== null);
  return {
    lines: out,
    totalAllowedCents: priced.reduce((s, l) => s + (l.allowedCents ?? 0), 0),
    totalPatientCents: priced.reduce((s, l) => s + (l.patientCents ?? 0), 0),
    totalPlanCents: priced.reduce((s, l) => s + (l.planCents ?? 0), 0),
    complete,
    deductibleRemainingAfterCents: deductibleLeft,
    outOfPocketRemainingAfterCents: oopLeft,
  };
}
