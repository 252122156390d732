/**
 * bench:personalization — does personalized output read like the doctor who is supposed to have written it?
 *
 * Four doctors with distinct writing styles each submit 50 writing samples through the API (the style profile is
 * learned from them). A style classifier (nearest centroid over standardized stylometric features) is trained on
 * 30 further, held-out samples of each doctor. Then, for 25 new visits, the classifier attributes
 *   - the personalized output (POST /v1/personalization/generate, deterministic path: no model configured), and
 *   - the unpersonalized output (the same renderer with default preferences and no profile)
 * to a doctor. Attribution accuracy of the personalized outputs against the baseline's, measured in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../packages/server/src/app.ts';
import { DEMO_EMAIL_DOMAIN, seedDemo } from '../packages/server/src/modules/demo/seed.ts';
import { PersonalizationService } from '../packages/server/src/modules/personalization/service.ts';
import {
  extractFeatures,
  STYLE_FEATURES,
  styleMatch,
} from '../packages/server/src/modules/personalization/style.ts';
import { loadConfig } from '../packages/server/src/platform/config.ts';
import { startPlatform, stopPlatform } from '../packages/server/src/platform/platform.ts';
import { platformQueues } from '../packages/server/src/queues.ts';
import { createServices } from '../packages/server/src/services.ts';
import {
  DOCTOR_STYLES,
  type DoctorStyle,
  generationContext,
  rng,
  visitContent,
  writingSamples,
} from '../packages/server/test/fixtures/doctor-styles.ts';

const SAMPLES = 50;
const HELD_OUT = 30;
const VISITS = 25;
const SECTIONS = ['subjective', 'objective', 'assessment', 'plan', 'summary', 'follow-up', 'billing'];

/** The stylometric vector of a text: the style features plus section and heading indicators. */
function vector(text: string): number[] {
  const f = extractFeatures(text);
  return [
    ...STYLE_FEATURES.map((k) => f[k]),
    f.abbreviatedHeadings ? 1 : 0,
    ...SECTIONS.map((s) => (f.sections.includes(s) ? 1 : 0)),
  ];
}

class NearestCentroid {
  #mean: number[] = [];
  #sd: number[] = [];
  #centroids = new Map<string, number[]>();

  fit(examples: Array<{ label: string; x: number[] }>): this {
    const dims = examples[0]!.x.length;
    for (let d = 0; d < dims; d++) {
      const values = examples.map((e) => e.x[d]!);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) || 1;
      this.#mean[d] = mean;
      this.#sd[d] = sd;
    }
    const groups = new Map<string, number[][]>();
    for (const e of examples) groups.set(e.label, [...(groups.get(e.label) ?? []), this.#z(e.x)]);
    for (const [label, xs] of groups) {
      this.#centroids.set(
        label,
        xs[0]!.map((_, d) => xs.reduce((a, x) => a + x[d]!, 0) / xs.length),
      );
    }
    return this;
  }

