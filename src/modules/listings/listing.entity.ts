import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * An online listing (平台销售 · 直播带货, the plan's task 10): a product on a platform, the batches
 * shipped under it (rolling) and its live-stream sessions. `certified` is kept current by the
 * listings service: every current batch has a valid certificate (listing_certified_rate).
 */
@Entity('listings')
@Index(['organizationId', 'createdAt'])
@Index('uq_listings_platform_ref', ['organizationId', 'platform', 'platformRef'], { unique: true })
export class Listing {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** Unguessable public code of /l/{code} and its badge. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  @Column({ type: 'varchar', length: 20 })
  platform: string;

  /** The listing's URL or its id on the platform. */
  @Column({ name: 'platform_ref', type: 'varchar', length: 500 })
  platformRef: string;

  @ForeignKey('Product')
  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Column({ name: 'product_name', type: 'varchar', length: 200 })
  productName: string;

  @Column({ name: 'category_path', type: 'varchar', length: 300 })
  categoryPath: string;

  /** The category needs a 承诺达标合格证: a listed batch must have a valid one. */
  @Column({ name: 'certificate_required', type: 'boolean' })
  certificateRequired: boolean;

  @Column({ type: 'boolean', default: false })
  certified: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A batch shipped under a listing, from when until when (null: still shipped). */
@Entity('listing_batches')
@Index(['listingId', 'until'])
export class ListingBatch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Listing', { onDelete: 'CASCADE' })
  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @Index()
  @ForeignKey('Batch')
  @Column({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @Column({ name: 'since', type: 'timestamptz', precision: 3 })
  since: Date;

  @Column({ name: 'until', type: 'timestamptz', precision: 3, nullable: true })
  until: Date | null;
}

/** A live-stream session (直播) selling under a listing: host, time and the batches on sale. */
@Entity('listing_sessions')
export class ListingSession {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('Listing', { onDelete: 'CASCADE' })
  @Column({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @Column({ type: 'varchar', length: 100 })
  host: string;

  @Column({ name: 'starts_at', type: 'timestamptz', precision: 3 })
  startsAt: Date;

  @Column({ name: 'ends_at', type: 'timestamptz', precision: 3 })
  endsAt: Date;

  @Column({ name: 'batch_ids', type: 'uuid', array: true })
  batchIds: string[];

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** A hold or recall of a listed batch, alerted once per listing, batch and status (the signed webhook). */
@Entity('listing_alerts')
export class ListingAlert {
  @PrimaryColumn({ name: 'listing_id', type: 'uuid' })
  listingId: string;

  @PrimaryColumn({ name: 'batch_id', type: 'uuid' })
  batchId: string;

  @PrimaryColumn({ type: 'varchar', length: 10 })
  status: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
