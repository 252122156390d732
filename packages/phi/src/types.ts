/** The identifier kinds the engine reports, covering the 18 HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)). */
export const PHI_TYPES = [
  'NAME',
  'ADDRESS',
  'LOCATION',
  'ZIP',
  'DATE',
  'AGE',
  'PHONE',
  'FAX',
  'EMAIL',
  'SSN',
  'MRN',
  'HEALTH_PLAN_ID',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE_ID',
  'DEVICE_ID',
  'URL',
  'IP',
  'BIOMETRIC',
  'OTHER_ID',
] as const;

export type PhiType = (typeof PHI_TYPES)[number];

/** One detected identifier. `start`/`end` are JavaScript string indices into the scanned text (end exclusive). */
export interface Span {
  start: number;
  end: number;
  type: PhiType;
  /** 0..1: how sure the detector is. */
  confidence: number;
  /** Which rule found it, for audit and tuning. */
  detector: string;
}

export interface ScanOptions {
  /** Only report these types (default: all). */
  types?: readonly PhiType[];
  /** Drop spans below this confidence (default 0). */
  minConfidence?: number;
}
