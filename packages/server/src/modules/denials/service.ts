/**
 * Denials and appeals: the work queue grouped by category (from CARC/RARC) with a suggested fix, appeal letters
 * drafted from the claim, the 835 and the practice, exports as DOCX, PDF or a ZIP with both and the X12, and
 * appeal tracking against deadlines.
 */
import { carc, DENIAL_CATEGORIES } from '@intelluxe/codes';
import JSZip from 'jszip';
import { sql } from 'kysely';
import { addDays } from '../../platform/dates.ts';
import type { Tx } from '../../platform/db/index.ts';
import { ConflictError, NotFoundError } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { ClaimsService } from '../claims/service.ts';
import type { AccessContext, PatientsService } from '../patients/service.ts';
import {
  type AppealFacts,
  type AppealLetter,
  buildAppealLetter,
  letterDocx,
  letterPdf,
  letterText,
} from './letter.ts';

export interface DenialToOpen {
  claimId: string;
  remittanceClaimId: number;
  lineNumber: number | null;
  category: string;
  groupCode: string;
  reasonCode: string;
  remarkCodes: string[];
  amountCents: number;
  suggestedFix: string;
}

export interface DenialView {
  id: string;
  claimId: string;
  lineNumber: number | null;
  category: string;
  groupCode: string;
  reasonCode: string;
  reasonDescription: string;
  remarkCodes: string[];
  amountCents: number;
  suggestedFix: string;
  status: string;
  appealDeadline: string | null;
  createdAt: string;
}

export interface AppealView {
  id: string;
  denialId: string;
  claimId: string;
  status: string;
  deadline: string;
  letter: AppealLetter;
  text: string;
  submittedAt: string | null;
  outcome: string | null;
  createdAt: string;
}

/** Days a payer allows for a first-level appeal (Medicare redetermination: 120 days). */
const APPEAL_WINDOW_DAYS: Record<string, number> = { medicare: 120 };
const DEFAULT_APPEAL_WINDOW = 180;
const APPEAL_STATUSES: Record<string, string[]> = {
  draft: ['submitted', 'withdrawn'],
  submitted: ['won', 'lost', 'withdrawn'],
  won: [],
  lost: [],
  withdrawn: [],
};

export class DenialsService {
  readonly #p: Platform;
  readonly #claims: ClaimsService;
  readonly #patients: PatientsService;

  constructor(platform: Platform, claims: ClaimsService, patients: PatientsService) {
    this.#p = platform;
    this.#claims = claims;
    this.#patients = patients;
  }

  /** Opens work items for the denials a posting found (in the posting's transaction). */
  async openDenials(
    tx: Tx,
    practiceId: string,
    items: DenialToOpen[],
    paymentDate: string | null,
    payerId: string | null,
  ): Promise<void> {
    if (items.length === 0) return;
    const deadline = addDays(
      paymentDate ?? new Date().toISOString().slice(0, 10),
      APPEAL_WINDOW_DAYS[payerId ?? ''] ?? DEFAULT_APPEAL_WINDOW,
    );
    for (let i = 0; i < items.length; i += 1000) {
      await tx
        .insertInto('denials')
        .values(
          items.slice(i, i + 1000).map((d) => ({
            practice_id: practiceId,
            claim_id: d.claimId,
            remittance_claim_id: d.remittanceClaimId,
            line_number: d.lineNumber,
            category: d.category,
            group_code: d.groupCode,
            reason_code: d.reasonCode,
            remark_codes: d.remarkCodes,
            amount_cents: d.amountCents,
            suggested_fix: d.suggestedFix,
            appeal_deadline: deadline,
            created_at: new Date(),
            updated_at: new Date(),
          })),
        )
        .execute();
    }
  }

