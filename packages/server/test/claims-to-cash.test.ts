import { build835 } from '@intelluxe/x12';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let biller: Record<string, string>;
const today = new Date().toISOString().slice(0, 10);

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 12 });
  biller = { authorization: await t.bearer('biller') };
});
afterAll(() => t.close());

async function commercialPatient(payerIds: string[]) {
  const list = (await t.app.inject({ method: 'GET', url: '/v1/patients?limit=50', headers: biller })).json()
    .items as Array<{
    id: string;
    coverages: Array<{ active: boolean; payerId: string; priority: number }>;
  }>;
  return list.filter((p) =>
    p.coverages.some((c) => c.active && c.priority === 1 && payerIds.includes(c.payerId)),
  );
}

/** An 835 paying each claim's one 99213 line `paidCents`, the rest adjusted CO-45. */
function paying(
  payments: Array<{ claim: { patientControlNumber: string; totalChargeCents: number }; paidCents: number }>,
  trace: string,
  interchange: number,
) {
  return build835(
    {
      payment: {
        handlingCode: 'I',
        amountCents: payments.reduce((sum, p) => sum + p.paidCents, 0),
        creditDebit: 'C',
        method: 'CHK',
        date: today,
      },
      trace: { type: '1', number: trace, originatorId: '1000000227' },
      payer: { name: 'TEST PAYER', contacts: [] },
      payee: { name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: 'XX', id: '1987654328', references: [] },
      claims: payments.map(({ claim, paidCents }) => ({
        patientControlNumber: claim.patientControlNumber,
        statusCode: '1',
        chargeCents: claim.totalChargeCents,
        paidCents,
        patientResponsibilityCents: 0,
        adjustments: [],
        references: [],
        amounts: [],
        services: [
          {
            procedure: { qualifier: 'HC', code: '99213', modifiers: [] },
            chargeCents: claim.totalChargeCents,
            paidCents,
            units: 1,
            adjustments: [{ group: 'CO', reason: '45', amountCents: claim.totalChargeCents - paidCents }],
            lineControlNumber: `${claim.patientControlNumber}-1`,
            references: [],
            amounts: [],
            remarkCodes: [],
          },
        ],
      })),
      providerAdjustments: [],
    },
    { senderId: 'TESTPAYER', receiverId: '1987654328', interchangeControlNumber: interchange },
  );
}

async function submit(payload: object) {
  const created = await t.app.inject({ method: 'POST', url: '/v1/claims', headers: biller, payload });
  expect(created.statusCode, created.body).toBe(201);
  const claim = created.json();
  const validation = (
    await t.app.inject({ method: 'POST', url: `/v1/claims/${claim.id}/validate`, headers: biller })
  ).json();
  expect(validation.problems.filter((p: { severity: string }) => p.severity === 'error')).toEqual([]);
  const submitted = await t.app.inject({
    method: 'POST',
    url: `/v1/claims/${claim.id}/submit`,
    headers: biller,
  });
  expect(submitted.statusCode, submitted.body).toBe(200);
  expect(submitted.json().claim.status).toBe('accepted');
  return claim;
}

