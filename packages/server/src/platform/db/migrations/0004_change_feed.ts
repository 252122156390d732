import { type Kysely, sql } from 'kysely';

/**
 * Change notifications for tables that processes cache: after a row of patients or coverages changes, the patient's
 * id goes out on the `intelluxe_changes` channel (delivered at commit, once per distinct payload per transaction),
 * so every process can drop its cached copy whoever wrote the row — another process, a job, a psql session.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION intelluxe_notify_patient_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_TABLE_NAME = 'patients' THEN
        PERFORM pg_notify('intelluxe_changes', 'patient:' || COALESCE(NEW.id, OLD.id)::text);
      ELSE
        IF TG_OP <> 'INSERT' THEN
          PERFORM pg_notify('intelluxe_changes', 'patient:' || OLD.patient_id::text);
        END IF;
        IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.patient_id IS DISTINCT FROM OLD.patient_id) THEN
          PERFORM pg_notify('intelluxe_changes', 'patient:' || NEW.patient_id::text);
        END IF;
      END IF;
      RETURN NULL;
    END $$;
    CREATE TRIGGER patients_notify_change AFTER UPDATE OR DELETE ON patients
      FOR EACH ROW EXECUTE FUNCTION intelluxe_notify_patient_change();
    CREATE TRIGGER coverages_notify_change AFTER INSERT OR UPDATE OR DELETE ON coverages
      FOR EACH ROW EXECUTE FUNCTION intelluxe_notify_patient_change();
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    DROP TRIGGER coverages_notify_change ON coverages;
    DROP TRIGGER patients_notify_change ON patients;
    DROP FUNCTION intelluxe_notify_patient_change();
  `.execute(db);
}
