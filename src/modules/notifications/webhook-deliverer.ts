import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { decryptSecret, signBody } from './domain/webhook-crypto';
import type { DeliveryAttempt } from './webhook-delivery.entity';

interface DeliveryRow {
  id: string;
  status: string;
  url: string;
  secretEncrypted: string;
  subscriptionDeleted: boolean;
  notificationId: string;
  organizationId: string;
  kind: string;
  subjectType: string;
  subjectId: string;
  regionCode: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

/** Thrown for a failed attempt that should be retried (non-2xx, timeout, refused). */
export class DeliveryFailed extends Error {}

/**
 * Sends one delivery. Idempotent: a delivery that already succeeded (or failed for good, or whose
 * subscription was deleted) is not sent again, so a job that runs twice sends once; receivers can
 * also de-duplicate on X-Tianfu-Delivery, which is the same on every attempt.
 */
@Injectable()
export class WebhookDeliverer {
  private readonly logger = new Logger('Webhooks');

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async deliver(deliveryId: string, attempt: number): Promise<void> {
    const [row] = await this.dataSource.query(
      `SELECT d.id, d.status, s.url, s.secret_encrypted AS "secretEncrypted", s.deleted_at IS NOT NULL AS "subscriptionDeleted",
              n.id AS "notificationId", n.organization_id AS "organizationId", n.kind, n.subject_type AS "subjectType",
              n.subject_id AS "subjectId", n.region_code AS "regionCode", n.payload, n.created_at AS "createdAt"
       FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id JOIN notifications n ON n.id = d.notification_id
       WHERE d.id = $1`, [deliveryId],
    ) as DeliveryRow[];
    if (!row || row.status !== 'pending') return;
    if (row.subscriptionDeleted) {
      await this.dataSource.query(`UPDATE webhook_deliveries SET status = 'cancelled' WHERE id = $1 AND status = 'pending'`, [deliveryId]);
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    // The timestamp is also inside the signed body, so a receiver can refuse old replays.
    const body = JSON.stringify({
      id: row.id, notificationId: row.notificationId, kind: row.kind, subject: { type: row.subjectType, id: row.subjectId },
      organizationId: row.organizationId, regionCode: row.regionCode, createdAt: row.createdAt.toISOString(), timestamp, attempt,
      payload: row.payload,
    });
    const secret = decryptSecret(this.config.secretKey, row.secretEncrypted);
    const started = Date.now();
    let status: number | null = null;
    let error: string | null = null;
    try {
      const res = await fetch(row.url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.webhookTimeoutMs),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'TianfuTrace-Webhook/1',
          'x-tianfu-delivery': row.id,
          'x-tianfu-timestamp': String(timestamp),
          'x-tianfu-signature': signBody(secret, body),
        },
        body,
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      // Not `instanceof`: fetch's DOMException may come from another realm.
      error = (e as { name?: string } | null)?.name === 'TimeoutError' ? `timeout after ${this.config.webhookTimeoutMs} ms` : `no answer: ${String((e as { cause?: unknown } | null)?.cause ?? e)}`.slice(0, 200);
    }
    const ok = error === null;
    const final = !ok && attempt >= this.config.webhookMaxAttempts;
    const entry: DeliveryAttempt = { attempt, at: new Date(started).toISOString(), status, error, ms: Date.now() - started };
    await this.dataSource.query(
      `UPDATE webhook_deliveries SET attempts = attempts + 1, attempt_log = attempt_log || $2::jsonb,
         status = $3::varchar, delivered_at = CASE WHEN $3::varchar = 'delivered' THEN now() ELSE delivered_at END
       WHERE id = $1 AND status = 'pending'`,
      [deliveryId, JSON.stringify([entry]), ok ? 'delivered' : final ? 'failed' : 'pending'],
    );
    if (final) this.logger.warn({ msg: 'webhook delivery failed for good', deliveryId, attempts: attempt, error });
    if (!ok && !final) throw new DeliveryFailed(`webhook ${deliveryId} attempt ${attempt}: ${error}`);
  }
}
