/** Thin Kysely queries over the claims tables. */
import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db, Tx } from '../../platform/db/index.ts';
import type { ChargeMasterTable, ClaimEventsTable, ClaimLinesTable, ClaimsTable } from './tables.ts';

type Q = Db | Tx;
export type ClaimRow = Selectable<ClaimsTable>;
export type ClaimLineRow = Selectable<ClaimLinesTable>;

export async function nextPatientControlNumber(q: Q): Promise<string> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('claim_pcn_seq') AS n`.execute(q);
  return `C${rows[0]!.n}`;
}

export async function nextInterchangeNumber(q: Q): Promise<number> {
  const { rows } = await sql<{ n: number }>`SELECT nextval('claim_interchange_seq') AS n`.execute(q);
  return rows[0]!.n;
}

export function chargeMaster(q: Q, practiceId: string) {
  return q
    .selectFrom('charge_master')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .orderBy('code')
    .orderBy('modifier')
    .execute();
}

export function upsertCharge(q: Q, row: Insertable<ChargeMasterTable>) {
  return q
    .insertInto('charge_master')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['practice_id', 'code', 'modifier']).doUpdateSet({
        description: row.description,
        charge_cents: row.charge_cents,
        active: row.active ?? true,
        updated_at: new Date(),
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function chargesFor(q: Q, practiceId: string, codes: string[]) {
  if (codes.length === 0) return [];
  return q
    .selectFrom('charge_master')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('code', 'in', codes)
    .where('active', '=', true)
    .execute();
}

export function insertClaim(q: Q, row: Insertable<ClaimsTable>) {
  return q.insertInto('claims').values(row).returningAll().executeTakeFirstOrThrow();
}

export function insertLines(q: Q, rows: Insertable<ClaimLinesTable>[]) {
  return q.insertInto('claim_lines').values(rows).execute();
}

export function findClaim(q: Q, practiceId: string, id: string) {
  return q
    .selectFrom('claims')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function findClaimForUpdate(q: Tx, practiceId: string, id: string) {
  return q
    .selectFrom('claims')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

export function findClaimByPcn(q: Q, practiceId: string, pcn: string) {
  return q
    .selectFrom('claims')
    .selectAll()
    .where('practice_id', '=', practiceId)
    .where('patient_control_number', '=', pcn)
    .executeTakeFirst();
}

export function findClaimByEncounter(q: Q, encounterId: string) {
  return q
    .selectFrom('claims')
    .select(['id', 'patient_control_number'])
    .where('encounter_id', '=', encounterId)
    .where('frequency_code', '=', '1')
    .executeTakeFirst();
}

export function linesOf(q: Q, claimIds: string[]) {
  if (claimIds.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('claim_lines')
    .selectAll()
    .where(sql<boolean>`claim_id = ANY(${claimIds}::uuid[])`)
    .orderBy('claim_id')
    .orderBy('line_number')
    .execute();
}

export function updateClaim(q: Q, id: string, set: Updateable<ClaimsTable>) {
  return q
    .updateTable('claims')
    .set({ ...set, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertEvent(q: Q, row: Insertable<ClaimEventsTable>) {
  return q.insertInto('claim_events').values(row).execute();
}

export function eventsOf(q: Q, claimId: string) {
  return q.selectFrom('claim_events').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();
}

export function insertDocument(q: Q, claimId: string, kind: string, x12Enc: string) {
  return q.insertInto('claim_documents').values({ claim_id: claimId, kind, x12_enc: x12Enc }).execute();
}

export function documentsOf(q: Q, claimId: string) {
  return q.selectFrom('claim_documents').selectAll().where('claim_id', '=', claimId).orderBy('id').execute();
}

/** Other live claims of the patient with the same payer and date of service (duplicate candidates). */
export function sameDayClaims(q: Q, claim: ClaimRow) {
  return q
    .selectFrom('claims')
    .select(['id', 'patient_control_number'])
    .where('practice_id', '=', claim.practice_id)
    .where('patient_id', '=', claim.patient_id)
    .where('payer_id', '=', claim.payer_id)
    .where('service_date_from', '=', claim.service_date_from)
    .where('id', '!=', claim.id)
    .where('status', 'not in', ['rejected', 'closed'])
    .where('frequency_code', '=', '1')
    .execute();
}

export interface ClaimFilter {
  status?: string;
  patientId?: string;
  payerId?: string;
  afterPcn?: string | null;
  limit: number;
}

export function searchClaims(q: Q, practiceId: string, f: ClaimFilter) {
  let query = q.selectFrom('claims').selectAll().where('practice_id', '=', practiceId);
  if (f.status) query = query.where('status', '=', f.status);
  if (f.patientId) query = query.where('patient_id', '=', f.patientId);
  if (f.payerId) query = query.where('payer_id', '=', f.payerId);
  if (f.afterPcn) query = query.where('patient_control_number', '<', f.afterPcn);
  return query
    .orderBy('patient_control_number', 'desc')
    .limit(f.limit + 1)
    .execute();
}

/** Claims by patient control number, for matching an 835's CLP01s (chunked to keep statements small). */
/** What matching an 835 needs of a claim. */
export type PostingClaim = Pick<
  ClaimRow,
  'id' | 'patient_control_number' | 'status' | 'payer_id' | 'place_of_service'
>;

export async function claimsByControlNumbers(
  q: Q,
  practiceId: string,
  pcns: string[],
): Promise<Map<string, PostingClaim>> {
  const found = new Map<string, PostingClaim>();
  const unique = [...new Set(pcns)];
  // One array parameter instead of one bind parameter per number: the plan stays small however long the 835 is.
  for (let i = 0; i < unique.length; i += 50_000) {
    const rows = await q
      .selectFrom('claims')
      .select(['id', 'patient_control_number', 'status', 'payer_id', 'place_of_service'])
      .where('practice_id', '=', practiceId)
      .where(sql<boolean>`patient_control_number = ANY(${unique.slice(i, i + 50_000)}::text[])`)
      .execute();
    for (const row of rows) found.set(row.patient_control_number, row);
  }
  return found;
}

export interface ClaimPostingUpdate {
  id: string;
  status: string;
  paidCents: number;
  patientResponsibilityCents: number;
  adjustmentCents: number;
  payerClaimNumber: string | null;
}

/**
 * Adds posted amounts, sets the status of many claims and writes their state events, in one statement per
 * 50,000 claims. Both sets travel column-wise as typed arrays (unnest), which Postgres reads faster than a jsonb
 * record set.
 */
export async function applyPostings(
  q: Tx,
  updates: ClaimPostingUpdate[],
  events: Array<{
    claim_id: string;
    from_status: string;
    to_status: string;
    actor_id: string | null;
    reason: string;
    details: string;
  }>,
): Promise<void> {
  const CHUNK = 50_000;
  for (let i = 0; i < updates.length; i += CHUNK) {
    const chunk = updates.slice(i, i + CHUNK);
    const ids = new Set(chunk.map((u) => u.id));
    const chunkEvents = events.filter((e) => ids.has(e.claim_id));
    const column = <T, K extends keyof T>(rows: T[], key: K) => rows.map((r) => r[key]);
    await sql`
      WITH moved AS (
        UPDATE claims AS c SET
          status = u.status,
          paid_cents = c.paid_cents + u.paid,
          patient_responsibility_cents = c.patient_responsibility_cents + u.resp,
          adjustment_cents = c.adjustment_cents + u.adj,
          payer_claim_number = coalesce(u.pcn, c.payer_claim_number),
          updated_at = now()
        FROM unnest(${column(chunk, 'id')}::uuid[], ${column(chunk, 'status')}::text[],
          ${column(chunk, 'paidCents')}::bigint[], ${column(chunk, 'patientResponsibilityCents')}::bigint[],
          ${column(chunk, 'adjustmentCents')}::bigint[], ${column(chunk, 'payerClaimNumber')}::text[])
          AS u(id, status, paid, resp, adj, pcn)
        WHERE c.id = u.id
        RETURNING 1
      )
      INSERT INTO claim_events (claim_id, from_status, to_status, actor_id, reason, details, occurred_at)
      SELECT e.claim_id, e.from_status, e.to_status, e.actor_id, e.reason, e.details::jsonb, now()
      FROM unnest(${column(chunkEvents, 'claim_id')}::uuid[], ${column(chunkEvents, 'from_status')}::text[],
        ${column(chunkEvents, 'to_status')}::text[], ${column(chunkEvents, 'actor_id')}::text[],
        ${column(chunkEvents, 'reason')}::text[], ${column(chunkEvents, 'details')}::text[])
        AS e(claim_id, from_status, to_status, actor_id, reason, details)
    `.execute(q);
  }
}

/**
 * The lines remittance matching and contract pricing need, by the claims' patient control numbers (so the query
 * can run beside the claim lookup), unordered: callers group.
 */
export function postingLinesByControlNumbers(q: Q, practiceId: string, pcns: string[]) {
  if (pcns.length === 0) return Promise.resolve([]);
  return q
    .selectFrom('claim_lines')
    .innerJoin('claims', 'claims.id', 'claim_lines.claim_id')
    .select([
      'claim_lines.claim_id',
      'claim_lines.line_number',
      'claim_lines.procedure_code',
      'claim_lines.line_control_number',
      'claim_lines.modifiers',
      'claim_lines.units',
      'claim_lines.service_date',
    ])
    .where('claims.practice_id', '=', practiceId)
    .where(sql<boolean>`claims.patient_control_number = ANY(${[...new Set(pcns)]}::text[])`)
    .execute();
}
