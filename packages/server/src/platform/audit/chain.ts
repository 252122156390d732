/** The audit hash chain: each event's hash covers its content and the previous event's hash. */
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainedContent {
  seq: number;
  occurredAt: Date;
  practiceId: string | null;
  actorType: string;
  actorId: string | null;
  actorRole: string | null;
  action: string;
  resourceType: string | null;
  resourceId: string | null;
  purpose: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
}

/** JSON with object keys sorted at every level, so a jsonb round trip hashes the same. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashEvent(prevHash: string, e: ChainedContent): string {
  return chainHash(prevHash, e.seq, chainedTail(e));
}

/**
 * The hashed content after the sequence number, in canonical JSON: what an event's hash covers besides its place
 * in the chain. The writer prepares it when an event is recorded, before the event's batch and place are known.
 */
export function chainedTail(e: Omit<ChainedContent, 'seq'>): string {
  return [
    e.occurredAt.toISOString(),
    e.practiceId,
    e.actorType,
    e.actorId,
    e.actorRole,
    e.action,
    e.resourceType,
    e.resourceId,
    e.purpose,
    e.outcome,
    e.ip,
    e.userAgent,
    e.requestId,
    e.details,
  ]
    .map(canonicalJson)
    .join(',');
}

/** The hash of the event at `seq` after `prevHash`, whose content after the sequence number is `tail`. */
export function chainHash(prevHash: string, seq: number, tail: string): string {
  return createHash('sha256').update(prevHash).update(`\n[${seq},${tail}]`).digest('hex');
}
