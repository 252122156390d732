import { DEFAULT_SEARCH_LIMIT, words } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** A marketed drug (FDA Drugs@FDA, Rx and OTC products as of July 2018), grouped by active ingredient(s). */
export interface DrugEntry {
  /** FDA's active ingredient name, lower case; combinations joined with "; ": `lisinopril`. */
  name: string;
  /** The active ingredients, one per element. */
  ingredients: string[];
  /** Brand names as FDA lists them: `ZESTRIL`. */
  brandNames: string[];
  /** FDA strength strings: `10MG`. */
  strengths: string[];
  /** FDA form;route strings: `TABLET;ORAL`. */
  dosageForms: string[];
  rx: boolean;
  otc: boolean;
  /** How many marketed products (applications × strengths) have this ingredient set. */
  marketedProducts: number;
}

/** A fuzzy drug-name match. */
export interface DrugMatch {
  drug: DrugEntry;
  /** 1 for an exact match of the normalized name; lower is a weaker match. */
  score: number;
  /** The name that matched: the ingredient name, an ingredient of a combination, or a brand name. */
  matchedName: string;
  matchedOn: 'generic' | 'ingredient' | 'brand';
}

/** Options for {@link DrugSet.match}. */
export interface DrugMatchOptions {
  /** At most this many matches (default 20). */
  limit?: number;
  /** Drop matches scoring below this (default 0.65). */
  minScore?: number;
}

/** Drug lookups for medication flows (refills, reconciliation). */
export interface DrugSet {
  /**
   * The drug with this exact name after normalization (case, salt forms, strengths and dosage forms
   * ignored): `get('Metformin HCl 500 mg tablet')` → metformin hydrochloride. Brand names work too. Where
   * several entries share the name, the single-ingredient one with the most marketed products wins.
   */
  get(name: string): DrugEntry | undefined;
  /** Fuzzy matches of a possibly misspelled generic or brand name, best first: `match('lisinoprl')`. */
  match(query: string, options?: DrugMatchOptions): DrugMatch[];
  /** The drugs of {@link DrugSet.match}, best first. */
  search(query: string, limit?: number): DrugEntry[];
  all(): readonly DrugEntry[];
  readonly size: number;
  readonly loaded: boolean;
}

// Salt, ester and hydrate words that do not change which drug a patient means ("metformin HCl").
const SALT_WORDS = new Set(
  (
    'hydrochloride hcl dihydrochloride hydrobromide hbr sodium disodium potassium calcium magnesium sulfate ' +
    'sulphate bisulfate maleate dimaleate mesylate dimesylate besylate tosylate tartrate bitartrate succinate ' +
    'citrate acetate diacetate fumarate hemifumarate bromide chloride phosphate diphosphate nitrate lactate ' +
    'gluconate carbonate oxalate pamoate palmitate stearate estolate ethylsuccinate axetil pivoxil medoxomil ' +
    'mofetil propionate dipropionate furoate valerate acetonide xinafoate benzoate decanoate enanthate ' +
    'cypionate tromethamine meglumine lysine arginine erbumine hyclate monohydrate dihydrate trihydrate ' +
    'sesquihydrate hydrate anhydrous recombinant base'
  ).split(' '),
);

// Dosage-form, release and unit words that appear in orders ("lisinopril 10 mg tab").
const FORM_WORDS = new Set(
  (
    'tablet tablets tab tabs capsule capsules cap caps oral solution suspension syrup injection injectable ' +
    'inj cream ointment gel patch spray inhaler drops er xr sr dr xl la cr ec odt extended delayed release ' +
    'chewable mg mcg g gm ml unit units iu meq'
  ).split(' '),
);

/**
 * Normalizes a drug name for matching: lower case, words only, strengths ("10 mg", "500mg"), dosage forms
 * and salt forms dropped. When only salt words remain ("potassium chloride"), they are kept.
 */
export function normalizeDrugName(name: string): string {
  const kept = words(name).filter((word) => !FORM_WORDS.has(word) && !/^[0-9]/.test(word));
  const withoutSalts = kept.filter((word) => !SALT_WORDS.has(word));
  return (withoutSalts.length > 0 ? withoutSalts : kept).join(' ');
}

// Two rows of the edit-distance table, reused across calls (names are short; they grow when needed).
let previousRow = new Uint32Array(64);
let currentRow = new Uint32Array(64);

/** Levenshtein edit distance (insertions, deletions, substitutions). */
export function levenshtein(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  if (previousRow.length <= b.length) {
    previousRow = new Uint32Array(b.length + 1);
    currentRow = new Uint32Array(b.length + 1);
  }
  let previous = previousRow;
  let current = currentRow;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    current[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (ai === b.charCodeAt(j - 1) ? 0 : 1);
      current[j] = Math.min(substitution, previous[j]! + 1, current[j - 1]! + 1);
    }
    [previous, current] = [current, previous];
  }
  return previous[b.length]!;
}

function trigrams(text: string): Set<string> {
  const padded = `  ${text} `;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) grams.add(padded.slice(i, i + 3));
  return grams;
}

function trigramDice(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const gram of a) if (b.has(gram)) shared++;
  return (2 * shared) / (a.size + b.size);
}

