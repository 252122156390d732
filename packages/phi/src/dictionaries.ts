/**
 * The word lists the detectors use, shipped in ../data (see README for how they were derived). Loaded once,
 * synchronously, on first use.
 */
import { readFileSync } from 'node:fs';

const dataDir = new URL('../data/', import.meta.url);

function lines(file: string): string[] {
  return readFileSync(new URL(file, dataDir), 'utf8')
    .split('\n')
    .filter((l) => l.length > 0);
}

function counts(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const l of lines(file)) {
    const tab = l.indexOf('\t');
    m.set(l.slice(0, tab), Number(l.slice(tab + 1)));
  }
  return m;
}

export interface Dictionaries {
  /** Census 2010 surname → people with that surname. */
  surnames: Map<string, number>;
  /** SSA first name → births 1880-2023. */
  firstNames: Map<string, number>;
  /** Census place or county name → largest population. */
  places: Map<string, number>;
  /** Lower-case common English words. */
  english: Set<string>;
  /** Drug, diagnosis and procedure vocabulary that is not plain English. */
  clinical: Set<string>;
  streetSuffixes: Set<string>;
  /** ZIP3 prefixes that must be written as 000. */
  restrictedZip3: Set<string>;
}

let cached: Dictionaries | undefined;

export function dictionaries(): Dictionaries {
  cached ??= {
    surnames: counts('surnames.tsv'),
    firstNames: counts('first_names.tsv'),
    places: counts('places.tsv'),
    english: new Set(lines('english_words.txt')),
    clinical: new Set(lines('clinical_words.txt')),
    streetSuffixes: new Set(lines('street_suffixes.txt')),
    restrictedZip3: new Set(lines('zip3_restricted.txt')),
  };
  return cached;
}
