import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Every supply-chain event as an EPCIS 2.0 event: the platform's own (shipments, receipts,
 * transformations, recalls) and captured ones from partners. The EPCIS JSON-LD is kept whole in
 * `document`; the columns are what queries filter on. Captured events may name lots that are not
 * on the platform: `batch_ids` holds the platform lots the identifiers resolved to (possibly none).
 * Events are stored per recording organisation: the shipper's and the receiver's capture of one
 * event are two rows, and an eventID another organisation captured first cannot block (squat) it.
 *
 * A partitioned table by month of record_time (migration PartitionedEpcisEvents; months made ahead
 * by the scan-partitions job): its database key is (id, record_time), and what must be unique
 * across months — the id others reference, the eventID per recorder — is kept in epcis_event_ids
 * (EpcisEventKey), written by the same statement. TypeORM takes `id` as the key (ids are unique: each
 * event row references its own key row by (id, record_time)), so the table is left out of schema
 * sync (`synchronize: false`): the migration is its definition, test/partitions.int-spec.ts checks it.
 */
@Entity('epcis_events', { synchronize: false })
@Index('ix_epcis_events_event_id', ['eventId'])
@Index('ix_epcis_events_time', ['eventTime', 'id'])
@Index('ix_epcis_events_epcs', ['epcs'], { type: 'gin' })
@Index('ix_epcis_events_epc_classes', ['epcClasses'], { type: 'gin' })
@Index('ix_epcis_events_batch_ids', ['batchIds'], { type: 'gin' })
@Index('ix_epcis_events_org_ids', ['organizationIds'], { type: 'gin' })
export class EpcisEventRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The event's eventID: the CBV 2.0 hash ID, or the identifier a captured event came with. */
  @Column({ name: 'event_id', type: 'varchar', length: 300 })
  eventId: string;

  /**
   * The organisation that captured the event, or for which the platform recorded it (the shipper,
   * the receiver, the transforming or recalling organisation); null for the platform admin.
   * Only it may declare the event erroneous.
   */
  @ForeignKey('Organization')
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  /** The CBV 2.0 event hash ID computed here (equal to eventId for platform events). */
  @Column({ name: 'hash_id', type: 'varchar', length: 100 })
  hashId: string;

  /**
   * Which algorithm computed hash_id: 2 = CBV 2.0 as its reference implementation (canonical Digital
   * Links, `{namespace}localName`); 1 = the earlier approximation, recomputed by `migrate` (rehashEvents).
   */
  @Column({ name: 'hash_version', type: 'smallint', default: 2 })
  hashVersion: number;

  @Column({ name: 'event_type', type: 'varchar', length: 24 })
  eventType: string;

  @Column({ type: 'varchar', length: 10, nullable: true })
  action: string | null;

  /** Bare CBV word when the value is a CBV one (`shipping`), else the URI as given. */
  @Index()
  @Column({ name: 'biz_step', type: 'varchar', length: 200, nullable: true })
  bizStep: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  disposition: string | null;

  @Column({ name: 'event_time', type: 'timestamptz', precision: 3 })
  eventTime: Date;

  @Index()
  @Column({ name: 'biz_location', type: 'varchar', length: 300, nullable: true })
  bizLocation: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  epcs: string[];

  @Column({ name: 'epc_classes', type: 'text', array: true, default: () => "'{}'" })
  epcClasses: string[];

  /** Platform lots this event concerns. */
  @Column({ name: 'batch_ids', type: 'uuid', array: true, default: () => "'{}'" })
  batchIds: string[];

  /** Organisations that may read the event (recorder, counterparties, owners of its lots). */
  @Column({ name: 'organization_ids', type: 'uuid', array: true, default: () => "'{}'" })
  organizationIds: string[];

  /** Regions of its lots' sites (regulators read the events of their region). */
  @Column({ name: 'region_codes', type: 'text', array: true, default: () => "'{}'" })
  regionCodes: string[];

  /** `platform` (recorded through the API) or `capture` (an EPCIS document from a client). */
  @Column({ type: 'varchar', length: 10 })
  source: string;

  @Column({ name: 'capture_id', type: 'uuid', nullable: true })
  captureId: string | null;

  @Column({ type: 'jsonb' })
  document: Record<string, unknown>;

  /** Set when a later capture declared this event erroneous (EPCIS errorDeclaration). */
  @Column({ name: 'error_declaration', type: 'jsonb', nullable: true })
  errorDeclaration: Record<string, unknown> | null;

  @CreateDateColumn({ name: 'record_time', type: 'timestamptz', precision: 3 })
  recordTime: Date;
}
