/** fast-check generators for typed transactions that the writer can carry (no delimiter characters in values). */
import fc from 'fast-check';
import type {
  Address,
  AdjudicationInfo,
  AmbulanceTransport,
  Benefit,
  BenefitEntity,
  Claim,
  ClaimStatus,
  ClaimStatusDetail,
  ClaimStatusRequest,
  ClaimStatusResponse,
  ClaimSubmission,
  ConditionIndicator,
  DateRange,
  EligibilityRequest,
  EligibilityResponseInput,
  Entity,
  ImplementationAcknowledgment,
  InterchangeAcknowledgment,
  LineAdjudication,
  LineForm,
  Member,
  OtherParty,
  OtherPayerCoverage,
  OtherPayerProvider,
  Procedure,
  Rejection,
  Remittance,
  ServiceLine,
  ServiceReviewTransaction,
} from '../src/index.ts';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** Text of X12's basic character set: letters, digits, inner spaces, a few punctuation marks. */
export function text(min = 1, max = 12): fc.Arbitrary<string> {
  return fc
    .array(fc.constantFrom(...`${ALNUM}  .-,&/`), { minLength: min, maxLength: max })
    .map((chars) => chars.join('').trim())
    .filter((s) => s.length >= min && !s.includes('  '));
}

export const code = (len: number): fc.Arbitrary<string> =>
  fc.array(fc.constantFrom(...ALNUM), { minLength: len, maxLength: len }).map((c) => c.join(''));

const opt = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
/** Present half of the time (for the parts most transactions do not have). */
const sometimes = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> =>
  fc.option(a, { nil: undefined, freq: 2 });

const LEVEL_ORDER = ['payer', 'provider', 'subscriber', 'dependent'];
/** AAA segments come out in hierarchy order, so generated rejections are sorted the same way. */
const byLevel = (a: Rejection, b: Rejection) => LEVEL_ORDER.indexOf(a.level) - LEVEL_ORDER.indexOf(b.level);

/** Drops undefined keys so generated objects look like parsed ones; gender only travels with a birth date (DMG). */
function compact<T extends object>(o: T): T {
  const out = Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T & {
    dateOfBirth?: string;
    gender?: string;
  };
  if ('gender' in out && !out.dateOfBirth) delete out.gender;
  return out;
}

export const cents = fc.integer({ min: 0, max: 50_000_000 });
export const signedCents = fc.integer({ min: -5_000_000, max: 5_000_000 });
export const quantity = fc.integer({ min: 1, max: 9999 }).map((n) => (n % 3 === 0 ? n / 4 : n));

export const isoDate = fc
  .date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
