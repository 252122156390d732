import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDays, isRealDate, today } from './dates.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('calendar dates', () => {
  it('today follows the clock across midnight, forwards and back', () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-11-21T23:59:59.999Z'));
    expect(today()).toBe('2026-11-21');
    vi.setSystemTime(new Date('2026-11-22T00:00:00.000Z'));
    expect(today()).toBe('2026-11-22');
    vi.setSystemTime(new Date('2026-03-01T12:00:00.000Z'));
    expect(today()).toBe('2026-03-01');
  });

  it('adds days across month ends and tells real dates from impossible ones', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(isRealDate('2028-02-29')).toBe(true);
    expect(isRealDate('2026-02-29')).toBe(false);
    expect(isRealDate('2026-13-01')).toBe(false);
  });
});
