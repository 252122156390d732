import { describe, expect, it } from 'vitest';
import {
  formatIcd10,
  isValidCptFormat,
  isValidHcpcsFormat,
  isValidIcd10Format,
  isValidTaxonomyFormat,
  normalizeIcd10,
} from './formats.ts';

describe('ICD-10-CM format', () => {
  it.each([
    ['E11.9', true],
    ['E119', true],
    ['e11.9', true],
    [' Z00.00 ', true],
    ['E11', true],
    ['S52.521A', true],
    ['C4A.0', true],
    ['QA0.0101', true],
    ['U07.1', true],
    ['E1', false],
    ['E11.', false],
    ['E1.19', false],
    ['111.9', false],
    ['E11.95321', false],
    ['E11-9', false],
    ['', false],
  ])('%j → %s', (code, valid) => {
    expect(isValidIcd10Format(code)).toBe(valid);
  });

  it.each([
    [' e11.9 ', 'E119', 'E11.9'],
    ['E119', 'E119', 'E11.9'],
    ['Z00.00', 'Z0000', 'Z00.00'],
    ['I10', 'I10', 'I10'],
  ])('%j normalizes to %s and formats as %s', (input, compact, dotted) => {
    expect(normalizeIcd10(input)).toBe(compact);
    expect(formatIcd10(input)).toBe(dotted);
  });
});

describe('HCPCS, CPT and taxonomy formats', () => {
  it.each([
    ['J1885', true],
    ['g0439', true],
    ['99213', false],
    ['J188', false],
    ['JJ885', false],
  ])('HCPCS %j → %s', (code, valid) => {
    expect(isValidHcpcsFormat(code)).toBe(valid);
  });

  it.each([
    ['99213', true],
    ['3074F', true],
    ['0042T', true],
    ['0001U', true],
    ['0002M', true],
    ['J1885', false],
    ['9921', false],
    ['992134', false],
    ['1234X', false],
  ])('CPT %j → %s', (code, valid) => {
    expect(isValidCptFormat(code)).toBe(valid);
  });

  it.each([
    ['207Q00000X', true],
    ['363LF0000X', true],
    ['207q00000x', true],
    ['207Q00000', false],
    ['207Q000001', false],
    ['A07Q00000X', false],
  ])('taxonomy %j → %s', (code, valid) => {
    expect(isValidTaxonomyFormat(code)).toBe(valid);
  });
});
