/**
 * Names and places: a single-pass word tokenizer, dictionary lookups (Census surnames, SSA first names, Census
 * places) and context rules (titles, credentials, relations, facility words, movement verbs), then propagation of
 * confidently found names to their other mentions in the same text.
 */
import { dictionaries } from './dictionaries.ts';
import type { PhiType } from './types.ts';
import {
  AFTER_NAME_CUES,
  CLINICAL_SHORTHAND,
  CLINICIAN_VERB_CUES,
  COUNTRIES,
  COUNTRY_PHRASES,
  CREDENTIAL_CUES,
  FACILITY_NAME_WORDS,
  FACILITY_WORDS,
  GENERIC_FACILITY_ADJ,
  PLACE_CUES,
  PLACE_VERB_CUES,
  RELATION_CUES,
  STOP_WORDS,
  TITLE_CUES,
} from './words.ts';

type Push = (start: number, end: number, type: PhiType, confidence: number, detector: string) => void;

const CAP_LOWER = 0;
const CAP_TITLE = 1;
const CAP_UPPER = 2;

interface Token {
  start: number;
  end: number;
  text: string;
  /** Lower case, possessive "'s" removed. */
  lower: string;
  cap: number;
  /** Text between the previous token and this one. */
  gap: string;
  /** First-name births, surname count (0 when absent). */
  first: number;
  last: number;
  english: boolean;
  clinical: boolean;
  stop: boolean;
}

const RE_WORD = /[\p{L}][\p{L}\p{M}'’]*(?:[-.][\p{L}][\p{L}\p{M}'’]*)*/gu;
const RE_HAS_LOWER = /\p{Ll}/u;
const RE_HAS_UPPER = /\p{Lu}/u;

/** Case of the text: capitalization only carries information in mixed-case text. */
function caseStyle(text: string): 'mixed' | 'upper' | 'lower' {
  let upper = 0;
  let lower = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 65 && c <= 90) upper++;
    else if (c >= 97 && c <= 122) lower++;
  }
  const letters = upper + lower;
  if (letters === 0) return 'mixed';
  if (upper / letters > 0.6) return 'upper';
  if (upper / letters < 0.015) return 'lower';
  return 'mixed';
}

function tokenize(text: string): Token[] {
  const d = dictionaries();
  const tokens: Token[] = [];
  let prevEnd = 0;
  for (const m of text.matchAll(RE_WORD)) {
    let word = m[0];
    // "Dr." and "St." keep their period as the gap; "B.I.D." stays one token.
    if (word.endsWith('.')) word = word.slice(0, -1);
    const start = m.index;
    const end = start + word.length;
    let lower = word.toLowerCase().replace(/’/g, "'");
    if (lower.endsWith("'s")) lower = lower.slice(0, -2);
    else if (lower.endsWith("'")) lower = lower.slice(0, -1);
    const first = word[0] ?? '';
    const rest = word.slice(1);
    const cap = !RE_HAS_UPPER.test(first)
      ? CAP_LOWER
      : rest.length > 0 && !RE_HAS_LOWER.test(rest)
        ? CAP_UPPER
        : CAP_TITLE;
    tokens.push({
      start,
      end,
      text: word,
      lower,
      cap,
      gap: text.slice(prevEnd, start),
      first: d.firstNames.get(lower) ?? 0,
      last: d.surnames.get(lower) ?? 0,
      english: d.english.has(lower),
      clinical: d.clinical.has(lower) || CLINICAL_SHORTHAND.has(lower),
      stop: STOP_WORDS.has(lower),
    });
    prevEnd = end;
  }
  return tokens;
}

/** The gap between two words of one name: spaces, an initial's period, a hyphen. */
function joinsName(gap: string): boolean {
  return /^(?:[ \t]{1,3}|\.[ \t]{0,2}|[ \t]?-[ \t]?)$/.test(gap);
}

function sameLine(gap: string): boolean {
  return !gap.includes('\n');
}

