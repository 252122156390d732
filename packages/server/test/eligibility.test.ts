import { validate } from '@intelluxe/x12';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobContext } from '../src/modules/eligibility/jobs.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let frontDesk: Record<string, string>;
let practiceId: string;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 30 });
  frontDesk = { authorization: await t.bearer('front_desk') };
  practiceId = t.seed!.practiceId;
});
afterAll(() => t.close());

const sandbox = () => t.services.payers.sandbox!;
let serial = 100;

/** A patient with one coverage; the sandbox payer's accumulators set when given. */
async function patientWith(
  coverage: {
    payerId: string;
    memberId: string;
    planName: string;
    planType: string;
    terminationDate?: string;
  },
  accumulators?: { deductibleMetCents: number; oopMetCents: number },
): Promise<string> {
  serial += 1;
  const res = await t.app.inject({
    method: 'POST',
    url: '/v1/patients',
    headers: frontDesk,
    payload: {
      firstName: 'Grace',
      lastName: `Whitaker${String.fromCharCode(65 + (serial % 26))}`,
      dateOfBirth: '1978-04-12',
      sex: 'female',
      coverages: [{ ...coverage, effectiveDate: '2025-01-01', groupNumber: 'G0045123' }],
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  if (accumulators) {
    await sandbox().setAccumulators(practiceId, coverage.payerId, coverage.memberId, accumulators);
  }
  return res.json().id;
}

const anthemPpo = (memberId: string) => ({
  payerId: 'anthem',
  memberId,
  planName: 'Anthem Blue Access PPO',
  planType: 'PPO',
});

function check(payload: Record<string, unknown>) {
  return t.app.inject({ method: 'POST', url: '/v1/eligibility/checks', headers: frontDesk, payload });
}

describe('eligibility checks over HTTP', () => {
  it('an active PPO member: remaining deductible and a hand-checked estimate', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000001'), {
      deductibleMetCents: 140_000,
      oopMetCents: 140_000,
    });
    const res = await check({ patientId, procedureCodes: ['99213', '73721'] });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({ status: 'active', cached: false, payerId: 'anthem', serviceTypes: ['30'] });
    const cov = body.coverage;
    expect(cov.active).toBe(true);
    expect(cov.plan).toMatchObject({
      name: 'Anthem Blue Access PPO',
      insuranceType: 'PR',
      groupNumber: 'G0045123',
    });
    // $1,500 deductible, $1,400 met → $100 left; $6,000 out-of-pocket maximum, $1,400 used → $4,600 left.
    expect(cov.deductible.inNetwork.individual).toEqual({ amountCents: 150_000, remainingCents: 10_000 });
    expect(cov.outOfPocket.inNetwork.individual).toEqual({ amountCents: 600_000, remainingCents: 460_000 });
    expect(cov.deductible.outOfNetwork.individual).toEqual({ amountCents: 300_000, remainingCents: 300_000 });
    expect(cov.serviceTypes.find((s: { code: string }) => s.code === '98')).toMatchObject({
      copayCents: 3_000,
      deductibleApplies: false,
    });
    expect(cov.procedures.find((p: { code: string }) => p.code === '73721')).toMatchObject({
      serviceType: '62',
      authorizationRequired: true,
      coinsurancePercent: 20,
    });
    expect(cov.priorAuthorizationRequired).toContain('73721');

    const [visit, mri] = body.estimate.lines;
    // 99213 (first in the request): $30 copay, deductible skipped.
    expect(visit).toMatchObject({
      code: '99213',
      copayCents: 3_000,
      deductibleCents: 0,
      patientCents: 3_000,
    });
    // Anthem pays 135% of Medicare's $210.45 for 73721 = $284.1075 → 28,411 cents.
    // Deductible takes the remaining $100.00; 20% of the other $184.11 = $36.822 → 3,682; patient 13,682.
    expect(visit.allowedCents).toBe(Math.round(9_118 * 1.35));
    expect(visit.planCents).toBe(12_309 - 3_000);
    expect(mri).toMatchObject({
      code: '73721',
      allowedCents: 28_411,
      deductibleCents: 10_000,
      coinsuranceCents: 3_682,
      patientCents: 13_682,
      planCents: 14_729,
    });
    expect(mri.steps.map((s: { step: string }) => s.step)).toEqual([
      'allowed',
      'deductible',
      'coinsurance',
      'plan_pays',
    ]);
    expect(body.estimate.totalPatientCents).toBe(16_682);
    expect(body.estimate.deductibleRemainingAfterCents).toBe(0);
    expect(body.estimate.outOfPocketRemainingAfterCents).toBe(460_000 - 16_682);
    // The sandbox's 271 with procedure-level benefits (EB13, EB11) passes the library's validator.
    const x12 = (
      await t.app.inject({ method: 'GET', url: `/v1/eligibility/checks/${body.id}/x12`, headers: frontDesk })
    ).json();
    expect(x12.request).toContain('EQ**HC:73721~');
    expect(x12.response).toContain('*Y*Y*HC:73721~');
    expect(validate(x12.response).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('a member whose deductible is met pays coinsurance only', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000002'), {
      deductibleMetCents: 150_000,
      oopMetCents: 200_000,
    });
    const body = (await check({ patientId, procedureCodes: ['73721'] })).json();
    expect(body.coverage.deductible.inNetwork.individual.remainingCents).toBe(0);
    const [mri] = body.estimate.lines;
    // 20% of $284.11 = $56.822 → 5,682.
    expect(mri).toMatchObject({
      allowedCents: 28_411,
      deductibleCents: 0,
      coinsuranceCents: 5_682,
      patientCents: 5_682,
    });
    expect(mri.steps[1].detail).toBe('deductible already met');
  });

  it('an HDHP member pays everything until the deductible is met', async () => {
    const patientId = await patientWith(
      { payerId: 'uhc', memberId: '410000003', planName: 'UnitedHealthcare HSA HDHP', planType: 'HDHP' },
      { deductibleMetCents: 0, oopMetCents: 0 },
    );
    const body = (await check({ patientId, procedureCodes: ['99213', '73721'] })).json();
    expect(body.coverage.deductible.inNetwork.individual).toEqual({
      amountCents: 330_000,
      remainingCents: 330_000,
    });
    const [visit, mri] = body.estimate.lines;
    // UHC pays 140% of Medicare: 99213 $91.18 → $127.652 → 12,765; 73721 $210.45 → $294.63 → 29,463.
    expect(visit).toMatchObject({
      allowedCents: 12_765,
      copayCents: 0,
      deductibleCents: 12_765,
      patientCents: 12_765,
      planCents: 0,
    });
    expect(mri).toMatchObject({
      allowedCents: 29_463,
      deductibleCents: 29_463,
      patientCents: 29_463,
      planCents: 0,
    });
    expect(body.estimate.deductibleRemainingAfterCents).toBe(330_000 - 12_765 - 29_463);
  });

  it('the out-of-pocket maximum caps what the patient pays', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000004'), {
      deductibleMetCents: 150_000,
      oopMetCents: 598_000,
    });
    const body = (await check({ patientId, procedureCodes: ['73721', '99213'] })).json();
    expect(body.coverage.outOfPocket.inNetwork.individual.remainingCents).toBe(2_000);
    const [mri, visit] = body.estimate.lines;
    // Coinsurance would be 5,682 but only $20.00 of out-of-pocket room is left; then nothing for the visit.
    expect(mri).toMatchObject({ patientCents: 2_000, coinsuranceCents: 2_000, planCents: 26_411 });
    expect(mri.steps.map((s: { step: string }) => s.step)).toContain('out_of_pocket_cap');
    expect(visit).toMatchObject({ patientCents: 0, planCents: 12_309 });
    expect(body.estimate.totalPatientCents).toBe(2_000);
    expect(body.estimate.outOfPocketRemainingAfterCents).toBe(0);
  });

  it('a terminated member is inactive, with the termination date and no estimate', async () => {
    const patientId = await patientWith({ ...anthemPpo('XGH410000005'), terminationDate: '2025-06-30' });
    const body = (await check({ patientId, procedureCodes: ['99213'] })).json();
    expect(body).toMatchObject({ status: 'inactive', estimate: null });
    expect(body.coverage).toMatchObject({ active: false, coverageEnd: '2025-06-30' });
    expect(body.coverage.messages).toContain('Coverage terminated 2025-06-30');
  });

  it('a demo patient whose coverage the seed terminated is inactive', async () => {
    const list = await t.app.inject({ method: 'GET', url: '/v1/patients?limit=30', headers: frontDesk });
    const terminated = list
      .json()
      .items.find((p: { coverages: Array<{ active: boolean }> }) => p.coverages[0] && !p.coverages[0].active);
    if (!terminated) return;
    const body = (await check({ patientId: terminated.id })).json();
    expect(body.status).toBe('inactive');
  });

  it('explains AAA 72 (invalid member id) and 75 (subscriber not found)', async () => {
    const patientId = await patientWith(anthemPpo('XG-12'));
    const invalid = (await check({ patientId })).json();
    expect(invalid.status).toBe('rejected');
    expect(invalid.coverage.rejections[0]).toMatchObject({
      code: '72',
      explanation: 'The member (subscriber) id is invalid or missing',
      followUpAction: 'C',
      followUp: 'Correct the request and resubmit',
      retryable: false,
    });
    expect(invalid.coverage.rejections[0].nextStep).toMatch(/member id/);
    const rejected271 = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/eligibility/checks/${invalid.id}/x12`,
        headers: frontDesk,
      })
    ).json().response;
    expect(rejected271).toContain('AAA*N**72*C~');
    expect(validate(rejected271).filter((d) => d.severity === 'error')).toEqual([]);

    const missing = await check({
      payerId: 'cigna',
      subscriber: {
        memberId: 'U99999999',
        firstName: 'Nora',
        lastName: 'Fielding',
        dateOfBirth: '1990-02-02',
      },
    });
    expect(missing.statusCode).toBe(201);
    expect(missing.json().coverage.rejections[0]).toMatchObject({
      code: '75',
      explanation: "The subscriber was not found in the payer's records",
      retryable: false,
    });
  });

  it('asks the payer again on refresh, and later checks are answered from the new answer', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000017'), { deductibleMetCents: 0, oopMetCents: 0 });
    const remaining = (c: {
      coverage: { deductible: { inNetwork: { individual: { remainingCents: number } } } };
    }) => c.coverage.deductible.inNetwork.individual.remainingCents;
    const first = (await check({ patientId })).json();
    // A claim was paid meanwhile: the payer's records changed, the cached answer did not.
    await sandbox().setAccumulators(practiceId, 'anthem', 'XGH410000017', {
      deductibleMetCents: 40_000,
      oopMetCents: 40_000,
    });
    const cached = (await check({ patientId })).json();
    expect(cached).toMatchObject({ cached: true, transactionId: first.transactionId });
    expect(remaining(cached)).toBe(remaining(first));
    const refreshed = (await check({ patientId, refresh: true })).json();
    expect(refreshed.cached).toBe(false);
    expect(refreshed.transactionId).not.toBe(first.transactionId);
    expect(remaining(refreshed)).toBe(remaining(first) - 40_000);
    expect(Date.parse(refreshed.answeredAt)).toBeGreaterThanOrEqual(Date.parse(first.answeredAt));
    const after = (await check({ patientId })).json();
    expect(after).toMatchObject({ cached: true, transactionId: refreshed.transactionId });
    const bad = await check({ patientId, refresh: 'yes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/refresh');
  });

  it('answers from the cache for 30 minutes and says so; history and X12 are kept', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000006'));
    const first = (await check({ patientId })).json();
    const second = (await check({ patientId })).json();
    expect(first.cached).toBe(false);
    expect(second).toMatchObject({
      cached: true,
      answeredAt: first.answeredAt,
      transactionId: first.transactionId,
    });
    expect(second.coverage).toEqual(first.coverage);

    const history = await t.app.inject({
      method: 'GET',
      url: `/v1/patients/${patientId}/eligibility`,
      headers: frontDesk,
    });
    expect(history.json().items.map((c: { id: string }) => c.id)).toEqual([second.id, first.id]);
    // A cache hit stores no second copy of the coverage: it points at the check that fetched it.
    const rows = await t.platform.db
      .selectFrom('eligibility_checks')
      .select(['id', 'answer_check_id', 'result_enc'])
      .where('patient_id', '=', patientId)
      .execute();
    expect(rows.find((r) => r.id === second.id)).toMatchObject({
      answer_check_id: first.id,
      result_enc: null,
    });
    expect(history.json().items[0].coverage).toEqual(first.coverage);
    const byQuery = await t.app.inject({
      method: 'GET',
      url: `/v1/eligibility/checks?patientId=${patientId}`,
      headers: frontDesk,
    });
    expect(byQuery.json().items).toHaveLength(2);
    const one = await t.app.inject({
      method: 'GET',
      url: `/v1/eligibility/checks/${first.id}`,
      headers: frontDesk,
    });
    expect(one.json()).toMatchObject({ id: first.id, status: 'active', durationMs: expect.any(Number) });

    const x12 = (
      await t.app.inject({ method: 'GET', url: `/v1/eligibility/checks/${first.id}/x12`, headers: frontDesk })
    ).json();
    expect(x12.request).toMatch(/^ISA\*.*ST\*270\*/);
    expect(x12.response).toMatch(/ST\*271\*/);
    // The sandbox's 271 passes the library's validator.
    expect(validate(x12.response).filter((d) => d.severity === 'error')).toEqual([]);
    expect(validate(x12.request).filter((d) => d.severity === 'error')).toEqual([]);

    const audited = await t.platform.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'eligibility.check')
      .where('resource_id', '=', patientId)
      .execute();
    expect(audited).toHaveLength(2);
    // One event per check: it names the patient, so the read behind it is not logged a second time.
    const allForPatient = await t.platform.db
      .selectFrom('audit_events')
      .select('action')
      .where('resource_id', '=', patientId)
      .where('occurred_at', '>=', new Date(Date.parse(first.createdAt) - 1000))
      .execute();
    expect(allForPatient.filter((e) => e.action === 'patient.read')).toEqual([]);
    const metric = await t.platform.metrics.registry
      .getSingleMetric('intelluxe_eligibility_check_duration_seconds')!
      .get();
    expect(metric.values.some((v) => v.labels.cached === 'true' && v.labels.payer === 'anthem')).toBe(true);
    // The raw X12 is stored encrypted.
    const raw = await t.platform.db
      .selectFrom('payer_transactions')
      .select(['request_enc', 'response_enc'])
      .where('id', '=', first.transactionId)
      .executeTakeFirstOrThrow();
    expect(raw.request_enc).not.toContain('ISA');
    expect(raw.response_enc).not.toContain('XGH410000006');
  });

  it('an unknown patient is a 404 naming patientId, and the attempt is audited', async () => {
    const missing = '7d0c5f0e-3a52-4d8e-9a41-2f6b8c1d9e77';
    const res = await check({ patientId: missing });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    const events = await t.platform.db
      .selectFrom('audit_events')
      .select(['action', 'outcome'])
      .where('resource_id', '=', missing)
      .execute();
    expect(events).toEqual([{ action: 'eligibility.check', outcome: 'failure' }]);
  });

  it('validates every field with problem+json naming it', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000007'));
    const res = await check({
      patientId,
      providerNpi: '1234567890',
      serviceTypes: ['30', 'ZZZ'],
      procedureCodes: ['ABC'],
      dateOfService: '2026-02-30',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const paths = res.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining(['/providerNpi', '/serviceTypes/1', '/procedureCodes/0', '/dateOfService']),
    );
    const member = await check({
      payerId: 'anthem',
      subscriber: { memberId: 'BAD~ID', firstName: 'A', lastName: 'B' },
    });
    expect(member.json().errors).toEqual([expect.objectContaining({ path: '/subscriber/memberId' })]);
    const none = await check({});
    expect(none.json().errors[0].path).toBe('/patientId');
  });
});

describe('payer faults give clear, retry-aware errors', () => {
  it('a timeout is a 504 with retryable and Retry-After, recorded as an error, never cached', async () => {
    const patientId = await patientWith({
      payerId: 'cigna',
      memberId: 'U41000001',
      planName: 'Cigna Open Access Plus',
      planType: 'PPO',
    });
    t.services.payers.configure('cigna', {
      timeoutMs: 100,
      retries: 1,
      retryBaseMs: 5,
      breakerThreshold: 50,
    });
    sandbox().setFault('cigna', { kind: 'timeout' });
    const res = await check({ patientId });
    expect(res.statusCode).toBe(504);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.headers['retry-after']).toBe('30');
    expect(res.json()).toMatchObject({
      type: expect.stringContaining('payer-timeout'),
      retryable: true,
      attempts: 2,
      payerId: 'cigna',
    });
    expect(res.json().coverage).toBeUndefined();
    sandbox().setFault('cigna', null);
    const history = (
      await t.app.inject({ method: 'GET', url: `/v1/patients/${patientId}/eligibility`, headers: frontDesk })
    ).json();
    expect(history.items[0]).toMatchObject({
      status: 'error',
      coverage: null,
      error: { type: 'payer-timeout', retryable: true },
    });
    const after = (await check({ patientId })).json();
    expect(after).toMatchObject({ status: 'active', cached: false });
  });

  it('a malformed 271 is a 502 and nothing from it is shown', async () => {
    const patientId = await patientWith({
      payerId: 'aetna',
      memberId: 'W410000001',
      planName: 'Aetna Choice POS II',
      planType: 'PPO',
    });
    sandbox().setFault('aetna', { kind: 'malformed' });
    const res = await check({ patientId });
    sandbox().setFault('aetna', null);
    expect(res.statusCode).toBe(502);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json()).toMatchObject({
      type: expect.stringContaining('payer-bad-response'),
      retryable: true,
    });
    expect((await check({ patientId })).json().cached).toBe(false);
  });

  it('retries transient faults: one dropped connection, then an answer', async () => {
    const patientId = await patientWith({
      payerId: 'bcbs',
      memberId: 'ZGP410000001',
      planName: 'BCBS Blue Choice PPO',
      planType: 'PPO',
    });
    t.services.payers.configure('bcbs', { retries: 2, retryBaseMs: 5 });
    sandbox().setFault('bcbs', { kind: 'unreachable' }, 1);
    const body = (await check({ patientId })).json();
    expect(body.status).toBe('active');
    const tx = await t.platform.db
      .selectFrom('payer_transactions')
      .select(['attempts', 'outcome'])
      .where('id', '=', body.transactionId)
      .executeTakeFirstOrThrow();
    expect(tx).toEqual({ attempts: 2, outcome: 'ok' });
  });

  it('an open circuit refuses with 503 and Retry-After, then a half-open probe closes it', async () => {
    const patientId = await patientWith({
      payerId: 'uhc',
      memberId: '410000009',
      planName: 'UnitedHealthcare Choice Plus PPO',
      planType: 'PPO',
    });
    t.services.payers.configure('uhc', { retries: 0, breakerThreshold: 2, breakerCooldownMs: 300 });
    sandbox().setFault('uhc', { kind: 'unreachable' });
    expect((await check({ patientId })).statusCode).toBe(502);
    expect((await check({ patientId })).statusCode).toBe(502);
    const open = await check({ patientId });
    expect(open.statusCode).toBe(503);
    expect(Number(open.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(open.json()).toMatchObject({
      type: expect.stringContaining('payer-circuit-open'),
      retryable: true,
    });
    expect(t.services.payers.breakerState('uhc').state).toBe('open');
    // /health shows the gateway down for that payer (the platform degraded, not down).
    const health = (await t.app.inject({ method: 'GET', url: '/health' })).json();
    expect(health.status).toBe('degraded');
    expect(health.checks.payers).toMatchObject({ status: 'down' });
    expect(health.checks.payers.detail).toMatch(/circuit open for uhc \(retry in \d+ s\)/);
    sandbox().setFault('uhc', null);
    await new Promise((r) => setTimeout(r, 350));
    expect(t.services.payers.breakerState('uhc').state).toBe('half_open');
    const probe = await check({ patientId });
    expect(probe.statusCode).toBe(201);
    expect(t.services.payers.breakerState('uhc').state).toBe('closed');
    const healed = (await t.app.inject({ method: 'GET', url: '/health' })).json();
    expect(healed.checks.payers).toMatchObject({ status: 'ok' });
    expect(healed.checks.payers.detail).toMatch(/^sandbox clearinghouse: 6 payers, every circuit closed$/);
  });

  it('AAA 42 (payer unable to respond) is retryable and not cached', async () => {
    const patientId = await patientWith({
      payerId: 'aetna',
      memberId: 'W410000002',
      planName: 'Aetna HealthFund HDHP',
      planType: 'HDHP',
    });
    sandbox().setFault('aetna', { kind: 'reject', code: '42' }, 1);
    const first = (await check({ patientId })).json();
    expect(first.status).toBe('rejected');
    expect(first.coverage.rejections[0]).toMatchObject({ code: '42', retryable: true, followUpAction: 'R' });
    const second = (await check({ patientId })).json();
    expect(second).toMatchObject({ status: 'active', cached: false });
  });
});

describe('defaults and batches', () => {
  it('{patientId} alone: primary coverage, default rendering provider, service type 30, today', async () => {
    const patientId = await patientWith(anthemPpo('XGH410000010'));
    const body = (await check({ patientId })).json();
    const provider = await t.services.patients.defaultRenderingProvider(practiceId);
    expect(body).toMatchObject({
      providerNpi: provider!.npi,
      serviceTypes: ['30'],
      procedureCodes: [],
      dateOfService: new Date().toISOString().slice(0, 10),
      estimate: null,
    });
  });

  it("checks tomorrow's appointments in a batch (job handler) and the endpoint queues it", async () => {
    const report = await t.services.eligibility.runBatch(jobContext(practiceId));
    expect(report.appointments).toBeGreaterThanOrEqual(report.patients);
    expect(report.active + report.inactive + report.rejected + report.errors).toBe(report.patients);
    const queued = await t.app.inject({
      method: 'POST',
      url: '/v1/eligibility/batches',
      headers: frontDesk,
      payload: {},
    });
    expect(queued.statusCode).toBe(202);
    expect(queued.json().jobId).toEqual(expect.any(String));
  });
});
