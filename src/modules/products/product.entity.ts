import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

@Entity('products')
@Index('uq_products_org_gtin', ['organizationId', 'gtin'], { unique: true, where: 'gtin IS NOT NULL' })
@Index(['organizationId', 'createdAt'])
export class Product {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** Full path in the food-category tree. */
  @ForeignKey('FoodCategory')
  @Column({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  /** Always stored as GTIN-14. */
  @Column({ type: 'char', length: 14, nullable: true })
  gtin: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  spec: string | null;

  /** Product or grading standard, e.g. GB/T 20560. */
  @Column({ type: 'varchar', length: 100, nullable: true })
  standard: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
