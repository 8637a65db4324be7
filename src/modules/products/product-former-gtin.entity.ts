import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A GTIN a product had before it was changed. Labels printed with it are on packages and must keep
 * resolving (GS1 Digital Links carry the GTIN), so the resolver accepts a product's former GTINs.
 * One row per change; never deleted.
 */
@Entity('product_former_gtins')
@Index(['gtin'])
@Index(['productId'])
export class ProductFormerGtin {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Product')
  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  /** The product's organisation (scopes the audit entry of the change). */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** GTIN-14, as the product had it. */
  @Column({ type: 'char', length: 14 })
  gtin: string;

  /** When the product stopped using it. */
  @CreateDateColumn({ name: 'replaced_at', type: 'timestamptz', precision: 3 })
  replacedAt: Date;
}
