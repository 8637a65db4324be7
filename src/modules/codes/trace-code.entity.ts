import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn } from 'typeorm';

export type TraceCodeKind = 'batch' | 'item';

/**
 * Every code a QR can carry: one per batch, one per printed item. The primary key is the
 * uniqueness guarantee; codes are random (65 bits), never derived from anything guessable.
 */
@Entity('trace_codes')
@Index(['printRunId', 'serial'])
export class TraceCode {
  @PrimaryColumn({ type: 'varchar', length: 13 })
  code: string;

  @Column({ type: 'varchar', length: 5 })
  kind: TraceCodeKind;

  @Index()
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('PrintRun')
  @Column({ name: 'print_run_id', type: 'uuid', nullable: true })
  printRunId: string | null;

  /** Position of an item code in its batch's serial sequence (1, 2, …). */
  @Column({ type: 'integer', nullable: true })
  serial: number | null;

  @Column({ name: 'scan_count', type: 'integer', default: 0 })
  scanCount: number;

  /** Distinct clients that scanned this item code recently (the copy warning's measure; see ScanRecorder). */
  @Column({ name: 'client_count', type: 'integer', default: 0 })
  clientCount: number;

  @Column({ name: 'first_scanned_at', type: 'timestamptz', precision: 3, nullable: true })
  firstScannedAt: Date | null;

  @Column({ name: 'last_scanned_at', type: 'timestamptz', precision: 3, nullable: true })
  lastScannedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
