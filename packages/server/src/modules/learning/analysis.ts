/**
 * Pattern analysis of one doctor–assistant interaction (the design notes' analyzer, extended): format, detail,
 * workflow and documentation-style preferences, administrative focus areas, urgency and efficiency cues. Pure.
 */

export interface InteractionInput {
  type: string;
  input: string;
  output: string;
  feedback?: string | null;
  satisfaction?: number | null;
  workflowContext?: Record<string, unknown>;
}

export interface InteractionPatterns {
  prefersBulletPoints?: boolean;
  prefersParagraphs?: boolean;
  requestsMoreDetail?: boolean;
  requestsLessDetail?: boolean;
  prefersQuickSummaries?: boolean;
  prefersDetailedExplanations?: boolean;
  respondsQuicklyToUrgent?: boolean;
  /** An explicit instruction ("use bullet points") rather than a complaint ("too long"). */
  explicitFormat?: boolean;
  focusAreas: string[];
  workflows: string[];
  documentationStyle: 'bullet_points' | 'paragraphs' | 'mixed';
  formality: 'formal' | 'casual' | 'mixed';
  technicalDepth: 'high' | 'medium' | 'low';
  educationFocus: boolean;
  empathyEmphasis: boolean;
  adminPriorities: string[];
  efficiency: { prefersShortcuts: boolean; valuesAutomation: boolean; timeConscious: boolean };
}

const has = (text: string, ...needles: string[]) => needles.some((n) => text.includes(n));

/** Interaction types the assistant learns from: administrative work only. */
export const ADMINISTRATIVE_TYPES = [
  'documentation',
  'visit_summary',
  'note_drafting',
  'prior_authorization',
  'insurance_verification',
  'billing',
  'coding',
  'claims',
  'appeal',
  'scheduling',
  'referral',
  'patient_message',
  'correspondence',
  'compliance',
  'general_admin',
] as const;

const CLINICAL_ADVICE =
  /\b(?:what (?:dose|dosage|drug|medication) should|dosage for|how much \w+ should (?:i|we) (?:give|prescribe)|diagnose (?:this|the patient)|differential diagnosis|treatment options for|should (?:i|we) prescribe)\b/i;

/** True when the interaction is administrative (no clinical decision-making is learned). */
export function isAdministrative(i: Pick<InteractionInput, 'type' | 'input'>): boolean {
  return (ADMINISTRATIVE_TYPES as readonly string[]).includes(i.type) && !CLINICAL_ADVICE.test(i.input);
}

/** The design notes' quality bar: satisfied, substantive input and output, administrative. */
export function isQualityInteraction(i: InteractionInput): boolean {
  return (
    (i.satisfaction ?? 0) >= 3 &&
    i.input.trim().length > 10 &&
    i.output.trim().length > 20 &&
    isAdministrative(i)
  );
}

