/**
 * The server side of `npm run bench:api`, run as a child process so the load generator does not share its
 * event loop: the full Intelluxe app (audited PHI reads) and a bare Fastify route returning the same JSON.
 */
import { startBenchApps } from './lib/server.ts';

const apps = await startBenchApps();
const token = await apps.login('physician');
const list = await apps.app.inject({
  method: 'GET',
  url: '/v1/patients?limit=200',
  headers: { authorization: `Bearer ${token}` },
});
const patients = list.json().items as Array<{ id: string }>;
const fixed = patients[0];
apps.bare.get('/bare/:id', async () => fixed);
await apps.ready({ token, patientIds: patients.map((p) => p.id) });
