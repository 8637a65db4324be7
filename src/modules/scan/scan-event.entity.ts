import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One scan of a QR code, with coarse client information only (never an IP address). */
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

  @Column({ name: 'scanned_at', type: 'timestamptz', precision: 3 })
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
