import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { QueueDefinition } from '../src/platform/jobs.ts';
import { createTestDatabase, startTestContext } from './harness.ts';

async function until(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('jobs', () => {
  it('runs a job queued before a restart once the platform is back', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ix-jobs-'));
    const database = await createTestDatabase();
    const handled: Array<{ claimId: string }> = [];
    const queue = (): QueueDefinition<never>[] => [
      {
        name: 'test-claim-batch',
        pollingIntervalSeconds: 0.5,
        async handle(data: { claimId: string }) {
          handled.push(data);
        },
      } as QueueDefinition<never>,
    ];
    try {
      const first = await startTestContext({ dataDir, database, queues: queue, work: false });
      const id = await first.platform.jobs.send('test-claim-batch', { claimId: 'CLM-1001' });
      expect(id).toBeTruthy();
      await first.close();
      expect(handled).toEqual([]);

      const second = await startTestContext({ dataDir, database, queues: queue, work: true });
      await until(() => handled.length === 1);
      expect(handled).toEqual([{ claimId: 'CLM-1001' }]);
      await second.close();
    } finally {
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('retries a failing job, and enqueues with the caller’s transaction', async () => {
    let attempts = 0;
    const seen: string[] = [];
    const t = await startTestContext({
      work: true,
      queues: () => [
        {
          name: 'test-flaky',
          pollingIntervalSeconds: 0.5,
          retry: { limit: 2, delaySeconds: 1, backoff: false },
          async handle(data: { label: string }) {
            attempts += 1;
            if (attempts < 2) throw new Error('payer timed out');
            seen.push(data.label);
          },
        } as QueueDefinition<never>,
      ],
    });
    try {
      await t.platform.jobs.send('test-flaky', { label: 'first' });
      await until(() => seen.includes('first'));
      expect(attempts).toBe(2);
      await t.platform.db
        .transaction()
        .execute(async (tx) => {
          await t.platform.jobs.send('test-flaky', { label: 'rolled-back' }, { tx });
          throw new Error('abort');
        })
        .catch(() => {});
      await t.platform.db.transaction().execute(async (tx) => {
        await t.platform.jobs.send('test-flaky', { label: 'committed' }, { tx });
      });
      await until(() => seen.includes('committed'));
      await new Promise((r) => setTimeout(r, 1500));
      expect(seen).toEqual(['first', 'committed']);
    } finally {
      await t.close();
    }
  });
});
