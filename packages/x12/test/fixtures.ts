/**
 * Realistic sample transactions: NPIs pass the Luhn check with the 80840 prefix, diagnosis codes are real
 * ICD-10-CM codes, CPT/HCPCS codes and CARC/RARC codes are real, and amounts balance.
 */
import type {
  ClaimStatusResponse,
  ClaimSubmission,
  EligibilityRequest,
  EligibilityResponseInput,
  EnvelopeOptions,
  ImplementationAcknowledgment,
  Remittance,
  ServiceReviewTransaction,
} from '../src/index.ts';

export const NPI = {
  billing: '1234567893',
  rendering: '1456789019',
  referring: '1987654328',
  facility: '1765432103',
  attending: '1609876549',
} as const;

export const envelope: EnvelopeOptions = {
  senderId: 'INTELLUXE',
  receiverId: 'SANDBOXCH',
  interchangeControlNumber: 1001,
  date: '2026-03-02',
  time: '09:30',
  usage: 'T',
};

const billingProvider = {
  type: 'organization' as const,
  name: 'RIVERSIDE FAMILY MEDICINE',
  idQualifier: 'XX',
  id: NPI.billing,
  taxonomy: '207Q00000X',
  address: { line1: '1200 RIVERSIDE DR', city: 'AUSTIN', state: 'TX', postalCode: '787041234' },
  taxId: '741234567',
};

const subscriber = {
  type: 'person' as const,
  name: 'GARCIA',
  firstName: 'ELENA',
  idQualifier: 'MI',
  id: 'W123456789',
  payerResponsibility: 'P',
  relationship: '18',
  groupNumber: 'GRP77001',
  claimFilingCode: 'CI',
  address: { line1: '45 OAK HOLLOW LN', city: 'AUSTIN', state: 'TX', postalCode: '78745' },
  dateOfBirth: '1984-07-19',
  gender: 'F',
};

const payer = { type: 'organization' as const, name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '040' };

export const claim837P: ClaimSubmission = {
  kind: 'professional',
  claimType: 'CH',
  referenceId: 'BATCH20260302',
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
  claims: [
    {
      billingProvider,
      subscriber,
      payer,
      patientControlNumber: 'PCN20260301A',
      chargeCents: 28500,
      placeOfService: '11',
      frequencyCode: '1',
      providerSignature: true,
      assignmentCode: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      diagnoses: [
        { qualifier: 'ABK', code: 'E119' },
        { qualifier: 'ABF', code: 'I10' },
        { qualifier: 'ABF', code: 'E785' },
      ],
      priorAuthorization: 'AUTH884422',
      renderingProvider: {
        type: 'person',
        name: 'NGUYEN',
        firstName: 'DAVID',
        idQualifier: 'XX',
        id: NPI.rendering,
        taxonomy: '207Q00000X',
      },
      referringProvider: {
        type: 'person',
        name: 'PATEL',
        firstName: 'ANITA',
        idQualifier: 'XX',
        id: NPI.referring,
      },
      lines: [
        {
          procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
          chargeCents: 18500,
          unitType: 'UN',
          units: 1,
          diagnosisPointers: [1, 2],
          serviceDate: { start: '2026-03-01' },
          lineControlNumber: 'LN0001',
        },
        {
          procedure: { qualifier: 'HC', code: '83036', modifiers: [] },
          chargeCents: 10000,
          unitType: 'UN',
          units: 1,
          diagnosisPointers: [1],
          serviceDate: { start: '2026-03-01' },
          lineControlNumber: 'LN0002',
        },
      ],
    },
  ],
};

