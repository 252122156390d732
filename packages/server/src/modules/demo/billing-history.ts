/**
 * A billing history for the demo practice: claims of the kinds a family practice bills (visits, labs, preventive
 * exams, imaging with and without authorization) submitted through the sandbox, adjudicated, and posted from
 * the 835s it returns — the outcomes the denial-risk model learns from. Deterministic for a seed.
 */

import type { Services } from '../../services.ts';
import type { AccessContext } from '../patients/service.ts';

export interface HistoryReport {
  submitted: number;
  paid: number;
  denied: number;
  partiallyPaid: number;
}

export async function seedBillingHistory(
  services: Services,
  practiceId: string,
  options: { claims?: number; seed?: number } = {},
): Promise<HistoryReport> {
  const ctx: AccessContext = {
    actorType: 'system',
    actorId: 'demo-billing-history',
    actorRole: null,
    practiceId,
    purpose: 'payment',
    ip: null,
    userAgent: null,
    requestId: null,
  };
  let state = (options.seed ?? 2026) >>> 0;
  const rand = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(rand() * items.length)]!;
  const patients = (await services.patients.searchPatients(ctx, { limit: 500 })).items.filter((p) =>
    p.coverages.some((c) => c.active),
  );
  if (patients.length === 0) return { submitted: 0, paid: 0, denied: 0, partiallyPaid: 0 };
  const scenarios = [
    { weight: 45, dx: ['I10', 'E78.5'], lines: [['99213'], ['99214']] },
    { weight: 15, dx: ['E11.9'], lines: [['99214'], ['80053'], ['36415']] },
    { weight: 12, dx: ['M17.11'], lines: [['73721', 'RT']], imaging: true },
    { weight: 10, dx: ['Z00.00'], lines: [['99396']] },
    { weight: 10, dx: ['J06.9'], lines: [['99212']] },
    { weight: 8, dx: ['R51.9'], lines: [['99213'], ['85025']] },
  ];
  const total = scenarios.reduce((s, x) => s + x.weight, 0);
  let submitted = 0;
  for (let i = 0; i < (options.claims ?? 150); i++) {
    const roll = rand() * total;
    let cumulative = 0;
    const scenario =
      scenarios.find((s) => {
        cumulative += s.weight;
        return roll < cumulative;
      }) ?? scenarios[0]!;
    const patient = pick(patients);
    const date = new Date(Date.now() - Math.floor(rand() * 60 + 1) * 86_400_000).toISOString().slice(0, 10);
    const claim = await services.claims.createClaim(ctx, {
      patientId: patient.id,
      placeOfService: '11',
      diagnoses: scenario.dx,
      priorAuthNumber: scenario.imaging && rand() < 0.5 ? `AUTH${Math.floor(rand() * 1e8)}` : undefined,
      lines: scenario.lines.map(([code, modifier]) => ({
        procedureCode: code!,
        modifiers: modifier ? [modifier] : [],
        units: 1,
        diagnosisPointers: scenario.dx.map((_, k) => k + 1).slice(0, 4),
        serviceDate: date,
      })),
    });
    const validation = await services.claims.validateClaim(ctx, claim.id);
    if (!validation.valid) continue;
    const result = await services.claims.submitClaim(ctx, claim.id);
    if (result.claim.status === 'accepted') submitted += 1;
  }
  await services.remittance.fetchRemittances(ctx);
  const outcomes = await services.claims.listClaims(ctx, { limit: 500 });
  const count = (status: string) => outcomes.items.filter((c) => c.status === status).length;
  return { submitted, paid: count('paid'), denied: count('denied'), partiallyPaid: count('partially_paid') };
}
