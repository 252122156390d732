import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { type Cache, createCache, getJson, setJson } from './cache.ts';

const kinds: Array<[string, string | undefined]> = [['memory', undefined]];
if (process.env.REDIS_URL) kinds.push(['redis', process.env.REDIS_URL]);

describe.each(kinds)('%s cache', (_kind, url) => {
  const cache: Cache = createCache(url, `ixtest:${randomUUID()}:`);
  afterAll(() => cache.close());
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('stores values with a TTL, and JSON through the helpers', async () => {
    await cache.set('a', 'one', 1);
    expect(await cache.get('a')).toBe('one');
    await setJson(cache, 'j', { n: 1, s: 'x' }, 60);
    expect(await getJson(cache, 'j')).toEqual({ n: 1, s: 'x' });
    await cache.del('j');
    expect(await cache.get('j')).toBeNull();
    await sleep(1100);
    expect(await cache.get('a')).toBeNull();
  });

  it('counts within a window for rate limits', async () => {
    expect(await cache.increment('hits', 1)).toBe(1);
    expect(await cache.increment('hits', 1)).toBe(2);
    expect(await cache.increment('hits', 1)).toBe(3);
    await sleep(1100);
    expect(await cache.increment('hits', 1)).toBe(1);
  });

  it('gives a lock to one holder at a time, released only by its token', async () => {
    const token = await cache.acquireLock('job', 5_000);
    expect(token).toBeTruthy();
    expect(await cache.acquireLock('job', 5_000)).toBeNull();
    await cache.releaseLock('job', 'someone-else');
    expect(await cache.acquireLock('job', 5_000)).toBeNull();
    await cache.releaseLock('job', token!);
    expect(await cache.acquireLock('job', 5_000)).toBeTruthy();
  });
});
