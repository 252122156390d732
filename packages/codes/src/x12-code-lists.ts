import { normalizeCode } from './formats.ts';
import { type CodeSet, defineCodeSet } from './internal/code-set.ts';
import { readDataTable } from './internal/tsv.ts';

/** A code with a description. */
export interface DescribedCode {
  code: string;
  description: string;
}

/** A place of service code (CMS POS code set). */
export interface PlaceOfServiceEntry {
  /** Two digits: `11`. */
  code: string;
  /** CMS's title: `Office`. */
  name: string;
  /** CMS's full text, in upper case as published. */
  description: string;
}

/** A value of one of the X12 eligibility/remittance elements in {@link x12CodeLists}. */
export interface X12CodeListEntry extends DescribedCode {
  /** The X12 data element number: `1390`. */
  element: string;
  elementName: string;
}

/** Place of service codes 01–99 (assigned ones). One-digit input is padded: `pos.get('1')` is Pharmacy. */
export const pos: CodeSet<PlaceOfServiceEntry> = defineCodeSet<PlaceOfServiceEntry>({
  load: () => readDataTable('pos.tsv', ['code', 'name', 'description']),
  key: (entry) => entry.code,
  normalize: (code) => normalizeCode(code).padStart(2, '0'),
  searchText: (entry) => `${entry.name} ${entry.description}`,
});

/**
 * X12 service type codes (element 1365, EQ01/EB03 in 270/271): `serviceTypes.get('30')` is Health Benefit
 * Plan Coverage. The full element dictionary, a superset of what the 270/271 guide allows.
 */
export const serviceTypes: CodeSet<DescribedCode> = defineCodeSet<DescribedCode>({
  load: () => readDataTable('x12_service_type_codes.tsv', ['code', 'description']),
  key: (entry) => entry.code,
  normalize: normalizeCode,
  searchText: (entry) => entry.description,
});

/** X12 code lists keyed by element number. */
export interface X12CodeLists {
  /** The value of an element, e.g. `get('1390', '1')` → Active Coverage. */
  get(element: string, code: string): X12CodeListEntry | undefined;
  /** Every value of an element, in the data's order; empty for an element that is not shipped. */
  list(element: string): readonly X12CodeListEntry[];
  /** The element numbers shipped. */
  elements(): readonly string[];
}

interface X12ListIndex {
  byElement: Map<string, X12CodeListEntry[]>;
  byElementAndCode: Map<string, X12CodeListEntry>;
}

let listIndex: X12ListIndex | undefined;

function loadLists(): X12ListIndex {
  if (listIndex) return listIndex;
  const columns = ['x12_element', 'element_name', 'code', 'description'] as const;
  listIndex = { byElement: new Map(), byElementAndCode: new Map() };
  for (const row of readDataTable('x12_code_lists_misc.tsv', columns)) {
    const entry = {
      element: row.x12_element,
      elementName: row.element_name,
      code: row.code,
      description: row.description,
    };
    const list = listIndex.byElement.get(entry.element) ?? [];
    list.push(entry);
    listIndex.byElement.set(entry.element, list);
    listIndex.byElementAndCode.set(`${entry.element}:${entry.code}`, entry);
  }
  return listIndex;
}

/**
 * Other X12 code lists used in eligibility and remittance: 1390 (EB01 eligibility or benefit information),
 * 1207 (coverage level), 1336 (insurance type), 615 (time period qualifier), 1029 (CLP02 claim status) and
 * 1033 (claim adjustment group, the X12 base list).
 */
export const x12CodeLists: X12CodeLists = {
  get: (element, code) => loadLists().byElementAndCode.get(`${element.trim()}:${normalizeCode(code)}`),
  list: (element) => loadLists().byElement.get(element.trim()) ?? [],
  elements: () => [...loadLists().byElement.keys()],
};
