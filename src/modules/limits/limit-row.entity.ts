import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { LimitKind } from './domain/limit-csv';

/**
 * One row of a limit table (GB 2763, GB 2762, GB 31650 …): the limit an edition sets for an analyte
 * in a food category, from the date the edition takes effect. A row of kind `withdrawn` records
 * that a newer edition dropped the limit. Rows are data: corrections arrive by import.
 */
@Entity('limit_rows')
@Index('uq_limit_rows_edition_analyte_food', ['standard', 'edition', 'analyte', 'foodPath'], { unique: true })
@Index(['analyte', 'foodPath'])
export class LimitRow {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** `GB 2763`, `GB 2763.1`, `GB 2762`, `GB 31650` … */
  @Column({ type: 'varchar', length: 30 })
  standard: string;

  /** Edition year: `2021`. */
  @Column({ type: 'varchar', length: 4 })
  edition: string;

  @Column({ name: 'effective_from', type: 'date' })
  effectiveFrom: string;

  @ForeignKey('LimitAnalyte')
  @Column({ type: 'varchar', length: 100 })
  analyte: string;

  @Column({ type: 'varchar', length: 20 })
  kind: LimitKind;

  @ForeignKey('FoodCategory')
  @Column({ name: 'food_path', type: 'varchar', length: 200 })
  foodPath: string;

  /** mg/kg, exact decimal; null for withdrawn rows. */
  @Column({ name: 'limit_mg_per_kg', type: 'numeric', precision: 24, scale: 12, nullable: true })
  limitMgPerKg: string | null;

  /** false: approximate value still to be checked against the official table. */
  @Column({ type: 'boolean', default: false })
  verified: boolean;

  @Column({ type: 'varchar', length: 500, default: '' })
  note: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
