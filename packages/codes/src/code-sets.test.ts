import { describe, expect, it } from 'vitest';
import {
  adjustmentGroups,
  carc,
  hcpcs,
  icd10,
  modifiers,
  pos,
  rarc,
  serviceTypes,
  taxonomy,
  x12CodeLists,
} from './index.ts';
import { isValidTaxonomyCode } from './taxonomy.ts';

describe('ICD-10-CM', () => {
  it.each([
    ['E11.9', 'E11.9', 'Type 2 diabetes mellitus without complications', true],
    ['e119', 'E11.9', 'Type 2 diabetes mellitus without complications', true],
    ['E11', 'E11', 'Type 2 diabetes mellitus', false],
    ['Z00.00', 'Z00.00', 'Encounter for general adult medical examination without abnormal findings', true],
    ['I10', 'I10', 'Essential (primary) hypertension', true],
    ['E66.811', 'E66.811', 'Obesity, class 1', true],
  ])('get(%j) → %s %j billable=%s', (input, code, description, billable) => {
    expect(icd10.get(input)).toMatchObject({ code, description, billable });
    expect(icd10.isBillable(input)).toBe(billable);
  });

  it('returns the compact form for X12', () => {
    expect(icd10.get('E11.9')?.compactCode).toBe('E119');
  });

  it('knows nothing of codes outside the set, and does not bill them', () => {
    expect(icd10.get('E11.99999')).toBeUndefined();
    expect(icd10.isBillable('E11.99999')).toBe(false);
    expect(icd10.has('E119')).toBe(true);
  });

  it('holds the FY2026 code set', () => {
    const entries = icd10.all();
    expect(icd10.size).toBe(97_409);
    expect(entries.filter((entry) => entry.billable)).toHaveLength(74_719);
  });

  it('searches by code prefix, exact code first', () => {
    const found = icd10.search('E11.6', 5).map((entry) => entry.code);
    expect(found[0]).toBe('E11.6');
    expect(found).toHaveLength(5);
    expect(found.every((code) => code.startsWith('E11.6'))).toBe(true);
  });

  it('searches words of the description', () => {
    const found = icd10.search('type 2 diabetes chronic kidney', 10);
    expect(found.map((entry) => entry.code)).toContain('E11.22');
    for (const entry of found) expect(entry.description.toLowerCase()).toContain('kidney');
  });

  it('returns nothing for an empty query or a zero limit', () => {
    expect(icd10.search('  ')).toEqual([]);
    expect(icd10.search('diabetes', 0)).toEqual([]);
  });
});

describe('HCPCS and modifiers', () => {
  it.each([
    ['J1885', 'Injection, ketorolac tromethamine, per 15 mg'],
    [
      'g0439',
      'Annual wellness visit, includes a personalized prevention plan of service (pps), subsequent visit',
    ],
  ])('hcpcs.get(%j)', (code, description) => {
    expect(hcpcs.get(code)?.description).toBe(description);
  });

  it('holds procedure codes only, no modifiers and no CPT', () => {
    expect(hcpcs.get('TC')).toBeUndefined();
    expect(hcpcs.get('99213')).toBeUndefined();
    expect(hcpcs.size).toBe(8_463);
  });

  it('finds ketorolac by word', () => {
    expect(hcpcs.search('ketorolac', 5).map((entry) => entry.code)).toContain('J1885');
  });

  it.each([
    ['25', 'I'],
    ['26', 'I'],
    ['50', 'I'],
    ['51', 'I'],
    ['59', 'I'],
    ['76', 'I'],
    ['77', 'I'],
    ['91', 'I'],
    ['TC', 'II'],
    ['LT', 'II'],
    ['RT', 'II'],
    ['XE', 'II'],
    ['XP', 'II'],
    ['XS', 'II'],
    ['XU', 'II'],
    ['GA', 'II'],
    ['GY', 'II'],
    ['GZ', 'II'],
    ['KX', 'II'],
  ])('modifier %s is level %s', (code, level) => {
    const entry = modifiers.get(code);
    expect(entry?.level).toBe(level);
    expect(entry?.description).not.toBe('');
  });
});

describe('remittance codes', () => {
  it.each([
    ['45', 'Charges exceed your contracted/legislated fee arrangement.'],
    ['197', 'Precertification/authorization/notification/pre-treatment absent.'],
    ['1', 'Deductible Amount'],
  ])('carc.get(%j)', (code, description) => {
    expect(carc.get(code)?.description).toBe(description);
  });

  it.each([
    [
      'N130',
      'Consult plan benefit documents/guidelines for information about restrictions for this service.',
      false,
    ],
    ['ma130', undefined, false],
    ['N21', 'Alert: Your line item has been separated into multiple lines to expedite handling.', true],
  ])('rarc.get(%j)', (code, description, alert) => {
    const entry = rarc.get(code);
    expect(entry).toBeDefined();
    if (description) expect(entry?.description).toBe(description);
    expect(entry?.alert).toBe(alert);
  });

  it('has the five claim adjustment group codes', () => {
    expect(adjustmentGroups.all().map((entry) => entry.code)).toEqual(['CO', 'CR', 'OA', 'PI', 'PR']);
    expect(adjustmentGroups.get('pr')?.name).toBe('Patient Responsibility');
  });
});

describe('place of service, service types, X12 code lists, taxonomy', () => {
  it.each([
    ['11', 'Office'],
    ['22', 'On Campus-Outpatient Hospital'],
    ['1', 'Pharmacy'],
  ])('pos.get(%j) → %s', (code, name) => {
    expect(pos.get(code)?.name).toBe(name);
  });

  it.each([
    ['30', 'Health Benefit Plan Coverage'],
    ['98', 'Professional (Physician) Visit - Office'],
    ['1', 'Medical Care'],
    ['al', 'Vision (Optometry)'],
  ])('serviceTypes.get(%j) → %s', (code, description) => {
    expect(serviceTypes.get(code)?.description).toBe(description);
  });

  it('looks up other X12 element values', () => {
    expect(x12CodeLists.get('1390', '1')?.description).toBe('Active Coverage');
    expect(x12CodeLists.list('1207').length).toBeGreaterThan(0);
    expect(x12CodeLists.elements()).toEqual(
      expect.arrayContaining(['1390', '1207', '1336', '615', '1029', '1033']),
    );
    expect(x12CodeLists.list('9999')).toEqual([]);
  });

  it('looks up and searches taxonomy codes', () => {
    expect(taxonomy.get('207Q00000X')?.displayName).toBe('Family Medicine Physician');
    expect(isValidTaxonomyCode('207Q00000X')).toBe(true);
    expect(isValidTaxonomyCode('207Q99999X')).toBe(false);
    expect(taxonomy.search('family medicine', 3)[0]?.code).toBe('207Q00000X');
  });
});
