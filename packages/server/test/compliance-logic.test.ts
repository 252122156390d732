/** The rules' pure predicates, table by table: what counts as an access or an export, business hours, params. */
import { describe, expect, it } from 'vitest';
import {
  isAccess,
  isAfterHours,
  isExport,
  isFailedLogin,
  loginSubject,
  type MonitoredEvent,
  patientOf,
  validateRuleParams,
} from '../src/modules/compliance/rules.ts';

const base: MonitoredEvent = {
  seq: 1,
  occurredAt: new Date('2026-03-11T15:00:00Z'),
  practiceId: '6a1f0c2e-3b7d-4c1e-9a55-1f1f1c2d9e10',
  actorType: 'user',
  actorId: '5f0c7e2a-4b7e-4c38-9a55-1f1f1c2d9e10',
  actorRole: 'physician',
  action: 'patient.read',
  resourceType: 'patient',
  resourceId: '0b7c6a36-8c1e-4c1e-9a55-3f1f1c2d9e10',
  purpose: 'treatment',
  outcome: 'success',
  ip: '10.20.0.14',
  details: {},
};
const event = (patch: Partial<MonitoredEvent>): MonitoredEvent => ({ ...base, ...patch });

describe('accesses and exports', () => {
  it.each([
    ['a patient read', {}, true, false],
    ['a coverage listing', { action: 'coverage.read' }, true, false],
    ['a reported view', { action: 'access.view', resourceType: 'ai_agent' }, true, false],
    ['a reported download', { action: 'access.download', resourceType: 'document' }, true, true],
    ['a reported export', { action: 'access.export' }, true, true],
    ['a failed read', { outcome: 'failure' }, false, false],
    ['the system', { actorType: 'system' }, false, false],
    ['a settings change', { action: 'config.change', resourceType: 'setting' }, false, false],
    [
      'a report export (no PHI)',
      { action: 'compliance.report.export', resourceType: 'compliance_report' },
      false,
      false,
    ],
    [
      'an API key reading claims',
      { actorType: 'api_key', action: 'claim.read', resourceType: 'claim' },
      true,
      false,
    ],
  ] as const)('%s', (_label, patch, access, exported) => {
    const e = event(patch as Partial<MonitoredEvent>);
    expect(isAccess(e)).toBe(access);
    expect(isExport(e)).toBe(exported);
  });

  it('finds the patient in the resource or the details', () => {
    expect(patientOf(base)).toBe(base.resourceId);
    expect(
      patientOf(event({ resourceType: 'encounter', resourceId: 'e-1', details: { patientId: 'p-9' } })),
    ).toBe('p-9');
    expect(patientOf(event({ resourceType: 'claim', resourceId: 'c-1' }))).toBeNull();
  });

  it('counts failed and refused logins against the e-mail tried', () => {
    const failed = event({
      action: 'auth.login',
      outcome: 'failure',
      details: { email: 'Front.Desk@Example.org' },
    });
    expect(isFailedLogin(failed)).toBe(true);
    expect(isFailedLogin(event({ action: 'auth.login', outcome: 'denied' }))).toBe(true);
    expect(isFailedLogin(event({ action: 'auth.login', outcome: 'success' }))).toBe(false);
    expect(loginSubject(failed)).toBe('front.desk@example.org');
    expect(loginSubject(event({ action: 'auth.login', details: {} }))).toBe(base.actorId);
  });
});

describe('business hours', () => {
  const hours = { start: '07:00', end: '19:00', weekdays: [1, 2, 3, 4, 5] };
  it.each([
    ['Wednesday 10:00 EDT', '2026-03-11T14:00:00Z', false],
    ['Wednesday 06:59 EDT', '2026-03-11T10:59:00Z', true],
    ['Wednesday 07:00 EDT', '2026-03-11T11:00:00Z', false],
    ['Wednesday 19:00 EDT', '2026-03-11T23:00:00Z', true],
    ['Saturday noon', '2026-03-14T16:00:00Z', true],
    ['Friday 18:30 EST (before the switch)', '2026-03-06T23:30:00Z', false],
    ['Monday 07:30 EST is 12:30 UTC', '2026-01-05T12:30:00Z', false],
    ['Monday 06:30 EST is 11:30 UTC', '2026-01-05T11:30:00Z', true],
  ])('%s', (_label, at, after) => {
    expect(isAfterHours(new Date(at), 'America/New_York', hours)).toBe(after);
  });

  it('uses the zone it is given', () => {
    const at = new Date('2026-03-11T14:00:00Z'); // 10:00 in New York, 07:00 in Los Angeles, 15:00 in Berlin
    expect(isAfterHours(at, 'America/Los_Angeles', { ...hours, start: '08:00' })).toBe(true);
    expect(isAfterHours(at, 'Europe/Berlin', { ...hours, end: '15:00' })).toBe(true);
  });
});

describe('rule parameters', () => {
  it.each([
    ['hourly_access_rate', { maxPerHour: 80 }, []],
    ['hourly_access_rate', { maxPerHour: 0 }, ['/params/maxPerHour']],
    ['hourly_access_rate', { maxPerHour: 12.5 }, ['/params/maxPerHour']],
    ['after_hours', { start: '06:30', end: '22:00', weekdays: [1, 2, 3, 4, 5, 6] }, []],
    ['after_hours', { start: '6:30', weekdays: [1, 1] }, ['/params/start', '/params/weekdays']],
    ['after_hours', { timeZone: 'America/Chicago' }, []],
    ['after_hours', { timeZone: 'Mars/Olympus_Mons' }, ['/params/timeZone']],
    ['no_care_relationship', { roles: ['physician', 'biller'] }, []],
    ['no_care_relationship', { roles: ['wizard'] }, ['/params/roles']],
    ['new_ip', { threshold: 2 }, ['/params/threshold']],
  ] as const)('%s %j', (rule, params, paths) => {
    expect(validateRuleParams(rule, params as Record<string, unknown>, '/params').map((e) => e.path)).toEqual(
      paths,
    );
  });
});
