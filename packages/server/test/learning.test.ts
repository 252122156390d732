import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { containsPhi } from '@intelluxe/phi';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { extractFeatures } from '../src/modules/personalization/style.ts';
import { generationContext, rng, visitContent, writingSamples } from './fixtures/doctor-styles.ts';
import { startTestContext, type TestContext } from './harness.ts';

const FAKE_TRAINER = fileURLToPath(new URL('./fixtures/fake-trainer.mjs', import.meta.url));

let ctx: TestContext;
let admin: string;
let providers: string[];

beforeAll(async () => {
  ctx = await startTestContext({
    seedPatients: 0,
    env: {
      LORA_TRAINER_COMMAND: `${process.execPath} ${FAKE_TRAINER}`,
      LORA_BASE_MODEL: 'meta-llama/Llama-3.2-1B-Instruct',
    },
  });
  admin = await ctx.bearer('admin');
  providers = (await ctx.services.patients.listProviders(ctx.seed!.practiceId))
    .filter((p) => p.kind === 'individual')
    .map((p) => p.id);
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

afterEach(() => {
  delete process.env.FAKE_TRAINER_MODE;
});

const interaction = (doctorId: string, extra: Record<string, unknown> = {}) => ({
  doctorId,
  type: 'visit_summary',
  input: 'Summarize today’s visit for the billing team, please.',
  output:
    'Visit summary: follow-up for blood pressure management; coverage verified with the primary insurance; continue the current medications; return in 3 months.',
  satisfaction: 4,
  workflowContext: { type: 'billing', step: 'charge_entry' },
  ...extra,
});

async function learn(body: Record<string, unknown>) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/v1/learning/interactions',
    headers: { authorization: admin },
    payload: body,
  });
  expect(response.statusCode).toBe(201);
  return response.json();
}

async function generate(doctorId: string, context: Record<string, unknown>) {
  const response = await ctx.app.inject({
    method: 'POST',
    url: '/v1/personalization/generate',
    headers: { authorization: admin },
    payload: { doctorId, task: 'visit_summary', context },
  });
  expect(response.statusCode).toBe(200);
  return response.json() as { content: string; adaptationMethod: string };
}

