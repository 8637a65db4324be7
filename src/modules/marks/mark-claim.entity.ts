import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A batch's claim of a mark, checked and written in the batch's own transaction. Never rewritten:
 * revoking the mark or the licence later leaves it as it was (the scan page shows the state).
 */
@Entity('mark_claims')
@Index('uq_mark_claims_batch_mark', ['batchId', 'markId'], { unique: true })
@Index(['markId', 'year'])
@Index(['scheme', 'claimedOn'])
export class MarkClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @Column({ type: 'varchar', length: 20 })
  scheme: string;

  @ForeignKey('MarkLicence')
  @Column({ name: 'licence_id', type: 'uuid', nullable: true })
  licenceId: string | null;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The site's region, copied so regulators' reports filter without a join. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** The day the mark had to be valid on. */
  @Column({ name: 'claimed_on', type: 'date' })
  claimedOn: string;

  @Column({ type: 'smallint' })
  year: number;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ name: 'base_amount', type: 'numeric', precision: 24, scale: 6 })
  baseAmount: string;

  @Column({ name: 'base_unit', type: 'varchar', length: 4 })
  baseUnit: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
