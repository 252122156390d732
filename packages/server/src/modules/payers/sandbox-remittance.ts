/**
 * The sandbox payer's back office: claims it accepted are adjudicated against the member's plan and
 * accumulators and the payer's fee schedule, the accumulators are updated, and an 835 paying them waits for
 * pick-up (the gateway's `remittances()`), as a real payer's ERA would a few days later.
 */
import { createHash } from 'node:crypto';
import { build835, type Remittance, type Claim as X12Claim } from '@intelluxe/x12';
import type { Db } from '../../platform/db/index.ts';
import { allowedFrom, readFeeTables } from '../contracts/service.ts';
import { adjudicateClaim } from './adjudication.ts';
import type { PlanDefinition } from './plans.ts';

export interface AdjudicableClaim {
  claim: X12Claim;
  member: { id: string; plan: PlanDefinition; deductibleMet: number; oopMet: number };
  payerClaimNumber: string;
}

/** Adjudicates accepted claims and queues one 835 paying them. */
export async function adjudicateAndQueue(
  db: Db,
  payer: { id: string; name: string; x12Id: string },
  items: AdjudicableClaim[],
  date: string,
): Promise<void> {
  if (items.length === 0) return;
  // The payer prices with the same contract the practice holds (and Medicare's schedule for percent-of rules).
  const fees = await readFeeTables(db, [payer.id, 'medicare']);
  const inNetwork = fees.rows.some((r) => r.payerId === payer.id) || fees.rules.length > 0;
  const accumulators = new Map<string, { deductibleMetCents: number; oopMetCents: number }>();
  const payments: Remittance['claims'] = [];
  for (const item of items) {
    const previous = await db
      .selectFrom('sandbox_claims')
      .select('id')
      .where('payer_id', '=', payer.id)
      .where('patient_control_number', '=', item.claim.patientControlNumber)
      .where('status', '=', 'adjudicated')
      .executeTakeFirst();
    const acc = accumulators.get(item.member.id) ?? {
      deductibleMetCents: item.member.deductibleMet,
      oopMetCents: item.member.oopMet,
    };
    const result = adjudicateClaim({
      claim: item.claim,
      plan: item.member.plan,
      accumulators: acc,
      allowed: ({ code, modifiers, placeOfService, date: serviceDate }) =>
        allowedFrom(fees.rows, fees.rules, {
          payerId: payer.id,
          code,
          modifiers,
          placeOfService,
          date: serviceDate,
        })?.allowedCents ?? null,
      receivedDate: date,
      payerClaimNumber: item.payerClaimNumber,
      alreadyPaid: new Set(
        previous ? item.claim.lines.map((l) => `${l.procedure?.code}|${l.serviceDate?.start ?? date}`) : [],
      ),
      inNetwork,
    });
    accumulators.set(item.member.id, result.accumulators);
    payments.push(result.payment);
  }
  const paid = payments.reduce((s, p) => s + p.paidCents, 0);
  const first = items[0]!.claim;
  const trace = `${date.replaceAll('-', '')}${createHash('sha256')
    .update(items.map((i) => i.payerClaimNumber).join('|'))
    .digest('hex')
    .slice(0, 8)
    .toUpperCase()}`;
  const remittance: Remittance = {
    payment: {
      handlingCode: paid > 0 ? 'I' : 'H',
      amountCents: paid,
      creditDebit: 'C',
      method: paid > 0 ? 'ACH' : 'NON',
      date,
    },
    trace: { type: '1', number: trace, originatorId: `1${payer.x12Id.padStart(9, '0')}` },
    productionDate: date,
    payer: { name: payer.name.toUpperCase(), idQualifier: 'XV', id: payer.x12Id, contacts: [] },
    payee: {
      name: first.billingProvider.name,
      idQualifier: 'XX',
      id: first.billingProvider.id,
      references: [],
    },
    claims: payments,
    providerAdjustments: [],
  };
  const x12 = build835(remittance, {
    senderId: payer.x12Id,
    receiverId: first.billingProvider.id ?? 'PROVIDER',
    interchangeControlNumber: Number.parseInt(trace.slice(-6), 16) % 999_999_999 || 1,
  });
  await db.transaction().execute(async (tx) => {
    for (const [memberId, acc] of accumulators) {
      await tx
        .updateTable('sandbox_members')
        .set({
          deductible_met_cents: acc.deductibleMetCents,
          oop_met_cents: acc.oopMetCents,
          updated_at: new Date(),
        })
        .where('id', '=', memberId)
        .execute();
    }
    await tx
      .updateTable('sandbox_claims')
      .set({ status: 'adjudicated' })
      .where(
        'payer_claim_number',
        'in',
        items.map((i) => i.payerClaimNumber),
      )
      .execute();
    await tx.insertInto('sandbox_remittances').values({ payer_id: payer.id, x12 }).execute();
  });
}
