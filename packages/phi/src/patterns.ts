/**
 * Pattern detectors: identifiers with a recognizable shape (dates, phones, e-mail, SSN, record numbers, ...).
 * Every regex is compiled once; each detector pushes candidate spans and the scanner resolves overlaps.
 */

import { dictionaries } from './dictionaries.ts';
import { matches } from './regex.ts';
import type { PhiType } from './types.ts';
import { deaValid, ibanValid, ipv4Valid, luhnValid, npiValid, ssnValid, vinValid } from './validators.ts';
import { STOP_WORDS } from './words.ts';

type Push = (start: number, end: number, type: PhiType, confidence: number, detector: string) => void;

const MONTH =
  '(?:jan(?:uary|\\.)?|feb(?:ruary|\\.)?|mar(?:ch|\\.)?|apr(?:il|\\.)?|may|june?|july?|aug(?:ust|\\.)?|sept?(?:ember|\\.)?|oct(?:ober|\\.)?|nov(?:ember|\\.)?|dec(?:ember|\\.)?)';
const DAY = '(?:0?[1-9]|[12]\\d|3[01])(?:st|nd|rd|th)?';
const YEAR = "(?:(?:1[89]|20)\\d{2}|'\\d{2})";
const TIME = '(?:[T ]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';

// Numeric m/d[/y]: the slash form may stand without a year ("7/22"); dashes and dots need one ("3-12-99").
const RE_MDY_SLASH =
  /(?<![\w/]|\d[.:])(0?[1-9]|1[0-2])\/(0?[1-9]|[12]\d|3[01])(?:\/(\d{4}|\d{2}))?(?![\d/]|\.\d)/g;
// A full date glued to a word: "labs on10/14/82".
const RE_MDY_GLUED =
  /(?<=[A-WYZa-wyz])(?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01])\/(?:\d{4}|\d{2})(?![\d/%]|\.\d)/g;
// A range of days after "on", "from", "since": "returned to OR on 7-8", "BC from 3-5 grew staph".
const RE_MD_DASH_CUE =
  /\b(?:on|from|since)\s+((?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12]\d|3[01]))(?=\s*(?:[.,;:)\n]|$|(?:for|and|with|to|at|when|in|the|grew|was|were|until)\b))/gi;
// Two dates written together: "10/03/10/04" (from 10/03 to 10/04).
const RE_MD_MD =
  /(?<![\w/.])((?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01]))\/((?:0?[1-9]|1[0-2])\/(?:0?[1-9]|[12]\d|3[01]))(?![\d/]|\.\d)/g;
const RE_MDY_DASH =
  /(?<![\d\-.:/])(0?[1-9]|1[0-2])([-.])(0?[1-9]|[12]\d|3[01])\2((?:19|20)\d{2}|\d{2})(?![\d\-.])/g;
