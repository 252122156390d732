/**
 * The server side of `npm run bench:eligibility`, run as a child process so the load generator does not share its
 * event loop: the full Intelluxe app (authenticated, audited eligibility checks through the sandbox clearinghouse)
 * on one port and a bare Fastify route answering the same JSON on another. Prints one JSON line when ready.
 */
import { startBenchApps } from './lib/server.ts';

const apps = await startBenchApps();
const app = apps.app;
const token = await apps.login('frontdesk');
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

apps.bare.post('/bare', async () => sample);
await apps.ready({ token, patientIds });
