/**
 * @intelluxe/codes: medical code sets and validators.
 *
 * Every code set is read from the package's data/ folder on its first lookup and cached; a process that never
 * asks for ICD-10-CM never reads that file. Lookups normalize their input (trim, upper case; ICD-10 codes with
 * or without the dot).
 */
export {
  DENIAL_CATEGORIES,
  type DenialCategorization,
  type DenialCategory,
  denialCategoryForCarc,
  type RemarkDetail,
  suggestedFixFor,
} from './denials.ts';
export {
  type DrugEntry,
  type DrugMatch,
  type DrugMatchOptions,
  type DrugSet,
  drugs,
  levenshtein,
  nameSimilarity,
  normalizeDrugName,
} from './drugs.ts';
export {
  formatIcd10,
  isValidCptFormat,
  isValidHcpcsFormat,
  isValidIcd10Format,
  isValidTaxonomyFormat,
  normalizeCode,
  normalizeIcd10,
} from './formats.ts';
export { type HcpcsEntry, hcpcs, type ModifierEntry, modifiers } from './hcpcs.ts';
export { type Icd10CodeSet, type Icd10Entry, icd10 } from './icd10.ts';
export { isValidMemberId, isValidNpi, npiCheckDigit } from './identifiers.ts';
export { type CodeSet, DEFAULT_SEARCH_LIMIT } from './internal/code-set.ts';
export {
  type AdjustmentGroupEntry,
  adjustmentGroups,
  type CarcEntry,
  carc,
  type RarcEntry,
  rarc,
} from './remittance-codes.ts';
export { isValidTaxonomyCode, type TaxonomyEntry, taxonomy } from './taxonomy.ts';
export {
  type DescribedCode,
  type PlaceOfServiceEntry,
  pos,
  serviceTypes,
  type X12CodeListEntry,
  type X12CodeLists,
  x12CodeLists,
} from './x12-code-lists.ts';
