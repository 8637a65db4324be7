import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Actor } from '../auth';

export type CaptureStatus = 'pending' | 'running' | 'done' | 'failed';
export type CaptureErrorBehaviour = 'rollback' | 'proceed';

export interface CaptureEventError {
  /** The event's position in the document; null for an error of the capture as a whole. */
  index: number | null;
  eventID: string | null;
  code: string;
  message: string;
}

/** The capture's job id (derived from the capture, so the queue dedupes it). */
export function captureJobId(captureId: string): string {
  return `capture-${captureId}`;
}

/** An EPCIS capture (REST binding: POST /events → 202 + /capture/{id}), run as a job. */
@Entity('capture_jobs')
@Index('ix_capture_jobs_unfinished', ['createdAt'], { where: "status IN ('pending', 'running')" })
export class CaptureJob {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  /** Who captured (the job checks ownership and is audited as this caller); null on jobs queued before it was kept. */
  @Column({ type: 'jsonb', nullable: true })
  actor: Actor | null;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: CaptureStatus;

  @Column({ name: 'error_behaviour', type: 'varchar', length: 10 })
  errorBehaviour: CaptureErrorBehaviour;

  /** The captured document until the job has run (then cleared). */
  @Column({ type: 'jsonb', nullable: true })
  document: Record<string, unknown> | null;

  /**
   * The namespace prefixes the captured document's @context declared (`{ example: 'https://…/' }`):
   * kept after the document is cleared, so that exports and query answers declare them again and a
   * partner recomputing an event hash ID expands the extension fields as the capture did.
   */
  @Column({ type: 'jsonb', nullable: true })
  prefixes: Record<string, string> | null;

  @Column({ name: 'event_count', type: 'integer' })
  eventCount: number;

  @Column({ name: 'captured_count', type: 'integer', default: 0 })
  capturedCount: number;

  /** Events already on record (same eventID): not stored twice. */
  @Column({ name: 'duplicate_count', type: 'integer', default: 0 })
  duplicateCount: number;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  errors: CaptureEventError[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