describe('learning from interactions', () => {
  it('moves the preferences and the deterministic output with a feedback stream ("too long", "use bullet points")', async () => {
    const doctor = providers[0]!;
    const context = generationContext(visitContent(rng(11)));
    const before = await generate(doctor, context);
    expect(before.adaptationMethod).toBe('deterministic');
    expect(extractFeatures(before.content).bulletRatio).toBe(0);

    const first = await learn(interaction(doctor, { feedback: 'This is too long.', satisfaction: 3 }));
    expect(first.patterns).toMatchObject({ prefersBulletPoints: true, requestsLessDetail: true });
    expect(first.preferencesChanged).toContain('/detailLevel');
    expect(first.preferencesChanged).not.toContain('/responseFormat');

    const second = await learn(interaction(doctor, { feedback: 'Use bullet points.', satisfaction: 3 }));
    expect(second.preferencesChanged).toContain('/responseFormat');

    await learn(interaction(doctor, { feedback: 'Still too long, cut it down.', satisfaction: 3 }));
    const prefs = await ctx.app.inject({
      method: 'GET',
      url: `/v1/personalization/doctors/${doctor}/preferences`,
      headers: { authorization: admin },
    });
    expect(prefs.json().preferences).toMatchObject({
      responseFormat: 'bullet_points',
      detailLevel: 3,
      summaryStyle: 'concise',
    });
    const history = await ctx.app.inject({
      method: 'GET',
      url: `/v1/personalization/doctors/${doctor}/preferences/history`,
      headers: { authorization: admin },
    });
    expect(history.json().every((v: { source: string }) => v.source === 'learning')).toBe(true);

    const after = await generate(doctor, context);
    const f = extractFeatures(after.content);
    expect(f.bulletRatio).toBe(1);
    expect(f.length).toBeLessThan(extractFeatures(before.content).length);
  });

  it('learns administrative focus and urgency, and stores interactions PHI-masked', async () => {
    const doctor = providers[1]!;
    const result = await learn(
      interaction(doctor, {
        type: 'prior_authorization',
        input: 'Urgent: draft the prior auth request for Maria Garcia, DOB 02/03/1971, member id W123456789.',
        workflowContext: { type: 'insurance', payer: 'anthem' },
      }),
    );
    expect(result.patterns.focusAreas).toContain('insurance_administration');
    expect(result.preferencesChanged).toEqual(
      expect.arrayContaining(['/focusAreas', '/notifications/urgentThreshold']),
    );
    const row = await ctx.platform.db
      .selectFrom('learning_interactions')
      .selectAll()
      .where('id', '=', result.id)
      .executeTakeFirstOrThrow();
    expect(row.input_text).not.toContain('Maria Garcia');
    expect(row.input_text).not.toContain('02/03/1971');
    expect(row.phi_spans).toBeGreaterThanOrEqual(2);
    const listed = await ctx.app.inject({
      method: 'GET',
      url: `/v1/learning/doctors/${doctor}/interactions?limit=5`,
      headers: { authorization: admin },
    });
    expect(listed.statusCode).toBe(200);
    expect(listed.json()[0]).toMatchObject({ id: result.id, type: 'prior_authorization', quality: true });
    expect(listed.json()[0].input).not.toContain('Maria Garcia');
  });

  it('queues exactly one retraining job at the 50th quality interaction', async () => {
    const doctor = providers[2]!;
    // Not quality: unsatisfied, too short, or clinical advice.
    await learn(interaction(doctor, { satisfaction: 2 }));
    await learn(interaction(doctor, { output: 'ok' }));
    await learn(
      interaction(doctor, { type: 'documentation', input: 'What dose should I prescribe for this patient?' }),
    );
    for (let i = 1; i <= 49; i++) {
      const r = await learn(
        interaction(doctor, { input: `Summarize visit ${i} for the billing team, please.` }),
      );
      expect(r.retrainingQueued).toBe(false);
      expect(r.qualityInteractionsSinceTraining).toBe(i);
    }
    const fiftieth = await learn(
      interaction(doctor, { input: 'Summarize visit 50 for the billing team, please.' }),
    );
    expect(fiftieth.retrainingQueued).toBe(true);
    expect(fiftieth.qualityInteractionsSinceTraining).toBe(0);
    const next = await learn(
      interaction(doctor, { input: 'Summarize visit 51 for the billing team, please.' }),
    );
    expect(next.retrainingQueued).toBe(false);

    const jobs = await ctx.platform.db
      .selectFrom('training_jobs')
      .selectAll()
      .where('doctor_id', '=', doctor)
      .where('trigger', '=', 'retraining')
      .execute();
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.id).toBe(fiftieth.retrainingJobId);
    expect(jobs[0]!.status).toBe('queued');
    const { rows } = await sql<{ data: { trainingJobId: string } }>`
      SELECT data FROM pgboss.job WHERE name = 'learning.train-adapter'
    `.execute(ctx.platform.db);
    expect(rows.map((r) => r.data.trainingJobId)).toEqual([fiftieth.retrainingJobId]);

    const status = await ctx.app.inject({
      method: 'GET',
      url: `/v1/learning/doctors/${doctor}/retraining`,
      headers: { authorization: admin },
    });
    expect(status.json()).toMatchObject({
      qualityInteractionsSinceTraining: 1,
      threshold: 50,
      retrainingJobs: 1,
      totalInteractions: 54,
      latestJob: { id: fiftieth.retrainingJobId, trigger: 'retraining' },
    });

    const seed = await ctx.app.inject({
      method: 'GET',
      url: '/services/continuous-learning/retraining/status',
      headers: { authorization: admin },
    });
    expect(seed.json()).toMatchObject({ status: 'operational', learning_threshold: 50 });
    const learnSeed = await ctx.app.inject({
      method: 'POST',
      url: '/services/continuous-learning/learn_from_interaction',
      headers: { authorization: admin },
      payload: {
        doctor_id: doctor,
        interaction_data: { type: 'workflow', input: 'test input', satisfaction_score: 4.5 },
      },
    });
    expect(learnSeed.statusCode).toBe(200);
    expect(learnSeed.json()).toMatchObject({ learned: true, doctor_id: doctor, quality_interaction: false });
  });
});

