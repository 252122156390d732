import { normalizeCode } from './formats.ts';
import { type CodeSet, defineCodeSet } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** A Claim Adjustment Reason Code (X12 external code list 139), as found in 835 CAS segments. */
export interface CarcEntry {
  code: string;
  /** CMS's wording (sometimes shortened). */
  description: string;
  /** The X12 wording with its usage notes, where the source had it (codes up to about 268). */
  longDescription: string | undefined;
}

/** A Remittance Advice Remark Code (X12 external code list 411), as found in 835 LQ/MIA/MOA segments. */
export interface RarcEntry {
  code: string;
  description: string;
  /** True for informational "Alert:" remarks, which explain rather than deny. */
  alert: boolean;
}

/** A claim adjustment group code (CAS01). */
export interface AdjustmentGroupEntry {
  /** CO, CR, OA, PI or PR. */
  code: string;
  name: string;
  description: string;
}

/** CARC: all codes including deactivated ones (the data has no start/stop dates). `carc.get('45')`. */
export const carc: CodeSet<CarcEntry> = defineCodeSet<CarcEntry>({
  load: () =>
    readDataTable('carc.tsv', ['code', 'description', 'description_long']).map((row) => ({
      code: row.code,
      description: row.description,
      longDescription: row.description_long || undefined,
    })),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => entry.longDescription ?? entry.description,
});

/** RARC (M, MA and N codes up to N812; a 2019/2020 snapshot). `rarc.get('MA130')`. */
export const rarc: CodeSet<RarcEntry> = defineCodeSet<RarcEntry>({
  load: () =>
    readDataTable('rarc.tsv', ['code', 'description', 'alert']).map((row) => ({
      code: row.code,
      description: row.description,
      alert: row.alert === '1',
    })),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => entry.description,
});

/** Claim adjustment group codes: CO (contractual), CR (corrections), OA (other), PI (payer initiated), PR (patient). */
export const adjustmentGroups: CodeSet<AdjustmentGroupEntry> = defineCodeSet<AdjustmentGroupEntry>({
  load: () => readDataTable('claim_adjustment_group_codes.tsv', ['code', 'name', 'description']),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => `${entry.name} ${entry.description}`,
});