export function analyzeInteraction(i: InteractionInput): InteractionPatterns {
  const input = i.input.toLowerCase();
  const feedback = (i.feedback ?? '').toLowerCase();
  const context = JSON.stringify(i.workflowContext ?? {}).toLowerCase();
  const p: InteractionPatterns = {
    focusAreas: [],
    workflows: [],
    documentationStyle: 'mixed',
    formality: 'mixed',
    technicalDepth: 'medium',
    educationFocus: false,
    empathyEmphasis: false,
    adminPriorities: [],
    efficiency: { prefersShortcuts: false, valuesAutomation: false, timeConscious: false },
  };

  // Format.
  if (has(input, 'bullet points', 'bullets', 'list format') || has(feedback, 'bullet', 'list format')) {
    p.prefersBulletPoints = true;
    p.explicitFormat = true;
  } else if (
    has(input, 'paragraph', 'narrative') ||
    has(feedback, 'paragraph', 'narrative', 'full sentences')
  ) {
    p.prefersParagraphs = true;
    p.explicitFormat = true;
  }
  if (!p.explicitFormat) {
    if (has(feedback, 'too much text', 'too long', 'wall of text', 'hard to scan'))
      p.prefersBulletPoints = true;
    else if (has(feedback, 'more detail', 'expand', 'too terse', 'too choppy')) p.prefersParagraphs = true;
  }

  // Detail.
  if (has(input, 'more detail', 'elaborate', 'comprehensive')) p.requestsMoreDetail = true;
  else if (has(input, 'brief', 'summary only', 'short version')) p.requestsLessDetail = true;
  if (has(feedback, 'too detailed', 'too much', 'too long', 'shorter', 'cut it down', 'wordy')) {
    p.requestsLessDetail = true;
    p.requestsMoreDetail = undefined;
  } else if (has(feedback, 'not enough', 'more information', 'more detail', 'too short', 'missing')) {
    p.requestsMoreDetail = true;
    p.requestsLessDetail = undefined;
  }

  // Workflow preferences and urgency.
  if (has(input, 'quick', 'fast') || has(feedback, 'quick', 'faster')) p.prefersQuickSummaries = true;
  else if (has(input, 'detailed', 'comprehensive', 'thorough')) p.prefersDetailedExplanations = true;
  if (has(input, 'urgent', 'priority', 'asap', 'stat')) p.respondsQuicklyToUrgent = true;

  // Administrative focus areas and workflows.
  const focus: Array<[string, string, string]> = [
    ['insurance', 'insurance_administration', 'insurance_verification_focused'],
    ['billing', 'billing_management', 'billing_optimization_focused'],
    ['scheduling', 'scheduling_optimization', 'scheduling_efficiency_focused'],
    ['compliance', 'compliance_monitoring', 'compliance_focused'],
    ['prior_auth', 'prior_authorization', 'prior_authorization_focused'],
  ];
  for (const [needle, area, workflow] of focus) {
    if (context.includes(needle) || i.type.includes(needle)) {
      p.focusAreas.push(area);
      p.workflows.push(workflow);
    }
  }

  // Documentation style of the output the doctor accepted.
  const bulletLines = i.output.split('\n').filter((l) => /^\s*(?:[-*•]|\d+[.)])\s/.test(l)).length;
  if (p.prefersBulletPoints || bulletLines >= 2) p.documentationStyle = 'bullet_points';
  else if (p.prefersParagraphs) p.documentationStyle = 'paragraphs';

  // Communication style.
  const formal = ['please', 'would you', 'could you', 'thank you'].filter((w) => input.includes(w)).length;
  const casual = ['hey', 'thanks', 'quick question', 'just'].filter((w) => input.includes(w)).length;
  p.formality = formal > casual ? 'formal' : casual > formal ? 'casual' : 'mixed';
  p.technicalDepth = has(input, 'detailed explanation', 'technical details')
    ? 'high'
    : has(input, 'simple', 'brief', 'plain language')
      ? 'low'
      : 'medium';
  p.educationFocus = has(
    input,
    'patient education',
    'explain to patient',
    'help patient understand',
    'patient resources',
  );
  p.empathyEmphasis = has(
    input,
    'patient comfort',
    'patient understanding',
    'reassurance',
    'empathy',
    'compassionate',
  );

  // Priorities and efficiency.
  if (has(input, 'urgent', 'asap')) p.adminPriorities.push('urgency_focused');
  if (has(input, 'efficient', 'quick')) p.adminPriorities.push('efficiency_focused');
  if (has(input, 'accurate', 'precise')) p.adminPriorities.push('accuracy_focused');
  p.efficiency = {
    prefersShortcuts: input.includes('shortcut'),
    valuesAutomation: input.includes('automate'),
    timeConscious: has(input, 'quick', 'fast', 'time', 'efficient'),
  };
  return p;
}

/** Weights of each kind of evidence in the preference updates (the design notes' PreferenceUpdater). */
export const UPDATE_WEIGHTS = {
  explicitFormat: 0.5,
  impliedFormat: 0.25,
  detail: 1,
  focus: 0.2,
  efficiency: 0.15,
} as const;

/** Moves a signal in [-1, 1] toward `target` by `weight`. */
export function nudge(signal: number, target: -1 | 1, weight: number): number {
  return Math.max(-1, Math.min(1, signal + weight * (target - signal)));
}

/** A signal at or past this magnitude changes the preference it stands for. */
export const SIGNAL_THRESHOLD = 0.3;
