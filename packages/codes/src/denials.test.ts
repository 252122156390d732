import { describe, expect, it } from 'vitest';
import { DENIAL_CATEGORIES, type DenialCategory, denialCategoryForCarc, suggestedFixFor } from './denials.ts';

describe('denialCategoryForCarc', () => {
  it.each<[string, string, string[], DenialCategory]>([
    ['CO', '197', [], 'authorization'],
    ['CO', '198', [], 'authorization'],
    ['CO', '15', [], 'authorization'],
    ['CO', '62', [], 'authorization'],
    ['CO', '27', [], 'eligibility'],
    ['CO', '26', [], 'eligibility'],
    ['CO', '31', [], 'eligibility'],
    ['CO', '33', [], 'eligibility'],
    ['CO', '200', [], 'eligibility'],
    ['CO', '29', [], 'timely_filing'],
    ['CO', '96', [], 'non_covered'],
    ['PR', '204', [], 'non_covered'],
    ['CO', 'B7', [], 'non_covered'],
    ['CO', '18', [], 'duplicate'],
    ['OA', '18', [], 'duplicate'],
    ['CO', '50', [], 'medical_necessity'],
    ['CO', '55', [], 'medical_necessity'],
    ['CO', '56', [], 'medical_necessity'],
    ['CO', '58', [], 'medical_necessity'],
    ['CO', '97', [], 'bundling'],
    ['CO', 'B15', [], 'bundling'],
    ['CO', '234', [], 'bundling'],
    ['CO', '236', [], 'bundling'],
    ['CO', '16', ['MA130', 'N290'], 'missing_information'],
    ['CO', '252', ['N706'], 'missing_information'],
    ['CO', '4', [], 'coding'],
    ['CO', '11', [], 'coding'],
    ['CO', '181', [], 'coding'],
    ['CO', '182', [], 'coding'],
    ['CO', '185', [], 'coding'],
    ['CO', 'A1', ['M51'], 'coding'],
    ['CO', 'A1', ['N211', 'N54'], 'authorization'],
    ['CO', '125', ['N115'], 'medical_necessity'],
    ['CO', '125', [], 'missing_information'],
    ['CO', 'A1', [], 'other'],
    ['OA', '999', [], 'other'],
    ['co', ' b7 ', [], 'non_covered'],
  ])('%s-%s %j → %s', (group, reason, remarks, category) => {
    expect(denialCategoryForCarc(group, reason, remarks).category).toBe(category);
  });

  it.each([
    ['PR', '1', false],
    ['PR', '2', false],
    ['PR', '3', false],
    ['CO', '45', false],
    ['CO', '253', false],
    ['CO', '197', true],
    ['PR', '96', true],
  ])('%s-%s is a denial: %s', (group, reason, isDenial) => {
    expect(denialCategoryForCarc(group, reason).isDenial).toBe(isDenial);
  });

  it('describes the codes and adds the payer remarks to the suggested fix', () => {
    const result = denialCategoryForCarc('CO', '16', ['n290', 'X999']);
    expect(result).toMatchObject({
      groupCode: 'CO',
      reasonCode: '16',
      reasonDescription: 'Claim/service lacks information which is needed for adjudication.',
      patientResponsibility: false,
      remarks: [
        { code: 'N290', description: 'Missing/incomplete/invalid rendering provider primary identifier.' },
        { code: 'X999', description: undefined },
      ],
    });
    expect(result.suggestedFix.startsWith(suggestedFixFor('missing_information'))).toBe(true);
    expect(result.suggestedFix).toContain(
      'N290: Missing/incomplete/invalid rendering provider primary identifier.',
    );
    expect(result.suggestedFix).not.toContain('X999');
  });

  it('marks group PR as patient responsibility', () => {
    expect(denialCategoryForCarc('PR', '204').patientResponsibility).toBe(true);
  });

  it('has a suggested fix for every category', () => {
    for (const category of DENIAL_CATEGORIES) expect(suggestedFixFor(category).length).toBeGreaterThan(40);
  });
});
