/**
 * One cache interface over Redis (REDIS_URL) or an in-process LRU: values with a TTL, counters for rate
 * limits, and locks. Values are strings; `getJson`/`setJson` wrap JSON.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';

export interface Cache {
  readonly kind: 'redis' | 'memory';
  get(key: string): Promise<string | null>;
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Increments a counter that expires `windowSeconds` after its first increment; returns the new count. */
  increment(key: string, windowSeconds: number): Promise<number>;
  /** Takes a lock for `ttlMs`; returns a token to release it with, or null when someone else holds it. */
  acquireLock(key: string, ttlMs: number): Promise<string | null>;
  releaseLock(key: string, token: string): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export async function getJson<T>(cache: Cache, key: string): Promise<T | null> {
  const raw = await cache.get(key);
  return raw === null ? null : (JSON.parse(raw) as T);
}

export function setJson(cache: Cache, key: string, value: unknown, ttlSeconds: number): Promise<void> {
  return cache.set(key, JSON.stringify(value), ttlSeconds);
}

/** Namespaces keys so several deployments (or test files) can share one Redis. */
export function createCache(redisUrl: string | undefined, namespace = 'ix:'): Cache {
  return redisUrl ? new RedisCache(redisUrl, namespace) : new MemoryCache();
}

const RELEASE_SCRIPT = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;

class RedisCache implements Cache {
  readonly kind = 'redis';
  readonly #redis: Redis;
  readonly #ns: string;

  constructor(url: string, namespace: string) {
    this.#redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    this.#redis.on('error', () => {
      // Connection errors surface on the commands that fail and in the health check.
    });
    this.#ns = namespace;
  }

  get(key: string) {
    return this.#redis.get(this.#ns + key);
  }

  async set(key: string, value: string, ttlSeconds: number) {
    await this.#redis.set(this.#ns + key, value, 'EX', Math.max(1, Math.ceil(ttlSeconds)));
  }

  async del(key: string) {
    await this.#redis.del(this.#ns + key);
  }

  async increment(key: string, windowSeconds: number) {
    const k = this.#ns + key;
    const [[, count]] = (await this.#redis.multi().incr(k).expire(k, windowSeconds, 'NX').exec()) as [
      [null, number],
    ];
    return count;
  }

  async acquireLock(key: string, ttlMs: number) {
    const token = randomUUID();
    const ok = await this.#redis.set(`${this.#ns}lock:${key}`, token, 'PX', ttlMs, 'NX');
    return ok === 'OK' ? token : null;
  }

  async releaseLock(key: string, token: string) {
    await this.#redis.eval(RELEASE_SCRIPT, 1, `${this.#ns}lock:${key}`, token);
  }

  async ping() {
    await this.#redis.ping();
  }

  async close() {
    await this.#redis.quit().catch(() => this.#redis.disconnect());
  }
}

interface Entry {
  value: string;
  expiresAt: number;
}

class MemoryCache implements Cache {
  readonly kind = 'memory';
  readonly #lru = new LRUCache<string, Entry>({ max: 50_000 });

  #live(key: string): Entry | undefined {
    const entry = this.#lru.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      this.#lru.delete(key);
      return undefined;
    }
    return entry;
  }

  async get(key: string) {
    return this.#live(key)?.value ?? null;
  }

  async set(key: string, value: string, ttlSeconds: number) {
    this.#lru.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  async del(key: string) {
    this.#lru.delete(key);
  }

  async increment(key: string, windowSeconds: number) {
    const entry = this.#live(key);
    if (!entry) {
      this.#lru.set(key, { value: '1', expiresAt: Date.now() + windowSeconds * 1000 });
      return 1;
    }
    const next = Number(entry.value) + 1;
    entry.value = String(next);
    return next;
  }

  async acquireLock(key: string, ttlMs: number) {
    const k = `lock:${key}`;
    if (this.#live(k)) return null;
    const token = randomUUID();
    this.#lru.set(k, { value: token, expiresAt: Date.now() + ttlMs });
    return token;
  }

  async releaseLock(key: string, token: string) {
    const k = `lock:${key}`;
    if (this.#live(k)?.value === token) this.#lru.delete(k);
  }

  async ping() {}

  async close() {
    this.#lru.clear();
  }
}
