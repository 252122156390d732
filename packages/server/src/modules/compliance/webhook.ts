/**
 * Alert notifications by webhook: each new alert that meets the target's minimum risk becomes a delivery row
 * and a job; the job POSTs the alert as JSON, signed with HMAC-SHA256 over `<timestamp>.<body>` with the
 * target's secret, and throws on anything but a 2xx so the job engine retries it with backoff.
 */
import { createHmac } from 'node:crypto';
import type { Platform } from '../../platform/platform.ts';

export const SIGNATURE_HEADER = 'x-intelluxe-signature';
export const TIMESTAMP_HEADER = 'x-intelluxe-timestamp';
export const DELIVERY_HEADER = 'x-intelluxe-delivery';

/** `sha256=<hex>` of HMAC-SHA256(secret, `${timestamp}.${body}`): what receivers recompute to verify. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryOutcome {
  status: 'delivered' | 'failed' | 'retrying' | 'skipped';
  statusCode: number | null;
}

const TIMEOUT_MS = 10_000;

/**
 * Sends one delivery. `finalAttempt` marks it failed instead of throwing for another retry.
 */
export async function deliverWebhook(
  platform: Platform,
  deliveryId: string,
  finalAttempt: boolean,
): Promise<DeliveryOutcome> {
  const { db } = platform;
  const delivery = await db
    .selectFrom('compliance_webhook_deliveries as d')
    .innerJoin('security_alerts as a', 'a.id', 'd.alert_id')
    .select([
      'd.id',
      'd.url',
      'd.status',
      'd.attempts',
      'a.id as alert_id',
      'a.practice_id',
      'a.rule_id',
      'a.risk_level',
      'a.status as alert_status',
      'a.title',
      'a.subject',
      'a.first_event_at',
      'a.last_event_at',
      'a.event_count',
      'a.evidence',
      'a.created_at',
    ])
    .where('d.id', '=', deliveryId)
    .executeTakeFirst();
  if (delivery?.status !== 'pending') return { status: 'skipped', statusCode: null };
  const scopes = delivery.practice_id ? [`practice:${delivery.practice_id}`, 'global'] : ['global'];
  const targets = await db
    .selectFrom('compliance_webhooks')
    .selectAll()
    .where('scope', 'in', scopes)
    .execute();
  const target = targets.find((t) => t.scope === scopes[0]) ?? targets[0];
  if (!target?.enabled) {
    await db
      .updateTable('compliance_webhook_deliveries')
      .set({ status: 'failed', last_error: 'webhook disabled or removed' })
      .where('id', '=', deliveryId)
      .execute();
    return { status: 'failed', statusCode: null };
  }
  const body = JSON.stringify({
    event: 'security_alert.raised',
    deliveryId,
    alert: {
      id: delivery.alert_id,
      practiceId: delivery.practice_id,
      ruleId: delivery.rule_id,
      riskLevel: delivery.risk_level,
      status: delivery.alert_status,
      title: delivery.title,
      subject: delivery.subject,
      firstEventAt: delivery.first_event_at.toISOString(),
      lastEventAt: delivery.last_event_at.toISOString(),
      eventCount: delivery.event_count,
      evidence: delivery.evidence,
      createdAt: delivery.created_at.toISOString(),
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const response = await fetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'intelluxe-compliance-webhook/1',
        [SIGNATURE_HEADER]: webhookSignature(platform.cipher.decrypt(target.secret_enc), timestamp, body),
        [TIMESTAMP_HEADER]: timestamp,
        [DELIVERY_HEADER]: deliveryId,
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    statusCode = response.status;
    await response.body?.cancel();
    if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
  } catch (caught) {
    error = caught instanceof Error ? caught.message : String(caught);
  }
  const delivered = error === null;
  const status = delivered ? 'delivered' : finalAttempt ? 'failed' : 'pending';
  await db
    .updateTable('compliance_webhook_deliveries')
    .set({
      status,
      attempts: delivery.attempts + 1,
      last_status_code: statusCode,
      last_error: error,
      delivered_at: delivered ? new Date() : null,
    })
    .where('id', '=', deliveryId)
    .execute();
  if (delivered) return { status: 'delivered', statusCode };
  if (finalAttempt) return { status: 'failed', statusCode };
  throw new Error(`webhook delivery ${deliveryId} to ${new URL(target.url).host} failed: ${error}`);
}
