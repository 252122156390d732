import { parseArgs } from 'node:util';
import { runServer, UnknownServiceError } from '../../server.ts';
import type { CliIo } from '../io.ts';
import { configOrExit } from './shared.ts';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { services: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.out(
      'usage: intelluxe serve [--services name,name]\n  all-in-one on PORT (default 8000), or each named service on its own port',
    );
    return 0;
  }
  const config = configOrExit(io);
  if (!config) return 2;
  const services = values.services
    ?.split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  let server: Awaited<ReturnType<typeof runServer>>;
  try {
    server = await runServer(config, { services });
  } catch (error) {
    if (error instanceof UnknownServiceError) {
      io.err(error.message);
      return 2;
    }
    throw error;
  }
  for (const l of server.listening)
    io.err(
      `intelluxe: ${l.name} listening on ${l.url}${l.name === 'intelluxe' ? ` (API docs: ${l.url}/docs)` : ''}`,
    );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.err('intelluxe: shutting down');
  await server.close();
  return 0;
}
