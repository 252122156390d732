import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  formatCents,
  formatDiagnostic,
  parseCents,
  parseInterchange,
  tokenize,
  tokenizeStream,
  writeSegments,
  X12Error,
  X12Tokenizer,
  X12WriteError,
  x12Text,
} from '../src/index.ts';

const ISA =
  'ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *260302*0930*^*00501*000000001*0*T*:~';
const BODY =
  'GS*HP*SENDER*RECEIVER*20260302*0930*1*X*005010X221A1~ST*835*0001~BPR*I*0*C*NON************20260302~SE*3*0001~GE*1*1~IEA*1*000000001~';

const ids = (input: string | Buffer) => {
  const t = tokenize(input).table;
  return Array.from({ length: t.length }, (_, i) => t.id(i));
};

describe('delimiter detection', () => {
  it('reads the four separators from the ISA', () => {
    const { delimiters, isaLength } = tokenize(ISA + BODY);
    expect(delimiters).toEqual({ element: '*', component: ':', repetition: '^', segment: '~' });
    expect(isaLength).toBe(106);
  });

  it('walks separators instead of fixed offsets, so an unpadded ISA works', () => {
    const doc = parseInterchange(
      'ISA*00* *00* *30*5608912 *30*566012345*030813*1505*U*00401*000000007*1*P*:~TA1*000000100*030809*0823*R*024~IEA*1*000000007~',
    );
    expect(doc.table.length).toBe(3);
    expect(doc.interchanges[0]?.ta1).toEqual([1]);
    expect(doc.diagnostics.map((d) => d.code)).toEqual(['ISA_LENGTH']);
  });

  it('handles CR/LF, bare newline and 0x1D terminators, BOM and indentation', () => {
    const expected = ['ISA', 'GS', 'ST', 'BPR', 'SE', 'GE', 'IEA'];
    const lines = (ISA + BODY).replaceAll('~', '\r\n');
    expect(ids(lines)).toEqual(expected);
    expect(ids((ISA + BODY).replaceAll('~', '\n  '))).toEqual(expected);
    expect(ids((ISA + BODY).replaceAll('~', '\u001d\r\n'))).toEqual(expected);
    expect(ids(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ISA + BODY)]))).toEqual(expected);
    expect(tokenize(lines).delimiters.segment).toBe('\n');
  });

  it('decodes UTF-16 with or without a byte-order mark', () => {
    const text = ISA + BODY;
    const le = Buffer.from(text, 'utf16le');
    const be = Buffer.from(le).swap16();
    expect(ids(le)).toHaveLength(7);
    expect(ids(Buffer.concat([Buffer.from([0xff, 0xfe]), le]))).toHaveLength(7);
    expect(ids(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toHaveLength(7);
  });

  it('accepts a bare ST..SE with no envelope', () => {
    const doc = parseInterchange('ST*835*0001~BPR*I*0*C*NON************20260302~SE*3*0001~');
    expect(doc.transactions).toHaveLength(1);
    expect(doc.diagnostics).toEqual([]);
  });

  it('reports non-X12 input as a diagnostic, never an exception', () => {
    for (const input of ['', '   ', 'hello world', 'ISA', 'ISA*00*', Buffer.from([0, 1, 2, 3, 4])]) {
      const { table, diagnostics } = tokenize(input);
      expect(table.length).toBe(0);
      expect(diagnostics[0]?.code).toMatch(/EMPTY_INPUT|NOT_X12/);
    }
  });
});

describe('segment access', () => {
  it('reads elements, components and repetitions lazily', () => {
    const t = tokenize(`${ISA}ST*271*1~EB*B*IND*98^UC*HM*PLAN A**25~SVC*HC:99213:25:59*100*80~SE*4*1~`).table;
    expect(t.id(2)).toBe('EB');
    expect(t.reps(2, 3)).toEqual(['98', 'UC']);
    expect(t.el(2, 7)).toBe('25');
    expect(t.el(2, 40)).toBe('');
    expect(t.comp(3, 1, 2)).toBe('99213');
    expect(t.comp(3, 1, 4)).toBe('59');
    expect(t.comp(3, 1, 5)).toBe('');
    const seg = t.segment(3);
    expect([seg.id, seg.elements, seg.component(1, 3), seg.toString()]).toEqual([
      'SVC',
      ['HC:99213:25:59', '100', '80'],
      '25',
      'SVC*HC:99213:25:59*100*80',
    ]);
  });

  it('decodes UTF-8 names only when they have high bytes', () => {
    const t = tokenize(`${ISA}ST*270*1~NM1*IL*1*MUÑOZ*JOSÉ~SE*3*1~`).table;
    expect(t.el(2, 3)).toBe('MUÑOZ');
  });
});

