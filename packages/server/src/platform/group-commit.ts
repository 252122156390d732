/**
 * Group commit: many callers' writes leave as one batch. A batch leaves after the current turn of the event loop,
 * so everything that arrived with its first item joins it; while a batch commits, the next accumulates, and it
 * leaves as soon as the one before is committed, before that one's callers resume: the callers' continuations
 * (answering their requests) run while the database works on the next batch instead of between two commits. One
 * batch is in flight at a time (for the audit log, two in flight measured slower: smaller batches, and lock waits
 * on the chain head). A batch that fails is retried item by item, so one bad item fails alone instead of failing
 * everyone it shared a batch with.
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

type Outcome<R> = { ok: true; results: R[] } | { ok: false; error: unknown };

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
    let batch: Array<Pending<T, R>> = [];
    let writing: Promise<Outcome<R>> | null = null;
    for (;;) {
      if (!writing) {
        // A turn of the event loop first: what arrives meanwhile (new requests, callers resuming) joins the batch.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.#queue.length === 0) break;
        batch = this.#queue.splice(0, this.#options.maxBatch);
        writing = this.#attempt(batch);
      }
      const outcome = await writing;
      writing = null;
      if (!outcome.ok) {
        // One by one, nothing else in flight: each item fails or commits on its own.
        if (batch.length === 1) batch[0]!.reject(outcome.error);
        else for (const p of batch) this.#settle([p], await this.#attempt([p]));
        continue;
      }
      // The next batch leaves before this one's callers resume.
      const next = this.#queue.length > 0 ? this.#queue.splice(0, this.#options.maxBatch) : null;
      if (next) writing = this.#attempt(next);
      this.#settle(batch, outcome);
      if (next) batch = next;
    }
    this.#busy = false;
    for (const settled of this.#settled.splice(0)) settled();
  }

  /** Writes one batch; never throws. */
  async #attempt(batch: Array<Pending<T, R>>): Promise<Outcome<R>> {
    const started = performance.now();
    try {
      const results = await this.#write(batch.map((p) => p.item));
      this.#options.onBatch?.(batch.length, (performance.now() - started) / 1000, true);
      return { ok: true, results };
    } catch (error) {
      this.#options.onBatch?.(batch.length, (performance.now() - started) / 1000, false);
      return { ok: false, error };
    }
  }

  #settle(batch: Array<Pending<T, R>>, outcome: Outcome<R>): void {
    if (outcome.ok) for (const [i, p] of batch.entries()) p.resolve(outcome.results[i]!);
    else for (const p of batch) p.reject(outcome.error);
  }
}