describe('claims to cash', () => {
  it('submits, gets adjudicated, posts the 835, opens and appeals the denial, and posts once', async () => {
    const [visitPatient, mriPatient] = await commercialPatient(['anthem', 'uhc', 'cigna', 'aetna', 'bcbs']);
    const visit = await submit({
      patientId: visitPatient!.id,
      placeOfService: '11',
      diagnoses: ['E11.9', 'I10'],
      lines: [
        { procedureCode: '99213', units: 1, diagnosisPointers: [1, 2], serviceDate: today },
        { procedureCode: '80053', units: 1, diagnosisPointers: [1], serviceDate: today },
      ],
    });
    const mri = await submit({
      patientId: mriPatient!.id,
      placeOfService: '11',
      diagnoses: ['M17.11'],
      lines: [
        { procedureCode: '73721', modifiers: ['RT'], units: 1, diagnosisPointers: [1], serviceDate: today },
      ],
    });

    const fetched = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances/fetch',
      headers: biller,
      payload: {},
    });
    expect(fetched.statusCode, fetched.body).toBe(200);
    const reports = fetched.json().posted as Array<{ id: string; claims: Array<Record<string, unknown>> }>;
    const lines = reports.flatMap((r) => r.claims);
    const visitPosting = lines.find((c) => c.patientControlNumber === visit.patientControlNumber)!;
    const mriPosting = lines.find((c) => c.patientControlNumber === mri.patientControlNumber)!;
    expect(visitPosting).toMatchObject({ outcome: 'posted', status: 'paid' });
    expect(mriPosting).toMatchObject({ outcome: 'posted', status: 'denied', paidCents: 0 });
    expect(mriPosting.adjustments).toContainEqual(expect.objectContaining({ group: 'CO', reason: '197' }));

    // The claim carries what the 835 said: paid + patient responsibility + payer write-offs = charge.
    const paidClaim = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${visit.id}`, headers: biller })
    ).json();
    expect(paidClaim.status).toBe('paid');
    expect(paidClaim.paidCents).toBe(visitPosting.paidCents);
    expect(paidClaim.patientResponsibilityCents).toBe(visitPosting.patientResponsibilityCents);
    expect(paidClaim.paidCents + paidClaim.patientResponsibilityCents + paidClaim.adjustmentCents).toBe(
      paidClaim.totalChargeCents,
    );
    const pr = (visitPosting.adjustments as Array<{ group: string; amountCents: number }>)
      .filter((a) => a.group === 'PR')
      .reduce((s, a) => s + a.amountCents, 0);
    expect(paidClaim.patientResponsibilityCents).toBe(pr);

    const queue = (await t.app.inject({ method: 'GET', url: '/v1/denials', headers: biller })).json();
    const authorization = queue.groups.find((g: { category: string }) => g.category === 'authorization');
    expect(authorization.denials).toContainEqual(
      expect.objectContaining({ claimId: mri.id, groupCode: 'CO', reasonCode: '197', amountCents: 145_000 }),
    );
    const denialId = authorization.denials.find((d: { claimId: string }) => d.claimId === mri.id).id;

    const appeal = await t.app.inject({
      method: 'POST',
      url: `/v1/denials/${denialId}/appeals`,
      headers: biller,
    });
    expect(appeal.statusCode, appeal.body).toBe(201);
    const letter = appeal.json();
    expect(letter.text).toContain(mri.patientControlNumber);
    expect(letter.text).toContain('CO-197');
    expect(letter.text).toContain('73721');
    expect(letter.text).not.toMatch(/\.\./);
    expect(letter.letter.enclosures.length).toBeGreaterThanOrEqual(3);
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/claims/${mri.id}`, headers: biller })).json().status,
    ).toBe('appealed');

    const docx = await t.app.inject({
      method: 'GET',
      url: `/v1/appeals/${letter.id}/export?format=docx`,
      headers: biller,
    });
    expect(docx.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(docx.rawPayload);
    const documentXml = await zip.file('word/document.xml')!.async('string');
    expect(documentXml).toContain(mri.patientControlNumber);
    const pdf = await t.app.inject({
      method: 'GET',
      url: `/v1/appeals/${letter.id}/export?format=pdf`,
      headers: biller,
    });
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const bundle = await JSZip.loadAsync(
      (
        await t.app.inject({
          method: 'GET',
          url: `/v1/appeals/${letter.id}/export?format=zip`,
          headers: biller,
        })
      ).rawPayload,
    );
    expect(Object.keys(bundle.files)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/\.docx$/),
        expect.stringMatching(/\.pdf$/),
        'enclosures/claim-837.x12',
      ]),
    );

    // Reposting the same 835 changes nothing.
    const reportId = reports.find((r) =>
      r.claims.some((c) => c.patientControlNumber === visit.patientControlNumber),
    )!.id;
    // The 835 comes back exactly as received, from the encrypted, compressed copy kept with the posting.
    const download = await t.app.inject({
      method: 'GET',
      url: `/v1/remittances/${reportId}/x12`,
      headers: biller,
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toMatch(/^application\/edi-x12/);
    const x12 = download.rawPayload;
    expect(x12.subarray(0, 3).toString()).toBe('ISA');
    const stored = (
      await t.platform.db
        .selectFrom('remittances')
        .select('x12_enc')
        .where('id', '=', reportId)
        .executeTakeFirstOrThrow()
    ).x12_enc;
    expect(stored).not.toContain('ISA');
    expect(stored.length).toBeLessThan(x12.length * 1.4);
    const before = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${visit.id}`, headers: biller })
    ).json();
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances',
      headers: { ...biller, 'content-type': 'application/edi-x12' },
      payload: x12,
    });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, id: reportId });
    const after = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${visit.id}`, headers: biller })
    ).json();
    expect(after).toEqual(before);
  });

  it('rejects a malformed 835 and says where, posting nothing', async () => {
    const bad =
      'ISA*00*          *00*          *ZZ*00227          *ZZ*1987654328     *261121*1200*^*00501*000000101*0*P*:~GS*HP*00227*1987654328*20261121*1200*101*X*005010X221A1~ST*835*0001~BPR*I*ABC*C*ACH~SE*3*0001~GE*1*101~IEA*1*000000101~';
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances',
      headers: { ...biller, 'content-type': 'text/plain' },
      payload: bad,
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].path).toMatch(/^\/segments\/\d+$/);
    expect(
      (await t.platform.db.selectFrom('remittances').select('id').where('trace_number', '=', '').execute())
        .length,
    ).toBe(0);
  });

  it('takes the 835 as JSON {x12} or a multipart file, names /x12 or /file when missing, and documents all four', async () => {
    const post = (headers: Record<string, string>, payload: string) =>
      t.app.inject({ method: 'POST', url: '/v1/remittances', headers: { ...biller, ...headers }, payload });
    const json = { 'content-type': 'application/json' };
    for (const [body, message] of [
      ['{}', 'is required: the 835 as text'],
      ['{"x12": 835}', 'must be the 835 as text'],
      ['{"x12": "   "}', 'must be the 835 as text'],
    ] as const) {
      const res = await post(json, body);
      expect(res.statusCode, body).toBe(400);
      expect(res.json().errors).toEqual([{ path: '/x12', message }]);
    }
    const boundary = 'ix835';
    const empty = await post(
      { 'content-type': `multipart/form-data; boundary=${boundary}` },
      `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nno file\r\n--${boundary}--\r\n`,
    );
    expect(empty.statusCode).toBe(400);
    expect(empty.json().errors[0].path).toBe('/file');
    const bad =
      'ISA*00*          *00*          *ZZ*00227          *ZZ*1987654328     *261121*1200*^*00501*000000102*0*P*:~GS*HP*00227*1987654328*20261121*1200*102*X*005010X221A1~ST*835*0001~BPR*I*ABC*C*ACH~SE*3*0001~GE*1*102~IEA*1*000000102~';
    // Through JSON and multipart, the 835 reaches the same parser as a raw body: the same 422 naming the segment.
    for (const res of [
      await post(json, JSON.stringify({ x12: bad })),
      await post(
        { 'content-type': `multipart/form-data; boundary=${boundary}` },
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="era.835"\r\nContent-Type: application/edi-x12\r\n\r\n${bad}\r\n--${boundary}--\r\n`,
      ),
    ]) {
      expect(res.statusCode, res.body).toBe(422);
      expect(res.json().errors[0].path).toMatch(/^\/segments\/\d+$/);
    }
    const doc = (await t.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(Object.keys(doc.paths['/v1/remittances'].post.requestBody.content).sort()).toEqual([
      'application/edi-x12',
      'application/json',
      'multipart/form-data',
      'text/plain',
    ]);
  });

  it('flags a payment below the contract as an underpayment', async () => {
    const [, , patient] = await commercialPatient(['anthem', 'uhc', 'cigna', 'aetna', 'bcbs']);
    const claim = await submit({
      patientId: patient!.id,
      placeOfService: '11',
      diagnoses: ['I10'],
      lines: [{ procedureCode: '99213', units: 1, diagnosisPointers: [1], serviceDate: today }],
    });
    const expected = (
      await t.app.inject({
        method: 'GET',
        url: `/v1/claims/${claim.id}/expected-reimbursement`,
        headers: biller,
      })
    ).json();
    expect(expected.complete).toBe(true);
    expect(expected.expectedAllowedCents).toBeGreaterThan(0);
    const allowed = expected.expectedAllowedCents as number;
    const short = allowed - 1_500;
    const x12 = paying([{ claim, paidCents: short }], 'CHK778899', 4242);
    const posted = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances',
      headers: { ...biller, 'content-type': 'application/edi-x12' },
      payload: x12,
    });
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json().claims[0]).toMatchObject({
      outcome: 'posted',
      expectedCents: allowed,
      underpaidCents: 1_500,
    });
    expect(posted.json().totals.underpaidClaims).toBe(1);
    const report = (
      await t.app.inject({ method: 'GET', url: '/v1/contracts/underpayments', headers: biller })
    ).json();
    expect(report.claims).toContainEqual(
      expect.objectContaining({ patientControlNumber: claim.patientControlNumber, underpaidCents: 1_500 }),
    );
    expect(report.totalUnderpaidCents).toBeGreaterThanOrEqual(1_500);
  });

  it('a failure partway through posting leaves nothing behind, and the 835 posts once fixed', async () => {
    const patient = (await commercialPatient(['anthem', 'uhc', 'cigna', 'aetna', 'bcbs'])).at(-1);
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
    const visit = (day: string) =>
      submit({
        patientId: patient!.id,
        placeOfService: '11',
        diagnoses: ['I10'],
        lines: [{ procedureCode: '99213', units: 1, diagnosisPointers: [1], serviceDate: day }],
      });
    const first = await visit(daysAgo(3));
    const second = await visit(daysAgo(4));
    // The database refuses the second claim's update: its payment row and the first claim's are already queued.
    await sql
      .raw(`
        CREATE FUNCTION test_refuse_claim() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused for the test'; END $$;
        CREATE TRIGGER test_refuse_claim BEFORE UPDATE ON claims FOR EACH ROW
          WHEN (NEW.patient_control_number = '${second.patientControlNumber}') EXECUTE FUNCTION test_refuse_claim();
      `)
      .execute(t.platform.db);
    const x12 = paying(
      [
        { claim: first, paidCents: 5_000 },
        { claim: second, paidCents: 5_000 },
      ],
      'CHK990001',
      4243,
    );
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/remittances',
        headers: { ...biller, 'content-type': 'application/edi-x12' },
        payload: x12,
      });
    const failed = await post();
    expect(failed.statusCode).toBe(500);
    const traces = await t.platform.db
      .selectFrom('remittances')
      .select('id')
      .where('trace_number', '=', 'CHK990001')
      .execute();
    expect(traces).toEqual([]);
    const rows = await t.platform.db
      .selectFrom('remittance_claims')
      .select('id')
      .where('patient_control_number', 'in', [first.patientControlNumber, second.patientControlNumber])
      .execute();
    expect(rows).toEqual([]);
    const claim = (
      await t.app.inject({ method: 'GET', url: `/v1/claims/${first.id}`, headers: biller })
    ).json();
    expect(claim).toMatchObject({ status: 'accepted', paidCents: 0 });

    await sql
      .raw('DROP TRIGGER test_refuse_claim ON claims; DROP FUNCTION test_refuse_claim();')
      .execute(t.platform.db);
    const posted = await post();
    expect(posted.statusCode, posted.body).toBe(201);
    expect(posted.json().totals).toMatchObject({ claims: 2, applied: 2 });
  });
});
