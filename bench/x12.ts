/**
 * `npm run bench:x12`: throughput and memory of @intelluxe/x12 against node-x12, x12-parser and a raw byte loop.
 *
 * The parent builds a ≥ 30 MiB 837P and a ≥ 30 MiB 835 in memory with the library's own writer, writes them to a
 * temp folder, and runs every contender in a fresh child process (`--child NAME FILE`) so each one's peak RSS is
 * its own. Each child prints one JSON line: bytes, best and median seconds, peak RSS and heap growth.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  Claim,
  ClaimPayment,
  ClaimSubmission,
  Remittance,
  TransactionBody,
} from '../packages/x12/src/index.ts';
import {
  claimSegments,
  parse835,
  parse837P,
  remittanceSegments,
  tokenize,
  writeInterchange,
  writeSegments,
  X12Reader,
} from '../packages/x12/src/index.ts';

const MiB = 1024 * 1024;
const TARGET_BYTES = 30 * MiB;
const CLAIMS_PER_SET = 2000;

// ---------------------------------------------------------------------------------------------------------------
// Realistic input, made with the writer.

const NPIS = ['1234567893', '1456789019', '1987654328', '1765432103', '1609876549', '1523478901'];
const ICD10 = ['E119', 'I10', 'E785', 'J069', 'M5450', 'Z0000', 'K219', 'F419', 'R5383', 'N390'];
const CPT = ['99213', '99214', '99203', '36415', '80053', '83036', '85025', '93000', '71046', '97110'];
const LAST = ['GARCIA', 'SMITH', 'NGUYEN', 'JOHNSON', 'PATEL', 'WILLIAMS', 'BROWN', 'KIM', 'LOPEZ', 'DAVIS'];
const FIRST = ['ELENA', 'JAMES', 'MARIA', 'DAVID', 'LINDA', 'ROBERT', 'ANITA', 'MICHAEL', 'SARAH', 'THOMAS'];

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length]!;
const envelope = {
  senderId: 'INTELLUXE',
  receiverId: 'SANDBOXCH',
  interchangeControlNumber: 1,
  date: '2026-03-02',
  time: '09:30',
};

function claim(n: number): Claim {
  const lines = 1 + (n % 4);
  const charges = Array.from({ length: lines }, (_, k) => 4500 + ((n * 37 + k * 1301) % 30000));
  return {
    billingProvider: {
      type: 'organization',
      name: 'RIVERSIDE FAMILY MEDICINE',
      idQualifier: 'XX',
      id: pick(NPIS, n >> 8),
      taxonomy: '207Q00000X',
      address: { line1: '1200 RIVERSIDE DR', city: 'AUSTIN', state: 'TX', postalCode: '787041234' },
      taxId: '741234567',
    },
    subscriber: {
      type: 'person',
      name: pick(LAST, n),
      firstName: pick(FIRST, n >> 3),
      idQualifier: 'MI',
      id: `W${String(100000000 + n * 7919).slice(0, 9)}`,
      payerResponsibility: 'P',
      relationship: '18',
      groupNumber: `GRP${n % 997}`,
      claimFilingCode: 'CI',
      address: {
        line1: `${100 + (n % 900)} OAK HOLLOW LN`,
        city: 'AUSTIN',
        state: 'TX',
        postalCode: '78745',
      },
      dateOfBirth: `19${50 + (n % 50)}-0${1 + (n % 9)}-1${n % 9}`,
      gender: n % 2 ? 'F' : 'M',
    },
    payer: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '040' },
    patientControlNumber: `PCN${String(n).padStart(9, '0')}`,
    chargeCents: charges.reduce((a, b) => a + b, 0),
    placeOfService: '11',
    frequencyCode: '1',
    providerSignature: true,
    assignmentCode: 'A',
    benefitsAssigned: 'Y',
    releaseOfInformation: 'Y',
    diagnoses: [
      { qualifier: 'ABK', code: pick(ICD10, n) },
      { qualifier: 'ABF', code: pick(ICD10, n + 3) },
    ],
    ...(n % 5 === 0 ? { priorAuthorization: `AUTH${n}` } : {}),
    renderingProvider: {
      type: 'person',
      name: pick(LAST, n + 1),
      firstName: pick(FIRST, n + 2),
      idQualifier: 'XX',
      id: pick(NPIS, n + 1),
    },
    lines: charges.map((chargeCents, k) => ({
      procedure: { qualifier: 'HC', code: pick(CPT, n + k), modifiers: k === 0 && n % 3 === 0 ? ['25'] : [] },
      chargeCents,
      unitType: 'UN',
      units: 1,
      diagnosisPointers: [1, 2],
      serviceDate: { start: `2026-02-${String(1 + (n % 28)).padStart(2, '0')}` },
      lineControlNumber: `LN${n}-${k + 1}`,
    })),
  };
}

function claimPayment(n: number): ClaimPayment {
  const lines = 1 + (n % 4);
  const services = Array.from({ length: lines }, (_, k) => {
    const charge = 4500 + ((n * 37 + k * 1301) % 30000);
    const contractual = Math.floor(charge * 0.3);
    const coinsurance = k === 0 ? Math.floor(charge * 0.1) : 0;
    return {
      procedure: { qualifier: 'HC', code: pick(CPT, n + k), modifiers: [] },
      chargeCents: charge,
      paidCents: charge - contractual - coinsurance,
      units: 1,
      serviceDate: { start: `2026-02-${String(1 + (n % 28)).padStart(2, '0')}` },
      adjustments: [
        { group: 'CO', reason: '45', amountCents: contractual },
        ...(coinsurance ? [{ group: 'PR', reason: '2', amountCents: coinsurance }] : []),
      ],
      lineControlNumber: `LN${n}-${k + 1}`,
      references: [],
      amounts: [{ qualifier: 'B6', amountCents: charge - contractual }],
      remarkCodes: n % 7 === 0 ? ['N130'] : [],
    };
  });
  const sum = (f: (s: (typeof services)[number]) => number) => services.reduce((a, s) => a + f(s), 0);
  return {
    patientControlNumber: `PCN${String(n).padStart(9, '0')}`,
    statusCode: '1',
    chargeCents: sum((s) => s.chargeCents),
    paidCents: sum((s) => s.paidCents),
    patientResponsibilityCents: sum((s) =>
      s.adjustments.filter((a) => a.group === 'PR').reduce((a, b) => a + b.amountCents, 0),
    ),
    filingIndicator: '12',
    payerClaimControlNumber: `2026${String(n).padStart(9, '0')}`,
    patient: {
      type: 'person',
      name: pick(LAST, n),
      firstName: pick(FIRST, n >> 3),
      idQualifier: 'MI',
      id: `W${String(100000000 + n * 7919).slice(0, 9)}`,
    },
    renderingProvider: {
      type: 'person',
      name: pick(LAST, n + 1),
      firstName: pick(FIRST, n + 2),
      idQualifier: 'XX',
      id: pick(NPIS, n + 1),
    },
    adjustments: [],
    references: [],
    statementPeriod: { start: '2026-02-01', end: '2026-02-28' },
    amounts: [],
    services,
  };
}

function build837(): Buffer {
  const bodies: TransactionBody[] = [];
  let n = 0;
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const claims = Array.from({ length: CLAIMS_PER_SET }, () => claim(n++));
    const doc: ClaimSubmission = {
      kind: 'professional',
      claimType: 'CH',
      referenceId: `BATCH${bodies.length + 1}`,
      date: '2026-03-02',
      time: '09:30',
      submitter: {
        type: 'organization',
        name: 'RIVERSIDE FAMILY MEDICINE',
        idQualifier: '46',
        id: 'S1234567',
        contact: { name: 'BILLING OFFICE', phone: '5125550100' },
      },
      receiver: { type: 'organization', name: 'SANDBOX CLEARINGHOUSE', idQualifier: '46', id: 'SANDBOXCH' },
      claims,
    };
    const segments = claimSegments(doc);
    bodies.push({ id: '837', implementationReference: '005010X222A1', functionalId: 'HC', segments });
    bytes += writeSegments(segments).length;
  }
  return Buffer.from(writeInterchange(envelope, bodies), 'latin1');
}

function build835(): Buffer {
  const bodies: TransactionBody[] = [];
  let n = 0;
  let bytes = 0;
  while (bytes < TARGET_BYTES) {
    const claims = Array.from({ length: CLAIMS_PER_SET }, () => claimPayment(n++));
    const paid = claims.reduce((a, c) => a + c.paidCents, 0);
    const r: Remittance = {
      payment: {
        handlingCode: 'I',
        amountCents: paid - 2500,
        creditDebit: 'C',
        method: 'ACH',
        format: 'CCP',
        date: '2026-03-20',
      },
      trace: { type: '1', number: `EFT${bodies.length + 1}`, originatorId: '1350000001' },
      payer: {
        name: 'ANTHEM BLUE CROSS',
        payerId: '040',
        contacts: [{ function: 'BL', name: 'PROVIDER SERVICES', numbers: [['TE', '8006762583']] }],
      },
      payee: {
        name: 'RIVERSIDE FAMILY MEDICINE',
        idQualifier: 'XX',
        id: NPIS[0]!,
        taxId: '741234567',
        references: [],
      },
      claims,
      providerAdjustments: [
        {
          providerId: NPIS[0]!,
          fiscalPeriodEnd: '2026-12-31',
          adjustments: [{ reasonCode: 'WO', referenceId: 'OVP1', amountCents: 2500 }],
        },
      ],
    };
    const segments = remittanceSegments(r);
    bodies.push({ id: '835', implementationReference: '005010X221A1', functionalId: 'HP', segments });
    bytes += writeSegments(segments).length;
  }
  return Buffer.from(writeInterchange(envelope, bodies), 'latin1');
}

// ---------------------------------------------------------------------------------------------------------------
// Children: one contender each.

interface Measurement {
  name: string;
  file: string;
  bytes: number;
  runs: number;
  bestSeconds: number;
  medianSeconds: number;
  /** Peak RSS of the child minus its RSS after loading the input (bytes). */
  peakRssDelta: number;
  /** Heap + external growth while the result is still referenced (bytes). */
  retainedDelta: number;
  check: number;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const require = createRequire(import.meta.url);

