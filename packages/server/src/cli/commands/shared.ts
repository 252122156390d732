/** Helpers for CLI commands: configuration with a clear message, and a platform opened for one task. */
import type { AuditActor } from '../../modules/auth/service.ts';
import { type Config, ConfigError, loadConfig } from '../../platform/config.ts';
import { type DomainError, invalidField } from '../../platform/errors.ts';
import { isUuid } from '../../platform/http/schemas.ts';
import { createLogger } from '../../platform/logger.ts';
import { type Platform, startPlatform, stopPlatform } from '../../platform/platform.ts';
import type { CliIo } from '../io.ts';

export function configOrExit(io: CliIo): Config | null {
  try {
    return loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.err(error.message);
      return null;
    }
    throw error;
  }
}

/** Opens the platform without job workers and without request logs, runs `fn`, and closes it. */
export async function withPlatform<T>(config: Config, fn: (platform: Platform) => Promise<T>): Promise<T> {
  const platform = await startPlatform(config, {
    logger: createLogger(config.logLevel === 'info' ? 'warn' : config.logLevel),
    work: false,
  });
  try {
    return await fn(platform);
  } finally {
    await stopPlatform(platform);
  }
}

/** The practice a command acts for: `--practice`, else the first one created (a single-practice install). */
export async function practiceOf(platform: Platform, given: string | undefined): Promise<string | null> {
  if (given !== undefined && !isUuid(given)) throw invalidField('/practice', 'is not a practice id (a UUID)');
  let query = platform.db.selectFrom('practices').select('id');
  query = given === undefined ? query.orderBy('created_at').limit(1) : query.where('id', '=', given);
  const found = await query.executeTakeFirst();
  if (given !== undefined && !found) throw invalidField('/practice', 'no practice has this id');
  return found?.id ?? null;
}

/** The audit actor of a CLI command: the system, acting from the command line. */
export function cliActor(practiceId: string | null): AuditActor {
  return {
    actorType: 'system',
    actorId: 'cli',
    actorRole: null,
    practiceId,
    ip: null,
    userAgent: 'intelluxe-cli',
    requestId: null,
  };
}

/** Prints a refused input (a domain error) as one line naming the fields, and returns exit code 1. */
export function refused(io: CliIo, error: DomainError): number {
  io.err(
    `intelluxe: ${error.errors?.map((e) => `${e.path.slice(1)}: ${e.message}`).join('; ') ?? error.message}`,
  );
  return 1;
}
