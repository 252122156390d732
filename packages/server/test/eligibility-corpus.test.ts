import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse271 } from '@intelluxe/x12';
import { describe, expect, it } from 'vitest';
import { normalizeCoverage } from '../src/modules/eligibility/x12.ts';

const DIR = '/work/shared/corpora/x12/271';
const files = readdirSync(DIR).filter((f) => f.endsWith('.x12'));

function normalized(file: string) {
  const parsed = parse271(readFileSync(join(DIR, file)));
  const response = parsed.transactions[0];
  expect(response, file).toBeDefined();
  return normalizeCoverage(response!, { serviceTypes: ['30'], procedureCodes: [] });
}

describe('the 271 corpus reads into sensible coverage', () => {
  it('has files to read', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files)('%s', (file) => {
    const c = normalized(file);
    expect(['active', 'inactive', 'rejected']).toContain(c.status);
    // Active coverage has no subscriber/dependent rejection; a rejected one explains every AAA.
    if (c.status === 'active')
      expect(c.rejections.filter((r) => r.level === 'subscriber' || r.level === 'dependent')).toEqual([]);
    for (const r of c.rejections) {
      expect(r.explanation.length).toBeGreaterThan(10);
      expect(r.followUp.length).toBeGreaterThan(5);
    }
    for (const tier of [c.deductible.inNetwork.individual, c.outOfPocket.inNetwork.individual]) {
      if (tier.amountCents !== null && tier.remainingCents !== null)
        expect(tier.remainingCents).toBeLessThanOrEqual(tier.amountCents);
    }
    for (const st of c.serviceTypes) {
      if (st.coinsurancePercent !== null) {
        expect(st.coinsurancePercent).toBeGreaterThanOrEqual(0);
        expect(st.coinsurancePercent).toBeLessThanOrEqual(100);
      }
    }
  });

  it('reads the X12 guide example subscriber: active, plan and coverage start', () => {
    const c = normalized('oop_5010_example_3_1_2.x12');
    expect(c).toMatchObject({ active: true, status: 'active', plan: { name: 'GOLD 123 PLAN' } });
    expect(c.subscriber).toMatchObject({ lastName: 'SMITH', memberId: '123456789' });
  });

  it('explains a provider not eligible for inquiries (AAA 50, do not resubmit)', () => {
    const c = normalized('oop_5010_example_3_1_3.x12');
    expect(c.active).toBe(false);
    expect(c.rejections[0]).toMatchObject({
      code: '50',
      level: 'provider',
      explanation: 'The provider is not eligible to make inquiries',
      followUpAction: 'N',
      retryable: false,
    });
  });

  it('explains a payer unable to respond (AAA 42) as retryable', () => {
    const c = normalized('oop_5010_from_georgiosd.x12');
    expect(c.status).toBe('rejected');
    expect(c.rejections[0]).toMatchObject({ code: '42', followUpAction: 'R', retryable: true });
  });

  it('reads a Medicare HETS response with many benefits', () => {
    const c = normalized('oop_4010_cms_hets.x12');
    expect(c.active).toBe(true);
    expect(c.messages.length + c.serviceTypes.length).toBeGreaterThan(0);
  });
});
