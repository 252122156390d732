/**
 * The claim scrubber: every problem a payer would reject the claim for, found before submission, each with the
 * JSON path of the offending field and a hint to fix it. Pure: the caller supplies the payer's rules, today's
 * date and what it knows about duplicates.
 */
import {
  hcpcs,
  icd10,
  isValidCptFormat,
  isValidMemberId,
  isValidNpi,
  modifiers,
  pos,
} from '@intelluxe/codes';

export interface ScrubLine {
  procedureCode: string;
  modifiers: string[];
  units: number;
  chargeCents: number;
  diagnosisPointers: number[];
  serviceDate: string;
  revenueCode?: string | null;
}

export interface ScrubClaim {
  kind: 'professional' | 'institutional';
  placeOfService: string;
  diagnoses: string[];
  priorAuthNumber: string | null;
  billingProviderNpi: string;
  renderingProviderNpi: string | null;
  subscriber: { memberId: string; firstName: string; lastName: string; dateOfBirth: string | null };
  patient: { firstName: string; lastName: string; dateOfBirth: string; sex: string };
  lines: ScrubLine[];
}

export interface PayerRules {
  timelyFilingDays: number;
  /** Procedure codes the member's plan requires prior authorization for. */
  priorAuthCodes: ReadonlySet<string>;
}

export interface ScrubContext {
  today: string;
  rules: PayerRules;
  /** The patient control number of an existing claim for the same patient, date, payer and codes. */
  duplicateOf: string | null;
}

export type ProblemCode =
  | 'npi'
  | 'diagnosis-unknown'
  | 'diagnosis-not-billable'
  | 'diagnosis-count'
  | 'procedure'
  | 'modifier'
  | 'pointer'
  | 'units'
  | 'charge'
  | 'place-of-service'
  | 'future-date'
  | 'timely-filing'
  | 'subscriber'
  | 'patient'
  | 'duplicate'
  | 'prior-auth';

export interface ScrubProblem {
  path: string;
  code: ProblemCode;
  severity: 'error' | 'warning';
  message: string;
  fix: string;
}

const daysBetween = (from: string, to: string) =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

function validProcedure(code: string): boolean {
  if (/^[A-V][0-9]{4}$/.test(code)) return hcpcs.has(code);
  // CPT descriptions are licensed and not shipped: the format is what can be checked without the practice's list.
  return isValidCptFormat(code);
}

