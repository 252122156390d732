export { containsPhi, scan } from './scan.ts';
export type { PhiType, ScanOptions, Span } from './types.ts';
export { PHI_TYPES } from './types.ts';
export { deaValid, ibanValid, luhnValid, npiValid, ssnValid, vinValid } from './validators.ts';