export const claim837I: ClaimSubmission = {
  kind: 'institutional',
  claimType: 'CH',
  referenceId: 'INST20260302',
  date: '2026-03-02',
  time: '10:15',
  submitter: { type: 'organization', name: 'ST MARY REGIONAL HOSPITAL', idQualifier: '46', id: 'H7654321' },
  receiver: { type: 'organization', name: 'SANDBOX CLEARINGHOUSE', idQualifier: '46', id: 'SANDBOXCH' },
  claims: [
    {
      billingProvider: {
        ...billingProvider,
        name: 'ST MARY REGIONAL HOSPITAL',
        id: NPI.facility,
        taxonomy: '282N00000X',
      },
      subscriber,
      payer,
      patientControlNumber: 'INPT556677',
      chargeCents: 1245000,
      placeOfService: '11',
      frequencyCode: '1',
      providerSignature: true,
      assignmentCode: 'A',
      benefitsAssigned: 'Y',
      releaseOfInformation: 'Y',
      diagnoses: [
        { qualifier: 'ABK', code: 'J189' },
        { qualifier: 'ABF', code: 'J9601' },
      ],
      statementPeriod: { start: '2026-02-20', end: '2026-02-24' },
      admissionDate: '2026-02-20',
      admission: { type: '1', source: '7', patientStatus: '01' },
      attendingProvider: {
        type: 'person',
        name: 'OKAFOR',
        firstName: 'GRACE',
        idQualifier: 'XX',
        id: NPI.attending,
      },
      lines: [
        {
          revenueCode: '0120',
          chargeCents: 980000,
          unitType: 'DA',
          units: 4,
          diagnosisPointers: [],
          serviceDate: { start: '2026-02-20', end: '2026-02-24' },
        },
        {
          revenueCode: '0300',
          procedure: { qualifier: 'HC', code: '85025', modifiers: [] },
          chargeCents: 265000,
          unitType: 'UN',
          units: 5,
          diagnosisPointers: [],
          serviceDate: { start: '2026-02-21' },
          lineControlNumber: 'I-LN-02',
        },
      ],
    },
  ],
};

const primaryClaim = claim837P.claims[0]!;
/** The patient's secondary coverage and, as the other subscriber of a 2330A, her primary member id. */
const secondary = {
  subscriber: { ...subscriber, payerResponsibility: 'S', id: 'U88230145', groupNumber: 'AARP4471' },
  payer: { type: 'organization' as const, name: 'UNITEDHEALTHCARE', idQualifier: 'PI', id: '87726' },
};
const primaryMember = {
  type: 'person' as const,
  name: 'GARCIA',
  firstName: 'ELENA',
  idQualifier: 'MI',
  id: 'W123456789',
};
/** The 2320 loop for the primary (Anthem), as both secondary claims report it. */
const primaryCoverage = {
  payerResponsibility: 'P',
  relationship: '18',
  groupNumber: 'GRP77001',
  claimFilingCode: 'CI',
  benefitsAssigned: 'Y',
  releaseOfInformation: 'Y',
};

/**
 * The claim of `claim837P` sent on to a secondary payer after the primary paid it (the `remittance` below):
 * 2320/2330 loops for the primary with its paid amount and claim control number, and 2430 loops per line.
 */
export const secondaryClaim837P: ClaimSubmission = {
  ...claim837P,
  referenceId: 'BATCH20260321',
  date: '2026-03-21',
  time: '08:10',
  claims: [
    {
      ...primaryClaim,
      ...secondary,
      patientControlNumber: 'PCN20260301B',
      otherPayers: [
        {
          ...primaryCoverage,
          adjustments: [],
          paidCents: 15780,
          remainingPatientLiabilityCents: 3500,
          patientSignatureSource: 'P',
          adjudication: { kind: 'outpatient', remarkCodes: ['N130'] },
          subscriber: { ...primaryMember, address: subscriber.address, references: [] },
          payer: {
            ...payer,
            address: { line1: 'PO BOX 105187', city: 'ATLANTA', state: 'GA', postalCode: '303485187' },
            paymentDate: '2026-03-20',
            references: [{ qualifier: 'F8', value: '2026077001234' }],
          },
        },
      ],
      lines: [
        {
          ...primaryClaim.lines[0]!,
          adjudications: [
            {
              payerId: '040',
              paidCents: 10280,
              procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
              units: 1,
              adjustments: [
                { group: 'CO', reason: '45', amountCents: 4720 },
                { group: 'PR', reason: '3', amountCents: 3500 },
              ],
              paymentDate: '2026-03-20',
              remainingPatientLiabilityCents: 3500,
            },
          ],
        },
        {
          ...primaryClaim.lines[1]!,
          adjudications: [
            {
              payerId: '040',
              paidCents: 5500,
              procedure: { qualifier: 'HC', code: '83036', modifiers: [] },
              units: 1,
              adjustments: [{ group: 'CO', reason: '45', amountCents: 4500 }],
              paymentDate: '2026-03-20',
            },
          ],
        },
      ],
    },
  ],
};

