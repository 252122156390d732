import { describe, expect, it } from 'vitest';
import { containsPhi, PHI_TYPES, type PhiType, scan } from '../src/index.ts';

/** The text each span covers, with its type. */
function found(text: string): string[] {
  return scan(text).map((s) => `${s.type}:${text.slice(s.start, s.end)}`);
}

const positives: [PhiType, string, string][] = [
  ['NAME', 'Seen by Dr. Healey this morning.', 'Healey'],
  ['NAME', 'daughter Emily Canvan called for an update', 'Emily Canvan'],
  ['NAME', 'Plan reviewed. Maria Silva, RN', 'Maria Silva'],
  ['NAME', 'pt is followed by dr healey at home', 'healey'],
  ['NAME', 'SON ROB CALLED, UPDATED ON PLAN', 'ROB'],
  ['NAME', 'Mrs. Burns remains sedated', 'Burns'],
  ['NAME', 'AS PER B. KARGAS NO CHANGE', 'B. KARGAS'],
  ['NAME', 'Patient: Lena Wirth', 'Lena Wirth'],
  ['LOCATION', 'Transferred from Calvert Hospital for eval.', 'Calvert'],
  ['LOCATION', 'She lives in Rockville with her son.', 'Rockville'],
  ['LOCATION', 'plan: transfer to quartermain 2 today', 'quartermain'],
  ['LOCATION', "I'm in HELSINKI until the 5th", 'HELSINKI'],
  ['ADDRESS', 'Home: 1234 Oak Hill Road, Apt 5', '1234 Oak Hill Road, Apt 5'],
  ['ADDRESS', 'Mail to P.O. Box 1432', 'P.O. Box 1432'],
  ['ZIP', 'Baltimore, MD 21201', '21201'],
  ['DATE', 'found on floor 7/22 by husband', '7/22'],
  ['DATE', 'surgery on March 3rd was uneventful', 'March 3rd'],
  ['DATE', 'admitted 3-Mar with SOB', '3-Mar'],
  ['DATE', 'CT 2026-03-14 negative', '2026-03-14'],
  ['DATE', 'seen on the 3rd of June', 'the 3rd of June'],
  ['DATE', 'DOB 3/14/1931', '3/14/1931'],
  ['DATE', 'last seen March 2019', 'March 2019'],
  ['AGE', '92 yo woman s/p fall', '92'],
  ['AGE', 'a 101-year-old man', '101'],
  ['AGE', 'patient aged 95 with CHF', '95'],
  ['PHONE', 'call (410) 555-1212 after 5', '(410) 555-1212'],
  ['PHONE', 'son at 410-555-1212', '410-555-1212'],
  ['PHONE', 'Pager #54321', '54321'],
  ['FAX', 'fax: 410-555-1213', '410-555-1213'],
  ['EMAIL', 'write to jane.doe@example.org', 'jane.doe@example.org'],
  ['SSN', 'SSN 123-45-6789', '123-45-6789'],
  ['MRN', 'MRN: 00123456', '00123456'],
  ['HEALTH_PLAN_ID', 'Member ID: XJH123456789', 'XJH123456789'],
  ['ACCOUNT', 'Acct # 556677889', '556677889'],
  ['ACCOUNT', 'card 4111 1111 1111 1111 on file', '4111 1111 1111 1111'],
  ['ACCOUNT', 'IBAN GB82WEST12345698765432', 'GB82WEST12345698765432'],
  ['LICENSE', "Driver's license: D1234567", 'D1234567'],
  ['LICENSE', 'prescriber AB1234563', 'AB1234563'],
  ['VEHICLE_ID', 'car VIN 1HGCM82633A004352', '1HGCM82633A004352'],
  ['VEHICLE_ID', 'license plate 7ABC123', '7ABC123'],
  ['DEVICE_ID', 'pacemaker serial number PM4471923', 'PM4471923'],
  ['DEVICE_ID', 'UDI (01)00643169007222(17)160128', '(01)00643169007222(17)160128'],
  ['URL', 'portal https://portal.example.com/p/123 today', 'https://portal.example.com/p/123'],
  ['IP', 'login from 192.168.10.24 blocked', '192.168.10.24'],
  ['BIOMETRIC', 'fingerprint template FP-99812 enrolled', 'FP-99812'],
  ['OTHER_ID', 'insurance ref # 8336652 given', '8336652'],
  ['NAME', 'Both Suzette and Hank Przybylo (son) visited', 'Hank Przybylo'],
  ['NAME', 'IV NURSE VIRGINIA SALLESE CALLED', 'VIRGINIA SALLESE'],
  ['NAME', 'Stord-Painter MD plans talc pleurodesis', 'Stord-Painter'],
  ['NAME', 'AS PER B. KARGAS-PT SOMEWHAT WET', 'B. KARGAS'],
  ['NAME', 'Hi Victor, I am writing about my bill', 'Victor'],
  ['NAME', 'Maika van de Noort will present', 'Maika van de Noort'],
  ['LOCATION', "will transfer to St. Mary's tomorrow", "St. Mary's"],
  ['LOCATION', 'daughter returned to new haven today', 'new haven'],
  ['LOCATION', 'went to Holy Cross with fever', 'Holy Cross'],
  ['LOCATION', 'admitted from University of Maryland Hospital', 'University of Maryland'],
  ['LOCATION', 'PLAN: TRANSFER TO QUARTERMAIN 2 WHEN BED AVAILABLE', 'QUARTERMAIN'],
  ['LOCATION', 'He grew up in Villafranca del Cid.', 'Villafranca del Cid'],
  [
    'ADDRESS',
    'The address of Persint is 6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677',
    '6750 Koskikatu 25 Apt. 864\nArtilleros\n, CO\n Uruguay 64677',
  ],
  [
    'ADDRESS',
    'it is the corner of Dalbraut 99 and Frederikke Coves',
    'the corner of Dalbraut 99 and Frederikke Coves',
  ],
  ['ADDRESS', 'Send it to USNS Bergman\nFPO AP 93757', 'USNS Bergman\nFPO AP 93757'],
  ['ADDRESS', 'The restaurant is at 5521 119 Countess Close', '5521 119 Countess Close'],
  ['DATE', 'in this case March of 1993', 'March of 1993'],
  ['DATE', 'Nursing Progress Note 28 Oct, 88 0700', '28 Oct, 88'],
];

