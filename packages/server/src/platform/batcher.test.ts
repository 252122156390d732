import { describe, expect, it } from 'vitest';
import { KeyedBatcher } from './batcher.ts';

describe('KeyedBatcher', () => {
  it('sends a lone read at once and coalesces the reads that arrive while queries are in flight', async () => {
    const calls: string[][] = [];
    const batcher = new KeyedBatcher<string, string>(
      async (keys) => {
        calls.push(keys);
        await new Promise((r) => setTimeout(r, 10));
        return new Map(keys.filter((k) => k !== 'missing').map((k) => [k, k.toUpperCase()]));
      },
      { maxInFlight: 1 },
    );
    expect(await batcher.load('a')).toBe('A');
    expect(calls).toEqual([['a']]);
    const results = await Promise.all(['b', 'c', 'd', 'c', 'missing'].map((k) => batcher.load(k)));
    expect(results).toEqual(['B', 'C', 'D', 'C', undefined]);
    expect(calls).toEqual([['a'], ['b'], ['c', 'd', 'missing']]);
  });

  it('rejects every read of a failed query and recovers for the next', async () => {
    let fail = true;
    const batcher = new KeyedBatcher<number, number>(async (keys) => {
      if (fail) throw new Error('connection lost');
      return new Map(keys.map((k) => [k, k * 2]));
    });
    await expect(batcher.load(1)).rejects.toThrow('connection lost');
    fail = false;
    expect(await batcher.load(2)).toBe(4);
  });
});
