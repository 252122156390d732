/** HTTP for patients, coverages, providers, encounters, appointments and payers: translation only. */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { invalidField } from '../../platform/errors.ts';
import { auditActor, practiceOf } from '../../platform/http/context.ts';
import { IdParams, ListOf, Page, problemResponses, SECURED } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import {
  Appointment,
  AppointmentInput,
  AppointmentPatch,
  AppointmentSearch,
  Coverage,
  CoverageInput,
  CoveragePatch,
  Encounter,
  EncounterInput,
  EncounterPatch,
  EncounterSearch,
  Patient,
  PatientInput,
  PatientPatch,
  PatientSearch,
  Payer,
  Provider,
  ProviderInput,
  ProviderPatch,
} from './schemas.ts';
import type { AccessContext, PatientsService } from './service.ts';

const PATIENT_READ: Role[] = ['admin', 'physician', 'biller', 'front_desk', 'service'];
const PATIENT_WRITE: Role[] = ['admin', 'physician', 'front_desk', 'service'];
const COVERAGE_WRITE: Role[] = ['admin', 'front_desk', 'biller', 'service'];
const PROVIDER_READ: Role[] = [
  'admin',
  'physician',
  'biller',
  'front_desk',
  'practice_manager',
  'compliance_officer',
  'service',
];
const PROVIDER_WRITE: Role[] = ['admin'];
const ENCOUNTER_READ: Role[] = ['admin', 'physician', 'biller', 'service'];
const ENCOUNTER_WRITE: Role[] = ['admin', 'physician', 'biller', 'service'];
const APPOINTMENT_READ: Role[] = ['admin', 'physician', 'front_desk', 'biller', 'service'];
const APPOINTMENT_WRITE: Role[] = ['admin', 'front_desk', 'physician', 'service'];

const PURPOSES = [
  'treatment',
  'payment',
  'operations',
  'patient_request',
  'public_health',
  'legal',
  'break_glass',
];
const DEFAULT_PURPOSE: Record<Role, string> = {
  admin: 'operations',
  physician: 'treatment',
  biller: 'payment',
  front_desk: 'operations',
  compliance_officer: 'operations',
  practice_manager: 'operations',
  service: 'operations',
};

/** The caller, its practice and the purpose of use (X-Purpose-Of-Use header, else the role's usual purpose). */
export function accessContext(request: FastifyRequest): AccessContext {
  const header = request.headers['x-purpose-of-use'];
  const purpose = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  if (purpose && !PURPOSES.includes(purpose)) {
    throw invalidField('/headers/x-purpose-of-use', `must be one of ${PURPOSES.join(', ')}`);
  }
  return {
    ...auditActor(request),
    practiceId: practiceOf(request),
    purpose: purpose ?? DEFAULT_PURPOSE[request.principal!.role],
  };
}

const tags = (t: string) => ({ tags: [t], security: SECURED });

