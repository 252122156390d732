/**
 * Style analysis: numeric writing-style features of one text, and a doctor's style profile that learns them
 * from writing samples and accepted interactions with weighted moving averages. Pure functions, no I/O.
 */

export const STYLE_FEATURES = [
  'formality',
  'sentenceLength',
  'bulletRatio',
  'abbreviationDensity',
  'soapUse',
  'patientEducation',
  'empathy',
  'terminologyLevel',
  'length',
] as const;
export type StyleFeature = (typeof STYLE_FEATURES)[number];

export type FeatureVector = Record<StyleFeature, number>;

export interface TextFeatures extends FeatureVector {
  /** Section headings in the order they appear (canonical names: subjective, objective, assessment, plan…). */
  sections: string[];
  /** Abbreviated headings ("S:", "A/P:") rather than words. */
  abbreviatedHeadings: boolean;
}

export interface FeatureEstimate {
  value: number;
  /** 0..1: grows with the number of observations and shrinks with their spread. */
  confidence: number;
}

/** The stored profile: per-feature running mean and variance, the observation weight, section-order votes. */
export interface StyleState {
  n: number;
  mean: Partial<Record<StyleFeature, number>>;
  variance: Partial<Record<StyleFeature, number>>;
  sectionOrders: Record<string, number>;
  abbreviatedHeadings: number;
}

export interface StyleProfile {
  features: Record<StyleFeature, FeatureEstimate>;
  sectionOrder: string[];
  abbreviatedHeadings: boolean;
  observations: number;
  /** Mean confidence over the features. */
  confidence: number;
}

/** Typical spread of each feature, to turn a variance into a confidence. */
const RANGE: Record<StyleFeature, number> = {
  formality: 1,
  sentenceLength: 25,
  bulletRatio: 1,
  abbreviationDensity: 0.25,
  soapUse: 1,
  patientEducation: 1,
  empathy: 1,
  terminologyLevel: 1,
  length: 300,
};

/** Defaults of an empty profile: what the unpersonalized renderer writes like. */
export const NEUTRAL_STYLE: FeatureVector = {
  formality: 0.5,
  sentenceLength: 15,
  bulletRatio: 0,
  abbreviationDensity: 0,
  soapUse: 0,
  patientEducation: 0,
  empathy: 0,
  terminologyLevel: 0.5,
  length: 80,
};

/** Clinical-administrative shorthand and what it stands for (used both ways by the renderer). */
export const ABBREVIATIONS: ReadonlyArray<readonly [string, string]> = [
  ['f/u', 'follow-up'],
  ['pt', 'patient'],
  ['pts', 'patients'],
  ['w/', 'with'],
  ['w/o', 'without'],
  ['hx', 'history'],
  ['dx', 'diagnosis'],
  ['tx', 'treatment'],
  ['rx', 'prescription'],
  ['appt', 'appointment'],
  ['appts', 'appointments'],
  ['auth', 'authorization'],
  ['ins', 'insurance'],
  ['pcp', 'primary care provider'],
  ['ref', 'referral'],
  ['approx', 'approximately'],
  ['yo', 'year-old'],
  ['prn', 'as needed'],
  ['d/c', 'discontinue'],
  ['eval', 'evaluation'],
  ['med', 'medication'],
  ['meds', 'medications'],
  ['labs', 'laboratory results'],
  ['wk', 'week'],
  ['wks', 'weeks'],
  ['mo', 'month'],
  ['mos', 'months'],
  ['req', 'request'],
  ['re:', 'regarding'],
  ['info', 'information'],
  ['docs', 'documents'],
  ['dept', 'department'],
];
const ABBREVIATION_SET = new Set(ABBREVIATIONS.map(([a]) => a.replace(/[/:]$/, '')));
const ACRONYM = /^[A-Z]{2,5}s?$/;

const FORMAL = [
  /\bplease\b/gi,
  /\bkindly\b/gi,
  /\bwould\b/gi,
  /\bsincerely\b/gi,
  /\bregards\b/gi,
  /\bthe patient\b/gi,
  /\bfurthermore\b/gi,
  /\bin addition\b/gi,
  /\btherefore\b/gi,
  /\baccordingly\b/gi,
  /\bthank you\b/gi,
  /\bwe have\b/gi,
];
const CASUAL = [
  /\b\w+'(?:s|re|ll|ve|d|t|m)\b/gi,
  /\bthanks\b/gi,
  /\bjust\b/gi,
  /\bquick\b/gi,
  /\bok(?:ay)?\b/gi,
  /\bfyi\b/gi,
  /\bgonna\b/gi,
  /!/g,
  /\bhey\b/gi,
  /\bstuff\b/gi,
];
const EDUCATION = [
  /\beducat\w*/gi,
  /\bexplained\b/gi,
  /\bwe discussed\b/gi,
  /\breviewed (?:with|the)\b/gi,
  /\bhandout\w*/gi,
  /\bwritten instructions\b/gi,
  /\bresources?\b/gi,
  /\bunderstands?\b/gi,
  /\bteach-back\b/gi,
  /\bquestions were answered\b/gi,
];
const EMPATHY = [
  /\bconcerns?\b/gi,
  /\breassur\w*/gi,
  /\bcomfort\w*/gi,
  /\bappreciat\w*/gi,
  /\bsorry\b/gi,
  /\bpatience\b/gi,
  /\bstressful\b/gi,
  /\bunderstandabl\w*/gi,
  /\bthank you for\b/gi,
  /\bwe understand\b/gi,
];