/** `claim837I` sent on to a secondary payer, with the primary's claim-level adjustments (CAS in 2320). */
export const secondaryClaim837I: ClaimSubmission = {
  ...claim837I,
  referenceId: 'INST20260313',
  date: '2026-03-13',
  claims: [
    {
      ...claim837I.claims[0]!,
      ...secondary,
      otherPayers: [
        {
          ...primaryCoverage,
          adjustments: [
            { group: 'CO', reason: '45', amountCents: 215000 },
            { group: 'PR', reason: '1', amountCents: 50000 },
          ],
          paidCents: 980000,
          remainingPatientLiabilityCents: 50000,
          subscriber: { ...primaryMember, references: [] },
          payer: {
            ...payer,
            paymentDate: '2026-03-12',
            references: [{ qualifier: 'F8', value: '2026061009876' }],
          },
        },
      ],
    },
  ],
};

export const medicare = {
  type: 'organization' as const,
  name: 'NOVITAS SOLUTIONS',
  idQualifier: 'PI',
  id: '12202',
};
/** A Medicare Part B member in Austin. */
export const medicareSubscriber = {
  type: 'person' as const,
  name: 'HOLLOWAY',
  firstName: 'RAYMOND',
  idQualifier: 'MI',
  id: '1EG4TE5MK73',
  payerResponsibility: 'P',
  relationship: '18',
  claimFilingCode: 'MB',
  address: { line1: '880 PECAN ST', city: 'AUSTIN', state: 'TX', postalCode: '78702' },
  dateOfBirth: '1948-11-02',
  gender: 'M',
};
/** An Austin supplier billing Medicare. */
const supplier = (
  name: string,
  id: string,
  taxonomy: string,
  line1: string,
  postalCode: string,
  taxId: string,
) => ({
  type: 'organization' as const,
  name,
  idQualifier: 'XX',
  id,
  taxonomy,
  address: { line1, city: 'AUSTIN', state: 'TX', postalCode },
  taxId,
});
/** A HCPCS line with one modifier on one day. */
const hcpcsLine = (
  code: string,
  modifier: string,
  chargeCents: number,
  units: number,
  pointers: number[],
  day: string,
) => ({
  procedure: { qualifier: 'HC', code, modifiers: [modifier] },
  chargeCents,
  unitType: 'UN',
  units,
  diagnosisPointers: pointers,
  serviceDate: { start: day },
});
const medicareClaim = {
  subscriber: medicareSubscriber,
  payer: medicare,
  placeOfService: '41',
  frequencyCode: '1',
  providerSignature: true,
  assignmentCode: 'A',
  benefitsAssigned: 'Y',
  releaseOfInformation: 'Y',
};

/**
 * 837P claims with the certification segments: an ambulance transport (CR1 and CRC 07), a chiropractic
 * manipulation (CR2) and home oxygen (CR3 and CRC 09 on the line).
 */
