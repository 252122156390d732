import { parseArgs } from 'node:util';
import { seedBillingHistory } from '../../modules/demo/billing-history.ts';
import { DEMO_EMAIL_DOMAIN, seedDemo } from '../../modules/demo/seed.ts';
import { createServices } from '../../services.ts';
import type { CliIo } from '../io.ts';
import { configOrExit, withPlatform } from './shared.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      patients: { type: 'string' },
      seed: { type: 'string' },
      'billing-history': { type: 'string' },
    },
  });
  const config = configOrExit(io);
  if (!config) return 2;
  if (config.env === 'production') {
    io.err('intelluxe: demo data is never seeded in production mode');
    return 1;
  }
  const patients = values.patients ? Number(values.patients) : undefined;
  if (patients !== undefined && (!Number.isInteger(patients) || patients < 1 || patients > 100_000)) {
    io.err('intelluxe: --patients must be an integer from 1 to 100000');
    return 2;
  }
  const historyClaims = values['billing-history'] ? Number(values['billing-history']) : 0;
  if (!Number.isInteger(historyClaims) || historyClaims < 0 || historyClaims > 20_000) {
    io.err('intelluxe: --billing-history must be an integer from 0 to 20000');
    return 2;
  }
  const report = await withPlatform(config, async (platform) => {
    const seeded = await seedDemo(platform, {
      patients,
      seed: values.seed ? Number(values.seed) : undefined,
    });
    if (historyClaims > 0) {
      const history = await seedBillingHistory(createServices(platform), seeded.practiceId, {
        claims: historyClaims,
      });
      io.out(
        `billing history: ${history.submitted} claims submitted, ${history.paid} paid, ${history.partiallyPaid} partially paid, ${history.denied} denied`,
      );
    }
    return seeded;
  });
  if (!report.created) {
    io.out('demo practice already present');
    return 0;
  }
  io.out(
    `seeded ${report.patients} patients, ${report.coverages} coverages, ${report.appointments} appointments, ${report.encounters} encounters, ${report.providers} providers`,
  );
  io.out(
    `log in as admin@${DEMO_EMAIL_DOMAIN} (and physician@, biller@, frontdesk@, compliance@, manager@) with INTELLUXE_DEMO_PASSWORD`,
  );
  return 0;
}
