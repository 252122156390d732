import { describe, expect, it } from 'vitest';
import type { ClaimSubmission, LineForm, OtherPayerProvider, Remittance } from '../src/index.ts';
import {
  acknowledge,
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
  coverageBenefits,
  detectTransactionType,
  parse270,
  parse271,
  parse276,
  parse277,
  parse277CA,
  parse278,
  parse835,
  parse837I,
  parse837P,
  parse999,
  parseTA1,
  parseX12,
  summarizeCoverage,
  validate,
  X12Error,
  X12Reader,
} from '../src/index.ts';
import {
  authorizationRequest,
  authorizationResponse,
  certifiedClaims837P,
  claim837I,
  claim837P,
  claimAcknowledgment,
  eligibilityRequest,
  eligibilityResponse,
  envelope,
  implementationAck,
  medicare,
  medicareSubscriber,
  remittance,
  secondaryClaim837I,
  secondaryClaim837P,
} from './fixtures.ts';

function clean(x12: string): void {
  const problems = validate(x12);
  expect(problems, problems.map((d) => d.message).join('\n')).toEqual([]);
}

describe('build → parse round trips on realistic fixtures', () => {
  it('837P', () => {
    const x12 = build837P(claim837P, envelope);
    clean(x12);
    expect(x12.slice(0, 106)).toMatch(
      /^ISA\*00\* {10}\*00\* {10}\*ZZ\*INTELLUXE {6}\*ZZ\*SANDBOXCH {6}\*260302\*0930\*\^\*00501\*000001001\*0\*T\*:~$/,
    );
    expect(detectTransactionType(x12)).toBe('837P');
    expect(parse837P(x12, { strict: true }).transactions).toEqual([claim837P]);
  });

  it('837I', () => {
    const x12 = build837I(claim837I, envelope);
    clean(x12);
    expect(detectTransactionType(x12)).toBe('837I');
    expect(parse837I(x12, { strict: true }).transactions).toEqual([claim837I]);
  });

  it('837P to a secondary payer: 2320/2330A/2330B for the primary and 2430 per line', () => {
    const x12 = build837P(secondaryClaim837P, envelope);
    clean(x12);
    // Segment order of the implementation guide: SBR, CAS, AMT D/A8/EAF, OI, MOA, then the 2330A and 2330B names.
    expect(x12).toContain(
      'NM1*82*1*NGUYEN*DAVID****XX*1456789019~PRV*PE*PXC*207Q00000X~SBR*P*18*GRP77001******CI~AMT*D*157.8~' +
        'AMT*EAF*35~OI***Y*P**Y~MOA***N130~NM1*IL*1*GARCIA*ELENA****MI*W123456789~N3*45 OAK HOLLOW LN~' +
        'N4*AUSTIN*TX*78745~NM1*PR*2*ANTHEM BLUE CROSS*****PI*040~N3*PO BOX 105187~N4*ATLANTA*GA*303485187~' +
        'DTP*573*D8*20260320~REF*F8*2026077001234~LX*1~',
    );
    expect(x12).toContain(
      'REF*6R*LN0001~SVD*040*102.8*HC:99214:25**1~CAS*CO*45*47.2~CAS*PR*3*35~DTP*573*D8*20260320~AMT*EAF*35~LX*2~',
    );
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(secondaryClaim837P);
    const claim = parsed!.claims[0]!;
    expect(claim.otherPayers?.map((o) => [o.payer.id, o.paidCents, o.payer.paymentDate])).toEqual([
      ['040', 15780, '2026-03-20'],
    ]);
    // The primary's line payments and adjustments add up to the charges, as the 835 said.
    for (const line of claim.lines) {
      const [primary] = line.adjudications ?? [];
      const adjusted = primary!.adjustments.reduce((n, a) => n + a.amountCents, 0);
      expect(primary!.paidCents + adjusted).toBe(line.chargeCents);
    }
  });

  it('837I to a secondary payer: claim-level CAS in 2320', () => {
    const x12 = build837I(secondaryClaim837I, envelope);
    clean(x12);
    expect(x12).toContain(
      'NM1*71*1*OKAFOR*GRACE****XX*1609876549~SBR*P*18*GRP77001******CI~CAS*CO*45*2150~CAS*PR*1*500~' +
        'AMT*D*9800~AMT*EAF*500~OI***Y***Y~NM1*IL*1*GARCIA*ELENA****MI*W123456789~' +
        'NM1*PR*2*ANTHEM BLUE CROSS*****PI*040~DTP*573*D8*20260312~REF*F8*2026061009876~LX*1~',
    );
    expect(parse837I(x12, { strict: true }).transactions).toEqual([secondaryClaim837I]);
  });

  it('837P ambulance, spinal manipulation and DME certification (CR1, CR2, CR3, CRC)', () => {
    const x12 = build837P(certifiedClaims837P, envelope);
    clean(x12);
    expect(x12).toContain(
      'CLM*EMS260304017*1187.5***41:B:1*Y*A*Y*Y~' +
        'CR1*LB*185**A*DH*12.5****SUSPECTED HIP FRACTURE UNABLE TO BEAR WEIGHT~CRC*07*Y*01*04*06~HI*',
    );
    expect(x12).toContain('CR2********A**LOW BACK PAIN AFTER LIFTING~HI*ABK:M9903*ABF:M5450~');
    expect(x12).toContain(
      'SV1*HC:E1390:RR*242*UN*1***1~CR3*I*MO*12~CRC*09*Y*38~DTP*472*RD8*20260301-20260331~',
    );
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(certifiedClaims837P);
    const [ambulance, chiropractic, oxygen] = parsed!.claims;
    expect(ambulance?.ambulanceTransport).toEqual({
      patientWeightLbs: 185,
      reasonCode: 'A',
      distanceMiles: 12.5,
      stretcherPurpose: 'SUSPECTED HIP FRACTURE UNABLE TO BEAR WEIGHT',
    });
    expect(chiropractic?.spinalManipulation?.patientCondition).toBe('A');
    expect(oxygen?.lines[0]?.dmeCertification).toEqual({ type: 'I', durationMonths: 12 });
  });

  it('837P ambulance pick-up and drop-off locations (2310E NM1*PW, 2310F NM1*45)', () => {
    const [ambulance, ...others] = certifiedClaims837P.claims;
    const located: typeof certifiedClaims837P = {
      ...certifiedClaims837P,
      claims: [
        {
          ...ambulance!,
          ambulancePickup: { line1: '1129 REINDEER RD', city: 'AUSTIN', state: 'TX', postalCode: '78741' },
          ambulanceDropoff: {
            name: 'ST DAVIDS MEDICAL CENTER',
            address: { line1: '919 E 32ND ST', city: 'AUSTIN', state: 'TX', postalCode: '78705' },
          },
        },
        { ...others[0]!, ambulanceDropoff: { address: { line1: '10005 BANNOCK ST', city: 'AUSTIN' } } },
        ...others.slice(1),
      ],
    };
    const x12 = build837P(located, envelope);
    clean(x12);
    expect(x12).toContain(
      '~NM1*PW*2~N3*1129 REINDEER RD~N4*AUSTIN*TX*78741~' +
        'NM1*45*2*ST DAVIDS MEDICAL CENTER~N3*919 E 32ND ST~N4*AUSTIN*TX*78705~LX*1~',
    );
    expect(x12).toContain('~NM1*45*2~N3*10005 BANNOCK ST~N4*AUSTIN~LX*1~');
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(located);
    expect(parsed!.claims[0]!.ambulancePickup).toEqual({
      line1: '1129 REINDEER RD',
      city: 'AUSTIN',
      state: 'TX',
      postalCode: '78741',
    });
    expect(parsed!.claims[0]!.ambulanceDropoff?.name).toBe('ST DAVIDS MEDICAL CENTER');
    expect(parsed!.claims[1]!.ambulanceDropoff).toEqual({
      address: { line1: '10005 BANNOCK ST', city: 'AUSTIN' },
    });
    expect(parsed!.claims[1]!.ambulancePickup).toBeUndefined();
    expect('ambulancePickup' in parsed!.claims[2]!).toBe(false);
    // The 837I has no ambulance locations.
    const institutional = build837I(
      { ...secondaryClaim837I, claims: [{ ...secondaryClaim837I.claims[0]!, ...located.claims[0]! }] },
      envelope,
    );
    expect(institutional).not.toContain('NM1*PW');
    expect(institutional).not.toContain('NM1*45');
  });

  it('837P other payer provider loops (2330C-G) in guide order after 2330B', () => {
    const [claim] = secondaryClaim837P.claims;
    const [coverage] = claim!.otherPayers!;
    const providers: OtherPayerProvider[] = [
      { role: 'referring', type: 'person', references: [{ qualifier: 'G2', value: 'REF123' }] },
      { role: 'rendering', type: 'person', references: [{ qualifier: 'G2', value: 'RND456' }] },
      { role: 'serviceFacility', type: 'organization', references: [{ qualifier: 'LU', value: 'LOC9' }] },
      {
        role: 'supervising',
        type: 'person',
        references: [
          { qualifier: '0B', value: 'TX12345' },
          { qualifier: '1G', value: 'A12345' },
        ],
      },
      { role: 'billing', type: 'organization', references: [{ qualifier: 'G2', value: 'BIL789' }] },
    ];
    const withProviders: typeof secondaryClaim837P = {
      ...secondaryClaim837P,
      claims: [{ ...claim!, otherPayers: [{ ...coverage!, providers }] }],
    };
    const x12 = build837P(withProviders, envelope);
    clean(x12);
    expect(x12).toContain(
      'DTP*573*D8*20260320~REF*F8*2026077001234~NM1*DN*1~REF*G2*REF123~NM1*82*1~REF*G2*RND456~' +
        'NM1*77*2~REF*LU*LOC9~NM1*DQ*1~REF*0B*TX12345~REF*1G*A12345~NM1*85*2~REF*G2*BIL789~LX*1~',
    );
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(withProviders);
    expect(parsed!.claims[0]!.otherPayers![0]!.providers?.map((p) => p.role)).toEqual([
      'referring',
      'rendering',
      'serviceFacility',
      'supervising',
      'billing',
    ]);
    // The payer's own REFs stay with the payer.
    expect(parsed!.claims[0]!.otherPayers![0]!.payer.references).toEqual([
      { qualifier: 'F8', value: '2026077001234' },
    ]);
    // Written in guide order whatever the order given.
    const reversed = build837P(
      {
        ...secondaryClaim837P,
        claims: [{ ...claim!, otherPayers: [{ ...coverage!, providers: [...providers].reverse() }] }],
      },
      envelope,
    );
    expect(reversed).toBe(x12);
    // Without them the loop has no providers key.
    expect(
      'providers' in
        parse837P(build837P(secondaryClaim837P, envelope)).transactions[0]!.claims[0]!.otherPayers![0]!,
    ).toBe(false);
  });

  it('837I leaves out the 837P-only CR1, CR2, CR3 and line CRC, and keeps the EPSDT referral CRC', () => {
    const [claim] = secondaryClaim837I.claims;
    const misfiled = {
      ...secondaryClaim837I,
      claims: [
        {
          ...claim!,
          ambulanceTransport: { patientWeightLbs: 185, reasonCode: 'A', distanceMiles: 3 },
          spinalManipulation: { patientCondition: 'A' },
          conditionIndicators: [
            { category: '07', applies: true, conditions: ['01'] },
            { category: 'ZZ', applies: true, conditions: ['AV'] },
          ],
          lines: claim!.lines.map((line) => ({
            ...line,
            dmeCertification: { type: 'I', durationMonths: 12 },
            conditionIndicators: [{ category: '09', applies: true, conditions: ['38'] }],
          })),
        },
      ],
    } as typeof secondaryClaim837I;
    const x12 = build837I(misfiled, envelope);
    clean(x12);
    expect(x12).not.toMatch(/~CR[123]\*/);
    expect(x12).not.toContain('CRC*07');
    expect(x12).not.toContain('CRC*09');
    expect(x12).toContain('~CRC*ZZ*Y*AV~HI*');
    const [parsed] = parse837I(x12, { strict: true }).transactions;
    expect(parsed!.claims[0]!.conditionIndicators).toEqual([
      { category: 'ZZ', applies: true, conditions: ['AV'] },
    ]);
    expect(parsed!.claims[0]!.ambulanceTransport).toBeUndefined();
    expect(parsed!.claims[0]!.lines[0]!.dmeCertification).toBeUndefined();
  });

  it('835 balances and round-trips', () => {
    const x12 = build835(remittance, envelope);
    clean(x12);
    expect(parse835(x12, { strict: true }).transactions).toEqual([remittance]);
  });

  it('270 and 271 with the coverage summary', () => {
    const request = build270(eligibilityRequest, envelope);
    clean(request);
    expect(parse270(request, { strict: true }).transactions).toEqual([eligibilityRequest]);
    const response = build271(eligibilityResponse, envelope);
    clean(response);
    expect(response).toContain(
      'EB*1**30*PR*PPO GOLD 1500~LS*2120~NM1*P3*1*NGUYEN*DAVID****XX*1456789019~N3*1200 RIVERSIDE DR~' +
        'N4*AUSTIN*TX*787041234~PER*IC**TE*5125550100~PRV*PC*PXC*207Q00000X~LE*2120~EB*C*',
    );
    const [parsed] = parse271(response, { strict: true }).transactions;
    expect(parsed?.benefits[0]?.relatedEntities?.map((e) => [e.role, e.id, e.provider?.id])).toEqual([
      ['P3', '1456789019', '207Q00000X'],
    ]);
    expect(parsed).toEqual({ ...eligibilityResponse, coverage: summarizeCoverage(eligibilityResponse) });
    expect(parsed?.coverage).toMatchObject({
      active: true,
      planName: 'PPO GOLD 1500',
      groupNumber: 'GRP77001',
      coverageStart: '2026-01-01',
      deductible: { inNetwork: { individual: { amountCents: 150000, remainingCents: 92000 } } },
      outOfPocket: { inNetwork: { individual: { amountCents: 600000, remainingCents: 511000 } } },
      copays: [{ serviceType: '98', network: 'in', amountCents: 3500 }],
      coinsurance: [
        { serviceType: '30', network: 'in', percent: 20 },
        { serviceType: '30', network: 'out', percent: 40 },
      ],
      authorizationRequired: ['MH'],
      messages: ['COPAY APPLIES PER VISIT'],
    });
  });

  it('coverageBenefits writes a plan summary that a 271 parse summarizes back the same', () => {
    const summary = summarizeCoverage(eligibilityResponse);
    const { coverageStart, coverageEnd, groupNumber, ...plan } = summary;
    const response = { ...eligibilityResponse, benefits: coverageBenefits(plan) };
    const x12 = build271(response, envelope);
    clean(x12);
    expect(parse271(x12).transactions[0]?.coverage).toEqual(summary);
    expect([coverageStart, coverageEnd, groupNumber]).toEqual(['2026-01-01', undefined, 'GRP77001']);
  });

  it('271 AAA rejection makes coverage inactive', () => {
    const rejected = {
      ...eligibilityResponse,
      benefits: [],
      rejections: [{ level: 'subscriber' as const, valid: true, reasonCode: '75', followUpAction: 'C' }],
    };
    const [parsed] = parse271(build271(rejected, envelope)).transactions;
    expect(parsed?.rejections).toEqual(rejected.rejections);
    expect(parsed?.coverage.active).toBe(false);
  });

  it('276 and 277CA', () => {
    const request = {
      referenceId: 'STAT0001',
      date: '2026-03-05',
      time: '07:00',
      payer: claimAcknowledgment.payer,
      receiver: claimAcknowledgment.receiver,
      claims: claimAcknowledgment.claims.map(({ patient, ...c }) => ({
        ...c,
        subscriber: patient,
        statuses: [],
        chargeCents: 28500,
        patientControlNumber: 'PCN20260301A',
      })),
    };
    const x276 = build276(request, envelope);
    clean(x276);
    expect(parse276(x276, { strict: true }).transactions).toEqual([request]);
    const x277 = build277(claimAcknowledgment, envelope);
    clean(x277);
    expect(detectTransactionType(x277)).toBe('277CA');
    expect(parse277CA(x277, { strict: true }).transactions).toEqual([claimAcknowledgment]);
    const plain = {
      ...claimAcknowledgment,
      variant: '277' as const,
      levelStatuses: [],
      claims: claimAcknowledgment.claims.map(({ patient, ...c }) => ({ ...c, subscriber: patient })),
    };
    expect(parse277(build277(plain, envelope), { strict: true }).transactions).toEqual([plain]);
  });

  it('278 request and response', () => {
    for (const review of [authorizationRequest, authorizationResponse]) {
      const x12 = build278(review, envelope);
      clean(x12);
      expect(parse278(x12, { strict: true }).transactions).toEqual([review]);
    }
  });

  it('999 and TA1', () => {
    const x12 = build999(implementationAck, envelope);
    clean(x12);
    expect(parse999(x12, { strict: true }).transactions).toEqual([implementationAck]);
    const ta1 = {
      controlNumber: '000001001',
      date: '2026-03-02',
      time: '09:31',
      ackCode: 'A',
      noteCode: '000',
      note: 'No error',
    };
    const t = buildTA1(ta1, envelope);
    clean(t);
    expect(parseTA1(t).transactions).toEqual([ta1]);
    expect(parseX12(t).transactions).toEqual([{ type: 'TA1', controlNumber: '000001001', transaction: ta1 }]);
  });

  it('acknowledge turns validation of an inbound 837 into a 999', () => {
    const good = build837P(claim837P, envelope);
    const [accepted] = acknowledge(good);
    expect(accepted).toMatchObject({
      functionalId: 'HC',
      groupControlNumber: '1001',
      groupStatus: 'A',
      accepted: 1,
    });
    expect(accepted?.transactionSets).toEqual([
      {
        transactionSetId: '837',
        controlNumber: '0001',
        implementationReference: '005010X222A1',
        status: 'A',
        errorCodes: [],
        segmentErrors: [],
      },
    ]);
    const bad = good
      .replace('NM1*IL*1*GARCIA', 'NM1*IL**GARCIA')
      .replace('DTP*472*D8*20260301', 'DTP*472*D8*20260231');
    const [rejected] = acknowledge(bad);
    expect(rejected?.groupStatus).toBe('R');
    const set = rejected!.transactionSets[0]!;
    expect(set.status).toBe('R');
    expect(set.errorCodes).toEqual(['5']);
    expect(
      set.segmentErrors.map((e) => [
        e.segmentId,
        e.code,
        e.elementErrors.map((x) => `${x.position}:${x.code}`),
      ]),
    ).toEqual([
      ['NM1', '8', ['2:1']],
      ['DTP', '8', ['3:8']],
    ]);
    const x999 = build999(rejected!, { ...envelope, interchangeControlNumber: 77 });
    clean(x999);
    expect(parse999(x999).transactions).toEqual([rejected]);
  });

  it('acknowledge reports envelope count errors in IK5 and AK9', () => {
    const x12 = build835(remittance, envelope)
      .replace(/SE\*(\d+)\*/, 'SE*99*')
      .replace('GE*1*', 'GE*3*');
    const [ack] = acknowledge(x12);
    expect(ack?.transactionSets[0]?.errorCodes).toEqual(['4']);
    expect(ack?.groupErrorCodes).toEqual(['5']);
    expect(ack?.groupStatus).toBe('R');
  });

  it('writes other delimiters and line breaks that parse the same', () => {
    const x12 = build835(remittance, {
      ...envelope,
      delimiters: { element: '|', component: '>', repetition: '!', segment: '\n' },
    });
    clean(x12);
    expect(x12.split('\n')[0]).toHaveLength(105);
    expect(parse835(x12).transactions).toEqual([remittance]);
    const pretty = build837P(claim837P, { ...envelope, lineBreaks: true });
    expect(pretty.split('~\n').length).toBeGreaterThan(30);
    expect(parse837P(pretty).transactions).toEqual([claim837P]);
  });

  it('X12Reader yields the same typed transactions one set at a time', () => {
    const x12 =
      build835(remittance, envelope) + build837P(claim837P, { ...envelope, interchangeControlNumber: 1002 });
    const reader = new X12Reader(x12);
    const seen: string[] = [];
    for (const t of reader) seen.push(`${t.type}:${reader.interchanges.length}`);
    expect(seen).toEqual(['835:1', '837P:2']);
    expect([...new X12Reader(x12)]).toEqual(parseX12(x12).transactions);
    expect(reader.diagnostics).toEqual([]);
    const broken = x12.replace('SE*', 'SE*9');
    expect(() => [...new X12Reader(broken, { strict: true })]).toThrow(X12Error);
  });

  it('parseX12 types every transaction set of a mixed interchange', () => {
    const doc = parseX12(
      build835(remittance, envelope) + build837P(claim837P, { ...envelope, interchangeControlNumber: 1002 }),
    );
    expect(doc.transactions.map((t) => t.type)).toEqual(['835', '837P']);
    expect(doc.interchanges).toHaveLength(2);
    expect(doc.diagnostics).toEqual([]);
  });
});