export function detectNamesAndPlaces(text: string, push: Push): void {
  const tokens = tokenize(text);
  if (tokens.length === 0) return;
  const style = caseStyle(text);
  const mixed = style === 'mixed';
  const d = dictionaries();
  const n = tokens.length;
  /** Per token: best type and confidence found so far. */
  const label: (PhiType | undefined)[] = new Array(n);
  const conf = new Float32Array(n);
  const via: string[] = new Array(n);

  const mark = (i: number, type: PhiType, c: number, detector: string) => {
    if (c > conf[i]!) {
      label[i] = type;
      conf[i] = c;
      via[i] = detector;
    }
  };

  const capitalized = (t: Token) => t.cap !== CAP_LOWER;
  const isInitial = (t: Token) => t.text.length === 1 && t.cap !== CAP_LOWER;
  const nameLex = (t: Token) => t.first >= 100 || t.last >= 300;
  /** A word that is in no vocabulary at all: unknown words in name position are usually names. */
  const unknown = (t: Token) =>
    !t.english && !t.clinical && !t.stop && t.lower.length >= 2 && !/\d/.test(t.lower);

  /** Could this word be (part of) a name when a strong cue says a name comes here? */
  const strongName = (t: Token): boolean => {
    if (t.stop || CLINICAL_SHORTHAND.has(t.lower) || t.lower.length < 2) return false;
    if (mixed && !capitalized(t)) return !t.english && !t.clinical && nameLex(t);
    if (t.clinical && !nameLex(t)) return false;
    return nameLex(t) || !t.english;
  };
  /** A name word with no cue at all: must be in the name lists and not a common or clinical word. */
  const weakName = (t: Token): boolean =>
    nameLex(t) && !t.english && !t.clinical && !t.stop && t.lower.length >= 3 && (!mixed || capitalized(t));

  /** Extends a name from token i forwards and backwards over further name words. */
  const extendName = (i: number, c: number, detector: string) => {
    mark(i, 'NAME', c, detector);
    for (let j = i + 1; j < n && j <= i + 3; j++) {
      const t = tokens[j]!;
      if (!joinsName(t.gap)) break;
      if (
        isInitial(t) ||
        weakName(t) ||
        (strongName(t) && (!mixed || capitalized(t)) && (!t.english || nameLex(t)))
      ) {
        if (mixed && !capitalized(t)) break;
        if (t.english && !nameLex(t)) break;
        mark(j, 'NAME', c * 0.95, detector);
      } else break;
    }
    for (let j = i - 1; j >= 0 && j >= i - 2; j--) {
      const t = tokens[j]!;
      const next = tokens[j + 1]!;
      if (!joinsName(next.gap)) break;
      if (TITLE_CUES.has(t.lower) || RELATION_CUES.has(t.lower)) break;
      if ((isInitial(t) && t.text !== 'I') || weakName(t) || (strongName(t) && t.first >= 1000)) {
        if (mixed && !capitalized(t)) break;
        mark(j, 'NAME', c * 0.95, detector);
      } else break;
    }
  };

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1];
    const lw = t.lower;

    // Titles: "Dr. Healey", "mrs burns", "DR.DISANGRO".
    if (TITLE_CUES.has(lw) && next && sameLine(next.gap) && /^[.\s]{0,3}$/.test(next.gap)) {
      const isDoctorish = lw.startsWith('d') || lw.startsWith('m') || lw.startsWith('p');
      if (isDoctorish || capitalized(t)) {
        let k = i + 1;
        // "Dr. B. Kargas": initials then the name.
        while (k < n && isInitial(tokens[k]!) && k < i + 3) {
          mark(k, 'NAME', 0.9, 'name-title');
          k++;
        }
        const cand = tokens[k];
        if (cand && k < i + 4 && strongName(cand) && !(mixed && !capitalized(cand) && cand.english)) {
          extendName(k, 0.95, 'name-title');
        }
      }
    }

    // Credentials after the name: "Maria Silva, RN", "Foley CRT", "Stord-Painter MD".
    if (
      CREDENTIAL_CUES.has(lw) &&
      i > 0 &&
      (t.cap === CAP_UPPER || lw.includes('.') || lw.length > 2 || !mixed)
    ) {
      const prev = tokens[i - 1]!;
      if (/^(?:,?[ \t]{0,3}|[ \t]*,[ \t]*)$/.test(t.gap) && prev.end > 0) {
        if (
          (strongName(prev) && (!prev.english || nameLex(prev)) && (!mixed || capitalized(prev))) ||
          isInitial(prev)
        ) {
          // "notified MD" is a verb before the credential, not a name.
          if (!prev.clinical || nameLex(prev)) extendName(i - 1, 0.9, 'name-credential');
        }
      }
    }

    // Relations: "son bill", "daughter, Emily Canvan", "wife (Irene Sherwood".
    if (
      RELATION_CUES.has(lw) &&
      next &&
      sameLine(next.gap) &&
      /^[\s,:(-]*(?:named\s+|is\s+)?[\s,:(-]*$/.test(next.gap)
    ) {
      if (!next.stop && !CLINICAL_SHORTHAND.has(next.lower) && next.lower.length >= 2) {
        const firstish = next.first >= 200 || (unknown(next) && (!mixed || capitalized(next)));
        if (
          firstish &&
          !(next.english && next.first < 5000) &&
          !(mixed && !capitalized(next) && next.english && next.first < 50000)
        )
          extendName(i + 1, 0.85, 'name-relation');
      }
    }

    // Clinician verbs: "per healey", "paged Dr", "Kargas aware".
    if (CLINICIAN_VERB_CUES.has(lw) && next && sameLine(next.gap) && /^[\s:]{1,2}$/.test(next.gap)) {
      if (weakName(next) || (unknown(next) && next.lower.length >= 4 && (!mixed || next.cap === CAP_TITLE))) {
        if (nameLex(next) || (mixed && next.cap === CAP_TITLE)) extendName(i + 1, 0.75, 'name-verb');
      }
    }
    if (AFTER_NAME_CUES.has(lw) && i > 0) {
      const prev = tokens[i - 1]!;
      if (/^[\s]{1,2}$/.test(t.gap) && weakName(prev)) extendName(i - 1, 0.75, 'name-verb');
    }

    // "Name: Lena Wirth".
    if (
      (lw === 'name' || lw === 'patient' || lw === 'pt') &&
      next &&
      /^\s*:\s*$/.test(next.gap) &&
      sameLine(next.gap)
    ) {
      if ((strongName(next) || unknown(next)) && (!mixed || capitalized(next)))
        extendName(i + 1, 0.9, 'name-label');
    }

    // Dictionary names without a cue.
    if (weakName(t)) {
      const strength = Math.max(t.first, t.last);
      mark(i, 'NAME', strength > 20000 ? 0.6 : 0.5, 'name-dictionary');
    }

    // First name + surname pair in mixed case: "Carly Jones", "Jay Pearce".
    if (
      mixed &&
      next &&
      t.cap === CAP_TITLE &&
      next.cap === CAP_TITLE &&
      joinsName(next.gap) &&
      !t.stop &&
      !next.stop
    ) {
      if (t.first >= 2000 && next.last >= 1000 && !t.clinical && !next.clinical)
        extendName(i, 0.8, 'name-pair');
    }

    // Unknown capitalized words in mixed-case text: foreign names and places, rare surnames.
    if (mixed && t.cap === CAP_TITLE && unknown(t) && t.lower.length >= 3 && !/^[ivxlc]+$/.test(t.lower)) {
      mark(i, 'NAME', 0.5, 'name-unknown');
    }

    // "SMITH, JOHN" headers.
    if (next && next.gap === ', ' && t.last >= 300 && next.first >= 1000 && !t.english && !t.clinical) {
      if ((mixed && capitalized(t) && capitalized(next)) || (!mixed && t.cap === next.cap && !next.english)) {
        mark(i, 'NAME', 0.8, 'name-last-first');
        mark(i + 1, 'NAME', 0.8, 'name-last-first');
      }
    }
  }

  detectPlaces(tokens, mixed, mark);
  // Resolve each token's final label, then propagate names and places to their other mentions.
  const known = new Map<string, PhiType>();
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (label[i] && conf[i]! >= 0.75 && t.lower.length >= 3 && !t.english && !t.stop && !t.clinical)
      known.set(t.lower, label[i]!);
  }
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const type = known.get(t.lower);
    if (type && !label[i] && (!mixed || capitalized(t) || style === 'mixed'))
      mark(i, type, 0.7, 'propagated');
  }
  // Emit runs of same-typed adjacent tokens as one span.
  for (let i = 0; i < n; i++) {
    const type = label[i];
    if (!type) continue;
    let j = i;
    let c = conf[i]!;
    while (j + 1 < n && label[j + 1] === type && joinsName(tokens[j + 1]!.gap)) {
      j++;
      c = Math.max(c, conf[j]!);
    }
    push(tokens[i]!.start, tokens[j]!.end, type, c, via[i] ?? 'name');
    i = j;
  }
  void d;
}