function similarity(query: string, queryGrams: Set<string>, name: string, nameGrams: Set<string>): number {
  if (query === name) return 1;
  const longest = Math.max(query.length, name.length);
  const dice = trigramDice(queryGrams, nameGrams);
  // A partly typed name ("metfor") scores by how much of it was typed; not for a name with more words than
  // the query, or "hydrochlorothiazide" would rank the combinations that start with it above the drug itself.
  const prefix =
    query.length >= 4 && name.startsWith(query) && name.split(' ').length <= query.split(' ').length
      ? 0.75 + (0.2 * query.length) / name.length
      : 0;
  const best = Math.max(dice, prefix);
  // Edit similarity cannot beat 1 - (length difference / longest); skip the quadratic work when it cannot win.
  if (1 - Math.abs(query.length - name.length) / longest <= best) return Math.min(0.99, best);
  const edit = 1 - levenshtein(query, name) / longest;
  return Math.min(0.99, Math.max(edit, best));
}

/**
 * Similarity of two normalized drug names in [0, 1] (1 only when equal): the best of edit-distance
 * similarity, trigram overlap (Dice; tolerant of word order) and a prefix score for partly typed names.
 */
export function nameSimilarity(query: string, name: string): number {
  return similarity(query, trigrams(query), name, trigrams(name));
}

// A combination product matched through one of its ingredients ranks below the single-ingredient drug.
const INGREDIENT_WEIGHT = 0.85;

interface MatchKey {
  key: string;
  grams: Set<string>;
  name: string;
  on: DrugMatch['matchedOn'];
  weight: number;
}

interface DrugIndex {
  entries: DrugEntry[];
  keys: MatchKey[][];
  byName: Map<string, DrugEntry>;
}

let drugIndex: DrugIndex | undefined;

function byPreference(a: DrugEntry, b: DrugEntry): number {
  return a.ingredients.length - b.ingredients.length || b.marketedProducts - a.marketedProducts;
}

function loadDrugs(): DrugIndex {
  if (drugIndex) return drugIndex;
  const columns = [
    'generic_name',
    'brand_names',
    'strengths',
    'dosage_forms',
    'rx_otc',
    'marketed_products',
  ] as const;
  const entries = readDataTable('drugs.tsv', columns).map(
    (row): DrugEntry => ({
      name: row.generic_name,
      ingredients: row.generic_name.split(';').map((part) => part.trim()),
      brandNames: row.brand_names ? row.brand_names.split('|') : [],
      strengths: row.strengths ? row.strengths.split('|') : [],
      dosageForms: row.dosage_forms ? row.dosage_forms.split('|') : [],
      rx: row.rx_otc.split('|').includes('rx'),
      otc: row.rx_otc.split('|').includes('otc'),
      marketedProducts: Number(row.marketed_products) || 0,
    }),
  );
  const keys = entries.map((drug) => {
    const names: [string, MatchKey['on'], number][] = [[drug.name, 'generic', 1]];
    if (drug.ingredients.length > 1) {
      for (const ingredient of drug.ingredients) names.push([ingredient, 'ingredient', INGREDIENT_WEIGHT]);
    }
    for (const brand of drug.brandNames) names.push([brand, 'brand', 1]);
    return names
      .map(([name, on, weight]) => {
        const key = normalizeDrugName(name);
        return { key, grams: trigrams(key), name, on, weight };
      })
      .filter((matchKey) => matchKey.key !== '');
  });
  const byName = new Map<string, DrugEntry>();
  entries.forEach((drug, i) => {
    for (const matchKey of keys[i]!) {
      if (matchKey.on === 'ingredient') continue;
      const current = byName.get(matchKey.key);
      if (!current || byPreference(drug, current) < 0) byName.set(matchKey.key, drug);
    }
  });
  drugIndex = { entries, keys, byName };
  return drugIndex;
}

function matchDrugs(query: string, options: DrugMatchOptions = {}): DrugMatch[] {
  const { limit = DEFAULT_SEARCH_LIMIT, minScore = 0.65 } = options;
  const normalized = normalizeDrugName(query);
  if (normalized === '' || limit <= 0) return [];
  const { entries, keys } = loadDrugs();
  const queryGrams = trigrams(normalized);
  const matches: DrugMatch[] = [];
  entries.forEach((drug, i) => {
    let best: DrugMatch | undefined;
    for (const matchKey of keys[i]!) {
      const score = similarity(normalized, queryGrams, matchKey.key, matchKey.grams) * matchKey.weight;
      if (!best || score > best.score)
        best = { drug, score, matchedName: matchKey.name, matchedOn: matchKey.on };
    }
    if (best && best.score >= minScore) matches.push(best);
  });
  matches.sort(
    (a, b) => b.score - a.score || byPreference(a.drug, b.drug) || a.drug.name.localeCompare(b.drug.name),
  );
  return matches.slice(0, limit);
}

/**
 * Drugs (FDA Drugs@FDA, July 2018 extract: 1,906 ingredient sets). Matching is case-insensitive and ignores
 * salt forms, strengths and dosage forms; misspellings are scored by edit distance and trigram overlap.
 */
export const drugs: DrugSet = {
  get: (name) => loadDrugs().byName.get(normalizeDrugName(name)),
  match: matchDrugs,
  search: (query, limit = DEFAULT_SEARCH_LIMIT) => matchDrugs(query, { limit }).map((match) => match.drug),
  all: () => loadDrugs().entries,
  get size() {
    return loadDrugs().entries.length;
  },
  get loaded() {
    return drugIndex !== undefined;
  },
};
