import { describe, expect, it } from 'vitest';
import { type ScrubClaim, type ScrubContext, scrubClaim } from './scrubber.ts';

const clean: ScrubClaim = {
  kind: 'professional',
  placeOfService: '11',
  diagnoses: ['E11.9', 'I10'],
  priorAuthNumber: null,
  billingProviderNpi: '1987654328',
  renderingProviderNpi: '1234567893',
  subscriber: {
    memberId: 'XGH123456789',
    firstName: 'Maria',
    lastName: 'Alvarez',
    dateOfBirth: '1984-07-22',
  },
  patient: { firstName: 'Maria', lastName: 'Alvarez', dateOfBirth: '1984-07-22', sex: 'female' },
  lines: [
    {
      procedureCode: '99214',
      modifiers: ['25'],
      units: 1,
      chargeCents: 21_000,
      diagnosisPointers: [1, 2],
      serviceDate: '2026-11-02',
    },
    {
      procedureCode: 'G0008',
      modifiers: [],
      units: 1,
      chargeCents: 3_000,
      diagnosisPointers: [1],
      serviceDate: '2026-11-02',
    },
  ],
};
const ctx: ScrubContext = {
  today: '2026-11-21',
  rules: { timelyFilingDays: 90, priorAuthCodes: new Set(['73721', '70551']) },
  duplicateOf: null,
};

const line0 = clean.lines[0]!;
const cases: Array<[string, Partial<ScrubClaim>, Partial<ScrubContext>, string, string]> = [
  ['billing NPI check digit', { billingProviderNpi: '1987654322' }, {}, '/billingProvider/npi', 'npi'],
  ['rendering NPI check digit', { renderingProviderNpi: '1234567890' }, {}, '/renderingProvider/npi', 'npi'],
  ['unknown ICD-10 code', { diagnoses: ['E11.9', 'Q99.99'] }, {}, '/diagnoses/1', 'diagnosis-unknown'],
  ['ICD-10 header code', { diagnoses: ['E11', 'I10'] }, {}, '/diagnoses/0', 'diagnosis-not-billable'],
  ['no diagnosis', { diagnoses: [] }, {}, '/diagnoses', 'diagnosis-count'],
  ['bad HCPCS', { lines: [{ ...line0, procedureCode: 'Z9999' }] }, {}, '/lines/0/procedureCode', 'procedure'],
  [
    'bad CPT format',
    { lines: [{ ...line0, procedureCode: '9921' }] },
    {},
    '/lines/0/procedureCode',
    'procedure',
  ],
  [
    'bad modifier',
    { lines: [{ ...line0, modifiers: ['25', '0Z'] }] },
    {},
    '/lines/0/modifiers/1',
    'modifier',
  ],
  [
    'pointer past the diagnoses',
    { lines: [{ ...line0, diagnosisPointers: [1, 3] }] },
    {},
    '/lines/0/diagnosisPointers/1',
    'pointer',
  ],
  [
    'repeated pointer',
    { lines: [{ ...line0, diagnosisPointers: [1, 1] }] },
    {},
    '/lines/0/diagnosisPointers/1',
    'pointer',
  ],
  [
    'no pointer',
    { lines: [{ ...line0, diagnosisPointers: [] }] },
    {},
    '/lines/0/diagnosisPointers',
    'pointer',
  ],
  ['zero units', { lines: [{ ...line0, units: 0 }] }, {}, '/lines/0/units', 'units'],
  ['no charge', { lines: [{ ...line0, chargeCents: 0 }] }, {}, '/lines/0/chargeCents', 'charge'],
  ['unknown POS', { placeOfService: '98' }, {}, '/placeOfService', 'place-of-service'],
  [
    'future date of service',
    { lines: [{ ...line0, serviceDate: '2026-12-01' }] },
    {},
    '/lines/0/serviceDate',
    'future-date',
  ],
  [
    'past timely filing',
    { lines: [{ ...line0, serviceDate: '2026-07-01' }] },
    {},
    '/lines/0/serviceDate',
    'timely-filing',
  ],
  [
    'member id with a delimiter',
    { subscriber: { ...clean.subscriber, memberId: 'XGH~1' } },
    {},
    '/subscriber/memberId',
    'subscriber',
  ],
  [
    'subscriber without a name',
    { subscriber: { ...clean.subscriber, lastName: ' ' } },
    {},
    '/subscriber/lastName',
    'subscriber',
  ],
  [
    'subscriber without a birth date',
    { subscriber: { ...clean.subscriber, dateOfBirth: null } },
    {},
    '/subscriber/dateOfBirth',
    'subscriber',
  ],
  ['duplicate claim', {}, { duplicateOf: 'C1000007' }, '/', 'duplicate'],
  [
    'MRI without authorization',
    { lines: [{ ...line0, procedureCode: '73721', modifiers: ['RT'] }] },
    {},
    '/priorAuthNumber',
    'prior-auth',
  ],
];

describe('scrubClaim', () => {
  it('passes a clean claim', () => {
    expect(scrubClaim(clean, ctx)).toEqual([]);
  });

  it.each(cases)('catches %s', (_name, change, ctxChange, path, code) => {
    const problems = scrubClaim({ ...clean, ...change }, { ...ctx, ...ctxChange });
    const severity = code === 'prior-auth' ? 'warning' : 'error';
    expect(problems).toContainEqual(expect.objectContaining({ path, code, severity }));
    for (const p of problems) expect(p.fix.length).toBeGreaterThan(10);
  });

  it('accepts an authorized MRI and the day at the filing limit', () => {
    const mri = {
      ...clean,
      priorAuthNumber: 'AUTH123',
      lines: [{ ...line0, procedureCode: '73721', modifiers: ['RT'], serviceDate: '2026-08-23' }],
    };
    expect(scrubClaim(mri, ctx)).toEqual([]);
  });
});
