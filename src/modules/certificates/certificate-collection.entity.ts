import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * accepted: a valid certificate matching the product was collected.
 * other_proof: no certificate; another proof of quality was recorded instead.
 * mismatch / voided / unknown: refused — kept and shown to the region's regulator.
 * exhausted: refused — the certificate's quantity has already been collected (quantity ledger).
 */
export const COLLECTION_OUTCOMES = ['accepted', 'other_proof', 'mismatch', 'voided', 'unknown', 'exhausted'] as const;
export type CollectionOutcome = (typeof COLLECTION_OUTCOMES)[number];

export interface OtherProof {
  kind: string;
  reference: string;
  issuer: string | null;
}

/** A purchaser's or market's 查验 of an incoming certificate (or of another proof of quality). */
@Entity('certificate_collections')
@Index(['organizationId', 'createdAt'])
@Index(['regionCode', 'outcome'])
export class CertificateCollection {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The collecting purchaser or market. */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The collector's region: its regulator sees refused collections. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Index()
  @ForeignKey('Certificate', { onDelete: 'SET NULL' })
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true })
  certificateId: string | null;

  /** What was scanned or typed. */
  @Column({ name: 'presented', type: 'varchar', length: 300, nullable: true })
  presented: string | null;

  /** The purchaser's product the goods are bought as; null at a market gate (goods declared by category). */
  @ForeignKey('Product')
  @Column({ name: 'product_id', type: 'uuid', nullable: true })
  productId: string | null;

  /** The food category the goods were declared as (the product's, or the gate's declaration). */
  @Column({ name: 'category_path', type: 'varchar', length: 300, nullable: true })
  categoryPath: string | null;

  /** Where the check was made: a purchase (查验 route) or a market gate entry (入场查验). */
  @Column({ type: 'varchar', length: 12, default: 'purchase' })
  source: 'purchase' | 'market_entry';

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3, nullable: true })
  quantityValue: string | null;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4, nullable: true })
  quantityUnit: string | null;

  @Column({ name: 'supplier_name', type: 'varchar', length: 200, nullable: true })
  supplierName: string | null;

  @Column({ type: 'varchar', length: 12 })
  outcome: CollectionOutcome;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'other_proof', type: 'jsonb', nullable: true })
  otherProof: OtherProof | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
