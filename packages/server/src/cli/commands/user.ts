import { parseArgs } from 'node:util';
import { DomainError } from '../../platform/errors.ts';
import { createServices } from '../../services.ts';
import type { CliIo } from '../io.ts';
import { cliActor, configOrExit, practiceOf, refused, withPlatform } from './shared.ts';

const USAGE =
  'usage: intelluxe user create --email EMAIL --role ROLE [--name "Full Name"] [--password P | password on stdin] [--practice ID]';

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    io.err(USAGE);
    return 2;
  }
  const { values } = parseArgs({
    args: rest,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      practice: { type: 'string' },
    },
  });
  if (!values.email || !values.role) {
    io.err(USAGE);
    return 2;
  }
  const config = configOrExit(io);
  if (!config) return 2;
  const password = values.password ?? (await io.readStdin()).trim();
  try {
    const user = await withPlatform(config, async (platform) => {
      const practiceId = await practiceOf(platform, values.practice);
      return createServices(platform).auth.createUser(
        {
          email: values.email!,
          role: values.role!,
          password,
          fullName: values.name ?? values.email!,
          practiceId,
        },
        cliActor(practiceId),
      );
    });
    io.out(JSON.stringify(user, null, 2));
    return 0;
  } catch (error) {
    if (error instanceof DomainError) return refused(io, error);
    throw error;
  }
}
