/**
 * `intelluxe x12 parse FILE [--json] [--lenient]`, `intelluxe x12 validate FILE` and
 * `intelluxe x12 build TYPE [--input request.json] [--line-breaks]`. Runs @intelluxe/x12 locally.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  build270,
  build271,
  build276,
  build277,
  build278,
  build835,
  build837I,
  build837P,
  build999,
  buildTA1,
  type Diagnostic,
  type EnvelopeOptions,
  formatDiagnostic,
  parseX12,
  type TypedTransaction,
  validate,
  X12WriteError,
} from '@intelluxe/x12';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage: intelluxe x12 parse FILE [--json] [--lenient]',
  '       intelluxe x12 validate FILE',
  '       intelluxe x12 build TYPE [--input request.json] [--line-breaks]',
  '',
  '  parse      prints the typed transactions (a summary, or JSON with --json); exit 1 with the diagnostics',
  '             when the file has errors (--lenient prints the transactions anyway)',
  '  validate   checks envelopes, control numbers, counts, elements and 835 balancing; exit 0 valid, 1 invalid',
  '  build      reads {"envelope": {...}, "transaction": {...}} (FILE or stdin) and writes X12 to stdout',
  `             TYPE: ${[
    '270',
    '271',
    '276',
    '277',
    '277CA',
    '278',
    '835',
    '837P',
    '837I',
    '999',
    'TA1',
  ].join(', ')}`,
  '',
  '  FILE may be - for standard input.',
].join('\n');

type Builder = (transaction: never, envelope: EnvelopeOptions) => string;

const BUILDERS: Record<string, Builder> = {
  '270': build270,
  '271': build271,
  '276': build276,
  '277': (t, e) => build277({ ...(t as object), variant: '277' } as never, e),
  '277CA': (t, e) => build277({ ...(t as object), variant: '277CA' } as never, e),
  '278': build278,
  '835': build835,
  '837P': build837P,
  '837I': build837I,
  '999': build999,
  TA1: buildTA1,
};

async function readBytes(file: string, io: CliIo): Promise<Buffer> {
  return file === '-' ? Buffer.from(await io.readStdin(), 'utf8') : readFile(file);
}

function printDiagnostics(diagnostics: readonly Diagnostic[], io: CliIo): void {
  for (const d of diagnostics) io.err(formatDiagnostic(d));
}

/** One line per transaction: what it is and how much it holds. */
function summarize(t: TypedTransaction): string {
  const head = `${t.type} ${t.controlNumber}`;
  switch (t.type) {
    case '837P':
    case '837I':
    case '837D': {
      const claims = t.transaction.claims;
      const charges = claims.reduce((n, c) => n + c.chargeCents, 0);
      return `${head}: ${claims.length} claim(s), ${claims.reduce((n, c) => n + c.lines.length, 0)} line(s), charges ${cents(charges)}`;
    }
    case '835': {
      const r = t.transaction;
      return `${head}: payment ${cents(r.payment.amountCents)} ${r.payment.method} ${r.payment.date}, trace ${r.trace.number}, ${r.claims.length} claim(s)`;
    }
    case '270':
      return `${head}: member ${t.transaction.subscriber.id ?? '?'}, service types ${t.transaction.serviceTypes.join(',')}`;
    case '271': {
      const c = t.transaction.coverage;
      return `${head}: ${c.active ? 'active' : 'not active'}${c.planName ? `, plan ${c.planName}` : ''}, ${t.transaction.benefits.length} benefit(s), ${t.transaction.rejections.length} rejection(s)`;
    }
    case '276':
    case '277':
    case '277CA':
      return `${head}: ${t.transaction.claims.length} claim(s)`;
    case '278': {
      const d = t.transaction.event.decision ?? t.transaction.services.find((s) => s.decision)?.decision;
      return `${head}: ${t.transaction.kind}${d ? `, decision ${d.action}${d.certificationNumber ? ` ${d.certificationNumber}` : ''}` : ''}`;
    }
    case '999':
    case '997':
      return `${head}: group ${t.transaction.groupControlNumber} ${t.transaction.groupStatus}, ${t.transaction.transactionSets.map((s) => `${s.controlNumber}=${s.status}`).join(' ')}`;
    case 'TA1':
      return `${head}: ${t.transaction.ackCode} ${t.transaction.noteCode} ${t.transaction.note}`;
  }
}

