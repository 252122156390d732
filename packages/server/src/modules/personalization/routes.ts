/** HTTP for doctor personalization: preferences, writing samples, readiness, style profile, generation. */
import type { Role } from '../../platform/auth/roles.ts';
import { ListOf, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import { accessContext } from '../patients/routes.ts';
import type { PreferencesPatch as Patch } from './preferences.ts';
import {
  DoctorParams,
  GenerateInput,
  GenerateResult,
  PreferencesPatch,
  PreferencesVersion,
  PreferencesView,
  Readiness,
  SampleCreated,
  SampleInput,
  StyleView,
} from './schemas.ts';
import type { PersonalizationService } from './service.ts';

const READ: Role[] = ['admin', 'physician', 'practice_manager', 'service'];
const WRITE: Role[] = ['admin', 'physician', 'service'];
const tags = { tags: ['personalization'], security: SECURED };

export function personalizationRoutes(app: App, service: PersonalizationService): void {
  app.get(
    '/v1/personalization/doctors/:id/preferences',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: "A doctor's preferences (the defaults until first changed); the doctor id is a provider id",
        params: DoctorParams,
        response: { 200: PreferencesView, ...problemResponses },
      },
    },
    (request) => service.getPreferences(accessContext(request), request.params.id),
  );

  app.put(
    '/v1/personalization/doctors/:id/preferences',
    {
      config: { auth: WRITE },
      schema: {
        ...tags,
        summary:
          'Change preferences (the fields sent); versioned and audited; values holding PHI are refused',
        params: DoctorParams,
        body: PreferencesPatch,
        response: { 200: PreferencesView, ...problemResponses },
      },
    },
    async (request) => {
      const { changed: _, ...view } = await service.updatePreferences(
        accessContext(request),
        request.params.id,
        request.body as Patch,
      );
      return view;
    },
  );

  app.get(
    '/v1/personalization/doctors/:id/preferences/history',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'Every version of the preferences, newest first, with who or what changed which fields',
        params: DoctorParams,
        response: { 200: ListOf(PreferencesVersion), ...problemResponses },
      },
    },
    (request) => service.preferenceHistory(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/personalization/doctors/:id/samples',
    {
      config: { auth: WRITE },
      schema: {
        ...tags,
        summary:
          'Add a writing sample (stored PHI-masked; the original encrypted); updates the style profile',
        params: DoctorParams,
        body: SampleInput,
        response: { 201: SampleCreated, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.addSample(accessContext(request), request.params.id, request.body)),
  );

  app.get(
    '/v1/personalization/doctors/:id/training-readiness',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'Writing samples collected against the 50 an adapter needs',
        params: DoctorParams,
        response: { 200: Readiness, ...problemResponses },
      },
    },
    (request) => service.readiness(accessContext(request), request.params.id),
  );

  app.get(
    '/v1/personalization/doctors/:id/style',
    {
      config: { auth: READ },
      schema: {
        ...tags,
        summary: 'The learned style profile: numeric features with confidence, section order',
        params: DoctorParams,
        response: { 200: StyleView, ...problemResponses },
      },
    },
    (request) => service.style(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/personalization/generate',
    {
      config: { auth: WRITE },
      schema: {
        ...tags,
        summary:
          "Write administrative content in the doctor's style: active adapter, else style prompting, else deterministic",
        body: GenerateInput,
        response: { 200: GenerateResult, ...problemResponses },
      },
    },
    (request) => service.generate(accessContext(request), request.body),
  );
}
