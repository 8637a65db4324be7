import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A batch's claim of a GI, checked and written in the batch's own transaction. Never rewritten:
 * revoking the GI or the authorisation later leaves it as it was.
 */
@Entity('gi_claims')
@Index(['giId', 'producedOn'])
@Index(['authorisationId', 'year'])
export class GiClaim {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index({ unique: true })
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;

  @ForeignKey('GiAuthorisation')
  @Column({ name: 'authorisation_id', type: 'uuid' })
  authorisationId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The site's region, copied so regulators' reports filter without a join. */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'produced_on', type: 'date' })
  producedOn: string;

  @Column({ type: 'smallint' })
  year: number;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  /** The quantity in its base unit (kg for masses), for quota sums. */
  @Column({ name: 'base_amount', type: 'numeric', precision: 24, scale: 6 })
  baseAmount: string;

  @Column({ name: 'base_unit', type: 'varchar', length: 4 })
  baseUnit: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
