import type { Claim } from '@intelluxe/x12';
import { describe, expect, it } from 'vitest';
import { adjudicateClaim } from './adjudication.ts';
import { findPlan } from './plans.ts';

const ppo = findPlan('anthem', 'Anthem Blue Access PPO')!; // deductible $1,500, 20% coinsurance, OOP $6,000, office copay $30
const prices: Record<string, number> = {
  '99214': 12_000,
  '80053': 2_000,
  '85025': 10_000,
  '73721': 60_000,
  '97810': 5_000,
};

function claim(lines: Array<[code: string, chargeCents: number]>, priorAuthorization?: string): Claim {
  return {
    billingProvider: {
      type: 'organization',
      name: 'Riverside Family Medicine',
      idQualifier: 'XX',
      id: '1987654328',
    },
    subscriber: {
      type: 'person',
      name: 'ALVAREZ',
      firstName: 'MARIA',
      idQualifier: 'MI',
      id: 'XGH123456789',
      payerResponsibility: 'P',
      relationship: '18',
    },
    payer: { type: 'organization', name: 'ANTHEM', idQualifier: 'PI', id: '00227' },
    patientControlNumber: 'C1000001',
    chargeCents: lines.reduce((s, [, c]) => s + c, 0),
    placeOfService: '11',
    frequencyCode: '1',
    providerSignature: true,
    diagnoses: [{ qualifier: 'ABK', code: 'E119' }],
    priorAuthorization,
    lines: lines.map(([code, chargeCents], i) => ({
      procedure: { qualifier: 'HC', code, modifiers: [] },
      chargeCents,
      unitType: 'UN',
      units: 1,
      diagnosisPointers: [1],
      serviceDate: { start: '2026-11-02' },
      lineControlNumber: `C1000001-${i + 1}`,
    })),
  };
}

const run = (c: Claim, deductibleMetCents: number, oopMetCents: number, alreadyPaid: string[] = []) =>
  adjudicateClaim({
    claim: c,
    plan: ppo,
    accumulators: { deductibleMetCents, oopMetCents },
    allowed: ({ code }) => prices[code] ?? null,
    receivedDate: '2026-11-21',
    payerClaimNumber: '002271234567890',
    alreadyPaid: new Set(alreadyPaid),
    inNetwork: true,
  });

const adj = (r: ReturnType<typeof run>, line = 0) =>
  r.payment.services[line]!.adjustments.map((a) => `${a.group}-${a.reason} ${a.amountCents}`);

describe('sandbox adjudication', () => {
  it('office visit: contractual write-off and the $30 copay, deductible untouched', () => {
    const r = run(claim([['99214', 21_000]]), 0, 0);
    expect(adj(r)).toEqual(['CO-45 9000', 'PR-3 3000']);
    expect(r.payment).toMatchObject({ statusCode: '1', paidCents: 9_000, patientResponsibilityCents: 3_000 });
    expect(r.accumulators).toMatchObject({ deductibleMetCents: 0, oopMetCents: 3_000 });
  });

  it('lab before the deductible is met: the member pays the allowed amount', () => {
    const r = run(claim([['80053', 6_500]]), 0, 0);
    expect(adj(r)).toEqual(['CO-45 4500', 'PR-1 2000']);
    expect(r.payment.paidCents).toBe(0);
    expect(r.accumulators.deductibleMetCents).toBe(2_000);
  });

  it('deductible met: 20% coinsurance only', () => {
    const r = run(claim([['80053', 6_500]]), 150_000, 150_000);
    expect(adj(r)).toEqual(['CO-45 4500', 'PR-2 400']);
    expect(r.payment.paidCents).toBe(1_600);
  });

  it('deductible partly met: the rest of it, then coinsurance on the remainder', () => {
    const r = run(claim([['85025', 15_000]]), 146_000, 146_000); // $40 left: PR-1 4000, 20% of $60 = PR-2 1200
    expect(adj(r)).toEqual(['CO-45 5000', 'PR-1 4000', 'PR-2 1200']);
    expect(r.payment.paidCents).toBe(4_800);
  });

  it('the out-of-pocket maximum caps the member share', () => {
    const r = run(claim([['85025', 15_000]]), 150_000, 599_000); // coinsurance $20 but only $10 left to the max
    expect(adj(r)).toEqual(['CO-45 5000', 'PR-2 1000']);
    expect(r.payment.paidCents).toBe(9_000);
    expect(r.accumulators.oopMetCents).toBe(600_000);
  });

  it('MRI without authorization is denied CO-197; with one it is paid', () => {
    const denied = run(claim([['73721', 145_000]]), 150_000, 150_000);
    expect(adj(denied)).toEqual(['CO-197 145000']);
    expect(denied.payment).toMatchObject({ statusCode: '4', paidCents: 0 });
    const authorized = run(claim([['73721', 145_000]], 'AUTH12345'), 150_000, 150_000);
    expect(adj(authorized)).toEqual(['CO-45 85000', 'PR-2 12000']);
    expect(authorized.payment.paidCents).toBe(48_000);
  });

  it('non-covered, unpriced, duplicate and late lines', () => {
    expect(adj(run(claim([['97810', 9_000]]), 0, 0))).toEqual(['CO-96 9000']);
    expect(adj(run(claim([['99499', 9_000]]), 0, 0))).toEqual(['CO-16 9000']);
    expect(adj(run(claim([['80053', 6_500]]), 150_000, 150_000, ['80053|2026-11-02']))).toEqual([
      'CO-18 6500',
    ]);
    const late = claim([['80053', 6_500]]);
    late.lines[0]!.serviceDate = { start: '2026-07-01' };
    expect(adj(run(late, 0, 0))).toEqual(['CO-29 6500']);
  });

  it('balances: charge = paid + adjustments on every line', () => {
    const r = run(
      claim([
        ['99214', 21_000],
        ['80053', 6_500],
        ['73721', 145_000],
      ]),
      50_000,
      50_000,
    );
    for (const s of r.payment.services)
      expect(s.paidCents + s.adjustments.reduce((x, a) => x + a.amountCents, 0)).toBe(s.chargeCents);
    expect(r.payment.paidCents).toBe(r.payment.services.reduce((x, s) => x + s.paidCents, 0));
  });
});
