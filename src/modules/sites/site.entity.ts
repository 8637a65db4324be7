import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A production site (产地): field, orchard, farm, pond, packing shed. */
@Entity('sites')
@Index(['organizationId', 'createdAt'])
@Index('uq_sites_gln', ['gln'], { unique: true, where: 'gln IS NOT NULL' })
export class Site {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  lat: string | null;

  @Column({ type: 'numeric', precision: 9, scale: 6, nullable: true })
  lng: string | null;

  /** GS1 location GLN (AI 414), optional: EPCIS names the site by it when present. */
  @Column({ type: 'varchar', length: 13, nullable: true })
  gln: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
