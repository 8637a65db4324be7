import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A regulator's override of one application's interval for a crop (e.g. a residue test showed
 * the crop clean): the gate lets a batch pass it, recorded as overridden. Written through the
 * audited write path.
 */
@Entity('phi_overrides')
@Index(['applicationId', 'categoryPath'], { unique: true })
export class PhiOverride {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'application_id', type: 'uuid' })
  applicationId: string;

  @Column({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  @Column({ type: 'varchar', length: 500 })
  reason: string;

  @Column({ name: 'regulator_organization_id', type: 'uuid' })
  regulatorOrganizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
