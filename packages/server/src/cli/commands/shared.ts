/** Helpers for CLI commands: configuration with a clear message, and a platform opened for one task. */
import { type Config, ConfigError, loadConfig } from '../../platform/config.ts';
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
