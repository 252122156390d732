import { describe, expect, it } from 'vitest';
import { isValidMemberId, isValidNpi, npiCheckDigit } from './identifiers.ts';

describe('NPI', () => {
  it.each([
    ['1234567893', true],
    ['1234567890', false],
    ['1245319599', true],
    ['1245319598', false],
    ['123456789', false],
    ['12345678931', false],
    ['123456789A', false],
    [' 1234567893', false],
    ['', false],
  ])('%j → %s', (npi, valid) => {
    expect(isValidNpi(npi)).toBe(valid);
  });

  it('computes the check digit that makes an NPI valid', () => {
    expect(npiCheckDigit('123456789')).toBe(3);
    for (const first9 of ['100000000', '123456789', '199999999', '287654321', '150000000']) {
      const npi = first9 + npiCheckDigit(first9);
      expect(isValidNpi(npi)).toBe(true);
      const wrongDigit = (Number(npi[9]) + 1) % 10;
      expect(isValidNpi(first9 + wrongDigit)).toBe(false);
    }
  });

  it.each(['12345678', '1234567890', 'abcdefghi'])('rejects %j as the first 9 digits', (first9) => {
    expect(() => npiCheckDigit(first9)).toThrow(RangeError);
  });
});

describe('member id', () => {
  it.each([
    ['W123456789', true],
    ['AB', true],
    ['xyz-1234_5', true],
    ['ABC 123', true],
    ['H1234.56/7', true],
    ['A'.repeat(80), true],
    ['A', false],
    ['A'.repeat(81), false],
    ['ABC*123', false],
    ['ABC~123', false],
    ['ABC:123', false],
    ['ABC^123', false],
    [' ABC123', false],
    ['ABC123 ', false],
    ['ABC\t123', false],
    ['ABÇ123', false],
    ['', false],
  ])('%j → %s', (id, valid) => {
    expect(isValidMemberId(id)).toBe(valid);
  });
});
