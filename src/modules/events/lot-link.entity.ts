import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export const LOT_LINK_KINDS = ['shipment', 'transformation', 'capture'] as const;
export type LotLinkKind = (typeof LOT_LINK_KINDS)[number];

/**
 * One edge of the lot genealogy (NY/T 4712: inbound lot ← outbound lot): material of `from` went
 * into `to`. A received lot links to the shipped lot; every transformation output links to each
 * input. `quantity` is how much of `from` the event moved (for a transformation: the input's
 * whole consumed quantity, repeated on each of its output edges).
 */
@Entity('lot_links')
@Index('ix_lot_links_from', ['fromBatchId', 'toBatchId'])
@Index('ix_lot_links_to', ['toBatchId', 'fromBatchId'])
export class LotLink {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @ForeignKey('Batch')
  @Column({ name: 'from_batch_id', type: 'uuid' })
  fromBatchId: string;

  @ForeignKey('Batch')
  @Column({ name: 'to_batch_id', type: 'uuid' })
  toBatchId: string;

  @Index()
  @ForeignKey('EpcisEventKey')
  @Column({ name: 'event_id', type: 'uuid' })
  eventId: string;

  @Column({ type: 'varchar', length: 16 })
  kind: LotLinkKind;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  @Column({ name: 'event_time', type: 'timestamptz', precision: 3 })
  eventTime: Date;
}
