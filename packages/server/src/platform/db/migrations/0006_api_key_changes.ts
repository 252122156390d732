import { type Kysely, sql } from 'kysely';

/**
 * Change notifications for API keys, which every process caches by prefix: a revocation, a new expiry, role or
 * practice (or a deleted row) sends `api_key:<prefix>` on the `intelluxe_changes` channel, so a key revoked in one
 * process (or by `intelluxe apikey revoke`, or in psql) stops working in all of them at commit. The `last_used_at`
 * stamp written on every cache fill does not notify: it would empty the entry it was written for.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION intelluxe_notify_api_key_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_notify('intelluxe_changes', 'api_key:' || OLD.prefix);
      RETURN NULL;
    END $$;
    CREATE TRIGGER api_keys_notify_change AFTER UPDATE ON api_keys FOR EACH ROW
      WHEN (OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
        OR OLD.role IS DISTINCT FROM NEW.role OR OLD.practice_id IS DISTINCT FROM NEW.practice_id
        OR OLD.secret_hash IS DISTINCT FROM NEW.secret_hash OR OLD.prefix IS DISTINCT FROM NEW.prefix)
      EXECUTE FUNCTION intelluxe_notify_api_key_change();
    CREATE TRIGGER api_keys_notify_delete AFTER DELETE ON api_keys FOR EACH ROW
      EXECUTE FUNCTION intelluxe_notify_api_key_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER api_keys_notify_delete ON api_keys;
    DROP TRIGGER api_keys_notify_change ON api_keys;
    DROP FUNCTION intelluxe_notify_api_key_change();
  `.execute(db);
}
