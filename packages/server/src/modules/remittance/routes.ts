/** HTTP for 835 posting: upload (raw X12, multipart file, or JSON), fetch from the gateway, reports. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { invalidField } from '../../platform/errors.ts';
import { EXAMPLE_ID, IdParams, PageQuery, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { RemittanceService } from './service.ts';

const WRITE: Role[] = ['admin', 'biller', 'service'];
const READ: Role[] = ['admin', 'biller', 'practice_manager', 'service'];
const schema = { tags: ['remittance'], security: SECURED };
const MAX_835_BYTES = 200 * 1024 * 1024;

/** The 835 paying the office-visit claim: contractual write-offs (CO-45), copay and deductible (PR). */
const REMITTANCE_EXAMPLE = {
  id: EXAMPLE_ID.remittance,
  duplicate: false,
  payer: {
    id: 'anthem',
    name: 'ANTHEM BLUE CROSS',
  },
  traceNumber: '202603149C8E789F',
  paymentCents: 10309,
  paymentMethod: 'ACH',
  paymentDate: '2026-03-14',
  providerAdjustmentCents: 0,
  providerAdjustments: [],
  totals: {
    claims: 1,
    applied: 1,
    unmatched: 0,
    errors: 0,
    deniedClaims: 0,
    underpaidClaims: 0,
  },
  warnings: [],
  claims: [
    {
      patientControlNumber: 'C1000001',
      claimId: EXAMPLE_ID.claim,
      outcome: 'posted',
      message: null,
      statusCode: '1',
      status: 'paid',
      chargeCents: 20500,
      paidCents: 10309,
      patientResponsibilityCents: 3426,
      expectedCents: 10309,
      underpaidCents: 0,
      adjustments: [
        {
          group: 'CO',
          reason: '45',
          amountCents: 1691,
          description: 'Charges exceed your contracted/legislated fee arrangement.',
        },
        {
          group: 'PR',
          reason: '3',
          amountCents: 2000,
          description: 'Co-pay Amount',
        },
        {
          group: 'CO',
          reason: '45',
          amountCents: 5074,
          description: 'Charges exceed your contracted/legislated fee arrangement.',
        },
        {
          group: 'PR',
          reason: '1',
          amountCents: 1426,
          description: 'Deductible Amount',
        },
      ],
      denials: 0,
    },
  ],
  postedAt: '2026-03-14T18:20:00.126Z',
};

const EXPECTED_REIMBURSEMENT_EXAMPLE = {
  claimId: EXAMPLE_ID.claim,
  payerId: 'anthem',
  totalChargeCents: 20500,
  expectedAllowedCents: 13735,
  complete: true,
  paidCents: 0,
  patientResponsibilityCents: 0,
  varianceCents: null,
  lines: [
    {
      lineNumber: 1,
      procedureCode: '99213',
      units: 1,
      chargeCents: 14000,
      allowedCents: 12309,
      basis: "anthem pays 135% of Medicare's $91.18 for 99213 = $123.09",
    },
    {
      lineNumber: 2,
      procedureCode: '80053',
      units: 1,
      chargeCents: 6500,
      allowedCents: 1426,
      basis: "anthem pays 135% of Medicare's $10.56 for 80053 = $14.26",
    },
  ],
};

const Adjustment = Type.Object({
  group: Type.String(),
  reason: Type.String(),
  amountCents: Type.Integer(),
  description: Type.String(),
});
const Report = Type.Object(
  {
    id: Type.String(),
    duplicate: Type.Boolean({ description: 'true when this 835 had already been posted: nothing changed' }),
    payer: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
    traceNumber: Type.String(),
    paymentCents: Type.Integer(),
    paymentMethod: Type.String(),
    paymentDate: Type.Union([Type.String(), Type.Null()]),
    providerAdjustmentCents: Type.Integer(),
    providerAdjustments: Type.Array(
      Type.Object({
        reasonCode: Type.String(),
        referenceId: Type.Optional(Type.String()),
        amountCents: Type.Integer(),
      }),
    ),
    totals: Type.Object({
      claims: Type.Integer(),
      applied: Type.Integer(),
      unmatched: Type.Integer(),
      errors: Type.Integer(),
      deniedClaims: Type.Integer(),
      underpaidClaims: Type.Integer(),
    }),
    warnings: Type.Array(Type.String()),
    claims: Type.Array(
      Type.Object({
        patientControlNumber: Type.String(),
        claimId: Type.Union([Type.String(), Type.Null()]),
        outcome: Type.String({
          description: 'posted, unmatched (no such claim) or not_postable (claim not submitted)',
        }),
        message: Type.Union([Type.String(), Type.Null()]),
        statusCode: Type.String(),
        status: Type.Union([Type.String(), Type.Null()]),
        chargeCents: Type.Integer(),
        paidCents: Type.Integer(),
        patientResponsibilityCents: Type.Integer(),
        expectedCents: Type.Union([Type.Integer(), Type.Null()]),
        underpaidCents: Type.Integer(),
        adjustments: Type.Array(Adjustment),
        denials: Type.Integer(),
      }),
    ),
    postedAt: Type.String(),
  },
  { examples: [REMITTANCE_EXAMPLE] },
);

