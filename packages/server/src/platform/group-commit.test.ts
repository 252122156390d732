import { describe, expect, it } from 'vitest';
import { GroupCommit } from './group-commit.ts';

describe('GroupCommit', () => {
  it('commits items that arrive together as one batch, later ones in the next', async () => {
    const batches: number[][] = [];
    const group = new GroupCommit<number, string>(
      async (items) => {
        batches.push(items);
        return items.map((n) => `ok ${n}`);
      },
      { maxBatch: 100 },
    );
    const first = [1, 2, 3].map((n) => group.add(n));
    expect(await Promise.all(first)).toEqual(['ok 1', 'ok 2', 'ok 3']);
    expect(await group.add(4)).toBe('ok 4');
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('retries a failed batch item by item: the bad item fails alone', async () => {
    const seen: Array<{ size: number; ok: boolean }> = [];
    const group = new GroupCommit<number, number>(
      async (items) => {
        if (items.includes(13)) throw new Error('refused');
        return items;
      },
      { maxBatch: 100, onBatch: (size, _seconds, ok) => seen.push({ size, ok }) },
    );
    const results = await Promise.allSettled([12, 13, 14].map((n) => group.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(seen).toEqual([
      { size: 3, ok: false },
      { size: 1, ok: true },
      { size: 1, ok: false },
      { size: 1, ok: true },
    ]);
    await group.flush();
  });
});

describe('GroupCommit pipelining', () => {
  it('sends the next batch before the callers of the committed one resume, one batch in flight at a time', async () => {
    const log: string[] = [];
    let inFlight = 0;
    const later: Array<Promise<void>> = [];
    const add = (n: number) =>
      group.add(n).then(() => {
        log.push(`resumed ${n}`);
      });
    const group: GroupCommit<number, number> = new GroupCommit<number, number>(
      async (items) => {
        inFlight += 1;
        log.push(`write ${items.join(',')} (in flight ${inFlight})`);
        // Items that arrive while the first batch commits.
        if (items[0] === 1) later.push(add(3), add(4));
        await new Promise((resolve) => setTimeout(resolve, 5));
        inFlight -= 1;
        return items;
      },
      { maxBatch: 100 },
    );
    await Promise.all([add(1), add(2)]);
    await Promise.all(later);
    expect(log).toEqual([
      'write 1,2 (in flight 1)',
      'write 3,4 (in flight 1)',
      'resumed 1',
      'resumed 2',
      'resumed 3',
      'resumed 4',
    ]);
    await group.flush();
  });

  it('a failed batch is retried item by item before the next batch leaves', async () => {
    const log: string[] = [];
    const later: Array<Promise<number>> = [];
    const group: GroupCommit<number, number> = new GroupCommit<number, number>(
      async (items) => {
        log.push(`write ${items.join(',')}`);
        if (items[0] === 1 && items.length > 1) later.push(group.add(9));
        await new Promise((resolve) => setTimeout(resolve, 1));
        if (items.includes(2)) throw new Error('refused');
        return items;
      },
      { maxBatch: 100 },
    );
    const results = await Promise.allSettled([1, 2, 3].map((n) => group.add(n)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await Promise.all(later)).toEqual([9]);
    expect(log).toEqual(['write 1,2,3', 'write 1', 'write 2', 'write 3', 'write 9']);
  });
});
