/** HTTP for the denial work queue and appeals. */
import { DENIAL_CATEGORIES } from '@intelluxe/codes';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import {
  binaryResponse,
  EXAMPLE_ID,
  IdParams,
  ListOf,
  problemResponses,
  SECURED,
} from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { DenialsService } from './service.ts';

const WORK: Role[] = ['admin', 'biller'];
const READ: Role[] = ['admin', 'biller', 'practice_manager'];
const schema = { tags: ['denials'], security: SECURED };

/** The knee MRI denied for want of authorization (CO-197, remark N54). */
const DENIAL_EXAMPLE = {
  id: EXAMPLE_ID.denial,
  claimId: '64d6a6d5-4230-4412-b89b-5d73767cde22',
  lineNumber: 1,
  category: 'authorization',
  groupCode: 'CO',
  reasonCode: '197',
  reasonDescription: 'Precertification/authorization/notification/pre-treatment absent.',
  remarkCodes: ['N54'],
  amountCents: 145000,
  suggestedFix:
    'Check whether an authorization or referral was obtained for this service and date. If it was, send a corrected claim with the authorization number (REF*G1); if not, ask the payer for a retroactive authorization or appeal with the documentation of why the service could not wait. Payer remarks: N54: Claim information is inconsistent with pre-certified/authorized services.',
  status: 'open',
  appealDeadline: '2026-09-10',
  createdAt: '2026-03-14T18:20:00.107Z',
};

/** The appeal letter drafted for that denial. */
const APPEAL_EXAMPLE = {
  id: EXAMPLE_ID.appeal,
  denialId: EXAMPLE_ID.denial,
  claimId: '64d6a6d5-4230-4412-b89b-5d73767cde22',
  status: 'draft',
  deadline: '2026-09-10',
  letter: {
    title: 'Request for reconsideration of a denied claim',
    recipient: ['Aetna', 'Appeals and Reconsiderations', 'Payer ID 60054'],
    reference: [
      ['Patient', 'Gary Miller'],
      ['Date of birth', '1982-12-03'],
      ['Member ID', 'W554545339'],
      ['Group number', '0867555'],
      ['Payer claim number', '6005493384401378'],
      ['Patient account (PCN)', 'C1000002'],
      ['Date(s) of service', '2026-03-14'],
      ['Services', '73721-RT × 1 ($1450.00)'],
      ['Diagnoses', 'M17.11'],
      ['Billed', '$1450.00'],
      ['Amount denied', '$1450.00'],
      ['Remittance', '202603148A965628 dated 2026-03-14'],
    ],
    body: [
      'To the appeals department of Aetna:',
      'Riverside Family Medicine requests reconsideration of the claim above (service line 1), which was denied with adjustment CO-197 (remarks N54): Precertification/authorization/notification/pre-treatment absent..',
      'The service was medically necessary and could not reasonably be delayed to obtain authorization. We request retroactive authorization and reprocessing; the clinical documentation supporting urgency is enclosed.',
      "We ask that the denial be reversed and the claim reprocessed for payment of $1450.00. This appeal is filed within the payer's appeal window (deadline 2026-09-10). Please direct questions to our billing office at 614-555-0100, referencing patient account C1000002.",
      'Sincerely,',
    ],
    enclosures: [
      'Copy of the original claim (837, patient control number C1000002)',
      'Remittance advice (835 trace 202603148A965628) showing the denial',
      'Medical records for the date(s) of service',
    ],
    signature: [
      'Alicia Chen, MD, NPI 1234567893',
      'Riverside Family Medicine · Group NPI 1987654328 · TIN 31-1234567',
      '2400 Riverside Drive, Columbus, OH 43221',
    ],
  },
  text: "Riverside Family Medicine\n2026-03-14\n\nAetna\nAppeals and Reconsiderations\nPayer ID 60054\n\nREQUEST FOR RECONSIDERATION OF A DENIED CLAIM\nPatient: Gary Miller\nDate of birth: 1982-12-03\nMember ID: W554545339\nGroup number: 0867555\nPayer claim number: 6005493384401378\nPatient account (PCN): C1000002\nDate(s) of service: 2026-03-14\nServices: 73721-RT × 1 ($1450.00)\nDiagnoses: M17.11\nBilled: $1450.00\nAmount denied: $1450.00\nRemittance: 202603148A965628 dated 2026-03-14\n\nTo the appeals department of Aetna:\n\nRiverside Family Medicine requests reconsideration of the claim above (service line 1), which was denied with adjustment CO-197 (remarks N54): Precertification/authorization/notification/pre-treatment absent..\n\nThe service was medically necessary and could not reasonably be delayed to obtain authorization. We request retroactive authorization and reprocessing; the clinical documentation supporting urgency is enclosed.\n\nWe ask that the denial be reversed and the claim reprocessed for payment of $1450.00. This appeal is filed within the payer's appeal window (deadline 2026-09-10). Please direct questions to our billing office at 614-555-0100, referencing patient account C1000002.\n\nSincerely,\n\nAlicia Chen, MD, NPI 1234567893\nRiverside Family Medicine · Group NPI 1987654328 · TIN 31-1234567\n2400 Riverside Drive, Columbus, OH 43221\n\nEnclosures:\n- Copy of the original claim (837, patient control number C1000002)\n- Remittance advice (835 trace 202603148A965628) showing the denial\n- Medical records for the date(s) of service",
  submittedAt: null,
  outcome: null,
  createdAt: '2026-03-14T18:20:00.248Z',
};

