/**
 * @intelluxe/phi: PHI detection and de-identification under HIPAA Safe Harbor (45 CFR 164.514(b)(2)).
 * Pure and local: no network, no models; dictionaries ship in ../data.
 */
export {
  DEIDENTIFY_MODES,
  type DeidentifyMode,
  type DeidentifyOptions,
  type DeidentifyResult,
  dateShiftDays,
  deidentify,
  safeHarborZip,
  shiftDate,
} from './deidentify.ts';
export { containsPhi, scan } from './scan.ts';
export { PHI_TYPES, type PhiType, type ScanOptions, type Span } from './types.ts';
export { deaValid, ibanValid, luhnValid, npiValid, ssnValid, vinValid } from './validators.ts';
