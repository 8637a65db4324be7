import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A job recorded in the same transaction as the change that needs it, then relayed to the queue.
 * If the process dies between commit and enqueue, the relay still finds the row.
 */
@Entity('outbox')
@Index('ix_outbox_pending', ['createdAt'], { where: 'dispatched_at IS NULL' })
@Index('ix_outbox_job_id', ['jobId'])
export class OutboxEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 60 })
  queue: string;

  /** Derived from the entity, so a job is never queued twice (BullMQ dedupes by job id). */
  @Column({ name: 'job_id', type: 'varchar', length: 200 })
  jobId: string;

  @Column({ type: 'jsonb' })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'dispatched_at', type: 'timestamptz', precision: 3, nullable: true })
  dispatchedAt: Date | null;

  /**
   * Where the relay handed the job (`bullmq:<prefix>`, `in-process:<process id>`): the sweeper judges
   * whether a job is lost only through the transport that holds it.
   */
  @Column({ name: 'dispatched_to', type: 'varchar', length: 120, nullable: true })
  dispatchedTo: string | null;

  /** Times the queue refused this job while it took others (the job's own fault, not an outage). */
  @Column({ name: 'relay_attempts', type: 'int', default: 0 })
  relayAttempts: number;

  @Column({ name: 'relay_error', type: 'text', nullable: true })
  relayError: string | null;

  /** Set when the relay gave up on the job: it no longer holds up the jobs behind it, and metrics count it. */
  @Column({ name: 'failed_at', type: 'timestamptz', precision: 3, nullable: true })
  failedAt: Date | null;
}
