import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation's webhook endpoint. The secret is stored encrypted (it must sign deliveries). */
@Entity('webhook_subscriptions')
@Index(['organizationId', 'createdAt'])
export class WebhookSubscription {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 500 })
  url: string;

  /** Notification kinds to send; null = every kind. */
  @Column({ type: 'jsonb', nullable: true })
  kinds: string[] | null;

  /** AES-256-GCM, see domain/webhook-crypto.ts. */
  @Column({ name: 'secret_encrypted', type: 'varchar', length: 300 })
  secretEncrypted: string;

  /** First characters of the secret, so people can tell secrets apart. */
  @Column({ name: 'secret_prefix', type: 'varchar', length: 12 })
  secretPrefix: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'deleted_at', type: 'timestamptz', precision: 3, nullable: true })
  deletedAt: Date | null;
}
