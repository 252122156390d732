import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedBillingHistory } from '../src/modules/demo/billing-history.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let biller: Record<string, string>;
beforeAll(async () => {
  t = await startTestContext({ seedPatients: 30 });
  biller = { authorization: await t.bearer('biller') };
});
afterAll(() => t.close());

describe('denial-risk model', () => {
  it('learns from the practice history, registers a version, and scores claims with factors', {
    timeout: 300_000,
  }, async () => {
    const none = await t.app.inject({
      method: 'GET',
      url: '/v1/claims/00000000-0000-4000-8000-000000000000/risk',
      headers: biller,
    });
    expect(none.statusCode).toBe(409);

    const history = await seedBillingHistory(t.services, t.seed!.practiceId, { claims: 110 });
    expect(history.submitted).toBeGreaterThan(80);
    expect(history.denied).toBeGreaterThan(5);
    expect(history.paid).toBeGreaterThan(40);

    const queued = await t.app.inject({
      method: 'POST',
      url: '/v1/claims/risk-model/train',
      headers: biller,
    });
    expect(queued.statusCode).toBe(202);
    const version = await t.services.claimRisk.train({
      actorType: 'system',
      actorId: 'test',
      practiceId: t.seed!.practiceId,
    });
    expect(version).toMatchObject({ kind: 'denial_risk', validationStatus: 'validated', status: 'active' });
    expect(version.metrics.auc).toBeGreaterThan(0.75);

    const patients = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?limit=30', headers: biller })
    ).json().items as Array<{ id: string; coverages: Array<{ active: boolean; payerId: string }> }>;
    const patient = patients.find((p) => p.coverages.some((c) => c.active && c.payerId !== 'medicare'))!;
    const today = new Date().toISOString().slice(0, 10);
    const create = async (lines: object[], dx: string[]) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/v1/claims',
          headers: biller,
          payload: { patientId: patient.id, placeOfService: '11', diagnoses: dx, lines },
        })
      ).json();
    const mri = await create(
      [{ procedureCode: '73721', modifiers: ['RT'], units: 1, diagnosisPointers: [1], serviceDate: today }],
      ['M17.11'],
    );
    const visit = await create(
      [{ procedureCode: '99213', units: 1, diagnosisPointers: [1], serviceDate: today }],
      ['I10'],
    );
    const mriRisk = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${mri.id}/risk`, headers: biller })
    ).json();
    const visitRisk = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${visit.id}/risk`, headers: biller })
    ).json();
    expect(mriRisk.probability).toBeGreaterThan(visitRisk.probability + 0.2);
    expect(mriRisk.factors.length).toBeGreaterThan(0);
    expect(mriRisk.suggestions.join(' ')).toMatch(/authorization|73721/);
    expect(mriRisk.model).toMatchObject({ versionId: version.id, version: version.version });
  });
});
