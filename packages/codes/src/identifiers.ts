// The NPI check digit is the Luhn digit of the first 9 digits prefixed with 80840, the ISO 7812 issuer prefix
// for US health applications (CMS NPI standard, 45 CFR 162.406).
const NPI_PREFIX = '80840';

function luhnCheckDigit(digits: string): number {
  let sum = 0;
  // Double every second digit from the right, starting with the rightmost (the check digit comes after it).
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let digit = digits.charCodeAt(i) - 48;
    if (double) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * The check digit (10th digit) of an NPI whose first 9 digits are given: `npiCheckDigit('123456789')` → 3.
 * Useful to make valid NPIs for fixtures. Throws a RangeError unless `first9` is exactly 9 digits.
 */
export function npiCheckDigit(first9: string): number {
  if (!/^[0-9]{9}$/.test(first9))
    throw new RangeError(`npiCheckDigit needs exactly 9 digits, got "${first9}"`);
  return luhnCheckDigit(NPI_PREFIX + first9);
}

/** Whether a National Provider Identifier is 10 digits with a correct check digit: `1234567893` is valid. */
export function isValidNpi(npi: string): boolean {
  return /^[0-9]{10}$/.test(npi) && npiCheckDigit(npi.slice(0, 9)) === npi.charCodeAt(9) - 48;
}

// X12 basic character set (A–Z, 0–9, space, ! " & ' ( ) * + , - . / : ; ? =) and extended set (a–z,
// % @ [ ] _ { } \ | < > ~ # $), less the delimiters this platform's interchanges use: ~ * : ^.
const MEMBER_ID = /^[A-Za-z0-9 !"&'()+,\-./;?=%@[\]_{}\\|<>#$]{2,80}$/;

/**
 * Whether a subscriber/member id can be sent in an X12 NM109: 2–80 characters of the X12 basic and extended
 * character sets, none of them a delimiter (`~ * : ^`), and no leading or trailing space (X12 drops trailing
 * spaces, so the payer would see a different id).
 */
export function isValidMemberId(id: string): boolean {
  return MEMBER_ID.test(id) && id.trim() === id;
}
