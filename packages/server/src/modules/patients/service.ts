/**
 * Patients, coverages, providers, encounters and appointments: the first PHI resources. PHI is encrypted on
 * the way in and decrypted on the way out (platform/crypto), searched through blind indexes, and every read or
 * write of it appends an audit event before the response leaves.
 */

import { icd10, isValidMemberId, isValidNpi } from '@intelluxe/codes';
import type { AuditEventInput } from '../../platform/audit/log.ts';
import { KeyedBatcher } from '../../platform/batcher.ts';
import { CoherentCache } from '../../platform/changes.ts';
import type { FieldCipher } from '../../platform/crypto.ts';
import { isRealDate, today } from '../../platform/dates.ts';
import { dateCursor, timestampCursor } from '../../platform/db/keyset.ts';
import {
  ConflictError,
  type FieldError,
  invalidField,
  NotFoundError,
  ValidationError,
} from '../../platform/errors.ts';
import { encodeCursor, keysetCursor } from '../../platform/http/schemas.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditActor } from '../auth/service.ts';
import * as repo from './repo.ts';
import type {
  Appointment,
  AppointmentInput,
  AppointmentPatch,
  AppointmentSearch,
  Coverage,
  CoverageInput,
  CoveragePatch,
  Encounter,
  EncounterInput,
  EncounterPatch,
  EncounterSearch,
  Patient,
  PatientInput,
  PatientPatch,
  PatientSearch,
  Provider,
  ProviderInput,
  ProviderPatch,
} from './schemas.ts';

/** Who is acting, for what purpose of use (HIPAA: treatment, payment, operations…). */
export interface AccessContext extends AuditActor {
  practiceId: string;
  purpose: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A keyset page from `limit + 1` fetched rows: the extra row only says that there is a next page. */
function keysetPage<R>(
  rows: R[],
  limit: number,
  cursorOf: (row: R) => unknown[],
): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(cursorOf(last)) : null };
}
const digits = (s: string) => s.replace(/\D/g, '');
const coverageActive = (effective: string, termination: string | null, day: string) =>
  effective <= day && (termination === null || termination >= day);

export class PatientsService {
  readonly #p: Platform;
  /** Concurrent single-patient reads share round trips; keys are `practiceId:patientId`. */
  readonly #reads: KeyedBatcher<string, repo.PatientRow & { coverages: repo.CoverageRow[] }>;
  /**
   * Decrypted patients by id, kept coherent by the change feed (any writer, any process) and by this service's
   * own writes. Every read is still audited; the cache saves the round trip and the decryption.
   */
  readonly #cached: CoherentCache<{ practiceId: string; patient: Patient }>;

