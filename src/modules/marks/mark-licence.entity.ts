import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation licensed to use a mark (区域公用品牌 授权) for a period, with an optional yearly quota. */
@Entity('mark_licences')
@Index('uq_mark_licences_period', ['markId', 'organizationId', 'validFrom'], { unique: true })
export class MarkLicence {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('MarkRecord')
  @Column({ name: 'mark_id', type: 'uuid' })
  markId: string;

  @Index()
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  @Column({ name: 'valid_to', type: 'date', nullable: true })
  validTo: string | null;

  @Column({ name: 'quota_value', type: 'numeric', precision: 15, scale: 3, nullable: true })
  quotaValue: string | null;

  @Column({ name: 'quota_unit', type: 'varchar', length: 4, nullable: true })
  quotaUnit: string | null;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: 'active' | 'revoked';

  @Column({ name: 'revoked_on', type: 'date', nullable: true })
  revokedOn: string | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
