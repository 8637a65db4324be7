import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SellerStatus = 'active' | 'stopped';

/**
 * 入场销售者档案: a seller at a market (DOMAIN.md §10) — a business with its USCC, or an individual
 * whose ID number is kept only as a keyed hash and a masked form. Kept at least
 * MARKET_SELLER_RETENTION_MONTHS after the seller stops (`retainUntil`); deleting earlier is refused.
 */
@Entity('market_sellers')
@Index(['organizationId', 'createdAt'])
@Index('uq_market_sellers_uscc', ['organizationId', 'uscc'], { unique: true, where: 'uscc IS NOT NULL' })
@Index('uq_market_sellers_id_number', ['organizationId', 'idNumberHmac'], { unique: true, where: 'id_number_hmac IS NOT NULL' })
export class MarketSeller {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The market (an organisation of kind `market`). */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The market's region: its regulators read the file. */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  /** business: has a USCC (enterprise, 个体工商户, cooperative) · individual: a person (ID number). */
  @Column({ type: 'varchar', length: 10 })
  kind: 'business' | 'individual';

  @Column({ type: 'varchar', length: 18, nullable: true })
  uscc: string | null;

  @Column({ name: 'id_number_hmac', type: 'char', length: 64, nullable: true })
  idNumberHmac: string | null;

  @Column({ name: 'id_number_masked', type: 'varchar', length: 18, nullable: true })
  idNumberMasked: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  contact: { name?: string; phone?: string };

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  /** Kinds of products sold (经营品种). */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  products: string[];

  /** 进货渠道: where the goods are bought (own farm, a cooperative, a wholesale market …). */
  @Column({ name: 'supply_channels', type: 'text', array: true, default: () => "'{}'" })
  supplyChannels: string[];

  /** 产地 as described. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  origins: string[];

  /** GB/T 2260 county of the main origin: its regulator hears of refusals with no certificate to name one. */
  @Column({ name: 'origin_region_code', type: 'char', length: 6, nullable: true })
  originRegionCode: string | null;

  /** Vehicle plates the seller comes with (the gate picks the seller by plate). */
  @Column({ name: 'vehicle_plates', type: 'text', array: true, default: () => "'{}'" })
  vehiclePlates: string[];

  @Column({ type: 'varchar', length: 8, default: 'active' })
  status: SellerStatus;

  @Column({ name: 'stopped_on', type: 'date', nullable: true })
  stoppedOn: string | null;

  /** Set when the seller stops: deleting the file before this date is refused. */
  @Column({ name: 'retain_until', type: 'date', nullable: true })
  retainUntil: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