describe('training datasets', () => {
  it('builds a PHI-free chat JSONL dataset with a train/eval split and a content hash; the download is audited', async () => {
    const doctor = providers[3]!;
    const samples = writingSamples('structured_headings', 30, 5);
    samples.push(
      'Summary:\n- Pt John Smith, SSN 123-45-6789, called about the prior authorization.\nPlan:\n- Call back at 617-555-0142.',
    );
    for (const content of samples) {
      const r = await ctx.app.inject({
        method: 'POST',
        url: `/v1/personalization/doctors/${doctor}/samples`,
        headers: { authorization: admin },
        payload: { content, type: 'visit_summary' },
      });
      expect(r.statusCode).toBe(201);
    }
    await learn(
      interaction(doctor, { input: 'Draft the note for Robert Johnson at 12 Elm Street, Boston MA 02118.' }),
    );

    const created = await ctx.app.inject({
      method: 'POST',
      url: `/v1/learning/doctors/${doctor}/datasets`,
      headers: { authorization: admin },
    });
    expect(created.statusCode).toBe(201);
    const dataset = created.json();
    expect(dataset).toMatchObject({
      doctorId: doctor,
      format: 'chat-jsonl',
      sources: { samples: 31, interactions: 1 },
    });
    expect(dataset.trainCount + dataset.evalCount).toBe(32);
    expect(dataset.evalCount).toBeGreaterThanOrEqual(3);
    expect(dataset.contentHash).toMatch(/^[0-9a-f]{64}$/);

    const texts: string[] = [];
    for (const split of ['train', 'eval']) {
      const download = await ctx.app.inject({
        method: 'GET',
        url: `/v1/learning/datasets/${dataset.id}/download?split=${split}`,
        headers: { authorization: admin },
      });
      expect(download.statusCode).toBe(200);
      expect(download.headers['content-type']).toContain('application/x-ndjson');
      expect(download.headers['x-content-sha256']).toBe(dataset.contentHash);
      const lines = download.body.trim().split('\n');
      expect(lines).toHaveLength(split === 'train' ? dataset.trainCount : dataset.evalCount);
      for (const line of lines) {
        const record = JSON.parse(line);
        expect(record.messages.map((m: { role: string }) => m.role)).toEqual(['system', 'user', 'assistant']);
        for (const m of record.messages) texts.push(m.content);
      }
    }
    expect(texts.filter((t) => containsPhi(t))).toEqual([]);
    const all = texts.join('\n');
    for (const identifier of [
      'John Smith',
      '123-45-6789',
      '617-555-0142',
      'Robert Johnson',
      '12 Elm Street',
    ]) {
      expect(all).not.toContain(identifier);
    }
    const audit = await ctx.platform.db
      .selectFrom('audit_events')
      .select('action')
      .where('resource_id', '=', dataset.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'learning.dataset.create',
      'learning.dataset.export',
      'learning.dataset.export',
    ]);
    const physician = await ctx.bearer('physician');
    const denied = await ctx.app.inject({
      method: 'GET',
      url: `/v1/learning/datasets/${dataset.id}/download`,
      headers: { authorization: physician },
    });
    expect(denied.statusCode).toBe(403);
  });

  it('refuses a dataset with too few examples', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: `/v1/learning/doctors/${providers[1]!}/datasets`,
      headers: { authorization: admin },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('/doctorId');
  });
});

