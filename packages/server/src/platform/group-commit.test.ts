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
