/**
 * The design notes' billing engine (:8004) as a thin adapter over the claims service: POST /create_claim takes
 * the notes' body shapes — `{patient_id, provider_id, service_date, service_codes, insurance_info}` or the short
 * `{patient_data: {patient_id, provider_id, member_id}, services: [{code, amount}]}` — creates the claim,
 * scrubs it, submits it, and answers with the notes' fields. Money is returned in dollars as the notes did and
 * in integer cents beside it.
 */
import { icd10, isValidCptFormat, isValidHcpcsFormat, isValidNpi } from '@intelluxe/codes';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { DomainError } from '../../platform/errors.ts';
import { isUuid } from '../../platform/http/schemas.ts';
import type { App } from '../../platform/http/types.ts';
import type { Services } from '../../services.ts';
import { accessContext } from '../patients/routes.ts';
import type { AccessContext } from '../patients/service.ts';

const ROLES: Role[] = ['admin', 'biller', 'service'];
const dollars = (cents: number) => Math.round(cents) / 100;

const CreateClaimBody = Type.Object(
  {
    patient_id: Type.Optional(Type.String({ maxLength: 100 })),
    provider_id: Type.Optional(Type.String({ maxLength: 100 })),
    service_date: Type.Optional(Type.String({ maxLength: 40 })),
    service_codes: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 30 })),
    place_of_service: Type.Optional(Type.String({ maxLength: 2 })),
    insurance_info: Type.Optional(
      Type.Object(
        { member_id: Type.Optional(Type.String({ maxLength: 80 })) },
        { additionalProperties: true },
      ),
    ),
    patient_data: Type.Optional(
      Type.Object(
        {
          patient_id: Type.Optional(Type.String()),
          provider_id: Type.Optional(Type.String()),
          member_id: Type.Optional(Type.String()),
        },
        { additionalProperties: true },
      ),
    ),
    services: Type.Optional(
      Type.Array(
        Type.Object(
          { code: Type.String({ maxLength: 20 }), amount: Type.Optional(Type.Number({ minimum: 0 })) },
          { additionalProperties: true },
        ),
        { maxItems: 30 },
      ),
    ),
  },
  {
    additionalProperties: true,
    examples: [
      {
        patient_id: 'MRN100001',
        provider_id: '1234567893',
        service_date: '2026-11-20',
        service_codes: ['99213', 'I10'],
        insurance_info: { member_id: 'XGH123456789' },
      },
    ],
  },
);

async function resolvePatient(
  services: Services,
  ctx: AccessContext,
  patientId: string | undefined,
  memberId: string | undefined,
) {
  if (patientId && isUuid(patientId)) return services.patients.getPatient(ctx, patientId).catch(() => null);
  if (patientId) {
    const byMrn = await services.patients.searchPatients(ctx, { mrn: patientId, limit: 1 });
    if (byMrn.items[0]) return byMrn.items[0];
  }
  if (memberId) return (await services.patients.searchPatients(ctx, { memberId, limit: 1 })).items[0] ?? null;
  return null;
}

async function resolveProvider(services: Services, practiceId: string, providerId: string | undefined) {
  if (!providerId) return null;
  const providers = await services.patients.listProviders(practiceId);
  return providers.find((p) => p.id === providerId || p.npi === providerId) ?? null;
}

