/**
 * Whether a service needs prior authorization, and why: the payer's answer for the procedure in its 271 (EB11),
 * the service type's flag, and the plan's published prior-authorization list. Emergency care never waits for
 * one; a service the plan does not cover is not made payable by one. Pure.
 */

export interface RequirementInput {
  code: string;
  urgency: 'routine' | 'urgent' | 'emergency';
  planName: string | null;
  /** The plan's published list (null when the payer publishes none to the platform). */
  policyCodes: readonly string[] | null;
  /** The 271's answer for this procedure, when it carried one. */
  procedureFlag: { authorizationRequired: boolean; covered: boolean } | null;
  /** The 271's flag on the procedure's service type. */
  serviceTypeFlag: { code: string; authorizationRequired: boolean } | null;
}

export interface Requirement {
  code: string;
  required: boolean;
  covered: boolean;
  reasons: string[];
}

export function authorizationRequirement(input: RequirementInput): Requirement {
  const { code } = input;
  const plan = input.planName ?? 'the plan';
  if (input.procedureFlag && !input.procedureFlag.covered) {
    return {
      code,
      required: false,
      covered: false,
      reasons: [`${code} is not a covered benefit under ${plan}: an authorization would not make it payable`],
    };
  }
  if (input.urgency === 'emergency') {
    return {
      code,
      required: false,
      covered: true,
      reasons: [
        'emergency services do not need prior authorization; notify the payer within its notification window after the service',
      ],
    };
  }
  const reasons: string[] = [];
  if (input.procedureFlag?.authorizationRequired)
    reasons.push(`the payer's eligibility response (271) flags ${code} as requiring authorization`);
  else if (input.serviceTypeFlag?.authorizationRequired)
    reasons.push(
      `the payer's eligibility response (271) requires authorization for service type ${input.serviceTypeFlag.code}`,
    );
  if (input.policyCodes?.includes(code))
    reasons.push(`${plan}'s published prior-authorization list includes ${code}`);
  if (reasons.length > 0) return { code, required: true, covered: true, reasons };
  return {
    code,
    required: false,
    covered: true,
    reasons: [
      input.policyCodes
        ? `neither the payer's 271 nor ${plan}'s prior-authorization list names ${code}`
        : `the payer's 271 does not flag ${code} and the payer publishes no prior-authorization list`,
    ],
  };
}

/** The request's status from the payer's per-service decisions (HCR01). */
export function statusFromDecisions(
  decisions: readonly string[],
): 'pended' | 'approved' | 'partially_approved' | 'denied' {
  const relevant = decisions.filter((d) => d !== 'NA');
  if (relevant.length === 0) return 'approved';
  if (relevant.some((d) => d === 'A4' || d === 'CT')) return 'pended';
  if (relevant.every((d) => d === 'A1')) return 'approved';
  if (relevant.every((d) => d === 'A3' || d === 'C')) return 'denied';
  return 'partially_approved';
}

/** When a decision is due: 72 hours for urgent requests, 7 calendar days for standard ones (CMS-0057-F). */
export function expectedDecisionDate(
  submittedOn: string,
  urgency: 'routine' | 'urgent' | 'emergency',
): string {
  const days = urgency === 'routine' ? 7 : 3;
  return new Date(Date.parse(`${submittedOn}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
