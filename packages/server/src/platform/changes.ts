/**
 * Keeping in-process caches coherent with the database. Triggers on cached tables send `<kind>:<id>` on the
 * `intelluxe_changes` channel when a row changes (migration 0004); every process listens (`ChangeFeed`) and a
 * `CoherentCache` drops the entries named. A cache serves entries only while the feed is live: when the listening
 * connection drops, every cache is emptied and bypassed until it is back, so a missed notification never leaves a
 * stale entry behind.
 */
import { LRUCache } from 'lru-cache';
import type { DatabaseHandle } from './db/index.ts';

export const CHANGES_CHANNEL = 'intelluxe_changes';

interface Subscriber {
  onChange(id: string): void;
  onReset(): void;
}

export class ChangeFeed {
  #live = false;
  #stop: (() => Promise<void>) | null = null;
  readonly #subscribers = new Map<string, Set<Subscriber>>();

  /** Starts listening; the feed is live once the database has confirmed the LISTEN. */
  static async open(database: DatabaseHandle): Promise<ChangeFeed> {
    const feed = new ChangeFeed();
    feed.#stop = await database.listen(
      CHANGES_CHANNEL,
      (payload) => feed.#dispatch(payload),
      (live) => feed.#setLive(live),
    );
    return feed;
  }

  /** A feed that is never live: caches over it always read through (tools that write without listening). */
  static offline(): ChangeFeed {
    return new ChangeFeed();
  }

  get live(): boolean {
    return this.#live;
  }

  /** Calls `onChange(id)` for every change of `kind`, and `onReset()` whenever changes may have been missed. */
  subscribe(kind: string, subscriber: Subscriber): () => void {
    let set = this.#subscribers.get(kind);
    if (!set) {
      set = new Set();
      this.#subscribers.set(kind, set);
    }
    set.add(subscriber);
    return () => set.delete(subscriber);
  }

  async close(): Promise<void> {
    this.#setLive(false);
    const stop = this.#stop;
    this.#stop = null;
    await stop?.();
  }

  #dispatch(payload: string): void {
    const colon = payload.indexOf(':');
    if (colon < 0) return;
    const id = payload.slice(colon + 1);
    for (const s of this.#subscribers.get(payload.slice(0, colon)) ?? []) s.onChange(id);
  }

  #setLive(live: boolean): void {
    // Both edges reset: going down, entries may miss later changes; coming back, changes may have been missed.
    for (const set of this.#subscribers.values()) for (const s of set) s.onReset();
    this.#live = live;
  }
}

/**
 * A read-through cache of `kind` entries by id, emptied of an id when the feed reports a change to it (or when this
 * process calls `invalidate` after its own write, so it reads its writes at once). A value read while any
 * invalidation happened is returned but not kept: it may predate the change.
 */
export class CoherentCache<V> {
  readonly #feed: ChangeFeed;
  readonly #entries: LRUCache<string, V & {}>;
  #generation = 0;

  constructor(feed: ChangeFeed, kind: string, options: { max: number; ttlMs: number }) {
    this.#feed = feed;
    this.#entries = new LRUCache<string, V & {}>({ max: options.max, ttl: options.ttlMs });
    feed.subscribe(kind, {
      onChange: (id) => this.invalidate(id),
      onReset: () => this.clear(),
    });
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value, or `fetch`'s (kept when nothing changed meanwhile). Misses are not cached. */
  async load(id: string, fetch: (id: string) => Promise<V | undefined>): Promise<V | undefined> {
    if (this.#feed.live) {
      const hit = this.#entries.get(id);
      if (hit !== undefined) return hit;
    }
    const generation = this.#generation;
    const value = await fetch(id);
    if (value !== undefined && value !== null && this.#feed.live && generation === this.#generation) {
      this.#entries.set(id, value);
    }
    return value;
  }

  invalidate(id: string): void {
    this.#generation += 1;
    this.#entries.delete(id);
  }

  clear(): void {
    this.#generation += 1;
    this.#entries.clear();
  }
}
