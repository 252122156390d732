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
  WEAK_FACILITY_WORDS,
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
  /** A single capital letter standing alone ("B. Kargas"), not the tail of "3L". */
  initial: boolean;
  /** Which cue lists hold the word (CUE_* bits). */
  cues: number;
  /** Population of the Census place of that name, or -1. */
  place: number;
}

const AMBIGUOUS_TITLES = new Set(['ms', 'mr', 'mrs', 'miss']);
/** Roles written before a name: the name must then be a known first name ("NP Carol"). */
const ROLE_CUES = new Set([
  'np',
  'rn',
  'md',
  'nurse',
  'pa',
  'resident',
  'intern',
  'fellow',
  'attending',
  'rrt',
  'sw',
  'chaplain',
  'caseworker',
  'therapist',
  'worker',
  'pharmacist',
  'dietician',
  'dietitian',
]);
const AMBIGUOUS_CREDENTIALS = new Set(['np', 'pa', 'pt', 'ot', 'do', 'ma', 'rd', 'rt', 'ms', 'md']);

const RE_WORD = /[\p{L}][\p{L}\p{M}'’]*(?:-[\p{L}][\p{L}\p{M}'’]*)*/gu;
const RE_HAS_LOWER = /\p{Ll}/u;
const RE_HAS_UPPER = /\p{Lu}/u;
/** Verb forms that follow "Dr" when the name is left out ("dr notified", "MD paged"). */
const RE_NOT_A_NAME = /(?:ed|ing)$/;
/** Endings of drug names (generic and brand) that no vocabulary lists: "-pril", "-statin", "-cet", "-mab". */
const RE_DRUG_SUFFIX =
  /(?:pril|sartan|statin|olol|dipine|prazole|tidine|floxacin|cycline|cillin|mycin|azole|vudine|navir|mab|nib|cet|codone|morphone|azepam|zolam|semide|thiazide|parin|plase|xaban|gatran|gliptin|glutide|formin|tropin|sone|olone|asone)$/;

/** "notified", "weaning": verb forms that stand where a name could; unknown words only count with "-ed" (typos
 *  such as "notifed"), since many rare surnames end in "-ing" ("Rueping"). */
function verbLike(t: Token): boolean {
  return RE_NOT_A_NAME.test(t.lower) && (t.english || (t.lower.endsWith('ed') && t.lower.length > 4));
}

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

/** Lower case, Title case ("McLaughlin" too) or capitals ("MDs" and "PVCs" count as capitals). */
function capitalization(word: string): number {
  const c0 = word.charCodeAt(0);
  let headUpper: boolean;
  if (c0 < 128) headUpper = c0 >= 65 && c0 <= 90;
  else headUpper = RE_HAS_UPPER.test(word[0]!);
  if (!headUpper) return CAP_LOWER;
  if (word.length === 1) return CAP_TITLE;
  let lowers = 0;
  let ascii = true;
  for (let k = 1; k < word.length; k++) {
    const c = word.charCodeAt(k);
    if (c >= 128) {
      ascii = false;
      break;
    }
    if (c >= 97 && c <= 122) lowers++;
  }
  if (!ascii) {
    const rest = word.slice(1);
    if (!RE_HAS_LOWER.test(rest)) return CAP_UPPER;
    return /^\p{Lu}+s$/u.test(rest) ? CAP_UPPER : CAP_TITLE;
  }
  if (lowers === 0) return CAP_UPPER;
  // "MDs", "PVCs": capitals and a plural s.
  if (lowers === 1 && word.charCodeAt(word.length - 1) === 115 && word.length > 2) {
    const penult = word.charCodeAt(word.length - 2);
    if (penult >= 65 && penult <= 90) return CAP_UPPER;
  }
  return CAP_TITLE;
}

/** What the tokenizer knows about a word by itself, independent of where it stands. */
interface WordInfo {
  lower: string;
  cap: number;
  cues: number;
  place: number;
  first: number;
  last: number;
  english: boolean;
  clinical: boolean;
  stop: boolean;
}

const CUE_AMBIGUOUS_TITLE = 1;
const CUE_TITLE = 2;
const CUE_CREDENTIAL = 4;
const CUE_AMBIGUOUS_CREDENTIAL = 8;
const CUE_ROLE = 16;
const CUE_RELATION = 32;
const CUE_CLINICIAN_VERB = 64;
const CUE_AFTER_NAME = 128;
const CUE_WEAK_FACILITY = 256;
const CUE_FACILITY_NAME = 512;
const CUE_FACILITY = 1024;
const CUE_PLACE = 2048;
const CUE_PHRASE_HEAD = 4096;
const CUE_COUNTRY = 8192;
const CUE_SPECIAL = 16384;
let cueSets: [Set<string>, number][] | undefined;
const cueSetList = (): [Set<string>, number][] => [
  [AMBIGUOUS_TITLES, CUE_AMBIGUOUS_TITLE],
  [TITLE_CUES, CUE_TITLE],
  [CREDENTIAL_CUES, CUE_CREDENTIAL],
  [AMBIGUOUS_CREDENTIALS, CUE_AMBIGUOUS_CREDENTIAL],
  [ROLE_CUES, CUE_ROLE],
  [RELATION_CUES, CUE_RELATION],
  [CLINICIAN_VERB_CUES, CUE_CLINICIAN_VERB],
  [AFTER_NAME_CUES, CUE_AFTER_NAME],
  [WEAK_FACILITY_WORDS, CUE_WEAK_FACILITY],
  [FACILITY_NAME_WORDS, CUE_FACILITY_NAME],
  [FACILITY_WORDS, CUE_FACILITY],
  [PLACE_CUES, CUE_PLACE],
  [PHRASE_HEADS, CUE_PHRASE_HEAD],
  [COUNTRIES, CUE_COUNTRY],
  [SPECIAL_WORDS, CUE_SPECIAL],
];

/** The cue lists a word belongs to, as CUE_* bits. */
function cueBits(lower: string): number {
  let bits = 0;
  cueSets ??= cueSetList();
  for (const [set, bit] of cueSets) if (set.has(lower)) bits |= bit;
  return bits;
}

/** Words repeat a lot in notes ("pt", "and", "BP"); their lookups are cached by exact spelling. */
const wordCache = new Map<string, WordInfo>();
const WORD_CACHE_LIMIT = 50_000;