describe('scan finds each identifier type', () => {
  it.each(positives)('%s in %j', (type, text, value) => {
    expect(found(text)).toContain(`${type}:${value}`);
  });

  it('covers every type in PHI_TYPES', () => {
    const covered = new Set(positives.map(([t]) => t));
    expect(PHI_TYPES.filter((t) => !covered.has(t))).toEqual([]);
  });
});

const clinical = [
  'BP 120/80',
  'Lisinopril 10 mg daily',
  'A1c 7.2',
  'ICD E11.9 type 2 diabetes',
  'CPT 99213 office visit',
  'age 45',
  'MI in 2019',
  'HR 72',
  'K 4.1',
  'Percocet 5/325 1 tab q6h',
  'PSV 10/5 with FiO2 40%',
  'describes pain as 5/10',
  'strength 5/5 bilaterally',
  'Foley draining clear yellow urine',
  'SpO2 98% on 3L NP',
  'Swan-Ganz catheter in place',
  'ST elevation in V2-V4',
  'HCPCS J1100 dexamethasone',
  'MS 4 mg IV given for pain',
  'TOL WELL, BROWN STOOL, MAY NEED LASIX',
  'WBC 11.2, Hct 30.1, Plt 212',
  'Will follow up with cardiology',
  'Grace period for the dressing change',
  'PT TRANSFERRED TO MICU ON 3L NP',
  'CONT ON A/C 700 X 10 40%',
  'GU: 3 WAY FOLEY IN PLACE',
  'E. coli and S. aureus in sputum',
  'MS improved, MR noted on echo',
  'monitor I&O, keep SBP 100-140',
  'Troponin 1.6, CK 98',
  'TTE on Monday, wean to CPAP 5/5',
  // Configuration names in operators' log lines.
  'back it up, or set INTELLUXE_MASTER_KEY (required in production)',
  'REDIS_URL redis://cache:6379 is unreachable; PAYER_CORE_ENDPOINT is required',
];

describe('clinical content survives', () => {
  it.each(clinical)('%j has no PHI', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('keeps ages up to 89 and years alone', () => {
    expect(found('89 yo man, CABG 1992, MI in 2004')).toEqual([]);
  });
});

describe('containsPhi', () => {
  it('is true for text with an identifier and false for clinical text', () => {
    expect(containsPhi('Call Dr. Healey at 410-555-1212')).toBe(true);
    expect(containsPhi('BP 120/80, HR 72, Lisinopril 10 mg')).toBe(false);
  });
});

describe('scan options', () => {
  it('filters by type and confidence', () => {
    const text = 'Dr. Healey, 410-555-1212, 7/22';
    expect(scan(text, { types: ['PHONE'] }).map((s) => s.type)).toEqual(['PHONE']);
    expect(scan(text, { minConfidence: 0.99 })).toEqual([]);
  });

  it('reports offsets into the input and the detector', () => {
    const text = 'x'.repeat(10) + ' SSN 123-45-6789';
    const [span] = scan(text);
    expect(span).toMatchObject({ start: 15, end: 26, type: 'SSN', detector: 'ssn' });
  });
});
