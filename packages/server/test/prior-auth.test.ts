import { parse278, validate } from '@intelluxe/x12';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobContext } from '../src/modules/eligibility/jobs.ts';
import { reviewOutcome } from '../src/modules/payers/sandbox.ts';
import {
  authorizationRequirement,
  expectedDecisionDate,
  statusFromDecisions,
} from '../src/modules/prior-auth/rules.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let frontDesk: Record<string, string>;
let practiceId: string;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 4 });
  frontDesk = { authorization: await t.bearer('front_desk') };
  practiceId = t.seed!.practiceId;
});
afterAll(() => t.close());

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** An Anthem PPO member id whose sandbox review of `code` comes out as `status`. */
function memberFor(status: 'approved' | 'partial' | 'denied', code: string, units: number): string {
  for (let n = 1; n < 5000; n++) {
    const id = `XGH5${String(n).padStart(8, '0')}`;
    if (reviewOutcome('anthem', id, code, units).status === status) return id;
  }
  throw new Error(`no member for ${status}`);
}

async function patient(memberId: string): Promise<string> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: frontDesk,
    payload: {
      firstName: 'Harold',
      lastName: 'Lindqvist',
      dateOfBirth: '1961-09-03',
      sex: 'male',
      coverages: [
        {
          payerId: 'anthem',
          memberId,
          planName: 'Anthem Blue Access PPO',
          planType: 'PPO',
          effectiveDate: '2025-01-01',
        },
      ],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id;
}

const request = (patientId: string, extra: Record<string, unknown> = {}) => ({
  patientId,
  services: [{ code: '73721', units: 1, from: day(7), to: day(60) }],
  diagnoses: ['M17.11'],
  justification:
    'Right knee pain for 10 weeks despite physical therapy and NSAIDs; suspected meniscal tear on exam.',
  attachments: [{ name: 'PT progress notes', kind: 'clinical_notes', pages: 4 }],
  ...extra,
});

const post = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/v1/prior-auths', headers: frontDesk, payload });

