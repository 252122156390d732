import { describe, expect, it } from 'vitest';
import { auc, InsufficientHistoryError, type RiskClaim, scoreClaim, trainRiskModel } from './risk-model.ts';

function history(n: number, seed = 1) {
  let s = seed;
  const rand = () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
  return Array.from({ length: n }, () => {
    const mri = rand() < 0.2;
    const auth = mri && rand() < 0.5;
    const days = rand() < 0.15 ? 120 + Math.floor(rand() * 200) : Math.floor(rand() * 30);
    const claim: RiskClaim = {
      payerId: ['anthem', 'uhc', 'aetna'][Math.floor(rand() * 3)]!,
      procedureCodes: mri ? ['73721'] : ['99213'],
      modifiers: mri ? ['RT'] : [],
      placeOfService: '11',
      totalChargeCents: mri ? 145_000 : 14_000,
      hasPriorAuth: auth,
      daysToSubmit: days,
      renderingProviderId: null,
      diagnosisCount: 1,
    };
    const denied = (mri && !auth) || days > 90 || rand() < 0.03;
    return { claim, denied };
  });
}

describe('denial-risk model', () => {
  it('computes AUC as the rank statistic', () => {
    expect(auc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBe(0.75);
    expect(auc([1, 2, 3], [0, 0, 0])).toBe(0.5);
  });

  it('learns the drivers of denials and ranks risky claims above clean ones', () => {
    const model = trainRiskModel(history(600));
    expect(model.metrics.auc).toBeGreaterThan(0.85);
    const clean = scoreClaim(model, {
      ...history(1)[0]!.claim,
      procedureCodes: ['99213'],
      modifiers: [],
      hasPriorAuth: false,
      daysToSubmit: 5,
      totalChargeCents: 14_000,
    });
    const unauthorizedMri = scoreClaim(model, {
      payerId: 'anthem',
      procedureCodes: ['73721'],
      modifiers: ['RT'],
      placeOfService: '11',
      totalChargeCents: 145_000,
      hasPriorAuth: false,
      daysToSubmit: 3,
      renderingProviderId: null,
      diagnosisCount: 1,
    });
    const late = scoreClaim(model, {
      payerId: 'uhc',
      procedureCodes: ['99213'],
      modifiers: [],
      placeOfService: '11',
      totalChargeCents: 14_000,
      hasPriorAuth: false,
      daysToSubmit: 200,
      renderingProviderId: null,
      diagnosisCount: 1,
    });
    expect(unauthorizedMri.probability).toBeGreaterThan(clean.probability + 0.3);
    expect(late.probability).toBeGreaterThan(clean.probability + 0.3);
    expect(late.factors.map((f) => f.label).join(' ')).toMatch(/days|90|180/);
  });

  it('is deterministic for a seed and refuses too little history', () => {
    expect(trainRiskModel(history(200), { seed: 3 })).toEqual(trainRiskModel(history(200), { seed: 3 }));
    expect(() => trainRiskModel(history(20))).toThrow(InsufficientHistoryError);
  });
});
