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