/** A hand-written 837 in the envelope `build837*` writes for `envelope`, so a build of its parse compares whole. */
function handWritten837(reference: string, body: string[]): string {
  const set = [`ST*837*0001*${reference}`, ...body];
  return [
    'ISA*00*          *00*          *ZZ*INTELLUXE      *ZZ*SANDBOXCH      *260302*0930*^*00501*000001001*0*T*:',
    `GS*HC*INTELLUXE*SANDBOXCH*20260302*0930*1001*X*${reference}`,
    ...set,
    `SE*${set.length + 1}*0001`,
    'GE*1*1001',
    'IEA*1*000001001',
  ]
    .map((segment) => `${segment}~`)
    .join('');
}

const receiver = {
  type: 'organization' as const,
  name: 'SANDBOX CLEARINGHOUSE',
  idQualifier: '46',
  id: 'SANDBOXCH',
};
const medicareHeader = [
  'HL*2*1*22*0',
  'SBR*P*18*******MB',
  'NM1*IL*1*HOLLOWAY*RAYMOND****MI*1EG4TE5MK73',
  'N3*880 PECAN ST',
  'N4*AUSTIN*TX*78702',
  'DMG*D8*19481102*M',
  'NM1*PR*2*NOVITAS SOLUTIONS*****PI*12202',
];
const signedClaim = {
  providerSignature: true,
  assignmentCode: 'A',
  benefitsAssigned: 'Y',
  releaseOfInformation: 'Y',
  frequencyCode: '1',
};

