import { Column, Entity, ForeignKey, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/**
 * The quantity ledger of a certificate: how much of what it certifies has been collected (查验 by
 * purchasers and market gates), in the certificate's stored base unit (thousandths of a gram, or of
 * the counted unit, like `certificates.base_milli`). One row per certificate, changed only by one
 * conditional upsert, so concurrent collections can never add up to more than the certificate.
 */
@Entity('certificate_ledger')
export class CertificateLedger {
  @ForeignKey('Certificate', { onDelete: 'CASCADE' })
  @PrimaryColumn({ name: 'certificate_id', type: 'uuid' })
  certificateId: string;

  @Column({ name: 'collected_base_milli', type: 'numeric', precision: 30, scale: 0 })
  collectedBaseMilli: string;

  @Column({ type: 'integer', default: 0 })
  collections: number;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
