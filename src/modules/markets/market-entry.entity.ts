import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { EntryStatus, ItemProof } from './domain/entry-verdict';

/** An entry rapid test (入场快检) as the gate recorded it: screening only, never a quantitative result. */
export interface EntryRapidTest {
  analyte: string;
  result: 'pass' | 'fail';
  method: string | null;
}

/** Disposal of goods kept out (销毁, 无害化处理, 退货, 退市), shown on the market's 公示 page. */
export interface ItemDisposal {
  method: string;
  note: string | null;
  at: string;
}

/**
 * 入场查验: one consignment of one seller entering a market — the vehicle, the time and its lots
 * (items). The entry's status sums its items; `verified` says every admitted lot came in on a valid
 * certificate or trace code (market_entry_verified_rate).
 */
@Entity('market_entries')
@Index(['organizationId', 'createdAt'])
@Index(['regionCode', 'enteredOn'])
export class MarketEntry {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The market's region (its regulator watches the gate). */
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @ForeignKey('MarketSeller', { onDelete: 'SET NULL' })
  @Column({ name: 'seller_id', type: 'uuid', nullable: true })
  sellerId: string | null;

  @ForeignKey('MarketStall', { onDelete: 'SET NULL' })
  @Column({ name: 'stall_id', type: 'uuid', nullable: true })
  stallId: string | null;

  @Column({ name: 'entered_at', type: 'timestamptz', precision: 3 })
  enteredAt: Date;

  /** The calendar day in China of `enteredAt` (stall pages and 公示 are per day). */
  @Column({ name: 'entered_on', type: 'date' })
  enteredOn: string;

  @Column({ name: 'vehicle_plate', type: 'varchar', length: 10, nullable: true })
  vehiclePlate: string | null;

  @Column({ type: 'varchar', length: 20 })
  status: EntryStatus;

  @Column({ type: 'boolean' })
  verified: boolean;

  @Column({ name: 'item_count', type: 'integer' })
  itemCount: number;

  @Column({ name: 'refused_count', type: 'integer' })
  refusedCount: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}

/** One lot of an entry and the gate's verdict on it. */
@Entity('market_entry_items')
@Index(['stallId', 'enteredOn'])
@Index(['organizationId', 'enteredOn'])
export class MarketEntryItem {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Index()
  @ForeignKey('MarketEntry', { onDelete: 'CASCADE' })
  @Column({ name: 'entry_id', type: 'uuid' })
  entryId: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @ForeignKey('MarketStall', { onDelete: 'SET NULL' })
  @Column({ name: 'stall_id', type: 'uuid', nullable: true })
  stallId: string | null;

  @Column({ name: 'entered_on', type: 'date' })
  enteredOn: string;

  /** Position in the request's items (0-based). */
  @Column({ type: 'integer' })
  position: number;

  @Column({ type: 'varchar', length: 12 })
  proof: ItemProof;

  /** What was scanned or typed (trace code, certificate QR or number, proof reference). */
  @Column({ type: 'varchar', length: 300 })
  presented: string;

  @Column({ name: 'category_path', type: 'varchar', length: 300 })
  categoryPath: string;

  @Column({ name: 'product_name', type: 'varchar', length: 100 })
  productName: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @ForeignKey('Batch', { onDelete: 'SET NULL' })
  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  @ForeignKey('Certificate', { onDelete: 'SET NULL' })
  @Column({ name: 'certificate_id', type: 'uuid', nullable: true })
  certificateId: string | null;

  /** The 查验 record (certificate_collections) the certificate check made. */
  @ForeignKey('CertificateCollection', { onDelete: 'SET NULL' })
  @Column({ name: 'collection_id', type: 'uuid', nullable: true })
  collectionId: string | null;

  /** GB/T 2260 code of the origin (certificate or batch region, else the seller's declared origin). */
  @Index()
  @Column({ name: 'origin_region_code', type: 'char', length: 6, nullable: true })
  originRegionCode: string | null;

  /** 产地 as shown (certificate's origin text, or the seller's declaration). */
  @Column({ type: 'varchar', length: 400, nullable: true })
  origin: string | null;

  @Column({ type: 'varchar', length: 10 })
  outcome: 'accepted' | 'refused';

  @Column({ name: 'refusal_code', type: 'varchar', length: 40, nullable: true })
  refusalCode: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  reason: string | null;

  @Column({ name: 'other_proof', type: 'jsonb', nullable: true })
  otherProof: { kind: string; reference: string; issuer: string | null } | null;

  @Column({ name: 'rapid_test', type: 'jsonb', nullable: true })
  rapidTest: EntryRapidTest | null;

  /** The confirmatory sample opened after a failed rapid test. */
  @ForeignKey('Sample', { onDelete: 'SET NULL' })
  @Column({ name: 'sample_id', type: 'uuid', nullable: true })
  sampleId: string | null;

  @Column({ type: 'jsonb', nullable: true })
  disposal: ItemDisposal | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
