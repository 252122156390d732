import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PersonalizationService } from '../src/modules/personalization/service.ts';
import { extractFeatures } from '../src/modules/personalization/style.ts';
import { generationContext, rng, visitContent, writingSamples } from './fixtures/doctor-styles.ts';
import { startTestContext, type TestContext } from './harness.ts';

let ctx: TestContext;
let admin: string;
let physician: string;
/** The provider linked to the demo physician's user account, and another provider. */
let own: string;
let other: string;

beforeAll(async () => {
  ctx = await startTestContext({ seedPatients: 0 });
  admin = await ctx.bearer('admin');
  physician = await ctx.bearer('physician');
  const practiceId = ctx.seed!.practiceId;
  const users = await ctx.services.auth.listUsers(practiceId);
  own = users.find((u) => u.role === 'physician')!.providerId!;
  const providers = await ctx.services.patients.listProviders(practiceId);
  other = providers.find((p) => p.id !== own && p.kind === 'individual')!.id;
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

const prefsUrl = (id: string) => `/v1/personalization/doctors/${id}/preferences`;

describe('preferences', () => {
  it('starts from the defaults, versions every change, keeps a history and audits it', async () => {
    const first = await ctx.app.inject({
      method: 'GET',
      url: prefsUrl(own),
      headers: { authorization: physician },
    });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      version: 0,
      preferences: {
        summaryStyle: 'detailed',
        terminology: 'standard',
        reportFormat: 'soap',
        detailLevel: 5,
      },
    });

    const put = await ctx.app.inject({
      method: 'PUT',
      url: prefsUrl(own),
      headers: { authorization: physician },
      payload: { detailLevel: 3, ui: { theme: 'dark' }, customInstructions: 'Use f/u for follow-up.' },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({
      version: 1,
      preferences: { detailLevel: 3, ui: { theme: 'dark', fontSize: 'medium' } },
      explicitFields: ['/customInstructions', '/detailLevel', '/ui/theme'],
    });

    await ctx.app.inject({
      method: 'PUT',
      url: prefsUrl(own),
      headers: { authorization: physician },
      payload: { reportFormat: 'narrative' },
    });
    const history = await ctx.app.inject({
      method: 'GET',
      url: `${prefsUrl(own)}/history`,
      headers: { authorization: physician },
    });
    expect(history.json().map((v: { version: number }) => v.version)).toEqual([2, 1]);
    expect(history.json()[0]).toMatchObject({ changed: ['/reportFormat'], source: 'user' });

    const events = await ctx.platform.db
      .selectFrom('audit_events')
      .select(['action', 'details'])
      .where('action', '=', 'personalization.preferences.update')
      .where('resource_id', '=', own)
      .execute();
    expect(events).toHaveLength(2);
  });

  it('refuses a value holding PHI with a problem naming the field, and changes nothing', async () => {
    const before = (
      await ctx.app.inject({ method: 'GET', url: prefsUrl(own), headers: { authorization: admin } })
    ).json();
    const response = await ctx.app.inject({
      method: 'PUT',
      url: prefsUrl(own),
      headers: { authorization: admin },
      payload: {
        detailLevel: 4,
        customInstructions: 'Always mention John Smith, DOB 04/12/1958, SSN 123-45-6789, when summarizing.',
        focusAreas: ['billing_management', 'call 617-555-0142 for Mary Jones'],
      },
    });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    const paths = response.json().errors.map((e: { path: string }) => e.path);
    expect(paths).toContain('/customInstructions');
    expect(paths).toContain('/focusAreas/1');
    expect(response.json().errors[0].message).toMatch(/protected health information/);
    const after = (
      await ctx.app.inject({ method: 'GET', url: prefsUrl(own), headers: { authorization: admin } })
    ).json();
    expect(after.version).toBe(before.version);
  });

  it('names invalid values and unknown fields', async () => {
    const response = await ctx.app.inject({
      method: 'PUT',
      url: prefsUrl(own),
      headers: { authorization: admin },
      payload: { detailLevel: 11, reportFormat: 'haiku' },
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/detailLevel', '/reportFormat']);
    const unknown = await ctx.app.inject({
      method: 'PUT',
      url: prefsUrl(own),
      headers: { authorization: admin },
      payload: { favouriteColour: 'blue' },
    });
    expect(unknown.statusCode).toBe(400);
  });

  it('lets a physician act only on their own provider; unknown doctors are 404', async () => {
    const denied = await ctx.app.inject({
      method: 'GET',
      url: prefsUrl(other),
      headers: { authorization: physician },
    });
    expect(denied.statusCode).toBe(403);
    const asAdmin = await ctx.app.inject({
      method: 'GET',
      url: prefsUrl(other),
      headers: { authorization: admin },
    });
    expect(asAdmin.statusCode).toBe(200);
    const missing = await ctx.app.inject({
      method: 'GET',
      url: prefsUrl('6f1d2c3b-0a9e-4d8c-b7a6-5e4f3d2c1b0a'),
      headers: { authorization: admin },
    });
    expect(missing.statusCode).toBe(404);
    const biller = await ctx.bearer('biller');
    const forbidden = await ctx.app.inject({
      method: 'GET',
      url: prefsUrl(own),
      headers: { authorization: biller },
    });
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('writing samples, readiness and style', () => {
  it('makes a doctor ready at 50 samples and learns their style', async () => {
    const samples = writingSamples('terse_soap', 50, 7);
    for (const [i, content] of samples.entries()) {
      const response = await ctx.app.inject({
        method: 'POST',
        url: `/v1/personalization/doctors/${other}/samples`,
        headers: { authorization: admin },
        payload: { content, type: 'visit_summary', metadata: { source: 'ehr_export' } },
      });
      expect(response.statusCode).toBe(201);
      expect(response.json().readiness).toMatchObject({ samplesCollected: i + 1, ready: i + 1 >= 50 });
      if (i === 48) {
        const r = await ctx.app.inject({
          method: 'GET',
          url: `/v1/personalization/doctors/${other}/training-readiness`,
          headers: { authorization: admin },
        });
        expect(r.json()).toMatchObject({
          samplesCollected: 49,
          samplesNeeded: 50,
          ready: false,
          percent: 98,
        });
      }
    }
    const ready = await ctx.app.inject({
      method: 'GET',
      url: `/v1/personalization/doctors/${other}/training-readiness`,
      headers: { authorization: admin },
    });
    expect(ready.json()).toEqual({
      doctorId: other,
      samplesCollected: 50,
      samplesNeeded: 50,
      ready: true,
      percent: 100,
    });

    const style = await ctx.app.inject({
      method: 'GET',
      url: `/v1/personalization/doctors/${other}/style`,
      headers: { authorization: admin },
    });
    expect(style.statusCode).toBe(200);
    const s = style.json();
    expect(s.samples).toBe(50);
    expect(s.sectionOrder).toEqual(['subjective', 'objective', 'assessment', 'plan']);
    expect(s.abbreviatedHeadings).toBe(true);
    expect(s.features.bulletRatio.value).toBeGreaterThan(0.9);
    expect(s.features.soapUse.value).toBe(1);
    expect(s.features.abbreviationDensity.value).toBeGreaterThan(0.06);
    expect(s.features.bulletRatio.confidence).toBeGreaterThan(0.8);
    expect(s.confidence).toBeGreaterThan(0.6);
  });

  it('stores samples PHI-masked (the original encrypted) and refuses duplicates', async () => {
    const content =
      'S: pt John Smith (DOB 04/12/1958) called re: prior auth.\nA: auth pending w/ ins\nP: f/u w/ payer, phone 617-555-0142';
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/v1/personalization/doctors/${own}/samples`,
      headers: { authorization: physician },
      payload: { content, type: 'visit_summary' },
    });
    expect(response.statusCode).toBe(201);
    expect(response.json().phiSpansMasked).toBeGreaterThanOrEqual(3);
    const row = await ctx.platform.db
      .selectFrom('writing_samples')
      .selectAll()
      .where('id', '=', response.json().id)
      .executeTakeFirstOrThrow();
    expect(row.content).not.toContain('John Smith');
    expect(row.content).not.toContain('617-555-0142');
    expect(row.content).toContain('[NAME]');
    expect(ctx.platform.cipher.decrypt(row.content_enc)).toBe(content);
    const again = await ctx.app.inject({
      method: 'POST',
      url: `/v1/personalization/doctors/${own}/samples`,
      headers: { authorization: physician },
      payload: { content, type: 'visit_summary' },
    });
    expect(again.statusCode).toBe(409);
    const short = await ctx.app.inject({
      method: 'POST',
      url: `/v1/personalization/doctors/${own}/samples`,
      headers: { authorization: physician },
      payload: { content: 'ok', type: 'Visit Summary' },
    });
    expect(short.statusCode).toBe(400);
    expect(
      short
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/content', '/type']);
  });
});

describe('personalized generation without a model', () => {
  it("lays the content out deterministically in the doctor's learned format", async () => {
    const context = generationContext(visitContent(rng(31)));
    const request = () =>
      ctx.app.inject({
        method: 'POST',
        url: '/v1/personalization/generate',
        headers: { authorization: admin },
        payload: { doctorId: other, task: 'visit_summary', context },
      });
    const response = await request();
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.adaptationMethod).toBe('deterministic');
    expect(body.model).toBeNull();
    expect(body.content).toMatch(/^S:\n- /);
    expect(body.content).toContain('\nP:\n');
    const f = extractFeatures(body.content);
    expect(f.bulletRatio).toBe(1);
    expect(f.soapUse).toBe(1);
    expect(body.styleConfidence).toBeGreaterThan(0.6);
    const base = PersonalizationService.renderBase('visit_summary', context);
    expect(base).not.toBe(body.content);
    expect(body.styleMatch).toBeGreaterThan(0.9);
    // Deterministic: the same request gives the same text.
    expect((await request()).json().content).toBe(body.content);
  });

  it('refuses an empty context and a malformed task', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/personalization/generate',
      headers: { authorization: admin },
      payload: { doctorId: other, task: 'Visit Summary!', context: {} },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('OpenAPI', () => {
  it('documents the personalization, learning, mlops and ai routes', async () => {
    const doc = (await ctx.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of [
      '/v1/personalization/generate',
      '/v1/personalization/doctors/{id}/preferences',
      '/v1/learning/interactions',
      '/v1/learning/training-jobs',
      '/v1/mlops/models/{id}/deploy',
      '/v1/ai/interactions',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});

describe('seed-compatible services', () => {
  it('reads and updates preferences with the design notes’ shapes, by provider id or NPI', async () => {
    const providers = await ctx.services.patients.listProviders(ctx.seed!.practiceId);
    const npi = providers.find((p) => p.id === other)!.npi;
    const post = await ctx.app.inject({
      method: 'POST',
      url: `/services/personalization/preferences/${npi}`,
      headers: { authorization: admin },
      payload: { summary_style: 'concise', notification_preferences: { email: false, sms: true } },
    });
    expect(post.statusCode).toBe(200);
    expect(post.json()).toMatchObject({
      updated: true,
      doctor_id: npi,
      preferences_updated: ['summary_style', 'notification_preferences'],
    });
    expect(post.json().timestamp).toMatch(/^\d{4}-\d\d-\d\dT/);
    const get = await ctx.app.inject({
      method: 'GET',
      url: `/services/personalization/preferences/${other}`,
      headers: { authorization: admin },
    });
    expect(get.json()).toMatchObject({
      doctor_id: other,
      preferences: { summary_style: 'concise', notification_preferences: { email: false, sms: true } },
    });
    expect(get.json().version).toBeGreaterThanOrEqual(1);
    expect(get.json().last_updated).toBeTruthy();

    const phi = await ctx.app.inject({
      method: 'POST',
      url: `/services/personalization/preferences/${other}`,
      headers: { authorization: admin },
      payload: { custom_instructions: 'Patient Maria Garcia, MRN 44829102, prefers mornings' },
    });
    expect(phi.statusCode).toBe(400);
    expect(phi.json()).toMatchObject({ updated: false, error: 'Privacy violation detected' });

    const anonymous = await ctx.app.inject({
      method: 'GET',
      url: `/services/personalization/preferences/${other}`,
    });
    expect(anonymous.statusCode).toBe(401);
  });

  it('collects data, applies personalization and reports status on each service', async () => {
    const collect = await ctx.app.inject({
      method: 'POST',
      url: '/services/personalization/lora_training/collect_data',
      headers: { authorization: admin },
      payload: {
        doctor_id: other,
        interaction_data: {
          type: 'insurance_verification',
          input: 'Generate insurance verification summary',
          output: 'Brief bullet-point summary with key coverage details and copay',
          context: { preferred_format: 'bullets', detail_level: 'concise' },
          feedback: 0.9,
          admin_focus: true,
        },
      },
    });
    expect(collect.statusCode).toBe(200);
    expect(collect.json()).toMatchObject({ collected: true, kind: 'interaction', quality: true });

    const apply = await ctx.app.inject({
      method: 'POST',
      url: '/services/personalization/lora_personalization/apply',
      headers: { authorization: admin },
      payload: {
        doctor_id: other,
        input_text: 'Generate insurance verification summary for patient',
        workflow_context: { task_type: 'insurance_summary', urgency: 'routine' },
      },
    });
    expect(apply.statusCode).toBe(200);
    expect(apply.json()).toMatchObject({ personalization_applied: true, doctor_id: other });
    expect(apply.json().personalized_response).toMatch(/ins(urance)? verification summary/);
    expect(apply.json().personalized_response).toContain('urgency: routine');

    const status = await ctx.app.inject({
      method: 'GET',
      url: '/services/personalization/lora_training/status',
      headers: { authorization: admin },
    });
    expect(status.json().doctors.find((d: { doctor_id: string }) => d.doctor_id === other)).toMatchObject({
      samples_collected: 50,
      ready: true,
    });

    const generate = await ctx.app.inject({
      method: 'POST',
      url: '/services/doctor-personalization/generate_personalized_response',
      headers: { authorization: admin },
      payload: {
        doctor_id: other,
        patient_context: { type: 'routine' },
        query: 'Generate insurance summary',
      },
    });
    expect(generate.statusCode).toBe(200);
    expect(generate.json()).toMatchObject({ doctor_id: other, adaptation_method: 'deterministic' });

    const personalization = await ctx.app.inject({
      method: 'GET',
      url: '/services/doctor-personalization/personalization/status',
      headers: { authorization: admin },
    });
    expect(personalization.json()).toMatchObject({ llm_configured: false, default_method: 'deterministic' });

    const adapter = await ctx.app.inject({
      method: 'GET',
      url: `/services/doctor-personalization/adapters/${other}/status`,
      headers: { authorization: admin },
    });
    expect(adapter.json()).toMatchObject({
      doctor_id: other,
      has_adapter: false,
      samples_collected: 50,
      ready_for_training: true,
    });

    const adapters = await ctx.app.inject({
      method: 'GET',
      url: '/services/doctor-style-adapter/doctor_adapters/status',
      headers: { authorization: admin },
    });
    expect(adapters.json()).toMatchObject({ status: 'operational', adapters: [], active_adapters: 0 });
  });
});