function cents(n: number): string {
  return `${n < 0 ? '-' : ''}$${(Math.abs(n) / 100).toFixed(2)}`;
}

async function parseCommand(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, lenient: { type: 'boolean' } },
  });
  const file = positionals[0];
  if (!file || positionals.length > 1) return usage(io);
  const doc = parseX12(await readBytes(file, io));
  const errors = doc.diagnostics.filter((d) => d.severity === 'error');
  printDiagnostics(doc.diagnostics, io);
  if (errors.length > 0 && !values.lenient) {
    if (values.json) io.out(JSON.stringify({ diagnostics: doc.diagnostics }, null, 2));
    io.err(`intelluxe x12: ${file}: ${errors.length} error(s)`);
    return 1;
  }
  if (values.json)
    io.out(JSON.stringify({ transactions: doc.transactions, diagnostics: doc.diagnostics }, null, 2));
  else for (const t of doc.transactions) io.out(summarize(t));
  return errors.length > 0 ? 1 : 0;
}

async function validateCommand(rest: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
  const file = positionals[0];
  if (!file || positionals.length > 1) return usage(io);
  const doc = parseX12(await readBytes(file, io));
  printDiagnostics(doc.diagnostics, io);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error').length;
  if (errors > 0) {
    io.err(`intelluxe x12: ${file}: invalid, ${errors} error(s)`);
    return 1;
  }
  io.out(
    `${file}: valid (${doc.interchanges.length} interchange(s), ${doc.transactions.length} transaction(s))`,
  );
  return 0;
}

async function buildCommand(rest: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: { input: { type: 'string' }, 'line-breaks': { type: 'boolean' } },
  });
  const type = positionals[0];
  const build = type ? BUILDERS[type] : undefined;
  if (!type || !build || positionals.length > 1)
    return usage(io, type ? `unknown type '${type}'` : undefined);
  const source = values.input ?? '-';
  let request: { envelope?: EnvelopeOptions; transaction?: unknown };
  try {
    request = JSON.parse((await readBytes(source, io)).toString('utf8')) as typeof request;
  } catch (error) {
    io.err(`intelluxe x12: ${source}: not JSON (${(error as Error).message})`);
    return 2;
  }
  if (!request || typeof request.envelope !== 'object' || typeof request.transaction !== 'object') {
    io.err(`intelluxe x12: ${source}: expected {"envelope": {...}, "transaction": {...}}`);
    return 2;
  }
  const envelope = { ...request.envelope, lineBreaks: values['line-breaks'] ?? request.envelope.lineBreaks };
  let x12: string;
  try {
    x12 = build(request.transaction as never, envelope);
  } catch (error) {
    if (error instanceof X12WriteError || error instanceof TypeError) {
      io.err(`intelluxe x12: cannot build ${type}: ${error.message}`);
      return 1;
    }
    throw error;
  }
  const errors = validate(x12).filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    printDiagnostics(errors, io);
    io.err(`intelluxe x12: the ${type} built from ${source} does not validate`);
    return 1;
  }
  io.write(x12.endsWith('\n') ? x12 : `${x12}\n`);
  return 0;
}

function usage(io: CliIo, problem?: string): number {
  if (problem) io.err(`intelluxe x12: ${problem}`);
  io.err(USAGE);
  return 2;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  try {
    switch (sub) {
      case 'parse':
        return await parseCommand(rest, io);
      case 'validate':
        return await validateCommand(rest, io);
      case 'build':
        return await buildCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return sub === undefined ? 2 : 0;
      default:
        return usage(io, `unknown sub-command '${sub}'`);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') {
      io.err(`intelluxe x12: ${(error as Error).message}`);
      return 1;
    }
    if (code?.startsWith('ERR_PARSE_ARGS')) return usage(io, (error as Error).message);
    throw error;
  }
}
