import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { npiFrom } from '../src/modules/demo/seed.ts';
import { startTestContext, type TestContext } from './harness.ts';

let t: TestContext;
let frontDesk: Record<string, string>;
let admin: Record<string, string>;
let physician: Record<string, string>;

beforeAll(async () => {
  t = await startTestContext({ seedPatients: 12 });
  frontDesk = { authorization: await t.bearer('front_desk') };
  admin = { authorization: await t.bearer('admin') };
  physician = { authorization: await t.bearer('physician') };
});
afterAll(() => t.close());

const maria = {
  firstName: 'Maria',
  lastName: 'Alvarez',
  dateOfBirth: '1984-07-22',
  sex: 'female',
  ssn: '219-09-9999',
  phone: '(614) 555-0142',
  email: 'maria.alvarez@example.com',
  address: { line1: '1450 Oak Street', city: 'Columbus', state: 'OH', postalCode: '43215' },
  notes: 'Prefers morning appointments',
  coverages: [
    {
      payerId: 'anthem',
      memberId: 'XGH123456789',
      planType: 'PPO',
      planName: 'Anthem Blue Access PPO',
      groupNumber: 'G0045123',
      effectiveDate: '2026-01-01',
    },
  ],
};

describe('patients', () => {
  it('creates a patient with coverage and reads it back', async () => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/v1/patients',
      headers: frontDesk,
      payload: maria,
    });
    expect(created.statusCode).toBe(201);
    const patient = created.json();
    expect(patient).toMatchObject({
      firstName: 'Maria',
      lastName: 'Alvarez',
      dateOfBirth: '1984-07-22',
      ssnLast4: '9999',
      mrn: expect.stringMatching(/^MRN\d+$/),
    });
    expect(patient.coverages[0]).toMatchObject({
      payerId: 'anthem',
      payerName: 'Anthem Blue Cross',
      memberId: 'XGH123456789',
      relationship: 'self',
      priority: 1,
      active: true,
    });
    const read = await t.app.inject({ method: 'GET', url: `/v1/patients/${patient.id}`, headers: physician });
    expect(read.statusCode).toBe(200);
    expect(read.json()).toEqual(patient);
  });

  it('stores PHI encrypted at rest', async () => {
    const { rows } = await sql<Record<string, unknown>>`SELECT * FROM patients`.execute(t.platform.db);
    const all = JSON.stringify(rows);
    expect(all).not.toContain('Alvarez');
    expect(all).not.toContain('1984-07-22');
    expect(all).not.toContain('219099999');
    expect(all).not.toContain('Oak Street');
    const coverage = JSON.stringify((await sql`SELECT * FROM coverages`.execute(t.platform.db)).rows);
    expect(coverage).not.toContain('XGH123456789');
  });

  it('finds patients by exact name, date of birth, member id and phone through blind indexes', async () => {
    for (const query of [
      'lastName=alvarez',
      'lastName=ALVAREZ&firstName=maria',
      'dateOfBirth=1984-07-22',
      'memberId=XGH123456789',
      'phone=6145550142',
      'ssn=219099999',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: `/v1/patients?${query}`, headers: frontDesk });
      expect(res.statusCode, query).toBe(200);
      expect(
        res.json().items.map((p: { lastName: string }) => p.lastName),
        query,
      ).toEqual(['Alvarez']);
    }
    const none = await t.app.inject({
      method: 'GET',
      url: '/v1/patients?lastName=Alvarado',
      headers: frontDesk,
    });
    expect(none.json().items).toEqual([]);
  });

  it('pages through patients with a cursor', async () => {
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const url: string = `/v1/patients?limit=5${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.app.inject({ method: 'GET', url, headers: frontDesk })).json();
      for (const p of page.items) seen.add(p.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(13);
    const bad = await t.app.inject({ method: 'GET', url: '/v1/patients?cursor=garbage', headers: frontDesk });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/query/cursor');
  });

  it('audits reads and searches with who, what, purpose and request id', async () => {
    const list = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?limit=1', headers: physician })
    ).json();
    const id = list.items[0].id;
    await t.app.inject({
      method: 'GET',
      url: `/v1/patients/${id}`,
      headers: { ...physician, 'x-request-id': 'trace-abcdef12', 'x-purpose-of-use': 'treatment' },
    });
    const event = await t.platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('request_id', '=', 'trace-abcdef12')
      .executeTakeFirstOrThrow();
    expect(event).toMatchObject({
      action: 'patient.read',
      resource_type: 'patient',
      resource_id: id,
      purpose: 'treatment',
      actor_role: 'physician',
      outcome: 'success',
    });
    expect(event.ip).toBeTruthy();
    const search = await t.platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'patient.search')
      .orderBy('seq', 'desc')
      .executeTakeFirstOrThrow();
    expect((search.details as { patientIds: string[] }).patientIds).toContain(id);
    const badPurpose = await t.app.inject({
      method: 'GET',
      url: `/v1/patients/${id}`,
      headers: { ...physician, 'x-purpose-of-use': 'curiosity' },
    });
    expect(badPurpose.statusCode).toBe(400);
    expect(badPurpose.json().errors[0].path).toBe('/headers/x-purpose-of-use');
  });

  it('names every bad field', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...maria, firstName: 42 }, '/firstName'],
      [{ ...maria, lastName: undefined }, '/lastName'],
      [{ ...maria, dateOfBirth: '1984-13-40' }, '/dateOfBirth'],
      [{ ...maria, dateOfBirth: '2999-01-01' }, '/dateOfBirth'],
      [{ ...maria, sex: 'F' }, '/sex'],
      [{ ...maria, ssn: '000-12-3456' }, '/ssn'],
      [{ ...maria, address: { ...maria.address, state: 'Ohio' } }, '/address/state'],
      [{ ...maria, coverages: [{ ...maria.coverages[0], payerId: 'acme' }] }, '/coverages/0/payerId'],
      [{ ...maria, coverages: [{ ...maria.coverages[0], memberId: 'AB~12' }] }, '/coverages/0/memberId'],
      [
        { ...maria, coverages: [{ ...maria.coverages[0], relationship: 'child' }] },
        '/coverages/0/subscriber',
      ],
      [{ ...maria, favouriteColour: 'blue' }, '/favouriteColour'],
    ];
    for (const [payload, path] of cases) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/patients',
        headers: frontDesk,
        payload: payload as object,
      });
      expect(res.statusCode, path).toBe(400);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(
        res.json().errors.map((e: { path: string }) => e.path),
        path,
      ).toContain(path);
    }
  });

  it('answers an unknown patient with 404 naming it', async () => {
    const id = randomUUID();
    const res = await t.app.inject({ method: 'GET', url: `/v1/patients/${id}`, headers: frontDesk });
    expect(res.statusCode).toBe(404);
    expect(res.json().detail).toContain(id);
    const encounter = await t.app.inject({
      method: 'POST',
      url: '/v1/encounters',
      headers: physician,
      payload: {
        patientId: id,
        providerId: randomUUID(),
        dateOfService: '2026-03-02',
        placeOfService: '11',
        encounterType: 'office_visit',
        diagnoses: [],
        procedures: [],
      },
    });
    expect(encounter.statusCode).toBe(400);
    expect(encounter.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/patientId',
      '/providerId',
    ]);
  });

  it('writes nothing when a multi-row write fails midway', async () => {
    // A trigger makes the second coverage insert fail inside the transaction, after the patient row is written.
    await sql`
      CREATE FUNCTION fail_on_group() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN IF NEW.group_number = 'FAIL-ME' THEN RAISE EXCEPTION 'forced failure'; END IF; RETURN NEW; END $$;
      CREATE TRIGGER fail_on_group BEFORE INSERT ON coverages FOR EACH ROW EXECUTE FUNCTION fail_on_group();
    `.execute(t.platform.db);
    try {
      const before = await sql<{
        p: number;
        c: number;
      }>`SELECT (SELECT count(*) FROM patients)::int AS p, (SELECT count(*) FROM coverages)::int AS c`.execute(
        t.platform.db,
      );
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/patients',
        headers: frontDesk,
        payload: {
          ...maria,
          firstName: 'Half',
          lastName: 'Written',
          coverages: [
            maria.coverages[0],
            {
              ...maria.coverages[0],
              payerId: 'cigna',
              priority: 2,
              memberId: 'U12345678',
              groupNumber: 'FAIL-ME',
            },
          ],
        },
      });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toMatchObject({ status: 500, requestId: expect.any(String) });
      expect(res.body).not.toContain('forced failure');
      const after = await sql<{
        p: number;
        c: number;
      }>`SELECT (SELECT count(*) FROM patients)::int AS p, (SELECT count(*) FROM coverages)::int AS c`.execute(
        t.platform.db,
      );
      expect(after.rows[0]).toEqual(before.rows[0]);
      const search = await t.app.inject({
        method: 'GET',
        url: '/v1/patients?lastName=Written',
        headers: frontDesk,
      });
      expect(search.json().items).toEqual([]);
    } finally {
      await sql`DROP TRIGGER fail_on_group ON coverages; DROP FUNCTION fail_on_group();`.execute(
        t.platform.db,
      );
    }
  });

  it('updates and deactivates a patient', async () => {
    const id = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?lastName=Alvarez', headers: frontDesk })
    ).json().items[0].id;
    const patched = await t.app.inject({
      method: 'PATCH',
      url: `/v1/patients/${id}`,
      headers: frontDesk,
      payload: { lastName: 'Alvarez-Ruiz', phone: '614-555-0199' },
    });
    expect(patched.json()).toMatchObject({
      lastName: 'Alvarez-Ruiz',
      phone: '614-555-0199',
      firstName: 'Maria',
    });
    expect(
      (
        await t.app.inject({ method: 'GET', url: '/v1/patients?lastName=Alvarez-Ruiz', headers: frontDesk })
      ).json().items,
    ).toHaveLength(1);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/patients/${id}`, headers: admin })).statusCode,
    ).toBe(204);
    expect(
      (
        await t.app.inject({ method: 'GET', url: '/v1/patients?lastName=Alvarez-Ruiz', headers: frontDesk })
      ).json().items,
    ).toHaveLength(0);
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: '/v1/patients?lastName=Alvarez-Ruiz&includeInactive=true',
          headers: frontDesk,
        })
      ).json().items,
    ).toHaveLength(1);
  });
});

