/**
 * `intelluxe phi scan [--jsonl] [FILE]` and `intelluxe phi deidentify --mode M [--key K] [--patient-key P] [FILE]`.
 * Runs the @intelluxe/phi engine locally: nothing leaves the machine.
 */
import { readFile } from 'node:fs/promises';
import { DEIDENTIFY_MODES, type DeidentifyMode, deidentify, type Span, scan } from '@intelluxe/phi';
import type { CliIo } from '../io.ts';

const USAGE = [
  'usage: intelluxe phi scan [--jsonl] [FILE]',
  '       intelluxe phi deidentify --mode mask|redact|pseudonymize|dateshift [--key K] [--patient-key P] [FILE]',
  '',
  '  scan --jsonl   reads lines {"text": ...} from stdin, writes one line {"spans": [...]} per input line',
  '  scan           reads FILE (or all of stdin) and prints its spans as JSON',
  '  deidentify     reads FILE (or all of stdin) and prints the de-identified text',
].join('\n');

interface Parsed {
  flags: Map<string, string | true>;
  positional: string[];
}

const VALUE_FLAGS = new Set(['--mode', '--key', '--patient-key']);

function parseArgs(args: string[]): Parsed | string {
  const flags = new Map<string, string | true>();
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (VALUE_FLAGS.has(name)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined) return `${name} needs a value`;
      flags.set(name, value);
    } else if (name === '--jsonl' || name === '--help') {
      flags.set(name, true);
    } else {
      return `unknown option ${name}`;
    }
  }
  return { flags, positional };
}

const publicSpan = (s: Span) => ({ start: s.start, end: s.end, type: s.type, confidence: s.confidence });

async function readInput(positional: string[], io: CliIo): Promise<string> {
  const file = positional[0];
  return file === undefined || file === '-' ? io.readStdin() : readFile(file, 'utf8');
}

async function scanJsonl(io: CliIo): Promise<number> {
  let lineNo = 0;
  let failures = 0;
  for await (const line of io.stdinLines()) {
    lineNo++;
    if (line.trim().length === 0) continue;
    let text: unknown;
    try {
      text = (JSON.parse(line) as { text?: unknown }).text;
    } catch {
      text = undefined;
    }
    if (typeof text !== 'string') {
      io.err(`intelluxe phi: line ${lineNo}: expected a JSON object with a string "text"`);
      io.out(JSON.stringify({ error: 'expected {"text": string}', line: lineNo }));
      failures++;
      continue;
    }
    io.out(JSON.stringify({ spans: scan(text).map(publicSpan) }));
  }
  return failures > 0 ? 1 : 0;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args;
  const parsed = parseArgs(rest);
  if (typeof parsed === 'string') {
    io.err(`intelluxe phi: ${parsed}`);
    io.err(USAGE);
    return 2;
  }
  if (parsed.flags.has('--help') || (sub !== 'scan' && sub !== 'deidentify')) {
    (sub === undefined || parsed.flags.has('--help') ? io.out : io.err)(USAGE);
    return parsed.flags.has('--help') ? 0 : 2;
  }
  if (sub === 'scan') {
    if (parsed.flags.has('--jsonl')) return scanJsonl(io);
    const text = await readInput(parsed.positional, io);
    io.out(JSON.stringify({ spans: scan(text).map(publicSpan) }));
    return 0;
  }
  const mode = parsed.flags.get('--mode');
  if (typeof mode !== 'string' || !(DEIDENTIFY_MODES as readonly string[]).includes(mode)) {
    io.err(`intelluxe phi: --mode must be one of ${DEIDENTIFY_MODES.join(', ')}`);
    return 2;
  }
  const key = parsed.flags.get('--key');
  const patientKey = parsed.flags.get('--patient-key');
  const text = await readInput(parsed.positional, io);
  const result = deidentify(text, {
    mode: mode as DeidentifyMode,
    ...(typeof key === 'string' ? { key } : {}),
    ...(typeof patientKey === 'string' ? { patientKey } : {}),
  });
  io.write(result.text);
  return 0;
}
