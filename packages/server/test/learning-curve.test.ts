import { describe, expect, it } from 'vitest';
import { analyzeInteraction, isQualityInteraction, nudge } from '../src/modules/learning/analysis.ts';
import { MAX_CURVE_POINTS, thinCurve } from '../src/modules/learning/service.ts';
import type { TrainingStep } from '../src/modules/learning/tables.ts';

describe('loss curves', () => {
  it('thins long curves to half, keeping evaluation points and the last step', () => {
    const steps: TrainingStep[] = Array.from({ length: MAX_CURVE_POINTS + 1 }, (_, i) => ({
      step: i + 1,
      loss: 2 / (i + 1),
      ...(i % 250 === 249 ? { evalLoss: 2.1 / (i + 1) } : {}),
    }));
    thinCurve(steps);
    expect(steps.length).toBeLessThanOrEqual(MAX_CURVE_POINTS / 2 + 10);
    expect(steps.filter((s) => s.evalLoss !== undefined)).toHaveLength(8);
    expect(steps.at(-1)!.step).toBe(MAX_CURVE_POINTS + 1);
    expect(steps.every((s, i) => i === 0 || s.step > steps[i - 1]!.step)).toBe(true);
  });
});

describe('interaction analysis', () => {
  it('reads format, detail, urgency and focus cues', () => {
    const p = analyzeInteraction({
      type: 'insurance_verification',
      input: 'Urgent: please give me a quick summary in bullet points',
      output: 'Coverage active; copay 25 dollars; no prior authorization needed for the visit.',
      feedback: 'too much detail',
      workflowContext: { type: 'insurance', payer: 'aetna' },
    });
    expect(p).toMatchObject({
      prefersBulletPoints: true,
      explicitFormat: true,
      requestsLessDetail: true,
      prefersQuickSummaries: true,
      respondsQuicklyToUrgent: true,
      formality: 'formal',
    });
    expect(p.focusAreas).toContain('insurance_administration');
    expect(p.adminPriorities).toEqual(['urgency_focused', 'efficiency_focused']);
  });

  it('keeps clinical advice and unsatisfied interactions out of training', () => {
    const base = {
      type: 'documentation',
      input: 'Summarize the visit for the billing office.',
      output: 'Visit summary: preventive visit billed to the primary insurance.',
      satisfaction: 4,
    };
    expect(isQualityInteraction(base)).toBe(true);
    expect(isQualityInteraction({ ...base, satisfaction: 2 })).toBe(false);
    expect(isQualityInteraction({ ...base, input: 'What dose should I prescribe for hypertension?' })).toBe(
      false,
    );
    expect(isQualityInteraction({ ...base, type: 'diagnosis' })).toBe(false);
  });

  it('moves a signal toward its target by the weight, within [-1, 1]', () => {
    expect(nudge(0, 1, 0.25)).toBe(0.25);
    expect(nudge(0.25, 1, 0.5)).toBe(0.625);
    expect(nudge(-1, -1, 0.5)).toBe(-1);
  });
});
