import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** An organisation authorised to use a GI (授权使用人) for a period, with an optional yearly quota. */
@Entity('gi_authorisations')
@Index('uq_gi_authorisations_period', ['giId', 'organizationId', 'validFrom'], { unique: true })
export class GiAuthorisation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('GiRecord')
  @Column({ name: 'gi_id', type: 'uuid' })
  giId: string;

  @Index()
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'valid_from', type: 'date' })
  validFrom: string;

  /** Last valid day; null = open-ended. */
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