export const certifiedClaims837P: ClaimSubmission = {
  ...claim837P,
  referenceId: 'CERT20260305',
  date: '2026-03-05',
  time: '14:20',
  claims: [
    {
      ...medicareClaim,
      billingProvider: supplier(
        'CAPITAL AREA EMS',
        '1345678902',
        '3416L0300X',
        '4410 RIVERSIDE DR',
        '787410000',
        '746601234',
      ),
      patientControlNumber: 'EMS260304017',
      chargeCents: 118750,
      diagnoses: [
        { qualifier: 'ABK', code: 'S72001A' },
        { qualifier: 'ABF', code: 'W010XXA' },
      ],
      ambulanceTransport: {
        patientWeightLbs: 185,
        reasonCode: 'A',
        distanceMiles: 12.5,
        stretcherPurpose: 'SUSPECTED HIP FRACTURE UNABLE TO BEAR WEIGHT',
      },
      conditionIndicators: [{ category: '07', applies: true, conditions: ['01', '04', '06'] }],
      lines: [
        hcpcsLine('A0427', 'RH', 95000, 1, [1, 2], '2026-03-04'),
        hcpcsLine('A0425', 'RH', 23750, 12.5, [1], '2026-03-04'),
      ],
    },
    {
      ...medicareClaim,
      billingProvider: supplier(
        'LAKESHORE CHIROPRACTIC',
        '1567890128',
        '111N00000X',
        '2100 LAKE AUSTIN BLVD',
        '787030000',
        '746605678',
      ),
      placeOfService: '11',
      patientControlNumber: 'CHI260305002',
      chargeCents: 6500,
      diagnoses: [
        { qualifier: 'ABK', code: 'M9903' },
        { qualifier: 'ABF', code: 'M5450' },
      ],
      spinalManipulation: { patientCondition: 'A', description: 'LOW BACK PAIN AFTER LIFTING' },
      lines: [hcpcsLine('98940', 'AT', 6500, 1, [1, 2], '2026-03-05')],
    },
    {
      ...medicareClaim,
      billingProvider: supplier(
        'HILL COUNTRY HOME OXYGEN',
        '1789012345',
        '332B00000X',
        '77 SHOAL CREEK BLVD',
        '787570000',
        '746609012',
      ),
      placeOfService: '12',
      patientControlNumber: 'OXY260301044',
      chargeCents: 24200,
      diagnoses: [{ qualifier: 'ABK', code: 'J449' }],
      lines: [
        {
          ...hcpcsLine('E1390', 'RR', 24200, 1, [1], '2026-03-01'),
          serviceDate: { start: '2026-03-01', end: '2026-03-31' },
          dmeCertification: { type: 'I', durationMonths: 12 },
          conditionIndicators: [{ category: '09', applies: true, conditions: ['38'] }],
        },
      ],
    },
  ],
};

export const remittance: Remittance = {
  payment: {
    handlingCode: 'I',
    amountCents: 15730,
    creditDebit: 'C',
    method: 'ACH',
    format: 'CCP',
    payerBank: {
      idQualifier: '01',
      routingNumber: '111000025',
      accountQualifier: 'DA',
      accountNumber: '55500011',
    },
    originatorId: '1350000001',
    payeeBank: {
      idQualifier: '01',
      routingNumber: '114000093',
      accountQualifier: 'DA',
      accountNumber: '88877766',
    },
    date: '2026-03-20',
  },
  trace: { type: '1', number: 'EFT0000912345', originatorId: '1350000001' },
  productionDate: '2026-03-18',
  payer: {
    name: 'ANTHEM BLUE CROSS',
    address: { line1: 'PO BOX 105187', city: 'ATLANTA', state: 'GA', postalCode: '303485187' },
    payerId: '040',
    contacts: [{ function: 'BL', name: 'PROVIDER SERVICES', numbers: [['TE', '8006762583']] }],
  },
  payee: {
    name: 'RIVERSIDE FAMILY MEDICINE',
    idQualifier: 'XX',
    id: NPI.billing,
    taxId: '741234567',
    references: [],
  },
  claims: [
    {
      patientControlNumber: 'PCN20260301A',
      statusCode: '1',
      chargeCents: 28500,
      paidCents: 15780,
      patientResponsibilityCents: 3500,
      filingIndicator: '12',
      payerClaimControlNumber: '2026077001234',
      patient: { type: 'person', name: 'GARCIA', firstName: 'ELENA', idQualifier: 'MI', id: 'W123456789' },
      renderingProvider: {
        type: 'person',
        name: 'NGUYEN',
        firstName: 'DAVID',
        idQualifier: 'XX',
        id: NPI.rendering,
      },
      adjustments: [],
      references: [],
      statementPeriod: { start: '2026-03-01', end: '2026-03-01' },
      amounts: [{ qualifier: 'AU', amountCents: 19280 }],
      services: [
        {
          procedure: { qualifier: 'HC', code: '99214', modifiers: ['25'] },
          chargeCents: 18500,
          paidCents: 10280,
          units: 1,
          serviceDate: { start: '2026-03-01' },
          adjustments: [
            { group: 'CO', reason: '45', amountCents: 4720 },
            { group: 'PR', reason: '3', amountCents: 3500 },
          ],
          lineControlNumber: 'LN0001',
          references: [],
          amounts: [{ qualifier: 'B6', amountCents: 13780 }],
          remarkCodes: [],
        },
        {
          procedure: { qualifier: 'HC', code: '83036', modifiers: [] },
          chargeCents: 10000,
          paidCents: 5500,
          units: 1,
          serviceDate: { start: '2026-03-01' },
          adjustments: [{ group: 'CO', reason: '45', amountCents: 4500 }],
          lineControlNumber: 'LN0002',
          references: [],
          amounts: [{ qualifier: 'B6', amountCents: 5500 }],
          remarkCodes: ['N130'],
        },
      ],
    },
  ],
  providerAdjustments: [
    {
      providerId: NPI.billing,
      fiscalPeriodEnd: '2026-12-31',
      adjustments: [
        { reasonCode: 'L6', amountCents: -50 },
        { reasonCode: 'WO', referenceId: 'OVP2025A', amountCents: 100 },
      ],
    },
  ],
};