function wordInfo(word: string): WordInfo {
  const cached = wordCache.get(word);
  if (cached) return cached;
  const lex = dictionaries().lexicon;
  let lower = word.toLowerCase();
  if (lower.includes('’')) lower = lower.replace(/’/g, "'");
  const apostrophe = lower.includes("'");
  // The Census writes O'Brien as OBRIEN.
  const e = lex.get(apostrophe ? lower.replace(/'/g, '') : lower);
  const own = apostrophe ? lex.get(lower) : e;
  let first = e?.first ?? 0;
  let last = e?.last ?? 0;
  // "con't", "pt's" are note shorthand; "o'brien", "d'angelo" are names.
  let english = (own?.english ?? false) || (apostrophe && /^[a-z]{2,}'[a-z]/.test(lower));
  let clinical = (own?.clinical ?? false) || CLINICAL_SHORTHAND.has(lower);
  if (lower.includes('-')) {
    // "Forman-Lyons" is a name, "by-started" is not: judge a hyphenated word by its parts.
    const parts = lower.split('-');
    english = parts.every((p) => lex.get(p)?.english || STOP_WORDS.has(p) || p.length === 1);
    clinical = clinical || parts.some((p) => lex.get(p)?.clinical || CLINICAL_SHORTHAND.has(p));
    for (const p of parts) {
      const pe = lex.get(p);
      if (!pe || pe.english) continue;
      first = Math.max(first, pe.first);
      last = Math.max(last, pe.last);
    }
  }
  const info = {
    lower,
    cap: capitalization(word),
    cues: cueBits(lower),
    place: dictionaries().places.get(lower) ?? -1,
    first,
    last,
    english,
    clinical,
    // State names are not Safe Harbor identifiers and not names.
    stop: STOP_WORDS.has(lower) || (STATE_NAMES.has(lower) && first < 50000),
  };
  if (wordCache.size >= WORD_CACHE_LIMIT) wordCache.clear();
  wordCache.set(word, info);
  return info;
}

/** A word joined to others by underscores ("INTELLUXE_MASTER_KEY", "REDIS_URL"): a program's identifier, not a place. */
function snakeCase(text: string, t: Token): boolean {
  return text.charCodeAt(t.start - 1) === 95 || text.charCodeAt(t.end) === 95;
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let prevEnd = 0;
  RE_WORD.lastIndex = 0;
  for (let m = RE_WORD.exec(text); m !== null; m = RE_WORD.exec(text)) {
    // "KARGAS-PT", "DAUGHTER-KRISSY", "by-started": a hyphen next to shorthand or a cue word separates words.
    if (m[0].includes('-')) {
      const parts = m[0].split('-');
      if (parts.some((p) => splitsAtHyphen(p.toLowerCase()))) {
        let at = m.index;
        for (const part of parts) {
          if (part.length > 0) pushWord(part, at);
          at += part.length + 1;
        }
        continue;
      }
    }
    pushWord(m[0], m.index);
  }
  return tokens;

  function pushWord(raw: string, start: number): void {
    let word = raw;
    // Possessives are not part of the name: "McLaughlin's" → "McLaughlin".
    const lastChar = word.charCodeAt(word.length - 1);
    if (lastChar === 39 || lastChar === 0x2019) word = word.slice(0, -1);
    else if ((lastChar === 115 || lastChar === 83) && word.length > 2) {
      const q = word.charCodeAt(word.length - 2);
      if (q === 39 || q === 0x2019) word = word.slice(0, -2);
    }
    if (word.length === 0) return;
    const end = start + word.length;
    const info = wordInfo(word);
    const gap = text.slice(prevEnd, start);
    // Letters glued to digits ("SaO2", "3L") are codes and units.
    const before = gap.length > 0 ? gap.charCodeAt(gap.length - 1) : 0;
    const afterCode = text.charCodeAt(end);
    const glued = (before >= 48 && before <= 57) || (afterCode >= 48 && afterCode <= 57);
    const cap = info.cap;
    tokens.push({
      start,
      end,
      text: word,
      lower: info.lower,
      cap,
      gap,
      first: info.first,
      last: info.last,
      english: info.english,
      clinical: info.clinical || glued,
      stop: info.stop,
      cues: info.cues,
      place: info.place,
      // "B. Kargas", "Miki C Kristiansen", and in lower-case notes "q. lander": a lone letter with a period.
      initial:
        word.length === 1 &&
        (prevEnd === 0 || /[\s(]$/.test(gap)) &&
        (cap !== CAP_LOWER
          ? /[.\s]/.test(text[end] ?? ' ')
          : /^\.[ \t]?[a-z]{3}/.test(text.slice(end, end + 5))),
    });
    prevEnd = end;
  }
}

function splitsAtHyphen(part: string): boolean {
  return (
    CLINICAL_SHORTHAND.has(part) || STOP_WORDS.has(part) || RELATION_CUES.has(part) || TITLE_CUES.has(part)
  );
}

/** The gap between two words of one name: spaces, or the period after an initial ("B. Kargas"). */
function joinsName(prev: Token, gap: string): boolean {
  if (/^[ \t]{1,3}$/.test(gap)) return true;
  return (prev.initial || ABBREVIATED_WORDS.has(prev.lower)) && /^\.[ \t]{0,2}$/.test(gap);
}

/** Abbreviations inside names: "St. Mary", "Mt. Sinai", "Jr.". */
const ABBREVIATED_WORDS = new Set(['st', 'mt', 'ft', 'jr', 'sr']);

function sameLine(gap: string): boolean {
  return !gap.includes('\n');
}

/** Finds names and places; returns whether the text reads as a clinical note (dense clinical vocabulary). */
export function detectNamesAndPlaces(text: string, push: Push): boolean {
  const tokens = tokenize(text);
  if (tokens.length === 0) return false;
  const style = caseStyle(text);
  const mixed = style === 'mixed';
  const n = tokens.length;
  let clinicalWords = 0;
  for (const t of tokens) if (t.clinical && !t.english && !t.stop && t.lower.length >= 2) clinicalWords++;
  /** Clinical notes are dense in clinical vocabulary and shorthand ("BP", "CABG", "Lasix"); prose is not. */
  const clinicalText = clinicalWords >= 3 && clinicalWords / n > 0.04;
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
  const nameLex = (t: Token) => t.first >= 100 || t.last >= 300;
  /** A word that is in no vocabulary at all: unknown words in name position are usually names. */
  const unknown = (t: Token) =>
    !t.english && !t.clinical && !t.stop && t.lower.length >= 2 && !/\d/.test(t.lower);
  /** A name word with no cue at all: must be in the name lists and not a common or clinical word. */
  const weakName = (t: Token): boolean =>
    nameLex(t) && !t.english && !t.clinical && !t.stop && t.lower.length >= 3 && (!mixed || capitalized(t));
  /** With no cue at all, a dictionary name must also be common enough and not an abbreviation-sized word. */
  const bareName = (t: Token): boolean =>
    weakName(t) &&
    (mixed
      ? t.cap === CAP_TITLE || t.first + t.last >= 3000
      : t.lower.length >= 4 && t.first + t.last >= 3000);
  /** Could this word be the name a strong cue (a title) announces? */
  const titledName = (t: Token): boolean =>
    !t.stop &&
    // "Dr. Foley" is a name although a Foley is a catheter.
    (!CLINICAL_SHORTHAND.has(t.lower) || (mixed && t.cap === CAP_TITLE && nameLex(t))) &&
    !AFTER_NAME_CUES.has(t.lower) &&
    !CLINICIAN_VERB_CUES.has(t.lower) &&
    t.lower.length >= 2 &&
    (nameLex(t) || !t.clinical) &&
    (!t.english || nameLex(t) || (capitalized(t) && !verbLike(t)));

  /** Extends a name from token i forwards and backwards over further name words. */
  const extendName = (i: number, c: number, detector: string) => {
    mark(i, 'NAME', c, detector);
    const seed = tokens[i]!;
    // In mixed-case text the other words of a name share its case ("mary anderson", "Mary Anderson").
    const caseOk = (t: Token) => !mixed || capitalized(t) || seed.cap === CAP_LOWER;
    // After a strong cue an unknown word is a name too ("NURSE VIRGINIA SALLESE", "Lopie Certusi").
    const nameWord = (t: Token) =>
      !t.stop &&
      !t.clinical &&
      t.lower.length >= 2 &&
      (t.english
        ? t.last + t.first >= (mixed ? 2000 : 20000)
        : nameLex(t) ||
          (mixed && t.cap === CAP_TITLE) ||
          (c >= 0.8 && unknown(t) && t.lower.length >= 4 && !verbLike(t)));
    for (let j = i + 1; j < n && j <= i + 3; j++) {
      const t = tokens[j]!;
      if (!joinsName(tokens[j - 1]!, t.gap) || !caseOk(t)) break;
      if (AFTER_NAME_CUES.has(t.lower) || CREDENTIAL_CUES.has(t.lower)) break;
      if (t.initial || nameWord(t)) mark(j, 'NAME', c * 0.95, detector);
      else break;
    }
    for (let j = i - 1; j >= 0 && j >= i - 2; j--) {
      const t = tokens[j]!;
      if (!joinsName(t, tokens[j + 1]!.gap) || !caseOk(t)) break;
      if (TITLE_CUES.has(t.lower) || RELATION_CUES.has(t.lower) || CLINICIAN_VERB_CUES.has(t.lower)) break;
      if ((t.initial && t.text !== 'I') || (nameWord(t) && (t.first >= 1000 || !t.english))) {
        mark(j, 'NAME', c * 0.95, detector);
      } else break;
    }
  };

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    // Most words are plain words with no cue: no rule below starts from them.
    if (t.cues === 0 && !t.initial && t.first < 100 && t.last < 300 && !unknown(t)) continue;
    const next = tokens[i + 1];
    const lw = t.lower;

    // Titles: "Dr. Healey", "mrs burns", "DR.DISANGRO", "Dr. B. Kargas".
    // "MS" and "MR" are also multiple sclerosis and mitral regurgitation: only the written-out title counts.
    const titleByForm = (t.cues & CUE_AMBIGUOUS_TITLE) === 0 || t.cap === CAP_TITLE || style === 'lower';
    const titleOk =
      titleByForm || (next !== undefined && (weakName(next) || (unknown(next) && next.lower.length >= 4)));
    if (
      titleOk &&
      (t.cues & CUE_TITLE) !== 0 &&
      next &&
      sameLine(next.gap) &&
      /^[.\s]{0,3}$/.test(next.gap)
    ) {
      let k = i + 1;
      while (k < n && k < i + 3 && tokens[k]!.initial && /^[.\s]{0,3}$/.test(tokens[k]!.gap)) {
        mark(k, 'NAME', 0.9, 'name-title');
        k++;
      }
      const cand = tokens[k];
      // "Dr Will Cole": a first name that is also a function word, followed by a surname.
      const after = cand ? tokens[k + 1] : undefined;
      const stopFirst =
        cand?.stop === true &&
        cand.first >= 20000 &&
        cand.cap === CAP_TITLE &&
        after !== undefined &&
        after.cap === CAP_TITLE &&
        nameLex(after) &&
        joinsName(cand, after.gap);
      if (stopFirst) {
        mark(k, 'NAME', 0.9, 'name-title');
        extendName(k + 1, 0.9, 'name-title');
      } else if (cand && /^[.\s]{0,3}$/.test(cand.gap) && sameLine(cand.gap) && titledName(cand)) {
        extendName(k, 0.95, 'name-title');
      }
    }

    // Credentials after the name: "Maria Silva, RN", "Foley CRT", "Stord-Painter MD".
    // A lower-case credential counts at the end of a signature line ("anita morris rn").
    const credential = (t.cues & CUE_CREDENTIAL) !== 0;
    const signature =
      credential && t.cap === CAP_LOWER && /^[ \t]*(?:\r?\n|$)/.test(text.slice(t.end, t.end + 3));
    if (credential && i > 0 && (t.cap === CAP_UPPER || !mixed || signature)) {
      const prev = tokens[i - 1]!;
      // "3L NP" (nasal prongs), "R IJ PA line", "book PT": these need a comma or a dictionary name before them.
      const before2 = tokens[i - 2];
      const firstBefore = before2 !== undefined && joinsName(before2, prev.gap) && before2.first >= 1000;
      const gapOk =
        (t.cues & CUE_AMBIGUOUS_CREDENTIAL) !== 0
          ? /^[ \t]{0,2},?[ \t]{1,2}$/.test(t.gap) &&
            (weakName(prev) ||
              (unknown(prev) &&
                prev.lower.length >= 4 &&
                (firstBefore || (prev.lower.includes('-') && prev.cap === CAP_TITLE))))
          : /^(?:[ \t]{1,3}|[ \t]*,[ \t]*|[ \t]*\([ \t]*)$/.test(t.gap);
      if (gapOk && !prev.initial && !prev.stop && !prev.clinical && prev.lower.length >= 2) {
        const before = tokens[i - 2];
        const afterFirst =
          before !== undefined && joinsName(before, prev.gap) && (before.initial || weakName(before));
        const plausible = prev.english
          ? nameLex(prev) && (mixed ? prev.cap === CAP_TITLE : afterFirst)
          : (nameLex(prev) || prev.lower.length >= 4) && (!mixed || capitalized(prev));
        if (plausible) extendName(i - 1, 0.9, 'name-credential');
      }
    }

    // A role before a first name: "NP Carol", "psych nurse leslie kiezulas", "per MD Spears".
    if ((t.cues & CUE_ROLE) !== 0 && next && /^[ \t]{1,2}$/.test(next.gap) && !next.stop && !next.clinical) {
      const role =
        (next.first >= 2000 && !verbLike(next)) ||
        (weakName(next) && next.last >= 1000) ||
        (unknown(next) && next.lower.length >= 5 && next.cap !== CAP_LOWER && !verbLike(next));
      if (role && (!mixed || capitalized(next) || t.cap === CAP_LOWER)) extendName(i + 1, 0.8, 'name-role');
    }

    // A relation in parentheses after the name: "Hank Przybylo (son)", "URSLA MORETTI (DAUGHTER)".
    if (
      (t.cues & CUE_RELATION) !== 0 &&
      i > 0 &&
      /^[ \t]*\([ \t]*$/.test(t.gap) &&
      /^[ \t]*\)/.test(text.slice(t.end, t.end + 3))
    ) {
      const prev = tokens[i - 1]!;
      if (
        !prev.stop &&
        !prev.clinical &&
        (nameLex(prev) || unknown(prev)) &&
        !(prev.english && !nameLex(prev))
      )
        extendName(i - 1, 0.85, 'name-relation');
    }

    // Relations: "son bill", "daughter, Emily Canvan", "wife (Irene Sherwood", "dtr-in-law Rita".
    if ((t.cues & CUE_RELATION) !== 0 && next && sameLine(next.gap) && /^[\s,:(-]{1,4}$/.test(next.gap)) {
      // "son Ed", "girlfriend EVE": shorthand that is also a common first name counts after a relation.
      const shorthandName =
        CLINICAL_SHORTHAND.has(next.lower) && next.first >= 10000 && next.cap !== CAP_LOWER;
      if (!next.stop && (!CLINICAL_SHORTHAND.has(next.lower) || shorthandName) && next.lower.length >= 2) {
        const firstish = next.first >= 200 || (unknown(next) && (!mixed || capitalized(next)));
        const commonWord =
          next.english && (next.first < 5000 || (mixed && !capitalized(next) && next.first < 50000));
        if (firstish && !commonWord && !verbLike(next)) extendName(i + 1, 0.85, 'name-relation');
      }
    }

    // An initial and a surname: "B. Kargas", "E. WELSH" (not "E. coli", "S. aureus").
    if (t.initial && next && /^\.[ \t]{1,2}$/.test(next.gap) && !next.clinical && !next.stop) {
      const surname = next.english
        ? (!mixed || next.cap === CAP_TITLE) && next.last >= 20000
        : nameLex(next) || (unknown(next) && next.lower.length >= 3);
      if (surname && (!mixed || capitalized(next))) extendName(i + 1, 0.8, 'name-initial');
    }

    // Clinician verbs: "per healey", "paged Kenney", "Kargas aware".
    if ((t.cues & CUE_CLINICIAN_VERB) !== 0 && next && sameLine(next.gap) && /^[\s:]{1,2}$/.test(next.gap)) {
      if (weakName(next)) extendName(i + 1, 0.75, 'name-verb');
    }
    if ((t.cues & CUE_AFTER_NAME) !== 0 && i > 0) {
      const prev = tokens[i - 1]!;
      // "Kargas aware", "dudak aware": a name, or a word no vocabulary knows, before "aware"/"notified".
      // "J SMITH ORDERED": an initial and a common surname before a clinician's verb.
      const before = tokens[i - 2];
      const initialSurname =
        before?.initial === true && prev.last >= 10000 && !prev.clinical && joinsName(before, prev.gap);
      const unknownName =
        (lw === 'aware' || lw === 'notified') &&
        unknown(prev) &&
        prev.lower.length >= 4 &&
        (!mixed || capitalized(prev) || style !== 'mixed');
      if (/^[\s]{1,2}$/.test(t.gap) && (weakName(prev) || unknownName || initialSurname))
        extendName(i - 1, 0.75, 'name-verb');
    }

    // "She named him Frank", "my name is Martin", "everyone calls me Borna".
    if (
      (lw === 'named' || lw === 'is' || lw === 'me' || lw === 'him' || lw === 'her') &&
      next &&
      /^[ \t]+$/.test(next.gap)
    ) {
      const prev = tokens[i - 1];
      const cue =
        lw === 'named' ||
        (lw === 'is' && prev?.lower === 'name') ||
        ((lw === 'me' || lw === 'him' || lw === 'her') &&
          (prev?.lower === 'calls' || prev?.lower === 'call' || prev?.lower === 'named'));
      if (cue && !next.stop && !next.clinical && (next.first >= 100 || unknown(next)) && !verbLike(next))
        extendName(i + 1, 0.85, 'name-label');
    }

    // Greetings and speaker labels in prose: "Hi Victor,", "Dear Ms. Lang", "Destiny: Remember me".
    if (!clinicalText && next && GREETINGS.has(lw) && /^[ \t]+$/.test(next.gap) && next.cap === CAP_TITLE) {
      if (!next.stop && !next.clinical && (next.first >= 100 || next.last >= 300 || unknown(next)))
        extendName(i + 1, 0.8, 'name-greeting');
    }
    if (
      !clinicalText &&
      mixed &&
      t.cap === CAP_TITLE &&
      t.first >= 1000 &&
      !t.stop &&
      /^:[ \t]+\S/.test(text.slice(t.end, t.end + 3))
    ) {
      if (i === 0 || /\n[ \t>?]*$/.test(t.gap)) mark(i, 'NAME', 0.7, 'name-speaker');
    }

    // "Name: Lena Wirth".
    if ((lw === 'name' || lw === 'patient') && next && /^[ \t]*:[ \t]*$/.test(next.gap)) {
      if (titledName(next) && (!mixed || capitalized(next))) extendName(i + 1, 0.9, 'name-label');
    }

    // A first name doing something people do: "bill called", "JOHN STATES", "Bob visited".
    if (
      next &&
      t.first >= 5000 &&
      SOCIAL_VERBS.has(next.lower) &&
      /^[ \t]{1,2}$/.test(next.gap) &&
      !t.stop &&
      !t.clinical
    ) {
      if (!mixed || capitalized(t) || next.cap === CAP_LOWER) mark(i, 'NAME', 0.75, 'name-social');
    }

    // Dictionary names without a cue.
    if (bareName(t)) {
      const strength = Math.max(t.first, t.last);
      mark(i, 'NAME', strength > 20000 ? 0.6 : 0.5, 'name-dictionary');
    }

    // A common first name and a surname or unknown word in the same case: "Nancy Cetrone", "patty hoeller".
    if (
      next &&
      t.first >= 10000 &&
      t.cap === next.cap &&
      (!t.english || t.first >= 100000) &&
      joinsName(t, next.gap)
    ) {
      const surname = next.last >= 1000 ? !next.english : unknown(next) && next.lower.length >= 4;
      if (surname && !t.clinical && !next.clinical && !t.stop && !next.stop && !verbLike(next)) {
        extendName(i, 0.75, 'name-pair');
        mark(i + 1, 'NAME', 0.75, 'name-pair');
      }
    }

    // First name + surname pair in mixed case: "Carly Jones", "Jay Pearce".
    if (mixed && next && t.cap === CAP_TITLE && next.cap === CAP_TITLE && joinsName(t, next.gap)) {
      if (t.first >= 2000 && next.last >= 1000 && !t.clinical && !next.clinical && !t.stop && !next.stop)
        extendName(i, 0.8, 'name-pair');
    }

    // Unknown capitalized words in mixed-case prose: foreign names and places, rare surnames. Clinical notes
    // are full of capitalized shorthand ("Resp", "Tmax"), so there the word must sit inside a sentence.
    if (mixed && t.cap === CAP_TITLE && unknown(t) && t.lower.length >= 3 && !/^[ivxlc]+$/.test(t.lower)) {
      const header = /^\s*[:\-/]/.test(text.slice(t.end, t.end + 2));
      const opensSentence = i === 0 || /[.!?:;\n\-=>]\s*$/.test(t.gap);
      // "Percocet 5/325", "Zestril 10 mg": a word before a dose is a drug.
      const dose =
        /^\s*(?:[<>=:]\s*)?\d+\.\d|^\s+\d[\d.,/]*\s*(?:mg|mcg|g|ml|units?|tabs?|caps?|%|\/|iu|meq)\b/i.test(
          text.slice(t.end, t.end + 16),
        );
      if ((!header || opensSentence) && !clinicalText && !dose && !RE_DRUG_SUFFIX.test(t.lower))
        mark(i, 'NAME', opensSentence ? 0.45 : 0.5, 'name-unknown');
    }

    // In prose, a capitalized common name inside a sentence is a name even when it is also a word ("me, Maria?").
    if (
      mixed &&
      !clinicalText &&
      t.cap === CAP_TITLE &&
      (t.first >= 20000 || t.last >= 20000) &&
      !t.stop &&
      !t.clinical
    ) {
      if (i > 0 && !/[.!?:;\n"“]\s*$/.test(t.gap)) mark(i, 'NAME', 0.5, 'name-prose');
    }

    // Unknown words in capitals in prose ("I'm in HELSINKI", "ΠΑΦΟΣ"): places and names; short ones are acronyms.
    if (
      mixed &&
      !clinicalText &&
      t.cap === CAP_UPPER &&
      unknown(t) &&
      t.lower.length >= 5 &&
      !t.first &&
      !t.last &&
      !snakeCase(text, t)
    ) {
      mark(i, 'LOCATION', 0.45, 'place-unknown');
    }
    // "Tom I. Holzman": first name, initial, surname.
    const third = tokens[i + 2];
    if (
      mixed &&
      next?.initial &&
      third &&
      t.cap === CAP_TITLE &&
      third.cap === CAP_TITLE &&
      t.first >= 1000
    ) {
      if (
        joinsName(t, next.gap) &&
        joinsName(next, third.gap) &&
        (third.last >= 300 || unknown(third)) &&
        !third.clinical
      )
        extendName(i, 0.8, 'name-pair');
    }

    // "SMITH, JOHN" headers.
    if (next && next.gap === ', ' && t.last >= 300 && next.first >= 1000 && !t.english && !t.clinical) {
      if ((mixed && capitalized(t) && capitalized(next)) || (!mixed && t.cap === next.cap && !next.english)) {
        mark(i, 'NAME', 0.8, 'name-last-first');
        mark(i + 1, 'NAME', 0.8, 'name-last-first');
      }
    }
  }

  detectPlaces(text, tokens, style, clinicalText, mark);
  // Propagate confidently found names and places to their other mentions in the same text.
  const known = new Map<string, PhiType>();
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    if (!label[i] || conf[i]! < 0.75 || t.english || t.stop || t.clinical) continue;
    if (t.lower.length >= 3 || via[i] === 'facility-acronym') known.set(t.lower, label[i]!);
  }
  if (known.size > 0) {
    for (let i = 0; i < n; i++) {
      if (label[i]) continue;
      const type = known.get(tokens[i]!.lower);
      if (type) mark(i, type, 0.7, 'propagated');
    }
  }
  // Lists of names: "Suzette and Hank", "Smokey, Morris and Roger".
  for (let i = 0; i + 2 < n; i++) {
    if (label[i] !== 'NAME' || conf[i]! < (clinicalText ? 0.6 : 0.45)) continue;
    const joiner = tokens[i + 1]!;
    const cand = tokens[i + 2]!;
    const viaAnd =
      (joiner.lower === 'and' || joiner.lower === 'or') &&
      /^[ \t]+$/.test(joiner.gap) &&
      /^[ \t]+$/.test(cand.gap);
    const viaComma =
      !viaAnd && /^,[ \t]*$/.test(joiner.gap) && joiner.first >= 1000 && !joiner.english && !label[i + 1];
    if (viaComma && (!mixed || capitalized(joiner)) && !joiner.clinical && !joiner.stop)
      mark(i + 1, 'NAME', 0.75, 'name-list');
    if (
      viaAnd &&
      !label[i + 2] &&
      (cand.first >= 1000 ||
        (!clinicalText && cand.cap === CAP_TITLE && (cand.last >= 1000 || unknown(cand)))) &&
      !cand.clinical &&
      !cand.stop &&
      !(cand.english && cand.first < 20000)
    ) {
      if (!mixed || capitalized(cand)) mark(i + 2, 'NAME', 0.75, 'name-list');
    }
  }
  // An initial between two name words belongs to the name ("Miki C Kristiansen").
  for (let i = 1; i + 1 < n; i++) {
    if (tokens[i]!.initial && label[i - 1] === 'NAME' && label[i + 1] === 'NAME' && !label[i]) {
      if (joinsName(tokens[i - 1]!, tokens[i]!.gap) && joinsName(tokens[i]!, tokens[i + 1]!.gap))
        mark(i, 'NAME', Math.min(conf[i - 1]!, conf[i + 1]!), 'name-initial');
    }
  }
  // Particles inside names and place names: "Villafranca del Cid", "Maika van de Noort", "Chiclana de la Frontera".
  for (let i = 0; i + 2 < n; i++) {
    const type = label[i];
    if ((type !== 'NAME' && type !== 'LOCATION') || !PARTICLES.has(tokens[i + 1]!.lower)) continue;
    let j = i + 1;
    while (j < n && j <= i + 2 && PARTICLES.has(tokens[j]!.lower) && /^[ \t]{1,2}$/.test(tokens[j]!.gap)) j++;
    const last = tokens[j];
    if (!last || !/^[ \t]{1,2}$/.test(last.gap) || last.stop) continue;
    const proper =
      label[j] === type ||
      (last.cap !== CAP_LOWER && !last.clinical && (unknown(last) || nameLex(last) || last.place >= 0));
    if (!proper) continue;
    for (let k = i + 1; k <= j; k++) mark(k, type, Math.min(conf[i]!, 0.7), via[i] ?? 'name');
  }
  // Emit runs of same-typed adjacent tokens as one span.
  for (let i = 0; i < n; i++) {
    const type = label[i];
    if (!type || conf[i]! <= 0) continue;
    let j = i;
    let c = conf[i]!;
    while (
      j + 1 < n &&
      label[j + 1] === type &&
      conf[j + 1]! > 0 &&
      joinsName(tokens[j]!, tokens[j + 1]!.gap)
    ) {
      j++;
      c = Math.max(c, conf[j]!);
    }
    // "St. Mary's": a place keeps its possessive.
    const end =
      type === 'LOCATION' && /^['’]s\b/.test(text.slice(tokens[j]!.end, tokens[j]!.end + 3))
        ? tokens[j]!.end + 2
        : tokens[j]!.end;
    push(tokens[i]!.start, end, type, Math.round(c * 100) / 100, via[i] ?? 'name');
    i = j;
  }
  return clinicalText;
}

function detectPlaces(
  text: string,
  tokens: Token[],
  style: 'mixed' | 'upper' | 'lower',
  clinical: boolean,
  mark: (i: number, type: PhiType, c: number, detector: string) => void,
): void {
  const d = dictionaries();
  const n = tokens.length;
  const mixed = style === 'mixed';
  const capitalized = (t: Token) => t.cap !== CAP_LOWER;
  const unknown = (t: Token) => !t.english && !t.clinical && !t.stop && t.lower.length >= 2;
  const weakNameTok = (t: Token) => (t.first >= 100 || t.last >= 300) && !t.english && !t.clinical && !t.stop;
  const stateWord = (t: Token) => STATE_NAMES.has(t.lower) || (t.cap === CAP_UPPER && US_STATES.has(t.text));

  /** The words before a facility word ("Calvert Hospital", "University of MD Medical Center"). */
  const facility = (i: number) => {
    const t = tokens[i]!;
    const lw = t.lower;
    let j = i - 1;
    // "Greater Baltimore Med Ctr": skip the generic "medical"/"med" between name and facility word.
    if (['med', 'medical', 'health', 'healthcare', 'nursing'].includes(tokens[j]!.lower) && j > 0) j--;
    const firstName = j;
    // In mixed-case text the name shares the case of the facility word ("university of maryland hospital").
    const caseFree = !mixed || t.cap === CAP_LOWER;
    let taken = 0;
    let named = false;
    while (j >= 0 && taken < 3) {
      const p = tokens[j]!;
      const after = tokens[j + 1]!;
      if (!/^(?:[ \t]{1,3}|\.[ \t]{0,2}|'s[ \t]+)$/.test(after.gap)) break;
      if (GENERIC_FACILITY_ADJ.has(p.lower) || PLACE_VERB_CUES.has(p.lower) || PLACE_CUES.has(p.lower)) break;
      if (p.stop && p.lower !== 'of' && !stateWord(p)) break;
      if (p.clinical && !['st', 'va', 'u', 'md'].includes(p.lower)) break;
      if (!caseFree && !capitalized(p) && p.lower !== 'of') break;
      if (/\d/.test(p.text) || (p.text.length === 1 && p.lower !== 'u')) break;
      const proper =
        (t.cues & CUE_WEAK_FACILITY) !== 0
          ? (mixed && p.cap === CAP_TITLE) ||
            d.places.has(p.lower) ||
            FACILITY_NAME_VOCAB.has(p.lower) ||
            weakNameTok(p) ||
            (lw === 'campus' && unknown(p) && p.lower.length >= 4) ||
            stateWord(p)
          : !p.english ||
            p.first >= 10000 ||
            p.last >= 10000 ||
            d.places.has(p.lower) ||
            FACILITY_NAME_VOCAB.has(p.lower) ||
            stateWord(p);
      if (!proper && !(mixed && capitalized(p))) break;
      if (p.lower !== 'of') named ||= proper;
      taken++;
      j--;
    }
    if (!named) return;
    for (let k = j + 1; k <= firstName; k++)
      if (tokens[k]!.lower !== 'of' || k > j + 1) mark(k, 'LOCATION', 0.85, 'facility');
    if ((t.cues & CUE_FACILITY_NAME) !== 0) mark(i, 'LOCATION', 0.8, 'facility');
  };

  /** After a preposition: a known place ("from Rockville"), a facility acronym ("at GH"), or any unknown word
   *  after a movement verb ("transferred to Quartermain"). */
  const afterPreposition = (i: number) => {
    const t = tokens[i]!;
    const prev = tokens[i - 1];
    const cand = tokens[i + 1]!;
    const verbCue = prev !== undefined && PLACE_VERB_CUES.has(prev.lower) && /^\s{1,2}$/.test(t.gap);
    if (!/^\s{1,3}$/.test(cand.gap)) return;
    if (cand.lower === 'the') {
      // "FROM THE GBMC": a facility acronym after the article.
      const after = tokens[i + 2];
      if (!after || !/^\s{1,3}$/.test(after.gap)) return;
      if (
        after.cap === CAP_UPPER &&
        after.text.length <= 5 &&
        unknown(after) &&
        /(?:h|mc|hc)$/i.test(after.text)
      )
        mark(i + 2, 'LOCATION', 0.75, 'facility-acronym');
      return;
    }
    const place = placeAt(tokens, i + 1, mixed);
    // "new haven": a place name may begin with a function word.
    if (place > 1) {
      for (let k = i + 1; k < i + 1 + place; k++) mark(k, 'LOCATION', verbCue ? 0.85 : 0.7, 'place');
      return;
    }
    if (cand.stop || CLINICAL_SHORTHAND.has(cand.lower) || /\d/.test(cand.text) || cand.text.length < 2)
      return;
    if (place > 0 && (verbCue || place > 1 || (mixed && capitalized(cand)) || !cand.english)) {
      for (let k = i + 1; k < i + 1 + place; k++) mark(k, 'LOCATION', verbCue ? 0.85 : 0.7, 'place');
      return;
    }
    if (t.lower === 'of') return;
    // A floor or unit number after an unknown word: "to quartermain 2", "ON QUARTERMAIN 6".
    if (unknown(cand) && !cand.first && !cand.last && cand.lower.length >= 5) {
      const unit = /^\s{1,2}\d{1,2}(?![\d\-/]|\.\d)(?!\s*(?:am|pm|mg|mcg|cc|ml|units?|bags?|%|x|hrs?|min))/i;
      const weakCue = t.lower !== 'to' && t.lower !== 'from';
      if (
        unit.test(text.slice(cand.end, cand.end + 12)) &&
        (!weakCue || (cand.cap !== CAP_LOWER && cand.lower.length >= 6))
      ) {
        mark(i + 1, 'LOCATION', 0.75, 'place-unit');
        return;
      }
    }
    if (!verbCue) {
      // "at GH", "to GH ER": a short unknown acronym after a preposition is usually a facility.
      const acronym = cand.cap === CAP_UPPER || cand.text.length <= 3;
      if (acronym && cand.text.length <= 5 && unknown(cand) && /(?:h|mc|hc)$/i.test(cand.text)) {
        if (!cand.first && !cand.last) mark(i + 1, 'LOCATION', 0.75, 'facility-acronym');
      }
      return;
    }
    if (cand.clinical || cand.english) return;
    if (!mixed || capitalized(cand)) mark(i + 1, 'LOCATION', 0.8, 'place-verb');
  };

  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const lw = t.lower;
    const next = tokens[i + 1];
    const plain =
      t.cues === 0 && t.place < 0 && t.first < 100 && t.last < 300 && !unknown(t) && t.cap !== CAP_UPPER;
    if (plain && !(next && next.cap === CAP_UPPER && next.text.length === 2)) continue;

    if ((t.cues & CUE_FACILITY) !== 0 && i > 0) facility(i);
    if ((t.cues & CUE_PLACE) !== 0 && next) afterPreposition(i);

    // "GBMC", "UMMC": an unknown acronym ending in MC (medical center).
    if (
      t.cap === CAP_UPPER &&
      t.text.length >= 3 &&
      t.text.length <= 5 &&
      /MC$/.test(t.text) &&
      unknown(t) &&
      !t.first &&
      !t.last
    )
      mark(i, 'LOCATION', 0.7, 'facility-acronym');
    // A ward and its floor: "QUARTERMAIN 2", "Blake 7" (an unknown name and a one-digit floor, ending the phrase).
    if (t.cap !== CAP_LOWER || !mixed) {
      if (
        unknown(t) &&
        !t.first &&
        !t.last &&
        t.lower.length >= 7 &&
        /^[ \t]\d(?!\d|\.\d)(?:[ \t]*(?:[.,;:\n]|$|when|this|today|if|at|on))/i.test(
          text.slice(t.end, t.end + 10),
        )
      )
        mark(i, 'LOCATION', 0.6, 'place-ward');
    }

    // "XH ER", "GH EW": an unknown acronym before a hospital department.
    if (
      next &&
      t.cap === CAP_UPPER &&
      t.text.length <= 4 &&
      unknown(t) &&
      !t.first &&
      !t.last &&
      /h$/i.test(t.text)
    ) {
      if (/^[ \t]+$/.test(next.gap) && /^(?:er|ew|ed|icu|campus|cath|lab)$/.test(next.lower))
        mark(i, 'LOCATION', 0.7, 'facility-acronym');
    }

    // Regions: "Eastern Shore", "North Side", "West County".
    if (next && REGION_HEADS.has(lw) && REGION_TAILS.has(next.lower) && /^[ \t]{1,2}$/.test(next.gap)) {
      if (capitalized(t) && capitalized(next)) {
        mark(i, 'LOCATION', 0.7, 'place-region');
        mark(i + 1, 'LOCATION', 0.7, 'place-region');
      }
    }
    // A hospital known by one name after "to", "from", "at": "went to Harbor", "transferred from Mercy".
    if (
      (t.cues & CUE_PLACE) !== 0 &&
      next &&
      HOSPITAL_SHORT_NAMES.has(next.lower) &&
      capitalized(next) &&
      /^[ \t]{1,2}$/.test(next.gap)
    ) {
      const after = tokens[i + 2];
      if (!after || !/^[ \t]+$/.test(after.gap) || !(after.cues & CUE_FACILITY))
        mark(i + 1, 'LOCATION', 0.7, 'facility-name');
    }

    // Hospital names known without a facility word: "Holy Cross", "Sacred Heart", "Good Sam".
    if (
      next &&
      (t.cues & CUE_PHRASE_HEAD) !== 0 &&
      /^[ \t]{1,2}$/.test(next.gap) &&
      HOSPITAL_PHRASES.has(`${lw} ${next.lower}`)
    ) {
      mark(i, 'LOCATION', 0.8, 'facility-name');
      mark(i + 1, 'LOCATION', 0.8, 'facility-name');
    }

    // "U Maryland", "University of MD".
    if ((lw === 'u' || lw === 'univ' || lw === 'university') && next) {
      const of = next.lower === 'of' ? tokens[i + 2] : next;
      if (of && stateWord(of) && /^[ \t]{1,2}$/.test(of.gap)) {
        for (let k = i; k <= tokens.indexOf(of); k++) mark(k, 'LOCATION', 0.8, 'facility-university');
      }
    }

    // "St. Mary", "Saint Agnes": a saint's name is a facility here ("ST elevation" is not a name).
    if ((lw === 'st' || lw === 'saint') && next) {
      if (
        /^\.?[ \t]{1,2}$/.test(next.gap) &&
        !next.english &&
        !next.clinical &&
        next.first >= 1000 &&
        (!mixed || capitalized(next))
      ) {
        mark(i, 'LOCATION', 0.75, 'facility-saint');
        mark(i + 1, 'LOCATION', 0.75, 'facility-saint');
      }
    }

    // Well-known cities without a cue ("BAltimore reconsult"), and "towson maryland".
    const pop = t.place >= 0 ? t.place : undefined;
    if (
      pop !== undefined &&
      pop >= 100000 &&
      !t.english &&
      !t.clinical &&
      !t.stop &&
      t.first < 1000 &&
      lw.length >= 4 &&
      (!mixed || capitalized(t))
    ) {
      mark(i, 'LOCATION', 0.6, 'place-city');
    }
    if (pop !== undefined && next && /^,?[ \t]{1,2}$/.test(next.gap) && STATE_NAMES.has(next.lower)) {
      if (!t.stop && !t.clinical && (!mixed || capitalized(t))) mark(i, 'LOCATION', 0.75, 'city-state');
    }

    // Countries.
    // Countries are not Safe Harbor identifiers; outside clinical notes they are part of addresses and places.
    if (!clinical && (t.cues & CUE_COUNTRY) !== 0 && (capitalized(t) || !mixed))
      mark(i, 'LOCATION', 0.6, 'country');
    if (!clinical && next && (capitalized(t) || !mixed)) {
      if (
        (t.cues & CUE_PHRASE_HEAD) !== 0 &&
        COUNTRY_PHRASE_SET.has(`${lw} ${next.lower}`) &&
        /^\s+$/.test(next.gap)
      ) {
        mark(i, 'LOCATION', 0.6, 'country');
        mark(i + 1, 'LOCATION', 0.6, 'country');
      }
    }

    // "Middle River, MD", "Springfield, IL".
    if (
      next &&
      next.cap === CAP_UPPER &&
      next.text.length === 2 &&
      US_STATES.has(next.text) &&
      /^,\s?$/.test(next.gap)
    ) {
      const two = i > 0 && /^[ \t]$/.test(t.gap) ? `${tokens[i - 1]!.lower} ${lw}` : '';
      if (two && d.places.has(two)) {
        mark(i - 1, 'LOCATION', 0.8, 'city-state');
        mark(i, 'LOCATION', 0.8, 'city-state');
      } else if (t.place >= 0 && (capitalized(t) || !mixed) && !t.stop) {
        mark(i, 'LOCATION', 0.8, 'city-state');
      }
    }
  }
}

const COUNTRY_PHRASE_SET = new Set(COUNTRY_PHRASES);
/** First words of the phrases above, so that most words are ruled out with one lookup. */
const PHRASE_HEADS = new Set<string>();

const REGION_HEADS = new Set([
  'eastern',
  'western',
  'northern',
  'southern',
  'north',
  'south',
  'east',
  'west',
]);
const REGION_TAILS = new Set(['shore', 'side', 'county', 'valley', 'end']);
/** One-word hospital names written on their own ("went to Harbor"). */
const HOSPITAL_SHORT_NAMES = new Set([
  'harbor',
  'mercy',
  'sinai',
  'hopkins',
  'presbyterian',
  'samaritan',
  'adventist',
  'methodist',
  'baptist',
]);

/** Hospital names common enough to be written without "Hospital". */
const HOSPITAL_PHRASES = new Set([
  'holy cross',
  'sacred heart',
  'good samaritan',
  'good sam',
  'mount sinai',
  'mt sinai',
  'beth israel',
  'johns hopkins',
  'mass general',
  'mayo clinic',
  'cleveland clinic',
  'st jude',
]);
for (const phrase of [...HOSPITAL_PHRASES, ...COUNTRY_PHRASES]) PHRASE_HEADS.add(phrase.split(' ')[0]!);

/** Words that start a rule without being in a cue list ("named", "hi", "st", "u", "eastern"). */
const SPECIAL_WORDS = new Set(
  'named is me him her name patient st saint u univ university hi hello dear hey thanks congratulations welcome bye eastern western northern southern north south east west law'.split(
    ' ',
  ),
);

/** Lower-case words inside names and place names. */
const PARTICLES = new Set(
  'de del della da do dos das di du des van von der den ten ter la le les el al y e nad pod am an im sur bin ibn'.split(
    ' ',
  ),
);
/** Words that open a letter or a message to someone. */
const GREETINGS = new Set(['hi', 'hello', 'dear', 'hey', 'thanks', 'congratulations', 'welcome', 'bye']);

/** Verbs that follow a visitor's or caller's first name. */
const SOCIAL_VERBS = new Set(
  'visited visits visiting called calls phoned states stated spoke speaks came arrived left updated agrees agreed asked wants wanted brought'.split(
    ' ',
  ),
);

let placeHeadSet: Set<string> | undefined;

/** First words of multi-word place names ("new" of "new haven"). */
function placeHeads(): Set<string> {
  if (!placeHeadSet) {
    placeHeadSet = new Set();
    for (const name of dictionaries().places.keys()) {
      const space = name.indexOf(' ');
      if (space > 0) placeHeadSet.add(name.slice(0, space));
    }
  }
  return placeHeadSet;
}

/** Ordinary words that are often part of a facility's proper name. */
const FACILITY_NAME_VOCAB = new Set(
  'holy cross sacred heart good samaritan mercy saint st general memorial university union square harbor shore children women county community baptist methodist presbyterian lutheran adventist mount mt valley river lake north south east west northern southern eastern western central greater of'.split(
    ' ',
  ),
);

const US_STATES = new Set(
  'AL AK AZ AR CA CO CT DE DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY PR'.split(
    ' ',
  ),
);

/** Length in words of a known place starting at token i (longest of 3, 2, 1 words), or 0. */
function placeAt(tokens: Token[], i: number, mixed: boolean, anyWord = false): number {
  const d = dictionaries();
  // Most words start no place name at all.
  if (tokens[i]!.place < 0 && !placeHeads().has(tokens[i]!.lower)) return 0;
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
    if (mixed && first.cap === CAP_LOWER && len === 1) continue;
    if (len === 1 && !anyWord && (first.english || first.clinical || first.stop) && pop < 50000) continue;
    return len;
  }
  return 0;
}

const STATE_NAMES = new Set(
  'alabama alaska arizona arkansas california colorado connecticut delaware florida georgia hawaii idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia washington wisconsin wyoming'.split(
    ' ',
  ),
);
