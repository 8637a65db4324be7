import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * A job the sweeper found lost and queued again: the job id now in use (the original id plus
 * `-requeue-<n>`, so BullMQ takes it as a new job) and how often that happened.
 */
@Entity('job_recoveries')
export class JobRecovery {
  @PrimaryColumn({ type: 'varchar', length: 60 })
  queue: string;

  @PrimaryColumn({ name: 'base_job_id', type: 'varchar', length: 200 })
  baseJobId: string;

  @Column({ name: 'current_job_id', type: 'varchar', length: 220 })
  currentJobId: string;

  @Column({ type: 'integer' })
  requeues: number;

  /** Why the last job was found lost (e.g. BullMQ's "job stalled more than allowable limit"). */
  @Column({ name: 'last_cause', type: 'varchar', length: 500 })
  lastCause: string;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
