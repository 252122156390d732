import type { TransactionSet } from './envelope.ts';
import type { SegmentTable } from './tokenizer.ts';
import { claimKind } from './transactions/claims.ts';
import { is277CA } from './transactions/status.ts';

/** Transaction kinds this library types. */
export type TransactionType =
  | '270'
  | '271'
  | '276'
  | '277'
  | '277CA'
  | '278'
  | '835'
  | '837P'
  | '837I'
  | '837D'
  | '999'
  | '997'
  | 'TA1';

/** The typed kind of one transaction set (837 by its lines, 277 vs 277CA by guide), or null when unsupported. */
export function transactionTypeOf(t: SegmentTable, tx: TransactionSet): TransactionType | null {
  switch (tx.id) {
    case '270':
    case '271':
    case '276':
    case '278':
    case '835':
    case '999':
    case '997':
      return tx.id;
    case '277':
      return is277CA(t, tx.start, tx.end, tx.implementationReference) ? '277CA' : '277';
    case '837':
      return claimKind(t, tx.start, tx.end, tx.implementationReference);
    default:
      return null;
  }
}
