import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TypedTransaction } from '../src/index.ts';
import {
  build835,
  detectTransactionType,
  parse271,
  parse835,
  parse837,
  parse837I,
  parse837P,
  parseInterchange,
  parseX12,
  X12Error,
} from '../src/index.ts';
import type { CorpusExpectation } from './corpus-expectations.ts';
import { CORPUS } from './corpus-expectations.ts';

const root = new URL('../../../../shared/corpora/x12/', import.meta.url);

function itemsOf(t: TypedTransaction): { items: number; lines: number } {
  switch (t.type) {
    case '837P':
    case '837I':
    case '837D':
      return {
        items: t.transaction.claims.length,
        lines: t.transaction.claims.reduce((n, c) => n + c.lines.length, 0),
      };
    case '835':
      return {
        items: t.transaction.claims.length,
        lines: t.transaction.claims.reduce((n, c) => n + c.services.length, 0),
      };
    case '271':
      return { items: t.transaction.benefits.length, lines: 0 };
    case '277':
    case '277CA': {
      const r = t.transaction;
      const level = r.levelStatuses.reduce((n, l) => n + l.statuses.length, 0);
      const claims = r.claims.reduce(
        (n, c) => n + c.statuses.length + c.lines.reduce((m, l) => m + l.statuses.length, 0),
        0,
      );
      return { items: level + claims, lines: 0 };
    }
    case '278': {
      const r = t.transaction;
      return { items: (r.event.decision ? 1 : 0) + r.services.filter((s) => s.decision).length, lines: 0 };
    }
    case '999':
    case '997':
      return { items: t.transaction.transactionSets.length, lines: 0 };
    case 'TA1':
      return { items: 1, lines: 0 };
    default:
      return { items: 0, lines: 0 };
  }
}

type Loops = Required<CorpusExpectation>['claimLoops'];
type Parts = Required<CorpusExpectation>['claimParts'] & Loops & { relatedEntities: number };
const NO_CLAIM_PARTS = { otherPayers: 0, lineAdjudications: 0, certifications: 0, conditionIndicators: 0 };
const NO_CLAIM_LOOPS: Loops = { operatingPhysicians: 0, lineAmbulanceLocations: 0, forms: 0, formAnswers: 0 };
const NO_PARTS: Parts = { ...NO_CLAIM_PARTS, ...NO_CLAIM_LOOPS, relatedEntities: 0 };

/** How many of the typed COB, certification, provider, location, form and benefit entity parts a transaction has. */
function partsOf(t: TypedTransaction): Parts {
  const parts = { ...NO_PARTS };
  if (t.type === '837P' || t.type === '837I' || t.type === '837D') {
    for (const c of t.transaction.claims) {
      parts.otherPayers += c.otherPayers?.length ?? 0;
      parts.certifications +=
        Number(c.ambulanceTransport !== undefined) + Number(c.spinalManipulation !== undefined);
      parts.conditionIndicators += c.conditionIndicators?.length ?? 0;
      parts.operatingPhysicians +=
        Number(c.operatingPhysician !== undefined) + Number(c.otherOperatingPhysician !== undefined);
      for (const l of c.lines) {
        parts.lineAdjudications += l.adjudications?.length ?? 0;
        parts.certifications +=
          Number(l.ambulanceTransport !== undefined) + Number(l.dmeCertification !== undefined);
        parts.conditionIndicators += l.conditionIndicators?.length ?? 0;
        parts.lineAmbulanceLocations +=
          Number(l.ambulancePickup !== undefined) + Number(l.ambulanceDropoff !== undefined);
        parts.forms += l.forms?.length ?? 0;
        for (const f of l.forms ?? []) parts.formAnswers += f.answers.length;
      }
    }
  } else if (t.type === '271') {
    for (const b of t.transaction.benefits) parts.relatedEntities += b.relatedEntities?.length ?? 0;
  }
  return parts;
}

function addParts(a: Parts, b: Parts): Parts {
  const sum = { ...a };
  for (const key of Object.keys(sum) as (keyof Parts)[]) sum[key] += b[key];
  return sum;
}

const read = (file: string) => readFileSync(new URL(file, root));