// d/m/y with a day over 12 (European order) and a year.
const RE_DMY = /(?<![\d/.:-])(1[3-9]|2\d|3[01])([/.-])(0?[1-9]|1[0-2])\2((?:19|20)\d{2})(?![\d/.-])/g;
// Month/year: "8/87", "3/2019".
const RE_MY = /(?<![\d/.:])(0?[1-9]|1[0-2])\/((?:19|20)\d{2}|[4-9]\d|3[2-9])(?![\d/]|\.\d)/g;
const RE_ISO = new RegExp(
  `(?<![\\d.-])(?:19|20)\\d{2}([-/.])(?:0?[1-9]|1[0-2])\\1(?:0?[1-9]|[12]\\d|3[01])${TIME}(?![\\d])`,
  'g',
);
const RE_COMPACT_DATE = /(?<!\d)(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])(?!\d)/g;
const RE_MONTH_DAY = new RegExp(
  `\\b${MONTH}\\.?\\s+(?:the\\s+)?${DAY}(?:,?\\s+${YEAR})?(?![\\d:])|\\b${MONTH}\\.?\\s*,?\\s+${YEAR}\\b|\\b${DAY}(?:\\s+of)?\\s*[- ]?\\s*${MONTH}\\b\\.?(?:,?[- ]?\\s*${YEAR})?|\\b(?:the\\s+)?${DAY}\\s+of\\s+${MONTH}\\b`,
  'gi',
);
const RE_DAY_MONTH_YY = new RegExp(`\\b${DAY}\\s+${MONTH}\\.?,\\s*\\d{2}(?![\\d:])`, 'gi');
const RE_ORDINAL_DAY =
  /\b(?:on|since|until|from|by|it's|its|is)\s+the\s+(?:[12]?\d|3[01])(?:st|nd|rd|th)\b(?!\s+(?:time|floor|dose|attempt|day|week|hour|of\s+(?:the|his|her)))/gi;
// "March of 1993", "in sept.": a month with "of" and a year, or after "in"/"since" (not "may", not "march" alone).
const RE_MONTH_OF_YEAR = new RegExp(`\\b${MONTH}\\s+of\\s+(?:1[89]|20)\\d{2}\\b`, 'gi');
const RE_IN_MONTH =
  /\b(?:in|since|during|until|early|late|mid)\s+(?:jan(?:uary)?|feb(?:ruary)?|apr(?:il)?|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?/gi;
const RE_DAY_MONTH_COMPACT = new RegExp(`\\b\\d{1,2}${MONTH}(?:\\d{2,4})?\\b`, 'gi');
const RE_MONTH_HINT = /jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec/i;
const RE_ORDINAL_HINT = /\d(?:st|nd|rd|th)\b/i;
const RE_HOLIDAY_HINT = /christmas|thanksgiving|easter|new year/i;
const RE_HOLIDAY = /\b(?:christmas|thanksgiving|easter|new year'?s)(?:\s+(?:day|eve))?\b/gi;
const RE_MONTH_ONLY_AMBIGUOUS = /^(?:may|mar|jun|june|jan|dec|aug|oct|sept?)$/i;

// Fractions and measurements that look like m/d.
const NOT_DATE_BEFORE =
  /(?:\b(?:b\/?p|sbp|dbp|nbp|abp|map|cvp|pap|pa|pas|pad|art|a-line|nibp|strength|str|motor|grade|ratio|gcs|pain|rated|scale|score|power|vision|va|ie|i:e|x)\s*(?:of|was|is|at|=|:)?\s*|[\d.]\s*[/-]\s*|\+|[\d\s]-)$/i;
/** Ventilator settings ("PSV 12/5", "CPAP 5/8") and pain scores ("pain 5/10") a few words back. */
const NOT_DATE_CONTEXT =
  /\b(?:psv?|cpap|bipap|peep|imv|simv|a\/c|vent|ventilation|support|settings?|mode|pressure|perrla?|pupils|co\/ci|ci|flowby|fio2|mask)\b(?:[^a-z.;\n]*[a-z]+)?[^a-z.;\n]*$/i;
/** The same, a little further back, for the denominators of scores and pressures (x/5, x/10). */
const NOT_DATE_CONTEXT_WIDE =
  /\b(?:psv?|cpap|bipap|peep|imv|simv|a\/c|vent|ventilation|support|pain|settings?|mode|rated|rating|describes|cp|discomfort|pressure|perrla?|pupils|co\/ci|ci|flowby|fio2|mask|c\/o|wean|weaning|extubated|trialed)\b(?:[^a-z.;\n]*[a-z]+){0,2}[^a-z.;\n]*$/i;
const NOT_DATE_AFTER =
  /^(?:\s*(?:mg|mcg|ml|cc|l\b|units?|u\b|meq|mmhg|mm|cm|kg|g\b|%|tabs?|tablets?|caps?|puffs?|drops?|strength|str\b|pain|scale|ns\b|nss|normal|ratio|dilution|hrs?|hours?|days?|wks?|weeks?|mos?\b|months?|min|times|x\b|bid|tid|qid|qd|prn|bottles?)|\s*[/]\s*\d|\s*(?:on|of)\s+10\b|\.\d)/i;

// Ages over 89.
const RE_AGE =
  /\b(9\d|1[0-1]\d|120)(?:\s*|-)(?:yo\b|y\/o\b|y\.o\.?|yrs?\b|years?\b|year-old|yr-old|y\b|years-old|(?:m|f)\b)(?:[\s-]*old)?/gi;
const RE_AGE_CUE = /\b(?:age[d:]?|aged|age of|turned|turns|turning)\s*(?:of\s+)?(9\d|1[0-1]\d|120)\b/gi;

// Phones. North American numbers with the usual separators, international numbers with a + or a cue.
const RE_PHONE_NA =
  /(?<![\w.+]|\d-)(?:\+?1[\s.-]{0,2})?(?:\(\s*\d{3}\s*\)|\d{3})(?:[\s.-]{0,3}|\)\s?)\d{3}(?:[\s.-]{0,3})\d{4}(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?(?![\w-]|\.\d)/gi;
const RE_PHONE_PAREN = /\(\s*\d{3}[\s.-]?\d{3}[\s.-]?\d{4}\s*\)|(?<![\d/])\d{3}\/\d{3}\/\d{4}(?![\d/])/g;
const RE_PHONE_LOCAL = /(?<![\w.-])\d{3}-\d{4}(?![\w-]|\.\d)/g;
const RE_PHONE_INTL =
  /(?<![\w])\+\d{1,3}(?:[\s.-]?\(0\))?(?:[\s.-]?\d{1,5}){2,6}(?:\s*(?:x|ext\.?)\s*\d{1,6})?(?![\w])/g;
const RE_PHONE_GENERIC =
  /(?<![\w.,-])(?:\(\d{1,4}\)\s?)?\d{2,5}(?:[ .-]\d{2,8}){1,5}(?:\s*x\s*\d{1,6})?(?![\w]|[.,-]\d)/g;
const RE_PHONE_CUE_BEFORE =
  /(?:phone|tel(?:ephone)?|mobile|cell(?:ular)?|fax|desk|office|home|work|call(?:ed)?(?: me)?(?: at| on)?|reach(?:ed)?(?: at)?|contact|number|no\.|#|ph|pager|beeper|messages to|registered|answering at)\s*[:#.]*\s*(?:is\s*)?[:#-]*\s*$/i;
const RE_PHONE_CUE_AFTER = /^\s*[-,\\]*\s*(?:office|fax|mobile|home|work|cell|desk)\b/i;
const RE_PAGER = /\b(?:pager|beeper|pg|page|bpr)[\s:#]*(?:no\.?|number)?[\s:#]*(\d{4,6})\b/gi;
const RE_FAX_BEFORE = /fax\s*(?:#|no\.?|number)?\s*[:#]?\s*$/i;

const RE_EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;
const RE_URL = /\b(?:(?:https?|ftp):\/\/|www\.)[^\s<>"'()]+[^\s<>"'().,;:!?]/gi;
const RE_DOMAIN =
  /(?<![@\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|org|net|edu|gov|mil|info|biz|io)\b(?:\/[^\s<>"']*)?/gi;
const RE_TLD_HINT = /\.(?:com|org|net|edu|gov|mil|info|biz|io)\b/i;
const RE_IPV6_HINT = /[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:[0-9a-f]{1,4}:/i;
const RE_IPV4 = /(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.]|\.\d)/g;
const RE_IPV6 =
  /(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}:?){0,6}(?![\w:])/gi;

const RE_SSN = /(?<![\d-])(\d{3})([- ]?)(\d{2})\2(\d{4})(?![\d-])/g;
const RE_SSN_CUE =
  /\b(?:ssn|ss#|ss #|soc(?:ial)?\.?\s*sec(?:urity)?\.?(?:\s*(?:no\.?|number|#))?)\s*(?:is|:|#)?\s*[:#]?\s*$/i;
const RE_CARD = /(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])/g;
const RE_IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\b/g;
const RE_VIN = /\b[A-HJ-NPR-Z0-9]{17}\b/g;
const RE_DEA = /\b[ABCDEFGHJKLMPRSTUX][A-Z9]\d{7}\b/g;
const RE_NPI = /\b[12]\d{9}\b/g;
const RE_UDI = /\(01\)\d{14}(?:\(\d{2}\)[\w.-]+)*/g;

// Cue phrase followed by an identifier: the cue decides the type.
const ID_VALUE =
  '(?:[:#]|\\bis\\b|\\bnumber\\b|\\bno\\.?|\\bid\\b|\\s)*\\s*([A-Z0-9][A-Z0-9\\-/.]*\\d[A-Z0-9\\-]*|\\d[A-Z0-9\\-]*)';
const CUES: [RegExp, PhiType, string][] = [
  [
    new RegExp(
      `\\b(?:mrn|mr#|mr\\s*no|med(?:ical)?\\.?\\s*rec(?:ord)?s?\\.?(?:\\s*(?:number|no\\.?|#))?|unit\\s*(?:no|number|#)|chart\\s*(?:no|number|#)|patient\\s*id|pt\\.?\\s*id|hospital\\s*(?:no|number|#))${ID_VALUE}`,
      'gi',
    ),
    'MRN',
    'mrn-cue',
  ],
  [
    new RegExp(
      `\\b(?:member(?:ship)?\\s*(?:id|no|number|#)|subscriber\\s*(?:id|no|number|#)|policy\\s*(?:id|no|number|#)?|group\\s*(?:id|no|number|#)|insurance\\s*(?:id|no|number|#)|health\\s*plan\\s*(?:id|no|number|#)?|plan\\s*(?:id|no|#)|medicaid\\s*(?:id|no|number|#)?|medicare\\s*(?:id|no|number|#)?|mbi|hicn|beneficiary\\s*(?:id|no|number))${ID_VALUE}`,
      'gi',
    ),
    'HEALTH_PLAN_ID',
    'plan-cue',
  ],
  [
    new RegExp(
      `\\b(?:account|acct|billing\\s*(?:no|number|#)|card|iban|routing|invoice)\\s*(?:no\\.?|number|#|id)?${ID_VALUE}`,
      'gi',
    ),
    'ACCOUNT',
    'account-cue',
  ],
  [
    new RegExp(
      `\\b(?:driver'?s?\\s*licen[cs]e|dl|licen[cs]e|lic\\.?|dea|certificate|cert\\.?|passport|npi|upin|state\\s*id)\\s*(?:no\\.?|number|#|id)?${ID_VALUE}`,
      'gi',
    ),
    'LICENSE',
    'license-cue',
  ],
  [
    new RegExp(
      `\\b(?:license\\s*plate|plate|tag|vin|vehicle\\s*(?:id|no|number))\\s*(?:no\\.?|number|#)?${ID_VALUE}`,
      'gi',
    ),
    'VEHICLE_ID',
    'vehicle-cue',
  ],
  [
    new RegExp(
      `\\b(?:serial|s\\/n|sn|device\\s*(?:id|no|number)|udi|imei|model\\s*(?:no|number|#)|pacemaker\\s*(?:id|serial)|implant\\s*(?:id|serial))\\s*(?:no\\.?|number|#)?${ID_VALUE}`,
      'gi',
    ),
    'DEVICE_ID',
    'device-cue',
  ],
  [
    new RegExp(
      `\\b(?:fingerprint|finger\\s*print|retina(?:l)?\\s*scan|iris\\s*scan|voice\\s*print|voiceprint|biometric|palm\\s*print)\\s*(?:id|template|hash|no\\.?|number|#)?${ID_VALUE}`,
      'gi',
    ),
    'BIOMETRIC',
    'biometric-cue',
  ],
  [
    new RegExp(
      `\\b(?:ref(?:erence)?|case|claim|confirmation|ticket|order|accession|specimen|encounter|visit|file|record|id|identifier|policy)\\s*(?:no\\.?|number|#|id)?${ID_VALUE}`,
      'gi',
    ),
    'OTHER_ID',
    'id-cue',
  ],
];

/** Clinical words after "#" that are not identifiers ("#20 angiocath", "PICC #2" is fine but short). */
const RE_LONG_NUMBER = /(?<![\w.,/-])\d{8,}(?![\w.,/-]|[.,]\d)/g;

function lookBehind(text: string, index: number, n = 40): string {
  return text.slice(Math.max(0, index - n), index);
}

function detectDates(text: string, push: Push): void {
  for (const m of matches(RE_MDY_SLASH, text)) {
    const start = m.index;
    const end = start + m[0].length;
    const before = lookBehind(text, start, 24);
    const after = text.slice(end, end + 30);
    // A time right after ("10/17 0500", "7/22 @ 14:30") makes it a date whatever the context.
    const timed = /^\s+(?:@\s*)?(?:[01]\d|2[0-3])(?::?[0-5]\d)\b/.test(after);
    if (m[3] === undefined && timed) {
      push(start, end, 'DATE', 0.85, 'date-md');
      continue;
    }
    if (m[3] === undefined) {
      const range = /\d{1,2}\/\d{1,2}\s*-\s*$/.test(before);
      if ((!range && NOT_DATE_BEFORE.test(before)) || NOT_DATE_AFTER.test(after)) continue;
      const denominator = Number(m[2]);
      const window = lookBehind(text, start, 40);
      if (NOT_DATE_CONTEXT.test(window)) continue;
      if ([5, 8, 10, 12].includes(denominator) && NOT_DATE_CONTEXT_WIDE.test(window)) continue;
      if (/^[^.;\n\w]{0,3}(?:w\/?\s*)?(?:pain|peep|fio2|cpap|ps|cp)\b/i.test(after)) continue;
      if (denominator === 10 && /^[^.;\n]{0,25}\b(?:pain|angina|discomfort|cp|ha|headache)\b/i.test(after))
        continue;
      if (/^\s*(?:peep|fio2|ps\b|\d{2,3}\s*%)/i.test(after)) continue;
      // "1/2" "3/4" are more often fractions than dates.
      const strongCue =
        /(?:\b(?:since|until|admitted|placed|started|d\/c|dc|seen|post|pod|s\/p)|^|\n)\s*$/i.test(before) &&
        !/[\d.]\s*$/.test(before);
      if (/^[0-5]\/5$/.test(m[0]) && !strongCue) continue;
      if (
        /^(?:1\/[2-8]|[2-3]\/[34])$/.test(m[0]) &&
        !/\b(?:on|since|from|until|to|of|d\/c|dc|placed|started|admitted|seen|post|pod|s\/p)\s*$/i.test(
          before,
        )
      )
        continue;
      push(start, end, 'DATE', 0.8, 'date-md');
    } else {
      if (/^\s*%/.test(after) || (m[3]!.length === 2 && NOT_DATE_CONTEXT.test(lookBehind(text, start, 40))))
        continue;
      push(start, end, 'DATE', 0.95, 'date-mdy');
    }
  }
  for (const m of matches(RE_MD_MD, text)) push(m.index, m.index + m[0].length, 'DATE', 0.8, 'date-md');
  for (const m of matches(RE_MDY_GLUED, text)) push(m.index, m.index + m[0].length, 'DATE', 0.8, 'date-mdy');
  for (const m of matches(RE_MD_DASH_CUE, text)) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, 'DATE', 0.6, 'date-md');
  }
  for (const m of matches(RE_MDY_DASH, text)) {
    push(m.index, m.index + m[0].length, 'DATE', 0.9, 'date-mdy');
  }
  for (const m of matches(RE_DMY, text)) push(m.index, m.index + m[0].length, 'DATE', 0.9, 'date-dmy');
  for (const m of matches(RE_MY, text)) {
    const start = m.index;
    const end = start + m[0].length;
    if (NOT_DATE_BEFORE.test(lookBehind(text, start, 24)) || NOT_DATE_AFTER.test(text.slice(end, end + 16)))
      continue;
    push(start, end, 'DATE', 0.7, 'date-my');
  }
  for (const m of matches(RE_ISO, text)) push(m.index, m.index + m[0].length, 'DATE', 0.95, 'date-iso');
  for (const m of matches(RE_COMPACT_DATE, text)) {
    if (/(?:date|dob|birth|on|since)\W*$/i.test(lookBehind(text, m.index, 16)))
      push(m.index, m.index + m[0].length, 'DATE', 0.8, 'date-compact');
  }
  // The month-name forms only where a month name can be; ordinal days only where an ordinal is.
  if (RE_MONTH_HINT.test(text)) detectMonthDates(text, push);
  if (RE_ORDINAL_HINT.test(text)) {
    for (const m of matches(RE_ORDINAL_DAY, text)) {
      const at = m[0].search(/\d/);
      push(m.index + at, m.index + m[0].length, 'DATE', 0.75, 'date-ordinal');
    }
  }
  if (RE_HOLIDAY_HINT.test(text))
    for (const m of matches(RE_HOLIDAY, text))
      push(m.index, m.index + m[0].length, 'DATE', 0.6, 'date-holiday');
}

function detectMonthDates(text: string, push: Push): void {
  for (const m of matches(RE_MONTH_DAY, text)) {
    const word = /^[a-z]+/i.exec(m[0].trim())?.[0] ?? '';
    // "may 3 times", "Mar" alone: keep only when the match is a real date shape.
    if (
      RE_MONTH_ONLY_AMBIGUOUS.test(word) &&
      word === word.toLowerCase() &&
      !/\d{4}|st|nd|rd|th/.test(m[0])
    ) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 12);
      if (/^\s*(?:x|times|mg|days?|hours?|more|be|have|need|go)/i.test(after) || word === 'may') continue;
    }
    push(m.index, m.index + m[0].length, 'DATE', 0.9, 'date-month');
  }
  for (const m of matches(RE_DAY_MONTH_COMPACT, text))
    push(m.index, m.index + m[0].length, 'DATE', 0.8, 'date-month');
  for (const m of matches(RE_MONTH_OF_YEAR, text))
    push(m.index, m.index + m[0].length, 'DATE', 0.85, 'date-month');
  for (const m of matches(RE_IN_MONTH, text)) {
    const at = m[0].search(/\s\S/) + 1;
    push(m.index + at, m.index + m[0].length, 'DATE', 0.7, 'date-month');
  }
  for (const m of matches(RE_DAY_MONTH_YY, text))
    push(m.index, m.index + m[0].length, 'DATE', 0.85, 'date-month');
}

function detectAges(text: string, push: Push): void {
  for (const m of matches(RE_AGE, text)) {
    const unit = m[0].slice(m[1]!.length).trim().toLowerCase();
    // "95 y" / "92 m" need more: the bare letter forms only count in "92 M with ..." shapes at a word boundary.
    if ((unit === 'y' || unit === 'm' || unit === 'f') && /[\d.%]\s*$/.test(lookBehind(text, m.index, 3)))
      continue;
    push(m.index, m.index + m[1]!.length, 'AGE', unit.length <= 1 ? 0.6 : 0.95, 'age');
  }
  for (const m of matches(RE_AGE_CUE, text)) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, 'AGE', 0.9, 'age-cue');
  }
}

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

function detectPhones(text: string, push: Push): void {
  const typeFor = (start: number): PhiType =>
    RE_FAX_BEFORE.test(lookBehind(text, start, 16)) ? 'FAX' : 'PHONE';
  for (const m of matches(RE_PHONE_NA, text)) {
    const d = digitsOf(m[0].replace(/(?:x|ext\.?|extension)\s*\d+$/i, ''));
    if (d.length !== 10 && d.length !== 11) continue;
    const area = d.length === 11 ? d.slice(1, 4) : d.slice(0, 3);
    if (area[0] === '0' && !RE_PHONE_CUE_BEFORE.test(lookBehind(text, m.index))) continue;
    // A dotted "123.456.7890" looks like a decimal chain unless it has exactly that shape.
    if (/\d\.\d/.test(m[0]) && !/^\d{3}\.\d{3}\.\d{4}$/.test(m[0])) continue;
    push(m.index, m.index + m[0].length, typeFor(m.index), 0.9, 'phone');
  }
  for (const m of matches(RE_PHONE_PAREN, text))
    push(m.index, m.index + m[0].length, typeFor(m.index), 0.9, 'phone');
  for (const m of matches(RE_PHONE_LOCAL, text)) {
    // "SVR 900-1100" is a range: a bare ddd-dddd is a local number only after a phone cue.
    if (!RE_PHONE_CUE_BEFORE.test(lookBehind(text, m.index))) continue;
    push(m.index, m.index + m[0].length, typeFor(m.index), 0.75, 'phone-local');
  }
  for (const m of matches(RE_PHONE_INTL, text)) {
    const d = digitsOf(m[0]);
    if (d.length >= 8 && d.length <= 15)
      push(m.index, m.index + m[0].length, typeFor(m.index), 0.85, 'phone-intl');
  }
  for (const m of matches(RE_PHONE_GENERIC, text)) {
    const d = digitsOf(m[0]);
    if (d.length < 7 || d.length > 15) continue;
    const end = m.index + m[0].length;
    if (
      RE_PHONE_CUE_BEFORE.test(lookBehind(text, m.index)) ||
      RE_PHONE_CUE_AFTER.test(text.slice(end, end + 12))
    )
      push(m.index, end, typeFor(m.index), 0.75, 'phone-cue');
  }
  for (const m of matches(RE_PAGER, text)) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, 'PHONE', 0.85, 'pager');
  }
}

function detectNetwork(text: string, push: Push): void {
  if (text.includes('@'))
    for (const m of matches(RE_EMAIL, text)) push(m.index, m.index + m[0].length, 'EMAIL', 0.99, 'email');
  for (const m of matches(RE_URL, text)) push(m.index, m.index + m[0].length, 'URL', 0.95, 'url');
  if (RE_TLD_HINT.test(text))
    for (const m of matches(RE_DOMAIN, text)) {
      const label = m[0].split('.')[0] ?? '';
      // "p.o." and "b.i.d."-like abbreviations are single letters; real hosts have a longer label.
      if (label.length < 3) continue;
      push(m.index, m.index + m[0].length, 'URL', 0.8, 'domain');
    }
  for (const m of matches(RE_IPV4, text))
    if (ipv4Valid(m[0])) push(m.index, m.index + m[0].length, 'IP', 0.95, 'ipv4');
  if (text.includes('::') || RE_IPV6_HINT.test(text))
    for (const m of matches(RE_IPV6, text)) {
      if (m[0].split(':').filter((p) => p.length > 0).length >= 3)
        push(m.index, m.index + m[0].length, 'IP', 0.9, 'ipv6');
    }
}

function detectNumbers(text: string, push: Push): void {
  for (const m of matches(RE_SSN, text)) {
    const before = lookBehind(text, m.index, 30);
    const cue = RE_SSN_CUE.test(before);
    if (m[2] === '' && !cue) continue;
    if (ssnValid(m[0]) || cue) push(m.index, m.index + m[0].length, 'SSN', cue ? 0.98 : 0.85, 'ssn');
  }
  for (const m of matches(RE_CARD, text)) {
    const d = digitsOf(m[0]);
    if (d.length >= 13 && d.length <= 19 && luhnValid(d))
      push(m.index, m.index + m[0].length, 'ACCOUNT', 0.9, 'card');
  }
  for (const m of matches(RE_IBAN, text))
    if (ibanValid(m[0])) push(m.index, m.index + m[0].length, 'ACCOUNT', 0.95, 'iban');
  for (const m of matches(RE_VIN, text))
    if (vinValid(m[0])) push(m.index, m.index + m[0].length, 'VEHICLE_ID', 0.95, 'vin');
  for (const m of matches(RE_DEA, text))
    if (deaValid(m[0])) push(m.index, m.index + m[0].length, 'LICENSE', 0.9, 'dea');
  for (const m of matches(RE_NPI, text))
    if (npiValid(m[0])) push(m.index, m.index + m[0].length, 'OTHER_ID', 0.6, 'npi');
  for (const m of matches(RE_UDI, text)) push(m.index, m.index + m[0].length, 'DEVICE_ID', 0.95, 'udi');
  for (const [re, type, detector] of CUES) {
    for (const m of matches(re, text)) {
      const value = m[1]!;
      const start = m.index + m[0].length - value.length;
      // A cue word followed by a small plain number is a count or a dose ("card 2", "order 3").
      if (/^\d{1,3}$/.test(value) || (detector === 'id-cue' && /^\d{1,4}$/.test(value))) continue;
      push(start, start + value.length, type, 0.85, detector);
    }
  }
  for (const m of matches(RE_LONG_NUMBER, text))
    push(m.index, m.index + m[0].length, 'OTHER_ID', 0.6, 'long-number');
}

const US_STATE_ABBR =
  'AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|GU|VI|AS|MP|AA|AE|AP';
const RE_ZIP_AFTER_STATE = new RegExp(`\\b(?:${US_STATE_ABBR})\\.?,?\\s+(\\d{5}(?:-\\d{4})?)\\b`, 'g');
const RE_ZIP_CUE =
  /\b(?:zip|zip\s*code|postal\s*code|postcode)\s*(?:is|:|#)?\s*(\d{3,5}(?:-\d{3,4}|[ ][A-Z0-9]{2,4}(?![\w-]))?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d)\b/gi;
const RE_PO_BOX =
  /\b(?:p\.?\s?o\.?\s*box|post\s*office\s*box|(?:psc|unit|cmr)\s+\d{1,5},?\s+box)\s*#?\s*\d{1,6}(?:\s*\n?\s*(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5})?/gi;
const RE_MILITARY =
  /\b(?:(?:usns|usnv|uss|uscgc)[ \t]+[\p{L}'’-]+(?:[ \t]*\r?\n?[ \t]*(?:fpo|apo|dpo)[ \t]+(?:aa|ae|ap)[ \t]+\d{5})?|(?:apo|fpo|dpo)\s+(?:aa|ae|ap)\s+\d{5})\b/giu;
const RE_UNIT = /\b(?:apt|apartment|suite|ste|unit|room|rm|floor|fl|bldg|building)\.?\s*#?\s*\d+[A-Z]?\b/gi;

let streetRe: RegExp | undefined;
const AMBIGUOUS_SUFFIXES = new Set([
  'pt',
  'cv',
  'is',
  'via',
  'ext',
  'un',
  'mnr',
  'run',
  'wl',
  'wls',
  'well',
  'wells',
  'av',
  'sq',
  'way',
]);

function streetRegex(): RegExp {
  if (!streetRe) {
    const d = dictionaries();
    // Suffix abbreviations that are everyday clinical shorthand ("PT" point, "CV" cove) are left out.
    const words = [...d.streetSuffixes, 'str', 'av', 'rte', 'route'].filter(
      (w) => w.length > 1 && !AMBIGUOUS_SUFFIXES.has(w),
    );
    const forms = words.flatMap((w) => [w.toUpperCase(), w[0]!.toUpperCase() + w.slice(1)]);
    const suffixes = forms.sort((a, b) => b.length - a.length).join('|');
    // "1234 N. Oak Hill Road", "22 Pollen Crescent", "Apt 5" optional afterwards. Case matters: the street name
    // and its suffix are capitalized.
    streetRe = new RegExp(
      `(?<![\\w.-])\\d{1,6}[A-Z]?(?:[ \\t]+\\d{1,6})?[ \\t]+(?:(?:[NSEW]|NE|NW|SE|SW|North|South|East|West|NORTH|SOUTH|EAST|WEST)\\.?\\s+)?((?:(?:[\\p{Lu}][a-z]?\\.|[\\p{Lu}][\\p{L}'-]*|\\d{1,3}(?:st|nd|rd|th|ST|ND|RD|TH))[ \\t]+){1,3})(${suffixes})\\b\\.?(?:\\s+(?:[NSEW]|NE|NW|SE|SW)\\b\\.?)?(?:,?\\s*(?:[Aa]pt|APT|[Aa]partment|[Ss]uite|SUITE|[Ss]te|STE|[Uu]nit|UNIT|#)\\.?\\s*#?\\s*[\\w-]+)?`,
      'gu',
    );
  }
  streetRe.lastIndex = 0;
  return streetRe;
}

function detectAddresses(text: string, push: Push): void {
  const d = dictionaries();
  for (const m of matches(streetRegex(), text)) {
    // "2 MEDIASTINAL CT", "14 DAY COURSE": in capitals the street words must not all be clinical or plain words.
    const words = m[1]!.trim().toLowerCase().split(/\s+/);
    const plain = words.every((w) => d.clinical.has(w) || d.english.has(w) || /^\d+$/.test(w));
    // "3 WAY FOLEY IN PLACE", "1 ST DEGREE": a function word or a one-digit number before capitals is not a street.
    if (words.some((w) => STOP_WORDS.has(w))) continue;
    if (m[2] === m[2]!.toUpperCase() && /^\d\b/.test(m[0])) continue;
    if (plain && (m[2] === m[2]!.toUpperCase() || words.some((w) => d.clinical.has(w)))) continue;
    push(m.index, m.index + m[0].length, 'ADDRESS', 0.85, 'street');
  }
  for (const m of matches(RE_PO_BOX, text)) push(m.index, m.index + m[0].length, 'ADDRESS', 0.9, 'po-box');
  for (const m of matches(RE_MILITARY, text))
    push(m.index, m.index + m[0].length, 'ADDRESS', 0.9, 'military-address');
  for (const m of matches(RE_UNIT, text)) {
    if (/^(?:room|rm|floor|fl|unit)/i.test(m[0])) continue;
    push(m.index, m.index + m[0].length, 'ADDRESS', 0.7, 'unit');
  }
  for (const m of matches(RE_ZIP_AFTER_STATE, text)) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, 'ZIP', 0.9, 'zip');
  }
  for (const m of matches(RE_ZIP_CUE, text)) {
    const start = m.index + m[0].length - m[1]!.length;
    push(start, start + m[1]!.length, 'ZIP', 0.9, 'zip-cue');
  }
}

/** Runs every pattern detector over `text`. */
export function detectPatterns(text: string, push: Push): void {
  detectDates(text, push);
  detectAges(text, push);
  detectPhones(text, push);
  detectNetwork(text, push);
  detectNumbers(text, push);
  detectAddresses(text, push);
}