describe('LoRA training jobs', () => {
  it('runs the trainer, streams its metrics into the job, stores the adapter and registers a validated version', async () => {
    const doctor = providers[3]!;
    const queued = await ctx.app.inject({
      method: 'POST',
      url: '/v1/learning/training-jobs',
      headers: { authorization: admin },
      payload: {
        doctorId: doctor,
        config: { r: 8, alpha: 16, steps: 40, evalEvery: 10, targetModules: ['q_proj', 'v_proj'] },
      },
    });
    expect(queued.statusCode).toBe(202);
    expect(queued.json()).toMatchObject({
      status: 'queued',
      trigger: 'manual',
      baseModel: 'meta-llama/Llama-3.2-1B-Instruct',
      config: { r: 8, alpha: 16, dropout: 0.05, steps: 40, learningRate: 0.0002 },
    });

    const job = await ctx.services.learning.runTrainingJob(queued.json().id);
    expect(job.status).toBe('succeeded');
    const read = await ctx.app.inject({
      method: 'GET',
      url: `/v1/learning/training-jobs/${job.id}`,
      headers: { authorization: admin },
    });
    const body = read.json();
    expect(body.steps).toHaveLength(40);
    expect(body.steps[0].loss).toBeGreaterThan(body.steps[39].loss);
    expect(body.steps.filter((s: { evalLoss?: number }) => s.evalLoss !== undefined)).toHaveLength(4);
    expect(body.evalLoss).toBeCloseTo(body.steps[39].loss + 0.08, 3);
    expect(body.samples).toBeGreaterThan(20);
    expect(body.datasetId).toBeTruthy();
    expect(body.adapterPath).toBe(join(ctx.config.dataDir, 'adapters', doctor, 'v1'));
    expect(existsSync(join(body.adapterPath, 'adapter_model.safetensors'))).toBe(true);
    expect(JSON.parse(readFileSync(join(body.adapterPath, 'adapter_config.json'), 'utf8'))).toMatchObject({
      r: 8,
      lora_alpha: 16,
      target_modules: ['q_proj', 'v_proj'],
    });

    const version = await ctx.app.inject({
      method: 'GET',
      url: `/v1/mlops/models/${body.modelVersionId}`,
      headers: { authorization: admin },
    });
    const dataset = await ctx.platform.db
      .selectFrom('training_datasets')
      .select('content_hash')
      .where('id', '=', body.datasetId)
      .executeTakeFirstOrThrow();
    expect(version.json()).toMatchObject({
      kind: 'lora_adapter',
      name: `doctor-${doctor}`,
      version: 1,
      subjectId: doctor,
      trainingDataHash: dataset.content_hash,
      trainingJobId: job.id,
      validationStatus: 'validated',
      status: 'candidate',
    });
    expect(
      version.json().gateResults.map((g: { gate: string; passed: boolean }) => [g.gate, g.passed]),
    ).toEqual([
      ['no_regression', true],
      ['phi_leak', true],
      ['style_match', true],
    ]);
  });

  it('records a failing trainer as a failed job with its error', async () => {
    process.env.FAKE_TRAINER_MODE = 'fail';
    const queued = await ctx.app.inject({
      method: 'POST',
      url: '/v1/learning/training-jobs',
      headers: { authorization: admin },
      payload: { doctorId: providers[3]!, config: { steps: 20 } },
    });
    const job = await ctx.services.learning.runTrainingJob(queued.json().id);
    expect(job.status).toBe('failed');
    expect(job.error).toMatch(/code 1.*CUDA out of memory/);
    expect(job.steps).toHaveLength(5);
  });

  it('names invalid training settings', async () => {
    const response = await ctx.app.inject({
      method: 'POST',
      url: '/v1/learning/training-jobs',
      headers: { authorization: admin },
      payload: { doctorId: providers[3]!, config: { r: 0, dropout: 0.9, targetModules: ['q proj'] } },
    });
    expect(response.statusCode).toBe(400);
    expect(
      response
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['/config/dropout', '/config/r', '/config/targetModules']);
  });
});