describe('typed COB, certification and benefit entity details on corpus files', () => {
  it('837P from the primary to payer B: 2320/2330 for the primary and a 2430 per line', () => {
    const [claim] = parse837P(read('837P/badx12_cob_bp_to_payer_b.x12'), { strict: true }).transactions[0]!
      .claims;
    expect(claim?.otherPayers).toEqual([
      {
        payerResponsibility: 'P',
        relationship: '01',
        claimFilingCode: 'CI',
        adjustments: [
          { group: 'PR', reason: '1', amountCents: 2189 },
          { group: 'PR', reason: '2', amountCents: 1500 },
        ],
        paidCents: 3915,
        remainingPatientLiabilityCents: 3689,
        benefitsAssigned: 'Y',
        patientSignatureSource: 'P',
        releaseOfInformation: 'Y',
        subscriber: {
          type: 'person',
          name: 'SMITH',
          firstName: 'JANE',
          idQualifier: 'MI',
          id: 'JS00111223333',
          address: { line1: '236 N MAIN ST', city: 'MIAMI', state: 'FL', postalCode: '33111' },
          references: [],
        },
        payer: {
          type: 'organization',
          name: 'KEY INSURANCE COMPANY',
          idQualifier: 'PI',
          id: '999996666',
          references: [],
        },
      },
    ]);
    expect(
      claim?.lines.map((l) =>
        l.adjudications?.map((a) => [a.payerId, a.paidCents, a.procedure?.code, a.paymentDate]),
      ),
    ).toEqual([
      [['999996666', 4000, '99213', '2005-10-15']],
      [['999996666', 1500, '90782', '2005-10-15']],
      [['999996666', 2104, 'J3301', '2005-10-15']],
    ]);
    expect(claim?.lines[0]?.adjudications?.[0]?.adjustments).toEqual([
      { group: 'CO', reason: '42', amountCents: 300 },
    ]);
  });

  it('837P Medicare secondary: AMT D and A8, and line CAS in two groups', () => {
    const [claim] = parse837P(read('837P/badx12_medicare_secondary_cob.x12')).transactions[0]!.claims;
    const [other] = claim!.otherPayers!;
    expect([other?.groupName, other?.paidCents, other?.nonCoveredCents, other?.payer.id]).toEqual([
      'COMMERCE',
      8000,
      1500,
      '59999',
    ]);
    expect(claim?.lines[0]?.adjudications).toEqual([
      {
        payerId: '59999',
        paidCents: 8000,
        procedure: { qualifier: 'HC', code: '99203', modifiers: ['25'] },
        units: 1,
        adjustments: [
          { group: 'CO', reason: '42', amountCents: 2500 },
          { group: 'PR', reason: '2', amountCents: 1500 },
        ],
        paymentDate: '2005-01-28',
      },
    ]);
  });

  it('837I with two 2320 loops (a CAS with a quantity; a 2330C name that is not typed) and a 2430', () => {
    const [claim] = parse837I(read('837I/oop_5010_institutional_claim.x12')).transactions[0]!.claims;
    expect(
      claim?.otherPayers?.map((o) => [o.payerResponsibility, o.payer.name, o.payer.id, o.paidCents]),
    ).toEqual([
      ['S', 'STATE TEACHERS', '1135', 1050],
      ['S', 'STATE TEACHERS', '1135', undefined],
    ]);
    expect(claim?.otherPayers?.[0]?.adjustments).toEqual([
      { group: 'PR', reason: '1', amountCents: 793 },
      { group: 'OA', reason: '93', amountCents: 1506 },
      { group: 'OA', reason: '93', amountCents: 1506, quantity: 2.2 },
    ]);
    expect(
      claim?.lines[1]?.adjudications?.map((a) => [a.payerId, a.paidCents, a.units, a.adjustments.length]),
    ).toEqual([['43', 5500, 3, 3]]);
  });

  it("837I attending, operating and other operating physicians (2310A-C) and the other payer's 2330C", () => {
    const [claim] = parse837I(read('837I/oop_5010_institutional_claim.x12')).transactions[0]!.claims;
    expect([claim?.attendingProvider, claim?.operatingPhysician, claim?.otherOperatingPhysician]).toEqual([
      // Each with its REF 1G (UPIN) secondary id.
      {
        type: 'person',
        name: 'JONES',
        firstName: 'JOHN',
        middleName: 'J',
        references: [{ qualifier: '1G', value: 'B99937A' }],
      },
      {
        type: 'person',
        name: 'JONES',
        firstName: 'JANE',
        middleName: 'J',
        references: [{ qualifier: '1G', value: 'B99937B' }],
      },
      {
        type: 'person',
        name: 'JONES',
        firstName: 'JOE',
        middleName: 'J',
        references: [{ qualifier: '1G', value: 'B99937B' }],
      },
    ]);
    // The other payer's NM1*71 (2330C, after its 2330B) is that payer's attending provider loop, not the claim's.
    expect(claim?.otherPayers?.map((o) => o.providers)).toEqual([
      [{ role: 'attending', type: 'organization', references: [] }],
      undefined,
    ]);
    // The line's NM1*72 (2420A) comes after its 2430 loop, out of the guide's order: it is still the line's
    // operating physician, with its PRV, and the 2430 keeps its own CAS.
    const [, second] = claim!.lines;
    expect(second?.renderingProvider).toBeUndefined();
    expect(second?.operatingPhysician).toEqual({
      type: 'person',
      name: 'JONES',
      firstName: 'JOHN',
      middleName: 'J',
      idQualifier: 'XX',
      id: 'B99937',
      taxonomy: '363LP0200N',
    });
    expect(second?.adjudications?.map((a) => [a.payerId, a.adjustments.length])).toEqual([['43', 3]]);
    const batch = parse837I(read('837I/oop_4010_swreed_batch1_54st.x12'), { strict: true }).transactions;
    const operated = batch.flatMap((t) => t.claims).filter((c) => c.operatingPhysician);
    expect(operated.map((c) => [c.operatingPhysician?.name, c.attendingProvider?.taxonomy])).toEqual([
      ['XXXXXXX', '999X99999X'],
      ['XXXX', '999XX9999X'],
      ['XXXXXX', '999X99999X'],
      ['XXXXX', '999XX9999X'],
    ]);
    expect(operated[1]?.operatingPhysician).toEqual({
      type: 'person',
      name: 'XXXX',
      firstName: 'T',
      middleName: 'K',
      idQualifier: 'XX',
      id: '9999999999',
      references: [{ qualifier: '0B', value: '9999999999' }],
    });
  });

  it('837P ambulance (CR1, CRC), chiropractic (CR2), oxygen and wheelchair (CR3)', () => {
    const [ambulance] = parse837P(read('837P/badx12_ambulance.x12')).transactions[0]!.claims;
    expect(ambulance?.ambulanceTransport).toEqual({
      patientWeightLbs: 275,
      reasonCode: 'A',
      distanceMiles: 21,
      stretcherPurpose: 'PATIENT IMOBILIZED',
    });
    expect(ambulance?.conditionIndicators).toEqual([
      { category: '07', applies: true, conditions: ['04', '06', '09'] },
      { category: '07', applies: false, conditions: ['05', '07', '08'] },
    ]);
    expect(ambulance?.ambulancePickup).toEqual({
      line1: '1129 REINDEER ROAD',
      city: 'CARR',
      state: 'CO',
      postalCode: '80612',
    });
    expect(ambulance?.ambulanceDropoff).toEqual({
      address: { line1: '10005 BANNOCK ST', city: 'CHEYENNE', state: 'WY', postalCode: '82009' },
    });
    const [chiropractic] = parse837P(read('837P/badx12_chiropractic.x12')).transactions[0]!.claims;
    expect(chiropractic?.spinalManipulation).toEqual({
      patientCondition: 'A',
      description: 'CHRONIC PAIN AND DISCOMFORT',
    });
    const [oxygen] = parse837P(read('837P/badx12_oxygen.x12')).transactions[0]!.claims;
    expect(oxygen?.lines.map((l) => l.dmeCertification)).toEqual([
      { type: 'R', durationMonths: 99 },
      { type: 'R', durationMonths: 99 },
    ]);
    const [wheelchair] = parse837P(read('837P/badx12_wheelchair.x12')).transactions[0]!.claims;
    expect(wheelchair?.lines[0]?.dmeCertification).toEqual({ type: 'I', durationMonths: 99 });
  });

  it('837P other payer providers (2330C-G) and ambulance locations (2310E/F) of a multi-claim file', () => {
    const [first, second] = parse837P(read('837P/ims_complex_2st_6claims.x12')).transactions;
    const [a, b, c] = first!.claims;
    expect(a?.otherPayers?.map((o) => o.providers)).toEqual([
      undefined,
      [{ role: 'referring', type: 'person', references: [] }],
      [
        { role: 'referring', type: 'person', references: [] },
        { role: 'billing', type: 'organization', references: [{ qualifier: 'G2', value: '2330G1' }] },
      ],
    ]);
    expect(a?.otherPayers?.[2]?.payer.references).toEqual([]);
    expect(b?.otherPayers?.[0]?.providers).toEqual([
      { role: 'referring', type: 'person', references: [] },
      { role: 'referring', type: 'person', references: [] },
      { role: 'rendering', type: 'person', references: [{ qualifier: 'G2', value: '2330D1' }] },
      { role: 'serviceFacility', type: 'organization', references: [{ qualifier: 'G2', value: '2330E1' }] },
      { role: 'supervising', type: 'person', references: [{ qualifier: 'G2', value: '2330F1' }] },
      { role: 'billing', type: 'organization', references: [{ qualifier: 'G2', value: '2330G1' }] },
    ]);
    expect(b?.ambulancePickup).toEqual({
      line1: '2310E STREET 1',
      city: '2310E CITY 1',
      state: '11',
      postalCode: 'ZIP1',
    });
    expect(b?.ambulanceDropoff).toEqual({
      address: { line1: '2310F STREET 1', city: '2310F CITY 1', state: '11', postalCode: 'ZIP1' },
    });
    // The 2310C service facility keeps its own address, and the claim its 2310E/F beside the line's 2420G/H.
    expect(b?.serviceFacility?.address?.line1).toBe('2310C STREET 2');
    expect(c?.ambulancePickup).toBeUndefined();
    expect(second!.claims[1]?.ambulanceDropoff?.address.line1).toBe('2310F STREET 1');
  });

  it('837P line ambulance locations (2420G/H) and forms (2440), a 2440 after a 2430, of a multi-claim file', () => {
    for (const transaction of parse837P(read('837P/ims_complex_2st_6claims.x12')).transactions) {
      const [a, b, c] = transaction.claims;
      const [transfer] = b!.lines;
      expect(transfer?.ambulancePickup).toEqual({
        line1: '2420G STREET 1',
        city: '2420G CITY 1',
        state: '11',
        postalCode: 'ZIP1',
      });
      expect(transfer?.ambulanceDropoff).toEqual({
        address: { line1: '2420H STREET 1', city: '2420H CITY 1', state: '11', postalCode: 'ZIP1' },
      });
      expect(transfer?.renderingProvider?.name).toBe('2420A');
      // 2420B-F: each line provider loop in its own field, the 2420C facility with its N3/N4 (before the 2420G).
      expect(transfer?.purchasedServiceProvider).toEqual({
        type: 'organization',
        name: '',
        idQualifier: 'XX',
        id: '2420B',
      });
      expect(transfer?.serviceFacility).toEqual({
        type: 'organization',
        name: '2420C',
        idQualifier: 'XX',
        id: '1394949',
        address: { line1: '2420C STREET 1', city: '2420C CITY 1', state: '11', postalCode: 'ZIP1' },
      });
      expect([transfer?.supervisingProvider?.name, transfer?.supervisingProvider?.idQualifier]).toEqual([
        '2420D',
        'MI',
      ]);
      expect(transfer?.orderingProvider).toEqual({
        type: 'person',
        name: '2420E',
        firstName: 'TRENT',
        idQualifier: 'XX',
        id: '303304',
      });
      // Two 2420F loops: the later one is kept, as for the claim's two 2310A loops.
      expect(transfer?.referringProvider?.name).toBe('VELBY');
      expect([b?.referringProvider?.name, b?.supervisingProvider?.name]).toEqual(['RELBY', '2310D1']);
      expect(a?.supervisingProvider).toBeUndefined();
      expect(transfer?.adjudications?.map((x) => [x.payerId, x.paymentDate])).toEqual([['43', '2020-07-28']]);
      expect(transfer?.forms).toEqual([{ type: 'UT', id: '01.02', answers: [{ question: '12N' }] }]);
      expect(a?.lines.map((l) => l.forms)).toEqual([
        [{ type: 'UT', id: '01.02', answers: [{ question: '12N' }] }],
        undefined,
      ]);
      expect(a?.lines[0]?.ambulancePickup).toBeUndefined();
      expect(c?.lines[1]?.forms).toEqual([
        { type: 'UT', id: '01.03', answers: [{ question: '12M' }] },
        { type: 'UT', id: '01.04', answers: [{ question: '12Q' }] },
      ]);
    }
  });

  it('837P oxygen and wheelchair certificates of medical necessity (2440 LQ*UT with FRM answers)', () => {
    const [wheelchair] = parse837P(read('837P/badx12_wheelchair.x12'), { strict: true }).transactions[0]!
      .claims;
    expect(wheelchair?.lines[0]?.forms).toEqual([
      {
        type: 'UT',
        id: '02.03B',
        answers: [
          { question: '1', yesNo: 'Y' },
          { question: '2', yesNo: 'N' },
          { question: '3', yesNo: 'N' },
          { question: '4', yesNo: 'N' },
          { question: '5', text: '8' },
          { question: '8', yesNo: 'N' },
          { question: '9', yesNo: 'Y' },
        ],
      },
    ]);
    const oxygenForm = {
      type: 'UT',
      id: '04.03',
      answers: [
        // The sample gives the test date as text (FRM03), not as FRM04: kept as written.
        { question: '1A', text: '056' },
        { question: '1C', text: '20050228' },
        { question: '2', text: '1' },
        { question: '3', text: '1' },
        { question: '4', yesNo: 'Y' },
        { question: '5', text: '2' },
        { question: '7', yesNo: 'Y' },
        { question: '8', yesNo: 'N' },
        { question: '9', yesNo: 'Y' },
      ],
    };
    for (const file of ['837P/badx12_oxygen.x12', '837P/lfh_a2_example7.x12']) {
      const [oxygen] = parse837P(read(file), { strict: true }).transactions[0]!.claims;
      expect(oxygen?.lines.map((l) => l.forms)).toEqual([[oxygenForm], [oxygenForm]]);
    }
    // The ordering physician of each oxygen line (2420E) with address and contact (PER).
    const [oxygen] = parse837P(read('837P/badx12_oxygen.x12')).transactions[0]!.claims;
    expect(oxygen?.lines[1]?.orderingProvider).toEqual({
      type: 'person',
      name: 'WILSON',
      firstName: 'LARRY',
      idQualifier: 'XX',
      id: '5555511111',
      address: { line1: '1212 NORTH MERIDIAN', city: 'RICHMOND', state: 'IN', postalCode: '46223' },
      references: [{ qualifier: '1G', value: 'X99999' }],
      contact: { name: 'LEE', phone: '5554446666' },
    });
  });

  it('835 Medicare Part A: inpatient MIA (covered days, DRG amount) and outpatient MOA remarks, built back alike', () => {
    const [remittance] = parse835(read('835/lfh_medicare_part_a.x12'), { strict: true }).transactions;
    expect(remittance!.claims.map((c) => [c.patientControlNumber, c.adjudication])).toEqual([
      ['666123', { kind: 'inpatient', remarkCodes: [], coveredDays: 0, amountCents: 13801840 }],
      ['777777', { kind: 'outpatient', remarkCodes: ['MA02'] }],
    ]);
    const rebuilt = build835(remittance!, {
      senderId: 'MEDICARE',
      receiverId: 'PROVIDER',
      interchangeControlNumber: 1,
      date: '2026-03-02',
      time: '09:30',
    });
    expect(rebuilt).toContain('~MIA*0***138018.4~');
    expect(rebuilt).toContain('~MOA***MA02~');
  });

  it('271 benefit related entities: a payer with address and contact, a PCP, a PRV', () => {
    const [silverscript] = parse271(read('271/nodex12_271.x12')).transactions;
    const withEntity = silverscript!.benefits.filter((b) => b.relatedEntities);
    expect(withEntity.map((b) => [b.code, b.serviceTypes])).toEqual([['R', ['88']]]);
    expect(withEntity[0]?.relatedEntities).toEqual([
      {
        role: 'PR',
        type: 'organization',
        name: 'SILVERSCRIPT INSURANCE COMPANY',
        address: { line1: '445 Great Circle Road', city: 'Nashville', state: 'TN', postalCode: '37228' },
        contact: {
          function: 'IC',
          numbers: [
            ['TE', '8664430934'],
            ['UR', 'www.silverscript.com'],
          ],
        },
      },
    ]);
    const [pcp] = parse271(read('271/oop_5010_example_3_1_2.x12'), { strict: true }).transactions;
    expect(pcp?.benefits[1]?.code).toBe('L');
    expect(pcp?.benefits[1]?.relatedEntities).toEqual([
      { role: 'P3', type: 'person', name: 'JONES', firstName: 'MARCUS', idQualifier: 'SV', id: '0202034' },
    ]);
    const [hets] = parse271(read('271/oop_4010_cms_hets.x12')).transactions;
    const roles = hets!.benefits.flatMap((b) => (b.relatedEntities ?? []).map((e) => [b.code, e.role]));
    expect(roles).toEqual([
      ['X', '1P'],
      ['R', 'PRP'],
      ['X', 'PR'],
      ['R', 'PRP'],
      ['R', 'PRP'],
    ]);
    const pr = hets!.benefits.flatMap((b) => b.relatedEntities ?? []).find((e) => e.role === 'PR');
    expect(pr?.provider).toEqual({ code: 'HH', qualifier: '9K', id: 'NPI' });
    // The member is the one named before the EB loops, not an entity of an LS/LE loop.
    expect([hets?.subscriber.name, hets?.subscriber.id]).toEqual(['LNAME', 'HICN']);
  });
});

