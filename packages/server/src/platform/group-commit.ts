/**
 * Group commit: many callers' writes leave as one batch. A batch leaves after the current turn of the event loop,
 * so everything that arrived with its first item joins it; while a batch commits, the next accumulates. One batch is in flight at a time (for the audit log, two in flight measured slower:
 * smaller batches, and lock waits on the chain head). A batch that fails is retried item by item, so one bad item
 * fails alone instead of failing everyone it shared a batch with.
 */
export interface GroupCommitOptions {
  maxBatch: number;
  /** Called after every write, retries of single items included. */
  onBatch?(size: number, seconds: number, ok: boolean): void;
}

interface Pending<T, R> {
  item: T;
  resolve(result: R): void;
  reject(error: unknown): void;
}

export class GroupCommit<T, R> {
  readonly #write: (items: T[]) => Promise<R[]>;
  readonly #options: GroupCommitOptions;
  #queue: Array<Pending<T, R>> = [];
  #busy = false;
  #settled: Array<() => void> = [];

  /** `write` commits the items in one go and returns one result per item, in order. */
  constructor(write: (items: T[]) => Promise<R[]>, options: GroupCommitOptions) {
    this.#write = write;
    this.#options = options;
  }

  /** Resolves once the item is committed. */
  add(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#busy) {
        this.#busy = true;
        void this.#drain();
      }
    });
  }

  /** Waits until every item added so far is committed (or failed). */
  async flush(): Promise<void> {
    while (this.#busy) await new Promise<void>((resolve) => this.#settled.push(resolve));
  }

  async #drain(): Promise<void> {
    do {
      // A turn of the event loop first: what arrives meanwhile (new requests, callers resuming) joins the batch.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      if (!(await this.#commit(batch)) && batch.length > 1) {
        for (const p of batch) await this.#commit([p]);
      }
    } while (this.#queue.length > 0);
    this.#busy = false;
    for (const settled of this.#settled.splice(0)) settled();
  }

  /** Commits one batch; settles its callers unless it failed with more than one of them in it. */
  async #commit(batch: Array<Pending<T, R>>): Promise<boolean> {
    const started = performance.now();
    try {
      const results = await this.#write(batch.map((p) => p.item));
      this.#options.onBatch?.(batch.length, (performance.now() - started) / 1000, true);
      for (const [i, p] of batch.entries()) p.resolve(results[i]!);
      return true;
    } catch (error) {
      this.#options.onBatch?.(batch.length, (performance.now() - started) / 1000, false);
      if (batch.length === 1) batch[0]!.reject(error);
      return false;
    }
  }
}
