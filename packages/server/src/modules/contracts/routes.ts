/** HTTP for contracts: fee schedules and the allowed amount of a code. */
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { NotFoundError } from '../../platform/errors.ts';
import { IsoDate, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { ContractsService } from './service.ts';

const READ: Role[] = ['admin', 'biller', 'practice_manager', 'front_desk'];
const Code = Type.String({ pattern: '^[A-Za-z0-9]{5}$', examples: ['99213'] });

const FeeRow = Type.Object({
  payerId: Type.String(),
  code: Type.String(),
  modifier: Type.String(),
  pos: Type.String(),
  allowedCents: Type.Integer(),
  effectiveFrom: Type.String(),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
  source: Type.String(),
});

export function contractRoutes(app: App, service: ContractsService): void {
  app.get(
    '/v1/contracts/:payerId/fee-schedule',
    {
      config: { auth: READ },
      schema: {
        tags: ['contracts'],
        security: SECURED,
        summary: "A payer's fee schedule rows and percent-of-Medicare rules",
        params: Type.Object({ payerId: Type.String({ maxLength: 40 }) }),
        querystring: Type.Object({ code: Type.Optional(Code) }, { additionalProperties: false }),
        response: {
          200: Type.Object(
            {
              rows: Type.Array(FeeRow),
              rules: Type.Array(
                Type.Object({
                  payerId: Type.String(),
                  percentOfMedicare: Type.Number(),
                  effectiveFrom: Type.String(),
                  effectiveTo: Type.Union([Type.String(), Type.Null()]),
                }),
              ),
            },
            {
              examples: [
                {
                  rows: [
                    {
                      payerId: 'anthem',
                      code: '99395',
                      modifier: '',
                      pos: '',
                      allowedCents: 16_500,
                      effectiveFrom: '2026-01-01',
                      effectiveTo: null,
                      source: 'contract',
                    },
                  ],
                  rules: [
                    {
                      payerId: 'anthem',
                      percentOfMedicare: 135,
                      effectiveFrom: '2026-01-01',
                      effectiveTo: null,
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
    async (request) => {
      const { payerId } = request.params;
      if (!(await service.payerExists(payerId))) throw new NotFoundError('payer', payerId, '/payerId');
      return service.feeSchedule(payerId, request.query.code);
    },
  );

  app.get(
    '/v1/contracts/:payerId/allowed/:code',
    {
      config: { auth: READ },
      schema: {
        tags: ['contracts'],
        security: SECURED,
        summary: 'What the payer allows for one unit of a code (fee schedule, else percent of Medicare)',
        params: Type.Object({ payerId: Type.String({ maxLength: 40 }), code: Code }),
        querystring: Type.Object(
          {
            modifier: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9]{2}$' })),
            pos: Type.Optional(Type.String({ pattern: '^\\d{2}$' })),
            date: Type.Optional(IsoDate),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              payerId: Type.String(),
              code: Type.String(),
              allowedCents: Type.Integer(),
              basis: Type.String(),
              detail: Type.String(),
            },
            {
              examples: [
                {
                  payerId: 'anthem',
                  code: '99213',
                  allowedCents: 12_309,
                  basis: 'percent_of_medicare',
                  detail: "anthem pays 135% of Medicare's $91.18 for 99213 = $123.09",
                },
              ],
            },
          ),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const { payerId, code } = request.params;
      if (!(await service.payerExists(payerId))) throw new NotFoundError('payer', payerId, '/payerId');
      const found = await service.allowedAmount({
        payerId,
        code,
        modifiers: request.query.modifier ? [request.query.modifier] : [],
        placeOfService: request.query.pos,
        date: request.query.date,
      });
      if (!found) throw new NotFoundError('fee schedule entry', `${payerId} ${code}`, '/code');
      return found;
    },
  );
}
