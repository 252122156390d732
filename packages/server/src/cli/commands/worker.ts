import { startPlatform, stopPlatform } from '../../platform/platform.ts';
import { platformQueues } from '../../queues.ts';
import type { CliIo } from '../io.ts';
import { configOrExit } from './shared.ts';

/** Runs the job workers only (no HTTP): scale jobs by running more of these against PostgreSQL. */
export async function run(_args: string[], io: CliIo): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 2;
  const platform = await startPlatform(config, { queues: platformQueues, work: true });
  io.err(
    `intelluxe: worker running ${platform.jobs.queueNames.length} queue(s): ${platform.jobs.queueNames.join(', ')}`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  io.err('intelluxe: worker stopping (running jobs finish first)');
  await stopPlatform(platform);
  return 0;
}