describe('prior authorization', () => {
  it('a routine MRI is sent as a 278, pended, then decided on a later poll', async () => {
    const patientId = await patient(memberFor('approved', '73721', 1));
    const res = await post(request(patientId));
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body.required).toBe(true);
    expect(body.requirements[0]).toMatchObject({ code: '73721', required: true });
    expect(body.requirements[0].reasons.join(' ')).toMatch(/271/);
    const auth = body.priorAuth;
    expect(auth).toMatchObject({
      status: 'pended',
      urgency: 'routine',
      diagnoses: ['M17.11'],
      expectedDecisionDate: expectedDecisionDate(day(0), 'routine'),
    });
    expect(auth.trackingNumber).toMatch(/^00227\d{10}$/);
    expect(auth.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'pended']);
    // The documentation went with the request: the justification as MSG, a PWK per attachment with the control
    // number the practice faxes it under.
    const sent = (
      await t.app.inject({ method: 'GET', url: `/v1/prior-auths/${auth.id}/x12`, headers: frontDesk })
    ).json();
    const event = parse278(sent.request).transactions[0]!.event;
    expect(event.message).toBe(request(patientId).justification);
    expect(validate(sent.request).filter((d) => d.severity === 'error')).toEqual([]);
    expect(event.attachments).toEqual([
      {
        reportType: 'M1',
        transmission: 'FX',
        controlNumber: expect.stringMatching(/^[A-Z0-9]{12}-1$/),
        description: 'PT progress notes',
      },
    ]);
    expect(parse278(sent.response).transactions[0]!.event.attachments).toBeUndefined();
    expect(auth.attachments).toEqual([
      { ...request(patientId).attachments[0], controlNumber: event.attachments![0]!.controlNumber },
    ]);

    const polled = await t.app.inject({
      method: 'POST',
      url: `/v1/prior-auths/${auth.id}/poll`,
      headers: frontDesk,
    });
    expect(polled.statusCode, polled.body).toBe(200);
    const decided = polled.json();
    expect(decided).toMatchObject({
      status: 'approved',
      authorizedUnits: 1,
      authorizedFrom: day(7),
      authorizedTo: day(60),
      decisionDate: day(0),
      polls: 1,
    });
    expect(decided.certificationNumber).toMatch(/^AUTH\d{9}$/);
    expect(decided.history.map((h: { to: string }) => h.to)).toEqual(['submitted', 'pended', 'approved']);
    // The 278s both ways pass the X12 validator.
    const x12 = (
      await t.app.inject({ method: 'GET', url: `/v1/prior-auths/${auth.id}/x12`, headers: frontDesk })
    ).json();
    expect(x12.request).toMatch(/ST\*278\*/);
    expect(x12.response).toContain(`HCR*A1*${decided.certificationNumber}`);
    expect(validate(x12.request).filter((d) => d.severity === 'error')).toEqual([]);
    expect(validate(x12.response).filter((d) => d.severity === 'error')).toEqual([]);
    // Deciding again changes nothing.
    const again = (
      await t.app.inject({ method: 'POST', url: `/v1/prior-auths/${auth.id}/poll`, headers: frontDesk })
    ).json();
    expect(again.status).toBe('approved');
  });

  it('an urgent request is decided at once: partially approved with fewer units', async () => {
    const patientId = await patient(memberFor('partial', 'J1745', 10));
    const res = await post(
      request(patientId, {
        urgency: 'urgent',
        services: [{ code: 'J1745', units: 10, from: day(1) }],
        diagnoses: ['K50.90'],
      }),
    );
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().priorAuth).toMatchObject({
      status: 'partially_approved',
      authorizedUnits: 5,
      expectedDecisionDate: day(3),
    });
  });

  it('a denial carries the reason', async () => {
    const patientId = await patient(memberFor('denied', '72148', 1));
    const res = await post(
      request(patientId, {
        urgency: 'urgent',
        services: [{ code: '72148', from: day(2) }],
        diagnoses: ['M54.50'],
      }),
    );
    expect(res.json().priorAuth).toMatchObject({
      status: 'denied',
      certificationNumber: null,
      decisionReason: expect.stringMatching(/medical necessity/),
    });
  });

  it('says when no authorization is needed, and why, without sending anything', async () => {
    const patientId = await patient('XGH500009999');
    const before = await t.platform.db
      .selectFrom('payer_transactions')
      .select('id')
      .where('kind', '=', 'prior_auth')
      .execute();
    const res = await post(
      request(patientId, { services: [{ code: '99213', from: day(3) }], diagnoses: ['I10'] }),
    );
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ required: false, priorAuth: null });
    expect(res.json().requirements[0].reasons[0]).toMatch(
      /neither the payer's 271 nor Anthem Blue Access PPO's prior-authorization list names 99213/,
    );
    const after = await t.platform.db
      .selectFrom('payer_transactions')
      .select('id')
      .where('kind', '=', 'prior_auth')
      .execute();
    expect(after.length).toBe(before.length);

    const emergency = await post(request(patientId, { urgency: 'emergency' }));
    expect(emergency.json().required).toBe(false);
    expect(emergency.json().requirements[0].reasons[0]).toMatch(/emergency/);

    const ask = (payload: object) =>
      t.app.inject({ method: 'POST', url: '/v1/prior-auths/requirements', headers: frontDesk, payload });
    const check = await ask({
      patientId,
      services: [
        { code: '70551', from: day(5) },
        { code: '99214', from: day(5) },
      ],
    });
    expect(check.json().requirements.map((r: { required: boolean }) => r.required)).toEqual([true, false]);

    // Asking about care already given has no 14-day limit, but the services must still make sense.
    const past = await ask({ patientId, services: [{ code: '70551', from: day(-40) }] });
    expect(past.statusCode, past.body).toBe(200);
    const bad = await ask({
      patientId,
      services: [
        { code: '70551', from: '2026-13-45' },
        { code: 'NOPE', units: 1e300, from: day(5), to: day(1) },
      ],
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/services/0/from',
      '/services/1/code',
      '/services/1/units',
      '/services/1/to',
    ]);
  });

  it('validates diagnoses, justification and services with problem+json', async () => {
    const patientId = await patient('XGH500009998');
    const res = await post(
      request(patientId, {
        diagnoses: ['Z99.999', 'M17'],
        justification: 'knee',
        services: [{ code: '73721', units: 0, from: '2026-13-01' }],
        attachments: [{ name: 'x', kind: 'fax' }],
      }),
    );
    expect(res.statusCode).toBe(400);
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/diagnoses/0',
        '/diagnoses/1',
        '/justification',
        '/services/0/units',
        '/services/0/from',
        '/attachments/0/kind',
      ]),
    );
  });

  it('lists with filters, polls pended requests in the job, reminds before expiry and expires', async () => {
    const patientId = await patient(memberFor('approved', '70551', 1));
    const pended = (
      await post(
        request(patientId, {
          services: [{ code: '70551', from: day(3), to: day(20) }],
          diagnoses: ['R51.9'],
        }),
      )
    ).json().priorAuth;
    const list = await t.app.inject({
      method: 'GET',
      url: `/v1/prior-auths?status=pended&patientId=${patientId}`,
      headers: frontDesk,
    });
    expect(list.json().items.map((a: { id: string }) => a.id)).toEqual([pended.id]);

    const polled = await t.services.priorAuths.pollPended(jobContext(practiceId, 'prior-auth-poller'));
    expect(polled.decided).toBeGreaterThanOrEqual(1);
    const approved = (
      await t.app.inject({ method: 'GET', url: `/v1/prior-auths/${pended.id}`, headers: frontDesk })
    ).json();
    expect(approved.status).toBe('approved');

    const ctx = jobContext(practiceId, 'prior-auth-reminders');
    const soon = await t.services.priorAuths.remindAndExpire(ctx, day(10));
    expect(soon.reminded).toContain(pended.id);
    expect((await t.services.priorAuths.remindAndExpire(ctx, day(11))).reminded).not.toContain(pended.id);
    const later = await t.services.priorAuths.remindAndExpire(ctx, day(21));
    expect(later.expired).toContain(pended.id);
    const expired = (
      await t.app.inject({ method: 'GET', url: `/v1/prior-auths/${pended.id}`, headers: frontDesk })
    ).json();
    expect(expired.status).toBe('expired');
    expect(expired.reminderSentAt).not.toBeNull();
    expect(expired.history.at(-1)).toMatchObject({ from: 'approved', to: 'expired' });
  });
});

