/**
 * Coalesces concurrent single-key reads into few multi-key queries. While `maxInFlight` queries are running, new
 * keys wait and leave together in the next one, so under load one round trip serves many requests and at rest a
 * read goes out at once (the same idea as the audit log's group commit). No caching: every load reads the database.
 */
export class KeyedBatcher<K, V> {
  readonly #fetch: (keys: K[]) => Promise<Map<K, V>>;
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #queue: Array<{ key: K; resolve: (value: V | undefined) => void; reject: (error: unknown) => void }> = [];
  #inFlight = 0;

  constructor(
    fetch: (keys: K[]) => Promise<Map<K, V>>,
    options: { maxInFlight?: number; maxBatch?: number } = {},
  ) {
    this.#fetch = fetch;
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  load(key: K): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ key, resolve, reject });
      if (this.#inFlight < this.#maxInFlight) void this.#dispatch();
    });
  }

  async #dispatch(): Promise<void> {
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (batch.length === 0) return;
    this.#inFlight += 1;
    try {
      const found = await this.#fetch([...new Set(batch.map((b) => b.key))]);
      for (const b of batch) b.resolve(found.get(b.key));
    } catch (error) {
      for (const b of batch) b.reject(error);
    } finally {
      this.#inFlight -= 1;
      if (this.#queue.length > 0) void this.#dispatch();
    }
  }
}
