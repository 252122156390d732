/**
 * The deterministic renderer: lays out structured administrative content in a doctor's learned format (bullets
 * or prose, concise or detailed, SOAP or the doctor's own sections, terminology level, formality). It is what
 * personalized generation falls back to when no model is configured, and the same input always gives the same
 * text. It only arranges and rephrases the content it is given: it adds no clinical statements.
 */
import type { DoctorPreferences } from './preferences.ts';
import { ABBREVIATIONS, NEUTRAL_STYLE, type StyleProfile } from './style.ts';

export type RenderContext = Record<string, unknown>;

export interface RenderSettings {
  bullets: boolean;
  /** Items kept per section (Infinity: all). */
  itemsPerSection: number;
  concise: boolean;
  sections: string[];
  abbreviatedHeadings: boolean;
  /** 0 lay … 1 technical. */
  terminology: number;
  formality: number;
  empathy: boolean;
  education: boolean;
  longSentences: boolean;
}

/** Which context keys each section takes (first matching section in the order wins). */
const SECTION_KEYS: Record<string, string[]> = {
  subjective: ['reason', 'chiefComplaint', 'history', 'subjective', 'request', 'concerns'],
  objective: ['findings', 'objective', 'vitals', 'results', 'documentation', 'coverage'],
  assessment: ['assessment', 'diagnoses', 'status', 'determination', 'summary'],
  plan: ['plan', 'actions', 'orders', 'billing', 'codes', 'authorization', 'nextSteps', 'followUp'],
  summary: ['summary', 'reason', 'request', 'findings', 'assessment', 'status', 'coverage', 'history'],
  'follow-up': ['followUp', 'nextSteps', 'appointments'],
  billing: ['billing', 'codes', 'coverage', 'authorization'],
};
const SOAP = ['subjective', 'objective', 'assessment', 'plan'];
const SPECIFIC = new Set(['follow-up', 'billing']);
const HEADING: Record<string, [string, string]> = {
  subjective: ['S:', 'Subjective:'],
  objective: ['O:', 'Objective:'],
  assessment: ['A:', 'Assessment:'],
  plan: ['P:', 'Plan:'],
  summary: ['Summary:', 'Summary:'],
  'follow-up': ['F/U:', 'Follow-up:'],
  billing: ['Billing:', 'Billing:'],
  notes: ['Notes:', 'Notes:'],
};

const TASK_LABELS: Record<string, string> = {
  visit_summary: 'visit summary',
  prior_auth_letter: 'prior authorization request',
  referral_letter: 'referral',
  patient_message: 'message',
  claim_note: 'claim note',
  appeal_letter: 'appeal',
};

const TERMINOLOGY_LEVEL = { lay: 0.2, standard: 0.5, technical: 0.85 } as const;

/** The settings the renderer uses for this doctor: explicit preferences first, then the learned profile. */
export function renderSettings(
  preferences: DoctorPreferences,
  profile: StyleProfile | null,
  explicit: ReadonlySet<string> = new Set(),
): RenderSettings {
  const f = profile?.features;
  const known = (key: keyof typeof NEUTRAL_STYLE, min = 0.25) =>
    f && f[key].confidence >= min ? f[key].value : undefined;
  const bulletRatio = known('bulletRatio');
  const bullets =
    preferences.responseFormat === 'bullet_points'
      ? true
      : preferences.responseFormat === 'paragraphs'
        ? false
        : bulletRatio !== undefined && bulletRatio >= 0.4;
  const length = known('length', 0.2);
  let detail = preferences.detailLevel;
  if (!explicit.has('/detailLevel') && length !== undefined) detail = length < 45 ? 3 : length < 110 ? 5 : 8;
  const concise =
    (explicit.has('/summaryStyle') || !profile ? preferences.summaryStyle === 'concise' : detail <= 3) ||
    detail <= 2;
  const itemsPerSection = detail <= 3 ? 1 : detail <= 6 ? 2 : Number.POSITIVE_INFINITY;
  const soapUse = known('soapUse');
  let sections: string[];
  if (explicit.has('/reportFormat') && preferences.reportFormat === 'soap') sections = SOAP;
  else if (profile && profile.sectionOrder.length > 0 && profile.confidence >= 0.2)
    sections = profile.sectionOrder;
  else if (soapUse !== undefined && soapUse >= 0.5) sections = SOAP;
  else if (soapUse !== undefined || preferences.reportFormat === 'narrative') sections = [];
  else sections = preferences.reportFormat === 'soap' ? SOAP : ['summary', 'plan', 'follow-up'];
  const abbreviations = known('abbreviationDensity');
  const terminology = explicit.has('/terminology')
    ? TERMINOLOGY_LEVEL[preferences.terminology]
    : abbreviations !== undefined && abbreviations >= 0.06
      ? Math.max(0.7, known('terminologyLevel') ?? 0)
      : (known('terminologyLevel') ?? TERMINOLOGY_LEVEL[preferences.terminology]);
  return {
    bullets,
    itemsPerSection,
    concise,
    sections,
    abbreviatedHeadings: profile?.abbreviatedHeadings ?? false,
    terminology,
    formality: known('formality') ?? NEUTRAL_STYLE.formality,
    empathy: (known('empathy') ?? 0) >= 0.12,
    education: (known('patientEducation') ?? 0) >= 0.12,
    longSentences: (known('sentenceLength') ?? NEUTRAL_STYLE.sentenceLength) >= 16,
  };
}