export const isoTime = fc
  .tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`);

export const dateRange: fc.Arbitrary<DateRange> = fc
  .tuple(isoDate, opt(isoDate))
  .map(([start, end]) => (end === undefined ? { start } : { start, end }));

export const entity: fc.Arbitrary<Entity> = fc
  .record({
    type: fc.constantFrom('person' as const, 'organization' as const),
    name: text(),
    firstName: opt(text()),
    middleName: opt(text(1, 1)),
    suffix: opt(fc.constantFrom('JR', 'SR', 'III')),
    id: opt(code(10)),
    idQualifier: fc.constantFrom('XX', 'MI', 'PI', '46'),
  })
  .map(({ id, idQualifier, ...e }) => compact(id ? { ...e, idQualifier, id } : e));

export const address: fc.Arbitrary<Address> = fc
  .record({ line1: text(), line2: opt(text()), city: text(), state: opt(code(2)), postalCode: opt(code(5)) })
  .map(compact);

export const procedure: fc.Arbitrary<Procedure> = fc.record({
  qualifier: fc.constantFrom('HC', 'AD', 'NU'),
  code: code(5),
  modifiers: fc.array(code(2), { maxLength: 4 }),
});

const provider = fc
  .tuple(entity, opt(code(10)), opt(address))
  .map(([e, taxonomy, addr]) => compact({ ...e, taxonomy, address: addr }));

/** A 2310/2420 provider loop's REF secondary ids. */
const secondaryIds = fc.array(
  fc.record({ qualifier: fc.constantFrom('G2', '0B', '1G', 'LU'), value: code(9) }),
  { minLength: 1, maxLength: 2 },
);
/** A claim or line provider loop: NM1, PRV, N3/N4 and sometimes REF secondary ids. */
const loopProvider = fc
  .tuple(provider, sometimes(secondaryIds))
  .map(([p, references]) => compact({ ...p, references }));

const entityWithAddress = fc.tuple(entity, address).map(([e, a]) => ({ ...e, address: a }));
/** 2420E: NM1, N3/N4 and PER (IC, a name and a phone number). */
const orderingProvider = fc
  .tuple(entityWithAddress, opt(fc.record({ name: text(1, 30), phone: fc.stringMatching(/^[0-9]{10}$/) })))
  .map(([e, contact]) => compact({ ...e, contact }));

const adjustment = fc
  .record({
    group: fc.constantFrom('CO', 'PR', 'OA', 'PI'),
    reason: fc.constantFrom('45', '1', '2', '3', '197', '96'),
    amountCents: signedCents,
    quantity: opt(quantity),
  })
  .map(compact);
const references = fc.array(fc.record({ qualifier: fc.constantFrom('1K', 'EA', 'F8'), value: code(8) }), {
  maxLength: 2,
});

/** MOA in both kinds of claims, MIA only in institutional ones. */
function adjudicationInfo(institutional: boolean): fc.Arbitrary<AdjudicationInfo> {
  const outpatient = fc
    .record({
      kind: fc.constant('outpatient' as const),
      remarkCodes: fc.array(fc.constantFrom('N130', 'MA01', 'M15', 'N381'), { maxLength: 5 }),
      reimbursementRate: opt(fc.integer({ min: 0, max: 100 }).map((n) => n / 100)),
      amountCents: opt(cents),
      esrdPaymentCents: sometimes(cents),
      nonpayableProfessionalComponentCents: sometimes(cents),
    })
    .map(compact);
  const days = fc.integer({ min: 0, max: 400 });
  const inpatient = fc
    .record({
      kind: fc.constant('inpatient' as const),
      remarkCodes: fc.array(fc.constantFrom('MA01', 'N130'), { maxLength: 6 }),
      // MIA01 is required: a parse always has it.
      coveredDays: days,
      lifetimePsychiatricDays: sometimes(days),
      costReportDays: sometimes(days),
      amountCents: opt(cents),
      ppsOperatingOutlierCents: sometimes(cents),
      disproportionateShareCents: sometimes(cents),
      ppsCapitalCents: sometimes(cents),
      oldCapitalCents: sometimes(cents),
      ppsOperatingFederalSpecificDrgCents: sometimes(cents),
      indirectTeachingCents: sometimes(cents),
      nonpayableProfessionalComponentCents: sometimes(cents),
    })
    .map(compact);
  return institutional ? fc.oneof(outpatient, inpatient) : outpatient;
}

const ambulanceTransport: fc.Arbitrary<AmbulanceTransport> = fc
  .record({
    patientWeightLbs: opt(fc.integer({ min: 5, max: 700 })),
    reasonCode: fc.constantFrom('A', 'B', 'C', 'D', 'E'),
    distanceMiles: quantity,
    roundTripPurpose: opt(text(1, 40)),
    stretcherPurpose: opt(text(1, 40)),
  })
  .map(compact);

/** 2310F / 2420H: the drop-off address, with the facility's name or without. */
const ambulanceDropoff = fc.record({ name: opt(text()), address }).map(compact);

/** 2440 loops; each FRM answers its question with one of FRM02–05, as the guide asks. */
const lineForms: fc.Arbitrary<LineForm[]> = fc.array(
  fc.record({
    type: fc.constantFrom('UT', 'AS'),
    id: fc.constantFrom('484.03', '04.03', '02.03B', '10.03'),
    answers: fc.array(
      fc
        .tuple(
          fc.constantFrom('1A', '1B', '2', '3', '5', '6', '7', '8'),
          fc.oneof(
            fc.record({ yesNo: fc.constantFrom('Y', 'N', 'W') }),
            fc.record({ text: text(1, 20) }),
            fc.record({ date: isoDate }),
            fc.record({ percent: fc.integer({ min: 0, max: 1000 }).map((n) => n / 10) }),
          ),
        )
        .map(([question, answer]) => ({ question, ...answer })),
      { minLength: 1, maxLength: 6 },
    ),
  }),
  { minLength: 1, maxLength: 2 },
);

function conditionIndicators(categories: string[]): fc.Arbitrary<ConditionIndicator[]> {
  return fc.array(
    fc.record({
      category: fc.constantFrom(...categories),
      applies: fc.boolean(),
      conditions: fc.array(fc.constantFrom('01', '04', '06', '09', '12', '38', '65', 'NU', 'ZV'), {
        minLength: 1,
        maxLength: 5,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  );
}

function lineAdjudication(institutional: boolean): fc.Arbitrary<LineAdjudication> {
  return fc
    .record({
      payerId: code(5),
      paidCents: cents,
      procedure,
      revenueCode: institutional ? opt(code(4)) : fc.constant(undefined),
      units: quantity,
      bundledLineNumber: opt(fc.integer({ min: 1, max: 50 })),
      adjustments: fc.array(adjustment, { maxLength: 3 }),
      paymentDate: opt(isoDate),
      remainingPatientLiabilityCents: opt(cents),
    })
    .map((a) => compact(a) as LineAdjudication);
}

const otherParty = (qualifiers: string[]): fc.Arbitrary<OtherParty> =>
  fc
    .tuple(
      entity,
      opt(address),
      fc.array(fc.record({ qualifier: fc.constantFrom(...qualifiers), value: code(9) }), { maxLength: 2 }),
    )
    .map(([e, a, refs]) => compact({ ...e, address: a, references: refs }));

const OTHER_PAYER_PROVIDER_ORDER: OtherPayerProvider['role'][] = [
  'referring',
  'rendering',
  'serviceFacility',
  'supervising',
  'billing',
];
const INSTITUTIONAL_OTHER_PAYER_PROVIDER_ORDER: OtherPayerProvider['role'][] = [
  'attending',
  'operating',
  'otherOperating',
  'serviceFacility',
  'rendering',
  'referring',
  'billing',
];

/** 837P 2330C–G or 837I 2330C–I loops, in guide order (the builder writes them so; the parser keeps the order read). */
const otherPayerProviders = (order: OtherPayerProvider['role'][]): fc.Arbitrary<OtherPayerProvider[]> =>
  fc
    .array(
      fc.record({
        role: fc.constantFrom(...order),
        type: fc.constantFrom('person' as const, 'organization' as const),
        references: fc.array(
          fc.record({ qualifier: fc.constantFrom('G2', 'LU', '0B', '1G'), value: code(9) }),
          { minLength: 1, maxLength: 2 },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    )
    .map((ps) => ps.sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role)));

function otherPayerCoverage(institutional: boolean): fc.Arbitrary<OtherPayerCoverage> {
  return fc
    .record({
      payerResponsibility: fc.constantFrom('P', 'S', 'T'),
      relationship: fc.constantFrom('18', '01', '19', 'G8'),
      groupNumber: opt(code(8)),
      groupName: opt(text()),
      insuranceType: opt(fc.constantFrom('12', '13', '47')),
      claimFilingCode: opt(fc.constantFrom('CI', 'MB', 'MC', 'BL')),
      adjustments: fc.array(adjustment, { maxLength: 4 }),
      paidCents: opt(cents),
      nonCoveredCents: opt(cents),
      remainingPatientLiabilityCents: opt(cents),
      // OI03 and OI06 are required when there is an OI.
      oi: opt(
        fc.record({
          benefitsAssigned: fc.constantFrom('Y', 'N', 'W'),
          patientSignatureSource: opt(fc.constant('P')),
          releaseOfInformation: fc.constantFrom('Y', 'I'),
        }),
      ),
      adjudication: opt(adjudicationInfo(institutional)),
      subscriber: otherParty(['SY']),
      payer: fc
        .tuple(otherParty(['2U', 'EI', 'G1', 'T4', 'F8']), opt(isoDate))
        .map(([p, paymentDate]) => compact({ ...p, paymentDate })),
      providers: sometimes(
        otherPayerProviders(
          institutional ? INSTITUTIONAL_OTHER_PAYER_PROVIDER_ORDER : OTHER_PAYER_PROVIDER_ORDER,
        ),
      ),
    })
    .map(({ oi, ...c }) => compact({ ...c, ...oi }) as OtherPayerCoverage);
}

function serviceLine(institutional: boolean): fc.Arbitrary<ServiceLine> {
  return fc
    .record({
      procedure: institutional ? opt(procedure) : procedure,
      revenueCode: institutional ? code(4) : fc.constant(undefined),
      chargeCents: cents,
      unitType: fc.constantFrom('UN', 'MJ'),
      units: quantity,
      placeOfService: institutional ? fc.constant(undefined) : opt(fc.constantFrom('11', '22', '02')),
      diagnosisPointers: institutional
        ? fc.constant([])
        : fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 4 }),
      serviceDate: opt(dateRange),
      priorAuthorization: opt(code(8)),
      lineControlNumber: opt(code(8)),
      renderingProvider: opt(entity),
      // Each guide's own 2420 loops: 837P B-F (the ordering provider with address and contact), 837I A, B, D.
      purchasedServiceProvider: institutional ? fc.constant(undefined) : sometimes(entity),
      serviceFacility: institutional ? fc.constant(undefined) : sometimes(entityWithAddress),
      supervisingProvider: institutional ? fc.constant(undefined) : sometimes(entity),
      orderingProvider: institutional ? fc.constant(undefined) : sometimes(orderingProvider),
      referringProvider: sometimes(entity),
      primaryCareProvider: institutional ? fc.constant(undefined) : sometimes(entity),
      operatingPhysician: institutional ? sometimes(entity) : fc.constant(undefined),
      otherOperatingPhysician: institutional ? sometimes(entity) : fc.constant(undefined),
      drug: opt(fc.record({ ndc: code(11), quantity, unit: fc.constantFrom('UN', 'ML', 'GR') })),
      note: opt(text()),
      ambulanceTransport: institutional ? fc.constant(undefined) : sometimes(ambulanceTransport),
      dmeCertification: institutional
        ? fc.constant(undefined)
        : sometimes(
            fc.record({
              type: fc.constantFrom('I', 'R', 'S'),
              durationMonths: fc.integer({ min: 1, max: 99 }),
            }),
          ),
      conditionIndicators: institutional
        ? fc.constant(undefined)
        : sometimes(conditionIndicators(['07', '70', '09'])),
      ambulancePickup: institutional ? fc.constant(undefined) : sometimes(address),
      ambulanceDropoff: institutional ? fc.constant(undefined) : sometimes(ambulanceDropoff),
      adjudications: sometimes(fc.array(lineAdjudication(institutional), { minLength: 1, maxLength: 2 })),
      forms: institutional ? fc.constant(undefined) : sometimes(lineForms),
    })
    .map((l) => compact(l) as ServiceLine);
}

function claim(institutional: boolean): fc.Arbitrary<Claim> {
  return fc
    .record({
      billingProvider: fc.tuple(provider, opt(code(9))).map(([p, taxId]) => compact({ ...p, taxId })),
      payToAddress: opt(address),
      subscriber: fc
        .record({
          e: entity,
          payerResponsibility: fc.constantFrom('P', 'S', 'T'),
          relationship: opt(fc.constant('18')),
          groupNumber: opt(code(8)),
          claimFilingCode: opt(fc.constantFrom('CI', 'MB', 'MC', 'BL')),
          address: opt(address),
          dateOfBirth: opt(isoDate),
          gender: opt(fc.constantFrom('M', 'F', 'U')),
        })
        .map(({ e, ...s }) => compact({ ...e, ...s })),
      payer: fc.tuple(entity, opt(address)).map(([e, a]) => compact({ ...e, address: a })),
      patient: opt(
        fc
          .record({
            e: entity,
            relationship: fc.constantFrom('01', '19', 'G8'),
            dateOfBirth: opt(isoDate),
            gender: opt(fc.constantFrom('M', 'F')),
          })
          .map(({ e, ...p }) => compact({ ...e, ...p })),
      ),
      patientControlNumber: code(10),
      chargeCents: cents,
      placeOfService: fc.constantFrom('11', '22', '21'),
      frequencyCode: fc.constantFrom('1', '7', '8'),
      providerSignature: fc.boolean(),
      assignmentCode: opt(fc.constantFrom('A', 'B', 'C')),
      benefitsAssigned: opt(fc.constantFrom('Y', 'N')),
      releaseOfInformation: opt(fc.constantFrom('Y', 'I')),
      diagnoses: fc.array(
        fc.record({
          qualifier: fc.constantFrom(...(institutional ? ['ABK', 'ABF', 'ABJ'] : ['ABK', 'ABF'])),
          code: code(5),
        }),
        { minLength: 1, maxLength: 14 },
      ),
      priorAuthorization: opt(code(10)),
      referralNumber: opt(code(10)),
      originalClaimNumber: opt(code(12)),
      statementPeriod: institutional ? opt(dateRange) : fc.constant(undefined),
      admissionDate: institutional ? opt(isoDate) : fc.constant(undefined),
      admission: institutional
        ? opt(
            fc.record({ type: opt(code(1)), source: opt(code(1)), patientStatus: opt(code(2)) }).map(compact),
          )
        : fc.constant(undefined),
      note: opt(text()),
      referringProvider: opt(loopProvider),
      primaryCareProvider: institutional ? fc.constant(undefined) : sometimes(loopProvider),
      renderingProvider: opt(loopProvider),
      supervisingProvider: institutional ? fc.constant(undefined) : sometimes(loopProvider),
      // The 837I's own 2310A-C loops: attending (with PRV*AT), operating and other operating physicians.
      attendingProvider: institutional ? opt(loopProvider) : fc.constant(undefined),
      operatingPhysician: institutional ? opt(entity) : fc.constant(undefined),
      otherOperatingPhysician: institutional ? sometimes(entity) : fc.constant(undefined),
      serviceFacility: opt(loopProvider),
      ambulanceTransport: institutional ? fc.constant(undefined) : sometimes(ambulanceTransport),
      spinalManipulation: institutional
        ? fc.constant(undefined)
        : sometimes(
            fc
              .record({
                patientCondition: fc.constantFrom('A', 'C', 'D', 'E', 'F', 'G', 'M'),
                description: opt(text(1, 40)),
                additionalDescription: opt(text(1, 40)),
              })
              .map(compact),
          ),
      conditionIndicators: institutional
        ? fc.constant(undefined)
        : sometimes(conditionIndicators(['07', 'E1', '75', 'ZZ'])),
      ambulancePickup: institutional ? fc.constant(undefined) : sometimes(address),
      ambulanceDropoff: institutional ? fc.constant(undefined) : sometimes(ambulanceDropoff),
      otherPayers: sometimes(fc.array(otherPayerCoverage(institutional), { minLength: 1, maxLength: 3 })),
      lines: fc.array(serviceLine(institutional), { minLength: 1, maxLength: 5 }),
    })
    .map((c) => compact(c) as Claim);
}

export function claimSubmission(kind: 'professional' | 'institutional'): fc.Arbitrary<ClaimSubmission> {
  return fc.record({
    kind: fc.constant(kind),
    claimType: fc.constantFrom('CH', 'RP'),
    referenceId: code(10),
    date: isoDate,
    time: isoTime,
    submitter: fc
      .tuple(
        entity,
        opt(
          fc
            .record({ name: opt(text()), phone: opt(code(10)), email: opt(fc.constant('BILLING.OFFICE')) })
            .map(compact),
        ),
      )
      .map(([e, contact]) => compact({ ...e, contact })),
    receiver: entity,
    claims: fc.array(claim(kind === 'institutional'), { minLength: 1, maxLength: 4 }),
  });
}

/** A balanced 835: every charge equals paid plus adjustments, and BPR02 = Σ paid − Σ PLB. */
export const remittance: fc.Arbitrary<Remittance> = fc
  .record({
    handlingCode: fc.constantFrom('I', 'C'),
    method: fc.constantFrom('ACH', 'CHK'),
    date: isoDate,
    trace: fc.record({ type: fc.constant('1'), number: code(12), originatorId: code(10) }),
    productionDate: opt(isoDate),
    receiverId: opt(code(9)),
    payer: fc.record({ name: text(), payerId: opt(code(5)), address: opt(address) }),
    payee: fc.record({ name: text(), id: code(10), taxId: opt(code(9)) }),
    claims: fc.array(
      fc.record({
        patientControlNumber: code(10),
        statusCode: fc.constantFrom('1', '2', '4', '22'),
        paidCents: signedCents,
        patientResponsibilityCents: opt(cents),
        filingIndicator: opt(fc.constantFrom('12', 'MB', 'MC')),
        payerClaimControlNumber: opt(code(13)),
        patient: opt(entity),
        renderingProvider: opt(entity),
        adjustments: fc.array(adjustment, { maxLength: 3 }),
        // The 835's MOA or MIA: the same segments as an 837I's 2320 adjudication.
        adjudication: opt(adjudicationInfo(true)),
        references,
        statementPeriod: opt(dateRange),
        receivedDate: opt(isoDate),
        amounts: fc.array(fc.record({ qualifier: fc.constantFrom('AU', 'F5'), amountCents: cents }), {
          maxLength: 2,
        }),
        services: fc.array(
          fc.record({
            procedure,
            paidCents: signedCents,
            revenueCode: opt(code(4)),
            units: opt(quantity),
            serviceDate: opt(dateRange),
            adjustments: fc.array(adjustment, { maxLength: 8 }),
            lineControlNumber: opt(code(8)),
            references,
            amounts: fc.array(fc.record({ qualifier: fc.constant('B6'), amountCents: cents }), {
              maxLength: 1,
            }),
            remarkCodes: fc.array(fc.constantFrom('N130', 'M15', 'MA01'), { maxLength: 2 }),
          }),
          { maxLength: 4 },
        ),
      }),
      { minLength: 1, maxLength: 4 },
    ),
    plb: fc.array(
      fc
        .record({
          reasonCode: fc.constantFrom('L6', 'WO', 'FB'),
          referenceId: opt(code(8)),
          amountCents: signedCents,
        })
        .map(compact),
      {
        maxLength: 6,
      },
    ),
    plbDate: isoDate,
  })
  .map((g) => {
    const sum = (xs: readonly { amountCents: number }[]) => xs.reduce((n, x) => n + x.amountCents, 0);
    const claims = g.claims.map((c) => {
      const services = c.services.map((s) =>
        compact({ ...s, chargeCents: s.paidCents + sum(s.adjustments) }),
      );
      const lineAdjustments = services.reduce((n, s) => n + sum(s.adjustments), 0);
      return compact({ ...c, chargeCents: c.paidCents + sum(c.adjustments) + lineAdjustments, services });
    });
    const total = claims.reduce((n, c) => n + c.paidCents, 0) - sum(g.plb);
    return {
      payment: compact({
        handlingCode: g.handlingCode,
        amountCents: Math.abs(total),
        creditDebit: total < 0 ? ('D' as const) : ('C' as const),
        method: g.method,
        date: g.date,
      }),
      trace: g.trace,
      ...compact({ receiverId: g.receiverId, productionDate: g.productionDate }),
      payer: compact({ ...g.payer, contacts: [] }),
      payee: compact({ ...g.payee, idQualifier: 'XX', references: [] }),
      claims,
      providerAdjustments:
        g.plb.length > 0 ? [{ providerId: g.payee.id, fiscalPeriodEnd: g.plbDate, adjustments: g.plb }] : [],
    } as Remittance;
  });

const member: fc.Arbitrary<Member> = fc
  .record({
    e: entity,
    references: fc.array(fc.record({ qualifier: fc.constantFrom('6P', '18', 'SY'), value: code(9) }), {
      maxLength: 2,
    }),
    address: opt(address),
    dateOfBirth: opt(isoDate),
    gender: opt(fc.constantFrom('M', 'F')),
    dates: fc.array(fc.record({ qualifier: fc.constantFrom('346', '347', '291'), range: dateRange }), {
      maxLength: 2,
    }),
  })
  .map(({ e, ...m }) => compact({ ...e, ...m }));

export const eligibilityRequest: fc.Arbitrary<EligibilityRequest> = fc
  .record({
    referenceId: code(9),
    date: isoDate,
    time: isoTime,
    payer: entity,
    provider: entity,
    subscriber: member.map((m) => ({ ...m, dates: [] })),
    dependent: opt(member.map((m) => ({ ...m, dates: [], relationship: '19' }))),
    trace: fc.record({ type: fc.constant('1'), number: code(12), originatorId: code(10) }),
    serviceDate: opt(dateRange),
    serviceTypes: fc.array(fc.constantFrom('30', '98', '47', 'MH', 'UC'), { minLength: 1, maxLength: 4 }),
    procedures: opt(fc.array(procedure, { minLength: 1, maxLength: 2 })),
  })
  .map(compact);

/** 2120C: a PCP, another payer or a vendor, with what the 271 can say about it. */
const benefitEntity: fc.Arbitrary<BenefitEntity> = fc
  .record({
    role: fc.constantFrom('P3', 'PR', 'PRP', '1P', '13', 'VN', 'Y2'),
    e: entity,
    address: opt(address),
    contact: opt(
      fc
        .record({
          function: fc.constant('IC'),
          name: opt(text()),
          numbers: fc.array(fc.tuple(fc.constantFrom('TE', 'UR', 'EM', 'FX'), code(10)), {
            minLength: 1,
            maxLength: 3,
          }),
        })
        .map(compact),
    ),
    provider: opt(
      fc.record({ code: fc.constantFrom('PC', 'PE', 'RF'), qualifier: fc.constant('PXC'), id: code(10) }),
    ),
  })
  .map(({ e, ...rest }) => compact({ ...rest, ...e }));

const benefit: fc.Arbitrary<Benefit> = fc
  .record({
    code: fc.constantFrom('1', '6', 'A', 'B', 'C', 'G', 'CB', 'F'),
    coverageLevel: opt(fc.constantFrom('IND', 'FAM')),
    serviceTypes: fc.array(fc.constantFrom('30', '98', '47', 'MH', 'UC', '1'), { maxLength: 4 }),
    insuranceType: opt(fc.constantFrom('PR', 'HM', 'MB')),
    planDescription: opt(text()),
    timePeriod: opt(fc.constantFrom('23', '29', '27')),
    amountCents: opt(cents),
    percent: opt(fc.integer({ min: 0, max: 100 }).map((n) => n / 100)),
    quantityQualifier: opt(fc.constantFrom('VS', 'DY')),
    quantity: opt(quantity),
    authorizationRequired: opt(fc.boolean()),
    network: opt(fc.constantFrom('in' as const, 'out' as const, 'both' as const)),
    procedure: opt(procedure),
    dates: fc.array(fc.record({ qualifier: fc.constantFrom('291', '348'), range: dateRange }), {
      maxLength: 2,
    }),
    references: fc.array(fc.record({ qualifier: fc.constant('18'), value: code(6) }), { maxLength: 1 }),
    messages: fc.array(text(1, 40), { maxLength: 2 }),
    relatedEntities: sometimes(fc.array(benefitEntity, { minLength: 1, maxLength: 2 })),
  })
  .map(compact);

export const eligibilityResponse: fc.Arbitrary<EligibilityResponseInput> = fc
  .record({
    referenceId: code(9),
    date: isoDate,
    time: isoTime,
    payer: entity,
    provider: entity,
    subscriber: member,
    dependent: opt(member.map((m) => ({ ...m, relationship: '01' }))),
    traceNumbers: fc.array(fc.record({ type: fc.constant('2'), number: code(12), originatorId: code(10) }), {
      maxLength: 2,
    }),
    rejections: fc
      .array(
        fc
          .record({
            level: fc.constantFrom('payer' as const, 'provider' as const, 'subscriber' as const),
            valid: fc.boolean(),
            reasonCode: fc.constantFrom('72', '75', '42'),
            followUpAction: opt(fc.constantFrom('C', 'N', 'R')),
          })
          .map((r) => compact(r) as Rejection),
        { maxLength: 2 },
      )
      .map((list) => list.sort(byLevel)),
    benefits: fc.array(benefit, { maxLength: 8 }),
  })
  .map(compact);

const status: fc.Arbitrary<ClaimStatus> = fc
  .record({
    category: fc.constantFrom('A1', 'A2', 'A3', 'F1', 'P1'),
    code: fc.constantFrom('19', '20', '21', '65', '107'),
    entity: opt(fc.constantFrom('PR', '85', '41')),
    effectiveDate: opt(isoDate),
    action: opt(fc.constantFrom('WQ', 'U')),
    chargeCents: opt(cents),
    paidCents: opt(cents),
    paymentDate: opt(isoDate),
    checkNumber: opt(code(8)),
    additional: fc.array(
      fc
        .record({
          category: fc.constant('A3'),
          code: fc.constantFrom('21', '562'),
          entity: opt(fc.constant('85')),
        })
        .map(compact),
      { maxLength: 2 },
    ),
    message: opt(text(1, 30)),
  })
  .map(compact);

function statusDetail(withStatuses: boolean, patientOnly: boolean): fc.Arbitrary<ClaimStatusDetail> {
  return fc
    .record({
      provider: entity,
      person: entity,
      patient: patientOnly ? fc.constant(undefined) : opt(entity),
      traceNumber: code(12),
      statuses: withStatuses ? fc.array(status, { minLength: 1, maxLength: 2 }) : fc.constant([]),
      payerClaimControlNumber: opt(code(12)),
      patientControlNumber: opt(code(10)),
      clearinghouseTraceNumber: opt(code(10)),
      billType: opt(code(3)),
      chargeCents: withStatuses ? fc.constant(undefined) : opt(cents),
      serviceDate: opt(dateRange),
      lines: fc.array(
        fc
          .record({
            procedure,
            chargeCents: cents,
            paidCents: opt(cents),
            revenueCode: opt(code(4)),
            units: opt(quantity),
            lineControlNumber: opt(code(8)),
            serviceDate: opt(dateRange),
            statuses: withStatuses ? fc.array(status, { maxLength: 2 }) : fc.constant([]),
          })
          .map(compact),
        { maxLength: 3 },
      ),
    })
    .map(
      ({ person, ...c }) =>
        compact(patientOnly ? { ...c, patient: person } : { ...c, subscriber: person }) as ClaimStatusDetail,
    );
}

export const statusRequest: fc.Arbitrary<ClaimStatusRequest> = fc.record({
  referenceId: code(9),
  date: isoDate,
  time: isoTime,
  payer: entity,
  receiver: entity,
  claims: fc.array(statusDetail(false, false), { minLength: 1, maxLength: 3 }),
});

export const statusResponse: fc.Arbitrary<ClaimStatusResponse> = fc
  .record({
    ca: fc.boolean(),
    referenceId: code(9),
    date: isoDate,
    time: isoTime,
    payer: entity,
    receiver: entity,
    receiverStatus: opt(
      fc
        .record({ traceNumber: opt(code(9)), statuses: fc.array(status, { minLength: 1, maxLength: 2 }) })
        .map(compact),
    ),
    claimsCa: fc.array(statusDetail(true, true), { minLength: 1, maxLength: 3 }),
    claims277: fc.array(statusDetail(true, false), { minLength: 1, maxLength: 3 }),
  })
  .map(({ ca, receiverStatus, claimsCa, claims277, ...r }) => ({
    variant: ca ? ('277CA' as const) : ('277' as const),
    ...r,
    levelStatuses:
      ca && receiverStatus ? [{ level: 'receiver' as const, entity: r.receiver, ...receiverStatus }] : [],
    claims: ca ? claimsCa : claims277,
  }));

const reviewItem = fc.record({
  review: opt(
    fc
      .record({
        requestCategory: fc.constantFrom('HS', 'AR', 'SC'),
        certificationType: fc.constantFrom('I', 'R', 'S'),
        serviceType: opt(fc.constantFrom('73', '1', '2')),
        levelOfService: opt(fc.constantFrom('E', 'U')),
      })
      .map(compact),
  ),
  decision: opt(
    fc
      .record({
        action: fc.constantFrom('A1', 'A3', 'A4', 'A6'),
        certificationNumber: opt(code(10)),
        reasonCode: opt(code(2)),
      })
      .map(compact),
  ),
  authorizationNumber: opt(code(10)),
  administrativeReference: opt(code(10)),
  dates: fc.array(fc.record({ qualifier: fc.constantFrom('AAH', '472', '435'), range: dateRange }), {
    maxLength: 2,
  }),
  quantity: opt(fc.record({ qualifier: fc.constantFrom('VS', 'DY'), quantity })),
  providers: fc.array(fc.record({ role: fc.constantFrom('SJ', 'FA', '71', 'DN'), entity }), { maxLength: 2 }),
  attachments: opt(
    fc.array(
      fc
        .record({
          reportType: fc.constantFrom('03', 'M1', 'RR', 'LA', 'XP'),
          transmission: fc.constantFrom('FX', 'BM', 'EL', 'AA'),
          controlNumber: opt(code(12)),
          description: opt(text(1, 40)),
        })
        .map(compact),
      { minLength: 1, maxLength: 3 },
    ),
  ),
  message: opt(text(1, 120)),
});

export const serviceReview: fc.Arbitrary<ServiceReviewTransaction> = fc
  .record({
    kind: fc.constantFrom('request' as const, 'response' as const),
    referenceId: code(9),
    date: isoDate,
    time: isoTime,
    umo: entity,
    requester: entity,
    subscriber: fc
      .record({ e: entity, dateOfBirth: opt(isoDate), gender: opt(fc.constantFrom('M', 'F')) })
      .map(({ e, ...p }) => compact({ ...e, ...p })),
    dependent: opt(
      fc
        .record({ e: entity, dateOfBirth: opt(isoDate), relationship: opt(fc.constant('19')) })
        .map(({ e, ...p }) => compact({ ...e, ...p })),
    ),
    traceNumbers: fc.array(
      fc.record({ type: fc.constantFrom('1', '2'), number: code(10), originatorId: code(10) }),
      { maxLength: 2 },
    ),
    rejections: fc
      .array(
        fc.record({
          level: fc.constantFrom('payer' as const, 'provider' as const, 'subscriber' as const),
          valid: fc.boolean(),
          reasonCode: fc.constantFrom('15', '33', '57'),
        }),
        { maxLength: 2 },
      )
      .map((list) => list.sort(byLevel)),
    event: fc
      .tuple(
        reviewItem,
        fc.array(fc.record({ qualifier: fc.constantFrom('ABK', 'ABF'), code: code(5) }), { maxLength: 3 }),
      )
      .map(([item, diagnoses]) => compact({ ...item, diagnoses })),
    services: fc.array(
      fc
        .tuple(
          reviewItem,
          fc.record({
            procedure,
            chargeCents: opt(cents),
            unitType: opt(fc.constant('UN')),
            units: opt(quantity),
          }),
        )
        .map(([item, line]) => compact({ ...item, ...line })),
      { maxLength: 3 },
    ),
  })
  .map((r) => compact(r) as ServiceReviewTransaction);

export const implementationAck: fc.Arbitrary<ImplementationAcknowledgment> = fc
  .record({
    type: fc.constantFrom('999' as const, '997' as const),
    functionalId: fc.constantFrom('HC', 'HS', 'HR'),
    groupControlNumber: fc.integer({ min: 1, max: 999999999 }).map(String),
    version: opt(fc.constant('005010X222A1')),
    transactionSets: fc.array(
      fc
        .record({
          transactionSetId: fc.constantFrom('837', '270'),
          controlNumber: code(4),
          implementationReference: opt(fc.constant('005010X222A1')),
          status: fc.constantFrom('A', 'E', 'R'),
          errorCodes: fc.array(fc.constantFrom('5', 'I5'), { maxLength: 2 }),
          segmentErrors: fc.array(
            fc
              .record({
                segmentId: fc.constantFrom('CLM', 'NM1', 'SV1'),
                position: fc.integer({ min: 1, max: 9999 }),
                loopId: opt(fc.constantFrom('2300', '2010BA')),
                code: opt(fc.constantFrom('8', '3', 'I4')),
                elementErrors: fc.array(
                  fc
                    .record({
                      position: fc.integer({ min: 1, max: 20 }),
                      componentPosition: opt(fc.integer({ min: 1, max: 9 })),
                      elementReference: opt(fc.constantFrom('782', '1028')),
                      code: fc.constantFrom('1', '7', 'I12'),
                      badValue: opt(code(4)),
                    })
                    .map(compact),
                  { maxLength: 2 },
                ),
              })
              .map(compact),
            { maxLength: 2 },
          ),
        })
        .map(compact),
      { minLength: 1, maxLength: 3 },
    ),
    groupStatus: fc.constantFrom('A', 'P', 'R'),
    included: fc.nat(99),
    received: fc.nat(99),
    accepted: fc.nat(99),
    groupErrorCodes: fc.array(fc.constantFrom('1', '5'), { maxLength: 2 }),
  })
  .map(compact);

export const interchangeAck: fc.Arbitrary<InterchangeAcknowledgment> = fc
  .record({
    controlNumber: fc.integer({ min: 1, max: 999999999 }).map((n) => String(n).padStart(9, '0')),
    date: isoDate,
    time: isoTime,
    ackCode: fc.constantFrom('A', 'E', 'R'),
    noteCode: fc.constantFrom('000', '001', '022', '024'),
  })
  .map((a) => ({ ...a, note: '' }));