function rawLoop(buf: Buffer): number {
  let n = 0;
  for (let i = 0; i < buf.length; i++) if (buf[i] === 0x7e) n++;
  return n;
}

type Runner = (buf: Buffer, file: string) => unknown | Promise<unknown>;

// Runs per contender: the first run of a parse also compiles it (JIT) and each run's time swings with when V8
// collects, so the typed parses get five runs and report their best and median; node-x12 gets two (each takes
// seconds, long enough to average its collections out); x12-parser streams from disk once.
const RUNNERS: Record<string, { runs: number; run: Runner; count: (result: unknown) => number }> = {
  raw_loop: { runs: 7, run: rawLoop, count: (r) => r as number },
  tokenize: {
    runs: 7,
    run: (buf) => tokenize(buf),
    count: (r) => (r as ReturnType<typeof tokenize>).table.length,
  },
  parse835: {
    runs: 5,
    run: (buf) => parse835(buf),
    count: (r) => (r as ReturnType<typeof parse835>).transactions.reduce((n, t) => n + t.claims.length, 0),
  },
  parse837: {
    runs: 5,
    run: (buf) => parse837P(buf),
    count: (r) => (r as ReturnType<typeof parse837P>).transactions.reduce((n, t) => n + t.claims.length, 0),
  },
  // The same full typed parse, but each transaction set is handed over and dropped: the working memory of a parse.
  stream: {
    runs: 5,
    run: (buf) => {
      let claims = 0;
      for (const t of new X12Reader(buf)) {
        if (t.type === '835' || t.type === '837P') claims += t.transaction.claims.length;
      }
      return claims;
    },
    count: (r) => r as number,
  },
  node_x12: {
    runs: 2,
    run: (buf) => {
      const { X12Parser } = require('node-x12') as {
        X12Parser: new (strict: boolean) => { parse(edi: string): unknown };
      };
      return new X12Parser(true).parse(buf.toString('latin1'));
    },
    count: (r) =>
      (r as { functionalGroups: { transactions: unknown[] }[] }).functionalGroups.reduce(
        (n, g) => n + g.transactions.length,
        0,
      ),
  },
  x12_parser: {
    runs: 1,
    run: (_buf, file) =>
      new Promise<number>((resolve, reject) => {
        const { X12parser } = require('x12-parser') as { X12parser: new () => NodeJS.ReadWriteStream };
        let n = 0;
        const parser = new X12parser();
        parser.on('data', () => {
          n++;
        });
        parser.on('end', () => resolve(n));
        parser.on('error', reject);
        createReadStream(file).on('error', reject).pipe(parser);
      }),
    count: (r) => r as number,
  },
};

