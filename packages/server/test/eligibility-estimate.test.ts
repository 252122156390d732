import { describe, expect, it } from 'vitest';
import { type CostShareTerms, coinsuranceOf, estimateCosts } from '../src/modules/eligibility/estimate.ts';

const coins = (percent: number, deductibleApplies = true): CostShareTerms => ({
  serviceType: '62',
  covered: true,
  copayCents: null,
  coinsurancePercent: percent,
  deductibleApplies,
});
const copay = (cents: number): CostShareTerms => ({
  serviceType: '98',
  covered: true,
  copayCents: cents,
  coinsurancePercent: 20,
  deductibleApplies: false,
});

describe('estimateCosts: allowed → deductible → copay/coinsurance → out-of-pocket cap', () => {
  it.each([
    // name, unit allowed, units, terms, deductible left, OOP left, [deductible, copay, coinsurance, patient, plan]
    [
      'deductible not met, all to deductible',
      28_411,
      1,
      coins(20),
      150_000,
      600_000,
      [28_411, 0, 0, 28_411, 0],
    ],
    [
      'deductible crosses inside the line',
      28_411,
      1,
      coins(20),
      10_000,
      600_000,
      [10_000, 0, 3_682, 13_682, 14_729],
    ],
    ['deductible met, coinsurance only', 28_411, 1, coins(20), 0, 600_000, [0, 0, 5_682, 5_682, 22_729]],
    ['no deductible on the plan', 10_000, 1, coins(20), null, null, [0, 0, 2_000, 2_000, 8_000]],
    ['copay skips the deductible', 12_309, 1, copay(3_000), 150_000, 600_000, [0, 3_000, 0, 3_000, 9_309]],
    ['copay above the allowed amount', 2_000, 1, copay(3_000), 0, 600_000, [0, 2_000, 0, 2_000, 0]],
    ['units multiply the allowed amount', 4_174, 3, coins(20), 0, null, [0, 0, 2_504, 2_504, 10_018]],
    ['out-of-pocket cap limits coinsurance', 28_411, 1, coins(20), 0, 2_000, [0, 0, 2_000, 2_000, 26_411]],
    ['out-of-pocket exhausted: plan pays all', 28_411, 1, coins(20), 0, 0, [0, 0, 0, 0, 28_411]],
    [
      'deductible waived (preventive), 0% coinsurance',
      17_800,
      1,
      coins(0, false),
      150_000,
      600_000,
      [0, 0, 0, 0, 17_800],
    ],
    ['Medicare 20% after the Part B deductible', 9_118, 1, coins(20), 28_300, null, [9_118, 0, 0, 9_118, 0]],
  ] as const)('%s', (_name, unit, units, terms, ded, oop, expected) => {
    const [line] = estimateCosts([{ code: 'X', units, unitAllowedCents: unit, terms }], {
      deductibleRemainingCents: ded,
      outOfPocketRemainingCents: oop,
    }).lines;
    expect([
      line!.deductibleCents,
      line!.copayCents,
      line!.coinsuranceCents,
      line!.patientCents,
      line!.planCents,
    ]).toEqual(expected);
    expect(line!.patientCents! + line!.planCents!).toBe(unit * units);
  });

  it('lines consume the deductible and the out-of-pocket room in order', () => {
    const estimate = estimateCosts(
      [
        { code: '73721', units: 1, unitAllowedCents: 28_411, terms: coins(20) },
        { code: '80053', units: 1, unitAllowedCents: 1_426, terms: coins(20) },
        { code: '99213', units: 1, unitAllowedCents: 12_309, terms: copay(3_000) },
      ],
      { deductibleRemainingCents: 30_000, outOfPocketRemainingCents: 31_000 },
    );
    const [mri, lab, visit] = estimate.lines;
    // MRI: 28,411 to the deductible (1,589 left); lab: 1,426 to the deductible (163 left), 0 coinsurance.
    expect(mri!.patientCents).toBe(28_411);
    expect(lab!.patientCents).toBe(1_426);
    // OOP room: 31,000 − 28,411 − 1,426 = 1,163 < the 3,000 copay.
    expect(visit).toMatchObject({ copayCents: 1_163, patientCents: 1_163, planCents: 11_146 });
    expect(estimate).toMatchObject({
      totalAllowedCents: 42_146,
      totalPatientCents: 31_000,
      totalPlanCents: 11_146,
      complete: true,
      deductibleRemainingAfterCents: 163,
      outOfPocketRemainingAfterCents: 0,
    });
  });

  it('a non-covered service is the patient’s in full and counts toward nothing', () => {
    const estimate = estimateCosts(
      [{ code: '97810', units: 1, unitAllowedCents: 4_027, terms: { ...coins(20), covered: false } }],
      { deductibleRemainingCents: 100, outOfPocketRemainingCents: 100 },
    );
    expect(estimate.lines[0]).toMatchObject({ patientCents: 4_027, planCents: 0 });
    expect(estimate.deductibleRemainingAfterCents).toBe(100);
    expect(estimate.outOfPocketRemainingAfterCents).toBe(100);
  });

  it('the allowed step states the amount once, and how units multiply it', () => {
    const basis = "anthem pays 135% of Medicare's $91.18 for 99213 = $123.09";
    const estimate = estimateCosts(
      [
        { code: '99213', units: 1, unitAllowedCents: 12_309, allowedBasis: basis, terms: coins(20) },
        { code: 'J1745', units: 3, unitAllowedCents: 4_174, terms: coins(20) },
      ],
      { deductibleRemainingCents: 0, outOfPocketRemainingCents: null },
    );
    expect(estimate.lines[0]!.steps[0]).toEqual({ step: 'allowed', detail: basis, amountCents: 12_309 });
    expect(estimate.lines[1]!.steps[0]).toEqual({
      step: 'allowed',
      detail: 'allowed $41.74 per unit; × 3 units = $125.22',
      amountCents: 12_522,
    });
  });

  it('a code without a fee schedule is listed but not priced', () => {
    const estimate = estimateCosts(
      [
        { code: '0001U', units: 1, unitAllowedCents: null, terms: coins(20) },
        { code: '73721', units: 1, unitAllowedCents: 28_411, terms: coins(20) },
      ],
      { deductibleRemainingCents: 0, outOfPocketRemainingCents: null },
    );
    expect(estimate.complete).toBe(false);
    expect(estimate.lines[0]).toMatchObject({ patientCents: null, steps: [{ step: 'no_fee_schedule' }] });
    expect(estimate.totalPatientCents).toBe(5_682);
  });

  it.each([
    [18_411, 20, 3_682],
    [10_001, 20, 2_000],
    [10_003, 20, 2_001],
    [333, 12.5, 42],
    [0, 20, 0],
  ])('coinsuranceOf(%i, %f) = %i (half up)', (amount, percent, expected) => {
    expect(coinsuranceOf(amount, percent)).toBe(expected);
  });
});
