import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'cancelled'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  /** HTTP status, or null when there was no answer (timeout, refused). */
  status: number | null;
  error: string | null;
  ms: number;
}

/** A delivery's job id (derived from the pair, so the queue dedupes it). */
export function deliveryJobId(notificationId: string, subscriptionId: string): string {
  return `webhook-${notificationId}-${subscriptionId}`;
}

/** One notification to one subscription; its id is the X-Tianfu-Delivery header (same on every attempt). */
@Entity('webhook_deliveries')
@Index('uq_webhook_deliveries_pair', ['notificationId', 'subscriptionId'], { unique: true })
@Index('ix_webhook_deliveries_pending', ['createdAt'], { where: "status = 'pending'" })
export class WebhookDelivery {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Notification')
  @Column({ name: 'notification_id', type: 'uuid' })
  notificationId: string;

  @Index()
  @ForeignKey('WebhookSubscription')
  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'integer', default: 0 })
  attempts: number;

  /** Every attempt, in order. */
  @Column({ name: 'attempt_log', type: 'jsonb', default: () => "'[]'" })
  attemptLog: DeliveryAttempt[];

  @Column({ name: 'delivered_at', type: 'timestamptz', precision: 3, nullable: true })
  deliveredAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