async function child(name: string, file: string): Promise<void> {
  const runner = RUNNERS[name];
  if (!runner) throw new Error(`unknown contender ${name}`);
  const buf = readFileSync(file);
  gc();
  const baseRss = process.memoryUsage().rss;
  const base = process.memoryUsage();
  const times: number[] = [];
  let result: unknown;
  let retainedDelta = 0;
  let peakRss = 0;
  for (let k = 0; k < runner.runs; k++) {
    result = undefined;
    gc();
    const t0 = performance.now();
    result = await runner.run(buf, file);
    times.push((performance.now() - t0) / 1000);
    if (k === 0) {
      // Memory is measured over the first run only (the high-water mark of one full parse): later runs may still
      // hold the previous result while the next is built, which V8 frees lazily.
      peakRss = process.resourceUsage().maxRSS * 1024;
      gc();
      const m = process.memoryUsage();
      retainedDelta = m.heapUsed + m.external - base.heapUsed - base.external;
    }
  }
  times.sort((a, b) => a - b);
  const out: Measurement = {
    name,
    file,
    bytes: buf.length,
    runs: runner.runs,
    bestSeconds: times[0]!,
    medianSeconds: times[times.length >> 1]!,
    peakRssDelta: Math.max(0, peakRss - baseRss),
    retainedDelta,
    check: runner.count(result),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function spawnChild(name: string, file: string): Measurement {
  // node-x12 needs several GiB of heap for 30 MiB; the others run with Node's defaults (a huge heap limit makes
  // V8 collect lazily, which would inflate their peak RSS).
  const heap = name === 'node_x12' ? ['--max-old-space-size=12288'] : [];
  const args = ['--expose-gc', ...heap, process.argv[1]!, '--child', name, file];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 16 * MiB, timeout: 240_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) {
    throw new Error(
      `${name} on ${file} failed (status ${r.status}, signal ${r.signal}): ${r.stderr.slice(-2000)}`,
    );
  }
  return JSON.parse(line) as Measurement;
}

// ---------------------------------------------------------------------------------------------------------------

const mibps = (m: Measurement) => m.bytes / MiB / m.bestSeconds;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'x12-bench-'));
  try {
    const t0 = performance.now();
    const f837 = join(dir, 'claims.837');
    const f835 = join(dir, 'remittance.835');
    writeFileSync(f837, build837());
    writeFileSync(f835, build835());
    const s837 = readFileSync(f837).length;
    const s835 = readFileSync(f835).length;
    console.log(
      `generated 837P ${fmt(s837 / MiB)} MiB and 835 ${fmt(s835 / MiB)} MiB with the writer in ${fmt((performance.now() - t0) / 1000)} s`,
    );
    console.log(
      `node ${process.version}; every contender runs in its own child process; MiB/s from its best run\n`,
    );

    const rows: Measurement[] = [];
    const plan: [string, string][] = [
      ['raw_loop', f837],
      ['raw_loop', f835],
      ['tokenize', f837],
      ['tokenize', f835],
      ['parse837', f837],
      ['parse835', f835],
      ['stream', f837],
      ['stream', f835],
      ['node_x12', f837],
      ['node_x12', f835],
      ['x12_parser', f837],
      ['x12_parser', f835],
    ];
    console.log(
      'contender    file     MiB/s     best s   median s  runs  peak RSS Δ   retained Δ  (× file)  check',
    );
    for (const [name, file] of plan) {
      const m = spawnChild(name, file);
      rows.push(m);
      const kind = file === f837 ? '837P' : '835';
      console.log(
        `${name.padEnd(12)} ${kind.padEnd(5)} ${fmt(mibps(m)).padStart(8)} ${fmt(m.bestSeconds, 3).padStart(10)} ${fmt(m.medianSeconds, 3).padStart(10)} ${String(m.runs).padStart(5)} ${`${fmt(m.peakRssDelta / MiB, 0)} MiB`.padStart(11)} ${`${fmt(m.retainedDelta / MiB, 0)} MiB`.padStart(12)} ${`${fmt(m.peakRssDelta / m.bytes, 2)}×`.padStart(9)}  ${m.check}`,
      );
    }
    const pick = (name: string, file: string) => rows.find((r) => r.name === name && r.file === file)!;
    const combined = (name: string) => {
      const a = pick(name, f837);
      const b = pick(name, f835);
      return (a.bytes + b.bytes) / MiB / (a.bestSeconds + b.bestSeconds);
    };
    const tokenizeMibps = combined('tokenize');
    const rawMibps = combined('raw_loop');
    const nodeX12 = combined('node_x12');
    const p835 = mibps(pick('parse835', f835));
    const p837 = mibps(pick('parse837', f837));
    const typed =
      (s835 + s837) / MiB / (pick('parse835', f835).bestSeconds + pick('parse837', f837).bestSeconds);
    const memory = Math.max(
      pick('parse835', f835).peakRssDelta / s835,
      pick('parse837', f837).peakRssDelta / s837,
    );
    const streaming = Math.max(
      pick('stream', f835).peakRssDelta / s835,
      pick('stream', f837).peakRssDelta / s837,
    );
    console.log('');
    console.log(
      `typed parse (835 + 837P) ${fmt(typed)} MiB/s vs node-x12 ${fmt(nodeX12)} MiB/s (node-x12 best of 2 full-file runs: ${fmt(pick('node_x12', f837).bestSeconds, 1)} s + ${fmt(pick('node_x12', f835).bestSeconds, 1)} s)`,
    );
    const typedMedian =
      (s835 + s837) / MiB / (pick('parse835', f835).medianSeconds + pick('parse837', f837).medianSeconds);
    const nodeX12Median =
      (s835 + s837) / MiB / (pick('node_x12', f835).medianSeconds + pick('node_x12', f837).medianSeconds);
    console.log(
      `medians instead of best runs: typed parse ${fmt(typedMedian)} MiB/s vs node-x12 ${fmt(nodeX12Median)} MiB/s (${fmt(typedMedian / nodeX12Median)}×)`,
    );
    console.log(`x12-parser (segments only, stream) ${fmt(combined('x12_parser'))} MiB/s`);
    console.log(
      `peak memory (RSS growth over the loaded file): whole-document typed parse keeping every object ${fmt(memory, 2)}× the file; ` +
        `full typed parse handing over one transaction set at a time (X12Reader) ${fmt(streaming, 2)}×`,
    );
    console.log(
      `targets: typed parse ≥ 10× node-x12: ${typed / nodeX12 >= 10 ? 'met' : 'MISSED'}; tokenizer ≥ 25% of raw loop: ${tokenizeMibps / rawMibps >= 0.25 ? 'met' : 'MISSED'}; ` +
        `parse memory < 4×: ${streaming < 4 ? 'met' : 'MISSED'} streaming, ${memory < 4 ? 'met' : 'MISSED'} keeping every object`,
    );
    console.log(
      `RESULT tokenize_mibps=${fmt(tokenizeMibps)} parse835_mibps=${fmt(p835)} parse837_mibps=${fmt(p837)} node_x12_mibps=${fmt(nodeX12, 2)} raw_loop_mibps=${fmt(rawMibps)} speedup_vs_node_x12=${fmt(typed / nodeX12)} tokenize_fraction_of_raw=${fmt(tokenizeMibps / rawMibps, 3)}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const at = process.argv.indexOf('--child');
const writeTo = process.argv.indexOf('--write');
if (at >= 0) await child(process.argv[at + 1]!, process.argv[at + 2]!);
else if (writeTo >= 0) {
  // `npm run bench:x12 -- --write DIR` only writes the generated inputs (for profiling or other tools).
  const out = process.argv[writeTo + 1] ?? '.';
  writeFileSync(join(out, 'claims.837'), build837());
  writeFileSync(join(out, 'remittance.835'), build835());
} else await main();
