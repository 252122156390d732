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
  /** Everything above keyed by word, for one lookup per token. */
  lexicon: Map<string, LexEntry>;
}

/** What the word lists say about one lower-case word. */
export interface LexEntry {
  first: number;
  last: number;
  english: boolean;
  clinical: boolean;
}

function buildLexicon(d: Omit<Dictionaries, 'lexicon'>): Map<string, LexEntry> {
  const lex = new Map<string, LexEntry>();
  const entry = (w: string) => {
    let e = lex.get(w);
    if (!e) {
      e = { first: 0, last: 0, english: false, clinical: false };
      lex.set(w, e);
    }
    return e;
  };
  for (const [w, c] of d.firstNames) entry(w).first = c;
  for (const [w, c] of d.surnames) entry(w).last = c;
  for (const w of d.english) entry(w).english = true;
  for (const w of d.clinical) entry(w).clinical = true;
  return lex;
}

let cached: Dictionaries | undefined;

export function dictionaries(): Dictionaries {
  if (!cached) {
    const base = {
      surnames: counts('surnames.tsv'),
      firstNames: counts('first_names.tsv'),
      places: counts('places.tsv'),
      english: new Set(lines('english_words.txt')),
      clinical: new Set(lines('clinical_words.txt')),
      streetSuffixes: new Set(lines('street_suffixes.txt')),
      restrictedZip3: new Set(lines('zip3_restricted.txt')),
    };
    cached = { ...base, lexicon: buildLexicon(base) };
  }
  return cached;
}
