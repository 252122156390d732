import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { writingSamples } from './fixtures/doctor-styles.ts';
import { startTestContext, type TestContext } from './harness.ts';

const FAKE_TRAINER = fileURLToPath(new URL('./fixtures/fake-trainer.mjs', import.meta.url));

let ctx: TestContext;

beforeAll(async () => {
  ctx = await startTestContext({
    seedPatients: 0,
    work: true,
    env: { LORA_TRAINER_COMMAND: `${process.execPath} ${FAKE_TRAINER}` },
  });
}, 60_000);

afterAll(async () => {
  await ctx?.close();
});

it('runs a queued training job on the pg-boss worker, end to end', async () => {
  const admin = await ctx.bearer('admin');
  const doctor = (await ctx.services.patients.listProviders(ctx.seed!.practiceId))[0]!.id;
  for (const content of writingSamples('casual_brief', 12, 3)) {
    const r = await ctx.app.inject({
      method: 'POST',
      url: `/v1/personalization/doctors/${doctor}/samples`,
      headers: { authorization: admin },
      payload: { content, type: 'patient_message' },
    });
    expect(r.statusCode).toBe(201);
  }
  const queued = await ctx.app.inject({
    method: 'POST',
    url: '/v1/learning/training-jobs',
    headers: { authorization: admin },
    payload: { doctorId: doctor, config: { steps: 12, evalEvery: 6 } },
  });
  expect(queued.statusCode).toBe(202);
  let job = queued.json();
  const deadline = Date.now() + 40_000;
  while (!['succeeded', 'failed'].includes(job.status) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 250));
    job = (
      await ctx.app.inject({
        method: 'GET',
        url: `/v1/learning/training-jobs/${job.id}`,
        headers: { authorization: admin },
      })
    ).json();
  }
  expect(job).toMatchObject({ status: 'succeeded', samples: expect.any(Number) });
  expect(job.steps).toHaveLength(12);
  expect(job.modelVersionId).toBeTruthy();
  const list = await ctx.app.inject({
    method: 'GET',
    url: `/v1/learning/training-jobs?doctorId=${doctor}`,
    headers: { authorization: admin },
  });
  expect(list.json().map((j: { id: string }) => j.id)).toEqual([job.id]);
}, 60_000);
