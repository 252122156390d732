/**
 * `npm run bench:remittance`: posts one generated 835 with 50,000 claim payments (BENCH_CLAIMS) into PostgreSQL
 * through the remittance service — matching, adjustments, claim updates, state events, the posting report — and
 * compares it with a baseline measured in the same run: bulk-inserting the same 50,000 payment rows (as posted) with
 * one multi-row INSERT into a table of the same structure. Ends with `RESULT payments_per_s=… baseline_rows_per_s=… ratio=…`.
 */
import { randomBytes } from 'node:crypto';
import { build835, type Remittance } from '@intelluxe/x12';
import { sql } from 'kysely';
import { seedDemo } from '../packages/server/src/modules/demo/seed.ts';
import { loadConfig } from '../packages/server/src/platform/config.ts';
import { startPlatform, stopPlatform } from '../packages/server/src/platform/platform.ts';
import { createServices } from '../packages/server/src/services.ts';
import { freshDatabase } from './lib/harness.ts';

const CLAIMS = Number(process.env.BENCH_CLAIMS ?? 50_000);
const database = await freshDatabase('ix_bench_rem');

const config = loadConfig({
  DATABASE_URL: database.url,
  INTELLUXE_MASTER_KEY: randomBytes(32).toString('base64'),
  LOG_LEVEL: 'warn',
  JOBS_ENABLED: 'false',
  INTELLUXE_AUTO_SEED_DEMO: 'false',
});
const platform = await startPlatform(config, { work: false });
const services = createServices(platform);
const seed = await seedDemo(platform, { patients: 20, months: 1 });
const { db } = platform;

console.log(
  `bench:remittance — ${CLAIMS.toLocaleString()} claim payments, PostgreSQL database ${database.name}`,
);
const patients = await db
  .selectFrom('patients')
  .innerJoin('coverages', 'coverages.patient_id', 'patients.id')
  .select(['patients.id as patient_id', 'coverages.id as coverage_id', 'coverages.payer_id'])
  .where('coverages.payer_id', '=', 'anthem')
  .execute();
const pool =
  patients.length > 0
    ? patients
    : await db
        .selectFrom('patients')
        .innerJoin('coverages', 'coverages.patient_id', 'patients.id')
        .select(['patients.id as patient_id', 'coverages.id as coverage_id', 'coverages.payer_id'])
        .execute();
const provider = await db.selectFrom('providers').select('id').executeTakeFirstOrThrow();
const serviceDate = new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10);