function detectPlaces(
  tokens: Token[],
  mixed: boolean,
  mark: (i: number, type: PhiType, c: number, detector: string) => void,
): void {
  const d = dictionaries();
  const n = tokens.length;
  const capitalized = (t: Token) => t.cap !== CAP_LOWER;
  const unknown = (t: Token) => !t.english && !t.clinical && !t.stop && t.lower.length >= 2;

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const lw = t.lower;

    // Facility names: the words before "Hospital", "Hosp", "Medical Center", "Memorial".
    if (FACILITY_WORDS.has(lw) && i > 0) {
      let j = i - 1;
      let taken = 0;
      while (j >= 0 && taken < 3) {
        const p = tokens[j]!;
        const after = tokens[j + 1]!;
        if (!/^(?:[ \t]{1,3}|\.[ \t]{0,2}|[ \t]?-[ \t]?|'s[ \t]+)$/.test(after.gap)) break;
        if (GENERIC_FACILITY_ADJ.has(p.lower) || PLACE_VERB_CUES.has(p.lower)) break;
        if (p.stop && p.lower !== 'of') break;
        if (CLINICAL_SHORTHAND.has(p.lower) && !['st', 'va', 'u', 'md'].includes(p.lower)) break;
        if (mixed && !capitalized(p) && p.lower !== 'of') break;
        if (/\d/.test(p.text)) break;
        mark(j, 'LOCATION', 0.85, 'facility');
        taken++;
        j--;
      }
      if (taken > 0 && tokens[j + 1]?.lower === 'of') mark(j + 1, 'LOCATION', 0, 'facility');
      if (taken > 0 && FACILITY_NAME_WORDS.has(lw)) mark(i, 'LOCATION', 0.8, 'facility');
      if (
        FACILITY_NAME_WORDS.has(lw) &&
        i + 1 < n &&
        FACILITY_WORDS.has(tokens[i + 1]!.lower) &&
        taken === 0
      ) {
        mark(i, 'LOCATION', 0.6, 'facility');
      }
    }

    // After a movement verb and a preposition: "transferred to Quartermain", "lives in rockport", "to GH".
    if (PLACE_CUES.has(lw) && i + 1 < n) {
      const prev = tokens[i - 1];
      const cand = tokens[i + 1]!;
      const verbCue = prev !== undefined && PLACE_VERB_CUES.has(prev.lower) && /^\s{1,2}$/.test(t.gap);
      if (!/^\s{1,3}(?:the\s+)?$/.test(cand.gap)) continue;
      if (cand.stop || CLINICAL_SHORTHAND.has(cand.lower) || /\d/.test(cand.text)) continue;
      const place = placeAt(tokens, i + 1, mixed);
      if (place > 0 && (verbCue || (mixed && capitalized(cand)) || !cand.english)) {
        for (let k = i + 1; k < i + 1 + place; k++) mark(k, 'LOCATION', verbCue ? 0.85 : 0.7, 'place');
        continue;
      }
      if (!verbCue) {
        // "at GH", "to GH ER": a short unknown acronym after a preposition is usually a facility.
        if (
          cand.cap === CAP_UPPER &&
          cand.text.length <= 5 &&
          unknown(cand) &&
          /(?:h|mc|hc)$/i.test(cand.text)
        ) {
          if (!cand.first && !cand.last) mark(i + 1, 'LOCATION', 0.75, 'facility-acronym');
        }
        continue;
      }
      if (unknown(cand) && (!mixed || capitalized(cand))) mark(i + 1, 'LOCATION', 0.8, 'place-verb');
      else if (cand.cap === CAP_UPPER && cand.text.length <= 5 && !cand.english && !cand.clinical)
        mark(i + 1, 'LOCATION', 0.75, 'place-verb');
      else if ((cand.first || cand.last) && !cand.english && !cand.clinical)
        mark(i + 1, 'LOCATION', 0.75, 'place-verb');
    }

    // Countries and "City, ST".
    if (COUNTRIES.has(lw) && (capitalized(t) || !mixed)) mark(i, 'LOCATION', 0.6, 'country');
    if (i + 1 < n && (capitalized(t) || !mixed)) {
      const two = `${lw} ${tokens[i + 1]!.lower}`;
      if (COUNTRY_PHRASES.includes(two) && /^\s+$/.test(tokens[i + 1]!.gap)) {
        mark(i, 'LOCATION', 0.6, 'country');
        mark(i + 1, 'LOCATION', 0.6, 'country');
      }
    }
    const next = tokens[i + 1];
    if (
      next &&
      /^,\s?$/.test(next.gap) &&
      next.cap === CAP_UPPER &&
      next.text.length === 2 &&
      US_STATES.has(next.text)
    ) {
      const len = placeAt(tokens, i, mixed, true);
      if (len === 1 && (capitalized(t) || !mixed)) mark(i, 'LOCATION', 0.8, 'city-state');
    }
  }
  void d;
}

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR'.split(
    ' ',
  ),
);

/** Length in words of a known place starting at token i (longest of 3, 2, 1 words), or 0. */
function placeAt(tokens: Token[], i: number, mixed: boolean, anyWord = false): number {
  const d = dictionaries();
  for (let len = 3; len >= 1; len--) {
    if (i + len > tokens.length) continue;
    let name = tokens[i]!.lower;
    let ok = true;
    for (let k = i + 1; k < i + len; k++) {
      const t = tokens[k]!;
      if (!/^[ \t]{1,2}$/.test(t.gap)) {
        ok = false;
        break;
      }
      name += ` ${t.lower}`;
    }
    if (!ok) continue;
    const pop = d.places.get(name);
    if (pop === undefined) continue;
    const first = tokens[i]!;
    if (mixed && first.cap === CAP_LOWER) continue;
    if (len === 1 && !anyWord && (first.english || first.clinical || first.stop) && pop < 50000) continue;
    return len;
  }
  return 0;
}