describe('hand-written 837 loops: parsed to exact objects, built back to the same X12', () => {
  it('837I claim providers 2310A-F: attending (PRV*AT), operating, other operating, rendering, facility, referring', () => {
    const x12 = handWritten837('005010X223A2', [
      'BHT*0019*00*SURG20260310*20260310*1130*CH',
      'NM1*41*2*ST MARY REGIONAL HOSPITAL*****46*H7654321',
      'NM1*40*2*SANDBOX CLEARINGHOUSE*****46*SANDBOXCH',
      'HL*1**20*1',
      'PRV*BI*PXC*282N00000X',
      'NM1*85*2*ST MARY REGIONAL HOSPITAL*****XX*1765432103',
      'N3*1200 RIVERSIDE DR',
      'N4*AUSTIN*TX*787041234',
      'REF*EI*741234567',
      'HL*2*1*22*0',
      'SBR*P*18*GRP77001******CI',
      'NM1*IL*1*GARCIA*ELENA****MI*W123456789',
      'DMG*D8*19840719*F',
      'NM1*PR*2*ANTHEM BLUE CROSS*****PI*040',
      'CLM*OPS260310044*18425***13:A:1*Y*A*Y*Y',
      'DTP*434*RD8*20260310-20260310',
      'HI*ABK:K8020',
      'NM1*71*1*OKAFOR*GRACE****XX*1609876549',
      'PRV*AT*PXC*208600000X',
      'NM1*72*1*MORALES*DANIEL*R***XX*1324567894',
      'NM1*ZZ*1*CHEN*WEI****XX*1543210987',
      'NM1*82*1*NGUYEN*DAVID****XX*1456789019',
      'NM1*77*2*ST MARY SURGERY CENTER*****XX*1765432194',
      'N3*1500 RED RIVER ST',
      'N4*AUSTIN*TX*78701',
      'NM1*DN*1*PATEL*ANITA****XX*1987654328',
      'LX*1',
      'SV2*0360*HC:47562*18425*UN*1',
      'DTP*472*D8*20260310',
    ]);
    clean(x12);
    const expected: ClaimSubmission = {
      kind: 'institutional',
      claimType: 'CH',
      referenceId: 'SURG20260310',
      date: '2026-03-10',
      time: '11:30',
      submitter: {
        type: 'organization',
        name: 'ST MARY REGIONAL HOSPITAL',
        idQualifier: '46',
        id: 'H7654321',
      },
      receiver,
      claims: [
        {
          ...signedClaim,
          billingProvider: {
            type: 'organization',
            name: 'ST MARY REGIONAL HOSPITAL',
            idQualifier: 'XX',
            id: '1765432103',
            taxonomy: '282N00000X',
            address: { line1: '1200 RIVERSIDE DR', city: 'AUSTIN', state: 'TX', postalCode: '787041234' },
            taxId: '741234567',
          },
          subscriber: {
            type: 'person',
            name: 'GARCIA',
            firstName: 'ELENA',
            idQualifier: 'MI',
            id: 'W123456789',
            payerResponsibility: 'P',
            relationship: '18',
            groupNumber: 'GRP77001',
            claimFilingCode: 'CI',
            dateOfBirth: '1984-07-19',
            gender: 'F',
          },
          payer: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '040' },
          patientControlNumber: 'OPS260310044',
          chargeCents: 1842500,
          placeOfService: '13',
          diagnoses: [{ qualifier: 'ABK', code: 'K8020' }],
          statementPeriod: { start: '2026-03-10', end: '2026-03-10' },
          attendingProvider: {
            type: 'person',
            name: 'OKAFOR',
            firstName: 'GRACE',
            idQualifier: 'XX',
            id: '1609876549',
            taxonomy: '208600000X',
          },
          operatingPhysician: {
            type: 'person',
            name: 'MORALES',
            firstName: 'DANIEL',
            middleName: 'R',
            idQualifier: 'XX',
            id: '1324567894',
          },
          otherOperatingPhysician: {
            type: 'person',
            name: 'CHEN',
            firstName: 'WEI',
            idQualifier: 'XX',
            id: '1543210987',
          },
          renderingProvider: {
            type: 'person',
            name: 'NGUYEN',
            firstName: 'DAVID',
            idQualifier: 'XX',
            id: '1456789019',
          },
          serviceFacility: {
            type: 'organization',
            name: 'ST MARY SURGERY CENTER',
            idQualifier: 'XX',
            id: '1765432194',
            address: { line1: '1500 RED RIVER ST', city: 'AUSTIN', state: 'TX', postalCode: '78701' },
          },
          referringProvider: {
            type: 'person',
            name: 'PATEL',
            firstName: 'ANITA',
            idQualifier: 'XX',
            id: '1987654328',
          },
          lines: [
            {
              revenueCode: '0360',
              procedure: { qualifier: 'HC', code: '47562', modifiers: [] },
              chargeCents: 1842500,
              unitType: 'UN',
              units: 1,
              diagnosisPointers: [],
              serviceDate: { start: '2026-03-10' },
            },
          ],
        },
      ],
    };
    const [parsed] = parse837I(x12, { strict: true }).transactions;
    expect(parsed).toEqual(expected);
    expect(build837I(parsed!, envelope)).toBe(x12);
    // The 837P has none of these loops: it writes none of them, and reads an NM1*71/72/ZZ as nothing.
    const professional = build837P(expected, envelope);
    clean(professional);
    expect(professional).not.toMatch(/~NM1\*(71|72|ZZ)\*/);
    expect(professional).toContain(
      '~HI*ABK:K8020~NM1*DN*1*PATEL*ANITA****XX*1987654328~NM1*82*1*NGUYEN*DAVID****XX*1456789019~NM1*77*2*',
    );
    const misfiled = parse837P(x12.replaceAll('005010X223A2', '005010X222A1').replace('*13:A:1*', '*11:B:1*'))
      .transactions[0]!.claims[0]!;
    expect([
      misfiled.attendingProvider,
      misfiled.operatingPhysician,
      misfiled.otherOperatingPhysician,
    ]).toEqual([undefined, undefined, undefined]);
    expect(misfiled.referringProvider?.name).toBe('PATEL');
  });

  it('837P line ambulance locations (2420G NM1*PW, 2420H NM1*45) beside the claim ones (2310E/F)', () => {
    const x12 = handWritten837('005010X222A1', [
      'BHT*0019*00*EMS20260306*20260307*0815*CH',
      'NM1*41*2*CAPITAL AREA EMS*****46*S7788123',
      'PER*IC*BILLING OFFICE*TE*5125550199',
      'NM1*40*2*SANDBOX CLEARINGHOUSE*****46*SANDBOXCH',
      'HL*1**20*1',
      'PRV*BI*PXC*3416L0300X',
      'NM1*85*2*CAPITAL AREA EMS*****XX*1345678902',
      'N3*4410 RIVERSIDE DR',
      'N4*AUSTIN*TX*787410000',
      'REF*EI*746601234',
      ...medicareHeader,
      'CLM*EMS260304018*2067.5***41:B:1*Y*A*Y*Y',
      'CR1*LB*185**A*DH*12.5',
      'CRC*07*Y*01*04',
      'HI*ABK:S72001A*ABF:W010XXA',
      'NM1*PW*2',
      'N3*880 PECAN ST',
      'N4*AUSTIN*TX*78702',
      'NM1*45*2*ST DAVIDS MEDICAL CENTER',
      'N3*919 E 32ND ST',
      'N4*AUSTIN*TX*78705',
      'LX*1',
      'SV1*HC:A0427:RH*950*UN*1***1:2',
      'DTP*472*D8*20260304',
      'LX*2',
      'SV1*HC:A0425:RH*237.5*UN*12.5***1',
      'DTP*472*D8*20260304',
      // The transfer two days later, hospital to a skilled nursing facility: the line's own locations.
      'LX*3',
      'SV1*HC:A0426:HN*780*UN*1***1',
      'CR1*LB*185**D*DH*4',
      'DTP*472*D8*20260306',
      'NM1*PW*2',
      'N3*919 E 32ND ST',
      'N4*AUSTIN*TX*78705',
      'NM1*45*2*HERITAGE OAKS REHABILITATION',
      'N3*2600 W PARMER LN',
      'N4*AUSTIN*TX*78727',
      'LX*4',
      'SV1*HC:A0425:HN*100*UN*4***1',
      'DTP*472*D8*20260306',
      'NM1*PW*2',
      'N3*919 E 32ND ST',
      'N4*AUSTIN*TX*78705',
      'NM1*45*2',
      'N3*2600 W PARMER LN',
      'N4*AUSTIN*TX*78727',
    ]);
    clean(x12);
    const hospital = { line1: '919 E 32ND ST', city: 'AUSTIN', state: 'TX', postalCode: '78705' };
    const nursingFacility = { line1: '2600 W PARMER LN', city: 'AUSTIN', state: 'TX', postalCode: '78727' };
    const line = (code: string, modifier: string, chargeCents: number, units: number, day: string) => ({
      procedure: { qualifier: 'HC', code, modifiers: [modifier] },
      chargeCents,
      unitType: 'UN',
      units,
      diagnosisPointers: code === 'A0427' ? [1, 2] : [1],
      serviceDate: { start: day },
    });
    const expected: ClaimSubmission = {
      kind: 'professional',
      claimType: 'CH',
      referenceId: 'EMS20260306',
      date: '2026-03-07',
      time: '08:15',
      submitter: {
        type: 'organization',
        name: 'CAPITAL AREA EMS',
        idQualifier: '46',
        id: 'S7788123',
        contact: { name: 'BILLING OFFICE', phone: '5125550199' },
      },
      receiver,
      claims: [
        {
          ...signedClaim,
          billingProvider: {
            type: 'organization',
            name: 'CAPITAL AREA EMS',
            idQualifier: 'XX',
            id: '1345678902',
            taxonomy: '3416L0300X',
            address: { line1: '4410 RIVERSIDE DR', city: 'AUSTIN', state: 'TX', postalCode: '787410000' },
            taxId: '746601234',
          },
          subscriber: medicareSubscriber,
          payer: medicare,
          patientControlNumber: 'EMS260304018',
          chargeCents: 206750,
          placeOfService: '41',
          diagnoses: [
            { qualifier: 'ABK', code: 'S72001A' },
            { qualifier: 'ABF', code: 'W010XXA' },
          ],
          ambulanceTransport: { patientWeightLbs: 185, reasonCode: 'A', distanceMiles: 12.5 },
          conditionIndicators: [{ category: '07', applies: true, conditions: ['01', '04'] }],
          ambulancePickup: { line1: '880 PECAN ST', city: 'AUSTIN', state: 'TX', postalCode: '78702' },
          ambulanceDropoff: { name: 'ST DAVIDS MEDICAL CENTER', address: hospital },
          lines: [
            line('A0427', 'RH', 95000, 1, '2026-03-04'),
            line('A0425', 'RH', 23750, 12.5, '2026-03-04'),
            {
              ...line('A0426', 'HN', 78000, 1, '2026-03-06'),
              ambulanceTransport: { patientWeightLbs: 185, reasonCode: 'D', distanceMiles: 4 },
              ambulancePickup: hospital,
              ambulanceDropoff: { name: 'HERITAGE OAKS REHABILITATION', address: nursingFacility },
            },
            {
              ...line('A0425', 'HN', 10000, 4, '2026-03-06'),
              ambulancePickup: hospital,
              ambulanceDropoff: { address: nursingFacility },
            },
          ],
        },
      ],
    };
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(expected);
    expect('ambulancePickup' in parsed!.claims[0]!.lines[0]!).toBe(false);
    expect(build837P(parsed!, envelope)).toBe(x12);
    // The 837I has no ambulance locations, claim or line.
    const institutional = build837I(expected, envelope);
    clean(institutional);
    expect(institutional).not.toMatch(/~NM1\*(PW|45)\*/);
  });

  it('837P DME form (2440 LQ with FRM yes/no, text, date and percent answers)', () => {
    const x12 = handWritten837('005010X222A1', [
      'BHT*0019*00*DME20260402*20260402*0905*CH',
      'NM1*41*2*HILL COUNTRY HOME MEDICAL*****46*S5512044',
      'NM1*40*2*SANDBOX CLEARINGHOUSE*****46*SANDBOXCH',
      'HL*1**20*1',
      'PRV*BI*PXC*332B00000X',
      'NM1*85*2*HILL COUNTRY HOME MEDICAL*****XX*1283746505',
      'N3*7800 SHOAL CREEK BLVD',
      'N4*AUSTIN*TX*787570000',
      'REF*EI*746609012',
      ...medicareHeader,
      'CLM*DME260301552*301.14***12:B:1*Y*A*Y*Y',
      'HI*ABK:J449*ABF:J9611',
      'LX*1',
      'SV1*HC:E1390:RR*242*UN*1***1:2',
      'CR3*I*MO*12',
      'DTP*472*RD8*20260301-20260331',
      'REF*6R*DME552-1',
      'LQ*UT*484.03',
      'FRM*1A**55',
      'FRM*1B****88.5',
      'FRM*1C***20260215',
      'FRM*2**1',
      'FRM*3*Y',
      'FRM*4**2',
      'FRM*5*W',
      'LX*2',
      'SV1*HC:E0431:RR*59.14*UN*1***1:2',
      'DTP*472*RD8*20260301-20260331',
      'REF*6R*DME552-2',
    ]);
    clean(x12);
    const march = { start: '2026-03-01', end: '2026-03-31' };
    const expected: ClaimSubmission = {
      kind: 'professional',
      claimType: 'CH',
      referenceId: 'DME20260402',
      date: '2026-04-02',
      time: '09:05',
      submitter: {
        type: 'organization',
        name: 'HILL COUNTRY HOME MEDICAL',
        idQualifier: '46',
        id: 'S5512044',
      },
      receiver,
      claims: [
        {
          ...signedClaim,
          billingProvider: {
            type: 'organization',
            name: 'HILL COUNTRY HOME MEDICAL',
            idQualifier: 'XX',
            id: '1283746505',
            taxonomy: '332B00000X',
            address: { line1: '7800 SHOAL CREEK BLVD', city: 'AUSTIN', state: 'TX', postalCode: '787570000' },
            taxId: '746609012',
          },
          subscriber: medicareSubscriber,
          payer: medicare,
          patientControlNumber: 'DME260301552',
          chargeCents: 30114,
          placeOfService: '12',
          diagnoses: [
            { qualifier: 'ABK', code: 'J449' },
            { qualifier: 'ABF', code: 'J9611' },
          ],
          lines: [
            {
              procedure: { qualifier: 'HC', code: 'E1390', modifiers: ['RR'] },
              chargeCents: 24200,
              unitType: 'UN',
              units: 1,
              diagnosisPointers: [1, 2],
              dmeCertification: { type: 'I', durationMonths: 12 },
              serviceDate: march,
              lineControlNumber: 'DME552-1',
              forms: [
                {
                  type: 'UT',
                  id: '484.03',
                  answers: [
                    { question: '1A', text: '55' },
                    { question: '1B', percent: 88.5 },
                    { question: '1C', date: '2026-02-15' },
                    { question: '2', text: '1' },
                    { question: '3', yesNo: 'Y' },
                    { question: '4', text: '2' },
                    { question: '5', yesNo: 'W' },
                  ],
                },
              ],
            },
            {
              procedure: { qualifier: 'HC', code: 'E0431', modifiers: ['RR'] },
              chargeCents: 5914,
              unitType: 'UN',
              units: 1,
              diagnosisPointers: [1, 2],
              serviceDate: march,
              lineControlNumber: 'DME552-2',
            },
          ],
        },
      ],
    };
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    expect(parsed).toEqual(expected);
    expect('forms' in parsed!.claims[0]!.lines[1]!).toBe(false);
    expect(build837P(parsed!, envelope)).toBe(x12);
    // A date answer that is not a date, and a percent that is not a number, are element errors.
    expect(
      validate(
        x12.replace('FRM*1C***20260215', 'FRM*1C***20260231').replace('FRM*1B****88.5', 'FRM*1B****HIGH'),
      )
        .filter((d) => d.segmentId === 'FRM')
        .map((d) => [d.code, d.element]),
    ).toEqual([
      ['INVALID_NUMBER', 5],
      ['INVALID_DATE', 4],
    ]);
    // The 837I has no 2440 loops.
    expect(build837I(expected, envelope)).not.toContain('~LQ*');
  });

  it('837P 2440 forms after the 2430 loops of a line, and each LQ starts its own loop', () => {
    const [claim] = secondaryClaim837P.claims;
    const forms: LineForm[] = [
      { type: 'UT', id: '484.03', answers: [{ question: '3', yesNo: 'N' }] },
      {
        type: 'AS',
        id: '10.03',
        answers: [
          { question: '1', text: 'B' },
          { question: '2', percent: 100 },
        ],
      },
    ];
    const doc: ClaimSubmission = {
      ...secondaryClaim837P,
      claims: [{ ...claim!, lines: [{ ...claim!.lines[0]!, forms }, claim!.lines[1]!] }],
    };
    const x12 = build837P(doc, envelope);
    clean(x12);
    expect(x12).toContain(
      '~DTP*573*D8*20260320~AMT*EAF*35~LQ*UT*484.03~FRM*3*N~LQ*AS*10.03~FRM*1**B~FRM*2****100~LX*2~',
    );
    expect(parse837P(x12, { strict: true }).transactions).toEqual([doc]);
  });
});

