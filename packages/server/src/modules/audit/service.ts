/** Reading the audit trail: filtered, paginated queries and chain verification. Reads are audited too. */

import { type VerifyResult, verifyAuditChain } from '../../platform/audit/verify.ts';
import { invalidField } from '../../platform/errors.ts';
import type { Platform } from '../../platform/platform.ts';
import type { AuditActor } from '../auth/service.ts';

export interface AuditQuery {
  actorId?: string;
  action?: string;
  resourceType?: string;
  resourceId?: string;
  outcome?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface AuditEventView {
  id: string;
  occurredAt: string;
  actor: { type: string; id: string | null; role: string | null };
  action: string;
  resource: { type: string | null; id: string | null };
  purpose: string | null;
  outcome: string;
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export class AuditService {
  readonly #p: Platform;

  constructor(platform: Platform) {
    this.#p = platform;
  }

  async listEvents(
    query: AuditQuery,
    actor: AuditActor,
  ): Promise<{ items: AuditEventView[]; nextCursor: string | null }> {
    // A sequence number: more digits than a safe integer holds failed in the bigint comparison as a 500.
    if (query.cursor !== undefined && !/^\d{1,15}$/.test(query.cursor))
      throw invalidField('/query/cursor', 'is not a cursor from this endpoint');
    if (query.from && query.to && query.from > query.to) throw invalidField('/query/to', 'is before from');
    const limit = query.limit ?? 100;
    let q = this.#p.db.selectFrom('audit_events').selectAll();
    if (actor.practiceId) q = q.where('practice_id', '=', actor.practiceId);
    if (query.actorId) q = q.where('actor_id', '=', query.actorId);
    if (query.action) {
      q = query.action.endsWith('.*')
        ? q.where('action', 'like', `${query.action.slice(0, -1)}%`)
        : q.where('action', '=', query.action);
    }
    if (query.resourceType) q = q.where('resource_type', '=', query.resourceType);
    if (query.resourceId) q = q.where('resource_id', '=', query.resourceId);
    if (query.outcome) q = q.where('outcome', '=', query.outcome);
    if (query.from) q = q.where('occurred_at', '>=', new Date(query.from));
    if (query.to) q = q.where('occurred_at', '<', new Date(query.to));
    if (query.cursor) q = q.where('seq', '<', Number(query.cursor));
    const rows = await q
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    await this.#p.audit.record({
      ...actor,
      action: 'audit.read',
      outcome: 'success',
      resourceType: 'audit_event',
      details: {
        filters: Object.keys(query).filter((k) => k !== 'cursor' && k !== 'limit'),
        count: page.length,
      },
    });
    return {
      items: page.map((r) => ({
        id: String(r.seq),
        occurredAt: r.occurred_at.toISOString(),
        actor: { type: r.actor_type, id: r.actor_id, role: r.actor_role },
        action: r.action,
        resource: { type: r.resource_type, id: r.resource_id },
        purpose: r.purpose,
        outcome: r.outcome,
        ip: r.ip,
        userAgent: r.user_agent,
        requestId: r.request_id,
        details: r.details,
        hash: r.hash,
      })),
      nextCursor: rows.length > limit ? String(page[page.length - 1]!.seq) : null,
    };
  }

  async verify(actor: AuditActor | null): Promise<VerifyResult> {
    const result = await verifyAuditChain(this.#p.db);
    if (actor) {
      await this.#p.audit.record({
        ...actor,
        action: 'audit.verify',
        outcome: result.valid ? 'success' : 'failure',
        details: { events: result.events, firstBrokenEventId: result.firstBrokenEventId },
      });
    }
    return result;
  }
}
