import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * A write made with an Idempotency-Key. The row is inserted in the same transaction as the write
 * itself, so a retry either finds the committed response or waits for the first attempt to finish.
 */
@Entity('idempotency_keys')
export class IdempotencyKey {
  /** Whose key: an organisation id, or 'admin'. Keys of different callers never collide. */
  @PrimaryColumn({ type: 'varchar', length: 60 })
  scope: string;

  @PrimaryColumn({ type: 'varchar', length: 200 })
  key: string;

  @Column({ type: 'varchar', length: 200 })
  route: string;

  @Column({ name: 'request_hash', type: 'char', length: 64 })
  requestHash: string;

  @Column({ type: 'jsonb', nullable: true })
  response: unknown;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