const Denial = Type.Object(
  {
    id: Type.String(),
    claimId: Type.String(),
    lineNumber: Type.Union([Type.Integer(), Type.Null()]),
    category: Type.String(),
    groupCode: Type.String(),
    reasonCode: Type.String(),
    reasonDescription: Type.String(),
    remarkCodes: Type.Array(Type.String()),
    amountCents: Type.Integer(),
    suggestedFix: Type.String(),
    status: Type.String(),
    appealDeadline: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { examples: [DENIAL_EXAMPLE] },
);

const Appeal = Type.Object(
  {
    id: Type.String(),
    denialId: Type.String(),
    claimId: Type.String(),
    status: Type.String(),
    deadline: Type.String(),
    letter: Type.Object({
      title: Type.String(),
      recipient: Type.Array(Type.String()),
      reference: Type.Array(Type.Array(Type.String())),
      body: Type.Array(Type.String()),
      enclosures: Type.Array(Type.String()),
      signature: Type.Array(Type.String()),
    }),
    text: Type.String(),
    submittedAt: Type.Union([Type.String(), Type.Null()]),
    outcome: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
  },
  { examples: [APPEAL_EXAMPLE] },
);

export function denialRoutes(app: App, service: DenialsService): void {
  app.get(
    '/v1/denials',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'The denial work queue, grouped by category with a suggested fix',
        querystring: Type.Object(
          {
            status: Type.Optional(
              Type.Union([
                Type.Literal('open'),
                Type.Literal('appealed'),
                Type.Literal('resolved'),
                Type.Literal('closed'),
              ]),
            ),
            category: Type.Optional(Type.Unsafe<string>({ type: 'string', enum: [...DENIAL_CATEGORIES] })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              total: Type.Integer(),
              amountCents: Type.Integer(),
              groups: Type.Array(
                Type.Object({
                  category: Type.String(),
                  count: Type.Integer(),
                  amountCents: Type.Integer(),
                  suggestedFix: Type.Union([Type.String(), Type.Null()]),
                  denials: Type.Array(Denial),
                }),
              ),
            },
            {
              examples: [
                {
                  total: 1,
                  amountCents: DENIAL_EXAMPLE.amountCents,
                  groups: [
                    {
                      category: DENIAL_EXAMPLE.category,
                      count: 1,
                      amountCents: DENIAL_EXAMPLE.amountCents,
                      suggestedFix: DENIAL_EXAMPLE.suggestedFix,
                      denials: [DENIAL_EXAMPLE],
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
    (request) => service.queue(accessContext(request), request.query),
  );

  app.get(
    '/v1/denials/:id',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'A denial',
        params: IdParams,
        response: { 200: Denial, ...problemResponses },
      },
    },
    (request) => service.getDenial(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/denials/:id/appeals',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'Draft an appeal letter from the claim, the 835 and the practice',
        params: IdParams,
        response: { 201: Appeal, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createAppeal(accessContext(request), request.params.id)),
  );

  app.get(
    '/v1/appeals',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'Appeals by deadline',
        querystring: Type.Object(
          { status: Type.Optional(Type.String({ maxLength: 20 })) },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Appeal), ...problemResponses },
      },
    },
    (request) => service.listAppeals(accessContext(request), request.query.status),
  );

  app.get(
    '/v1/appeals/:id',
    {
      config: { auth: READ },
      schema: {
        ...schema,
        summary: 'An appeal',
        params: IdParams,
        response: { 200: Appeal, ...problemResponses },
      },
    },
    (request) => service.getAppeal(accessContext(request), request.params.id),
  );

  app.patch(
    '/v1/appeals/:id',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'Track an appeal: submitted, won, lost or withdrawn',
        params: IdParams,
        body: Type.Object(
          {
            status: Type.Union([
              Type.Literal('submitted'),
              Type.Literal('won'),
              Type.Literal('lost'),
              Type.Literal('withdrawn'),
            ]),
            note: Type.Optional(Type.String({ maxLength: 2000 })),
          },
          {
            additionalProperties: false,
            examples: [
              { status: 'submitted', note: 'Faxed to Aetna appeals with the MRI order and PT notes' },
            ],
          },
        ),
        response: { 200: Appeal, ...problemResponses },
      },
    },
    (request) =>
      service.updateAppeal(accessContext(request), request.params.id, request.body.status, request.body.note),
  );

  app.get(
    '/v1/appeals/:id/export',
    {
      config: { auth: WORK },
      schema: {
        ...schema,
        summary: 'The appeal letter as DOCX, PDF, or a ZIP with both and the X12 enclosures',
        params: IdParams,
        querystring: Type.Object(
          {
            format: Type.Union([Type.Literal('docx'), Type.Literal('pdf'), Type.Literal('zip')], {
              default: 'pdf',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: binaryResponse('The letter (DOCX or PDF), or a ZIP of both with the 837 and 835 enclosures', [
            'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'application/pdf',
            'application/zip',
          ]),
        },
      },
    },
    async (request, reply) => {
      const file = await service.exportAppeal(
        accessContext(request),
        request.params.id,
        request.query.format,
      );
      return reply
        .type(file.contentType)
        .header('content-disposition', `attachment; filename="${file.filename}"`)
        .send(file.body);
    },
  );
}
