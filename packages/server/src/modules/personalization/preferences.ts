/** Doctor preferences: the document, its defaults, and merging a partial update into it. */

export const SUMMARY_STYLES = ['concise', 'detailed'] as const;
export const TERMINOLOGY = ['lay', 'standard', 'technical'] as const;
export const REPORT_FORMATS = ['soap', 'narrative', 'structured'] as const;
export const RESPONSE_FORMATS = ['auto', 'bullet_points', 'paragraphs'] as const;

export interface DoctorPreferences {
  summaryStyle: (typeof SUMMARY_STYLES)[number];
  terminology: (typeof TERMINOLOGY)[number];
  reportFormat: (typeof REPORT_FORMATS)[number];
  /** auto: follow the learned style profile. */
  responseFormat: (typeof RESPONSE_FORMATS)[number];
  /** 1 (terse) … 10 (exhaustive). */
  detailLevel: number;
  notifications: {
    email: boolean;
    sms: boolean;
    inApp: boolean;
    urgentThreshold: 'normal' | 'high';
  };
  ui: {
    theme: 'light' | 'dark' | 'system';
    fontSize: 'small' | 'medium' | 'large';
    density: 'comfortable' | 'compact';
  };
  /** Administrative focus areas learned from workflows (insurance_administration, billing_management…). */
  focusAreas: string[];
  /** Free-text instructions for the assistant (checked for PHI; never patient details). */
  customInstructions: string;
}

export const DEFAULT_PREFERENCES: DoctorPreferences = {
  summaryStyle: 'detailed',
  terminology: 'standard',
  reportFormat: 'soap',
  responseFormat: 'auto',
  detailLevel: 5,
  notifications: { email: true, sms: false, inApp: true, urgentThreshold: 'normal' },
  ui: { theme: 'light', fontSize: 'medium', density: 'comfortable' },
  focusAreas: [],
  customInstructions: '',
};

export type PreferencesPatch = Partial<
  Omit<DoctorPreferences, 'notifications' | 'ui'> & {
    notifications: Partial<DoctorPreferences['notifications']>;
    ui: Partial<DoctorPreferences['ui']>;
  }
>;

/** Applies `patch` to `current`; returns the result and the JSON pointers of the fields that changed. */
export function mergePreferences(
  current: DoctorPreferences,
  patch: PreferencesPatch,
): { preferences: DoctorPreferences; changed: string[] } {
  const next: DoctorPreferences = {
    ...current,
    notifications: { ...current.notifications },
    ui: { ...current.ui },
    focusAreas: [...current.focusAreas],
  };
  const changed: string[] = [];
  for (const [key, value] of Object.entries(patch) as Array<[keyof DoctorPreferences, unknown]>) {
    if (value === undefined) continue;
    if (key === 'notifications' || key === 'ui') {
      const target = next[key] as unknown as Record<string, unknown>;
      for (const [sub, v] of Object.entries(value as Record<string, unknown>)) {
        if (v !== undefined && target[sub] !== v) {
          target[sub] = v;
          changed.push(`/${key}/${sub}`);
        }
      }
    } else if (JSON.stringify(next[key]) !== JSON.stringify(value)) {
      (next as unknown as Record<string, unknown>)[key] = Array.isArray(value) ? [...value] : value;
      changed.push(`/${key}`);
    }
  }
  return { preferences: next, changed };
}

/** Every string in the document with its JSON pointer (for the PHI check). */
export function stringsOf(value: unknown, path = ''): Array<{ path: string; text: string }> {
  if (typeof value === 'string') return [{ path: path || '/', text: value }];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${path}/${i}`));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => stringsOf(v, `${path}/${k}`));
  }
  return [];
}

/** Fills fields missing from a stored document (older versions) with the defaults. */
export function withDefaults(stored: Partial<DoctorPreferences> | null | undefined): DoctorPreferences {
  return mergePreferences(DEFAULT_PREFERENCES, (stored ?? {}) as PreferencesPatch).preferences;
}
