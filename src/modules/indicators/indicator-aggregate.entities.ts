import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/*
 * Maintained aggregates of the plan's indicators. Database triggers on the source tables (samples,
 * batches, certificates, print_runs, trace_codes, products, organizations, gi_claims) append what each
 * statement changed to indicator_deltas, in the statement's own transaction; the fold job moves deltas
 * into indicator_cells (per organisation and category), indicator_org_months (per organisation) and
 * indicator_rollup (every region level × every category level). Reads add the deltas not folded yet, so answers are always current.
 *
 * Keys: `region_code` of the cell is the source row's own GB/T 2260 code (usually a county);
 * `category_path` is the food category of the source row ('' where the indicator has none); `month` is
 * the first day of the month the row counts in (China time).
 */

/** What one statement changed, not yet folded. Append-only between folds (no contention). */
@Entity('indicator_deltas')
export class IndicatorDelta {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ type: 'varchar', length: 40 })
  indicator: string;

  /** '' except for gi_claimed: `<gi id>|<unit>`. */
  @Column({ type: 'varchar', length: 60, default: '' })
  detail: string;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'category_path', type: 'varchar', length: 200, default: '' })
  categoryPath: string;

  @Column({ type: 'date' })
  month: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  numerator: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  denominator: string;
}

/** Per organisation, at the source rows' own region and category: organisations' own figures and drill-downs. */
@Entity('indicator_cells')
@Index(['organizationId', 'indicator'])
export class IndicatorCell {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  indicator: string;

  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'varchar', length: 60 })
  detail: string;

  @PrimaryColumn({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  numerator: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  denominator: string;
}

/**
 * Per organisation, all categories together: organisation reads that neither filter nor split by
 * category (a county's organisations, an organisation's own figures) read a few rows per month
 * instead of one per category.
 */
@Entity('indicator_org_months')
@Index(['organizationId', 'indicator'])
export class IndicatorOrgMonth {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  indicator: string;

  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @PrimaryColumn({ type: 'varchar', length: 60 })
  detail: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  numerator: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  denominator: string;
}

/**
 * Every organisation together, at every region level (1 province, 2 市(州), 3 county) and every level of
 * the category tree ('' = all, depth 0). A row at level L sums everything under `region_code`. Figures
 * recorded at a city's or the province's own code also appear one level down under that same code
 * (市本级), so a level's children always add up to their parent.
 */
@Entity('indicator_rollup')
@Index(['indicator', 'regionLevel', 'categoryPath', 'regionCode', 'month'])
export class IndicatorRollup {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  indicator: string;

  @PrimaryColumn({ name: 'region_level', type: 'smallint' })
  regionLevel: number;

  @PrimaryColumn({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @PrimaryColumn({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  @PrimaryColumn({ type: 'date' })
  month: string;

  @PrimaryColumn({ type: 'varchar', length: 60 })
  detail: string;

  @Column({ name: 'category_depth', type: 'smallint' })
  categoryDepth: number;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  numerator: string;

  @Column({ type: 'numeric', precision: 24, scale: 6 })
  denominator: string;
}