/** A one-claim 835 for the documentation's examples. */
const SAMPLE_835 = [
  'ISA*00*          *00*          *ZZ*ANTHEM         *ZZ*INTELLUXE      *260320*0900*^*00501*000000101*0*T*:',
  'GS*HP*ANTHEM*INTELLUXE*20260320*0900*101*X*005010X221A1',
  'ST*835*0001',
  'BPR*I*157.8*C*ACH*CCP*01*111000025*DA*55500011*1350000001**01*114000093*DA*88877766*20260320',
  'TRN*1*EFT0000912345*1350000001',
  'N1*PR*ANTHEM BLUE CROSS',
  'N1*PE*RIVERSIDE FAMILY MEDICINE*XX*1234567893',
  'CLP*PCN20260301A*1*285*157.8*35*12*2026077001234',
  'CAS*CO*45*92.2',
  'CAS*PR*3*35',
  'SE*9*0001',
  'GE*1*101',
  'IEA*1*000000101',
]
  .map((segment) => `${segment}~`)
  .join('\n');
const X12_TEXT = Type.String({
  minLength: 1,
  description: 'An 835 interchange (ISA to IEA), or a bare ST..SE transaction set',
  examples: [SAMPLE_835],
});
/**
 * What the upload takes, for the OpenAPI document only: the handler reads the body itself (raw text, a multipart
 * file or JSON), so Fastify validates none of it and the handler answers each wrong shape with a 400.
 */
const UPLOAD_BODY = {
  content: {
    'application/edi-x12': { schema: X12_TEXT },
    'text/plain': { schema: X12_TEXT },
    'application/json': {
      schema: Type.Object({ x12: X12_TEXT }, { examples: [{ x12: SAMPLE_835 }] }),
    },
    'multipart/form-data': {
      schema: Type.Object(
        { file: Type.String({ format: 'binary', description: 'the 835 file' }) },
        { examples: [{ file: SAMPLE_835 }] },
      ),
    },
  },
};