describe('837 provider loops beyond billing and rendering', () => {
  it('837P claim PCP and supervising provider (2310A P3, 2310D DQ), line providers 2420A-F in guide order', () => {
    const x12 = handWritten837('005010X222A1', [
      'BHT*0019*00*DME20260305*20260305*1015*CH',
      'NM1*41*2*HILL COUNTRY MEDICAL SUPPLY*****46*S5512345',
      'NM1*40*2*SANDBOX CLEARINGHOUSE*****46*SANDBOXCH',
      'HL*1**20*1',
      'NM1*85*2*HILL COUNTRY MEDICAL SUPPLY*****XX*1598765437',
      'N3*2200 S LAMAR BLVD',
      'N4*AUSTIN*TX*78704',
      'REF*EI*741112223',
      ...medicareHeader,
      'CLM*DME260305007*240***12:B:1*Y*A*Y*Y',
      'HI*ABK:J449',
      'NM1*DN*1*PATEL*ANITA****XX*1987654328',
      'NM1*P3*1*NGUYEN*DAVID****XX*1456789019',
      'NM1*DQ*1*OKAFOR*GRACE****XX*1609876549',
      'LX*1',
      'SV1*HC:E1390:RR*240*UN*1***1',
      'DTP*472*D8*20260305',
      'NM1*82*1*RIVERA*SOFIA****XX*1245319599',
      'PRV*PE*PXC*332B00000X',
      'NM1*QB*2*AUSTIN OXYGEN LAB*****XX*1326078417',
      'NM1*77*2*HILL COUNTRY WAREHOUSE*****XX*1215930367',
      'N3*9100 BURNET RD',
      'N4*AUSTIN*TX*78758',
      'NM1*DQ*1*OKAFOR*GRACE****XX*1609876549',
      'NM1*DK*1*WILSON*LARRY****XX*1770656713',
      'N3*1212 N LAMAR BLVD',
      'N4*AUSTIN*TX*78703',
      'PER*IC*LEE*TE*5125554466',
      'NM1*DN*1*PATEL*ANITA****XX*1987654328',
      'NM1*P3*1*NGUYEN*DAVID****XX*1456789019',
    ]);
    clean(x12);
    const [parsed] = parse837P(x12, { strict: true }).transactions;
    const [claim] = parsed!.claims;
    const person = (name: string, firstName: string, id: string) => ({
      type: 'person',
      name,
      firstName,
      idQualifier: 'XX',
      id,
    });
    expect([claim?.referringProvider, claim?.primaryCareProvider, claim?.supervisingProvider]).toEqual([
      person('PATEL', 'ANITA', '1987654328'),
      person('NGUYEN', 'DAVID', '1456789019'),
      person('OKAFOR', 'GRACE', '1609876549'),
    ]);
    const [line] = claim!.lines;
    expect(line).toMatchObject({
      renderingProvider: { ...person('RIVERA', 'SOFIA', '1245319599'), taxonomy: '332B00000X' },
      purchasedServiceProvider: { type: 'organization', name: 'AUSTIN OXYGEN LAB', idQualifier: 'XX' },
      serviceFacility: {
        type: 'organization',
        name: 'HILL COUNTRY WAREHOUSE',
        address: { line1: '9100 BURNET RD', city: 'AUSTIN', state: 'TX', postalCode: '78758' },
      },
      supervisingProvider: person('OKAFOR', 'GRACE', '1609876549'),
      orderingProvider: {
        ...person('WILSON', 'LARRY', '1770656713'),
        address: { line1: '1212 N LAMAR BLVD', city: 'AUSTIN', state: 'TX', postalCode: '78703' },
        contact: { name: 'LEE', phone: '5125554466' },
      },
      referringProvider: person('PATEL', 'ANITA', '1987654328'),
      primaryCareProvider: person('NGUYEN', 'DAVID', '1456789019'),
    });
    expect(build837P(parsed!, envelope)).toBe(x12);
    // The 837I has none of the 837P's line loops but the rendering and referring providers.
    const institutional = build837I(parsed!, envelope);
    clean(institutional);
    expect(institutional).not.toMatch(/~NM1\*(QB|DK|P3|DQ)\*/);
    expect(institutional).toMatch(/~NM1\*82\*1\*RIVERA\*SOFIA/);
  });

  it('837I line operating, other operating, rendering and referring providers (2420A-D)', () => {
    const x12 = handWritten837('005010X223A2', [
      'BHT*0019*00*SURG20260311*20260311*1130*CH',
      'NM1*41*2*ST MARY REGIONAL HOSPITAL*****46*H7654321',
      'NM1*40*2*SANDBOX CLEARINGHOUSE*****46*SANDBOXCH',
      'HL*1**20*1',
      'NM1*85*2*ST MARY REGIONAL HOSPITAL*****XX*1765432103',
      'N3*1200 RIVERSIDE DR',
      'N4*AUSTIN*TX*787041234',
      'REF*EI*741234567',
      ...medicareHeader,
      'CLM*OPS260311045*18425***13:A:1*Y*A*Y*Y',
      'DTP*434*RD8*20260311-20260311',
      'HI*ABK:K8020',
      'NM1*71*1*OKAFOR*GRACE****XX*1609876549',
      'LX*1',
      'SV2*0360*HC:47562*18425*UN*1',
      'DTP*472*D8*20260311',
      'NM1*72*1*MORALES*DANIEL*R***XX*1324567894',
      'NM1*ZZ*1*CHEN*WEI****XX*1543210987',
      'NM1*82*1*NGUYEN*DAVID****XX*1456789019',
      'NM1*DN*1*PATEL*ANITA****XX*1987654328',
    ]);
    clean(x12);
    const [parsed] = parse837I(x12, { strict: true }).transactions;
    const [line] = parsed!.claims[0]!.lines;
    expect(
      [
        line?.operatingPhysician,
        line?.otherOperatingPhysician,
        line?.renderingProvider,
        line?.referringProvider,
      ].map((p) => p?.name),
    ).toEqual(['MORALES', 'CHEN', 'NGUYEN', 'PATEL']);
    expect(build837I(parsed!, envelope)).toBe(x12);
    // An 837P writes no operating physicians.
    const professional = build837P(parsed!, envelope);
    clean(professional);
    expect(professional).not.toMatch(/~NM1\*(72|ZZ)\*/);
  });
});

