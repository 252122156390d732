import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deidentify, scan } from '../src/index.ts';

const noteLike = fc.array(
  fc.oneof(
    fc.string(),
    fc.constantFrom(
      'Dr. ',
      'Healey ',
      '7/22 ',
      '410-555-1212 ',
      'MRN: ',
      '\n',
      ', ',
      'St. ',
      '92 yo ',
      'son bill ',
    ),
  ),
  { maxLength: 30 },
);

describe('scan on arbitrary input', () => {
  it('never throws; spans are sorted, within bounds and do not overlap', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 200 }),
          // Lone surrogates and control characters too.
          fc.string({ unit: 'binary', maxLength: 200 }),
          noteLike.map((a) => a.join('')),
        ),
        (text) => {
          const spans = scan(text);
          let pos = 0;
          for (const s of spans) {
            expect(s.start).toBeGreaterThanOrEqual(pos);
            expect(s.end).toBeGreaterThan(s.start);
            expect(s.end).toBeLessThanOrEqual(text.length);
            pos = s.end;
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(
        noteLike.map((a) => a.join('')),
        (text) => {
          expect(scan(text)).toEqual(scan(text));
        },
      ),
      { numRuns: 100 },
    );
  });

  it('deidentify never throws in any mode', () => {
    fc.assert(
      fc.property(
        noteLike.map((a) => a.join('')),
        fc.constantFrom('mask', 'redact', 'pseudonymize', 'dateshift'),
        (text, mode) => {
          expect(typeof deidentify(text, { mode: mode as 'mask', key: 'k', patientKey: 'p' }).text).toBe(
            'string',
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('stays fast on long, dense input (no quadratic steps)', () => {
    const text = 'Dr. Smith 7/22 410-555-1212 '.repeat(5000);
    const t0 = performance.now();
    const spans = scan(text);
    expect(spans.length).toBe(15000);
    expect(performance.now() - t0).toBeLessThan(10_000);
  });

  it('tolerates non-string input at run time', () => {
    expect(scan(undefined as unknown as string)).toEqual([]);
    expect(scan('')).toEqual([]);
  });
});
