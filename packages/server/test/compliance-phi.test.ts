/**
 * PHI everywhere in the platform: the scan and de-identify API (role-restricted, audited by counts only), the
 * logger's de-identification of free text, and the guard for text bound for models outside the machine.
 */
import { Writable } from 'node:stream';
import { containsPhi } from '@intelluxe/phi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, maskFreeTextFields } from '../src/platform/logger.ts';
import { deidentifyForModel } from '../src/platform/phi-guard.ts';
import { startTestContext, type TestContext } from './harness.ts';

const NOTE = 'Mrs. Maria Alvarez (DOB 07/22/1984) called from 614-555-0142 about her visit on 03/14/2026.';

describe('PHI API', () => {
  let t: TestContext;
  let biller: Record<string, string>;

  beforeAll(async () => {
    t = await startTestContext({ seedPatients: 1 });
    biller = { authorization: await t.bearer('biller') };
  });
  afterAll(() => t.close());

  it('scans text and audits only the counts per type', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/phi/scan',
      headers: biller,
      payload: { text: NOTE },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.containsPhi).toBe(true);
    const found = body.spans.map((s: { start: number; end: number }) => NOTE.slice(s.start, s.end));
    expect(found).toContain('614-555-0142');
    expect(body.counts.PHONE).toBe(1);
    expect(body.counts.DATE).toBeGreaterThanOrEqual(2);

    const event = await t.platform.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'phi.scan')
      .executeTakeFirstOrThrow();
    expect(event.details).toMatchObject({ characters: NOTE.length, counts: body.counts });
    const stored = JSON.stringify(event);
    for (const value of ['Alvarez', '614-555-0142', '07/22/1984', 'Maria'])
      expect(stored).not.toContain(value);
  });

  it('de-identifies in every mode', async () => {
    const run = async (mode: string, patientKey?: string) => {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/phi/deidentify',
        headers: biller,
        payload: { text: NOTE, mode, ...(patientKey && { patientKey }) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json();
    };
    const masked = await run('mask');
    expect(masked.text).toContain('[PHONE]');
    expect(masked.text).not.toContain('614-555-0142');
    const redacted = await run('redact');
    expect(redacted.text).toHaveLength(NOTE.length);
    expect(redacted.text).toContain('************');
    const pseudo = await run('pseudonymize', 'patient-100231');
    expect(pseudo.text).not.toContain('Alvarez');
    expect((await run('pseudonymize', 'patient-100231')).text).toBe(pseudo.text);
    expect((await run('pseudonymize', 'patient-100232')).text).not.toBe(pseudo.text);
    const shifted = await run('dateshift', 'patient-100231');
    expect(shifted.text).not.toContain('03/14/2026');
    expect(shifted.text).toContain('[NAME]');
    expect(shifted.counts.DATE).toBeGreaterThanOrEqual(2);

    const events = await t.platform.db
      .selectFrom('audit_events')
      .select('details')
      .where('action', '=', 'phi.deidentify')
      .execute();
    expect(events.map((e) => e.details.mode)).toEqual(
      expect.arrayContaining(['mask', 'redact', 'pseudonymize', 'dateshift']),
    );
    expect(JSON.stringify(events)).not.toContain('Alvarez');
  });

  it('lets only the listed roles use it and checks the mode', async () => {
    const frontDesk = { authorization: await t.bearer('front_desk') };
    const refused = await t.app.inject({
      method: 'POST',
      url: '/v1/phi/scan',
      headers: frontDesk,
      payload: { text: NOTE },
    });
    expect(refused.statusCode).toBe(403);
    for (const role of ['admin', 'compliance_officer', 'physician'] as const) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/phi/deidentify',
        headers: { authorization: await t.bearer(role) },
        payload: { text: 'Call 614-555-0142', mode: 'mask' },
      });
      expect(res.statusCode, role).toBe(200);
    }
    const bad = await t.app.inject({
      method: 'POST',
      url: '/v1/phi/deidentify',
      headers: biller,
      payload: { text: NOTE, mode: 'shred' },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().errors[0].path).toBe('/mode');
  });
});

describe('logger', () => {
  function capture() {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk, _enc, done) {
        for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
        done();
      },
    });
    return { logger: createLogger('info', stream), lines };
  }

  it('de-identifies free-text fields and keeps the rest of the line', () => {
    const { logger, lines } = capture();
    logger.info(
      { claimId: 'CLM-2026-000143', notes: NOTE, details: { reason: 'Spoke with Maria Alvarez' } },
      'claim note',
    );
    const line = lines[0]!;
    expect(line.claimId).toBe('CLM-2026-000143');
    expect(line.msg).toBe('claim note');
    expect(String(line.notes)).toContain('[PHONE]');
    expect(JSON.stringify(line)).not.toContain('614-555-0142');
    expect(JSON.stringify(line)).not.toContain('Alvarez');
  });

  it('still censors structured identifiers by path, and de-identifies values logged under phi', () => {
    const { logger, lines } = capture();
    logger.info(
      { patient: { firstName: 'Maria', ssn: '219-09-9999' }, phi: { text: NOTE } },
      'patient loaded',
    );
    const out = JSON.stringify(lines[0]);
    expect(out).toContain('[REDACTED]');
    expect(out).not.toContain('219-09-9999');
    expect(out).not.toContain('614-555-0142');
  });

  it('de-identifies warning and error messages and error texts', () => {
    const { logger, lines } = capture();
    logger.warn(`eligibility check failed for Maria Alvarez, 614-555-0142`);
    logger.error({ err: new Error('member lookup failed for SSN 219-09-9999') }, 'payer error');
    const out = JSON.stringify(lines);
    expect(out).not.toContain('614-555-0142');
    expect(out).not.toContain('219-09-9999');
    expect(lines[1]!.msg).toBe('payer error');
  });

  it('leaves ordinary log objects alone (no copy, no scan)', () => {
    const object = { route: '/v1/patients/:id', status: 200, ms: 3.2 };
    expect(maskFreeTextFields(object)).toBe(object);
  });
});

describe('PHI guard for outside models', () => {
  const key = Buffer.alloc(32, 9);

  it('replaces identifiers with surrogates that are stable per patient', () => {
    const first = deidentifyForModel(NOTE, 'patient-7', key);
    expect(first.text).not.toContain('Alvarez');
    expect(first.text).not.toContain('614-555-0142');
    expect(first.replaced.PHONE).toBe(1);
    expect(deidentifyForModel(NOTE, 'patient-7', key).text).toBe(first.text);
    expect(deidentifyForModel(NOTE, 'patient-8', key).text).not.toBe(first.text);
    expect(deidentifyForModel(NOTE, 'patient-7', Buffer.alloc(32, 1)).text).not.toBe(first.text);
  });

  it('keeps clinical content', () => {
    const text = 'BP 120/80, Lisinopril 10 mg daily; A1c 7.2%. ICD-10 E11.9.';
    expect(containsPhi(text)).toBe(false);
    expect(deidentifyForModel(text, 'patient-7', key)).toEqual({ text, replaced: {} });
  });
});
