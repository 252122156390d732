/**
 * The design notes' insurance services as thin adapters over the eligibility and prior-authorization services:
 * `insurance-verification` (:8003, POST /verify) and `advanced-insurance-verifier` (:8011, POST /verify_real_time,
 * POST /prior_auth/submit, GET /prior_auth/status[/:id]). Bodies keep the notes' snake_case shapes; callers
 * authenticate with the same bearer token or API key as the API, which gives the practice.
 */
import { isValidCptFormat, isValidHcpcsFormat, isValidNpi } from '@intelluxe/codes';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Role } from '../../platform/auth/roles.ts';
import { DomainError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/types.ts';
import type { Platform } from '../../platform/platform.ts';
import type { Services } from '../../services.ts';
import { accessContext } from '../patients/routes.ts';
import type { EligibilityCheck } from './service.ts';

const ROLES: Role[] = ['front_desk', 'biller', 'physician', 'admin', 'service'];
const tags = { tags: ['seed services'] };
const isProcedure = (code: string) => isValidCptFormat(code) || isValidHcpcsFormat(code);

const VerifyBody = Type.Object(
  {
    member_id: Type.Optional(Type.String({ maxLength: 200 })),
    provider_id: Type.Optional(Type.String({ maxLength: 200 })),
    service_codes: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
  },
  {
    additionalProperties: true,
    examples: [{ member_id: 'XGH123456789', provider_id: '1234567893', service_codes: ['99213'] }],
  },
);

const RealTimeBody = Type.Object(
  {
    patient_info: Type.Object(
      {
        insurance: Type.Object(
          {
            provider: Type.Optional(Type.String({ maxLength: 40 })),
            member_id: Type.Optional(Type.String({ maxLength: 200 })),
          },
          { additionalProperties: true },
        ),
      },
      { additionalProperties: true },
    ),
    service_codes: Type.Optional(Type.Array(Type.String({ maxLength: 20 }), { maxItems: 20 })),
    provider_id: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: true },
);

const PriorAuthBody = Type.Object(
  {
    patient_id: Type.String({ format: 'uuid' }),
    payer: Type.Optional(Type.String({ maxLength: 40 })),
    provider_npi: Type.Optional(Type.String({ maxLength: 10 })),
    service_codes: Type.Array(Type.String({ maxLength: 10 }), { minItems: 1, maxItems: 20 }),
    units: Type.Optional(Type.Integer()),
    service_date: Type.String({ maxLength: 10 }),
    service_end_date: Type.Optional(Type.String({ maxLength: 10 })),
    diagnosis_codes: Type.Array(Type.String({ maxLength: 8 }), { maxItems: 12 }),
    clinical_justification: Type.String({ maxLength: 4000 }),
    urgency: Type.Optional(
      Type.Union([Type.Literal('routine'), Type.Literal('urgent'), Type.Literal('emergency')]),
    ),
  },
  { additionalProperties: false },
);

function validateVerify(memberId: string | undefined, providerId: string | undefined): string[] {
  const issues: string[] = [];
  if (!memberId) issues.push('Missing required field: member_id');
  if (!providerId) issues.push('Missing required field: provider_id');
  if (memberId && (memberId.length < 6 || memberId.length > 20)) issues.push('Member ID length invalid');
  if (providerId && providerId.length < 3) issues.push('Provider ID too short');
  return issues;
}

function eligibilityView(check: EligibilityCheck, ignored: string[]) {
  const c = check.coverage!;
  return {
    check_id: check.id,
    status: check.status,
    active: c.active,
    cached: check.cached,
    plan: c.plan.name,
    group_number: c.plan.groupNumber,
    coverage_start: c.coverageStart,
    coverage_end: c.coverageEnd,
    deductible_remaining_cents: c.deductible.inNetwork.individual.remainingCents,
    out_of_pocket_remaining_cents: c.outOfPocket.inNetwork.individual.remainingCents,
    authorization_required: c.priorAuthorizationRequired.length > 0,
    prior_authorization_required: c.priorAuthorizationRequired,
    rejections: c.rejections,
    messages: c.messages,
    coverage: c,
    estimate: check.estimate,
    ignored_codes: ignored,
  };
}

/** Finds the member's patient, picks the payer (hint first), runs the check, answers in the notes' shape. */
async function verify(
  services: Services,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { memberId?: string; providerId?: string; payerHint?: string; codes: string[] },
) {
  const issues = validateVerify(input.memberId, input.providerId);
  if (issues.length > 0)
    return reply.code(400).send({ error: 'Validation failed', issues, safe_to_retry: false });
  const ctx = accessContext(request);
  const memberId = input.memberId!;
  const payers = await services.payers.listPayers();
  const hint = (input.payerHint ?? input.providerId ?? '').toLowerCase();
  const hinted = payers.find(
    (p) => hint === p.id || hint.startsWith(`${p.id}_`) || hint.startsWith(`${p.id}-`),
  );
  const found = await services.patients.searchPatients(ctx, { memberId, limit: 5 });
  const match = found.items
    .flatMap((p) =>
      p.coverages.filter((c) => c.memberId === memberId).map((c) => ({ patient: p, coverage: c })),
    )
    .find((m) => !hinted || m.coverage.payerId === hinted.id);
  if (!match) {
    return reply.code(404).send({
      error: 'Member not found',
      issues: [`no patient of this practice has member id ${memberId}${hinted ? ` with ${hinted.id}` : ''}`],
      supported_providers: payers.map((p) => p.id),
      safe_to_retry: false,
    });
  }
  const npi = input.providerId && isValidNpi(input.providerId) ? input.providerId : undefined;
  const procedures = input.codes.filter(isProcedure);
  try {
    const check = await services.eligibility.check(
      ctx,
      {
        patientId: match.patient.id,
        payerId: match.coverage.payerId,
        ...(npi && { providerNpi: npi }),
        procedureCodes: procedures,
      },
      'seed',
    );
    return {
      verified: check.status !== 'rejected',
      provider: match.coverage.payerId,
      member_id: memberId,
      eligibility: eligibilityView(
        check,
        input.codes.filter((c) => !isProcedure(c)),
      ),
      verification_timestamp: new Date().toISOString(),
    };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.status < 500) {
      return reply.code(error.status).send({
        error: 'Validation failed',
        issues: (error.errors ?? []).map((e) => `${e.path}: ${e.message}`),
        safe_to_retry: false,
      });
    }
    for (const [name, value] of Object.entries(error.headers)) reply.header(name, value);
    return reply.code(error.status).send({
      error: 'Verification failed',
      provider: match.coverage.payerId,
      retry_recommended: error.extensions.retryable === true,
      error_code: 'PROVIDER_ERROR',
      detail: error.message,
    });
  }
}

