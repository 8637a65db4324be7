import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { CertificateStyle, TemplateVersion } from './domain/templates';

export type CertificateStatus = 'valid' | 'voided';

/** Evidence behind the basis, as issued. */
export interface CertificateEvidence {
  testRecordIds: string[];
  qualityControl: string | null;
  inputsUsed: string[];
  /** Purchaser style: the collections (查验 records) of the upstream certificates it rests on. */
  upstream: { collectionId: string; certificateId: string; number: string }[];
}

/**
 * A 承诺达标合格证. Immutable once issued: every printed field is stored as issued (a later rename
 * of the product or the organisation never changes a certificate). The only change is a void.
 */
@Entity('certificates')
/** A trace code stands for its batch's newest valid certificate: found by index whatever the batch's number of certificates. */
@Index(['batchId', 'status', 'createdAt'])
@Index(['organizationId', 'createdAt'])
export class Certificate {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Human-readable number: {region}-{YYYYMMDD}-{sequence}. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 32 })
  number: string;

  /** Unguessable key of the public page /c/{token}. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 22 })
  token: string;

  @Column({ name: 'template_version', type: 'varchar', length: 20 })
  templateVersion: TemplateVersion;

  @Column({ type: 'varchar', length: 10 })
  style: CertificateStyle;

  /** The issuing organisation (承诺主体). */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  /** The batch's region: regulators of this region may read and void it. */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'product_name', type: 'varchar', length: 200 })
  productName: string;

  @Column({ name: 'product_category', type: 'varchar', length: 300 })
  productCategory: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  /** The quantity in thousandths of its base unit (g, or the count unit), to sum against the batch. */
  @Column({ name: 'base_milli', type: 'numeric', precision: 30, scale: 0 })
  baseMilli: string;

  /** 产地 as printed. */
  @Column({ type: 'varchar', length: 400 })
  origin: string;

  @Column({ name: 'issuer_name', type: 'varchar', length: 200 })
  issuerName: string;

  @Column({ name: 'issuer_contact', type: 'varchar', length: 100, nullable: true })
  issuerContact: string | null;

  /** Who signed (签名) for the issuer, as printed. */
  @Column({ name: 'signed_by', type: 'varchar', length: 50, nullable: true })
  signedBy: string | null;

  @Column({ name: 'issued_on', type: 'date' })
  issuedOn: string;

  @Column({ type: 'text' })
  commitment: string;

  @Column({ type: 'text', array: true })
  basis: string[];

  @Column({ type: 'jsonb' })
  evidence: CertificateEvidence;

  /** The voided certificate this one replaces (re-issue). One re-issue per voided certificate. */
  @Index('uq_certificates_replaces', { unique: true, where: 'replaces_id IS NOT NULL' })
  @ForeignKey('Certificate', { onDelete: 'SET NULL' })
  @Column({ name: 'replaces_id', type: 'uuid', nullable: true })
  replacesId: string | null;

  @Column({ type: 'varchar', length: 8, default: 'valid' })
  status: CertificateStatus;

  @Column({ name: 'voided_at', type: 'timestamptz', precision: 3, nullable: true })
  voidedAt: Date | null;

  @Column({ name: 'void_reason', type: 'varchar', length: 500, nullable: true })
  voidReason: string | null;

  /** Who voided: "issuer" or "regulator:{regionCode}" or "admin". */
  @Column({ name: 'voided_by', type: 'varchar', length: 40, nullable: true })
  voidedBy: string | null;

  /** Deleting before this date is refused (retention period). */
  @Column({ name: 'retain_until', type: 'date' })
  retainUntil: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** Next certificate sequence per region and day (one row each, incremented in the issuing transaction). */
@Entity('certificate_sequences')
export class CertificateSequence {
  @Column({ type: 'varchar', length: 15, primary: true })
  scope: string;

  @Column({ name: 'last_value', type: 'integer' })
  lastValue: number;
}