export function patientRoutes(app: App, service: PatientsService): void {
  app.get(
    '/v1/payers',
    {
      config: { auth: PROVIDER_READ },
      schema: {
        ...tags('patients'),
        summary: 'Payers known to the practice',
        response: { 200: ListOf(Payer), ...problemResponses },
      },
    },
    () => service.listPayers(),
  );

  app.post(
    '/v1/patients',
    {
      config: { auth: PATIENT_WRITE },
      schema: {
        ...tags('patients'),
        summary: 'Create a patient (with coverages, in one transaction)',
        body: PatientInput,
        response: { 201: Patient, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createPatient(accessContext(request), request.body)),
  );

  app.get(
    '/v1/patients',
    {
      config: { auth: PATIENT_READ },
      schema: {
        ...tags('patients'),
        summary: 'Search patients (exact match on name, date of birth, MRN, member id, phone or SSN)',
        querystring: PatientSearch,
        response: { 200: Page(Patient), ...problemResponses },
      },
    },
    (request) => service.searchPatients(accessContext(request), request.query),
  );

  app.get(
    '/v1/patients/:id',
    {
      config: { auth: PATIENT_READ },
      schema: {
        ...tags('patients'),
        summary: 'Read a patient (audited)',
        params: IdParams,
        response: { 200: Patient, ...problemResponses },
      },
    },
    (request) => service.getPatient(accessContext(request), request.params.id),
  );

  app.patch(
    '/v1/patients/:id',
    {
      config: { auth: PATIENT_WRITE },
      schema: {
        ...tags('patients'),
        summary: 'Update a patient',
        params: IdParams,
        body: PatientPatch,
        response: { 200: Patient, ...problemResponses },
      },
    },
    (request) => service.updatePatient(accessContext(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/patients/:id',
    {
      config: { auth: ['admin'] },
      schema: {
        ...tags('patients'),
        summary: 'Deactivate a patient (records are retained)',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deactivatePatient(accessContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/patients/:id/coverages',
    {
      config: { auth: PATIENT_READ },
      schema: {
        ...tags('patients'),
        summary: "A patient's coverages",
        params: IdParams,
        response: { 200: ListOf(Coverage), ...problemResponses },
      },
    },
    (request) => service.listCoverages(accessContext(request), request.params.id),
  );

  app.post(
    '/v1/patients/:id/coverages',
    {
      config: { auth: COVERAGE_WRITE },
      schema: {
        ...tags('patients'),
        summary: 'Add a coverage',
        params: IdParams,
        body: CoverageInput,
        response: { 201: Coverage, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.addCoverage(accessContext(request), request.params.id, request.body)),
  );

  app.patch(
    '/v1/coverages/:id',
    {
      config: { auth: COVERAGE_WRITE },
      schema: {
        ...tags('patients'),
        summary: 'Update a coverage',
        params: IdParams,
        body: CoveragePatch,
        response: { 200: Coverage, ...problemResponses },
      },
    },
    (request) => service.updateCoverage(accessContext(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/coverages/:id',
    {
      config: { auth: COVERAGE_WRITE },
      schema: {
        ...tags('patients'),
        summary: 'Remove a coverage',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await service.deleteCoverage(accessContext(request), request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/providers',
    {
      config: { auth: PROVIDER_READ },
      schema: {
        ...tags('providers'),
        summary: "The practice's providers",
        querystring: Type.Object(
          { includeInactive: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: { 200: ListOf(Provider), ...problemResponses },
      },
    },
    (request) => service.listProviders(practiceOf(request), request.query.includeInactive),
  );

  app.post(
    '/v1/providers',
    {
      config: { auth: PROVIDER_WRITE },
      schema: {
        ...tags('providers'),
        summary: 'Add a provider (NPI check digit validated)',
        body: ProviderInput,
        response: { 201: Provider, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.createProvider(
            { ...auditActor(request), practiceId: practiceOf(request) },
            request.body,
          ),
        ),
  );

  app.get(
    '/v1/providers/:id',
    {
      config: { auth: PROVIDER_READ },
      schema: {
        ...tags('providers'),
        summary: 'A provider',
        params: IdParams,
        response: { 200: Provider, ...problemResponses },
      },
    },
    (request) => service.getProvider(practiceOf(request), request.params.id),
  );

  app.patch(
    '/v1/providers/:id',
    {
      config: { auth: PROVIDER_WRITE },
      schema: {
        ...tags('providers'),
        summary: 'Update a provider',
        params: IdParams,
        body: ProviderPatch,
        response: { 200: Provider, ...problemResponses },
      },
    },
    (request) =>
      service.updateProvider(
        { ...auditActor(request), practiceId: practiceOf(request) },
        request.params.id,
        request.body,
      ),
  );

  app.get(
    '/v1/encounters',
    {
      config: { auth: ENCOUNTER_READ },
      schema: {
        ...tags('encounters'),
        summary: 'Search encounters',
        querystring: EncounterSearch,
        response: { 200: Page(Encounter), ...problemResponses },
      },
    },
    (request) => service.searchEncounters(accessContext(request), request.query),
  );

  app.post(
    '/v1/encounters',
    {
      config: { auth: ENCOUNTER_WRITE },
      schema: {
        ...tags('encounters'),
        summary: 'Record an encounter (diagnoses validated against ICD-10-CM)',
        body: EncounterInput,
        response: { 201: Encounter, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createEncounter(accessContext(request), request.body)),
  );

  app.get(
    '/v1/encounters/:id',
    {
      config: { auth: ENCOUNTER_READ },
      schema: {
        ...tags('encounters'),
        summary: 'An encounter',
        params: IdParams,
        response: { 200: Encounter, ...problemResponses },
      },
    },
    (request) => service.getEncounter(accessContext(request), request.params.id),
  );

  app.patch(
    '/v1/encounters/:id',
    {
      config: { auth: ENCOUNTER_WRITE },
      schema: {
        ...tags('encounters'),
        summary: 'Update an encounter',
        params: IdParams,
        body: EncounterPatch,
        response: { 200: Encounter, ...problemResponses },
      },
    },
    (request) => service.updateEncounter(accessContext(request), request.params.id, request.body),
  );

  app.get(
    '/v1/appointments',
    {
      config: { auth: APPOINTMENT_READ },
      schema: {
        ...tags('appointments'),
        summary: 'Search appointments',
        querystring: AppointmentSearch,
        response: { 200: Page(Appointment), ...problemResponses },
      },
    },
    (request) => service.searchAppointments(accessContext(request), request.query),
  );

  app.post(
    '/v1/appointments',
    {
      config: { auth: APPOINTMENT_WRITE },
      schema: {
        ...tags('appointments'),
        summary: 'Book an appointment',
        body: AppointmentInput,
        response: { 201: Appointment, ...problemResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.createAppointment(accessContext(request), request.body)),
  );

  app.get(
    '/v1/appointments/:id',
    {
      config: { auth: APPOINTMENT_READ },
      schema: {
        ...tags('appointments'),
        summary: 'An appointment',
        params: IdParams,
        response: { 200: Appointment, ...problemResponses },
      },
    },
    (request) => service.getAppointment(accessContext(request), request.params.id),
  );

  app.patch(
    '/v1/appointments/:id',
    {
      config: { auth: APPOINTMENT_WRITE },
      schema: {
        ...tags('appointments'),
        summary: 'Reschedule or change the status of an appointment',
        params: IdParams,
        body: AppointmentPatch,
        response: { 200: Appointment, ...problemResponses },
      },
    },
    (request) => service.updateAppointment(accessContext(request), request.params.id, request.body),
  );
}
