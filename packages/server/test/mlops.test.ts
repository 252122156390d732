import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generationContext, rng, visitContent, writingSamples } from './fixtures/doctor-styles.ts';
import { type LlmTestServer, startLlmTestServer } from './fixtures/llm-server.ts';
import { startTestContext, type TestContext } from './harness.ts';

const FAKE_TRAINER = fileURLToPath(new URL('./fixtures/fake-trainer.mjs', import.meta.url));

let llm: LlmTestServer;
let ctx: TestContext;
let admin: string;
let doctor: string;

beforeAll(async () => {
  llm = await startLlmTestServer();
  ctx = await startTestContext({
    seedPatients: 0,
    env: {
      LLM_BASE_URL: llm.url,
      LLM_MODEL: 'llama3.1:8b-instruct',
      LLM_PROVIDER: 'vllm',
      LORA_TRAINER_COMMAND: `${process.execPath} ${FAKE_TRAINER}`,
    },
  });
  admin = await ctx.bearer('admin');
  doctor = (await ctx.services.patients.listProviders(ctx.seed!.practiceId)).find(
    (p) => p.kind === 'individual',
  )!.id;
  for (const content of writingSamples('structured_headings', 24, 21)) {
    const r = await ctx.app.inject({
      method: 'POST',
      url: `/v1/personalization/doctors/${doctor}/samples`,
      headers: { authorization: admin },
      payload: { content, type: 'visit_summary' },
    });
    expect(r.statusCode).toBe(201);
  }
}, 90_000);

afterAll(async () => {
  await ctx?.close();
  await llm?.close();
});

beforeEach(() => {
  llm.requests.length = 0;
  delete process.env.FAKE_TRAINER_MODE;
});

const post = (url: string, payload?: unknown, role = admin) =>
  ctx.app.inject({ method: 'POST', url, headers: { authorization: role }, ...(payload ? { payload } : {}) });
const get = (url: string) => ctx.app.inject({ method: 'GET', url, headers: { authorization: admin } });

async function trainAdapter(): Promise<string> {
  const queued = await post('/v1/learning/training-jobs', {
    doctorId: doctor,
    config: { steps: 30, evalEvery: 10 },
  });
  expect(queued.statusCode).toBe(202);
  const job = await ctx.services.learning.runTrainingJob(queued.json().id);
  expect(job.status).toBe('succeeded');
  return job.modelVersionId!;
}

