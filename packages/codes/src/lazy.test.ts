import { expect, it } from 'vitest';
import { carc, drugs, hcpcs, icd10, isValidNpi, modifiers, taxonomy } from './index.ts';

// Vitest gives each test file a fresh module registry, so nothing here has been loaded by another file.
it('reads a data file only when its code set is first used', () => {
  expect(isValidNpi('1234567893')).toBe(true);
  expect([icd10, hcpcs, modifiers, carc, taxonomy, drugs].map((set) => set.loaded)).toEqual([
    false,
    false,
    false,
    false,
    false,
    false,
  ]);
  expect(carc.get('45')).toBeDefined();
  expect(carc.loaded).toBe(true);
  expect(icd10.loaded).toBe(false);
  expect(drugs.loaded).toBe(false);
});