const HEADINGS: ReadonlyArray<readonly [RegExp, string, boolean]> = [
  [/^(?:#+\s*)?(?:s|subj)\s*[:.-]/i, 'subjective', true],
  [/^(?:#+\s*)?o\s*[:.-]/i, 'objective', true],
  [/^(?:#+\s*)?(?:a\/p|a&p)\s*[:.-]/i, 'assessment', true],
  [/^(?:#+\s*)?a\s*[:.-]/i, 'assessment', true],
  [/^(?:#+\s*)?p\s*[:.-]/i, 'plan', true],
  [/^(?:#+\s*)?subjective\b/i, 'subjective', false],
  [/^(?:#+\s*)?objective\b/i, 'objective', false],
  [/^(?:#+\s*)?assessment(?: and plan)?\b/i, 'assessment', false],
  [/^(?:#+\s*)?plan\b/i, 'plan', false],
  [/^(?:#+\s*)?(?:summary|overview|reason for visit)\b\s*:?/i, 'summary', false],
  [/^(?:#+\s*)?(?:follow[- ]?up|next steps)\b\s*:?/i, 'follow-up', false],
  [/^(?:#+\s*)?f\/u\s*[:.-]/i, 'follow-up', true],
  [/^(?:#+\s*)?(?:billing|coding|insurance)\b\s*:?/i, 'billing', false],
];

const BULLET = /^\s*(?:[-*•]|\d+[.)])\s+/;
const clamp = (x: number, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, x));
const count = (text: string, patterns: RegExp[]) =>
  patterns.reduce((n, p) => n + (text.match(p)?.length ?? 0), 0);

export function headingOf(line: string): { section: string; abbreviated: boolean } | null {
  const trimmed = line.trim();
  if (trimmed.length > 60 && !/^\S{1,4}\s*:/.test(trimmed)) return null;
  for (const [pattern, section, abbreviated] of HEADINGS) {
    if (pattern.test(trimmed)) {
      // A word heading must end the line or be followed by a colon ("Plan: …", "PLAN").
      if (!abbreviated && !/^(?:#+\s*)?[A-Za-z /&-]+(?::|$)/.test(trimmed)) return null;
      return { section, abbreviated };
    }
  }
  return null;
}

/** The style features of one text. */
export function extractFeatures(text: string): TextFeatures {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  const words = text.match(/[A-Za-z][A-Za-z'/-]*:?/g) ?? [];
  const wordCount = Math.max(1, words.length);
  const bulletLines = lines.filter((l) => BULLET.test(l)).length;
  const sections: string[] = [];
  let abbreviatedHeadings = 0;
  let headingLines = 0;
  const body: string[] = [];
  for (const line of lines) {
    const heading = headingOf(line);
    if (heading) {
      headingLines++;
      if (heading.abbreviated) abbreviatedHeadings++;
      if (!sections.includes(heading.section)) sections.push(heading.section);
      const rest = line.replace(/^[^:]*:\s*/, '');
      if (rest !== line && rest.trim()) body.push(rest);
    } else {
      body.push(line.replace(BULLET, ''));
    }
  }
  const prose = body.join('\n');
  const sentences = prose
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => /[A-Za-z]/.test(s));
  const sentenceWords = sentences.map((s) => (s.match(/[A-Za-z][A-Za-z'/-]*/g) ?? []).length);
  const sentenceLength =
    sentenceWords.length > 0 ? sentenceWords.reduce((a, b) => a + b, 0) / sentenceWords.length : 0;
  let abbreviations = 0;
  let letters = 0;
  for (const raw of words) {
    const w = raw.replace(/:$/, '');
    letters += w.length;
    if (ABBREVIATION_SET.has(w.toLowerCase()) || ACRONYM.test(w)) abbreviations++;
  }
  const abbreviationDensity = abbreviations / wordCount;
  const formal = count(text, FORMAL);
  const casual = count(text, CASUAL);
  const formality = (formal + 1) / (formal + casual + 2);
  const sentenceCount = Math.max(1, sentences.length);
  const soapSections = sections.filter((s) =>
    ['subjective', 'objective', 'assessment', 'plan'].includes(s),
  ).length;
  const avgWord = letters / wordCount;
  return {
    formality,
    sentenceLength,
    bulletRatio: lines.length > 0 ? bulletLines / Math.max(1, lines.length - headingLines) : 0,
    abbreviationDensity,
    soapUse: soapSections >= 3 ? 1 : soapSections === 2 ? 0.5 : 0,
    patientEducation: clamp(count(prose, EDUCATION) / sentenceCount),
    empathy: clamp(count(prose, EMPATHY) / sentenceCount),
    terminologyLevel: clamp(0.5 * clamp((avgWord - 3.8) / 3) + 0.5 * clamp(abbreviationDensity * 6)),
    length: words.length,
    sections,
    abbreviatedHeadings: headingLines > 0 && abbreviatedHeadings / headingLines >= 0.5,
  };
}

export function emptyStyleState(): StyleState {
  return { n: 0, mean: {}, variance: {}, sectionOrders: {}, abbreviatedHeadings: 0 };
}

/**
 * Folds one observation into the state. The step is 1/(n+1) while few observations exist (a plain average)
 * and never below `floor` afterwards (an exponentially weighted moving average that tracks drift);
 * `weight` < 1 for weaker evidence (an accepted AI output counts less than the doctor's own writing).
 */
export function updateStyle(state: StyleState, f: TextFeatures, weight = 1, floor = 0.05): StyleState {
  const n = state.n + weight;
  const alpha = Math.max(weight / n, floor * weight);
  const mean = { ...state.mean };
  const variance = { ...state.variance };
  for (const key of STYLE_FEATURES) {
    const x = f[key];
    const m = mean[key];
    if (m === undefined) {
      mean[key] = x;
      variance[key] = 0;
    } else {
      const delta = x - m;
      mean[key] = m + alpha * delta;
      variance[key] = (1 - alpha) * ((variance[key] ?? 0) + alpha * delta * delta);
    }
  }
  const sectionOrders = { ...state.sectionOrders };
  if (f.sections.length > 0) {
    const key = f.sections.join('>');
    sectionOrders[key] = (sectionOrders[key] ?? 0) + weight;
  }
  const abbreviatedHeadings =
    f.sections.length > 0
      ? state.abbreviatedHeadings + alpha * ((f.abbreviatedHeadings ? 1 : 0) - state.abbreviatedHeadings)
      : state.abbreviatedHeadings;
  return { n, mean, variance, sectionOrders, abbreviatedHeadings };
}

/** The profile a client sees: each feature's value and confidence, the usual section order. */
export function profileOf(state: StyleState): StyleProfile {
  const features = {} as Record<StyleFeature, FeatureEstimate>;
  let total = 0;
  for (const key of STYLE_FEATURES) {
    const value = state.mean[key] ?? NEUTRAL_STYLE[key];
    const sd = Math.sqrt(state.variance[key] ?? 0);
    const amount = state.n / (state.n + 5);
    const consistency = 1 - clamp(sd / RANGE[key]);
    const confidence = Math.round(amount * consistency * 1000) / 1000;
    features[key] = { value: Math.round(value * 1000) / 1000, confidence };
    total += confidence;
  }
  const orders = Object.entries(state.sectionOrders).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const top = orders[0];
  return {
    features,
    sectionOrder: top ? top[0].split('>') : [],
    abbreviatedHeadings: state.abbreviatedHeadings >= 0.5,
    observations: Math.round(state.n * 100) / 100,
    confidence: Math.round((total / STYLE_FEATURES.length) * 1000) / 1000,
  };
}

/**
 * How close a text's style is to a profile, 0..1: one minus the confidence-weighted mean of the normalized
 * feature distances (plus the section order when the profile has one).
 */
export function styleMatch(profile: StyleProfile, text: string): number {
  const f = extractFeatures(text);
  let weighted = 0;
  let weights = 0;
  for (const key of STYLE_FEATURES) {
    const est = profile.features[key];
    const w = Math.max(0.05, est.confidence);
    const distance = clamp(Math.abs(f[key] - est.value) / RANGE[key]);
    weighted += w * distance;
    weights += w;
  }
  if (profile.sectionOrder.length > 0) {
    const same = profile.sectionOrder.join('>') === f.sections.join('>');
    weighted += 0.5 * (same ? 0 : 1);
    weights += 0.5;
  }
  return Math.round((1 - weighted / weights) * 1000) / 1000;
}