describe('coverages', () => {
  it('adds, changes and removes a coverage, validating dates', async () => {
    const id = (await t.app.inject({ method: 'GET', url: '/v1/patients?limit=1', headers: frontDesk })).json()
      .items[0].id;
    const added = await t.app.inject({
      method: 'POST',
      url: `/v1/patients/${id}/coverages`,
      headers: frontDesk,
      payload: {
        payerId: 'aetna',
        priority: 2,
        memberId: 'W123456789',
        relationship: 'spouse',
        subscriber: { firstName: 'Luis', lastName: 'Garcia', dateOfBirth: '1980-02-11' },
        effectiveDate: '2026-01-01',
      },
    });
    expect(added.statusCode).toBe(201);
    const coverage = added.json();
    expect(coverage.subscriber).toEqual({ firstName: 'Luis', lastName: 'Garcia', dateOfBirth: '1980-02-11' });
    const bad = await t.app.inject({
      method: 'PATCH',
      url: `/v1/coverages/${coverage.id}`,
      headers: frontDesk,
      payload: { terminationDate: '2025-06-30' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/terminationDate');
    const ended = await t.app.inject({
      method: 'PATCH',
      url: `/v1/coverages/${coverage.id}`,
      headers: frontDesk,
      payload: { terminationDate: '2026-02-28' },
    });
    expect(ended.json()).toMatchObject({ terminationDate: '2026-02-28', active: false });
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/v1/coverages/${coverage.id}`, headers: frontDesk }))
        .statusCode,
    ).toBe(204);
    expect(
      (await t.app.inject({ method: 'GET', url: `/v1/patients/${id}/coverages`, headers: frontDesk }))
        .json()
        .map((c: { id: string }) => c.id),
    ).not.toContain(coverage.id);
  });
});

describe('providers', () => {
  it('validates the NPI check digit', async () => {
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/providers',
      headers: admin,
      payload: { npi: '1234567890', firstName: 'Ana', lastName: 'Lopez', credentials: 'MD' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors).toEqual([{ path: '/npi', message: expect.stringContaining('check digit') }]);
    const shape = await t.app.inject({
      method: 'POST',
      url: '/v1/providers',
      headers: admin,
      payload: { npi: '12345', lastName: 'Lopez' },
    });
    expect(shape.json().errors[0].path).toBe('/npi');
    const npi = npiFrom('159876543');
    const good = await t.app.inject({
      method: 'POST',
      url: '/v1/providers',
      headers: admin,
      payload: { npi, firstName: 'Ana', lastName: 'Lopez', credentials: 'MD', taxonomyCode: '207Q00000X' },
    });
    expect(good.statusCode).toBe(201);
    const again = await t.app.inject({
      method: 'POST',
      url: '/v1/providers',
      headers: admin,
      payload: { npi, lastName: 'Lopez' },
    });
    expect(again.statusCode).toBe(409);
    const list = (await t.app.inject({ method: 'GET', url: '/v1/providers', headers: frontDesk })).json();
    expect(list.map((p: { npi: string }) => p.npi)).toContain(npi);
  });
});

describe('encounters and appointments', () => {
  it('records an encounter with real ICD-10-CM codes and refuses unknown codes and pointers', async () => {
    const patientId = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?limit=1', headers: frontDesk })
    ).json().items[0].id;
    const providerId = (
      await t.app.inject({ method: 'GET', url: '/v1/providers', headers: frontDesk })
    ).json()[0].id;
    const base = {
      patientId,
      providerId,
      dateOfService: '2026-03-02',
      placeOfService: '11',
      encounterType: 'office_visit',
    };
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/encounters',
      headers: physician,
      payload: {
        ...base,
        diagnoses: [{ code: 'E11.9' }, { code: 'I10' }],
        procedures: [{ code: '99214', units: 1, chargeCents: 21000, diagnosisPointers: [1, 2] }],
        notes: 'A1c reviewed',
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({
      status: 'open',
      notes: 'A1c reviewed',
      diagnoses: [{ code: 'E11.9' }, { code: 'I10' }],
    });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/encounters',
      headers: physician,
      payload: {
        ...base,
        diagnoses: [{ code: 'E11.9' }, { code: 'Q99.99' }],
        procedures: [{ code: '99214', units: 1, diagnosisPointers: [3] }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors.map((e: { path: string }) => e.path)).toEqual([
      '/diagnoses/1/code',
      '/procedures/0/diagnosisPointers/0',
    ]);
    const listed = (
      await t.app.inject({ method: 'GET', url: `/v1/encounters?patientId=${patientId}`, headers: physician })
    ).json();
    expect(listed.items.map((e: { id: string }) => e.id)).toContain(ok.json().id);
  });

  it('books, reschedules and completes an appointment', async () => {
    const patientId = (
      await t.app.inject({ method: 'GET', url: '/v1/patients?limit=1', headers: frontDesk })
    ).json().items[0].id;
    const providerId = (
      await t.app.inject({ method: 'GET', url: '/v1/providers', headers: frontDesk })
    ).json()[0].id;
    const booked = await t.app.inject({
      method: 'POST',
      url: '/v1/appointments',
      headers: frontDesk,
      payload: {
        patientId,
        providerId,
        startsAt: '2026-12-01T14:00:00.000Z',
        endsAt: '2026-12-01T14:20:00.000Z',
        appointmentType: 'follow_up',
        reason: 'BP check',
      },
    });
    expect(booked.statusCode).toBe(201);
    const id = booked.json().id;
    const backwards = await t.app.inject({
      method: 'PATCH',
      url: `/v1/appointments/${id}`,
      headers: frontDesk,
      payload: { endsAt: '2026-12-01T13:00:00.000Z' },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors[0].path).toBe('/endsAt');
    const done = await t.app.inject({
      method: 'PATCH',
      url: `/v1/appointments/${id}`,
      headers: frontDesk,
      payload: { status: 'checked_in' },
    });
    expect(done.json()).toMatchObject({ status: 'checked_in', reason: 'BP check' });
    const day = (
      await t.app.inject({
        method: 'GET',
        url: '/v1/appointments?from=2026-12-01T00:00:00.000Z&to=2026-12-02T00:00:00.000Z',
        headers: frontDesk,
      })
    ).json();
    expect(day.items.map((a: { id: string }) => a.id)).toEqual([id]);
  });
});