// The claims the 835 pays: accepted 99213 claims, written in bulk.
const t0 = performance.now();
const claimRows = Array.from({ length: CLAIMS }, (_, i) => {
  const p = pool[i % pool.length]!;
  return {
    pcn: `B${String(1_000_000 + i)}`,
    patient: p.patient_id,
    coverage: p.coverage_id,
    payer: p.payer_id,
  };
});
for (let i = 0; i < claimRows.length; i += 10_000) {
  const chunk = claimRows.slice(i, i + 10_000);
  await sql`
    INSERT INTO claims (practice_id, patient_id, coverage_id, payer_id, kind, patient_control_number, rendering_provider_id,
      place_of_service, diagnoses, service_date_from, service_date_to, total_charge_cents, status, submitted_at)
    SELECT ${seed.practiceId}::uuid, r.patient, r.coverage, r.payer, 'professional', r.pcn, ${provider.id}::uuid, '11',
      '["E11.9"]'::jsonb, ${serviceDate}::date, ${serviceDate}::date, 14000, 'accepted', now()
    FROM jsonb_to_recordset(${JSON.stringify(chunk)}::jsonb) AS r(pcn text, patient uuid, coverage uuid, payer text)
  `.execute(db);
  await sql`
    INSERT INTO claim_lines (claim_id, line_number, procedure_code, units, charge_cents, diagnosis_pointers, service_date, line_control_number)
    SELECT c.id, 1, '99213', 1, 14000, '{1}', ${serviceDate}::date, c.patient_control_number || '-1'
    FROM claims c WHERE c.patient_control_number = ANY(${chunk.map((c) => c.pcn)})
  `.execute(db);
}
console.log(
  `setup: ${CLAIMS.toLocaleString()} accepted claims in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
);

const remittance: Remittance = {
  payment: {
    handlingCode: 'I',
    amountCents: CLAIMS * 9_118,
    creditDebit: 'C',
    method: 'ACH',
    format: 'CCP',
    date: serviceDate,
  },
  trace: { type: '1', number: `EFT${Date.now()}`, originatorId: '1000000227' },
  payer: { name: 'ANTHEM BLUE CROSS', idQualifier: 'XV', id: '00227', contacts: [] },
  payee: { name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: 'XX', id: '1987654328', references: [] },
  claims: claimRows.map((c) => ({
    patientControlNumber: c.pcn,
    statusCode: '1',
    chargeCents: 14_000,
    paidCents: 9_118,
    patientResponsibilityCents: 0,
    filingIndicator: '12',
    payerClaimControlNumber: `00227${c.pcn.slice(1)}`,
    adjustments: [],
    references: [],
    amounts: [],
    services: [
      {
        procedure: { qualifier: 'HC', code: '99213', modifiers: [] },
        chargeCents: 14_000,
        paidCents: 9_118,
        units: 1,
        serviceDate: { start: serviceDate },
        adjustments: [{ group: 'CO', reason: '45', amountCents: 4_882 }],
        lineControlNumber: `${c.pcn}-1`,
        references: [],
        amounts: [],
        remarkCodes: [],
      },
    ],
  })),
  providerAdjustments: [],
};
const x12 = build835(remittance, {
  senderId: '00227',
  receiverId: '1987654328',
  interchangeControlNumber: 1,
});
console.log(`835: ${(x12.length / 1024 / 1024).toFixed(1)} MiB`);

const ctx = {
  actorType: 'user' as const,
  actorId: 'bench',
  actorRole: 'biller',
  practiceId: seed.practiceId,
  ip: null,
  userAgent: 'bench',
  requestId: null,
  purpose: 'payment',
};
// Each measured phase starts right after a checkpoint, so neither pays for the other's dirty pages or for a
// checkpoint that happens to land in it (full-page images in the WAL).
const checkpoint = () => sql`CHECKPOINT`.execute(db);
await checkpoint();
const p0 = performance.now();
const report = await services.remittance.postRemittance(ctx, x12, 'api');
const postSeconds = (performance.now() - p0) / 1000;
if (report.totals.applied !== CLAIMS) throw new Error(`posted ${report.totals.applied} of ${CLAIMS}`);
const paid = await db
  .selectFrom('claims')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('status', '=', 'paid')
  .executeTakeFirstOrThrow();
console.log(
  `posting: ${CLAIMS.toLocaleString()} payments in ${postSeconds.toFixed(2)} s; ${paid.n} claims now paid`,
);

// Baseline: the very rows the posting wrote, bulk-inserted again with one multi-row INSERT into a table of the same
// structure (columns, defaults and indexes), in the same run.
await sql`CREATE TABLE bench_payments (LIKE remittance_claims INCLUDING ALL)`.execute(db);
const rows = await db
  .selectFrom('remittance_claims')
  .select([
    'remittance_id',
    'position',
    'claim_id',
    'patient_control_number',
    'payer_claim_number',
    'status_code',
    'charge_cents',
    'paid_cents',
    'patient_responsibility_cents',
    'expected_cents',
    'underpaid_cents',
    'outcome',
    'message',
    'adjustments',
    'lines',
  ])
  .where('remittance_id', '=', report.id)
  .execute();
await checkpoint();
const b0 = performance.now();
await sql`
  INSERT INTO bench_payments (remittance_id, position, claim_id, patient_control_number, payer_claim_number, status_code,
    charge_cents, paid_cents, patient_responsibility_cents, expected_cents, underpaid_cents, outcome, message, adjustments, lines)
  SELECT r.remittance_id, r.position, r.claim_id, r.patient_control_number, r.payer_claim_number, r.status_code,
    r.charge_cents, r.paid_cents, r.patient_responsibility_cents, r.expected_cents, r.underpaid_cents, r.outcome, r.message,
    r.adjustments, r.lines
  FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(remittance_id uuid, position integer, claim_id uuid,
    patient_control_number text, payer_claim_number text, status_code text, charge_cents bigint, paid_cents bigint,
    patient_responsibility_cents bigint, expected_cents bigint, underpaid_cents bigint, outcome text, message text,
    adjustments jsonb, lines jsonb)
`.execute(db);
const baselineSeconds = (performance.now() - b0) / 1000;
console.log(`baseline: ${CLAIMS.toLocaleString()} rows in one INSERT in ${baselineSeconds.toFixed(2)} s`);

await stopPlatform(platform);
await database.drop();

const paymentsPerSecond = CLAIMS / postSeconds;
const baselinePerSecond = CLAIMS / baselineSeconds;
console.log(
  `RESULT payments_per_s=${paymentsPerSecond.toFixed(0)} baseline_rows_per_s=${baselinePerSecond.toFixed(0)} ratio=${(paymentsPerSecond / baselinePerSecond).toFixed(3)}`,
);
