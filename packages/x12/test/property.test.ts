import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Delimiters, EnvelopeOptions } from '../src/index.ts';
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
  parse270,
  parse271,
  parse276,
  parse277,
  parse278,
  parse835,
  parse837,
  parse837I,
  parse837P,
  parse999,
  parseTA1,
  parseX12,
  summarizeCoverage,
  TA1_NOTES,
  tokenize,
  validate,
  X12Error,
  X12Tokenizer,
} from '../src/index.ts';
import * as arb from './arbitraries.ts';
import { claim837P, envelope, remittance } from './fixtures.ts';

const RUNS = 60;
const PARSERS = [
  parseX12,
  parse270,
  parse271,
  parse276,
  parse277,
  parse278,
  parse835,
  parse837,
  parse837P,
  parse837I,
  parse999,
  parseTA1,
];

/** Characters X12 values never contain in these generators, so any three of them can serve as delimiters. */
const DELIMITER_CHOICES = ['*', '~', ':', '^', '|', '>', '!', '`', '{', '}', '\n', '\u001d', '+', '@'];
const delimiters: fc.Arbitrary<Delimiters> = fc
  .shuffledSubarray(DELIMITER_CHOICES, { minLength: 4, maxLength: 4 })
  .filter(([element, , , segment]) => element !== '\n' && element !== '\u001d' && segment !== undefined)
  .map(([element, component, repetition, segment]) => ({
    element: element!,
    component: component!,
    repetition: repetition!,
    segment: segment!,
  }));

const env = (d: Delimiters, n: number): EnvelopeOptions => ({
  ...envelope,
  interchangeControlNumber: n,
  delimiters: d,
});
const controlNumber = fc.integer({ min: 1, max: 999_999_999 });

function noErrors(x12: string): void {
  const errors = validate(x12).filter((d) => d.severity === 'error');
  expect(errors.map((d) => `${d.code} ${d.segmentId}: ${d.message}`)).toEqual([]);
}

describe('build → parse round trips on generated transactions', () => {
  it('837P', () => {
    fc.assert(
      fc.property(arb.claimSubmission('professional'), delimiters, controlNumber, (doc, d, n) => {
        const x12 = build837P(doc, env(d, n));
        noErrors(x12);
        expect(parse837P(x12).transactions).toEqual([doc]);
      }),
      { numRuns: RUNS },
    );
  });

  it('837I', () => {
    fc.assert(
      fc.property(arb.claimSubmission('institutional'), delimiters, controlNumber, (doc, d, n) => {
        const x12 = build837I(doc, env(d, n));
        noErrors(x12);
        expect(parse837I(x12).transactions).toEqual([doc]);
      }),
      { numRuns: RUNS },
    );
  });

  it('835 (balanced by construction, so the balancing checks stay quiet)', () => {
    fc.assert(
      fc.property(arb.remittance, delimiters, controlNumber, (r, d, n) => {
        const x12 = build835(r, env(d, n));
        noErrors(x12);
        const parsed = parse835(x12, { strict: true });
        expect(parsed.transactions).toEqual([r]);
      }),
      { numRuns: RUNS },
    );
  });

  it('270 and 271', () => {
    fc.assert(
      fc.property(arb.eligibilityRequest, arb.eligibilityResponse, delimiters, (request, response, d) => {
        const x270 = build270(request, env(d, 7));
        noErrors(x270);
        expect(parse270(x270).transactions).toEqual([request]);
        const x271 = build271(response, env(d, 8));
        noErrors(x271);
        expect(parse271(x271).transactions).toEqual([{ ...response, coverage: summarizeCoverage(response) }]);
      }),
      { numRuns: RUNS },
    );
  });

  it('276, 277 and 277CA', () => {
    fc.assert(
      fc.property(arb.statusRequest, arb.statusResponse, delimiters, (request, response, d) => {
        const x276 = build276(request, env(d, 9));
        noErrors(x276);
        expect(parse276(x276).transactions).toEqual([request]);
        const x277 = build277(response, env(d, 10));
        noErrors(x277);
        expect(parse277(x277).transactions).toEqual([response]);
      }),
      { numRuns: RUNS },
    );
  });

  it('278 request and response', () => {
    fc.assert(
      fc.property(arb.serviceReview, delimiters, (review, d) => {
        const x12 = build278(review, env(d, 11));
        noErrors(x12);
        expect(parse278(x12).transactions).toEqual([review]);
      }),
      { numRuns: RUNS },
    );
  });

  it('999/997 and TA1', () => {
    fc.assert(
      fc.property(arb.implementationAck, arb.interchangeAck, delimiters, (ack, ta1, d) => {
        const x999 = build999(ack, env(d, 12));
        noErrors(x999);
        expect(parse999(x999).transactions).toEqual([ack]);
        const xta1 = buildTA1(ta1, env(d, 13));
        noErrors(xta1);
        expect(parseTA1(xta1).transactions).toEqual([{ ...ta1, note: TA1_NOTES[ta1.noteCode] }]);
      }),
      { numRuns: RUNS },
    );
  });
});

