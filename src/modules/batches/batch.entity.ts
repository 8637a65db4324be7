import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { BatchStatus } from './domain/batch-status';

/** A production batch (lot): the unit a certificate, a test and a recall refer to. */
@Entity('batches')
@Index('uq_batches_product_lot', ['productId', 'lotCode'], { unique: true })
@Index(['organizationId', 'createdAt'])
// Newest-first lists across organisations (a region's batches without a certificate): walked
// backwards, a province's first page reads ~500 rows instead of sorting 200,000 (300 ms → 17 ms).
@Index('ix_batches_created', ['createdAt', 'id'])
export class Batch {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Index()
  @ForeignKey('Product')
  @Column({ name: 'product_id', type: 'uuid' })
  productId: string;

  @Index()
  @ForeignKey('Site')
  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  /** Region of the site, copied so jurisdiction filters need no join. */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** GS1 AI (10) batch/lot: ≤ 20 characters of set 82. */
  @Column({ name: 'lot_code', type: 'varchar', length: 20 })
  lotCode: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ name: 'produced_on', type: 'date' })
  producedOn: string;

  /**
   * Harvest (or slaughter, catch) date, distinct from the production/packing date: the safe-interval
   * gate (安全间隔期/休药期) judges it. Null on batches from before it was recorded.
   */
  @Column({ name: 'harvested_on', type: 'date', nullable: true })
  harvestedOn: string | null;

  // FSMA 204 key data elements (21 CFR 1.1325 harvesting, 1.1330 cooling and initial packing).
  @Column({ type: 'varchar', length: 100, nullable: true })
  variety: string | null;

  /** Field or growing area harvested. */
  @Column({ name: 'growing_area', type: 'varchar', length: 200, nullable: true })
  growingArea: string | null;

  /** Harvester's business name and phone, when another business harvested. */
  @Column({ name: 'harvester_name', type: 'varchar', length: 200, nullable: true })
  harvesterName: string | null;

  @Column({ name: 'harvester_phone', type: 'varchar', length: 30, nullable: true })
  harvesterPhone: string | null;

  /** Cooling before initial packing: when and at which site. */
  @Column({ name: 'cooled_at', type: 'timestamptz', precision: 3, nullable: true })
  cooledAt: Date | null;

  @ForeignKey('Site')
  @Column({ name: 'cooling_site_id', type: 'uuid', nullable: true })
  coolingSiteId: string | null;

  /** Where the lot code was assigned (traceability lot code source); null: the batch's site. */
  @ForeignKey('Site')
  @Column({ name: 'tlc_source_site_id', type: 'uuid', nullable: true })
  tlcSourceSiteId: string | null;

  @Column({ type: 'varchar', length: 10, default: 'active' })
  status: BatchStatus;

  @Column({ name: 'status_reason', type: 'varchar', length: 500, nullable: true })
  statusReason: string | null;

  @Column({ name: 'status_changed_at', type: 'timestamptz', precision: 3, nullable: true })
  statusChangedAt: Date | null;

  @Index({ unique: true })
  @Column({ name: 'trace_code', type: 'varchar', length: 13, nullable: true })
  traceCode: string | null;

  /** Highest item serial issued so far; print runs continue from here. */
  @Column({ name: 'last_serial', type: 'integer', default: 0 })
  lastSerial: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
