/**
 * Contracts: what each payer allows for a code. A payer's own fee schedule row wins (most specific modifier and
 * place of service first); otherwise its percent-of-Medicare rule applies to Medicare's amount. The schedules
 * are small and read on every eligibility estimate, so they are held in memory and reloaded after a minute or
 * after a change made through this service.
 */
import type { Db } from '../../platform/db/index.ts';
import type { Platform } from '../../platform/platform.ts';

export interface FeeRow {
  payerId: string;
  code: string;
  modifier: string;
  pos: string;
  allowedCents: number;
  effectiveFrom: string;
  effectiveTo: string | null;
  source: string;
}

export interface PercentRule {
  payerId: string;
  percentOfMedicare: number;
  effectiveFrom: string;
  effectiveTo: string | null;
}

export interface AllowedAmount {
  payerId: string;
  code: string;
  allowedCents: number;
  basis: 'fee_schedule' | 'percent_of_medicare';
  /** How the amount was found, in words (shown in estimate reasoning). */
  detail: string;
}

export interface AllowedQuery {
  payerId: string;
  code: string;
  modifiers?: readonly string[];
  placeOfService?: string;
  /** 'YYYY-MM-DD'; defaults to today. */
  date?: string;
}

const RELOAD_MS = 60_000;
const inEffect = (r: { effectiveFrom: string; effectiveTo: string | null }, date: string) =>
  r.effectiveFrom <= date && (r.effectiveTo === null || r.effectiveTo >= date);
const dollars = (cents: number) => `$${(cents / 100).toFixed(2)}`;

/** The most specific schedule row for a code on a date: modifier and POS match, then modifier, then POS, then neither. */
export function scheduleRow(
  rows: readonly FeeRow[],
  payerId: string,
  code: string,
  modifiers: readonly string[],
  pos: string,
  date: string,
): FeeRow | null {
  const candidates = rows.filter((r) => r.payerId === payerId && r.code === code && inEffect(r, date));
  const modifier = modifiers[0] ?? '';
  const ranked = [
    (r: FeeRow) => r.modifier === modifier && r.modifier !== '' && r.pos === pos && r.pos !== '',
    (r: FeeRow) => r.modifier === modifier && r.modifier !== '' && r.pos === '',
    (r: FeeRow) => r.modifier === '' && r.pos === pos && r.pos !== '',
    (r: FeeRow) => r.modifier === '' && r.pos === '',
  ];
  for (const test of ranked) {
    const hit = candidates.find(test);
    if (hit) return hit;
  }
  return null;
}

/** The allowed amount from loaded schedules and rules (pure; the service feeds it). */
export function allowedFrom(
  rows: readonly FeeRow[],
  rules: readonly PercentRule[],
  query: Required<AllowedQuery>,
): AllowedAmount | null {
  const { payerId, code, modifiers, placeOfService, date } = query;
  const own = scheduleRow(rows, payerId, code, modifiers, placeOfService, date);
  if (own) {
    return {
      payerId,
      code,
      allowedCents: own.allowedCents,
      basis: 'fee_schedule',
      detail: `${payerId} fee schedule allows ${dollars(own.allowedCents)} for ${code}${own.modifier ? `-${own.modifier}` : ''}${own.pos ? ` at POS ${own.pos}` : ''}`,
    };
  }
  const rule = rules.find((r) => r.payerId === payerId && inEffect(r, date));
  const medicare = rule ? scheduleRow(rows, 'medicare', code, modifiers, placeOfService, date) : null;
  if (!rule || !medicare) return null;
  const allowedCents = Math.round((medicare.allowedCents * rule.percentOfMedicare) / 100);
  return {
    payerId,
    code,
    allowedCents,
    basis: 'percent_of_medicare',
    detail: `${payerId} pays ${rule.percentOfMedicare}% of Medicare's ${dollars(medicare.allowedCents)} for ${code} = ${dollars(allowedCents)}`,
  };
}

