/**
 * Address blocks: a street line found by shape ("6750 Koskikatu 25", "3482 Via Franscini 71 Suite 838") and the
 * unit, city, region, country and postal-code parts that follow it on the same line or on the next short lines,
 * as in letters, forms and e-mail signatures. US street addresses with a USPS suffix are found in patterns.ts.
 */

import { dictionaries } from './dictionaries.ts';
import { matches } from './regex.ts';
import type { PhiType } from './types.ts';

/** Words of ventilator settings and doses that put numbers on both sides of a word ("700 x 10", "5 mg 2"). */
const NOT_STREET_WORDS = new Set([
  'and',
  'or',
  'the',
  'to',
  'in',
  'at',
  'on',
  'for',
  'with',
  'was',
  'is',
  'are',
  'of',
  'x',
  'mg',
  'mcg',
  'ml',
  'cc',
  'units',
  'hr',
  'hrs',
  'rr',
  'bp',
  'sbp',
  'peep',
  'ps',
  'np',
  'l',
  'tabs',
  'days',
]);
// "the corner of Dalbraut 99 and Frederikke Coves".
const RE_CORNER =
  /\b(?:the[ \t]+)?corner[ \t]+of[ \t]+(?:[\p{L}\d.'’-]+[ \t]+){1,5}?and[ \t]+[\p{Lu}\d][\p{L}\d.'’-]*(?:[ \t]+[\p{Lu}][\p{L}.'’-]*){0,3}/giu;
// In an address written all in lower case, the parts after a comma: "…suite 463, mohács, hungary 24743".
const RE_SAME_LINE_LOWER = /^[ \t]*,[ \t]*\p{L}[\p{L}.'’-]*(?:[ \t]+\p{L}[\p{L}.'’-]*){0,3}/u;
const RE_COUNTRY_POSTAL_PREFIX = /^[\p{Lu}][\p{L} ()'’-]{2,30}?[ \t]\d{4,6}\b/u;
const RE_COUNTRY_POSTAL_LINE = /^[\p{Lu}][\p{L} ()'’-]{2,30}[ \t]\d{4,6}$/u;

type Push = (start: number, end: number, type: PhiType, confidence: number, detector: string) => void;

// House number, street words, building number: the shape of most non-US street lines.
const RE_STREET_LINE =
  /(?<![\w.,/:-])\d{1,6}[A-Za-z]?(?:[ -]\d{1,6})?[ \t]+(?:[\p{L}][\p{L}.'’-]*[ \t]+){1,4}\d{1,5}[A-Za-z]?(?![\w/:-]|[.,]\d)|(?<![\w.,/:-])\d{1,6}[ \t]+\d{1,6}[ \t]+[\p{Lu}][\p{L}.'’-]+(?:[ \t]+(?:[\p{Lu}][\p{L}.'’-]+|de|du|la|le|des|del|della|da|do|van|von|al|el|di|der|den|ten)){0,4}/gu;
// "ul. Narewska 94", "Via Franscini 71", "Dunajska 56": street-type word or capitalized words, then a number.
const RE_STREET_NAMED =
  /\b(?:ul\.|al\.|via|rue|calle|avenida|rua|strada|straße|strasse|gata|vej|katu|tie)[ \t]+(?:[\p{L}][\p{L}.'’-]*[ \t]+){0,3}\d{1,5}[A-Za-z]?\b/giu;
const RE_UNIT = /^[ \t]*,?[ \t]*(?:apt|apartment|suite|ste|unit|box|floor|fl|#)\.?[ \t]*#?[ \t]*[\w-]+/iu;
const RE_SAME_LINE_WORDS =
  /^[ \t]*,?[ \t]*[\p{Lu}][\p{L}.'’-]*(?:[ \t]+(?:[\p{Lu}\d][\p{L}\d.'’-]*|de|del|la|le|du|di|da|do|of|am|an))*/u;
const RE_POSTAL =
  /^[ \t]*,?[ \t]*(?:[A-Z]{1,2}-)?(?:\d{3,6}(?:[- ]\d{2,4})?|[A-Z]\d[A-Z][ ]?\d[A-Z]\d)(?![\w-])/u;
const RE_NEXT_LINE = /^[ \t]*\r?\n(?:[ \t]*\r?\n)?[ \t]*(?:>|\?\?\?|,)?[ \t]*(?=\S)/;
const RE_LABEL_LINE = /[:@]|https?|www\.|\b(?:phone|mobile|fax|desk|office|email|e-mail|website|tel)\b/i;

/** How far an address block reaches from `pos`: its same-line and next-line continuations. */
function extendBlock(text: string, pos: number, lowerCase = false): number {
  let end = pos;
  let lines = 0;
  for (let guard = 0; guard < 12; guard++) {
    const rest = text.slice(end, end + 120);
    const m =
      RE_UNIT.exec(rest) ??
      RE_POSTAL.exec(rest) ??
      RE_SAME_LINE_WORDS.exec(rest) ??
      (lowerCase ? RE_SAME_LINE_LOWER.exec(rest) : null);
    if (m && m[0].trim().length > 0) {
      end += m[0].length;
      continue;
    }
    // Next line: a short line with no label, at most a few words, is the next part of the address.
    const nl = RE_NEXT_LINE.exec(rest);
    if (!nl || lines >= 5) break;
    const lineStart = end + nl[0].length;
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const line = text.slice(lineStart, lineEnd).trimEnd();
    if (line.length === 0) break;
    if (RE_LABEL_LINE.test(line) || line.length > 45 || line.split(/\s+/).length > 6) {
      // "United Kingdom 75419? I am in Sutri": the address ends with the country and postal code.
      const tail = RE_COUNTRY_POSTAL_PREFIX.exec(line);
      if (tail) end = lineStart + tail[0].length;
      break;
    }
    // Across a blank line only a "Country 12345" line still belongs to the address.
    if ((nl[0].match(/\n/g) ?? []).length > 1 && !RE_COUNTRY_POSTAL_LINE.test(line)) break;
    if (!/^[\p{Lu}\d,(]/u.test(line) && !/^[\p{L}]+$/u.test(line)) break;
    end = lineStart + line.length;
    lines++;
  }
  return end;
}

/** Finds address blocks outside clinical notes. */
export function detectAddressBlocks(text: string, push: Push, clinical: boolean): void {
  if (clinical) return;
  if (/corner/i.test(text))
    for (const m of matches(RE_CORNER, text))
      push(m.index, m.index + m[0].length, 'ADDRESS', 0.8, 'address-corner');
  const d = dictionaries();
  for (const re of [RE_STREET_LINE, RE_STREET_NAMED]) {
    re.lastIndex = 0;
    for (const m of matches(re, text)) {
      // "700 x 10", "43 and sbp 70": a street name is a proper word, not shorthand or a plain English word.
      const words = m[0].toLowerCase().match(/\p{L}[\p{L}'’-]*/gu) ?? [];
      if (words.some((w) => NOT_STREET_WORDS.has(w))) continue;
      // House number, building number and capitalized words ("5521 119 Countess Close") is shape enough.
      const twoNumbers = /^\d{1,6}[ \t]+\d{1,6}[ \t]+\p{Lu}/u.test(m[0]);
      if (!twoNumbers && !words.some((w) => w.length >= 3 && !d.english.has(w) && !d.clinical.has(w)))
        continue;
      const start = m.index;
      const seedEnd = start + m[0].length;
      const end = extendBlock(text, seedEnd, !/\p{Lu}/u.test(m[0]));
      push(start, end, 'ADDRESS', 0.8, 'address-block');
    }
  }
}

/** Extends US street addresses found elsewhere over their unit, city, state and ZIP lines. */
export function extendAddress(text: string, start: number, end: number): number {
  return start < end ? extendBlock(text, end) : end;
}
