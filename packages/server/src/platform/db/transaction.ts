import type { Db, Tx } from './index.ts';

/** Runs `fn` in one transaction: everything it writes commits together or not at all. */
export function withTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction().execute(fn);
}