  async countByRemittanceClaims(ids: number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.#p.db
      .selectFrom('denials')
      .select(['remittance_claim_id'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(sql<boolean>`remittance_claim_id = ANY(${ids}::bigint[])`)
      .groupBy('remittance_claim_id')
      .execute();
    return new Map(rows.map((r) => [r.remittance_claim_id, Number(r.n)]));
  }

  #view(r: {
    id: string;
    claim_id: string;
    line_number: number | null;
    category: string;
    group_code: string;
    reason_code: string;
    remark_codes: string[];
    amount_cents: number;
    suggested_fix: string;
    status: string;
    appeal_deadline: string | null;
    created_at: Date;
  }): DenialView {
    return {
      id: r.id,
      claimId: r.claim_id,
      lineNumber: r.line_number,
      category: r.category,
      groupCode: r.group_code,
      reasonCode: r.reason_code,
      reasonDescription: carc.get(r.reason_code)?.description ?? 'unknown reason',
      remarkCodes: r.remark_codes,
      amountCents: r.amount_cents,
      suggestedFix: r.suggested_fix,
      status: r.status,
      appealDeadline: r.appeal_deadline,
      createdAt: r.created_at.toISOString(),
    };
  }

  /** The work queue: open denials grouped by category, oldest deadline first. */
  async queue(ctx: AccessContext, filter: { status?: string; category?: string }) {
    let q = this.#p.db.selectFrom('denials').selectAll().where('practice_id', '=', ctx.practiceId);
    q = q.where('status', '=', filter.status ?? 'open');
    if (filter.category) q = q.where('category', '=', filter.category);
    const rows = await q.orderBy('appeal_deadline').orderBy('created_at').limit(2000).execute();
    const items = rows.map((r) => this.#view(r));
    const groups = DENIAL_CATEGORIES.map((category) => {
      const inCategory = items.filter((d) => d.category === category);
      return {
        category,
        count: inCategory.length,
        amountCents: inCategory.reduce((s, d) => s + d.amountCents, 0),
        suggestedFix: inCategory[0]?.suggestedFix ?? null,
        denials: inCategory,
      };
    }).filter((g) => g.count > 0);
    const { purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      purpose,
      action: 'denial.search',
      outcome: 'success',
      resourceType: 'denial',
      details: { count: items.length },
    });
    return { total: items.length, amountCents: items.reduce((s, d) => s + d.amountCents, 0), groups };
  }