describe('prior authorization rules', () => {
  const base = {
    code: '73721',
    urgency: 'routine' as const,
    planName: 'Anthem Blue Access PPO',
    policyCodes: ['73721'],
    procedureFlag: null,
    serviceTypeFlag: null,
  };
  it.each([
    [{ ...base }, true, /published prior-authorization list/],
    [
      { ...base, policyCodes: [], procedureFlag: { authorizationRequired: true, covered: true } },
      true,
      /271/,
    ],
    [
      { ...base, policyCodes: [], serviceTypeFlag: { code: '62', authorizationRequired: true } },
      true,
      /service type 62/,
    ],
    [{ ...base, policyCodes: [] }, false, /neither/],
    [{ ...base, policyCodes: null }, false, /publishes no prior-authorization list/],
    [{ ...base, urgency: 'emergency' as const }, false, /emergency/],
    [
      { ...base, procedureFlag: { authorizationRequired: true, covered: false } },
      false,
      /not a covered benefit/,
    ],
  ])('%# requirement', (input, required, reason) => {
    const r = authorizationRequirement(input);
    expect(r.required).toBe(required);
    expect(r.reasons.join(' ')).toMatch(reason);
  });

  it.each([
    [['A1'], 'approved'],
    [['A1', 'A4'], 'pended'],
    [['A3'], 'denied'],
    [['A1', 'A3'], 'partially_approved'],
    [['A2'], 'partially_approved'],
    [['NA', 'A1'], 'approved'],
  ])('decisions %j → %s', (decisions, status) => {
    expect(statusFromDecisions(decisions)).toBe(status);
  });
});