async function generate(seed: number) {
  const response = await post('/v1/personalization/generate', {
    doctorId: doctor,
    task: 'visit_summary',
    context: generationContext(visitContent(rng(seed))),
  });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('generation through the gateway', () => {
  it('uses style prompting of the base model when the doctor has no adapter', async () => {
    const result = await generate(1);
    expect(result.adaptationMethod).toBe('style_prompting');
    expect(result.model).toBe('llama3.1:8b-instruct');
    const system = (llm.requests[0]!.body!.messages as Array<{ role: string; content: string }>)[0]!;
    expect(system.role).toBe('system');
    expect(system.content).toContain('Format: bullet points');
    expect(system.content).toContain('Sections in this order: summary, plan, follow-up');
    expect(system.content).toContain('never give medical advice');
  });

  it('falls back to the deterministic renderer when the model server fails', async () => {
    llm.script.push({ status: 500 }, { status: 500 }, { status: 500 });
    const result = await generate(2);
    expect(result.adaptationMethod).toBe('deterministic');
    expect(result.content).toMatch(/^Summary:\n- /);
  });
});

describe('safety gates', () => {
  const styled = () => writingSamples('structured_headings', 4, 99);
  const plain = (texts: string[]) =>
    texts.map((t) => t.replace(/^- |^[A-Za-z-]+:$/gm, '').replace(/\n+/g, ' '));

  it('rejects an adapter whose generations leak PHI, and it cannot be activated', async () => {
    const generations = styled();
    generations[1] = `${generations[1]}\nCall the patient John Smith at 617-555-0142 about the SSN 123-45-6789.`;
    const created = await post('/v1/mlops/models', {
      kind: 'lora_adapter',
      name: `doctor-${doctor}`,
      subjectId: doctor,
      baseModel: 'llama3.1:8b-instruct',
      metrics: { eval_loss: 0.7 },
      evaluation: { generations, baseGenerations: plain(styled()) },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ validationStatus: 'pending', status: 'candidate' });
    const id = created.json().id;
    const validated = await post(`/v1/mlops/models/${id}/validate`);
    expect(validated.json().validationStatus).toBe('rejected');
    const phi = validated.json().gateResults.find((g: { gate: string }) => g.gate === 'phi_leak');
    expect(phi).toMatchObject({ passed: false, blocking: true, measured: { samples: 4, leaking: 1 } });

    const deploy = await post(`/v1/mlops/models/${id}/deploy`, { strategy: 'immediate' });
    expect(deploy.statusCode).toBe(409);
    expect(deploy.json()).toMatchObject({ validationStatus: 'rejected', failedGates: ['phi_leak'] });
    const review = await post(
      `/v1/mlops/models/${id}/review`,
      { decision: 'validated', notes: 'looks fine' },
      await ctx.bearer('compliance_officer'),
    );
    expect(review.statusCode).toBe(409);
    expect((await get(`/v1/mlops/models/${id}`)).json().status).toBe('candidate');
  });

  it('rejects an adapter whose style does not beat the base model', async () => {
    const base = plain(styled());
    const created = await post('/v1/mlops/models', {
      kind: 'lora_adapter',
      name: `doctor-${doctor}`,
      subjectId: doctor,
      metrics: { eval_loss: 0.7 },
      evaluation: { generations: base, baseGenerations: base },
    });
    const validated = await post(`/v1/mlops/models/${created.json().id}/validate`);
    expect(validated.json().validationStatus).toBe('rejected');
    expect(validated.json().gateResults.find((g: { gate: string }) => g.gate === 'style_match').passed).toBe(
      false,
    );
  });

  it('asks for review when evidence is missing; a reviewer decides', async () => {
    const created = await post('/v1/mlops/models', {
      kind: 'lora_adapter',
      name: 'doctor-review-case',
      subjectId: doctor,
    });
    const validated = await post(`/v1/mlops/models/${created.json().id}/validate`);
    expect(validated.json().validationStatus).toBe('requires_review');
    expect(
      (await post(`/v1/mlops/models/${created.json().id}/deploy`, { strategy: 'immediate' })).statusCode,
    ).toBe(409);
    const officer = await ctx.bearer('compliance_officer');
    const reviewed = await post(
      `/v1/mlops/models/${created.json().id}/review`,
      { decision: 'rejected', notes: 'no evaluation generations were supplied' },
      officer,
    );
    expect(reviewed.json()).toMatchObject({
      validationStatus: 'rejected',
      reviewNotes: 'no evaluation generations were supplied',
    });
    const physician = await ctx.bearer('physician');
    expect(
      (await post(`/v1/mlops/models/${created.json().id}/deploy`, { strategy: 'immediate' }, physician))
        .statusCode,
    ).toBe(403);
  });

  it('keeps a generic registry: a denial-risk model regresses against the active version', async () => {
    const v1 = await post('/v1/mlops/models', {
      kind: 'denial_risk',
      name: 'denial-risk-gbt',
      metrics: { auc: 0.81, brier: 0.14 },
      trainingDataHash: 'a'.repeat(64),
      evaluation: { primaryMetric: { name: 'auc', higherIsBetter: true } },
    });
    expect((await post(`/v1/mlops/models/${v1.json().id}/validate`)).json().validationStatus).toBe(
      'validated',
    );
    expect(
      (await post(`/v1/mlops/models/${v1.json().id}/deploy`, { strategy: 'immediate' })).statusCode,
    ).toBe(201);
    const v2 = await post('/v1/mlops/models', {
      kind: 'denial_risk',
      name: 'denial-risk-gbt',
      metrics: { auc: 0.74 },
      evaluation: { primaryMetric: { name: 'auc', higherIsBetter: true } },
    });
    expect(v2.json().version).toBe(2);
    const validated = await post(`/v1/mlops/models/${v2.json().id}/validate`);
    expect(validated.json().validationStatus).toBe('rejected');
    expect(validated.json().gateResults[0]).toMatchObject({ gate: 'no_regression', passed: false });
  });
});

describe('deployments', () => {
  let v1: string;

  it('activates a trained adapter immediately and serves it by name through the gateway', async () => {
    v1 = await trainAdapter();
    const version = (await get(`/v1/mlops/models/${v1}`)).json();
    expect(version.validationStatus).toBe('validated');
    // Two hand-registered versions of this adapter came first: the directory follows the registry version.
    expect(version.version).toBe(3);
    expect(version.artifactUri.endsWith(`/adapters/${doctor}/v3`)).toBe(true);
    const deployed = await post(`/v1/mlops/models/${v1}/deploy`, { strategy: 'immediate' });
    expect(deployed.statusCode).toBe(201);
    expect(deployed.json()).toMatchObject({ strategy: 'immediate', status: 'completed', trafficShare: 1 });
    const served = `doctor-${doctor}-v${version.version}`;
    llm.replies.set(served, 'Summary:\n- Adapter output in the doctor’s format.');
    const result = await generate(3);
    expect(result).toMatchObject({ adaptationMethod: 'lora_adapter', modelVersionId: v1, model: served });
    expect(llm.requests[0]!.body!.model).toBe(served);
    const status = await get(`/services/doctor-personalization/adapters/${doctor}/status`);
    expect(status.json()).toMatchObject({ has_adapter: true, active_adapter: served });
  });

  it('rolls a gradual rollout back on its own when the monitored score drops under 0.95 of the previous', async () => {
    const v2 = await trainAdapter();
    const deployed = await post(`/v1/mlops/models/${v2}/deploy`, {
      strategy: 'gradual',
      trafficShare: 0.5,
      rollbackThreshold: 0.95,
      minObservations: 3,
    });
    expect(deployed.statusCode).toBe(201);
    const deployment = deployed.json();
    expect(deployment).toMatchObject({ status: 'in_progress', trafficShare: 0.5, previousVersionId: v1 });
    expect((await get(`/v1/mlops/models/${v2}`)).json().status).toBe('deploying');

    // Both versions serve during the rollout.
    const versions = new Set<string>();
    for (let seed = 10; seed < 30; seed++) versions.add((await generate(seed)).modelVersionId);
    expect(versions).toEqual(new Set([v1, v2]));

    const observe = (score: number, source: 'candidate' | 'control') =>
      post(`/v1/mlops/deployments/${deployment.id}/observations`, { score, source });
    await observe(0.9, 'control');
    await observe(0.9, 'control');
    expect((await observe(0.91, 'candidate')).json().status).toBe('in_progress');
    expect((await observe(0.8, 'candidate')).json().status).toBe('in_progress');
    const last = (await observe(0.79, 'candidate')).json();
    expect(last.status).toBe('rolled_back');
    expect(last.candidateScore).toBeCloseTo(0.8333, 3);
    expect(last.reason).toMatch(/fell under 0.95 × baseline 0.9000/);

    expect((await get(`/v1/mlops/models/${v2}`)).json().status).toBe('rolled_back');
    expect((await get(`/v1/mlops/models/${v1}`)).json().status).toBe('active');
    for (let seed = 10; seed < 20; seed++) expect((await generate(seed)).modelVersionId).toBe(v1);
    expect((await observe(0.95, 'candidate')).statusCode).toBe(409);

    const report = await get(`/v1/mlops/models/${v2}/audit-report`);
    expect(report.statusCode).toBe(200);
    const actions = report.json().events.map((e: { action: string }) => e.action);
    expect(actions).toEqual([
      'mlops.model.register',
      'mlops.model.validate',
      'mlops.model.deploy',
      'mlops.model.rollback',
    ]);
    expect(report.json().lineage.trainingDataHash).toMatch(/^[0-9a-f]{64}$/);
    expect(report.json().deployments[0].observations).toHaveLength(5);
  });

  it('walks a staged rollout to full activation, then rolls back to the previous version by hand', async () => {
    const v3 = await trainAdapter();
    const deployed = await post(`/v1/mlops/models/${v3}/deploy`, {
      strategy: 'staged',
      stages: [0.1, 0.5, 1],
    });
    const id = deployed.json().id;
    expect(deployed.json()).toMatchObject({ trafficShare: 0.1, stage: 0 });
    expect((await post(`/v1/mlops/deployments/${id}/promote`)).json()).toMatchObject({
      stage: 1,
      trafficShare: 0.5,
    });
    expect((await post(`/v1/mlops/deployments/${id}/promote`)).json()).toMatchObject({
      stage: 2,
      trafficShare: 1,
    });
    expect((await post(`/v1/mlops/deployments/${id}/promote`)).json()).toMatchObject({ status: 'completed' });
    expect((await get(`/v1/mlops/models/${v3}`)).json().status).toBe('active');
    expect((await get(`/v1/mlops/models/${v1}`)).json().status).toBe('retired');

    const rolled = await post(`/v1/mlops/models/${v3}/rollback`, {
      reason: 'doctor reported a format regression',
    });
    expect(rolled.json().status).toBe('rolled_back');
    expect((await get(`/v1/mlops/models/${v1}`)).json().status).toBe('active');
    expect((await generate(40)).modelVersionId).toBe(v1);

    const list = await get(`/v1/mlops/models?kind=lora_adapter&subjectId=${doctor}&status=active`);
    expect(list.json().map((v: { id: string }) => v.id)).toEqual([v1]);
    const adapters = await get('/services/doctor-style-adapter/doctor_adapters/status');
    expect(adapters.json().active_adapters).toBe(1);
  });

  it("rolls back when the doctors' satisfaction with the candidate's outputs drops", async () => {
    const v4 = await trainAdapter();
    const deployed = await post(`/v1/mlops/models/${v4}/deploy`, {
      strategy: 'gradual',
      trafficShare: 0.5,
      minObservations: 3,
    });
    expect(deployed.json()).toMatchObject({
      status: 'in_progress',
      previousVersionId: v1,
      baselineScore: null,
    });
    let last: { deploymentId: string; status: string } | null = null;
    for (let seed = 50; seed < 70 && last?.status !== 'rolled_back'; seed++) {
      const output = await generate(seed);
      const candidate = output.modelVersionId === v4;
      const learned = await post('/v1/learning/interactions', {
        doctorId: doctor,
        type: 'visit_summary',
        input: 'Summarize the visit for the billing team, please.',
        output: output.content,
        satisfaction: candidate ? 3 : 5,
        modelVersionId: output.modelVersionId,
      });
      expect(learned.statusCode).toBe(201);
      last = learned.json().rollout;
      expect(last?.deploymentId).toBe(deployed.json().id);
    }
    expect(last?.status).toBe('rolled_back');
    const deployment = (await get(`/v1/mlops/deployments/${deployed.json().id}`)).json();
    expect(deployment.candidateScore).toBeCloseTo(0.6, 5);
    expect(deployment.observations.some((o: { source: string }) => o.source === 'control')).toBe(true);
    expect((await get(`/v1/mlops/models/${v1}`)).json().status).toBe('active');
  });
});
