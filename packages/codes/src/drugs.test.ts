import { describe, expect, it } from 'vitest';
import { drugs, levenshtein, nameSimilarity, normalizeDrugName } from './drugs.ts';

describe('drug name normalization', () => {
  it.each([
    ['Metformin HCl 500 mg tablet', 'metformin'],
    ['metformin hydrochloride', 'metformin'],
    ['LISINOPRIL 10MG TAB', 'lisinopril'],
    ['Amlodipine Besylate 5 mg', 'amlodipine'],
    ['Potassium Chloride ER 20 mEq', 'potassium chloride'],
    ['Tylenol', 'tylenol'],
  ])('%j → %j', (name, normalized) => {
    expect(normalizeDrugName(name)).toBe(normalized);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['lisinoprl', 'lisinopril', 1],
    ['', 'abc', 3],
    ['same', 'same', 0],
  ])('levenshtein(%j, %j) = %i', (a, b, distance) => {
    expect(levenshtein(a, b)).toBe(distance);
  });

  it('scores identical names 1 and near misses below', () => {
    expect(nameSimilarity('lisinopril', 'lisinopril')).toBe(1);
    expect(nameSimilarity('lisinoprl', 'lisinopril')).toBeCloseTo(0.9, 5);
    expect(nameSimilarity('lisinopril', 'metformin')).toBeLessThan(0.5);
  });
});

describe('drug matching', () => {
  it.each([
    ['lisinoprl', 'lisinopril', 'generic'],
    ['Lisinopril 10 mg tablet', 'lisinopril', 'generic'],
    ['LISINOPRIL', 'lisinopril', 'generic'],
    ['metformin', 'metformin hydrochloride', 'generic'],
    ['atorvastatn', 'atorvastatin calcium', 'generic'],
    ['amoxicilin', 'amoxicillin', 'generic'],
    ['hydrochlorothiazide', 'hydrochlorothiazide', 'generic'],
    ['Zestril', 'lisinopril', 'brand'],
    ['glucophage', 'metformin hydrochloride', 'brand'],
    ['Lipitor 20mg', 'atorvastatin calcium', 'brand'],
    ['metfor', 'metformin hydrochloride', 'generic'],
  ])('%j → %s (%s)', (query, name, matchedOn) => {
    const [best] = drugs.match(query);
    expect(best?.drug.name).toBe(name);
    expect(best?.matchedOn).toBe(matchedOn);
  });

  it('ranks the single drug above combinations that contain it', () => {
    const names = drugs.search('lisinoprl', 3).map((drug) => drug.name);
    expect(names[0]).toBe('lisinopril');
    expect(names[1]).toBe('hydrochlorothiazide; lisinopril');
  });

  it('returns nothing for nonsense or empty queries', () => {
    expect(drugs.match('qwxzv')).toEqual([]);
    expect(drugs.match('   ')).toEqual([]);
    expect(drugs.match('10 mg')).toEqual([]);
  });

  it('honours limit and minScore', () => {
    expect(drugs.match('amlodipine', { limit: 2 })).toHaveLength(2);
    for (const match of drugs.match('lisinoprl', { minScore: 0.85 }))
      expect(match.score).toBeGreaterThanOrEqual(0.85);
  });

  it('gets a drug by exact generic or brand name, salts ignored', () => {
    const metformin = drugs.get('Metformin HCl');
    expect(metformin).toMatchObject({
      name: 'metformin hydrochloride',
      ingredients: ['metformin hydrochloride'],
    });
    expect(metformin?.brandNames).toContain('GLUCOPHAGE');
    expect(metformin?.rx).toBe(true);
    expect(drugs.get('zestril')?.name).toBe('lisinopril');
    expect(drugs.get('lisinoprl')).toBeUndefined();
    expect(drugs.get('acetaminophen')?.otc).toBe(true);
  });

  it('splits combination products into ingredients', () => {
    const combination = drugs.all().find((drug) => drug.name === 'amlodipine besylate; valsartan');
    expect(combination?.ingredients).toEqual(['amlodipine besylate', 'valsartan']);
    expect(combination?.brandNames).toEqual(['EXFORGE']);
  });
});