describe('streaming', () => {
  it('tokenizes a Readable split at every byte', async () => {
    const bytes = Buffer.from(`\ufeff${ISA}${BODY}`.replaceAll('~', '~\r\n'));
    const chunks = Array.from(bytes, (b) => Buffer.from([b]));
    const seen: string[] = [];
    for await (const segment of tokenizeStream(Readable.from(chunks)))
      seen.push(`${segment.position}:${segment.id}`);
    expect(seen).toEqual(['0:ISA', '1:GS', '2:ST', '3:BPR', '4:SE', '5:GE', '6:IEA']);
  });

  it('streams UTF-16 input', async () => {
    const bytes = Buffer.from(ISA + BODY, 'utf16le');
    const seen: string[] = [];
    for await (const s of tokenizeStream([bytes.subarray(0, 7), bytes.subarray(7, 301), bytes.subarray(301)]))
      seen.push(s.id);
    expect(seen).toHaveLength(7);
  });

  it('throws a typed X12Error for a stream that is not X12', () => {
    const tokenizer = new X12Tokenizer();
    expect(() => {
      tokenizer.push('PDF-1.7 not x12 at all');
      tokenizer.end();
    }).toThrow(X12Error);
  });
});

describe('money and diagnostics', () => {
  it.each([
    ['12.25', 1225],
    ['12.5', 1250],
    ['100', 10000],
    ['.75', 75],
    ['-3.1', -310],
    ['0.005', 1],
    ['19999999.99', 1999999999],
  ])('parseCents(%s) = %i', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each([
    ['Knee pain ~6 months*; failed PT:\nsee notes^', 'Knee pain 6 months; failed PT see notes'],
    ['Réévaluation   orthopédique', 'Reevaluation orthopedique'],
    ['a|b>c<d{e}f\\g', 'abcdefg'],
    ['MRI (L knee) 50% @ 3T, #2 / $0', 'MRI (L knee) 50% @ 3T, #2 / $0'],
  ])('x12Text(%j) = %j, and it writes', (text, safe) => {
    expect(x12Text(text)).toBe(safe);
    expect(() => writeSegments([['MSG', x12Text(text)]])).not.toThrow();
  });

  it.each(['', 'abc', '1.2.3', '--1', '.'])('parseCents(%j) is undefined', (text) => {
    expect(parseCents(text)).toBeUndefined();
  });

  it.each([
    [1225, '12.25'],
    [1250, '12.5'],
    [10000, '100'],
    [-5, '-0.05'],
    [0, '0'],
  ])('formatCents(%i) = %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
    expect(parseCents(text)).toBe(cents);
  });

  it('locates a wrong SE count at the SE segment, with line and byte', () => {
    const x12 = `${ISA}\n${BODY.replace('SE*3*0001', 'SE*9*0001').replaceAll('~', '~\n')}`;
    const [d] = parseInterchange(x12).diagnostics;
    expect(d).toMatchObject({
      code: 'SE_COUNT',
      segmentIndex: 4,
      segmentId: 'SE',
      element: 1,
      line: 5,
      severity: 'error',
    });
    expect(formatDiagnostic(d!)).toBe(
      `error SE_COUNT at segment 5 (SE01, line 5, byte ${d!.offset}): SE01 says 9 segments, the transaction set has 3`,
    );
    expect(() => parseInterchange(x12, { strict: true })).toThrow(X12Error);
  });

  it('refuses to write a value containing a delimiter', () => {
    expect(() => writeSegments([['NM1', 'IL', '1', 'O*BRIEN']])).toThrow(X12WriteError);
    expect(writeSegments([['REF', 'EI', '123', '', '']], { delimiters: { element: '|' } })).toBe(
      'REF|EI|123~',
    );
  });
});