export function remittanceRoutes(app: App, service: RemittanceService): void {
  app.register(async (scope) => {
    const s = scope as unknown as App;
    for (const type of ['application/edi-x12', 'application/x12', 'application/octet-stream']) {
      s.addContentTypeParser(type, { parseAs: 'string', bodyLimit: MAX_835_BYTES }, (_req, body, done) =>
        done(null, body),
      );
    }
    s.post(
      '/v1/remittances',
      {
        bodyLimit: MAX_835_BYTES,
        config: {
          auth: WRITE,
          swaggerTransform: ({ schema, url }: { schema: object; url: string }) => ({
            schema: { ...schema, body: UPLOAD_BODY },
            url,
          }),
        },
        schema: {
          ...schema,
          summary:
            'Post an 835: raw X12 (text/plain, application/edi-x12), a multipart file, or JSON {"x12": "…"}; the same 835 twice posts once',
          response: { 200: Report, 201: Report, 422: problemResponses[400], ...problemResponses },
        },
      },
      async (request, reply) => {
        let x12: Uint8Array | string | undefined;
        if (request.isMultipart()) {
          const file = await request.file({ limits: { fileSize: MAX_835_BYTES } });
          if (!file) throw invalidField('/file', 'attach the 835 as a file');
          x12 = await file.toBuffer();
        } else if (typeof request.body === 'string' || Buffer.isBuffer(request.body)) {
          x12 = request.body;
        } else if (request.body && typeof request.body === 'object' && !Array.isArray(request.body)) {
          const value = (request.body as { x12?: unknown }).x12;
          if (typeof value !== 'string' || !value.trim())
            throw invalidField(
              '/x12',
              value === undefined ? 'is required: the 835 as text' : 'must be the 835 as text',
            );
          x12 = value;
        }
        if (!x12 || x12.length === 0 || (typeof x12 === 'string' && !x12.trim()))
          throw invalidField('/body', 'send the 835 as the body, a multipart file, or JSON {"x12": "…"}');
        const report = await service.postRemittance(accessContext(request), x12, 'upload');
        return reply.code(report.duplicate ? 200 : 201).send(report);
      },
    );
  });

  app.post(
    '/v1/remittances/fetch',
    {
      config: { auth: WRITE },
      schema: {
        ...schema,
        summary: 'Pull the 835s waiting at the clearinghouse and post them',
        body: Type.Optional(
          Type.Object(
            { payerIds: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })) },
            { additionalProperties: false, examples: [{ payerIds: ['anthem', 'aetna'] }] },
          ),
        ),
        response: {
          200: Type.Object({ posted: Type.Array(Report) }, { examples: [{ posted: [REMITTANCE_EXAMPLE] }] }),
          ...problemResponses,
        },
      },
    },
    async (request) => ({
      posted: await service.fetchRemittances(accessContext(request), request.body?.payerIds),
    }),
  );

  app.get(
    '/v1/remittances',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'Posted remittances, newest first',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            {
              items: Type.Array(
                Type.Object({
                  id: Type.String(),
                  payerId: Type.Union([Type.String(), Type.Null()]),
                  payerName: Type.String(),
                  traceNumber: Type.String(),
                  paymentCents: Type.Integer(),
                  paymentDate: Type.Union([Type.String(), Type.Null()]),
                  claims: Type.Integer(),
                  applied: Type.Integer(),
                  unmatched: Type.Integer(),
                  postedAt: Type.String(),
                }),
              ),
              nextCursor: Type.Union([Type.String(), Type.Null()]),
            },
            {
              examples: [
                {
                  items: [
                    {
                      id: EXAMPLE_ID.remittance,
                      payerId: 'anthem',
                      payerName: 'ANTHEM BLUE CROSS',
                      traceNumber: REMITTANCE_EXAMPLE.traceNumber,
                      paymentCents: REMITTANCE_EXAMPLE.paymentCents,
                      paymentDate: REMITTANCE_EXAMPLE.paymentDate,
                      claims: 1,
                      applied: 1,
                      unmatched: 0,
                      postedAt: REMITTANCE_EXAMPLE.postedAt,
                    },
                  ],
                  nextCursor: null,
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.listRemittances(accessContext(request), request.query),
  );

  app.get(
    '/v1/remittances/:id',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'A posted remittance with its posting report (applied, unmatched, errors)',
        params: IdParams,
        response: { 200: Report, ...problemResponses },
      },
    },
    (request) => service.getRemittance(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/remittances/:id/x12',
    {
      config: { auth: ['admin', 'biller', 'service'] },
      schema: {
        ...schema,
        summary: 'The 835 as it was received (application/edi-x12)',
        params: IdParams,
        response: {
          200: {
            description: 'The 835 file',
            content: {
              'application/edi-x12': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) },
            },
          },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const x12 = await service.remittanceX12(accessContext(request), request.params.id);
      return reply
        .type('application/edi-x12')
        .header('content-disposition', `attachment; filename="remittance-${request.params.id}.835"`)
        .send(x12);
    },
  );

  app.get(
    '/v1/claims/:id/expected-reimbursement',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: "What the payer's contract says the claim should be allowed, line by line",
        params: IdParams,
        response: {
          200: Type.Object(
            {
              claimId: Type.String(),
              payerId: Type.String(),
              totalChargeCents: Type.Integer(),
              expectedAllowedCents: Type.Integer(),
              complete: Type.Boolean(),
              paidCents: Type.Integer(),
              patientResponsibilityCents: Type.Integer(),
              varianceCents: Type.Union([Type.Integer(), Type.Null()]),
              lines: Type.Array(
                Type.Object({
                  lineNumber: Type.Integer(),
                  procedureCode: Type.String(),
                  units: Type.Integer(),
                  chargeCents: Type.Integer(),
                  allowedCents: Type.Union([Type.Integer(), Type.Null()]),
                  basis: Type.String(),
                }),
              ),
            },
            { examples: [EXPECTED_REIMBURSEMENT_EXAMPLE] },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.expectedReimbursement(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/contracts/underpayments',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        tags: ['contracts'],
        summary: 'Underpayment report: claims paid below the contract, by payer',
        querystring: Type.Object(
          {
            from: Type.Optional(Type.String({ format: 'date' })),
            to: Type.Optional(Type.String({ format: 'date' })),
            payerId: Type.Optional(Type.String({ maxLength: 40 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              totalUnderpaidCents: Type.Integer(),
              underpaidClaims: Type.Integer({
                description: 'every underpaid claim that matches; `claims` lists the largest 1000',
              }),
              byPayer: Type.Array(
                Type.Object({
                  payerId: Type.Union([Type.String(), Type.Null()]),
                  payerName: Type.String(),
                  claims: Type.Integer(),
                  underpaidCents: Type.Integer(),
                }),
              ),
              claims: Type.Array(
                Type.Object({
                  claimId: Type.Union([Type.String(), Type.Null()]),
                  patientControlNumber: Type.String(),
                  payerClaimNumber: Type.Union([Type.String(), Type.Null()]),
                  payerId: Type.Union([Type.String(), Type.Null()]),
                  traceNumber: Type.String(),
                  paymentDate: Type.Union([Type.String(), Type.Null()]),
                  expectedCents: Type.Union([Type.Integer(), Type.Null()]),
                  paidCents: Type.Integer(),
                  underpaidCents: Type.Integer(),
                }),
              ),
            },
            {
              examples: [
                {
                  totalUnderpaidCents: 1_000,
                  underpaidClaims: 1,
                  byPayer: [
                    {
                      payerId: 'bcbs',
                      payerName: 'BLUE CROSS BLUE SHIELD',
                      claims: 1,
                      underpaidCents: 1_000,
                    },
                  ],
                  claims: [
                    {
                      claimId: EXAMPLE_ID.claim,
                      patientControlNumber: 'C1000007',
                      payerClaimNumber: '0006041187730021',
                      payerId: 'bcbs',
                      traceNumber: '20260314B41C07D2',
                      paymentDate: '2026-03-14',
                      expectedCents: 9_585,
                      paidCents: 8_585,
                      underpaidCents: 1_000,
                    },
                  ],
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    (request) => service.underpayments(accessContext(request), request.query),
  );
}
