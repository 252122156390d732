/** Thin Kysely queries over the patients module's tables; no rules, no crypto. */

import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import { jsonArrayFrom } from 'kysely/helpers/postgres';
import type { DatabaseHandle, Db, Tx } from '../../platform/db/index.ts';
import { afterStartsAt, type KeysetPosition, microsKey } from '../../platform/db/keyset.ts';
import type {
  AppointmentsTable,
  CoveragesTable,
  EncountersTable,
  PatientsTable,
  ProvidersTable,
} from '../../platform/db/schema.ts';

export type PatientRow = Selectable<PatientsTable>;
export type CoverageRow = Selectable<CoveragesTable> & { payer_name: string };
export type ProviderRow = Selectable<ProvidersTable>;
export type EncounterRow = Selectable<EncountersTable>;
export type AppointmentRow = Selectable<AppointmentsTable>;

type Q = Db | Tx;

export async function nextMrn(q: Q): Promise<string> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('patient_mrn_seq') AS n`.execute(q);
  return `MRN${rows[0]!.n}`;
}

export function insertPatient(q: Q, row: Insertable<PatientsTable>) {
  return q.insertInto('patients').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findPatient(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('patients')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Patients and their coverages in one round trip, as a prepared statement (the hot path of audited reads: the
 * service coalesces concurrent reads into one call).
 */
export async function findPatientsWithCoverages(database: DatabaseHandle, practiceId: string, ids: string[]) {
  const query = database.db
    .selectFrom('patients')
    .selectAll('patients')
    .select((eb) =>
      jsonArrayFrom(
        eb
          .selectFrom('coverages')
          .innerJoin('payers', 'payers.id', 'coverages.payer_id')
          .selectAll('coverages')
          .select('payers.name as payer_name')
          .whereRef('coverages.patient_id', '=', 'patients.id')
          .orderBy('coverages.priority')
          .orderBy('coverages.effective_date', 'desc'),
      ).as('coverages'),
    )
    .where('patients.practice_id', '=', practiceId)
    .where(sql<boolean>`patients.id = ANY(${ids}::uuid[])`)
    .compile();
  return (await database.prepared('patients_with_coverages', query)) as unknown as Array<
    PatientRow & { coverages: CoverageRow[] }
  >;
}

export function updatePatient(q: Q, practiceId: string, id: string, set: Updateable<PatientsTable>) {
  return q
    .updateTable('patients')
    .set({ ...set, updated_at: new Date() })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export interface PatientFilter {
  lastNameBidx?: string;
  firstNameBidx?: string;
  dobBidx?: string;
  ssnBidx?: string;
  phoneBidx?: string;
  mrn?: string;
  memberIdBidx?: string;
  includeInactive?: boolean;
  /** Keyset: the MRN of the last row of the previous page (MRNs are unique per practice). */
  afterMrn?: string | null;
  limit: number;
}

export function searchPatients(q: Q, practiceId: string, f: PatientFilter) {
  let query = q.selectFrom('patients').selectAll('patients').where('patients.practice_id', '=', practiceId);
  if (f.lastNameBidx) query = query.where('last_name_bidx', '=', f.lastNameBidx);
  if (f.firstNameBidx) query = query.where('first_name_bidx', '=', f.firstNameBidx);
  if (f.dobBidx) query = query.where('dob_bidx', '=', f.dobBidx);
  if (f.ssnBidx) query = query.where('ssn_bidx', '=', f.ssnBidx);
  if (f.phoneBidx) query = query.where('phone_bidx', '=', f.phoneBidx);
  if (f.mrn) query = query.where('mrn', '=', f.mrn);
  if (f.memberIdBidx) {
    const memberId = f.memberIdBidx;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('coverages')
          .select(sql`1`.as('one'))
          .whereRef('coverages.patient_id', '=', 'patients.id')
          .where('coverages.member_id_bidx', '=', memberId),
      ),
    );
  }
  if (!f.includeInactive) query = query.where('patients.active', '=', true);
  if (f.afterMrn) query = query.where('patients.mrn', '>', f.afterMrn);
  return query
    .orderBy('patients.mrn')
    .limit(f.limit + 1)
    .execute();
}

export function coveragesOf(q: Q, patientIds: string[]): Promise<CoverageRow[]> {
  if (patientIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('coverages')
    .innerJoin('payers', 'payers.id', 'coverages.payer_id')
    .selectAll('coverages')
    .select('payers.name as payer_name')
    .where('coverages.patient_id', 'in', patientIds)
    .orderBy('coverages.priority')
    .orderBy('coverages.effective_date', 'desc')
    .execute();
}

export function findCoverage(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('coverages')
    .innerJoin('patients', 'patients.id', 'coverages.patient_id')
    .innerJoin('payers', 'payers.id', 'coverages.payer_id')
    .selectAll('coverages')
    .select('payers.name as payer_name')
    .where('patients.practice_id', '=', practiceId)
    .where('coverages.id', '=', id)
    .executeTakeFirst();
}

export function insertCoverages(q: Q, rows: Insertable<CoveragesTable>[]) {
  return q.insertInto('coverages').values(rows).returning('id').execute();
}

export function updateCoverage(q: Q, id: string, set: Updateable<CoveragesTable>) {
  return q
    .updateTable('coverages')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .execute();
}

export function deleteCoverage(q: Q, id: string) {
  return q.deleteFrom('coverages').where('id', '=', id).execute();
}

export async function existingPayers(q: Q, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await q
    .selectFrom('payers')
    .select('id')
    .where('id', 'in', ids)
    .where('active', '=', true)
    .execute();
  return new Set(rows.map((r) => r.id));
}

export function listPayers(q: Q) {
  return q.selectFrom('payers').selectAll().where('active', '=', true).orderBy('name').execute();
}

export function insertProvider(q: Q, row: Insertable<ProvidersTable>) {
  return q.insertInto('providers').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findProvider(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('providers')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findProviderByNpi(q: Q, practiceId: string, npi: string) {
  return q
    .selectFrom('providers')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('npi', '=', npi)
    .executeTakeFirst();
}

export function listProviders(q: Q, practiceId: string, includeInactive: boolean) {
  let query = q.selectFrom('providers').selectAll().where('practice_id', '=', practiceId);
  if (!includeInactive) query = query.where('active', '=', true);
  return query.orderBy('last_name').orderBy('first_name').execute();
}

export function updateProvider(q: Q, practiceId: string, id: string, set: Updateable<ProvidersTable>) {
  return q
    .updateTable('providers')
    .set({ ...set, updated_at: new Date() })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function clearDefaultRendering(q: Q, practiceId: string) {
  return q
    .updateTable('providers')
    .set({ is_default_rendering: false })
    .where('practice_id', '=', practiceId)
    .execute();
}

export function insertEncounter(q: Q, row: Insertable<EncountersTable>) {
  return q.insertInto('encounters').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findEncounter(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('encounters')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateEncounter(q: Q, practiceId: string, id: string, set: Updateable<EncountersTable>) {
  return q
    .updateTable('encounters')
    .set({ ...set, updated_at: new Date() })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export interface RangeFilter {
  patientId?: string;
  providerId?: string;
  status?: string;
  after?: KeysetPosition | null;
  limit: number;
}

export function searchEncounters(q: Q, practiceId: string, f: RangeFilter & { from?: string; to?: string }) {
  let query = q.selectFrom('encounters').selectAll().where('practice_id', '=', practiceId);
  if (f.patientId) query = query.where('patient_id', '=', f.patientId);
  if (f.providerId) query = query.where('provider_id', '=', f.providerId);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.from) query = query.where('date_of_service', '>=', f.from);
  if (f.to) query = query.where('date_of_service', '<=', f.to);
  if (f.after) {
    const after = f.after;
    // The first condition repeats what the OR implies so the date index can seek to the cursor (the two keys sort
    // in opposite directions, which rules out one row comparison).
    query = query
      .where('date_of_service', '<=', after.key)
      .where((eb) =>
        eb.or([
          eb('date_of_service', '<', after.key),
          eb.and([eb('date_of_service', '=', after.key), eb('id', '>', after.id)]),
        ]),
      );
  }
  return query
    .orderBy('date_of_service', 'desc')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export function insertAppointment(q: Q, row: Insertable<AppointmentsTable>) {
  return q.insertInto('appointments').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findAppointment(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('appointments')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateAppointment(q: Q, practiceId: string, id: string, set: Updateable<AppointmentsTable>) {
  return q
    .updateTable('appointments')
    .set({ ...set, updated_at: new Date() })
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export function searchAppointments(
  q: Q,
  practiceId: string,
  f: RangeFilter & { from?: string; to?: string },
) {
  let query = q
    .selectFrom('appointments')
    .selectAll()
    .select(microsKey('starts_at').as('cursor_at'))
    .where('practice_id', '=', practiceId);
  if (f.patientId) query = query.where('patient_id', '=', f.patientId);
  if (f.providerId) query = query.where('provider_id', '=', f.providerId);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.from) query = query.where('starts_at', '>=', new Date(f.from));
  if (f.to) query = query.where('starts_at', '<', new Date(f.to));
  if (f.after) query = query.where(afterStartsAt(f.after));
  return query
    .orderBy('starts_at')
    .orderBy('id')
    .limit(f.limit + 1)
    .execute();
}

export function findPractice(q: Q, practiceId: string) {
  return q.selectFrom('practices').selectAll().where('id', '=', practiceId).executeTakeFirst();
}
