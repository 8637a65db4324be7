import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A refused attempt to claim a GI (for the regulators' usage report); written after the failed transaction. */
@Entity('gi_claim_refusals')
@Index(['giId', 'producedOn'])
export class GiClaimRefusal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'produced_on', type: 'date' })
  producedOn: string;

  @Column({ type: 'varchar', length: 40 })
  reason: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  details: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
