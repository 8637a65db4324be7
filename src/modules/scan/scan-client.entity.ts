import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * Who scanned an item code: one row per code and client fingerprint (see ClientFingerprint), with
 * the first and last scan. The copy warning counts these rows, not scans. No foreign key, like
 * scan_events: it is written in bulk by the scan recorder.
 */
@Entity('scan_clients')
export class ScanClient {
  @PrimaryColumn({ type: 'varchar', length: 13 })
  code: string;

  @PrimaryColumn({ type: 'bigint' })
  client: string;

  @Column({ type: 'bigint' })
  network: string;

  @Column({ name: 'first_seen', type: 'timestamptz', precision: 3 })
  firstSeen: Date;

  @Column({ name: 'last_seen', type: 'timestamptz', precision: 3 })
  lastSeen: Date;
}
