/**
 * The `intelluxe` command. Each sub-command lives in `commands/<name>.ts` and exports
 * `run(args, io)` returning an exit code; this file only dispatches.
 */
import type { CliIo } from './io.ts';
import { processIo } from './io.ts';

type Command = { run(args: string[], io: CliIo): Promise<number> };

const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  serve: {
    summary: 'start the platform (all-in-one, or --services a,b)',
    load: () => import('./commands/serve.ts'),
  },
  worker: { summary: 'run the job workers only (no HTTP)', load: () => import('./commands/worker.ts') },
  migrate: { summary: 'run database migrations', load: () => import('./commands/migrate.ts') },
  'seed-demo': {
    summary: 'create the demo practice, users, patients and history',
    load: () => import('./commands/seed-demo.ts'),
  },
  user: {
    summary: 'user create --email E --role R [--password P]',
    load: () => import('./commands/user.ts'),
  },
  apikey: {
    summary: 'apikey create --name N [--role service] | apikey revoke ID',
    load: () => import('./commands/apikey.ts'),
  },
  audit: { summary: 'audit verify: check the audit hash chain', load: () => import('./commands/audit.ts') },
  x12: { summary: 'x12 parse|validate|build', load: () => import('./commands/x12.ts') },
  phi: { summary: 'phi scan|deidentify', load: () => import('./commands/phi.ts') },
  eligibility: {
    summary: 'eligibility check --payer P --member M --npi N [--service-type 30] [--date D]',
    load: () => import('./commands/eligibility.ts'),
  },
};

function usage(io: CliIo): void {
  io.out('usage: intelluxe <command> [options]\n\ncommands:');
  for (const [name, c] of Object.entries(commands)) io.out(`  ${name.padEnd(12)} ${c.summary}`);
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    usage(io);
    return name ? 0 : 2;
  }
  const entry = commands[name];
  if (!entry) {
    io.err(`intelluxe: unknown command '${name}'`);
    usage(io);
    return 2;
  }
  const command = await entry.load();
  return command.run(rest, io);
}

/** Runs the command line of this process and sets its exit code. */
export function runProcess(): Promise<void> {
  return main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exitCode = 1;
    },
  );
}

if (import.meta.main) await runProcess();