describe('shared parsed values: empty lists, one-day dates and plain procedures', () => {
  // Two claims: the second repeats the first's plain procedure and service date, then the same code under
  // another qualifier and with a modifier.
  const [claim] = remittance.claims;
  const plain = claim!.services[1]!;
  const twin: Remittance = {
    ...remittance,
    payment: { ...remittance.payment, amountCents: remittance.payment.amountCents + 5500 * 3 },
    claims: [
      claim!,
      {
        ...claim!,
        patientControlNumber: 'PCN20260301B',
        chargeCents: 30000,
        paidCents: 5500 * 3,
        patientResponsibilityCents: 0,
        amounts: [],
        services: [
          plain,
          {
            ...plain,
            procedure: { qualifier: 'AD', code: '83036', modifiers: [] },
            lineControlNumber: 'LN0003',
          },
          {
            ...plain,
            procedure: { qualifier: 'HC', code: '83036', modifiers: ['QW'] },
            lineControlNumber: 'LN0004',
          },
        ],
      },
    ],
  };

  it('parses to the same values, with repeats shared and frozen', () => {
    const x12 = build835(twin, envelope);
    const [parsed] = parse835(x12, { strict: true }).transactions;
    expect(parsed).toEqual(twin);
    const [a, b] = parsed!.claims;
    const [plainA] = [a!.services[1]!];
    const [plainB, otherQualifier, modified] = b!.services;
    expect(plainB!.procedure).toBe(plainA.procedure);
    expect(plainB!.serviceDate).toBe(plainA.serviceDate);
    expect(Object.isFrozen(plainA.procedure)).toBe(true);
    expect(Object.isFrozen(plainA.serviceDate)).toBe(true);
    // The same code under another qualifier, or with a modifier, is its own procedure.
    expect(otherQualifier!.procedure).toEqual({ qualifier: 'AD', code: '83036', modifiers: [] });
    expect(modified!.procedure).toEqual({ qualifier: 'HC', code: '83036', modifiers: ['QW'] });
    expect(Object.isFrozen(modified!.procedure)).toBe(false);
    // Every empty list is the one frozen empty list.
    expect(a!.adjustments).toBe(plainA.references);
    expect(b!.amounts).toBe(plainA.references);
    expect(Object.isFrozen(a!.adjustments)).toBe(true);
    // A range of two dates stays its own object.
    expect(Object.isFrozen(a!.statementPeriod)).toBe(false);
  });

  it('a shared value refuses writes; a JSON copy is free to edit, each place on its own', () => {
    const [parsed] = parse835(build835(twin, envelope)).transactions;
    const service = parsed!.claims[1]!.services[0]!;
    expect(() => service.references.push({ qualifier: 'G1', value: 'AUTH1' })).toThrow(TypeError);
    expect(() => {
      service.procedure.code = '99999';
    }).toThrow(TypeError);
    expect(parsed!.claims[0]!.services[1]!.procedure.code).toBe('83036');
    const copy: Remittance = JSON.parse(JSON.stringify(parsed));
    const edited = copy.claims[1]!.services[0]!;
    edited.references.push({ qualifier: 'G1', value: 'AUTH1' });
    edited.procedure.modifiers.push('59');
    edited.serviceDate!.start = '2026-03-02';
    expect(edited.procedure).toEqual({ qualifier: 'HC', code: '83036', modifiers: ['59'] });
    expect(edited.references).toEqual([{ qualifier: 'G1', value: 'AUTH1' }]);
    const untouched = copy.claims[0]!.services[1]!;
    expect([untouched.procedure, untouched.references, untouched.serviceDate]).toEqual([
      { qualifier: 'HC', code: '83036', modifiers: [] },
      [],
      { start: '2026-03-01' },
    ]);
  });
});
