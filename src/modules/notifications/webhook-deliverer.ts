import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../../config/app-config';
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { decryptSecret, signBody } from './domain/webhook-crypto';
import { WebhookAddressGuard, WebhookRefused } from './webhook-address-guard';
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

/** POSTs the body and returns the status; the agents' lookup decides (and pins) the address. */
function post(url: string, agents: { http: HttpAgent; https: HttpsAgent }, headers: Record<string, string>, body: string, signal: AbortSignal): Promise<number> {
  const secure = new URL(url).protocol === 'https:';
  return new Promise((resolve, reject) => {
    // No redirects are followed: a 3xx is a failed attempt, never a second, unchecked target.
    const req = (secure ? httpsRequest : httpRequest)(url, { method: 'POST', agent: secure ? agents.https : agents.http, headers, signal }, (res) => {
      res.on('error', reject).on('end', () => resolve(res.statusCode ?? 0)).resume();
    });
    req.on('error', reject).end(body);
  });
}

/** Thrown for a failed attempt that should be retried (non-2xx, timeout, refused). */
class DeliveryFailed extends Error {}

/**
 * Sends one delivery. Idempotent: a delivery that already succeeded (or failed for good, or whose
 * subscription was deleted) is not sent again, so a job that runs twice sends once; receivers can
 * also de-duplicate on X-Tianfu-Delivery, which is the same on every attempt.
 */
@Injectable()
export class WebhookDeliverer implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly agents: { http: HttpAgent; https: HttpsAgent };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly guard: WebhookAddressGuard,
  ) {
    const options = { keepAlive: true, lookup: guard.lookup };
    this.agents = { http: new HttpAgent(options), https: new HttpsAgent(options) };
  }

  onModuleDestroy(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

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
    let refused = false;
    const signal = AbortSignal.timeout(this.config.webhookTimeoutMs);
    try {
      this.guard.assertUrl(row.url);
      status = await post(row.url, this.agents, {
        'content-type': 'application/json',
        'user-agent': 'TianfuTrace-Webhook/1',
        'x-tianfu-delivery': row.id,
        'x-tianfu-timestamp': String(timestamp),
        'x-tianfu-signature': signBody(secret, body),
      }, body, signal);
      if (status < 200 || status >= 300) error = `HTTP ${status}`;
    } catch (e) {
      refused = e instanceof WebhookRefused;
      error = refused ? `refused: ${(e as Error).message}` : signal.aborted ? `timeout after ${this.config.webhookTimeoutMs} ms` : `no answer: ${String(e)}`.slice(0, 200);
    }
    const ok = error === null;
    const final = !ok && (refused || attempt >= this.config.webhookMaxAttempts);
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
