import { normalizeCode } from './formats.ts';
import { type CodeSet, defineCodeSet } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** A HCPCS Level II procedure, supply or drug code. */
export interface HcpcsEntry {
  code: string;
  /** CMS's 28-character short descriptor. */
  shortDescription: string;
  /** CMS's long descriptor. */
  description: string;
}

/** A procedure modifier: HCPCS Level II (CMS, letters) or Level I (CPT, two digits). */
export interface ModifierEntry {
  code: string;
  level: 'I' | 'II';
  shortDescription: string;
  description: string;
}

let hcpcsFile: Record<'code' | 'type' | 'short_description' | 'long_description', string>[] | undefined;

// One read of the HCPCS file serves both the procedure codes and the Level II modifiers.
function hcpcsRows() {
  hcpcsFile ??= readDataTable('hcpcs.tsv.gz', ['code', 'type', 'short_description', 'long_description']);
  return hcpcsFile;
}

/** HCPCS Level II codes (CMS 2025 October quarterly file), e.g. `hcpcs.get('J1885')`. No CPT codes. */
export const hcpcs: CodeSet<HcpcsEntry> = defineCodeSet<HcpcsEntry>({
  load: () =>
    hcpcsRows()
      .filter((row) => row.type === 'procedure')
      .map((row) => ({
        code: row.code,
        shortDescription: row.short_description,
        description: row.long_description,
      })),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => `${entry.description} ${entry.shortDescription}`,
});

/**
 * Procedure modifiers: the 383 HCPCS Level II modifiers from the CMS file (`TC`, `GA`, `XE`, `LT`, …) and the
 * common CPT Level I modifiers (`25`, `26`, `59`, `76`, …) with descriptions written for this package
 * (the AMA descriptor text is licensed).
 */
export const modifiers: CodeSet<ModifierEntry> = defineCodeSet<ModifierEntry>({
  load: () => [
    ...readDataTable('cpt_modifiers.tsv', ['code', 'short_description', 'description']).map((row) => ({
      code: row.code,
      level: 'I' as const,
      shortDescription: row.short_description,
      description: row.description,
    })),
    ...hcpcsRows()
      .filter((row) => row.type === 'modifier')
      .map((row) => ({
        code: row.code,
        level: 'II' as const,
        shortDescription: row.short_description,
        description: row.long_description,
      })),
  ],
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => `${entry.description} ${entry.shortDescription}`,
});
