import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { TermColumns } from './claim-columns';
import type { RecordedScheme } from './domain/mark-schemes';

/**
 * A quality-mark certificate or licence (绿色食品, 有机产品, 有机转换, 区域公用品牌): scheme, number, holder,
 * certifier, what it covers (products, sites/bases, regions), validity and a yearly quota.
 */
@Entity('mark_records')
@Index('uq_mark_records_scheme_number', ['scheme', 'number'], { unique: true })
@Index(['holderOrganizationId', 'scheme'])
@Index(['validTo'])
export class MarkRecord extends TermColumns {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 20 })
  scheme: RecordedScheme;

  @Column({ type: 'varchar', length: 60 })
  number: string;

  /** The number format it matched, and whether that format is verified (DOMAIN.md §9). */
  @Column({ name: 'number_format', type: 'varchar', length: 20 })
  numberFormat: string;

  @Column({ name: 'format_verified', type: 'boolean' })
  formatVerified: boolean;

  @Index()
  @Column({ name: 'holder_uscc', type: 'varchar', length: 18 })
  holderUscc: string;

  @Column({ name: 'holder_name', type: 'varchar', length: 200, nullable: true })
  holderName: string | null;

  /** The holder when it is an organisation on the platform (found by USCC). */
  @ForeignKey('Organization')
  @Column({ name: 'holder_organization_id', type: 'uuid', nullable: true })
  holderOrganizationId: string | null;

  /** The holder's region (its organisation's, else the USCC's positions 3–8), for regulators' scope. */
  @Index()
  @Column({ name: 'holder_region_code', type: 'char', length: 6 })
  holderRegionCode: string;

  /** 绿色食品 企业信息码 (GF + county code + year + serial). */
  @Column({ name: 'enterprise_code', type: 'varchar', length: 14, nullable: true })
  enterpriseCode: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  certifier: string | null;

  @Column({ name: 'product_ids', type: 'jsonb', default: () => "'[]'" })
  productIds: string[];

  @Column({ name: 'product_names', type: 'jsonb', default: () => "'[]'" })
  productNames: string[];

  @Column({ name: 'category_paths', type: 'jsonb', default: () => "'[]'" })
  categoryPaths: string[];

  @Column({ name: 'site_ids', type: 'jsonb', default: () => "'[]'" })
  siteIds: string[];

  @Column({ name: 'area_codes', type: 'jsonb', default: () => "'[]'" })
  areaCodes: string[];

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
