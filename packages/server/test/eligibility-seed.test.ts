import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.ts';
import { findSeedService } from '../src/seed-services.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let frontDesk: Record<string, string>;
let serviceKey: Record<string, string>;
let patientId: string;

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 2 });
  frontDesk = { authorization: await t.bearer('front_desk') };
  const key = await t.services.auth.createApiKey(
    { name: 'intake kiosk', role: 'service', practiceId: t.seed!.practiceId },
    { actorType: 'system', actorId: 'test' },
  );
  serviceKey = { 'x-api-key': key.key };
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: frontDesk,
    payload: {
      firstName: 'Lena',
      lastName: 'Marchetti',
      dateOfBirth: '1985-11-30',
      sex: 'female',
      coverages: [
        {
          payerId: 'anthem',
          memberId: 'XGH700000001',
          planName: 'Anthem Blue Access PPO',
          planType: 'PPO',
          effectiveDate: '2025-01-01',
        },
      ],
    },
  });
  patientId = res.json().id;
});
afterAll(() => t.close());

describe('insurance-verification: POST /verify', () => {
  it("verifies a member in the notes' shape", async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: frontDesk,
      payload: { member_id: 'XGH700000001', provider_id: 'ANTHEM_12345', service_codes: ['99213', 'I10'] },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ verified: true, provider: 'anthem', member_id: 'XGH700000001' });
    expect(Date.parse(body.verification_timestamp)).not.toBeNaN();
    expect(body.eligibility).toMatchObject({
      status: 'active',
      active: true,
      plan: 'Anthem Blue Access PPO',
      ignored_codes: ['I10'],
    });
    expect(body.eligibility.estimate.lines[0].code).toBe('99213');
  });

  it('answers validation issues as the notes do', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: frontDesk,
      payload: { member_id: 'W12', provider_id: 'AB' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error: 'Validation failed',
      issues: ['Member ID length invalid', 'Provider ID too short'],
      safe_to_retry: false,
    });
    const missing = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: frontDesk,
      payload: {},
    });
    expect(missing.json().issues).toEqual([
      'Missing required field: member_id',
      'Missing required field: provider_id',
    ]);
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: frontDesk,
      payload: { member_id: 'XGH799999999', provider_id: '1234567893' },
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('Member not found');
  });

  it('needs the same credentials as the API (bearer or API key)', async () => {
    const anonymous = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      payload: { member_id: 'XGH700000001', provider_id: '1234567893' },
    });
    expect(anonymous.statusCode).toBe(401);
    const compliance = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: { authorization: await t.bearer('compliance_officer') },
      payload: { member_id: 'XGH700000001', provider_id: '1234567893' },
    });
    expect(compliance.statusCode).toBe(403);
    const viaKey = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: serviceKey,
      payload: { member_id: 'XGH700000001', provider_id: '1234567893' },
    });
    expect(viaKey.json().verified).toBe(true);
  });

  it('serves /verify at the root on its own port, with GET /health', async () => {
    const { app } = await buildApp(t.platform, t.services, {
      seedService: findSeedService('insurance-verification')!,
    });
    try {
      const health = await app.inject({ method: 'GET', url: '/health' });
      expect(health.json()).toEqual({ status: 'healthy', service: 'insurance-verification' });
      const res = await app.inject({
        method: 'POST',
        url: '/verify',
        headers: serviceKey,
        payload: { member_id: 'XGH700000001', provider_id: 'anthem_web' },
      });
      expect(res.json()).toMatchObject({ verified: true, provider: 'anthem' });
    } finally {
      await app.close();
    }
  });

  it('a payer outage is a retry-aware error, not a stale answer', async () => {
    t.services.payers.sandbox!.setFault('anthem', { kind: 'unreachable' });
    t.services.payers.configure('anthem', { retries: 0, breakerThreshold: 100 });
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/insurance-verification/verify',
      headers: frontDesk,
      payload: { member_id: 'XGH700000001', provider_id: '1234567893', service_codes: ['99214'] },
    });
    t.services.payers.sandbox!.setFault('anthem', null);
    expect(res.statusCode).toBe(502);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({
      error: 'Verification failed',
      provider: 'anthem',
      retry_recommended: true,
      error_code: 'PROVIDER_ERROR',
    });
  });
});

describe('advanced-insurance-verifier', () => {
  it('POST /verify_real_time', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/advanced-insurance-verifier/verify_real_time',
      headers: frontDesk,
      payload: {
        patient_info: { insurance: { provider: 'anthem', member_id: 'XGH700000001' } },
        service_codes: ['99213'],
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ verified: true, real_time: true, provider: 'anthem' });
  });

  it('POST /prior_auth/submit and GET /prior_auth/status', async () => {
    const submit = await t.app.inject({
      method: 'POST',
      url: '/services/advanced-insurance-verifier/prior_auth/submit',
      headers: frontDesk,
      payload: {
        patient_id: patientId,
        service_codes: ['70551'],
        service_date: day(5),
        diagnosis_codes: ['R51.9'],
        clinical_justification:
          'New daily headaches for six weeks with morning vomiting; rule out intracranial mass.',
      },
    });
    expect(submit.statusCode, submit.body).toBe(201);
    expect(submit.json()).toMatchObject({
      required: true,
      status: 'pended',
      prior_auth_id: expect.any(String),
      tracking_number: expect.any(String),
    });
    const summary = await t.app.inject({
      method: 'GET',
      url: '/services/advanced-insurance-verifier/prior_auth/status',
      headers: frontDesk,
    });
    expect(summary.json().counts.pended).toBe(1);
    const one = await t.app.inject({
      method: 'GET',
      url: `/services/advanced-insurance-verifier/prior_auth/status/${submit.json().prior_auth_id}`,
      headers: frontDesk,
    });
    expect(one.json()).toMatchObject({ status: 'pended', history: [{ to: 'submitted' }, { to: 'pended' }] });
    const notNeeded = await t.app.inject({
      method: 'POST',
      url: '/services/advanced-insurance-verifier/prior_auth/submit',
      headers: frontDesk,
      payload: {
        patient_id: patientId,
        service_codes: ['99213'],
        service_date: day(5),
        diagnosis_codes: ['I10'],
        clinical_justification: 'Routine follow-up of essential hypertension on two agents.',
      },
    });
    expect(notNeeded.statusCode).toBe(200);
    expect(notNeeded.json()).toMatchObject({ required: false, status: 'not_required', prior_auth_id: null });
  });
});
