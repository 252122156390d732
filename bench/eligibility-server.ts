/**
 * The server side of `npm run bench:eligibility`, run as a child process so the load generator does not share its
 * event loop: the full Intelluxe app (authenticated, audited eligibility checks through the sandbox clearinghouse)
 * on one port and a bare Fastify route answering the same JSON on another. Prints one JSON line when ready.
 */
import Fastify from 'fastify';
import { buildApp } from '../packages/server/src/app.ts';
import { seedDemo } from '../packages/server/src/modules/demo/seed.ts';
import { loadConfig } from '../packages/server/src/platform/config.ts';
import { startPlatform, stopPlatform } from '../packages/server/src/platform/platform.ts';
import { platformQueues } from '../packages/server/src/queues.ts';
import { createServices } from '../packages/server/src/services.ts';

const config = loadConfig({
  ...process.env,
  LOG_LEVEL: 'warn',
  INTELLUXE_ENV: 'development',
  INTELLUXE_AUTO_SEED_DEMO: 'false',
});
const platform = await startPlatform(config, { queues: platformQueues, work: false });
const services = createServices(platform);
await seedDemo(platform, { patients: 200 });
const { app } = await buildApp(platform, services);
await app.listen({ host: '127.0.0.1', port: 0 });

const login = await app.inject({
  method: 'POST',
  url: '/v1/auth/login',
  payload: { email: 'frontdesk@demo.intelluxe.local', password: config.demoPassword },
});
const token = login.json().accessToken as string;
const list = await app.inject({
  method: 'GET',
  url: '/v1/patients?limit=200',
  headers: { authorization: `Bearer ${token}` },
});
const patientIds = (list.json().items as Array<{ id: string }>).map((p) => p.id);
// Warm the 30-minute cache: one live check per patient, the same question the cached run asks.
let sample: unknown = null;
for (const patientId of patientIds) {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/eligibility/checks',
    headers: { authorization: `Bearer ${token}` },
    payload: { patientId },
  });
  if (res.statusCode !== 201) throw new Error(`warm-up check failed: ${res.statusCode} ${res.body}`);
  sample ??= res.json();
}

const bare = Fastify();
bare.post('/bare', async () => sample);
await bare.listen({ host: '127.0.0.1', port: 0 });

const port = (server: typeof bare) => (server.server.address() as { port: number }).port;
process.stdout.write(
  `${JSON.stringify({ appPort: port(app as unknown as typeof bare), barePort: port(bare), token, patientIds })}\n`,
);

process.stdin.resume();
process.stdin.on('end', async () => {
  await app.close();
  await bare.close();
  await stopPlatform(platform);
  process.exit(0);
});
