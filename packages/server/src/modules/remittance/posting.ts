/**
 * How one CLP of an 835 posts to a claim: amounts, the claim's next status and the denials it opens. Pure, so
 * the rules are read and tested in one place; the service only gathers the inputs and writes the result.
 */
import { carc, denialCategoryForCarc } from '@intelluxe/codes';
import type { ClaimPayment } from '@intelluxe/x12';
import type { ClaimStatus } from '../claims/schemas.ts';
import type { PostedAdjustment, PostedLine } from './tables.ts';

export interface ClaimToPost {
  id: string;
  status: ClaimStatus;
  lines: Array<{ lineNumber: number; procedureCode: string; lineControlNumber: string }>;
}

export interface DenialToOpen {
  lineNumber: number | null;
  category: string;
  groupCode: string;
  reasonCode: string;
  remarkCodes: string[];
  amountCents: number;
  suggestedFix: string;
}

export interface PostingPlan {
  outcome: 'posted' | 'unmatched' | 'not_postable';
  message: string | null;
  to: ClaimStatus | null;
  paidCents: number;
  patientResponsibilityCents: number;
  adjustmentCents: number;
  adjustments: PostedAdjustment[];
  lines: PostedLine[];
  denials: DenialToOpen[];
  reversal: boolean;
}

const POSTABLE: ReadonlySet<ClaimStatus> = new Set([
  'submitted',
  'accepted',
  'paid',
  'partially_paid',
  'denied',
  'appealed',
]);

// An 835 repeats a handful of reason codes thousands of times: each description and category is worked out once.
const descriptions = new Map<string, string>();
const categories = new Map<string, ReturnType<typeof denialCategoryForCarc>>();

function describe(a: { group: string; reason: string; amountCents: number }): PostedAdjustment {
  let description = descriptions.get(a.reason);
  if (description === undefined) {
    description = carc.get(a.reason)?.description ?? 'unknown adjustment reason';
    descriptions.set(a.reason, description);
  }
  return { group: a.group, reason: a.reason, amountCents: a.amountCents, description };
}

function categoryOf(
  group: string,
  reason: string,
  remarks: string[],
): ReturnType<typeof denialCategoryForCarc> {
  const key = `${group}|${reason}|${remarks.join(',')}`;
  let category = categories.get(key);
  if (!category) {
    category = denialCategoryForCarc(group, reason, remarks);
    if (categories.size < 10_000) categories.set(key, category);
  }
  return category;
}

export function planPosting(clp: ClaimPayment, claim: ClaimToPost | null): PostingPlan {
  const reversal = clp.statusCode === '22';
  const sign = reversal ? -1 : 1;
  const claimAdjustments = clp.adjustments.map(describe);
  const lines: PostedLine[] = clp.services.map((svc) => {
    const match =
      claim?.lines.find((l) => svc.lineControlNumber && l.lineControlNumber === svc.lineControlNumber) ??
      claim?.lines.find((l) => l.procedureCode === (svc.submittedProcedure ?? svc.procedure).code);
    return {
      lineNumber: match?.lineNumber ?? null,
      procedureCode: svc.procedure.code,
      chargeCents: svc.chargeCents,
      paidCents: svc.paidCents,
      adjustments: svc.adjustments.map(describe),
      remarkCodes: svc.remarkCodes,
    };
  });
  const all = [...claimAdjustments, ...lines.flatMap((l) => l.adjustments)];
  const adjustmentCents = all.filter((a) => a.group !== 'PR').reduce((sum, a) => sum + a.amountCents, 0);
  const patientResponsibilityCents =
    clp.patientResponsibilityCents ??
    all.filter((a) => a.group === 'PR').reduce((s, a) => s + a.amountCents, 0);
  const base = {
    paidCents: sign * clp.paidCents,
    patientResponsibilityCents: sign * patientResponsibilityCents,
    adjustmentCents: sign * adjustmentCents,
    adjustments: claimAdjustments,
    lines,
    reversal,
  };
  if (!claim) {
    return {
      ...base,
      outcome: 'unmatched',
      message: `no claim with patient control number ${clp.patientControlNumber}`,
      to: null,
      denials: [],
    };
  }
  if (!POSTABLE.has(claim.status)) {
    return {
      ...base,
      outcome: 'not_postable',
      message: `claim ${clp.patientControlNumber} is ${claim.status}; only submitted claims take payments`,
      to: null,
      denials: [],
    };
  }
  if (reversal) {
    return {
      ...base,
      outcome: 'posted',
      message: 'payer reversal of a previous payment',
      to: claim.status === 'submitted' ? 'accepted' : claim.status,
      denials: [],
    };
  }
  const denials: DenialToOpen[] = [];
  const consider = (lineNumber: number | null, adjustments: PostedAdjustment[], remarks: string[]) => {
    for (const a of adjustments) {
      const c = categoryOf(a.group, a.reason, remarks);
      if (!c.isDenial || a.amountCents <= 0) continue;
      denials.push({
        lineNumber,
        category: c.category,
        groupCode: a.group,
        reasonCode: a.reason,
        remarkCodes: remarks,
        amountCents: a.amountCents,
        suggestedFix: c.suggestedFix,
      });
    }
  };
  const claimRemarks = [...(clp.adjudication?.remarkCodes ?? [])];
  consider(null, claimAdjustments, claimRemarks);
  for (const line of lines)
    consider(line.lineNumber, line.adjustments, [...line.remarkCodes, ...claimRemarks]);
  const denied = clp.statusCode === '4' || (clp.paidCents === 0 && denials.length > 0);
  const to: ClaimStatus = denied ? 'denied' : denials.length > 0 ? 'partially_paid' : 'paid';
  return { ...base, outcome: 'posted', message: null, to, denials };
}
