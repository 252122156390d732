import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { loadConfig } from '../src/platform/config.ts';
import { startPlatform, stopPlatform } from '../src/platform/platform.ts';
import { createServices } from '../src/services.ts';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase } from './harness.ts';

function fakeIo() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (text) => out.push(text),
    readStdin: async () => '',
    async *stdinLines() {},
  };
  return { io, out, err };
}

let dataDir: string;
let database: TestDatabase;
const saved = { ...process.env };
let npi: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'ix-elig-cli-'));
  database = await createTestDatabase();
  Object.assign(process.env, {
    DATA_DIR: dataDir,
    INTELLUXE_MASTER_KEY: TEST_MASTER_KEY,
    LOG_LEVEL: 'silent',
    INTELLUXE_ENV: 'test',
    INTELLUXE_DEMO_PASSWORD: 'intelluxe-demo',
    JOBS_ENABLED: 'false',
  });
  if (database.url) process.env.DATABASE_URL = database.url;
  expect(await main(['seed-demo', '--patients', '3'], fakeIo().io)).toBe(0);
  const platform = await startPlatform(loadConfig(), { work: false });
  try {
    const services = createServices(platform);
    const practice = await platform.db.selectFrom('practices').select('id').executeTakeFirstOrThrow();
    npi = (await services.patients.defaultRenderingProvider(practice.id))!.npi;
    await services.patients.createPatient(
      {
        actorType: 'system',
        actorId: 'test',
        actorRole: null,
        practiceId: practice.id,
        purpose: 'operations',
        ip: null,
        userAgent: null,
        requestId: null,
      },
      {
        firstName: 'Owen',
        lastName: 'Brandt',
        dateOfBirth: '1969-03-08',
        sex: 'male',
        coverages: [
          {
            payerId: 'bcbs',
            memberId: 'ZGP800000001',
            planName: 'BCBS Blue Choice PPO',
            planType: 'PPO',
            effectiveDate: '2025-01-01',
          },
        ],
      },
    );
  } finally {
    await stopPlatform(platform);
  }
}, 120_000);

afterAll(async () => {
  process.env = saved;
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('intelluxe eligibility check', () => {
  it('prints the normalized coverage of a member on file', async () => {
    const { io, out, err } = fakeIo();
    const code = await main(
      [
        'eligibility',
        'check',
        '--payer',
        'bcbs',
        '--member',
        'ZGP800000001',
        '--npi',
        npi,
        '--service-type',
        '98',
        '--procedure',
        '99213',
      ],
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('Status: ACTIVE  Plan: BCBS Blue Choice PPO (PR)');
    expect(text).toMatch(/Deductible, in network: individual \$1,750\.00 \(remaining \$[\d,.]+\)/);
    expect(text).toContain('98  Professional (Physician) Visit - Office: copay $30.00');
    expect(text).toMatch(/99213 ×1: allowed \$125\.83/);
  });

  it('asks the payer directly with names, and explains a rejection', async () => {
    const { io, out } = fakeIo();
    const code = await main(
      [
        'eligibility',
        'check',
        '--payer',
        'cigna',
        '--member',
        'U12345678',
        '--npi',
        npi,
        '--last',
        'Doyle',
        '--first',
        'Ruth',
        '--json',
      ],
      io,
    );
    expect(code).toBe(0);
    const check = JSON.parse(out.join('\n'));
    expect(check).toMatchObject({ status: 'rejected', coverage: { rejections: [{ code: '75' }] } });
  });

  it('refuses bad input with a usage message or the field at fault', async () => {
    const usage = fakeIo();
    expect(await main(['eligibility', 'check', '--payer', 'bcbs'], usage.io)).toBe(2);
    expect(usage.err[0]).toMatch(/^usage: intelluxe eligibility check/);
    const badDate = fakeIo();
    expect(
      await main(
        [
          'eligibility',
          'check',
          '--payer',
          'bcbs',
          '--member',
          'ZGP800000001',
          '--npi',
          npi,
          '--date',
          '2026-02-31',
        ],
        badDate.io,
      ),
    ).toBe(2);
    expect(badDate.err.join('\n')).toContain('/dateOfService: is not a calendar date');
    const unknownNpi = fakeIo();
    expect(
      await main(
        [
          'eligibility',
          'check',
          '--payer',
          'bcbs',
          '--member',
          'ZGP800000001',
          '--npi',
          '1234567893',
          '--practice',
          '00000000-0000-4000-8000-000000000000',
        ],
        unknownNpi.io,
      ),
    ).toBe(2);
  });
});
