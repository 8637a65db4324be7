import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One scan of a QR code, with coarse client information only (never an IP address).
 * Partitioned by month of scanned_at (China time), with a default partition (migration
 * PartitionedScansAndCodes; partitions made ahead and old ones dropped by the scan-partitions job):
 * the key is (id, scanned_at) because a partitioned table's keys must hold its partition key.
 */
@Entity('scan_events')
@Index(['code', 'scannedAt'])
@Index(['batchId', 'scannedAt'])
export class ScanEvent {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 13 })
  code: string;

  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @PrimaryColumn({ name: 'scanned_at', type: 'timestamptz', precision: 3 })
  scannedAt: Date;

  /** t: trace page · dl: GS1 Digital Link · api: JSON */
  @Column({ type: 'varchar', length: 4 })
  via: string;

  @Column({ type: 'varchar', length: 8 })
  device: string;

  @Column({ type: 'varchar', length: 10 })
  os: string;

  @Column({ type: 'varchar', length: 10 })
  app: string;

  @Column({ type: 'varchar', length: 12, nullable: true })
  lang: string | null;
}