/** The fee schedules and percent-of-Medicare rules, of all payers or of the ones named. */
export async function readFeeTables(
  db: Db,
  payerIds?: string[],
): Promise<{ rows: FeeRow[]; rules: PercentRule[] }> {
  let rowQuery = db.selectFrom('fee_schedules').selectAll();
  let ruleQuery = db.selectFrom('fee_schedule_rules').selectAll();
  if (payerIds) {
    rowQuery = rowQuery.where('payer_id', 'in', payerIds);
    ruleQuery = ruleQuery.where('payer_id', 'in', payerIds);
  }
  const [rows, rules] = await Promise.all([rowQuery.execute(), ruleQuery.execute()]);
  return {
    rows: rows.map((r) => ({
      payerId: r.payer_id,
      code: r.code,
      modifier: r.modifier,
      pos: r.pos,
      allowedCents: r.allowed_cents,
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
      source: r.source,
    })),
    rules: rules.map((r) => ({
      payerId: r.payer_id,
      percentOfMedicare: Number(r.percent_of_medicare),
      effectiveFrom: r.effective_from,
      effectiveTo: r.effective_to,
    })),
  };
}

export class ContractsService {
  readonly #p: Platform;
  #loaded: Promise<{ rows: FeeRow[]; rules: PercentRule[] }> | null = null;
  #loadedAt = 0;

  constructor(platform: Platform) {
    this.#p = platform;
  }

  async #tables() {
    if (!this.#loaded || Date.now() - this.#loadedAt > RELOAD_MS) {
      this.#loadedAt = Date.now();
      this.#loaded = readFeeTables(this.#p.db);
      this.#loaded.catch(() => {
        this.#loaded = null;
      });
    }
    return this.#loaded;
  }

  /** What the payer allows for one unit of a code, or null when no schedule or rule covers it. */
  async allowedAmount(query: AllowedQuery): Promise<AllowedAmount | null> {
    const { rows, rules } = await this.#tables();
    return allowedFrom(rows, rules, {
      payerId: query.payerId,
      code: query.code.toUpperCase(),
      modifiers: query.modifiers ?? [],
      placeOfService: query.placeOfService ?? '11',
      date: query.date ?? new Date().toISOString().slice(0, 10),
    });
  }

  /** Whether the payer is one the gateway knows (a fee schedule of an unknown payer is an error, not empty). */
  async payerExists(payerId: string): Promise<boolean> {
    const row = await this.#p.db
      .selectFrom('payers')
      .select('id')
      .where('id', '=', payerId)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Whether the practice holds a contract (a fee schedule or a rule) with the payer: in network. */
  async hasContract(payerId: string): Promise<boolean> {
    const { rows, rules } = await this.#tables();
    return rules.some((r) => r.payerId === payerId) || rows.some((r) => r.payerId === payerId);
  }

  async feeSchedule(payerId: string, code?: string): Promise<{ rows: FeeRow[]; rules: PercentRule[] }> {
    const { rows, rules } = await this.#tables();
    return {
      rows: rows.filter((r) => r.payerId === payerId && (!code || r.code === code.toUpperCase())),
      rules: rules.filter((r) => r.payerId === payerId),
    };
  }

  /** Adds or replaces a schedule row (the payer's contract rate for a code, modifier and POS). */
  async setFee(row: Omit<FeeRow, 'effectiveTo'> & { effectiveTo?: string | null }): Promise<void> {
    await this.#p.db
      .insertInto('fee_schedules')
      .values({
        payer_id: row.payerId,
        code: row.code.toUpperCase(),
        modifier: row.modifier,
        pos: row.pos,
        allowed_cents: row.allowedCents,
        effective_from: row.effectiveFrom,
        effective_to: row.effectiveTo ?? null,
        source: row.source,
      })
      .onConflict((oc) =>
        oc
          .columns(['payer_id', 'code', 'modifier', 'pos', 'effective_from'])
          .doUpdateSet({ allowed_cents: row.allowedCents, effective_to: row.effectiveTo ?? null }),
      )
      .execute();
    this.#loaded = null;
  }
}