/** Seeds for corruption: generated documents of several kinds and delimiters. */
const SEEDS = [
  build837P(claim837P, envelope),
  build835(remittance, {
    ...envelope,
    delimiters: { element: '|', component: '>', repetition: '!', segment: '\n' },
  }),
  build835(remittance, envelope).replaceAll('~', '~\r\n'),
];

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({
    kind: fc.constant('delimiter' as const),
    at: fc.nat(),
    byte: fc.constantFrom(0x2a, 0x7e, 0x3a, 0x5e, 0x0a, 0x0d),
  }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ maxLength: 20 }) }),
);

function mutate(
  seed: string,
  mutations: fc.Arbitrary<typeof mutation extends fc.Arbitrary<infer M> ? M : never>[] | unknown[],
): Buffer {
  let bytes = Buffer.from(seed, 'latin1');
  for (const m of mutations as {
    kind: string;
    at: number;
    byte?: number;
    length?: number;
    bytes?: Uint8Array;
  }[]) {
    const at = bytes.length === 0 ? 0 : m.at % bytes.length;
    if (m.kind === 'replace' || m.kind === 'delimiter') {
      if (bytes.length > 0) bytes[at] = m.byte!;
    } else if (m.kind === 'delete')
      bytes = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + m.length!)]);
    else if (m.kind === 'truncate') bytes = bytes.subarray(0, at);
    else bytes = Buffer.concat([bytes.subarray(0, at), Buffer.from(m.bytes!), bytes.subarray(at)]);
  }
  return bytes;
}

describe('corrupted input never crashes', () => {
  it('lenient parsers return diagnostics; strict ones throw only X12Error', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS),
        fc.array(mutation, { minLength: 1, maxLength: 6 }),
        (seed, mutations) => {
          const bytes = mutate(seed, mutations);
          for (const parse of PARSERS) {
            const result = parse(bytes);
            expect(Array.isArray(result.diagnostics)).toBe(true);
            try {
              parse(bytes, { strict: true });
            } catch (error) {
              expect(error).toBeInstanceOf(X12Error);
            }
          }
          expect(Array.isArray(validate(bytes.toString('latin1')))).toBe(true);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('random bytes and random text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b)),
          fc.string({ maxLength: 300 }),
        ),
        (input) => {
          for (const parse of PARSERS) expect(() => parse(input)).not.toThrow();
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a document with its delimiters changed parses to the same typed transaction', () => {
    fc.assert(
      fc.property(delimiters, (d) => {
        const x12 = build835(remittance, { ...envelope, delimiters: d });
        expect(parse835(x12).transactions).toEqual([remittance]);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('incremental tokenizer', () => {
  it('gives the same segments as the whole-buffer tokenizer for any chunking', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SEEDS, `\ufeff${SEEDS[0]}`),
        fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 40 }),
        (seed, sizes) => {
          const bytes = Buffer.from(seed, 'utf8');
          const whole = tokenize(bytes).table;
          const expected = Array.from({ length: whole.length }, (_, i) => [whole.text(i), whole.offset(i)]);
          const tokenizer = new X12Tokenizer();
          const got: [string, number][] = [];
          let at = 0;
          let k = 0;
          while (at < bytes.length) {
            const size = sizes[k++ % sizes.length]!;
            for (const s of tokenizer.push(bytes.subarray(at, at + size))) got.push([s.toString(), s.offset]);
            at += size;
          }
          for (const s of tokenizer.end()) got.push([s.toString(), s.offset]);
          expect(got).toEqual(expected);
        },
      ),
      { numRuns: 100 },
    );
  });
});
