import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ShipmentStatus = 'in_transit' | 'received';

/**
 * A quantity of a lot shipped to another organisation. It counts against the lot from the moment
 * it ships; the receiver's receipt creates its inbound lot and the lot link.
 */
@Entity('shipments')
@Index(['fromBatchId'])
@Index(['toOrganizationId', 'createdAt'])
export class Shipment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('Organization')
  @Column({ name: 'from_organization_id', type: 'uuid' })
  fromOrganizationId: string;

  @ForeignKey('Batch')
  @Column({ name: 'from_batch_id', type: 'uuid' })
  fromBatchId: string;

  @ForeignKey('Organization')
  @Column({ name: 'to_organization_id', type: 'uuid' })
  toOrganizationId: string;

  @Column({ name: 'quantity_value', type: 'numeric', precision: 15, scale: 3 })
  quantityValue: string;

  @Column({ name: 'quantity_unit', type: 'varchar', length: 4 })
  quantityUnit: string;

  /** Despatch advice / waybill number (bizTransaction `desadv`). */
  @Column({ name: 'reference_document', type: 'varchar', length: 100, nullable: true })
  referenceDocument: string | null;

  /** What kind of document `referenceDocument` is (FSMA 204 KDE: reference document type), e.g. desadv, waybill, invoice. */
  @Column({ name: 'reference_document_type', type: 'varchar', length: 20, nullable: true })
  referenceDocumentType: string | null;

  /** The receiver's own document for the receipt (FSMA 204 § 1.1345 reference document: receiving note, invoice …). */
  @Column({ name: 'receipt_reference_document', type: 'varchar', length: 100, nullable: true })
  receiptReferenceDocument: string | null;

  /** What kind of document `receiptReferenceDocument` is (same types as referenceDocumentType). */
  @Column({ name: 'receipt_reference_document_type', type: 'varchar', length: 20, nullable: true })
  receiptReferenceDocumentType: string | null;

  /** The logistic unit (SSCC) the lot travelled on, when it was shipped packed on one. */
  @Index('ix_shipments_sscc', { where: 'sscc IS NOT NULL' })
  @Column({ type: 'char', length: 18, nullable: true })
  sscc: string | null;

  @Column({ type: 'varchar', length: 12, default: 'in_transit' })
  status: ShipmentStatus;

  @Column({ name: 'shipped_at', type: 'timestamptz', precision: 3 })
  shippedAt: Date;

  @ForeignKey('EpcisEventKey')
  @Column({ name: 'ship_event_id', type: 'uuid' })
  shipEventId: string;

  @ForeignKey('Batch')
  @Column({ name: 'received_batch_id', type: 'uuid', nullable: true })
  receivedBatchId: string | null;

  /** The receiving event (a unit's receipt books all its lots in one). */
  @ForeignKey('EpcisEventKey')
  @Column({ name: 'receive_event_id', type: 'uuid', nullable: true })
  receiveEventId: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', precision: 3, nullable: true })
  receivedAt: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
