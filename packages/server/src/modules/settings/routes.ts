import { Type } from 'typebox';
import { auditActor } from '../../platform/http/context.ts';
import { EXAMPLE_ID, IsoDateTime, ListOf, problemResponses } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { SettingsService } from './service.ts';

const Setting = Type.Object(
  {
    key: Type.String(),
    value: Type.Unknown(),
    updatedBy: Type.Union([Type.String(), Type.Null()]),
    updatedAt: IsoDateTime,
  },
  {
    examples: [
      {
        key: 'eligibility.recheck_days',
        value: 30,
        updatedBy: EXAMPLE_ID.user,
        updatedAt: '2026-03-14T15:30:00.000Z',
      },
    ],
  },
);
const KeyParams = Type.Object({ key: Type.String({ minLength: 2, maxLength: 100 }) });

export function settingsRoutes(app: App, service: SettingsService): void {
  const common = { tags: ['settings'], security: [{ bearerAuth: [] }] };
  app.get(
    '/v1/settings',
    {
      config: { auth: ['admin', 'practice_manager', 'compliance_officer'] },
      schema: {
        ...common,
        summary: "The practice's settings",
        response: { 200: ListOf(Setting), ...problemResponses },
      },
    },
    (request) => service.list(request.principal!.practiceId),
  );
  app.get(
    '/v1/settings/:key',
    {
      config: { auth: ['admin', 'practice_manager', 'compliance_officer'] },
      schema: {
        ...common,
        summary: 'One setting',
        params: KeyParams,
        response: { 200: Setting, ...problemResponses },
      },
    },
    (request) => service.get(request.principal!.practiceId, request.params.key),
  );
  app.put(
    '/v1/settings/:key',
    {
      config: { auth: ['admin'] },
      schema: {
        ...common,
        summary: 'Set a setting (audited as a configuration change)',
        params: KeyParams,
        body: Type.Object(
          { value: Type.Unknown() },
          { additionalProperties: false, required: ['value'], examples: [{ value: 30 }] },
        ),
        response: { 200: Setting, ...problemResponses },
      },
    },
    (request) => service.put(request.params.key, request.body.value, auditActor(request)),
  );
}
