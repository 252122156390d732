import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse270 } from '@intelluxe/x12';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../io.ts';
import { run } from './x12.ts';

const corpus = new URL('../../../../../../shared/corpora/x12/', import.meta.url).pathname;

function fakeIo(stdin = ''): CliIo & { stdout: string[]; stderr: string[]; written: string } {
  const io = {
    stdout: [] as string[],
    stderr: [] as string[],
    written: '',
    out: (line: string) => io.stdout.push(line),
    err: (line: string) => io.stderr.push(line),
    write: (text: string) => {
      io.written += text;
    },
    readStdin: async () => stdin,
    async *stdinLines() {
      yield* stdin.split('\n');
    },
  };
  return io;
}

const request = {
  envelope: {
    senderId: 'INTELLUXE',
    receiverId: 'ANTHEM',
    interchangeControlNumber: 42,
    date: '2026-03-02',
    time: '08:05',
    usage: 'T',
  },
  transaction: {
    referenceId: 'ELIG0042',
    date: '2026-03-02',
    time: '08:05',
    payer: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '040' },
    provider: {
      type: 'organization',
      name: 'RIVERSIDE FAMILY MEDICINE',
      idQualifier: 'XX',
      id: '1234567893',
    },
    subscriber: {
      type: 'person',
      name: 'GARCIA',
      firstName: 'ELENA',
      idQualifier: 'MI',
      id: 'W123456789',
      references: [],
      dates: [],
    },
    trace: { type: '1', number: 'TRC-42', originatorId: '9741234567' },
    serviceTypes: ['30'],
  },
};

describe('intelluxe x12', () => {
  it('parse prints one summary line per transaction', async () => {
    const io = fakeIo();
    expect(await run(['parse', `${corpus}835/tasty_profee.x12`], io)).toBe(0);
    expect(io.stdout).toEqual(['835 1740: payment $45.75 ACH 2010-01-01, trace 10100000000, 3 claim(s)']);
  });

  it('parse --json prints typed transactions', async () => {
    const io = fakeIo();
    expect(await run(['parse', '--json', `${corpus}271/lfh_subscriber.x12`], io)).toBe(0);
    const out = JSON.parse(io.stdout.join('\n'));
    expect(out.transactions[0].type).toBe('271');
    expect(out.transactions[0].transaction.coverage.active).toBe(true);
  });

  it('parse exits 1 with the diagnostics and their segment position', async () => {
    const io = fakeIo();
    expect(await run(['parse', `${corpus}835/invalid_badx12_error_validation.x12`], io)).toBe(1);
    expect(io.stderr).toContain(
      'error SE_COUNT at segment 29 (SE01, line 1, byte 826): SE01 says 30 segments, the transaction set has 27',
    );
    expect(io.stdout).toEqual([]);
  });

  it('validate tells valid from invalid', async () => {
    const ok = fakeIo();
    expect(await run(['validate', `${corpus}270/lfh_subscriber.x12`], ok)).toBe(0);
    const bad = fakeIo();
    expect(await run(['validate', `${corpus}837P/invalid_ims_bad_segment_identifier.x12`], bad)).toBe(1);
    expect(bad.stderr.some((l) => l.includes('SEGMENT_ID_INVALID at segment 11 (Nd4'))).toBe(true);
  });

  it('build writes X12 from a JSON request (file or stdin) that parses back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'x12-cli-'));
    const file = join(dir, 'request.json');
    writeFileSync(file, JSON.stringify(request));
    const io = fakeIo();
    expect(await run(['build', '270', '--input', file], io)).toBe(0);
    expect(io.written.startsWith('ISA*00*')).toBe(true);
    expect(parse270(io.written, { strict: true }).transactions[0]?.trace.number).toBe('TRC-42');
    const piped = fakeIo(JSON.stringify(request));
    expect(await run(['build', '270', '--line-breaks'], piped)).toBe(0);
    expect(piped.written.split('\n').length).toBeGreaterThan(10);
  });

  it('build rejects bad input with a clear message', async () => {
    const notJson = fakeIo('{nope');
    expect(await run(['build', '835'], notJson)).toBe(2);
    const unknown = fakeIo();
    expect(await run(['build', '820'], unknown)).toBe(2);
    expect(unknown.stderr[0]).toBe("intelluxe x12: unknown type '820'");
    const delimiter = fakeIo(
      JSON.stringify({ ...request, transaction: { ...request.transaction, referenceId: 'A*B' } }),
    );
    expect(await run(['build', '270'], delimiter)).toBe(1);
    expect(delimiter.stderr[0]).toContain("contains the delimiter '*'");
  });

  it('reports a missing file and usage errors', async () => {
    const io = fakeIo();
    expect(await run(['parse', '/nonexistent/file.x12'], io)).toBe(1);
    expect(await run(['parse'], fakeIo())).toBe(2);
    expect(await run(['frobnicate'], fakeIo())).toBe(2);
    expect(await run(['parse', '--bogus', 'x'], fakeIo())).toBe(2);
  });
});
