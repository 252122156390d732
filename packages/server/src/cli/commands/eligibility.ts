/**
 * `intelluxe eligibility check --payer P --member M --npi N [--service-type 30] [--procedure 99213] [--date D]
 * [--last L --first F --dob D] [--json]`: one 270/271 through the configured gateway, printed as the
 * normalized coverage. The member is looked up among the practice's patients when no name is given.
 */
import { parseArgs } from 'node:util';
import type { EligibilityCheck } from '../../modules/eligibility/service.ts';
import type { AccumulatorView } from '../../modules/eligibility/x12.ts';
import type { AccessContext } from '../../modules/patients/service.ts';
import { DomainError } from '../../platform/errors.ts';
import { createServices } from '../../services.ts';
import type { CliIo } from '../io.ts';
import { configOrExit, withPlatform } from './shared.ts';

const USAGE =
  'usage: intelluxe eligibility check --payer P --member M --npi N [--service-type 30 ...] [--procedure CODE ...] [--date YYYY-MM-DD] [--last NAME --first NAME [--dob YYYY-MM-DD]] [--refresh] [--json]';

const usd = (cents: number | null) =>
  cents === null
    ? '—'
    : `$${(cents / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

function tierLine(label: string, a: AccumulatorView['inNetwork']): string {
  const part = (name: string, t: { amountCents: number | null; remainingCents: number | null }) =>
    t.amountCents === null && t.remainingCents === null
      ? null
      : `${name} ${usd(t.amountCents)} (remaining ${usd(t.remainingCents)})`;
  const parts = [part('individual', a.individual), part('family', a.family)].filter(Boolean);
  return `${label}: ${parts.length ? parts.join('; ') : 'none reported'}`;
}

/** The normalized coverage as a front desk reads it. */
export function formatCheck(check: EligibilityCheck): string[] {
  const c = check.coverage!;
  const lines = [
    `${c.payer.name} (${check.payerId}) — member ${c.subscriber.memberId ?? ''} ${c.subscriber.firstName ?? ''} ${c.subscriber.lastName}`.trimEnd(),
    `Status: ${check.status.toUpperCase()}${c.plan.name ? `  Plan: ${c.plan.name}${c.plan.insuranceType ? ` (${c.plan.insuranceType})` : ''}` : ''}${c.plan.groupNumber ? `  Group: ${c.plan.groupNumber}` : ''}`,
  ];
  if (c.coverageStart || c.coverageEnd)
    lines.push(`Coverage: ${c.coverageStart ?? '?'} → ${c.coverageEnd ?? 'open'}`);
  if (c.planYearStart) lines.push(`Plan year: ${c.planYearStart} → ${c.planYearEnd ?? '?'}`);
  if (c.active) {
    lines.push(
      tierLine('Deductible, in network', c.deductible.inNetwork),
      tierLine('Deductible, out of network', c.deductible.outOfNetwork),
    );
    lines.push(
      tierLine('Out of pocket, in network', c.outOfPocket.inNetwork),
      tierLine('Out of pocket, out of network', c.outOfPocket.outOfNetwork),
    );
    lines.push('Service types:');
    for (const s of c.serviceTypes) {
      const terms = [
        s.copayCents !== null ? `copay ${usd(s.copayCents)}` : null,
        s.coinsurancePercent !== null ? `coinsurance ${s.coinsurancePercent}%` : null,
        s.outOfNetworkCoinsurancePercent !== null
          ? `out of network ${s.outOfNetworkCoinsurancePercent}%`
          : null,
        s.deductibleApplies ? 'deductible applies' : 'no deductible',
        s.authorizationRequired ? 'prior authorization required' : null,
        s.covered ? null : 'NOT COVERED',
      ].filter(Boolean);
      lines.push(`  ${s.code.padEnd(3)} ${s.description}: ${terms.join(', ')}`);
    }
    for (const p of c.procedures) {
      lines.push(
        `  ${p.code} (service type ${p.serviceType}): ${p.covered ? 'covered' : 'NOT COVERED'}${p.authorizationRequired ? ', prior authorization required' : ''}`,
      );
    }
  }
  if (c.priorAuthorizationRequired.length)
    lines.push(`Prior authorization required: ${c.priorAuthorizationRequired.join(', ')}`);
  for (const r of c.rejections)
    lines.push(`Rejected (AAA ${r.code}): ${r.explanation}. ${r.followUp}. Next: ${r.nextStep}`);
  for (const m of c.messages) lines.push(`Payer message: ${m}`);
  if (check.estimate) {
    lines.push('Estimate:');
    for (const l of check.estimate.lines)
      lines.push(
        `  ${l.code} ×${l.units}: allowed ${usd(l.allowedCents)}, patient ${usd(l.patientCents)}, plan ${usd(l.planCents)}`,
      );
    lines.push(`  total patient responsibility ${usd(check.estimate.totalPatientCents)}`);
  }
  lines.push(`Check ${check.id} (${check.cached ? 'cached answer' : 'live'}, ${check.durationMs} ms)`);
  return lines;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'check') {
    io.err(USAGE);
    return 2;
  }
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        payer: { type: 'string' },
        member: { type: 'string' },
        npi: { type: 'string' },
        'service-type': { type: 'string', multiple: true },
        procedure: { type: 'string', multiple: true },
        date: { type: 'string' },
        last: { type: 'string' },
        first: { type: 'string' },
        dob: { type: 'string' },
        practice: { type: 'string' },
        json: { type: 'boolean' },
        refresh: { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    io.err(`intelluxe: ${(error as Error).message}`);
    io.err(USAGE);
    return 2;
  }
  const payer = values.payer as string | undefined;
  const member = values.member as string | undefined;
  const npi = values.npi as string | undefined;
  if (!payer || !member || !npi) {
    io.err(USAGE);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 2;
  return withPlatform(config, async (platform) => {
    const services = createServices(platform);
    const practices = values.practice
      ? [values.practice as string]
      : (await platform.db.selectFrom('practices').select('id').execute()).map((p) => p.id);
    let practiceId: string | undefined;
    for (const id of practices) {
      if ((await services.patients.listProviders(id)).some((p) => p.npi === npi)) practiceId = id;
    }
    if (!practiceId) {
      io.err(`intelluxe: no practice has a provider with NPI ${npi}`);
      return 2;
    }
    const ctx: AccessContext = {
      actorType: 'system',
      actorId: 'cli',
      actorRole: null,
      practiceId,
      purpose: 'payment',
      ip: null,
      userAgent: 'intelluxe-cli',
      requestId: null,
    };
    const common = {
      payerId: payer,
      providerNpi: npi,
      ...(values['service-type'] && { serviceTypes: values['service-type'] as string[] }),
      ...(values.procedure && { procedureCodes: values.procedure as string[] }),
      ...(values.date && { dateOfService: values.date as string }),
      ...(values.refresh && { refresh: true }),
    };
    try {
      let input: Parameters<typeof services.eligibility.check>[1];
      if (values.last && values.first) {
        input = {
          ...common,
          subscriber: {
            memberId: member,
            lastName: values.last as string,
            firstName: values.first as string,
            ...(values.dob && { dateOfBirth: values.dob as string }),
          },
        };
      } else {
        const found = await services.patients.searchPatients(ctx, { memberId: member, limit: 5 });
        const patient = found.items.find((p) =>
          p.coverages.some((c) => c.payerId === payer && c.memberId === member),
        );
        if (!patient) {
          io.err(
            `intelluxe: no patient has ${payer} member id ${member}; give --last and --first (and --dob) to ask the payer directly`,
          );
          return 2;
        }
        input = { ...common, patientId: patient.id };
      }
      const check = await services.eligibility.check(ctx, input, 'cli');
      if (values.json) io.out(JSON.stringify(check, null, 2));
      else for (const line of formatCheck(check)) io.out(line);
      return 0;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      io.err(`intelluxe: ${error.title}: ${error.message}`);
      for (const e of error.errors ?? []) io.err(`  ${e.path}: ${e.message}`);
      return error.status >= 500 ? 1 : 2;
    }
  });
}
