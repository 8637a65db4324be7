import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One import of the market regulator's published sampling statistics: where the figures came from and who loaded them. */
@Entity('market_sampling_imports')
export class MarketSamplingImport {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The publication, as the importer names it (e.g. 四川省市场监督管理局 2026 年第三季度食品安全监督抽检情况通告). */
  @Column({ type: 'varchar', length: 300 })
  source: string;

  @Column({ name: 'file_name', type: 'varchar', length: 200, nullable: true })
  fileName: string | null;

  /** The importing regulator's organisation; null for the platform admin. */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid', nullable: true })
  organizationId: string | null;

  /** The API key or `user:<id>` that imported; null for the admin token. */
  @Column({ name: 'imported_by', type: 'varchar', length: 60, nullable: true })
  importedBy: string | null;

  /** The region the importer may write (510000 for Sichuan's provincial regulator); null for the admin. */
  @Column({ name: 'scope_code', type: 'char', length: 6, nullable: true })
  scopeCode: string | null;

  @Column({ type: 'text', array: true })
  periods: string[];

  @Column({ name: 'row_count', type: 'int' })
  rowCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/**
 * A published figure: batches sampled and failed by the market regulator in one period and region
 * (all food, 食品安全监督抽检). One row per period and region; a re-import of a period replaces it.
 */
@Entity('market_sampling_stats')
@Index('uq_market_sampling_stats_period_region', ['period', 'regionCode'], { unique: true })
@Index(['regionCode', 'periodTo'])
export class MarketSamplingStat {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `2026`, `2026-Q3`, `2026-H1` or `2026-05`. */
  @Column({ type: 'varchar', length: 7 })
  period: string;

  /** First and last month the period covers, `YYYY-MM`. */
  @Column({ name: 'period_from', type: 'char', length: 7 })
  periodFrom: string;

  @Column({ name: 'period_to', type: 'char', length: 7 })
  periodTo: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'int' })
  samples: number;

  @Column({ type: 'int' })
  failed: number;

  @ForeignKey('MarketSamplingImport')
  @Column({ name: 'import_id', type: 'uuid' })
  importId: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
