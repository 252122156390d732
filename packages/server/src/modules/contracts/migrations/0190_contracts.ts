import { type Kysely, sql } from 'kysely';

/**
 * Fee schedules and percent-of-Medicare rules, seeded for the sandbox payers: Medicare's physician fee schedule
 * amounts (non-facility, and facility where they differ) for the codes the demo practice bills and orders, the
 * commercial payers' preventive-visit rates (Medicare does not pay 99381-99397), and each commercial payer's
 * percentage of Medicare for everything else.
 */
const MEDICARE: ReadonlyArray<readonly [code: string, cents: number, pos?: string]> = [
  ['99202', 7_304],
  ['99203', 11_350],
  ['99204', 16_942],
  ['99205', 22_333],
  ['99211', 2_304],
  ['99212', 5_646],
  ['99213', 9_118],
  ['99213', 6_530, '22'],
  ['99214', 12_872],
  ['99214', 9_357, '22'],
  ['99215', 18_132],
  ['99215', 13_420, '22'],
  ['G0438', 17_012],
  ['G0439', 13_541],
  ['36415', 300],
  ['80053', 1_056],
  ['85025', 777],
  ['93000', 1_626],
  ['93306', 21_451],
  ['90686', 2_214],
  ['G0008', 3_384],
  ['70450', 11_476],
  ['70496', 22_310],
  ['70551', 22_017],
  ['70553', 33_720],
  ['71250', 14_017],
  ['72141', 20_660],
  ['72148', 20_538],
  ['72158', 31_740],
  ['73221', 20_812],
  ['73721', 21_045],
  ['74177', 33_052],
  ['95806', 15_030],
  ['95810', 61_948],
  ['95811', 66_215],
  ['J0897', 2_204],
  ['J1745', 4_174],
  ['J2505', 137_800],
  ['J9312', 7_288],
  ['97810', 2_983],
];

const PERCENT_OF_MEDICARE: Record<string, number> = {
  anthem: 135,
  uhc: 140,
  cigna: 130,
  aetna: 125,
  bcbs: 138,
};

const PREVENTIVE: ReadonlyArray<readonly [code: string, cents: number]> = [
  ['99385', 17_500],
  ['99386', 18_500],
  ['99387', 20_000],
  ['99395', 16_500],
  ['99396', 17_800],
  ['99397', 19_200],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE fee_schedules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      code text NOT NULL,
      modifier text NOT NULL DEFAULT '',
      pos text NOT NULL DEFAULT '',
      allowed_cents bigint NOT NULL CHECK (allowed_cents >= 0),
      effective_from date NOT NULL,
      effective_to date,
      source text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payer_id, code, modifier, pos, effective_from)
    );
    CREATE INDEX fee_schedules_lookup ON fee_schedules (payer_id, code);
    CREATE TABLE fee_schedule_rules (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      payer_id text NOT NULL REFERENCES payers(id),
      percent_of_medicare numeric(6, 2) NOT NULL CHECK (percent_of_medicare > 0),
      effective_from date NOT NULL,
      effective_to date,
      created_at timestamptz NOT NULL DEFAULT now(),
      UNIQUE (payer_id, effective_from)
    );
  `.execute(db);
  const from = '2026-01-01';
  const medicare = MEDICARE.map(
    ([code, cents, pos]) => sql`('medicare', ${code}, '', ${pos ?? ''}, ${cents}, ${from}, 'medicare_pfs')`,
  );
  const contract = Object.entries(PERCENT_OF_MEDICARE).flatMap(([payer, percent]) =>
    PREVENTIVE.map(
      ([code, cents]) =>
        sql`(${payer}, ${code}, '', '', ${Math.round((cents * percent) / 135)}, ${from}, 'contract')`,
    ),
  );
  await sql`INSERT INTO fee_schedules (payer_id, code, modifier, pos, allowed_cents, effective_from, source)
    VALUES ${sql.join([...medicare, ...contract])}`.execute(db);
  await sql`INSERT INTO fee_schedule_rules (payer_id, percent_of_medicare, effective_from) VALUES ${sql.join(
    Object.entries(PERCENT_OF_MEDICARE).map(([payer, percent]) => sql`(${payer}, ${percent}, ${from})`),
  )}`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE fee_schedule_rules; DROP TABLE fee_schedules;`.execute(db);
}
