import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** A node of the GB 2763 Appendix A food-category tree, named by its full path (`水果>柑橘类水果>橙`). */
@Entity('food_categories')
export class FoodCategory {
  @PrimaryColumn({ type: 'varchar', length: 200 })
  path: string;

  @Column({ type: 'varchar', length: 60 })
  name: string;

  @Index()
  @Column({ name: 'parent_path', type: 'varchar', length: 200, nullable: true })
  parentPath: string | null;

  @Column({ type: 'smallint' })
  depth: number;

  /** Mandatory-certificate category (承诺达标合格证): vegetables, fruit, tea leaves, livestock, eggs, aquatic. */
  @Column({ name: 'certificate_required', type: 'boolean', default: false })
  certificateRequired: boolean;
}