/** insurance-verification (:8003): POST /verify. */
export function registerInsuranceVerification(app: App, services: Services, _platform: Platform): void {
  app.post(
    '/verify',
    {
      config: { auth: ROLES },
      schema: { ...tags, summary: 'Verify insurance eligibility (270/271)', body: VerifyBody },
    },
    (request, reply) =>
      verify(services, request, reply, {
        memberId: request.body.member_id,
        providerId: request.body.provider_id,
        codes: request.body.service_codes ?? [],
      }),
  );
}

/** advanced-insurance-verifier (:8011): real-time verification and prior authorization. */
export function registerAdvancedInsuranceVerifier(app: App, services: Services, _platform: Platform): void {
  app.post(
    '/verify_real_time',
    {
      config: { auth: ROLES },
      schema: { ...tags, summary: 'Real-time insurance verification', body: RealTimeBody },
    },
    async (request, reply) => {
      const insurance = request.body.patient_info.insurance;
      const answer = await verify(services, request, reply, {
        memberId: insurance.member_id,
        providerId: request.body.provider_id ?? insurance.provider,
        payerHint: insurance.provider,
        codes: request.body.service_codes ?? [],
      });
      return answer && typeof answer === 'object' && 'verified' in answer
        ? { ...answer, real_time: true }
        : answer;
    },
  );

  app.post(
    '/prior_auth/submit',
    {
      config: { auth: ROLES },
      schema: { ...tags, summary: 'Request prior authorization (278)', body: PriorAuthBody },
    },
    async (request, reply) => {
      const b = request.body;
      const outcome = await services.priorAuths.create(accessContext(request), {
        patientId: b.patient_id,
        ...(b.payer && { payerId: b.payer }),
        ...(b.provider_npi && { providerNpi: b.provider_npi }),
        services: b.service_codes.map((code) => ({
          code,
          units: b.units ?? 1,
          from: b.service_date,
          ...(b.service_end_date && { to: b.service_end_date }),
        })),
        diagnoses: b.diagnosis_codes,
        justification: b.clinical_justification,
        urgency: b.urgency ?? 'routine',
      });
      const auth = outcome.priorAuth;
      return reply.code(auth ? 201 : 200).send({
        required: outcome.required,
        reasons: outcome.requirements.flatMap((r) => r.reasons),
        prior_auth_id: auth?.id ?? null,
        status: auth?.status ?? 'not_required',
        certification_number: auth?.certificationNumber ?? null,
        tracking_number: auth?.trackingNumber ?? null,
        authorized_units: auth?.authorizedUnits ?? null,
        authorized_from: auth?.authorizedFrom ?? null,
        authorized_to: auth?.authorizedTo ?? null,
        expected_decision_date: auth?.expectedDecisionDate ?? null,
      });
    },
  );

  app.get(
    '/prior_auth/status',
    { config: { auth: ROLES }, schema: { ...tags, summary: 'Prior authorizations by status' } },
    async (request) => ({
      status: 'operational',
      counts: await services.priorAuths.statusSummary(accessContext(request)),
      checked_at: new Date().toISOString(),
    }),
  );

  app.get(
    '/prior_auth/status/:id',
    {
      config: { auth: ROLES },
      schema: {
        ...tags,
        summary: 'One prior authorization',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
      },
    },
    async (request) => {
      const auth = await services.priorAuths.get(accessContext(request), request.params.id);
      return {
        prior_auth_id: auth.id,
        status: auth.status,
        certification_number: auth.certificationNumber,
        authorized_units: auth.authorizedUnits,
        authorized_from: auth.authorizedFrom,
        authorized_to: auth.authorizedTo,
        decision_date: auth.decisionDate,
        decision_reason: auth.decisionReason,
        expected_decision_date: auth.expectedDecisionDate,
        history: auth.history,
      };
    },
  );
}
