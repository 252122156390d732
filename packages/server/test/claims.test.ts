import { validate } from '@intelluxe/x12';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let biller: Record<string, string>;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 12 });
  biller = { authorization: await t.bearer('biller') };
});
afterAll(() => t.close());

/** A recent encounter of a patient whose primary coverage is an active commercial plan. */
async function billableEncounter(skip = 0) {
  const physician = { authorization: await t.bearer('physician') };
  const patients = (
    await t.app.inject({ method: 'GET', url: '/v1/patients?limit=50', headers: physician })
  ).json().items as Array<{
    id: string;
    coverages: Array<{ active: boolean; payerId: string; priority: number }>;
  }>;
  const found: Array<{ id: string; patientId: string }> = [];
  for (const p of patients) {
    if (!p.coverages.some((c) => c.active && c.priority === 1 && c.payerId !== 'medicare')) continue;
    const encounters = (
      await t.app.inject({ method: 'GET', url: `/v1/encounters?patientId=${p.id}`, headers: physician })
    ).json().items;
    if (encounters.length > 0) found.push({ id: encounters[0].id, patientId: p.id });
  }
  return found[skip]!;
}

describe('claims', () => {
  it('captures charges from an encounter once, honoring the Idempotency-Key', async () => {
    const encounter = await billableEncounter();
    const headers = { ...biller, 'idempotency-key': 'capture-0001-abcdef' };
    const first = await t.app.inject({
      method: 'POST',
      url: `/v1/encounters/${encounter.id}/claim`,
      headers,
    });
    expect(first.statusCode).toBe(201);
    const claim = first.json();
    expect(claim).toMatchObject({
      status: 'draft',
      patientId: encounter.patientId,
      encounterId: encounter.id,
      patientControlNumber: expect.stringMatching(/^C\d+$/),
    });
    expect(claim.totalChargeCents).toBe(
      claim.lines.reduce((s: number, l: { chargeCents: number }) => s + l.chargeCents, 0),
    );
    expect(claim.lines[0].chargeCents).toBeGreaterThan(0);
    const replay = await t.app.inject({
      method: 'POST',
      url: `/v1/encounters/${encounter.id}/claim`,
      headers,
    });
    expect(replay.statusCode).toBe(201);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.json().id).toBe(claim.id);
    const again = await t.app.inject({
      method: 'POST',
      url: `/v1/encounters/${encounter.id}/claim`,
      headers: biller,
    });
    expect(again.statusCode).toBe(409);
  });

  it('validates, submits through the sandbox and records the 837, 999 and 277CA', async () => {
    const encounter = await billableEncounter(1);
    const claim = (
      await t.app.inject({ method: 'POST', url: `/v1/encounters/${encounter.id}/claim`, headers: biller })
    ).json();
    const early = await t.app.inject({
      method: 'POST',
      url: `/v1/claims/${claim.id}/submit`,
      headers: biller,
    });
    expect(early.statusCode, early.body).toBe(409);

    const validation = await t.app.inject({
      method: 'POST',
      url: `/v1/claims/${claim.id}/validate`,
      headers: biller,
    });
    expect(validation.json()).toMatchObject({ valid: true, status: 'validated', problems: [] });

    const submitted = await t.app.inject({
      method: 'POST',
      url: `/v1/claims/${claim.id}/submit`,
      headers: { ...biller, 'idempotency-key': 'submit-0001-abcdef' },
    });
    expect(submitted.statusCode, submitted.body).toBe(200);
    const report = submitted.json();
    expect(report.acknowledgment).toMatchObject({ accepted: true });
    expect(report.claimAcknowledgment.accepted).toBe(true);
    expect(report.claim.status).toBe('accepted');

    const documents = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${claim.id}/x12`, headers: biller })
    ).json();
    expect(documents.map((d: { kind: string }) => d.kind)).toEqual(['837', '999', '277CA']);
    const errors = validate(documents[0].x12).filter((d) => d.severity === 'error');
    expect(errors).toEqual([]);
    expect(documents[0].x12).toContain(`CLM*${claim.patientControlNumber}*`);

    const events = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${claim.id}/events`, headers: biller })
    ).json();
    expect(events.map((e: { toStatus: string }) => e.toStatus)).toEqual([
      'draft',
      'validated',
      'submitted',
      'accepted',
    ]);
    expect(events.every((e: { actorId: string | null }) => e.actorId)).toBe(true);
  });

  it('flags an MRI billed without prior authorization and unknown diagnosis codes', async () => {
    const encounter = await billableEncounter(2);
    const claim = await t.app.inject({
      method: 'POST',
      url: '/v1/claims',
      headers: biller,
      payload: {
        patientId: encounter.patientId,
        placeOfService: '11',
        diagnoses: ['M17.11', 'M17'],
        lines: [
          {
            procedureCode: '73721',
            modifiers: ['RT'],
            units: 1,
            diagnosisPointers: [1],
            serviceDate: new Date().toISOString().slice(0, 10),
          },
        ],
      },
    });
    expect(claim.statusCode, claim.body).toBe(201);
    expect(claim.json().lines[0].chargeCents).toBe(145_000);
    const report = (
      await t.app.inject({ method: 'POST', url: `/v1/claims/${claim.json().id}/validate`, headers: biller })
    ).json();
    expect(report.valid).toBe(false);
    expect(report.status).toBe('draft');
    expect(report.problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: '/priorAuthNumber', code: 'prior-auth' }),
        expect.objectContaining({ path: '/diagnoses/1', code: 'diagnosis-not-billable' }),
      ]),
    );
  });

  it('names the field when a line cannot be priced or the coverage is foreign', async () => {
    const encounter = await billableEncounter(0);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/claims',
      headers: biller,
      payload: {
        patientId: encounter.patientId,
        coverageId: '00000000-0000-4000-8000-000000000000',
        placeOfService: '11',
        diagnoses: ['I10'],
        lines: [{ procedureCode: '99213', units: 1, diagnosisPointers: [1], serviceDate: '2026-11-02' }],
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors[0].path).toBe('/coverageId');
    const unpriced = await t.app.inject({
      method: 'POST',
      url: '/v1/claims',
      headers: biller,
      payload: {
        patientId: encounter.patientId,
        placeOfService: '11',
        diagnoses: ['I10'],
        lines: [{ procedureCode: '99205', units: 1, diagnosisPointers: [1], serviceDate: '2026-11-02' }],
      },
    });
    expect(unpriced.statusCode).toBe(400);
    expect(unpriced.json().errors[0].path).toBe('/lines/0/chargeCents');
  });

  it("serves the design notes' POST /create_claim on the billing engine", async () => {
    const patients = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?limit=50', headers: biller })
    ).json().items as Array<{
      mrn: string;
      coverages: Array<{ active: boolean; payerId: string; memberId: string; priority: number }>;
    }>;
    const patient = patients.find((p) =>
      p.coverages.some((c) => c.active && c.priority === 1 && c.payerId !== 'medicare'),
    )!;
    const provider = (await t.app.inject({ method: 'GET', url: '/v1/providers', headers: biller })).json()[0];
    const res = await t.app.inject({
      method: 'POST',
      url: '/services/billing-engine/create_claim',
      headers: biller,
      payload: {
        patient_id: patient.mrn,
        provider_id: provider.npi,
        service_date: new Date().toISOString(),
        service_codes: ['99213', 'I10'],
        insurance_info: { member_id: patient.coverages[0]!.memberId },
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      claim_created: true,
      submission_status: 'accepted',
      claim_total: 140,
    });
    expect(typeof res.json().claim_id).toBe('string');
    const bad = await t.app.inject({
      method: 'POST',
      url: '/services/billing-engine/create_claim',
      headers: biller,
      payload: { patient_id: 'P123456', provider_id: 'PR789', service_codes: ['99213', 'I10'] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: 'Claim validation failed', claim_created: false });
    expect(bad.json().issues.join(' ')).toContain('P123456');
  });
});