  #z(x: number[]): number[] {
    return x.map((v, d) => (v - this.#mean[d]!) / this.#sd[d]!);
  }

  predict(x: number[]): string {
    const z = this.#z(x);
    let best = '';
    let bestDistance = Number.POSITIVE_INFINITY;
    for (const [label, c] of this.#centroids) {
      const distance = c.reduce((a, v, d) => a + (v - z[d]!) ** 2, 0);
      if (distance < bestDistance) {
        bestDistance = distance;
        best = label;
      }
    }
    return best;
  }
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ix-bench-personalization-'));
  const config = loadConfig({
    INTELLUXE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATA_DIR: dataDir,
    INTELLUXE_MASTER_KEY: Buffer.alloc(32, 9).toString('base64'),
    INTELLUXE_DEMO_PASSWORD: 'intelluxe-bench',
    JOBS_ENABLED: 'false',
  });
  const platform = await startPlatform(config, {
    pgliteDataDir: 'memory://',
    queues: platformQueues,
    work: false,
  });
  try {
    const services = createServices(platform);
    const seed = await seedDemo(platform, { patients: 0, months: 1 });
    const { app } = await buildApp(platform, services);
    const login = await app.inject({
      method: 'POST',
      url: '/v1/auth/login',
      payload: { email: `admin@${DEMO_EMAIL_DOMAIN}`, password: 'intelluxe-bench' },
    });
    if (login.statusCode !== 200) throw new Error(`login failed: ${login.body}`);
    const authorization = `Bearer ${login.json().accessToken}`;
    const providers = (await services.patients.listProviders(seed.practiceId)).filter(
      (p) => p.kind === 'individual',
    );
    if (providers.length < DOCTOR_STYLES.length)
      throw new Error('the demo practice needs four individual providers');
    const doctors = DOCTOR_STYLES.map((style, i) => ({ style, id: providers[i]!.id }));

    // 1. Each doctor's writing samples build their style profile (through the API).
    const started = performance.now();
    const training: Array<{ label: string; x: number[] }> = [];
    for (const [i, doctor] of doctors.entries()) {
      const texts = writingSamples(doctor.style, SAMPLES + HELD_OUT, 1000 + i);
      for (const content of texts.slice(0, SAMPLES)) {
        const r = await app.inject({
          method: 'POST',
          url: `/v1/personalization/doctors/${doctor.id}/samples`,
          headers: { authorization },
          payload: { content, type: 'visit_summary' },
        });
        if (r.statusCode !== 201) throw new Error(`sample refused: ${r.body}`);
      }
      for (const text of texts.slice(SAMPLES)) training.push({ label: doctor.style, x: vector(text) });
    }
    const ingestSeconds = (performance.now() - started) / 1000;

    // 2. The attribution classifier, trained on the held-out samples only.
    const classifier = new NearestCentroid().fit(training);
    let sanityCorrect = 0;
    let sanityTotal = 0;
    for (const [i, doctor] of doctors.entries()) {
      for (const text of writingSamples(doctor.style, 20, 5000 + i)) {
        sanityTotal++;
        if (classifier.predict(vector(text)) === doctor.style) sanityCorrect++;
      }
    }

    // 3. Personalized vs unpersonalized outputs for new visits.
    const rand = rng(777);
    const visits = Array.from({ length: VISITS }, () => generationContext(visitContent(rand)));
    const rows: Array<{
      style: DoctorStyle;
      personalized: number;
      base: number;
      matchPersonalized: number;
      matchBase: number;
    }> = [];
    const latencies: number[] = [];
    let personalizedCorrect = 0;
    let baseCorrect = 0;
    for (const doctor of doctors) {
      const profile = (await services.personalization.profileOf(doctor.id)).profile;
      let p = 0;
      let b = 0;
      let mp = 0;
      let mb = 0;
      for (const context of visits) {
        const t = performance.now();
        const r = await app.inject({
          method: 'POST',
          url: '/v1/personalization/generate',
          headers: { authorization },
          payload: { doctorId: doctor.id, task: 'visit_summary', context },
        });
        latencies.push(performance.now() - t);
        if (r.statusCode !== 200) throw new Error(`generate failed: ${r.body}`);
        const personalized = r.json().content as string;
        const base = PersonalizationService.renderBase('visit_summary', context);
        if (classifier.predict(vector(personalized)) === doctor.style) p++;
        if (classifier.predict(vector(base)) === doctor.style) b++;
        mp += styleMatch(profile, personalized);
        mb += styleMatch(profile, base);
      }
      personalizedCorrect += p;
      baseCorrect += b;
      rows.push({
        style: doctor.style,
        personalized: p / VISITS,
        base: b / VISITS,
        matchPersonalized: mp / VISITS,
        matchBase: mb / VISITS,
      });
    }
    const total = VISITS * doctors.length;
    const personalizedAttribution = personalizedCorrect / total;
    const baseAttribution = baseCorrect / total;
    latencies.sort((a, b) => a - b);

    console.log('bench:personalization — style attribution of generated text');
    console.log(
      `${doctors.length} doctors × ${SAMPLES} samples ingested through the API in ${ingestSeconds.toFixed(1)} s; ` +
        `classifier trained on ${HELD_OUT} held-out samples per doctor (accuracy on fresh samples ${pct(sanityCorrect / sanityTotal)})`,
    );
    console.log('');
    console.log('doctor style           personalized  unpersonalized  style match (personalized / base)');
    for (const r of rows) {
      console.log(
        `${r.style.padEnd(22)} ${pct(r.personalized).padStart(12)}  ${pct(r.base).padStart(14)}  ${r.matchPersonalized.toFixed(3)} / ${r.matchBase.toFixed(3)}`,
      );
    }
    console.log('');
    console.log(
      `attribution: personalized ${pct(personalizedAttribution)} vs unpersonalized ${pct(baseAttribution)} ` +
        `(chance ${pct(1 / doctors.length)}); ratio ${(personalizedAttribution / Math.max(baseAttribution, 1e-9)).toFixed(2)}×`,
    );
    console.log(
      `generate latency (deterministic path, through HTTP): p50 ${latencies[Math.floor(latencies.length / 2)]!.toFixed(2)} ms, ` +
        `p95 ${latencies[Math.floor(latencies.length * 0.95)]!.toFixed(2)} ms`,
    );
    console.log(
      `RESULT personalized_attribution=${personalizedAttribution.toFixed(3)} base_attribution=${baseAttribution.toFixed(3)}`,
    );
    await app.close();
  } finally {
    await stopPlatform(platform);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
