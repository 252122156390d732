/**
 * The embedded database has one owner. PGlite keeps its own buffers and write-ahead log for a data directory, so a
 * second process opening the same directory (a CLI command while `intelluxe serve` runs, a second server) would
 * write over the first one's files. The owner holds `<dir>.lock` (its process id); another opener is refused with
 * a message that names the owner. A lock left by a process that is gone is taken over.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
}

/** Directories this process holds: a second open in the same process would be a second writer too. */
const held = new Set<string>();

/** Takes the lock of an embedded data directory; returns its release. An in-memory database needs none. */
export function lockDataDirectory(dataDir: string): () => void {
  if (dataDir.startsWith('memory://')) return () => {};
  const dir = resolve(dataDir);
  const lockFile = `${dir}.lock`;
  if (held.has(dir))
    throw new DatabaseInUseError(`the embedded database in ${dir} is already open in this process`);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(lockFile, `${process.pid}\n`, { flag: 'wx' });
      held.add(dir);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        held.delete(dir);
        rmSync(lockFile, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = ownerOf(lockFile);
    if (owner !== undefined && owner !== process.pid && alive(owner)) {
      throw new DatabaseInUseError(
        `the embedded database in ${dir} is in use by process ${owner}: only one process may open it. Stop that ` +
          `process first (or go through its API), or run on PostgreSQL (DATABASE_URL) to share a database. If no ` +
          `Intelluxe process runs, delete ${lockFile}.`,
      );
    }
    // Left by a process that is gone (or unreadable): move it aside atomically, so that of two processes taking
    // over at once only one succeeds, then try again.
    try {
      renameSync(lockFile, `${lockFile}.stale-${process.pid}`);
      rmSync(`${lockFile}.stale-${process.pid}`, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  throw new DatabaseInUseError(`the embedded database in ${dir} is being opened by another process`);
}

function ownerOf(lockFile: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockFile, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
