import { openDatabase, pgliteDirectory } from '../../platform/db/index.ts';
import { migrateToLatest } from '../../platform/db/migrate.ts';
import type { CliIo } from '../io.ts';
import { configOrExit } from './shared.ts';

export async function run(_args: string[], io: CliIo): Promise<number> {
  const config = configOrExit(io);
  if (!config) return 2;
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    pgliteDataDir: pgliteDirectory(config.dataDir),
    poolMax: 2,
  });
  try {
    const { applied } = await migrateToLatest(database.db);
    io.out(
      applied.length
        ? `applied ${applied.length} migration(s): ${applied.join(', ')}`
        : 'database is up to date',
    );
    return 0;
  } finally {
    await database.close();
  }
}
