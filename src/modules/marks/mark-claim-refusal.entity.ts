import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A refused attempt to claim a mark (possible misuse, for regulators); written after the failed transaction. */
@Entity('mark_claim_refusals')
@Index(['scheme', 'claimedOn'])
@Index(['markId'])
export class MarkClaimRefusal {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @Column({ type: 'varchar', length: 20 })
  scheme: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'claimed_on', type: 'date' })
  claimedOn: string;

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