describe('public X12 corpus', () => {
  it('reads the dental 837 as dental, with its SV3 line', () => {
    const [dental] = parse837(readFileSync(new URL('837D/oop_4010_cob_b.x12', root))).transactions;
    expect(dental?.kind).toBe('dental');
    expect(dental?.claims[0]?.lines[0]?.procedure?.qualifier).toBe('AD');
  });

  it('has the whole corpus in the fixture table', () => {
    expect(CORPUS).toHaveLength(145);
  });

  for (const expected of CORPUS) {
    it(expected.file, () => {
      const bytes = readFileSync(new URL(expected.file, root));
      const doc = parseX12(bytes);
      const table = parseInterchange(bytes).table;
      expect(detectTransactionType(bytes)).toBe(expected.type);
      expect(table.length).toBe(expected.segments);
      expect(doc.interchanges).toHaveLength(expected.interchanges);
      const sets = doc.transactions.filter((t) => t.type !== 'TA1');
      expect(sets).toHaveLength(expected.transactionSets);

      const typed = expected.type === 'TA1' ? doc.transactions : sets;
      const totals = typed
        .map(itemsOf)
        .reduce((a, b) => ({ items: a.items + b.items, lines: a.lines + b.lines }), { items: 0, lines: 0 });
      expect(totals.items).toBe(expected.items);
      if (expected.lines !== undefined) expect(totals.lines).toBe(expected.lines);

      const {
        relatedEntities,
        operatingPhysicians,
        lineAmbulanceLocations,
        forms,
        formAnswers,
        ...claimParts
      } = typed.map(partsOf).reduce(addParts, NO_PARTS);
      expect(claimParts).toEqual(expected.claimParts ?? NO_CLAIM_PARTS);
      expect({ operatingPhysicians, lineAmbulanceLocations, forms, formAnswers }).toEqual(
        expected.claimLoops ?? NO_CLAIM_LOOPS,
      );
      expect(relatedEntities).toBe(expected.relatedEntities ?? 0);

      const errors: Record<string, number[]> = {};
      for (const d of doc.diagnostics) {
        if (d.severity !== 'error') continue;
        errors[d.code] ??= [];
        errors[d.code]!.push(d.segmentIndex);
        if (d.segmentIndex >= 0) {
          expect(d.segmentId).toBe(table.id(d.segmentIndex));
          expect(d.offset).toBeGreaterThanOrEqual(table.offset(d.segmentIndex));
          expect(d.offset).toBeLessThanOrEqual(table.ends[d.segmentIndex]!);
        }
      }
      const summarized = Object.fromEntries(
        Object.entries(errors).map(([code, at]) => [
          code,
          Array.isArray(expected.errors[code]) ? at : at.length,
        ]),
      );
      expect(summarized).toEqual(expected.errors);

      if (Object.keys(expected.errors).length === 0) {
        expect(() => parseX12(bytes, { strict: true })).not.toThrow();
      } else {
        let thrown: unknown;
        try {
          parseX12(bytes, { strict: true });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(X12Error);
        expect(new Set((thrown as X12Error).diagnostics.map((d) => d.code))).toEqual(
          new Set([...Object.keys(expected.errors), ...doc.diagnostics.map((d) => d.code)]),
        );
      }
    });
  }
});
