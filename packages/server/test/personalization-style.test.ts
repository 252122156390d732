import { describe, expect, it } from 'vitest';
import { DEFAULT_PREFERENCES } from '../src/modules/personalization/preferences.ts';
import { renderDeterministic, renderSettings } from '../src/modules/personalization/render.ts';
import {
  emptyStyleState,
  extractFeatures,
  profileOf,
  styleMatch,
  updateStyle,
} from '../src/modules/personalization/style.ts';
import {
  DOCTOR_STYLES,
  generationContext,
  rng,
  visitContent,
  writingSamples,
} from './fixtures/doctor-styles.ts';

const profileFrom = (texts: string[]) =>
  profileOf(texts.reduce((state, t) => updateStyle(state, extractFeatures(t)), emptyStyleState()));

describe('style features', () => {
  it('measures bullets, SOAP sections, abbreviations and formality', () => {
    const f = extractFeatures('S:\n- pt here for f/u w/ ins question\nA:\n- auth pending\nP:\n- f/u 2 wks');
    expect(f.bulletRatio).toBe(1);
    expect(f.sections).toEqual(['subjective', 'assessment', 'plan']);
    expect(f.soapUse).toBe(1);
    expect(f.abbreviatedHeadings).toBe(true);
    expect(f.abbreviationDensity).toBeGreaterThan(0.3);
    const formal = extractFeatures(
      'Please find the summary below. We would appreciate your review. Kind regards.',
    );
    const casual = extractFeatures("Quick note: it's fine, we'll just recheck. Thanks!");
    expect(formal.formality).toBeGreaterThan(0.6);
    expect(casual.formality).toBeLessThan(0.3);
  });

  it('grows confidence with consistent observations and tracks drift with a moving average', () => {
    const few = profileFrom(writingSamples('terse_soap', 3, 1));
    const many = profileFrom(writingSamples('terse_soap', 50, 1));
    expect(many.confidence).toBeGreaterThan(few.confidence);
    expect(many.features.bulletRatio.confidence).toBeGreaterThan(0.85);
    // 50 terse samples then 60 narrative ones: the profile follows the doctor's new habit.
    let state = emptyStyleState();
    for (const t of writingSamples('terse_soap', 50, 2)) state = updateStyle(state, extractFeatures(t));
    for (const t of writingSamples('formal_narrative', 60, 3)) state = updateStyle(state, extractFeatures(t));
    expect(profileOf(state).features.bulletRatio.value).toBeLessThan(0.2);
  });

  it("scores a doctor's own writing above other doctors' writing", () => {
    for (const [i, style] of DOCTOR_STYLES.entries()) {
      const profile = profileFrom(writingSamples(style, 40, 10 + i));
      const own = writingSamples(style, 1, 99)[0]!;
      for (const other of DOCTOR_STYLES.filter((s) => s !== style)) {
        expect(styleMatch(profile, own)).toBeGreaterThan(
          styleMatch(profile, writingSamples(other, 1, 99)[0]!),
        );
      }
    }
  });
});

describe('deterministic renderer', () => {
  const context = generationContext(visitContent(rng(5)));

  it('follows explicit preferences over the profile', () => {
    const profile = profileFrom(writingSamples('formal_narrative', 40, 4));
    const prose = renderDeterministic('visit_summary', context, renderSettings(DEFAULT_PREFERENCES, profile));
    expect(extractFeatures(prose).bulletRatio).toBe(0);
    const bullets = renderDeterministic(
      'visit_summary',
      context,
      renderSettings(
        { ...DEFAULT_PREFERENCES, responseFormat: 'bullet_points', detailLevel: 2 },
        profile,
        new Set(['/responseFormat', '/detailLevel']),
      ),
    );
    // Bullets for the content; only the formal opening and closing lines stay prose.
    expect(extractFeatures(bullets).bulletRatio).toBeGreaterThanOrEqual(0.75);
    expect(extractFeatures(bullets).length).toBeLessThan(extractFeatures(prose).length);
  });

  it('expands abbreviations for lay terminology and abbreviates for technical', () => {
    const ctx = {
      plan: ['follow-up with the patient about the prior authorization'],
      followUp: 'f/u in 2 wks',
    };
    const lay = renderDeterministic(
      'patient_message',
      ctx,
      renderSettings({ ...DEFAULT_PREFERENCES, terminology: 'lay' }, null, new Set(['/terminology'])),
    );
    expect(lay).toContain('Follow-up in 2 weeks');
    expect(lay).not.toContain('f/u');
    const technical = renderDeterministic(
      'patient_message',
      ctx,
      renderSettings({ ...DEFAULT_PREFERENCES, terminology: 'technical' }, null, new Set(['/terminology'])),
    );
    expect(technical).toContain('F/u w/ the pt about the prior auth');
  });
});