export const eligibilityRequest: EligibilityRequest = {
  referenceId: 'ELIG0001',
  date: '2026-03-02',
  time: '08:05',
  payer: { type: 'organization', name: 'ANTHEM BLUE CROSS', idQualifier: 'PI', id: '040' },
  provider: { type: 'organization', name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: 'XX', id: NPI.billing },
  subscriber: {
    type: 'person',
    name: 'GARCIA',
    firstName: 'ELENA',
    idQualifier: 'MI',
    id: 'W123456789',
    references: [],
    dateOfBirth: '1984-07-19',
    gender: 'F',
    dates: [],
  },
  trace: { type: '1', number: 'TRC-88001', originatorId: '9741234567' },
  serviceDate: { start: '2026-03-02' },
  serviceTypes: ['30', '98'],
  procedures: [{ qualifier: 'HC', code: '73721', modifiers: [] }],
};

export const eligibilityResponse: EligibilityResponseInput = {
  referenceId: 'ELIG0001',
  date: '2026-03-02',
  time: '08:05',
  payer: eligibilityRequest.payer,
  provider: eligibilityRequest.provider,
  subscriber: {
    ...eligibilityRequest.subscriber,
    references: [{ qualifier: '6P', value: 'GRP77001' }],
    dates: [{ qualifier: '346', range: { start: '2026-01-01' } }],
  },
  traceNumbers: [{ type: '2', number: 'TRC-88001', originatorId: '9741234567' }],
  rejections: [],
  benefits: [
    {
      code: '1',
      serviceTypes: ['30'],
      planDescription: 'PPO GOLD 1500',
      insuranceType: 'PR',
      dates: [],
      references: [],
      messages: [],
      relatedEntities: [
        {
          role: 'P3',
          type: 'person',
          name: 'NGUYEN',
          firstName: 'DAVID',
          idQualifier: 'XX',
          id: NPI.rendering,
          address: { line1: '1200 RIVERSIDE DR', city: 'AUSTIN', state: 'TX', postalCode: '787041234' },
          contact: { function: 'IC', numbers: [['TE', '5125550100']] },
          provider: { code: 'PC', qualifier: 'PXC', id: '207Q00000X' },
        },
      ],
    },
    {
      code: 'C',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      timePeriod: '23',
      amountCents: 150000,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'C',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      timePeriod: '29',
      amountCents: 92000,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'G',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      timePeriod: '23',
      amountCents: 600000,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'G',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      timePeriod: '29',
      amountCents: 511000,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'B',
      coverageLevel: 'IND',
      serviceTypes: ['98'],
      timePeriod: '27',
      amountCents: 3500,
      network: 'in',
      dates: [],
      references: [],
      messages: ['COPAY APPLIES PER VISIT'],
    },
    {
      code: 'A',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      percent: 0.2,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'A',
      coverageLevel: 'IND',
      serviceTypes: ['30'],
      percent: 0.4,
      network: 'out',
      dates: [],
      references: [],
      messages: [],
    },
    {
      code: 'CB',
      serviceTypes: ['MH'],
      authorizationRequired: true,
      network: 'in',
      dates: [],
      references: [],
      messages: [],
    },
  ],
};

