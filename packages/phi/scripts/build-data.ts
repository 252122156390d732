/**
 * Derives the compact dictionaries in packages/phi/data from the reference data in shared/data
 * (Census surnames, SSA first names, Census places, ZIP3 populations, FDA drugs, ICD-10-CM, HCPCS)
 * and the Debian `wamerican` word list (/usr/share/dict/american-english).
 *
 *   npx node packages/phi/scripts/build-data.ts [SHARED_DATA_DIR]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const shared = process.argv[2] ?? join(import.meta.dirname, '../../../../shared/data');
const out = join(import.meta.dirname, '../data');

function rows(path: string): string[][] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.length > 0)
    .map((l) => l.split('\t'));
}

// Surnames seen at least 300 times in the 2010 Census, most frequent first.
const surnames = rows(join(shared, 'phi/surnames.tsv'))
  .filter((r) => Number(r[2]) >= 300)
  .map((r) => `${r[0]!.toLowerCase()}\t${r[2]}`);
writeFileSync(join(out, 'surnames.tsv'), `${surnames.join('\n')}\n`);
const surnameCounts = new Set(
  rows(join(shared, 'phi/surnames.tsv'))
    .filter((r) => Number(r[2]) >= 2000)
    .map((r) => r[0]!.toLowerCase()),
);

// First names with both sexes summed, at least 100 births 1880-2023.
const firstCounts = new Map<string, number>();
for (const r of rows(join(shared, 'phi/first_names.tsv'))) {
  const name = r[0]!.toLowerCase();
  firstCounts.set(name, (firstCounts.get(name) ?? 0) + Number(r[2]));
}
const firstNames = [...firstCounts]
  .filter(([, c]) => c >= 100)
  .sort((a, b) => b[1] - a[1])
  .map(([n, c]) => `${n}\t${c}`);
writeFileSync(join(out, 'first_names.tsv'), `${firstNames.join('\n')}\n`);

// Census place names (largest population seen for that name) and county names.
const places = new Map<string, number>();
for (const r of rows(join(shared, 'phi/us_places.tsv'))) {
  const name = r[0]!.toLowerCase().trim();
  if (name.length < 3) continue;
  places.set(name, Math.max(places.get(name) ?? 0, Number(r[3] || 0)));
}
for (const r of rows(join(shared, 'phi/us_counties.tsv'))) {
  const name = r[0]!
    .replace(
      / (County|Parish|Borough|Census Area|Municipality|city and borough|City and Borough|Municipio)$/i,
      '',
    )
    .toLowerCase()
    .trim();
  if (name.length < 3) continue;
  places.set(name, Math.max(places.get(name) ?? 0, Number(r[3] || 0)));
}
writeFileSync(
  join(out, 'places.tsv'),
  `${[...places]
    .sort((a, b) => b[1] - a[1])
    .map(([n, p]) => `${n}\t${p}`)
    .join('\n')}\n`,
);

// ZIP3 prefixes that Safe Harbor requires to be written as 000: population <= 20,000 in 2020, or on HHS's
// 2000-census list, or with no census population at all (unassigned, military, PO-box only).
const populated = new Set<string>();
const restricted: string[] = [];
for (const r of rows(join(shared, 'phi/zip3_population.tsv'))) {
  if (r[3] === '1' || r[4] === '1') restricted.push(r[0]!);
  else populated.add(r[0]!);
}
for (let i = 0; i < 1000; i++) {
  const z = String(i).padStart(3, '0');
  if (!populated.has(z) && !restricted.includes(z)) restricted.push(z);
}
writeFileSync(join(out, 'zip3_restricted.txt'), `${restricted.sort().join('\n')}\n`);

// USPS street suffixes and their abbreviations.
const suffixes = new Set<string>();
for (const r of rows(join(shared, 'phi/street_suffixes.tsv'))) {
  suffixes.add(r[0]!.toLowerCase());
  suffixes.add(r[1]!.toLowerCase());
}
writeFileSync(join(out, 'street_suffixes.txt'), `${[...suffixes].sort().join('\n')}\n`);

// English words (lower-case entries of wamerican, no possessives).
const english = readFileSync('/usr/share/dict/american-english', 'utf8')
  .split('\n')
  .filter((w) => /^[a-z]+$/.test(w));
writeFileSync(join(out, 'english_words.txt'), `${english.join('\n')}\n`);

// Clinical vocabulary: words of drug names (generic and brand), ICD-10-CM and HCPCS descriptions.
const englishSet = new Set(english);
// Eponyms in diagnosis and procedure text ("Thomas splint", "Barrett esophagus") are left out when they are common
// names, so that the names themselves are still found; so are brand names that are popular first names ("Ella").
const clinical = new Set<string>();
const commonName = (w: string) => (firstCounts.get(w) ?? 0) >= 2000 || surnameCounts.has(w);
const addWords = (text: string, keepNames: boolean) => {
  for (const w of text.toLowerCase().match(/[a-z]{3,}/g) ?? []) {
    if (!englishSet.has(w) && (keepNames || !commonName(w))) clinical.add(w);
  }
};
for (const r of rows(join(shared, 'drugs.tsv'))) {
  addWords(r[0] ?? '', true);
  for (const w of (r[1] ?? '').toLowerCase().match(/[a-z]{3,}/g) ?? []) {
    if (!englishSet.has(w) && (firstCounts.get(w) ?? 0) < 20000) clinical.add(w);
  }
}
for (const r of rows(join(shared, 'icd10cm.tsv'))) addWords(r[1] ?? '', false);
for (const r of rows(join(shared, 'hcpcs.tsv'))) addWords(`${r[2]} ${r[3]}`, false);
writeFileSync(join(out, 'clinical_words.txt'), `${[...clinical].sort().join('\n')}\n`);
