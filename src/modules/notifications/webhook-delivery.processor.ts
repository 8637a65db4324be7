import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobContext, JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { JOB_ABANDONED, RecoverableJobs, UnfinishedWork } from '../jobs';
import { WebhookDeliverer } from './webhook-deliverer';
import { deliveryJobId } from './webhook-delivery.entity';

/** Delivers one webhook; a failed attempt throws, and the queue retries it with backoff. */
@QueueProcessor(QUEUES.webhookDelivery)
export class WebhookDeliveryProcessor implements JobProcessor<'webhook-delivery'>, RecoverableJobs<'webhook-delivery'> {
  readonly queue = QUEUES.webhookDelivery;

  constructor(
    private readonly deliverer: WebhookDeliverer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  process(payload: JobPayloads['webhook-delivery'], context: JobContext): Promise<void> {
    return this.deliverer.deliver(payload.deliveryId, context.attempt);
  }

  async unfinished(limit: number): Promise<UnfinishedWork<'webhook-delivery'>[]> {
    const rows = await this.dataSource.query(
      `SELECT id, notification_id AS "notificationId", subscription_id AS "subscriptionId" FROM webhook_deliveries
       WHERE status = 'pending' ORDER BY created_at LIMIT $1`, [limit],
    ) as { id: string; notificationId: string; subscriptionId: string }[];
    return rows.map((r) => ({ entityId: r.id, jobId: deliveryJobId(r.notificationId, r.subscriptionId), payload: { deliveryId: r.id } }));
  }

  /** Failed for good, the reason as the last entry of its attempt log (the notifications list shows it). */
  async giveUp(deliveryId: string, reason: string): Promise<boolean> {
    const [rows] = await this.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed',
         attempt_log = attempt_log || jsonb_build_array(jsonb_build_object('attempt', attempts, 'at', $2::text, 'status', NULL, 'error', $3::text, 'ms', 0))
       WHERE id = $1 AND status = 'pending' RETURNING id`,
      [deliveryId, new Date().toISOString(), `${JOB_ABANDONED}: ${reason}`.slice(0, 500)],
    ) as [unknown[], number];
    return rows.length > 0;
  }
}