export function registerBillingEngine(app: App, services: Services): void {
  app.post(
    '/create_claim',
    {
      config: { auth: ROLES },
      schema: {
        tags: ['seed services'],
        summary: 'Create, scrub and submit a claim (design-notes body shapes)',
        body: CreateClaimBody,
      },
    },
    async (request, reply) => {
      const ctx = accessContext(request);
      const body = request.body;
      const patientId = body.patient_id ?? body.patient_data?.patient_id;
      const providerId = body.provider_id ?? body.patient_data?.provider_id;
      const memberId = body.insurance_info?.member_id ?? body.patient_data?.member_id;
      const codes = body.service_codes ?? body.services?.map((s) => s.code) ?? [];
      const amounts = new Map(
        (body.services ?? [])
          .filter((s) => s.amount !== undefined)
          .map((s) => [s.code, Math.round(s.amount! * 100)]),
      );
      const issues: string[] = [];
      const procedures = codes.filter((c) => isValidCptFormat(c) || isValidHcpcsFormat(c));
      const diagnoses = codes.filter((c) => !procedures.includes(c) && icd10.has(c));
      for (const c of codes)
        if (!procedures.includes(c) && !diagnoses.includes(c))
          issues.push(`service code ${c} is neither a CPT/HCPCS nor an ICD-10-CM code`);
      if (procedures.length === 0) issues.push('at least one procedure (CPT/HCPCS) code is required');
      if (diagnoses.length === 0) issues.push('at least one diagnosis (ICD-10-CM) code is required');
      if (providerId && /^\d{10}$/.test(providerId) && !isValidNpi(providerId))
        issues.push(`provider NPI ${providerId} fails its check digit`);
      const patient = await resolvePatient(services, ctx, patientId, memberId);
      if (!patient) issues.push(`patient ${patientId ?? memberId ?? '(none given)'} was not found`);
      const provider = await resolveProvider(services, ctx.practiceId, providerId);
      if (providerId && !provider)
        issues.push(`provider ${providerId} is not one of the practice's providers`);
      const serviceDate = (body.service_date ?? new Date().toISOString()).slice(0, 10);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(serviceDate)) issues.push('service_date must be an ISO date');
      if (issues.length > 0 || !patient)
        return reply.code(400).send({ error: 'Claim validation failed', issues, claim_created: false });

      let claim: Awaited<ReturnType<typeof services.claims.createClaim>>;
      try {
        claim = await services.claims.createClaim(ctx, {
          patientId: patient.id,
          renderingProviderId: provider?.id,
          placeOfService: body.place_of_service ?? '11',
          diagnoses,
          lines: procedures.map((code) => ({
            procedureCode: code,
            units: 1,
            chargeCents: amounts.get(code),
            diagnosisPointers: diagnoses.slice(0, 4).map((_, i) => i + 1),
            serviceDate,
          })),
        });
      } catch (error) {
        if (error instanceof DomainError) {
          return reply.code(400).send({
            error: 'Claim validation failed',
            issues: error.errors?.map((e) => `${e.path}: ${e.message}`) ?? [error.message],
            claim_created: false,
          });
        }
        throw error;
      }
      const validation = await services.claims.validateClaim(ctx, claim.id);
      if (!validation.valid) {
        await services.claims.closeDraft(ctx, claim.id, 'rejected by /create_claim: scrubber problems');
        return reply.code(400).send({
          error: 'Claim validation failed',
          issues: validation.problems.map((p) => `${p.path}: ${p.message}`),
          claim_created: false,
        });
      }
      const estimate =
        (
          await services.eligibility
            .check(ctx, {
              patientId: patient.id,
              procedures: procedures.map((code) => ({ code })),
              dateOfService: serviceDate,
            })
            .catch(() => null)
        )?.estimate ?? null;
      const submission = await services.claims.submitClaim(ctx, claim.id);
      return {
        claim_created: true,
        claim_id: claim.id,
        patient_control_number: claim.patientControlNumber,
        submission_status: submission.claim.status,
        claim_total: dollars(claim.totalChargeCents),
        estimated_payment: estimate ? dollars(estimate.totalPlanCents) : null,
        estimated_payment_cents: estimate?.totalPlanCents ?? null,
        patient_responsibility: estimate ? dollars(estimate.totalPatientCents) : null,
        patient_responsibility_cents: estimate?.totalPatientCents ?? null,
        warnings: validation.problems.filter((p) => p.severity === 'warning').map((p) => p.message),
        next_steps:
          submission.claim.status === 'accepted'
            ? ['await the 835 remittance (POST /v1/remittances/fetch)']
            : [
                `correct the claim: ${submission.claimAcknowledgment?.statuses.join(', ') ?? submission.acknowledgment.status}`,
              ],
      };
    },
  );
}