/** A context key as words: followUp → follow up, task_type → task type. */
function labelOf(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

function itemsOf(value: unknown): string[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return value.flatMap(itemsOf);
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
      itemsOf(v).map((s) => `${k}: ${s}`),
    );
  }
  const text = String(value).trim();
  return text ? [text] : [];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ABBREVIATE = ABBREVIATIONS.filter(([, long]) => long.length > 3)
  .slice()
  .sort((a, b) => b[1].length - a[1].length)
  .map(([short, long]) => [new RegExp(`\\b${escapeRegExp(long)}\\b`, 'gi'), short] as const);
const EXPAND = ABBREVIATIONS.map(
  ([short, long]) =>
    [
      new RegExp(`(?<![\\w/])${escapeRegExp(short)}(?![\\w/])`, short.endsWith('/') ? 'g' : 'gi'),
      long,
    ] as const,
);

function applyTerminology(text: string, level: number): string {
  if (level >= 0.62) {
    let out = text;
    for (const [pattern, short] of ABBREVIATE) out = out.replace(pattern, short);
    return out;
  }
  if (level <= 0.35) {
    let out = text;
    for (const [pattern, long] of EXPAND) out = out.replace(pattern, long);
    return out;
  }
  return text;
}

function shorten(item: string): string {
  const cut = item.split(/;|\s[-–—]\s|, (?:which|and then|as well as)\b/)[0] ?? item;
  return cut.trim();
}

function sentence(s: string): string {
  const t = s.trim().replace(/[.;,]+$/, '');
  if (!t) return '';
  return `${t[0]!.toUpperCase()}${t.slice(1)}.`;
}

function prose(items: string[], long: boolean): string {
  if (!long) return items.map(sentence).join(' ');
  const out: string[] = [];
  for (let i = 0; i < items.length; i += 2) {
    const a = items[i]!.replace(/[.;]+$/, '');
    const b = items[i + 1];
    out.push(
      sentence(b ? `${a}; in addition, ${b[0]!.toLowerCase()}${b.slice(1).replace(/[.;]+$/, '')}` : a),
    );
  }
  return out.join(' ');
}

/** Renders `context` for `task` with `settings`. Deterministic. */
export function renderDeterministic(task: string, context: RenderContext, settings: RenderSettings): string {
  const keys = Object.keys(context);
  const placed = new Map<string, string[]>();
  const headed = settings.sections.length > 0;
  // Without sections every context key is its own block; with sections the specific ones (follow-up,
  // billing) take their keys first, then each key goes to the first section in the doctor's order that takes it.
  const order = headed ? settings.sections : keys;
  const used = new Set<string>();
  if (headed) {
    const passes = [order.filter((s) => SPECIFIC.has(s)), order.filter((s) => !SPECIFIC.has(s))];
    for (const pass of passes) {
      for (const section of pass) {
        const accepted = SECTION_KEYS[section] ?? [];
        const items: string[] = [];
        for (const key of keys) {
          if (used.has(key) || !accepted.includes(key)) continue;
          used.add(key);
          items.push(...itemsOf(context[key]));
        }
        placed.set(section, items);
      }
    }
    const leftovers = keys
      .filter((k) => !used.has(k))
      .flatMap((k) => itemsOf(context[k]).map((item) => `${labelOf(k)}: ${item}`));
    const last = order.at(-1)!;
    placed.set(last, [...(placed.get(last) ?? []), ...leftovers]);
  } else {
    for (const key of keys) placed.set(key, itemsOf(context[key]));
  }

  const label = TASK_LABELS[task] ?? task.replace(/[_-]+/g, ' ');
  const lines: string[] = [];
  if (settings.formality >= 0.62) lines.push(`Please find the ${label} below.`);
  else if (settings.formality <= 0.38) lines.push(`Quick ${label}:`);
  for (const section of order) {
    let items = placed.get(section) ?? [];
    if (items.length === 0) continue;
    items = items.slice(0, settings.itemsPerSection);
    if (settings.concise) items = items.map(shorten);
    items = items.map((i) => applyTerminology(i, settings.terminology));
    const heading = headed ? HEADING[section] : undefined;
    const title = heading ? (settings.abbreviatedHeadings ? heading[0] : heading[1]) : null;
    if (settings.bullets) {
      if (title) lines.push(title);
      for (const item of items) lines.push(`- ${item.replace(/[.;]+$/, '')}`);
    } else {
      const text = prose(items, settings.longSentences);
      lines.push(title ? (settings.abbreviatedHeadings ? `${title} ${text}` : `${title}\n${text}`) : text);
    }
  }
  const closing: string[] = [];
  if (settings.education) {
    closing.push(
      applyTerminology(
        'We reviewed the next steps with the patient and provided written instructions and resources for scheduling and billing questions.',
        settings.terminology,
      ),
    );
  }
  if (settings.empathy) {
    closing.push('We appreciate the patience shown and understand the concerns about the process.');
  }
  if (closing.length > 0)
    lines.push(settings.bullets ? closing.map((c) => `- ${c}`).join('\n') : closing.join(' '));
  if (settings.formality >= 0.62) lines.push('Kind regards.');
  else if (settings.formality <= 0.38) lines.push('Thanks!');
  if (!headed && !settings.bullets) {
    // Prose without headings: one paragraph of the content between the opening and the closing.
    const opening = settings.formality >= 0.62 || settings.formality <= 0.38 ? lines.shift() : undefined;
    const ending = settings.formality >= 0.62 || settings.formality <= 0.38 ? lines.pop() : undefined;
    const tail = closing.length > 0 ? lines.pop() : undefined;
    return [opening, lines.join(' '), tail, ending].filter((l) => l !== undefined).join('\n\n');
  }
  return lines.join('\n');
}
