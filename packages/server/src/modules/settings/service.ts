/** Practice settings (key → JSON value). Every change is a configuration-change audit event. */
import { sql } from 'kysely';
import { invalidField, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditActor } from '../auth/service.ts';

export interface Setting {
  key: string;
  value: unknown;
  updatedBy: string | null;
  updatedAt: string;
}

const KEY = /^[a-z][a-z0-9_.-]{1,99}$/;

export class SettingsService {
  readonly #p: Platform;

  constructor(platform: Platform) {
    this.#p = platform;
  }

  #scope(practiceId: string | null | undefined) {
    return practiceId ? `practice:${practiceId}` : 'global';
  }

  async list(practiceId: string | null): Promise<Setting[]> {
    const rows = await this.#p.db
      .selectFrom('settings')
      .selectAll()
      .where('scope', '=', this.#scope(practiceId))
      .orderBy('key')
      .execute();
    return rows.map((r) => ({
      key: r.key,
      value: r.value,
      updatedBy: r.updated_by,
      updatedAt: r.updated_at.toISOString(),
    }));
  }

  async get(practiceId: string | null, key: string): Promise<Setting> {
    const row = await this.#p.db
      .selectFrom('settings')
      .selectAll()
      .where('scope', '=', this.#scope(practiceId))
      .where('key', '=', key)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('setting', key, '/key');
    return {
      key: row.key,
      value: row.value,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at.toISOString(),
    };
  }

  async put(key: string, value: unknown, actor: AuditActor): Promise<Setting> {
    if (!KEY.test(key))
      throw invalidField('/key', 'must be 2-100 characters of a-z, 0-9, _ . -, starting with a letter');
    const json = JSON.stringify(value);
    if (json.length > 64_000) throw invalidField('/value', 'is larger than 64 kB');
    const scope = this.#scope(actor.practiceId);
    const previous = await this.#p.db
      .selectFrom('settings')
      .select('value')
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirst();
    const row = await this.#p.db
      .insertInto('settings')
      .values({ scope, key, value: json, updated_by: actor.actorId ?? null, updated_at: new Date() })
      .onConflict((oc) =>
        oc
          .columns(['scope', 'key'])
          .doUpdateSet({ value: json, updated_by: actor.actorId ?? null, updated_at: sql`now()` }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    await this.#p.audit.record({
      ...actor,
      action: 'config.change',
      outcome: 'success',
      resourceType: 'setting',
      resourceId: key,
      details: { key, previous: previous?.value ?? null, value },
    });
    return {
      key: row.key,
      value: row.value,
      updatedBy: row.updated_by,
      updatedAt: row.updated_at.toISOString(),
    };
  }
}
