/**
 * Keyset pages on (created_at, id): rows written within one millisecond, at different microseconds, are each
 * listed exactly once, newest first, when paged one row at a time (a cursor cut to the millisecond skipped them).
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let practiceId: string;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 1 });
  practiceId = (await t.platform.db.selectFrom('practices').select('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

/** Six timestamps in one millisecond, then one a millisecond earlier; the list should come back in this order. */
const STAMPS = [
  '2026-11-20T10:00:00.123999Z',
  '2026-11-20T10:00:00.123900Z',
  '2026-11-20T10:00:00.123456Z',
  '2026-11-20T10:00:00.123455Z',
  '2026-11-20T10:00:00.123001Z',
  '2026-11-20T10:00:00.123000Z',
  '2026-11-20T10:00:00.122999Z',
];

/** A patient of the demo practice and a provider, for rows that need them. */
async function someVisit(): Promise<{ patient_id: string; provider_id: string }> {
  const patient = await t.platform.db.selectFrom('patients').select('id').executeTakeFirstOrThrow();
  const provider = await t.platform.db.selectFrom('providers').select('id').executeTakeFirstOrThrow();
  return { patient_id: patient.id, provider_id: provider.id };
}

/** Pages through `url` one row at a time and returns the ids in the order listed. */
async function pageThrough(url: string, authorization: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res = await t.app.inject({
      method: 'GET',
      url: `${url}${url.includes('?') ? '&' : '?'}limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      headers: { authorization },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as { items: Array<{ id: string }>; nextCursor: string | null };
    ids.push(...body.items.map((i) => i.id));
    cursor = body.nextCursor;
    if (!cursor) break;
  }
  return ids;
}

describe('keyset cursors keep microseconds', () => {
  it('lists security alerts of one millisecond once each', async () => {
    const ids = STAMPS.map(() => randomUUID());
    for (const [k, at] of STAMPS.entries()) {
      await sql`INSERT INTO security_alerts (id, practice_id, rule_id, risk_level, title, subject, first_event_at,
          last_event_at, event_count, evidence, created_at)
        VALUES (${ids[k]}::uuid, ${practiceId}::uuid, 'break_glass', 'low', 'keyset', 'keyset-subject', ${at}::timestamptz,
          ${at}::timestamptz, 1, '[]', ${at}::timestamptz)`.execute(t.platform.db);
    }
    const listed = await pageThrough(
      '/v1/compliance/alerts?subject=keyset-subject',
      await t.bearer('compliance_officer'),
    );
    expect(listed).toEqual(ids);
  });

  it('lists AI interaction traces of one millisecond once each', async () => {
    const ids = STAMPS.map(() => randomUUID());
    for (const [k, at] of STAMPS.entries()) {
      await sql`INSERT INTO ai_interactions (id, practice_id, feature, provider, model, prompt_hash, latency_ms,
          outcome, created_at)
        VALUES (${ids[k]}::uuid, ${practiceId}::uuid, 'keyset_test', 'fallback', 'none', ${'0'.repeat(64)}, 1, 'ok',
          ${at}::timestamptz)`.execute(t.platform.db);
    }
    const listed = await pageThrough('/v1/ai/interactions?feature=keyset_test', await t.bearer('admin'));
    expect(listed).toEqual(ids);
  });

  it('lists remittances of one millisecond once each', async () => {
    const ids = STAMPS.map(() => randomUUID());
    for (const [k, at] of STAMPS.entries()) {
      await sql`INSERT INTO remittances (id, practice_id, payer_name, trace_number, payment_cents, payment_method,
          content_hash, source, claims_count, matched_count, unmatched_count, error_count, x12_enc, created_at)
        VALUES (${ids[k]}::uuid, ${practiceId}::uuid, 'KEYSET PAYER', ${`TRN${k}`}, 100, 'ACH', ${`keyset-${k}`},
          'test', 0, 0, 0, 0, '', ${at}::timestamptz)`.execute(t.platform.db);
    }
    const listed = await pageThrough('/v1/remittances', await t.bearer('biller'));
    expect(listed).toEqual(ids);
  });

  it('lists appointments starting within one millisecond once each, in order', async () => {
    const { patient_id, provider_id } = await someVisit();
    const ids = STAMPS.map(() => randomUUID());
    for (const [k, at] of STAMPS.entries()) {
      await sql`INSERT INTO appointments (id, practice_id, patient_id, provider_id, starts_at, ends_at, status,
          appointment_type)
        VALUES (${ids[k]}::uuid, ${practiceId}::uuid, ${patient_id}::uuid, ${provider_id}::uuid, ${at}::timestamptz,
          ${at}::timestamptz + interval '30 minutes', 'scheduled', 'keyset')`.execute(t.platform.db);
    }
    // Ascending by start: the earliest stamp first.
    const listed = await pageThrough(
      '/v1/appointments?from=2026-11-20T09:00:00Z&to=2026-11-20T11:00:00Z',
      await t.bearer('front_desk'),
    );
    expect(listed).toEqual([...ids].reverse());
  });

  it('lists encounters of one day once each, across pages', async () => {
    const { patient_id, provider_id } = await someVisit();
    const ids = Array.from({ length: 5 }, () => randomUUID()).sort();
    for (const id of ids) {
      await sql`INSERT INTO encounters (id, practice_id, patient_id, provider_id, date_of_service, place_of_service,
          encounter_type, status)
        VALUES (${id}::uuid, ${practiceId}::uuid, ${patient_id}::uuid, ${provider_id}::uuid, '2026-11-19', '11',
          'office', 'open')`.execute(t.platform.db);
    }
    const listed = await pageThrough(
      '/v1/encounters?from=2026-11-19&to=2026-11-19',
      await t.bearer('physician'),
    );
    expect(listed).toEqual(ids);
  });

  it('refuses a cursor it did not make, naming the parameter', async () => {
    const bad = Buffer.from(JSON.stringify(['yesterday', 'not-an-id'])).toString('base64url');
    for (const [url, role] of [
      ['/v1/compliance/alerts', 'compliance_officer'],
      ['/v1/ai/interactions', 'admin'],
      ['/v1/remittances', 'biller'],
      ['/v1/appointments', 'front_desk'],
      ['/v1/encounters', 'physician'],
      ['/v1/eligibility/checks', 'front_desk'],
      ['/v1/prior-auths', 'front_desk'],
    ] as const) {
      const res = await t.app.inject({
        method: 'GET',
        url: `${url}?cursor=${bad}`,
        headers: { authorization: await t.bearer(role) },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors).toEqual([
        { path: '/query/cursor', message: 'is not a cursor from this endpoint' },
      ]);
    }
    // A cursor of the right length but not a sequence number.
    const notSeq = Buffer.from(JSON.stringify(['abc'])).toString('base64url');
    for (const url of ['/v1/eligibility/checks', '/v1/prior-auths']) {
      const res = await t.app.inject({
        method: 'GET',
        url: `${url}?cursor=${notSeq}`,
        headers: { authorization: await t.bearer('front_desk') },
      });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().errors[0].path).toBe('/query/cursor');
    }
  });
});