  async getDenial(ctx: AccessContext, id: string): Promise<DenialView> {
    const row = await this.#p.db
      .selectFrom('denials')
      .selectAll()
      .where('practice_id', '=', ctx.practiceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('denial', id, '/id');
    return this.#view(row);
  }

  /** Drafts an appeal letter for a denial and moves the claim to appealed. */
  async createAppeal(ctx: AccessContext, denialId: string): Promise<AppealView> {
    const denial = await this.#p.db
      .selectFrom('denials')
      .selectAll()
      .where('practice_id', '=', ctx.practiceId)
      .where('id', '=', denialId)
      .executeTakeFirst();
    if (!denial) throw new NotFoundError('denial', denialId, '/id');
    if (denial.status !== 'open')
      throw new ConflictError(`denial ${denialId} is ${denial.status}; only open denials are appealed`);
    const claim = await this.#claims.getClaim(ctx, denial.claim_id);
    const patient = await this.#patients.getPatient(ctx, claim.patientId);
    const coverage = patient.coverages.find((c) => c.id === claim.coverageId);
    const practice = await this.#patients.getPractice(ctx.practiceId);
    const payer = (await this.#patients.listPayers()).find((p) => p.id === claim.payerId)!;
    const provider = claim.renderingProviderId
      ? await this.#patients.getProvider(ctx.practiceId, claim.renderingProviderId)
      : null;
    const remittance = await this.#p.db
      .selectFrom('remittance_claims')
      .innerJoin('remittances', 'remittances.id', 'remittance_claims.remittance_id')
      .select(['remittances.trace_number', 'remittances.payment_date'])
      .where('remittance_claims.id', '=', denial.remittance_claim_id)
      .executeTakeFirstOrThrow();
    const address = practice.address as {
      line1?: string;
      city?: string;
      state?: string;
      postalCode?: string;
    };
    const today = new Date().toISOString().slice(0, 10);
    const facts: AppealFacts = {
      date: today,
      practice: {
        name: practice.name,
        npi: practice.npi,
        taxId: practice.taxId,
        address: [address.line1, address.city, [address.state, address.postalCode].filter(Boolean).join(' ')]
          .filter(Boolean)
          .join(', '),
        phone: practice.phone,
      },
      provider: provider
        ? {
            name: `${provider.firstName ?? ''} ${provider.lastName}${provider.credentials ? `, ${provider.credentials}` : ''}`.trim(),
            npi: provider.npi,
          }
        : null,
      payer: { name: payer.name, x12PayerId: payer.x12PayerId },
      patient: {
        name: `${patient.firstName} ${patient.lastName}`,
        dateOfBirth: patient.dateOfBirth,
        memberId: coverage?.memberId ?? '',
        groupNumber: coverage?.groupNumber ?? null,
      },
      claim: {
        patientControlNumber: claim.patientControlNumber,
        payerClaimNumber: claim.payerClaimNumber,
        serviceDates:
          claim.serviceDateFrom === claim.serviceDateTo
            ? claim.serviceDateFrom
            : `${claim.serviceDateFrom} to ${claim.serviceDateTo}`,
        totalChargeCents: claim.totalChargeCents,
        lines: claim.lines.map((l) => ({
          code: l.procedureCode,
          modifiers: l.modifiers,
          units: l.units,
          chargeCents: l.chargeCents,
        })),
        diagnoses: claim.diagnoses,
        priorAuthNumber: claim.priorAuthNumber,
      },
      denial: {
        category: denial.category,
        groupCode: denial.group_code,
        reasonCode: denial.reason_code,
        reasonText: carc.get(denial.reason_code)?.description ?? 'see the remittance advice',
        remarks: denial.remark_codes,
        amountCents: denial.amount_cents,
        lineNumber: denial.line_number,
      },
      remittance: { traceNumber: remittance.trace_number, paymentDate: remittance.payment_date },
      deadline: denial.appeal_deadline ?? addDays(today, DEFAULT_APPEAL_WINDOW),
    };
    const letter = buildAppealLetter(facts);
    const appeal = await this.#p.db.transaction().execute(async (tx) => {
      const row = await tx
        .insertInto('appeals')
        .values({
          practice_id: ctx.practiceId,
          denial_id: denialId,
          claim_id: claim.id,
          letter: JSON.stringify({ ...letter, date: today, practice: practice.name }),
          deadline: facts.deadline,
          created_by: ctx.actorId ?? null,
          created_at: new Date(),
          updated_at: new Date(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await tx
        .updateTable('denials')
        .set({ status: 'appealed', updated_at: new Date() })
        .where('id', '=', denialId)
        .execute();
      await this.#claims.appealClaim(
        tx,
        ctx,
        claim.id,
        `appeal drafted for ${denial.group_code}-${denial.reason_code}`,
      );
      return row;
    });
    const { purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      purpose,
      action: 'appeal.create',
      outcome: 'success',
      resourceType: 'appeal',
      resourceId: appeal.id,
      details: { claimId: claim.id, denialId },
    });
    return this.#appealView(appeal);
  }

  #appealView(row: {
    id: string;
    denial_id: string;
    claim_id: string;
    status: string;
    deadline: string;
    letter: Record<string, unknown>;
    submitted_at: Date | null;
    outcome: string | null;
    created_at: Date;
  }): AppealView {
    const stored = row.letter as unknown as AppealLetter & { date: string; practice: string };
    return {
      id: row.id,
      denialId: row.denial_id,
      claimId: row.claim_id,
      status: row.status,
      deadline: row.deadline,
      letter: {
        title: stored.title,
        recipient: stored.recipient,
        reference: stored.reference,
        body: stored.body,
        enclosures: stored.enclosures,
        signature: stored.signature,
      },
      text: letterText(stored, stored.date, stored.practice),
      submittedAt: row.submitted_at?.toISOString() ?? null,
      outcome: row.outcome,
      createdAt: row.created_at.toISOString(),
    };
  }

  async #appealRow(practiceId: string, id: string) {
    const row = await this.#p.db
      .selectFrom('appeals')
      .selectAll()
      .where('practice_id', '=', practiceId)
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) throw new NotFoundError('appeal', id, '/id');
    return row;
  }

  async getAppeal(ctx: AccessContext, id: string): Promise<AppealView> {
    return this.#appealView(await this.#appealRow(ctx.practiceId, id));
  }

  async listAppeals(ctx: AccessContext, status?: string): Promise<AppealView[]> {
    let q = this.#p.db.selectFrom('appeals').selectAll().where('practice_id', '=', ctx.practiceId);
    if (status) q = q.where('status', '=', status);
    return (await q.orderBy('deadline').limit(500).execute()).map((r) => this.#appealView(r));
  }

  async updateAppeal(ctx: AccessContext, id: string, status: string, note?: string): Promise<AppealView> {
    const row = await this.#appealRow(ctx.practiceId, id);
    if (!(APPEAL_STATUSES[row.status] ?? []).includes(status)) {
      throw new ConflictError(`appeal ${id} is ${row.status} and cannot become ${status}`, {
        allowed: APPEAL_STATUSES[row.status] ?? [],
      });
    }
    const updated = await this.#p.db
      .updateTable('appeals')
      .set({
        status,
        updated_at: new Date(),
        ...(status === 'submitted' && { submitted_at: new Date() }),
        ...(['won', 'lost', 'withdrawn'].includes(status) && {
          decided_at: new Date(),
          outcome: note ?? status,
        }),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    if (['won', 'lost', 'withdrawn'].includes(status)) {
      await this.#p.db
        .updateTable('denials')
        .set({ status: status === 'won' ? 'resolved' : 'closed', updated_at: new Date() })
        .where('id', '=', row.denial_id)
        .execute();
    }
    const { purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      purpose,
      action: 'appeal.update',
      outcome: 'success',
      resourceType: 'appeal',
      resourceId: id,
      details: { status },
    });
    return this.#appealView(updated);
  }

  /** The appeal as DOCX, PDF, or a ZIP with both plus the claim's 837 and 835 as enclosures. Audited as an export. */
  async exportAppeal(
    ctx: AccessContext,
    id: string,
    format: 'docx' | 'pdf' | 'zip',
  ): Promise<{ body: Buffer; contentType: string; filename: string }> {
    const row = await this.#appealRow(ctx.practiceId, id);
    const stored = row.letter as unknown as AppealLetter & { date: string; practice: string };
    const name = `appeal-${id.slice(0, 8)}`;
    let result: { body: Buffer; contentType: string; filename: string };
    if (format === 'docx') {
      result = {
        body: await letterDocx(stored, stored.date, stored.practice),
        contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        filename: `${name}.docx`,
      };
    } else if (format === 'pdf') {
      result = {
        body: await letterPdf(stored, stored.date, stored.practice),
        contentType: 'application/pdf',
        filename: `${name}.pdf`,
      };
    } else {
      const zip = new JSZip();
      zip.file(`${name}.docx`, await letterDocx(stored, stored.date, stored.practice));
      zip.file(`${name}.pdf`, await letterPdf(stored, stored.date, stored.practice));
      for (const doc of await this.#claims.documents(ctx, row.claim_id))
        zip.file(`enclosures/claim-${doc.kind}.x12`, doc.x12);
      result = {
        body: await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
        contentType: 'application/zip',
        filename: `${name}.zip`,
      };
    }
    const { purpose, ...actor } = ctx;
    await this.#p.audit.record({
      ...actor,
      purpose,
      action: 'appeal.export',
      outcome: 'success',
      resourceType: 'appeal',
      resourceId: id,
      details: { format, bytes: result.body.length },
    });
    return result;
  }
}
