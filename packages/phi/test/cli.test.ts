// The `intelluxe phi` command, run in-process with a fake io.
import { describe, expect, it } from 'vitest';
import { run } from '../../server/src/cli/commands/phi.ts';
import type { CliIo } from '../../server/src/cli/io.ts';

function fakeIo(stdin: string) {
  const out: string[] = [];
  const err: string[] = [];
  let written = '';
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    write: (text) => {
      written += text;
    },
    readStdin: async () => stdin,
    async *stdinLines() {
      yield* stdin.split('\n');
    },
  };
  return { io, out, err, written: () => written };
}

describe('intelluxe phi', () => {
  it('scan --jsonl writes one line of spans per input line, in order', async () => {
    const input = [JSON.stringify({ text: 'Dr. Healey, 7/22' }), JSON.stringify({ text: 'BP 120/80' })].join(
      '\n',
    );
    const f = fakeIo(input);
    expect(await run(['scan', '--jsonl'], f.io)).toBe(0);
    expect(f.out).toHaveLength(2);
    const first = JSON.parse(f.out[0]!) as {
      spans: { start: number; end: number; type: string; confidence: number }[];
    };
    expect(first.spans.map((s) => s.type)).toEqual(['NAME', 'DATE']);
    expect(Object.keys(first.spans[0]!).sort()).toEqual(['confidence', 'end', 'start', 'type']);
    expect(JSON.parse(f.out[1]!)).toEqual({ spans: [] });
  });

  it('scan --jsonl reports a bad line and keeps going', async () => {
    const f = fakeIo(`not json\n${JSON.stringify({ text: 'SSN 223-45-6789' })}`);
    expect(await run(['scan', '--jsonl'], f.io)).toBe(1);
    expect(f.out).toHaveLength(2);
    expect(f.err[0]).toMatch(/line 1/);
  });

  it('scan without --jsonl prints the spans of all of stdin', async () => {
    const f = fakeIo('call 410-555-1212');
    expect(await run(['scan'], f.io)).toBe(0);
    expect(JSON.parse(f.out[0]!).spans[0].type).toBe('PHONE');
  });

  it('deidentify prints the de-identified text', async () => {
    const f = fakeIo('Dr. Healey saw the patient on 7/22.');
    expect(await run(['deidentify', '--mode', 'mask'], f.io)).toBe(0);
    expect(f.written()).toBe('Dr. [NAME] saw the patient on [DATE].');
  });

  it('refuses a missing or unknown mode and unknown options', async () => {
    expect(await run(['deidentify'], fakeIo('x').io)).toBe(2);
    expect(await run(['deidentify', '--mode', 'shred'], fakeIo('x').io)).toBe(2);
    expect(await run(['scan', '--fast'], fakeIo('x').io)).toBe(2);
    expect(await run(['frobnicate'], fakeIo('x').io)).toBe(2);
  });
});
