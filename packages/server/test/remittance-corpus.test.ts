import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

const corpus = join(import.meta.dirname, '../../../../shared/corpora/x12/835');
const files = readdirSync(corpus).filter((f) => f.endsWith('.x12'));

let t: TestContext;
let biller: Record<string, string>;
beforeAll(async () => {
  t = await startTestContext({ seedPatients: 1 });
  biller = { authorization: await t.bearer('biller') };
});
afterAll(() => t.close());

describe('posting the public 835 corpus', () => {
  it.each(files)('%s posts or is refused with located errors, never crashes', async (file) => {
    const x12 = readFileSync(join(corpus, file));
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances',
      headers: { ...biller, 'content-type': 'application/edi-x12' },
      payload: x12,
    });
    expect([200, 201, 422], `${file}: ${res.body.slice(0, 300)}`).toContain(res.statusCode);
    const body = res.json();
    if (res.statusCode === 422) {
      expect(body.errors.length).toBeGreaterThan(0);
      expect(body.errors[0].path).toMatch(/^\/segments\/-?\d+$/);
      return;
    }
    // None of these claims exist in the demo practice: every one is reported unmatched, clearly.
    expect(body.totals.claims).toBeGreaterThan(0);
    expect(body.totals.unmatched).toBe(body.totals.claims);
    for (const claim of body.claims) {
      expect(claim.outcome).toBe('unmatched');
      expect(claim.message).toContain(claim.patientControlNumber);
    }
  });

  it('refuses the deliberately invalid file', async () => {
    const x12 = readFileSync(join(corpus, 'invalid_badx12_error_validation.x12'), 'latin1');
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/remittances',
      headers: { ...biller, 'content-type': 'text/plain' },
      payload: x12,
    });
    expect(res.statusCode).toBe(422);
  });
});
