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
