import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A stall (摊位) of a market, with its public code: 一店一码, the QR at the stall opens /s/{code}. */
@Entity('market_stalls')
@Index('uq_market_stalls_number', ['organizationId', 'number'], { unique: true })
export class MarketStall {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** The market's region: its regulators read the file. */
  @Index()
  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  /** The stall number as painted at the market (e.g. A-12). */
  @Column({ type: 'varchar', length: 20 })
  number: string;

  /** Unguessable public code of /s/{code}. */
  @Index({ unique: true })
  @Column({ type: 'varchar', length: 16 })
  code: string;

  /** Who sells at the stall now. */
  @ForeignKey('MarketSeller', { onDelete: 'SET NULL' })
  @Column({ name: 'seller_id', type: 'uuid', nullable: true })
  sellerId: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
