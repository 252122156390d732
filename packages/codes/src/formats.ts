/** Trims and upper-cases a code: the normalization every code lookup applies. */
export function normalizeCode(code: string): string {
  return code.trim().toUpperCase();
}

/**
 * Normalizes an ICD-10-CM code to its compact form, as sent in X12 (HI segments) and as keyed in the data:
 * trimmed, upper case, without the dot. `' e11.9 '` → `'E119'`.
 */
export function normalizeIcd10(code: string): string {
  return normalizeCode(code).replaceAll('.', '');
}

/** Writes an ICD-10-CM code the way people read it, with the dot after the category: `'E119'` → `'E11.9'`. */
export function formatIcd10(code: string): string {
  const compact = normalizeIcd10(code);
  return compact.length > 3 ? `${compact.slice(0, 3)}.${compact.slice(3)}` : compact;
}

// Category (3 characters) then up to 4 more, the dot optional. The second character is a digit except in
// the FY2026 category QA0, so it is checked as alphanumeric.
const ICD10_FORMAT = /^[A-Z][0-9A-Z][0-9A-Z](?:\.?[0-9A-Z]{1,4})?$/;
const HCPCS_FORMAT = /^[A-Z][0-9]{4}$/;
// Category I (5 digits), Category II (…F), Category III (…T), PLA (…U) and MAAA (…M) codes.
const CPT_FORMAT = /^[0-9]{4}[0-9FMTU]$/;
const TAXONOMY_FORMAT = /^[0-9]{3}[0-9A-Z]{6}X$/;

/**
 * Whether a string has the shape of an ICD-10-CM code: a letter, two alphanumerics, then optionally a dot and
 * 1–4 alphanumerics (`E11`, `E11.9`, `E119`, `S52.521A`). Case-insensitive, surrounding spaces ignored.
 * Says nothing about whether the code exists: use `icd10.get` / `icd10.isBillable` for that.
 */
export function isValidIcd10Format(code: string): boolean {
  return ICD10_FORMAT.test(normalizeCode(code));
}

/** Whether a string has the shape of a HCPCS Level II code: a letter and 4 digits (`J1885`, `G0439`). */
export function isValidHcpcsFormat(code: string): boolean {
  return HCPCS_FORMAT.test(normalizeCode(code));
}

/**
 * Whether a string has the shape of a CPT (HCPCS Level I) code: 5 digits (`99213`), or 4 digits and
 * F (Category II), T (Category III), U (proprietary laboratory analyses) or M (multianalyte assays).
 * CPT descriptions are AMA-licensed and not shipped, so only the format can be checked.
 */
export function isValidCptFormat(code: string): boolean {
  return CPT_FORMAT.test(normalizeCode(code));
}

/** Whether a string has the shape of a NUCC taxonomy code: 3 digits, 6 alphanumerics, then `X` (`207Q00000X`). */
export function isValidTaxonomyFormat(code: string): boolean {
  return TAXONOMY_FORMAT.test(normalizeCode(code));
}
