import { verifyAuditChain } from '../../platform/audit/verify.ts';
import type { CliIo } from '../io.ts';
import { configOrExit, withPlatform } from './shared.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  if (args[0] !== 'verify') {
    io.err('usage: intelluxe audit verify');
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 2;
  const result = await withPlatform(config, (platform) => verifyAuditChain(platform.db));
  io.out(JSON.stringify(result));
  if (!result.valid)
    io.err(`intelluxe: audit chain broken at event ${result.firstBrokenEventId}: ${result.reason}`);
  return result.valid ? 0 : 1;
}
