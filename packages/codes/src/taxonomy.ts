import { isValidTaxonomyFormat, normalizeCode } from './formats.ts';
import { type CodeSet, defineCodeSet } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** A NUCC Health Care Provider Taxonomy code (v25.1, July 2025). */
export interface TaxonomyEntry {
  /** `207Q00000X` */
  code: string;
  /** `Allopathic & Osteopathic Physicians` */
  grouping: string;
  /** `Family Medicine` */
  classification: string;
  /** Empty for a classification-level code. */
  specialization: string;
  /** `Family Medicine Physician` */
  displayName: string;
  /** `Individual` or `Non-Individual`. */
  section: string;
  definition: string;
}

/** NUCC provider taxonomy codes, as reported in 837 PRV segments and NPPES. */
export const taxonomy: CodeSet<TaxonomyEntry> = defineCodeSet<TaxonomyEntry>({
  load: () =>
    readDataTable('nucc_taxonomy.tsv', [
      'code',
      'grouping',
      'classification',
      'specialization',
      'display_name',
      'section',
      'definition',
    ]).map((row) => ({
      code: row.code,
      grouping: row.grouping,
      classification: row.classification,
      specialization: row.specialization,
      displayName: row.display_name,
      section: row.section,
      definition: row.definition,
    })),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) =>
    `${entry.displayName} ${entry.classification} ${entry.specialization} ${entry.grouping}`,
});

/** Whether a taxonomy code is well formed and in the shipped NUCC list (loads the list). */
export function isValidTaxonomyCode(code: string): boolean {
  return isValidTaxonomyFormat(code) && taxonomy.has(code);
}