export const claimAcknowledgment: ClaimStatusResponse = {
  variant: '277CA',
  referenceId: 'ACK20260302',
  date: '2026-03-02',
  time: '11:00',
  payer: { type: 'organization', name: 'SANDBOX CLEARINGHOUSE', idQualifier: '46', id: 'SANDBOXCH' },
  receiver: { type: 'organization', name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: '46', id: 'S1234567' },
  levelStatuses: [
    {
      level: 'receiver',
      entity: { type: 'organization', name: 'RIVERSIDE FAMILY MEDICINE', idQualifier: '46', id: 'S1234567' },
      traceNumber: 'BATCH20260302',
      statuses: [
        {
          category: 'A1',
          code: '19',
          entity: 'PR',
          effectiveDate: '2026-03-02',
          action: 'WQ',
          chargeCents: 28500,
          additional: [],
        },
      ],
    },
  ],
  claims: [
    {
      provider: {
        type: 'organization',
        name: 'RIVERSIDE FAMILY MEDICINE',
        idQualifier: 'XX',
        id: NPI.billing,
      },
      patient: { type: 'person', name: 'GARCIA', firstName: 'ELENA', idQualifier: 'MI', id: 'W123456789' },
      traceNumber: 'PCN20260301A',
      statuses: [
        {
          category: 'A2',
          code: '20',
          entity: 'PR',
          effectiveDate: '2026-03-02',
          action: 'WQ',
          chargeCents: 28500,
          additional: [],
        },
      ],
      payerClaimControlNumber: '2026077001234',
      serviceDate: { start: '2026-03-01', end: '2026-03-01' },
      lines: [],
    },
  ],
};

export const implementationAck: ImplementationAcknowledgment = {
  type: '999',
  functionalId: 'HC',
  groupControlNumber: '1001',
  version: '005010X222A1',
  transactionSets: [
    {
      transactionSetId: '837',
      controlNumber: '0001',
      implementationReference: '005010X222A1',
      status: 'A',
      errorCodes: [],
      segmentErrors: [],
    },
    {
      transactionSetId: '837',
      controlNumber: '0002',
      implementationReference: '005010X222A1',
      status: 'R',
      errorCodes: ['5'],
      segmentErrors: [
        {
          segmentId: 'CLM',
          position: 22,
          loopId: '2300',
          code: '8',
          elementErrors: [{ position: 2, elementReference: '782', code: '1' }],
        },
      ],
    },
  ],
  groupStatus: 'P',
  included: 2,
  received: 2,
  accepted: 1,
  groupErrorCodes: [],
};

export const authorizationRequest: ServiceReviewTransaction = {
  kind: 'request',
  referenceId: 'PA-20260302-01',
  date: '2026-03-02',
  time: '13:45',
  umo: { type: 'organization', name: 'ANTHEM UM SERVICES', idQualifier: 'PI', id: '040' },
  requester: { type: 'person', name: 'NGUYEN', firstName: 'DAVID', idQualifier: 'XX', id: NPI.rendering },
  subscriber: {
    type: 'person',
    name: 'GARCIA',
    firstName: 'ELENA',
    idQualifier: 'MI',
    id: 'W123456789',
    dateOfBirth: '1984-07-19',
    gender: 'F',
  },
  traceNumbers: [{ type: '1', number: 'PA-TRC-0001', originatorId: '9741234567' }],
  rejections: [],
  event: {
    review: {
      requestCategory: 'HS',
      certificationType: 'I',
      serviceType: '73',
      facilityCode: '22',
      facilityQualifier: 'B',
    },
    dates: [{ qualifier: 'AAH', range: { start: '2026-03-16' } }],
    providers: [],
    diagnoses: [{ qualifier: 'ABK', code: 'M1711' }],
  },
  services: [
    {
      procedure: { qualifier: 'HC', code: '73721', modifiers: ['RT'] },
      chargeCents: 120000,
      unitType: 'UN',
      units: 1,
      review: { requestCategory: 'HS', certificationType: 'I' },
      dates: [{ qualifier: '472', range: { start: '2026-03-16' } }],
      providers: [
        {
          role: 'SJ',
          entity: {
            type: 'organization',
            name: 'AUSTIN IMAGING CENTER',
            idQualifier: 'XX',
            id: NPI.facility,
          },
        },
      ],
    },
  ],
};

export const authorizationResponse: ServiceReviewTransaction = {
  ...authorizationRequest,
  kind: 'response',
  event: { ...authorizationRequest.event, decision: { action: 'A1', certificationNumber: 'CERT7781234' } },
  services: authorizationRequest.services.map((s) => ({
    ...s,
    decision: { action: 'A1', certificationNumber: 'CERT7781234' },
    dates: [...s.dates, { qualifier: 'AAH', range: { start: '2026-03-16', end: '2026-06-14' } }],
  })),
};
