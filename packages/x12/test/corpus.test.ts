import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TypedTransaction } from '../src/index.ts';
import { detectTransactionType, parse837, parseInterchange, parseX12, X12Error } from '../src/index.ts';
import { CORPUS } from './corpus-expectations.ts';

const root = new URL('../../../../shared/corpora/x12/', import.meta.url);

function itemsOf(t: TypedTransaction): { items: number; lines: number } {
  switch (t.type) {
    case '837P':
    case '837I':
    case '837D':
      return {
        items: t.transaction.claims.length,
        lines: t.transaction.claims.reduce((n, c) => n + c.lines.length, 0),
      };
    case '835':
      return {
        items: t.transaction.claims.length,
        lines: t.transaction.claims.reduce((n, c) => n + c.services.length, 0),
      };
    case '271':
      return { items: t.transaction.benefits.length, lines: 0 };
    case '277':
    case '277CA': {
      const r = t.transaction;
      const level = r.levelStatuses.reduce((n, l) => n + l.statuses.length, 0);
      const claims = r.claims.reduce(
        (n, c) => n + c.statuses.length + c.lines.reduce((m, l) => m + l.statuses.length, 0),
        0,
      );
      return { items: level + claims, lines: 0 };
    }
    case '278': {
      const r = t.transaction;
      return { items: (r.event.decision ? 1 : 0) + r.services.filter((s) => s.decision).length, lines: 0 };
    }
    case '999':
    case '997':
      return { items: t.transaction.transactionSets.length, lines: 0 };
    case 'TA1':
      return { items: 1, lines: 0 };
    default:
      return { items: 0, lines: 0 };
  }
}

describe('public X12 corpus', () => {
  it('reads the dental 837 as dental, with its SV3 line', () => {
    const [dental] = parse837(readFileSync(new URL('837D/oop_4010_cob_b.x12', root))).transactions;
    expect(dental?.kind).toBe('dental');
    expect(dental?.claims[0]?.lines[0]?.procedure?.qualifier).toBe('AD');
  });

  it('has the whole corpus in the fixture table', () => {
    expect(CORPUS).toHaveLength(145);
  });

  for (const expected of CORPUS) {
    it(expected.file, () => {
      const bytes = readFileSync(new URL(expected.file, root));
      const doc = parseX12(bytes);
      const table = parseInterchange(bytes).table;
      expect(detectTransactionType(bytes)).toBe(expected.type);
      expect(table.length).toBe(expected.segments);
      expect(doc.interchanges).toHaveLength(expected.interchanges);
      const sets = doc.transactions.filter((t) => t.type !== 'TA1');
      expect(sets).toHaveLength(expected.transactionSets);

      const typed = expected.type === 'TA1' ? doc.transactions : sets;
      const totals = typed
        .map(itemsOf)
        .reduce((a, b) => ({ items: a.items + b.items, lines: a.lines + b.lines }), { items: 0, lines: 0 });
      expect(totals.items).toBe(expected.items);
      if (expected.lines !== undefined) expect(totals.lines).toBe(expected.lines);

      const errors: Record<string, number[]> = {};
      for (const d of doc.diagnostics) {
        if (d.severity !== 'error') continue;
        errors[d.code] ??= [];
        errors[d.code]!.push(d.segmentIndex);
        if (d.segmentIndex >= 0) {
          expect(d.segmentId).toBe(table.id(d.segmentIndex));
          expect(d.offset).toBeGreaterThanOrEqual(table.offset(d.segmentIndex));
          expect(d.offset).toBeLessThanOrEqual(table.ends[d.segmentIndex]!);
        }
      }
      const summarized = Object.fromEntries(
        Object.entries(errors).map(([code, at]) => [
          code,
          Array.isArray(expected.errors[code]) ? at : at.length,
        ]),
      );
      expect(summarized).toEqual(expected.errors);

      if (Object.keys(expected.errors).length === 0) {
        expect(() => parseX12(bytes, { strict: true })).not.toThrow();
      } else {
        let thrown: unknown;
        try {
          parseX12(bytes, { strict: true });
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(X12Error);
        expect(new Set((thrown as X12Error).diagnostics.map((d) => d.code))).toEqual(
          new Set([...Object.keys(expected.errors), ...doc.diagnostics.map((d) => d.code)]),
        );
      }
    });
  }
});