  constructor(platform: Platform) {
    this.#p = platform;
    this.#cached = new CoherentCache(platform.changes, 'patient', { max: 20_000, ttlMs: 10 * 60_000 });
    this.#reads = new KeyedBatcher(
      async (keys) => {
        const byPractice = Map.groupBy(keys, (k) => k.slice(0, k.indexOf(':')));
        const found = new Map<string, repo.PatientRow & { coverages: repo.CoverageRow[] }>();
        for (const [practiceId, group] of byPractice) {
          const rows = await repo.findPatientsWithCoverages(
            platform.database,
            practiceId,
            group.map((k) => k.slice(k.indexOf(':') + 1)),
          );
          for (const row of rows) found.set(`${practiceId}:${row.id}`, row);
        }
        return found;
      },
      { maxInFlight: 1 },
    );
  }

  get #cipher(): FieldCipher {
    return this.#p.cipher;
  }

  #audit(
    ctx: AccessContext,
    event: Omit<AuditEventInput, keyof AuditActor | 'purpose' | 'outcome'> & {
      outcome?: AuditEventInput['outcome'];
    },
  ) {
    const { purpose, practiceId, ...actor } = ctx;
    return this.#p.audit.record({ ...actor, practiceId, purpose, outcome: 'success', ...event });
  }

  // ---- patients ----------------------------------------------------------------------------------------

  #validatePatient(input: Partial<PatientInput>, errors: FieldError[]) {
    if (input.dateOfBirth !== undefined) {
      if (!isRealDate(input.dateOfBirth))
        errors.push({ path: '/dateOfBirth', message: 'is not a calendar date' });
      else if (input.dateOfBirth > today())
        errors.push({ path: '/dateOfBirth', message: 'is in the future' });
      else if (input.dateOfBirth < '1900-01-01')
        errors.push({ path: '/dateOfBirth', message: 'is before 1900' });
    }
    if (input.ssn !== undefined) {
      const ssn = digits(input.ssn);
      if (
        ssn.startsWith('000') ||
        ssn.startsWith('666') ||
        ssn.startsWith('9') ||
        ssn.slice(3, 5) === '00' ||
        ssn.slice(5) === '0000'
      ) {
        errors.push({ path: '/ssn', message: 'is not an issuable Social Security number' });
      }
    }
  }

  #validateCoverage(input: Partial<CoverageInput>, path: string, errors: FieldError[]) {
    if (input.memberId !== undefined && !isValidMemberId(input.memberId)) {
      errors.push({
        path: `${path}/memberId`,
        message: 'must be 2-80 characters of the X12 character set, without ~ * : ^',
      });
    }
    for (const field of ['effectiveDate', 'terminationDate'] as const) {
      const value = input[field];
      if (value && !isRealDate(value))
        errors.push({ path: `${path}/${field}`, message: 'is not a calendar date' });
    }
    if (input.effectiveDate && input.terminationDate && input.terminationDate < input.effectiveDate) {
      errors.push({ path: `${path}/terminationDate`, message: 'is before effectiveDate' });
    }
    if (input.relationship && input.relationship !== 'self' && !input.subscriber) {
      errors.push({
        path: `${path}/subscriber`,
        message: `is required when relationship is ${input.relationship}`,
      });
    }
  }

  #patientColumns(input: Partial<PatientInput>) {
    const c = this.#cipher;
    const set: Partial<repo.PatientRow> = {};
    if (input.firstName !== undefined) {
      set.first_name_enc = c.encrypt(input.firstName.trim());
      set.first_name_bidx = c.blindIndex('patient.first_name', input.firstName);
    }
    if (input.lastName !== undefined) {
      set.last_name_enc = c.encrypt(input.lastName.trim());
      set.last_name_bidx = c.blindIndex('patient.last_name', input.lastName);
    }
    if (input.dateOfBirth !== undefined) {
      set.dob_enc = c.encrypt(input.dateOfBirth);
      set.dob_bidx = c.blindIndex('patient.dob', input.dateOfBirth);
    }
    if (input.ssn !== undefined) {
      set.ssn_enc = c.encrypt(digits(input.ssn));
      set.ssn_bidx = c.blindIndex('patient.ssn', digits(input.ssn));
    }
    if (input.phone !== undefined) {
      set.phone_enc = c.encrypt(input.phone);
      set.phone_bidx = c.blindIndex('patient.phone', digits(input.phone).slice(-10));
    }
    if (input.address !== undefined) set.address_enc = c.encrypt(JSON.stringify(input.address));
    if (input.email !== undefined) set.email_enc = c.encrypt(input.email);
    if (input.notes !== undefined) set.notes_enc = c.encrypt(input.notes);
    if (input.sex !== undefined) set.sex = input.sex;
    if (Object.keys(set).length > 0) set.key_id = c.activeKeyId;
    return set;
  }

  #coverageColumns(input: Partial<CoverageInput>) {
    const c = this.#cipher;
    return {
      ...(input.payerId !== undefined && { payer_id: input.payerId }),
      ...(input.priority !== undefined && { priority: input.priority }),
      ...(input.planName !== undefined && { plan_name: input.planName }),
      ...(input.planType !== undefined && { plan_type: input.planType }),
      ...(input.groupNumber !== undefined && { group_number: input.groupNumber }),
      ...(input.memberId !== undefined && {
        member_id_enc: c.encrypt(input.memberId),
        member_id_bidx: c.blindIndex('coverage.member_id', input.memberId),
      }),
      ...(input.relationship !== undefined && { relationship: input.relationship }),
      ...(input.subscriber !== undefined && { subscriber_enc: c.encrypt(JSON.stringify(input.subscriber)) }),
      ...(input.effectiveDate !== undefined && { effective_date: input.effectiveDate }),
      ...(input.terminationDate !== undefined && { termination_date: input.terminationDate }),
    };
  }

  async #checkPayers(
    q: Parameters<typeof repo.existingPayers>[0],
    coverages: Array<{ payerId?: string }>,
    pathOf: (i: number) => string,
  ) {
    const ids = [...new Set(coverages.map((c) => c.payerId).filter((x): x is string => !!x))];
    const known = await repo.existingPayers(q, ids);
    const errors: FieldError[] = [];
    coverages.forEach((c, i) => {
      if (c.payerId && !known.has(c.payerId))
        errors.push({ path: `${pathOf(i)}/payerId`, message: `unknown payer '${c.payerId}'` });
    });
    if (errors.length) throw new ValidationError(errors);
  }

  #toCoverage(row: repo.CoverageRow): Coverage {
    const c = this.#cipher;
    const day = today();
    return {
      id: row.id,
      patientId: row.patient_id,
      payerId: row.payer_id,
      payerName: row.payer_name,
      priority: row.priority,
      planName: row.plan_name,
      planType: row.plan_type,
      groupNumber: row.group_number,
      memberId: c.decrypt(row.member_id_enc),
      relationship: row.relationship,
      subscriber: row.subscriber_enc ? JSON.parse(c.decrypt(row.subscriber_enc)) : null,
      effectiveDate: row.effective_date,
      terminationDate: row.termination_date,
      active: coverageActive(row.effective_date, row.termination_date, day),
    };
  }

  #toPatient(row: repo.PatientRow, coverages: repo.CoverageRow[]): Patient {
    const c = this.#cipher;
    const ssn = c.decryptNullable(row.ssn_enc);
    const address = c.decryptNullable(row.address_enc);
    return {
      id: row.id,
      mrn: row.mrn,
      firstName: c.decrypt(row.first_name_enc),
      lastName: c.decrypt(row.last_name_enc),
      dateOfBirth: c.decrypt(row.dob_enc),
      sex: row.sex,
      ssnLast4: ssn ? ssn.slice(-4) : null,
      address: address ? JSON.parse(address) : null,
      phone: c.decryptNullable(row.phone_enc),
      email: c.decryptNullable(row.email_enc),
      notes: c.decryptNullable(row.notes_enc),
      active: row.active,
      coverages: coverages.map((cv) => this.#toCoverage(cv)),
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
    };
  }

  /** Creates a patient and its coverages in one transaction: all of it is written, or none. */
  async createPatient(ctx: AccessContext, input: PatientInput): Promise<Patient> {
    const errors: FieldError[] = [];
    this.#validatePatient(input, errors);
    for (const [i, cv] of (input.coverages ?? []).entries())
      this.#validateCoverage(cv, `/coverages/${i}`, errors);
    if (errors.length) throw new ValidationError(errors);
    const id = await this.#p.db.transaction().execute(async (tx) => {
      await this.#checkPayers(tx, input.coverages ?? [], (i) => `/coverages/${i}`);
      if (input.mrn) {
        const taken = await repo.searchPatients(tx, ctx.practiceId, {
          mrn: input.mrn,
          includeInactive: true,
          limit: 1,
        });
        if (taken.length)
          throw new ConflictError(`MRN ${input.mrn} is already assigned`, {
            errors: [{ path: '/mrn', message: 'is already assigned' }],
          });
      }
      const row = await repo.insertPatient(tx, {
        ...(this.#patientColumns(input) as Required<
          Pick<
            repo.PatientRow,
            | 'first_name_enc'
            | 'last_name_enc'
            | 'dob_enc'
            | 'first_name_bidx'
            | 'last_name_bidx'
            | 'dob_bidx'
            | 'sex'
            | 'key_id'
          >
        >),
        practice_id: ctx.practiceId,
        mrn: input.mrn ?? (await repo.nextMrn(tx)),
        updated_at: new Date(),
      });
      if (input.coverages?.length) {
        await repo.insertCoverages(
          tx,
          input.coverages.map((cv, i) => ({
            ...(this.#coverageColumns(cv) as {
              payer_id: string;
              member_id_enc: string;
              member_id_bidx: string;
              effective_date: string;
            }),
            patient_id: row.id,
            priority: cv.priority ?? i + 1,
            relationship: cv.relationship ?? 'self',
            updated_at: new Date(),
          })),
        );
      }
      return row.id;
    });
    await this.#audit(ctx, {
      action: 'patient.create',
      resourceType: 'patient',
      resourceId: id,
      details: { coverages: input.coverages?.length ?? 0, fields: Object.keys(input) },
    });
    return this.#loadPatient(ctx.practiceId, id);
  }

  async #loadPatient(practiceId: string, id: string): Promise<Patient> {
    const row = await repo.findPatient(this.#p.db, practiceId, id);
    if (!row) throw new NotFoundError('patient', id, '/id');
    return this.#toPatient(row, await repo.coveragesOf(this.#p.db, [id]));
  }

  /** An audited PHI read. */
  async getPatient(ctx: AccessContext, id: string): Promise<Patient> {
    const patient = await this.findPatient(ctx.practiceId, id);
    if (!patient) {
      await this.#audit(ctx, {
        action: 'patient.read',
        resourceType: 'patient',
        resourceId: id,
        outcome: 'failure',
        details: { reason: 'not_found' },
      });
      throw new NotFoundError('patient', id, '/id');
    }
    await this.#audit(ctx, { action: 'patient.read', resourceType: 'patient', resourceId: id });
    return patient;
  }

  /**
   * A patient of the practice, or undefined, NOT audited: for a service that records the access itself, under
   * its own action with the patient as the resource (an eligibility check, say), in the same request.
   */
  async findPatient(practiceId: string, id: string): Promise<Patient | undefined> {
    const found = await this.#cached.load(id, async () => {
      const row = await this.#reads.load(`${practiceId}:${id}`);
      return row ? { practiceId, patient: this.#toPatient(row, row.coverages) } : undefined;
    });
    if (!found || found.practiceId !== practiceId) return undefined;
    // Coverage is active or not as of today, whenever the entry was made.
    const day = today();
    const { patient } = found;
    return {
      ...patient,
      coverages: patient.coverages.map((cv) => ({
        ...cv,
        active: coverageActive(cv.effectiveDate, cv.terminationDate, day),
      })),
    };
  }

  async updatePatient(ctx: AccessContext, id: string, patch: PatientPatch): Promise<Patient> {
    const errors: FieldError[] = [];
    this.#validatePatient(patch, errors);
    if (errors.length) throw new ValidationError(errors);
    const set = this.#patientColumns(patch);
    if (patch.mrn !== undefined) set.mrn = patch.mrn;
    const row = await repo.updatePatient(this.#p.db, ctx.practiceId, id, set);
    this.#cached.invalidate(id);
    if (!row) throw new NotFoundError('patient', id, '/id');
    await this.#audit(ctx, {
      action: 'patient.update',
      resourceType: 'patient',
      resourceId: id,
      details: { fields: Object.keys(patch) },
    });
    return this.#toPatient(row, await repo.coveragesOf(this.#p.db, [id]));
  }

  /** Records are kept (retention); a deactivated patient leaves searches unless asked for. */
  async deactivatePatient(ctx: AccessContext, id: string): Promise<void> {
    const row = await repo.updatePatient(this.#p.db, ctx.practiceId, id, { active: false });
    this.#cached.invalidate(id);
    if (!row) throw new NotFoundError('patient', id, '/id');
    await this.#audit(ctx, { action: 'patient.deactivate', resourceType: 'patient', resourceId: id });
  }

  async searchPatients(ctx: AccessContext, query: PatientSearch): Promise<Page<Patient>> {
    const c = this.#cipher;
    if (query.dateOfBirth && !isRealDate(query.dateOfBirth))
      throw invalidField('/query/dateOfBirth', 'is not a calendar date');
    const cursor = keysetCursor(query.cursor, 1);
    const limit = query.limit ?? 50;
    const rows = await repo.searchPatients(this.#p.db, ctx.practiceId, {
      lastNameBidx: query.lastName ? c.blindIndex('patient.last_name', query.lastName) : undefined,
      firstNameBidx: query.firstName ? c.blindIndex('patient.first_name', query.firstName) : undefined,
      dobBidx: query.dateOfBirth ? c.blindIndex('patient.dob', query.dateOfBirth) : undefined,
      ssnBidx: query.ssn ? c.blindIndex('patient.ssn', digits(query.ssn)) : undefined,
      phoneBidx: query.phone ? c.blindIndex('patient.phone', digits(query.phone).slice(-10)) : undefined,
      memberIdBidx: query.memberId ? c.blindIndex('coverage.member_id', query.memberId) : undefined,
      mrn: query.mrn,
      includeInactive: query.includeInactive,
      afterMrn: cursor?.[0] ?? null,
      limit,
    });
    const page = keysetPage(rows, limit, (r) => [r.mrn]);
    const coverages = await repo.coveragesOf(
      this.#p.db,
      page.rows.map((r) => r.id),
    );
    const byPatient = Map.groupBy(coverages, (cv) => cv.patient_id);
    const items = page.rows.map((r) => this.#toPatient(r, byPatient.get(r.id) ?? []));
    await this.#audit(ctx, {
      action: 'patient.search',
      resourceType: 'patient',
      details: {
        criteria: Object.keys(query).filter((k) => k !== 'limit' && k !== 'cursor'),
        count: items.length,
        patientIds: items.map((p) => p.id),
      },
    });
    return { items, nextCursor: page.nextCursor };
  }

  // ---- coverages ---------------------------------------------------------------------------------------

  async listCoverages(ctx: AccessContext, patientId: string): Promise<Coverage[]> {
    const patient = await repo.findPatient(this.#p.db, ctx.practiceId, patientId);
    if (!patient) throw new NotFoundError('patient', patientId, '/id');
    const rows = await repo.coveragesOf(this.#p.db, [patientId]);
    await this.#audit(ctx, {
      action: 'coverage.read',
      resourceType: 'patient',
      resourceId: patientId,
      details: { count: rows.length },
    });
    return rows.map((r) => this.#toCoverage(r));
  }

  async addCoverage(ctx: AccessContext, patientId: string, input: CoverageInput): Promise<Coverage> {
    const errors: FieldError[] = [];
    this.#validateCoverage(input, '', errors);
    if (errors.length) throw new ValidationError(errors);
    const id = await this.#p.db.transaction().execute(async (tx) => {
      const patient = await repo.findPatient(tx, ctx.practiceId, patientId);
      if (!patient) throw new NotFoundError('patient', patientId, '/id');
      await this.#checkPayers(tx, [input], () => '');
      const [row] = await repo.insertCoverages(tx, [
        {
          ...(this.#coverageColumns(input) as {
            payer_id: string;
            member_id_enc: string;
            member_id_bidx: string;
            effective_date: string;
          }),
          patient_id: patientId,
          priority: input.priority ?? 1,
          relationship: input.relationship ?? 'self',
          updated_at: new Date(),
        },
      ]);
      return row!.id;
    });
    this.#cached.invalidate(patientId);
    await this.#audit(ctx, {
      action: 'coverage.create',
      resourceType: 'coverage',
      resourceId: id,
      details: { patientId, payerId: input.payerId },
    });
    const created = await repo.findCoverage(this.#p.db, ctx.practiceId, id);
    return this.#toCoverage(created!);
  }

  async updateCoverage(ctx: AccessContext, id: string, patch: CoveragePatch): Promise<Coverage> {
    const existing = await repo.findCoverage(this.#p.db, ctx.practiceId, id);
    if (!existing) throw new NotFoundError('coverage', id, '/id');
    const merged = {
      effectiveDate: patch.effectiveDate ?? existing.effective_date,
      terminationDate:
        patch.terminationDate === undefined ? existing.termination_date : patch.terminationDate,
    };
    const errors: FieldError[] = [];
    this.#validateCoverage({ ...patch, ...merged }, '', errors);
    if (errors.length) throw new ValidationError(errors);
    if (patch.payerId) await this.#checkPayers(this.#p.db, [patch], () => '');
    await repo.updateCoverage(this.#p.db, id, this.#coverageColumns(patch));
    this.#cached.invalidate(existing.patient_id);
    await this.#audit(ctx, {
      action: 'coverage.update',
      resourceType: 'coverage',
      resourceId: id,
      details: { fields: Object.keys(patch) },
    });
    return this.#toCoverage((await repo.findCoverage(this.#p.db, ctx.practiceId, id))!);
  }

  async deleteCoverage(ctx: AccessContext, id: string): Promise<void> {
    const existing = await repo.findCoverage(this.#p.db, ctx.practiceId, id);
    if (!existing) throw new NotFoundError('coverage', id, '/id');
    await repo.deleteCoverage(this.#p.db, id);
    this.#cached.invalidate(existing.patient_id);
    await this.#audit(ctx, {
      action: 'coverage.delete',
      resourceType: 'coverage',
      resourceId: id,
      details: { patientId: existing.patient_id },
    });
  }

  async listPayers() {
    return (await repo.listPayers(this.#p.db)).map((p) => ({
      id: p.id,
      name: p.name,
      x12PayerId: p.x12_payer_id,
      kind: p.kind,
    }));
  }

  /** The practice's identity for billing: name, group NPI, tax id, address, phone. */
  async getPractice(practiceId: string) {
    const row = await repo.findPractice(this.#p.db, practiceId);
    if (!row) throw new NotFoundError('practice', practiceId);
    return {
      id: row.id,
      name: row.name,
      npi: row.npi,
      taxId: row.tax_id,
      address: row.address,
      phone: row.phone,
      timezone: row.timezone,
    };
  }

  // ---- providers (not PHI) -----------------------------------------------------------------------------

  #toProvider(row: repo.ProviderRow): Provider {
    return {
      id: row.id,
      npi: row.npi,
      kind: row.kind,
      firstName: row.first_name,
      lastName: row.last_name,
      credentials: row.credentials,
      taxonomyCode: row.taxonomy_code,
      specialty: row.specialty,
      isDefaultRendering: row.is_default_rendering,
      active: row.active,
    };
  }

  async createProvider(actor: AuditActor & { practiceId: string }, input: ProviderInput): Promise<Provider> {
    if (!isValidNpi(input.npi)) throw invalidField('/npi', 'is not a valid NPI (check digit does not match)');
    const row = await this.#p.db.transaction().execute(async (tx) => {
      if (await repo.findProviderByNpi(tx, actor.practiceId, input.npi)) {
        throw new ConflictError(`a provider with NPI ${input.npi} already exists`, {
          errors: [{ path: '/npi', message: 'already exists' }],
        });
      }
      if (input.isDefaultRendering) await repo.clearDefaultRendering(tx, actor.practiceId);
      return repo.insertProvider(tx, {
        practice_id: actor.practiceId,
        npi: input.npi,
        kind: input.kind ?? 'individual',
        first_name: input.firstName ?? null,
        last_name: input.lastName,
        credentials: input.credentials ?? null,
        taxonomy_code: input.taxonomyCode ?? null,
        specialty: input.specialty ?? null,
        is_default_rendering: input.isDefaultRendering ?? false,
        updated_at: new Date(),
      });
    });
    await this.#p.audit.record({
      ...actor,
      action: 'provider.create',
      outcome: 'success',
      resourceType: 'provider',
      resourceId: row.id,
    });
    return this.#toProvider(row);
  }

  async listProviders(practiceId: string, includeInactive = false): Promise<Provider[]> {
    return (await repo.listProviders(this.#p.db, practiceId, includeInactive)).map((r) =>
      this.#toProvider(r),
    );
  }

  async getProvider(practiceId: string, id: string): Promise<Provider> {
    const row = await repo.findProvider(this.#p.db, practiceId, id);
    if (!row) throw new NotFoundError('provider', id, '/id');
    return this.#toProvider(row);
  }

  async updateProvider(
    actor: AuditActor & { practiceId: string },
    id: string,
    patch: ProviderPatch,
  ): Promise<Provider> {
    if (patch.npi !== undefined && !isValidNpi(patch.npi))
      throw invalidField('/npi', 'is not a valid NPI (check digit does not match)');
    const row = await this.#p.db.transaction().execute(async (tx) => {
      if (patch.isDefaultRendering) await repo.clearDefaultRendering(tx, actor.practiceId);
      return repo.updateProvider(tx, actor.practiceId, id, {
        ...(patch.npi !== undefined && { npi: patch.npi }),
        ...(patch.kind !== undefined && { kind: patch.kind }),
        ...(patch.firstName !== undefined && { first_name: patch.firstName }),
        ...(patch.lastName !== undefined && { last_name: patch.lastName }),
        ...(patch.credentials !== undefined && { credentials: patch.credentials }),
        ...(patch.taxonomyCode !== undefined && { taxonomy_code: patch.taxonomyCode }),
        ...(patch.specialty !== undefined && { specialty: patch.specialty }),
        ...(patch.isDefaultRendering !== undefined && { is_default_rendering: patch.isDefaultRendering }),
        ...(patch.active !== undefined && { active: patch.active }),
      });
    });
    if (!row) throw new NotFoundError('provider', id, '/id');
    await this.#p.audit.record({
      ...actor,
      action: 'provider.update',
      outcome: 'success',
      resourceType: 'provider',
      resourceId: id,
      details: { fields: Object.keys(patch) },
    });
    return this.#toProvider(row);
  }

  /** The practice's default rendering provider (the first active individual when none is marked). */
  async defaultRenderingProvider(practiceId: string): Promise<Provider | null> {
    const providers = await this.listProviders(practiceId);
    return (
      providers.find((p) => p.isDefaultRendering) ?? providers.find((p) => p.kind === 'individual') ?? null
    );
  }

  // ---- encounters --------------------------------------------------------------------------------------

  async #checkRefs(
    q: Parameters<typeof repo.findPatient>[0],
    practiceId: string,
    refs: { patientId?: string; providerId?: string; appointmentId?: string },
  ) {
    const errors: FieldError[] = [];
    if (refs.patientId && !(await repo.findPatient(q, practiceId, refs.patientId)))
      errors.push({ path: '/patientId', message: `patient ${refs.patientId} does not exist` });
    if (refs.providerId && !(await repo.findProvider(q, practiceId, refs.providerId)))
      errors.push({ path: '/providerId', message: `provider ${refs.providerId} does not exist` });
    if (refs.appointmentId && !(await repo.findAppointment(q, practiceId, refs.appointmentId)))
      errors.push({ path: '/appointmentId', message: `appointment ${refs.appointmentId} does not exist` });
    if (errors.length) throw new ValidationError(errors);
  }

  #validateEncounter(input: Partial<EncounterInput>) {
    const errors: FieldError[] = [];
    if (input.dateOfService !== undefined) {
      if (!isRealDate(input.dateOfService))
        errors.push({ path: '/dateOfService', message: 'is not a calendar date' });
      else if (input.dateOfService > today())
        errors.push({ path: '/dateOfService', message: 'is in the future' });
    }
    input.diagnoses?.forEach((d, i) => {
      if (!icd10.get(d.code))
        errors.push({ path: `/diagnoses/${i}/code`, message: `${d.code} is not an ICD-10-CM code` });
    });
    const dxCount = input.diagnoses?.length;
    input.procedures?.forEach((proc, i) => {
      for (const [j, pointer] of (proc.diagnosisPointers ?? []).entries()) {
        if (dxCount !== undefined && pointer > dxCount) {
          errors.push({
            path: `/procedures/${i}/diagnosisPointers/${j}`,
            message: `points at diagnosis ${pointer}, but there are ${dxCount}`,
          });
        }
      }
    });
    if (errors.length) throw new ValidationError(errors);
  }

  #toEncounter(row: repo.EncounterRow): Encounter {
    return {
      id: row.id,
      patientId: row.patient_id,
      providerId: row.provider_id,
      appointmentId: row.appointment_id,
      dateOfService: row.date_of_service,
      placeOfService: row.place_of_service,
      encounterType: row.encounter_type,
      status: row.status,
      diagnoses: row.diagnoses,
      procedures: row.procedures,
      priorAuthNumber: row.prior_auth_number,
      notes: this.#cipher.decryptNullable(row.notes_enc),
      createdAt: row.created_at.toISOString(),
    };
  }

  async createEncounter(ctx: AccessContext, input: EncounterInput): Promise<Encounter> {
    this.#validateEncounter(input);
    const row = await this.#p.db.transaction().execute(async (tx) => {
      await this.#checkRefs(tx, ctx.practiceId, input);
      return repo.insertEncounter(tx, {
        practice_id: ctx.practiceId,
        patient_id: input.patientId,
        provider_id: input.providerId,
        appointment_id: input.appointmentId ?? null,
        date_of_service: input.dateOfService,
        place_of_service: input.placeOfService,
        encounter_type: input.encounterType,
        status: input.status ?? 'open',
        diagnoses: JSON.stringify(input.diagnoses),
        procedures: JSON.stringify(input.procedures),
        prior_auth_number: input.priorAuthNumber ?? null,
        notes_enc: this.#cipher.encryptNullable(input.notes),
        updated_at: new Date(),
      });
    });
    await this.#audit(ctx, {
      action: 'encounter.create',
      resourceType: 'encounter',
      resourceId: row.id,
      details: { patientId: input.patientId },
    });
    return this.#toEncounter(row);
  }

  async getEncounter(ctx: AccessContext, id: string): Promise<Encounter> {
    const row = await repo.findEncounter(this.#p.db, ctx.practiceId, id);
    if (!row) throw new NotFoundError('encounter', id, '/id');
    await this.#audit(ctx, {
      action: 'encounter.read',
      resourceType: 'encounter',
      resourceId: id,
      details: { patientId: row.patient_id },
    });
    return this.#toEncounter(row);
  }

  async updateEncounter(ctx: AccessContext, id: string, patch: EncounterPatch): Promise<Encounter> {
    const existing = await repo.findEncounter(this.#p.db, ctx.practiceId, id);
    if (!existing) throw new NotFoundError('encounter', id, '/id');
    this.#validateEncounter({
      ...patch,
      diagnoses: patch.diagnoses ?? existing.diagnoses,
      procedures: patch.procedures ?? existing.procedures,
    });
    await this.#checkRefs(this.#p.db, ctx.practiceId, {
      providerId: patch.providerId,
      appointmentId: patch.appointmentId,
    });
    const row = await repo.updateEncounter(this.#p.db, ctx.practiceId, id, {
      ...(patch.providerId !== undefined && { provider_id: patch.providerId }),
      ...(patch.appointmentId !== undefined && { appointment_id: patch.appointmentId }),
      ...(patch.dateOfService !== undefined && { date_of_service: patch.dateOfService }),
      ...(patch.placeOfService !== undefined && { place_of_service: patch.placeOfService }),
      ...(patch.encounterType !== undefined && { encounter_type: patch.encounterType }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.diagnoses !== undefined && { diagnoses: JSON.stringify(patch.diagnoses) }),
      ...(patch.procedures !== undefined && { procedures: JSON.stringify(patch.procedures) }),
      ...(patch.priorAuthNumber !== undefined && { prior_auth_number: patch.priorAuthNumber }),
      ...(patch.notes !== undefined && { notes_enc: this.#cipher.encrypt(patch.notes) }),
    });
    await this.#audit(ctx, {
      action: 'encounter.update',
      resourceType: 'encounter',
      resourceId: id,
      details: { fields: Object.keys(patch) },
    });
    return this.#toEncounter(row!);
  }

  async searchEncounters(ctx: AccessContext, query: EncounterSearch): Promise<Page<Encounter>> {
    const after = dateCursor(query.cursor);
    const limit = query.limit ?? 50;
    const rows = await repo.searchEncounters(this.#p.db, ctx.practiceId, {
      ...query,
      after,
      limit,
    });
    const page = keysetPage(rows, limit, (r) => [r.date_of_service, r.id]);
    const items = page.rows.map((r) => this.#toEncounter(r));
    await this.#audit(ctx, {
      action: 'encounter.search',
      resourceType: 'encounter',
      details: { count: items.length, patientId: query.patientId ?? null },
    });
    return { items, nextCursor: page.nextCursor };
  }

  // ---- appointments ------------------------------------------------------------------------------------

  #toAppointment(row: repo.AppointmentRow): Appointment {
    return {
      id: row.id,
      patientId: row.patient_id,
      providerId: row.provider_id,
      startsAt: row.starts_at.toISOString(),
      endsAt: row.ends_at.toISOString(),
      status: row.status,
      appointmentType: row.appointment_type,
      reason: this.#cipher.decryptNullable(row.reason_enc),
    };
  }

  async createAppointment(ctx: AccessContext, input: AppointmentInput): Promise<Appointment> {
    if (new Date(input.endsAt) <= new Date(input.startsAt))
      throw invalidField('/endsAt', 'must be after startsAt');
    const row = await this.#p.db.transaction().execute(async (tx) => {
      await this.#checkRefs(tx, ctx.practiceId, input);
      return repo.insertAppointment(tx, {
        practice_id: ctx.practiceId,
        patient_id: input.patientId,
        provider_id: input.providerId,
        starts_at: input.startsAt,
        ends_at: input.endsAt,
        status: input.status ?? 'scheduled',
        appointment_type: input.appointmentType,
        reason_enc: this.#cipher.encryptNullable(input.reason),
        updated_at: new Date(),
      });
    });
    await this.#audit(ctx, {
      action: 'appointment.create',
      resourceType: 'appointment',
      resourceId: row.id,
      details: { patientId: input.patientId },
    });
    return this.#toAppointment(row);
  }

  async getAppointment(ctx: AccessContext, id: string): Promise<Appointment> {
    const row = await repo.findAppointment(this.#p.db, ctx.practiceId, id);
    if (!row) throw new NotFoundError('appointment', id, '/id');
    await this.#audit(ctx, {
      action: 'appointment.read',
      resourceType: 'appointment',
      resourceId: id,
      details: { patientId: row.patient_id },
    });
    return this.#toAppointment(row);
  }

  async updateAppointment(ctx: AccessContext, id: string, patch: AppointmentPatch): Promise<Appointment> {
    const existing = await repo.findAppointment(this.#p.db, ctx.practiceId, id);
    if (!existing) throw new NotFoundError('appointment', id, '/id');
    const startsAt = patch.startsAt ? new Date(patch.startsAt) : existing.starts_at;
    const endsAt = patch.endsAt ? new Date(patch.endsAt) : existing.ends_at;
    if (endsAt <= startsAt) throw invalidField('/endsAt', 'must be after startsAt');
    await this.#checkRefs(this.#p.db, ctx.practiceId, { providerId: patch.providerId });
    const row = await repo.updateAppointment(this.#p.db, ctx.practiceId, id, {
      ...(patch.providerId !== undefined && { provider_id: patch.providerId }),
      ...(patch.startsAt !== undefined && { starts_at: patch.startsAt }),
      ...(patch.endsAt !== undefined && { ends_at: patch.endsAt }),
      ...(patch.status !== undefined && { status: patch.status }),
      ...(patch.appointmentType !== undefined && { appointment_type: patch.appointmentType }),
      ...(patch.reason !== undefined && { reason_enc: this.#cipher.encrypt(patch.reason) }),
    });
    await this.#audit(ctx, {
      action: 'appointment.update',
      resourceType: 'appointment',
      resourceId: id,
      details: { fields: Object.keys(patch) },
    });
    return this.#toAppointment(row!);
  }

  async searchAppointments(ctx: AccessContext, query: AppointmentSearch): Promise<Page<Appointment>> {
    const after = timestampCursor(query.cursor);
    const limit = query.limit ?? 50;
    const rows = await repo.searchAppointments(this.#p.db, ctx.practiceId, {
      ...query,
      after,
      limit,
    });
    const page = keysetPage(rows, limit, (r) => [r.cursor_at, r.id]);
    const items = page.rows.map((r) => this.#toAppointment(r));
    await this.#audit(ctx, {
      action: 'appointment.search',
      resourceType: 'appointment',
      details: { count: items.length, patientId: query.patientId ?? null },
    });
    return { items, nextCursor: page.nextCursor };
  }
}
