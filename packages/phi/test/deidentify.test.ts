import { describe, expect, it } from 'vitest';
import { dateShiftDays, deidentify, safeHarborZip, shiftDate } from '../src/index.ts';

const note =
  'Mr. John Smith (MRN 00123456) seen 3/14/2019 by Dr. Healey; 92 yo; Baltimore, MD 21201. BP 120/80.';

describe('deidentify', () => {
  it('mask replaces each span with its type', () => {
    const { text, spans } = deidentify(note, { mode: 'mask' });
    expect(text).toContain('[NAME]');
    expect(text).toContain('[MRN]');
    expect(text).toContain('[DATE]');
    expect(text).toContain('BP 120/80');
    expect(text).not.toContain('Healey');
    expect(spans.length).toBeGreaterThan(4);
  });

  it('redact keeps the layout', () => {
    const { text } = deidentify(note, { mode: 'redact' });
    expect(text).toHaveLength(note.length);
    expect(text).not.toContain('Smith');
    expect(text).toContain('BP 120/80');
  });

  it('pseudonymize is stable per key and patient and keeps formats', () => {
    const a = deidentify(note, { mode: 'pseudonymize', key: 'secret', patientKey: 'p1' }).text;
    const b = deidentify(note, { mode: 'pseudonymize', key: 'secret', patientKey: 'p1' }).text;
    const c = deidentify(note, { mode: 'pseudonymize', key: 'secret', patientKey: 'p2' }).text;
    expect(a).toBe(b);
    expect(a).not.toBe(c);
    expect(a).not.toContain('Healey');
    expect(a).toMatch(/MRN \d{8}\)/);
    expect(a).toMatch(/seen \d{1,2}\/\d{1,2}\/\d{4}/);
    expect(a).toContain('90+ yo');
    expect(a).toContain('MD 212.');
  });

  it('the same name gets the same surrogate within a patient', () => {
    const { text } = deidentify('Dr. Healey saw her. Dr. Healey called.', {
      mode: 'pseudonymize',
      key: 'k',
      patientKey: 'p',
    });
    const names = [...text.matchAll(/Dr\. (\w+)/g)].map((m) => m[1]);
    expect(names[0]).toBe(names[1]);
    expect(names[0]).not.toBe('Healey');
  });

  it('dateshift moves every date by the same offset and masks the rest', () => {
    const days = dateShiftDays('k', 'p');
    expect(days).not.toBe(0);
    expect(Math.abs(days)).toBeLessThanOrEqual(365);
    const { text } = deidentify('Admitted 2019-03-14, discharged 2019-03-20. Dr. Healey.', {
      mode: 'dateshift',
      key: 'k',
      patientKey: 'p',
    });
    const dates = [...text.matchAll(/\d{4}-\d{2}-\d{2}/g)].map((m) => Date.parse(m[0]));
    expect((dates[1]! - dates[0]!) / 86_400_000).toBe(6);
    expect(text).toContain('[NAME]');
  });

  it('pseudonymized addresses keep the street suffix, the state and a Safe Harbor ZIP3', () => {
    const { text } = deidentify('Lives at 12 Oak Street, Baltimore, MD 21201', {
      mode: 'pseudonymize',
      key: 'k',
      patientKey: 'p',
    });
    expect(text).toMatch(/^Lives at \d+ \w+ Street, \w+, MD 212$/);
    expect(text).not.toContain('Oak');
  });

  it('uses spans given by the caller', () => {
    expect(
      deidentify('abc def', {
        mode: 'mask',
        spans: [{ start: 4, end: 7, type: 'NAME', confidence: 1, detector: 'x' }],
      }).text,
    ).toBe('abc [NAME]');
  });
});

describe('shiftDate', () => {
  it.each([
    ['7/22', 10, '8/01'],
    ['3/14/2019', 1, '3/15/2019'],
    ['12/31/99', 1, '01/01/00'],
    ['2026-03-14', -14, '2026-02-28'],
    ['March 3rd', 1, 'March 4th'],
    ['Mar 3, 2019', 30, 'Apr 2, 2019'],
    ['3-Mar', 1, '4-Mar'],
    ['the 3rd of June', 1, 'the 4th of June'],
    ['MARCH 2019', 40, 'APRIL 2019'],
  ])('%s + %i days = %s', (date, days, expected) => {
    expect(shiftDate(date, days)).toBe(expected);
  });

  it('returns undefined for text that is not a date', () => {
    expect(shiftDate('tomorrow', 3)).toBeUndefined();
    expect(shiftDate('2/30', 3)).toBeUndefined();
  });
});

describe('safeHarborZip', () => {
  it('keeps the first three digits, or 000 for restricted ZIP3 areas', () => {
    expect(safeHarborZip('21201')).toBe('212');
    expect(safeHarborZip('03601')).toBe('000');
    expect(safeHarborZip('82301-1234')).toBe('000');
    expect(safeHarborZip('00501')).toBe('000');
  });
});
