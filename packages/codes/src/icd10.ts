import { formatIcd10, normalizeIcd10 } from './formats.ts';
import { type CodeSet, defineCodeSet } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** An ICD-10-CM FY2026 code. */
export interface Icd10Entry {
  /** The code as people write it, with the dot: `E11.9`. */
  code: string;
  /** The code without the dot, as sent in X12 HI segments: `E119`. */
  compactCode: string;
  description: string;
  /** True for a leaf code (valid on a claim); false for a category or subcategory header such as `E11`. */
  billable: boolean;
}

/** ICD-10-CM lookups. */
export interface Icd10CodeSet extends CodeSet<Icd10Entry> {
  /**
   * Whether the code may be billed: it is in the FY2026 code set and is a leaf code. Headers and codes that
   * are not in the set are not billable.
   */
  isBillable(code: string): boolean;
}

/**
 * ICD-10-CM FY2026 (effective 2025-10-01): 74,719 billable codes and 22,690 category/subcategory headers.
 * Codes are accepted with or without the dot, in any case: `icd10.get('e11.9')`, `icd10.get('E119')`.
 */
export const icd10: Icd10CodeSet = defineCodeSet<Icd10Entry, Pick<Icd10CodeSet, 'isBillable'>>(
  {
    load: () =>
      readDataTable('icd10cm.tsv.gz', ['code', 'description', 'billable']).map((row) => ({
        code: formatIcd10(row.code),
        compactCode: row.code,
        description: row.description,
        billable: row.billable === '1',
      })),
    key: (entry) => entry.compactCode,
    normalize: normalizeIcd10,
    searchText: (entry) => entry.description,
  },
  (set) => ({ isBillable: (code: string) => set.get(code)?.billable === true }),
);