export function scrubClaim(claim: ScrubClaim, ctx: ScrubContext): ScrubProblem[] {
  const problems: ScrubProblem[] = [];
  const add = (
    path: string,
    code: ProblemCode,
    message: string,
    fix: string,
    severity: 'error' | 'warning' = 'error',
  ) => problems.push({ path, code, severity, message, fix });

  if (!isValidNpi(claim.billingProviderNpi)) {
    add(
      '/billingProvider/npi',
      'npi',
      `billing NPI ${claim.billingProviderNpi} fails its check digit`,
      'Correct the NPI from NPPES.',
    );
  }
  if (claim.renderingProviderNpi !== null && !isValidNpi(claim.renderingProviderNpi)) {
    add(
      '/renderingProvider/npi',
      'npi',
      `rendering NPI ${claim.renderingProviderNpi} fails its check digit`,
      'Correct the NPI from NPPES.',
    );
  }

  if (claim.diagnoses.length === 0 || claim.diagnoses.length > 12) {
    add(
      '/diagnoses',
      'diagnosis-count',
      `a claim needs 1 to 12 diagnoses, it has ${claim.diagnoses.length}`,
      'Add the principal diagnosis; move extra codes to another claim.',
    );
  }
  claim.diagnoses.forEach((code, i) => {
    const entry = icd10.get(code);
    if (!entry) {
      add(
        `/diagnoses/${i}`,
        'diagnosis-unknown',
        `${code} is not an ICD-10-CM code`,
        'Look the code up in the current ICD-10-CM tabular list.',
      );
    } else if (!entry.billable) {
      add(
        `/diagnoses/${i}`,
        'diagnosis-not-billable',
        `${entry.code} (${entry.description}) is a category header, not a billable code`,
        'Code to the highest specificity: pick a child code with all its characters.',
      );
    }
  });

  if (!pos.has(claim.placeOfService)) {
    add(
      '/placeOfService',
      'place-of-service',
      `${claim.placeOfService} is not a CMS place of service code`,
      'Use the two-digit POS code, e.g. 11 for office.',
    );
  }

  if (!isValidMemberId(claim.subscriber.memberId)) {
    add(
      '/subscriber/memberId',
      'subscriber',
      'the member id is missing or has characters X12 cannot carry',
      'Copy the member id from the insurance card.',
    );
  }
  for (const field of ['firstName', 'lastName'] as const) {
    if (!claim.subscriber[field].trim())
      add(
        `/subscriber/${field}`,
        'subscriber',
        `the subscriber's ${field} is missing`,
        'Complete the subscriber from the insurance card.',
      );
  }
  if (!claim.subscriber.dateOfBirth) {
    add(
      '/subscriber/dateOfBirth',
      'subscriber',
      "the subscriber's date of birth is missing",
      'Complete the subscriber from the insurance card.',
    );
  }
  if (!claim.patient.dateOfBirth || claim.patient.dateOfBirth > ctx.today) {
    add(
      '/patient/dateOfBirth',
      'patient',
      "the patient's date of birth is missing or in the future",
      "Correct the patient's demographics.",
    );
  }

  if (claim.lines.length === 0)
    add('/lines', 'procedure', 'the claim has no service lines', 'Add at least one procedure.');
  claim.lines.forEach((line, i) => {
    const at = `/lines/${i}`;
    if (!validProcedure(line.procedureCode)) {
      add(
        `${at}/procedureCode`,
        'procedure',
        `${line.procedureCode} is not a valid CPT/HCPCS code`,
        'Use a current CPT or HCPCS Level II code from the charge master.',
      );
    }
    line.modifiers.forEach((m, j) => {
      if (!modifiers.has(m))
        add(
          `${at}/modifiers/${j}`,
          'modifier',
          `${m} is not a CPT or HCPCS modifier`,
          'Remove the modifier or use a valid one (e.g. 25, 59, LT, RT).',
        );
    });
    if (line.modifiers.length > 4)
      add(
        `${at}/modifiers`,
        'modifier',
        'at most four modifiers fit on a line',
        'Keep the four that affect payment.',
      );
    if (line.diagnosisPointers.length === 0 || line.diagnosisPointers.length > 4) {
      add(
        `${at}/diagnosisPointers`,
        'pointer',
        'each line needs 1 to 4 diagnosis pointers',
        'Point the line at the diagnoses it treats.',
      );
    }
    const seen = new Set<number>();
    line.diagnosisPointers.forEach((p, j) => {
      if (p < 1 || p > claim.diagnoses.length) {
        add(
          `${at}/diagnosisPointers/${j}`,
          'pointer',
          `pointer ${p} targets no diagnosis (the claim has ${claim.diagnoses.length})`,
          'Point at a listed diagnosis.',
        );
      } else if (seen.has(p)) {
        add(
          `${at}/diagnosisPointers/${j}`,
          'pointer',
          `pointer ${p} is repeated`,
          'List each diagnosis once per line.',
        );
      }
      seen.add(p);
    });
    if (!Number.isInteger(line.units) || line.units < 1 || line.units > 999) {
      add(
        `${at}/units`,
        'units',
        `units must be a whole number from 1 to 999, got ${line.units}`,
        'Bill the units actually delivered.',
      );
    }
    if (line.chargeCents <= 0)
      add(`${at}/chargeCents`, 'charge', 'the line has no charge', 'Price the line from the charge master.');
    if (line.serviceDate > ctx.today) {
      add(
        `${at}/serviceDate`,
        'future-date',
        `service date ${line.serviceDate} is in the future`,
        'Bill after the service is delivered.',
      );
    } else if (daysBetween(line.serviceDate, ctx.today) > ctx.rules.timelyFilingDays) {
      add(
        `${at}/serviceDate`,
        'timely-filing',
        `service date ${line.serviceDate} is past the payer's ${ctx.rules.timelyFilingDays}-day timely filing limit`,
        'Submit with proof of timely filing, or write the line off; the payer will deny it CO-29.',
      );
    }
    if (ctx.rules.priorAuthCodes.has(line.procedureCode) && !claim.priorAuthNumber) {
      add(
        '/priorAuthNumber',
        'prior-auth',
        `${line.procedureCode} requires prior authorization from this payer and the claim carries none`,
        'Attach the authorization number (REF G1), or request a retro-authorization; the payer will deny it CO-197.',
        // A warning, not a block: some payers grant retro-authorization, and the biller decides.
        'warning',
      );
    }
  });

  if (ctx.duplicateOf) {
    add(
      '/',
      'duplicate',
      `this claim duplicates claim ${ctx.duplicateOf} (same patient, payer, dates and codes)`,
      'Submit a replacement (frequency 7) instead, or void the other claim.',
    );
  }
  return problems;
}
