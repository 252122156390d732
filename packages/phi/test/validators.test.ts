import { describe, expect, it } from 'vitest';
import { deaValid, ibanValid, luhnValid, npiValid, ssnValid, vinValid } from '../src/index.ts';

describe('validators', () => {
  it.each([
    [luhnValid, '4111111111111111', '4111111111111112'],
    [npiValid, '1234567893', '1234567890'],
    [vinValid, '1HGCM82633A004352', '1HGCM82633A004353'],
    [deaValid, 'AB1234563', 'AB1234564'],
    [ibanValid, 'GB82WEST12345698765432', 'GB82WEST12345698765433'],
    [ssnValid, '123-45-6789'.replace('123', '223'), '666-12-3456'],
  ] as const)('%o accepts %s and rejects %s', (fn, good, bad) => {
    expect(fn(good)).toBe(true);
    expect(fn(bad)).toBe(false);
  });

  it('rejects SSNs in the never-issued ranges', () => {
    for (const ssn of ['000-12-3456', '912-34-5678', '123-00-4567', '123-45-0000'])
      expect(ssnValid(ssn)).toBe(false);
  });
});
