/**
 * `intelluxe apikey create|revoke`: API keys for services (a clearinghouse sync, a seed-compatible service's
 * caller) from the command line, so an operator who runs only `serve --services …` can still give its callers
 * credentials. The key is printed once; only its hash is stored. Both are audited as the CLI's actions.
 */
import { parseArgs } from 'node:util';
import { DomainError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/http/schemas.ts';
import { createServices } from '../../services.ts';
import type { CliIo } from '../io.ts';
import { cliActor, configOrExit, practiceOf, refused, withPlatform } from './shared.ts';

const USAGE = [
  'usage: intelluxe apikey create --name NAME [--role ROLE] [--expires 2027-03-31T00:00:00Z] [--practice ID]',
  '       intelluxe apikey revoke ID',
].join('\n');

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  let parsed: ReturnType<typeof parseOptions>;
  try {
    parsed = parseOptions(rest);
  } catch (error) {
    io.err(`intelluxe: ${error instanceof Error ? error.message : String(error)}`);
    io.err(USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  if (
    sub === 'create' ? !values.name || positionals.length > 0 : sub !== 'revoke' || positionals.length !== 1
  ) {
    io.err(USAGE);
    return 2;
  }
  if (sub === 'revoke' && !isUuid(positionals[0]!)) {
    io.err('intelluxe: id: is not an API key id (a UUID)');
    return 1;
  }
  const expiresAt = values.expires === undefined ? undefined : new Date(values.expires);
  if (expiresAt && (Number.isNaN(expiresAt.getTime()) || expiresAt.getTime() <= Date.now())) {
    io.err('intelluxe: expires: must be a date and time in the future (ISO 8601)');
    return 1;
  }
  const config = configOrExit(io);
  if (!config) return 2;
  try {
    const result = await withPlatform(config, async (platform) => {
      const practiceId = await practiceOf(platform, values.practice);
      const { auth } = createServices(platform);
      if (sub === 'revoke') {
        await auth.revokeApiKey(positionals[0]!, cliActor(practiceId));
        return { id: positionals[0], revoked: true };
      }
      return auth.createApiKey(
        {
          name: values.name!,
          role: values.role ?? 'service',
          practiceId,
          expiresAt: expiresAt?.toISOString(),
        },
        cliActor(practiceId),
      );
    });
    io.out(JSON.stringify(result, null, 2));
    if (sub === 'create')
      io.err('intelluxe: the key is shown once; send it as X-API-Key or Authorization: Bearer');
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return refused(io, error);
    throw error;
  }
}

function parseOptions(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string' },
      expires: { type: 'string' },
      practice: { type: 'string' },
    },
  });
}
