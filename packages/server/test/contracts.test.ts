import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let biller: { authorization: string };

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 0 });
  biller = { authorization: await t.bearer('biller') };
});
afterAll(() => t.close());

const get = async (url: string) => t.app.inject({ method: 'GET', url, headers: biller });

describe('fee schedules', () => {
  it("lists a payer's rows and its percent-of-Medicare rule, filtered by code", async () => {
    const all = await get('/v1/contracts/anthem/fee-schedule');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().rules).toEqual([
      expect.objectContaining({ payerId: 'anthem', percentOfMedicare: 135 }),
    ]);
    expect(all.json().rows.every((r: { payerId: string }) => r.payerId === 'anthem')).toBe(true);
    const one = (await get('/v1/contracts/anthem/fee-schedule?code=99395')).json();
    expect(one.rows).toEqual([
      expect.objectContaining({ payerId: 'anthem', code: '99395', allowedCents: 16_500, source: 'contract' }),
    ]);
  });

  it('an unknown payer is a 404 naming the payer, not an empty schedule', async () => {
    for (const url of ['/v1/contracts/nosuchpayer/fee-schedule', '/v1/contracts/nosuchpayer/allowed/99213']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(res.json().errors).toEqual([expect.objectContaining({ path: '/payerId' })]);
    }
  });

  it('a malformed code is a 400 naming it', async () => {
    const res = await get('/v1/contracts/anthem/fee-schedule?code=9921');
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: '/query/code' })]);
  });
});

describe('allowed amounts', () => {
  it("percent of Medicare: anthem's 135% of $91.18 for 99213 is $123.09", async () => {
    const res = await get('/v1/contracts/anthem/allowed/99213');
    expect(res.statusCode, res.body).toBe(200);
    // 9118 × 1.35 = 12309.3 → 12309 cents.
    expect(res.json()).toMatchObject({ payerId: 'anthem', code: '99213', allowedCents: 12_309 });
  });

  it('the facility rate where Medicare pays less in a hospital outpatient setting (POS 22)', async () => {
    const res = await get('/v1/contracts/anthem/allowed/99213?pos=22');
    // 6530 × 1.35 = 8815.5 → 8816 cents (half away from zero).
    expect(res.json()).toMatchObject({ allowedCents: Math.round(6_530 * 1.35) });
  });

  it('a code no schedule or rule covers is a 404 naming the code', async () => {
    const res = await get('/v1/contracts/anthem/allowed/ZZZZZ');
    expect(res.statusCode).toBe(404);
    expect(res.json().errors).toEqual([expect.objectContaining({ path: '/code' })]);
  });
});

/** A posted 835 with `underpaid` claims paid short by 1, 2, 3 … cents and `paidInFull` claims paid in full. */
async function postRemittance(
  payerId: string | null,
  payerName: string,
  underpaid: number,
  paidInFull: number,
) {
  const db = t.platform.db;
  const { id } = await db
    .insertInto('remittances')
    .values({
      practice_id: t.seed!.practiceId,
      payer_id: payerId,
      payer_name: payerName,
      trace_number: `TRN${payerName.length}${underpaid}`,
      payment_cents: 0,
      payment_method: 'ACH',
      payment_date: '2026-11-02',
      provider_adjustment_cents: 0,
      provider_adjustments: '[]',
      content_hash: `${payerName}-${underpaid}-${paidInFull}`,
      source: 'test',
      claims_count: underpaid + paidInFull,
      matched_count: 0,
      unmatched_count: underpaid + paidInFull,
      error_count: 0,
      warnings: '[]',
      x12_enc: 'none',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await sql`
    INSERT INTO remittance_claims (remittance_id, position, patient_control_number, status_code, charge_cents,
      paid_cents, patient_responsibility_cents, expected_cents, underpaid_cents, outcome, adjustments, lines)
    SELECT ${id}, n, 'PCN' || n, '1', 10000, 9000 - (CASE WHEN n <= ${underpaid} THEN n ELSE 0 END), 0, 9000,
      CASE WHEN n <= ${underpaid} THEN n ELSE 0 END, 'unmatched', '[]', '[]'
    FROM generate_series(1, ${underpaid + paidInFull}) AS n
  `.execute(db);
}

describe('underpayment report', () => {
  it('totals every underpaid claim by payer and lists the largest 1000', async () => {
    await postRemittance('anthem', 'ANTHEM BLUE CROSS', 1_100, 50);
    await postRemittance(null, 'SMALL TPA', 3, 10);
    const res = await t.app.inject({ method: 'GET', url: '/v1/contracts/underpayments', headers: biller });
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    // 1 + 2 + … + 1100 = 605,550 cents from anthem, 1 + 2 + 3 = 6 from the unknown payer.
    expect(report.totalUnderpaidCents).toBe(605_556);
    expect(report.underpaidClaims).toBe(1_103);
    expect(report.byPayer).toEqual([
      { payerId: 'anthem', payerName: 'ANTHEM BLUE CROSS', claims: 1_100, underpaidCents: 605_550 },
      { payerId: null, payerName: 'SMALL TPA', claims: 3, underpaidCents: 6 },
    ]);
    expect(report.claims).toHaveLength(1_000);
    expect(report.claims[0]).toMatchObject({ payerId: 'anthem', underpaidCents: 1_100, paidCents: 7_900 });
    expect(report.claims.at(-1).underpaidCents).toBe(101);

    const filtered = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/contracts/underpayments?payerId=anthem',
        headers: biller,
      })
    ).json();
    expect(filtered.underpaidClaims).toBe(1_100);
    expect(filtered.byPayer).toHaveLength(1);
  });
});
