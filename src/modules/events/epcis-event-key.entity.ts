import { Column, Entity, ForeignKey, Index, PrimaryGeneratedColumn, Unique } from 'typeorm';

/**
 * The key of every EPCIS event, in a narrow plain table beside the partitioned `epcis_events`
 * (by month of record_time, migration PartitionedEpcisEvents). A partitioned table's unique keys
 * must hold its partition key, so what must be unique across all months lives here:
 * - the event's row id: shipments and lot links reference it (their foreign keys point here);
 * - the eventID per recording organisation (and once for the admin's null recorder).
 * The event row takes its id and record_time from its key row (one statement writes both, see
 * EventsService.insertRows), and epcis_events (id, record_time) references (id, record_time) here,
 * so each key has exactly one event row and each event row one key.
 */
@Entity('epcis_event_ids')
@Index('ux_epcis_event_ids_event_recorder', ['eventId', 'recordedBy'], { unique: true })
@Index('ux_epcis_event_ids_event_unrecorded', ['eventId'], { unique: true, where: '"recorded_by" IS NULL' })
@Unique('uq_epcis_event_ids_id_time', ['id', 'recordTime'])
export class EpcisEventKey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'event_id', type: 'varchar', length: 300 })
  eventId: string;

  @ForeignKey('Organization')
  @Column({ name: 'recorded_by', type: 'uuid', nullable: true })
  recordedBy: string | null;

  /** The event row's partition key, copied: a lookup by id can find the one partition to read. */
  @Column({ name: 'record_time', type: 'timestamptz', precision: 3, default: () => 'now()' })
  recordTime: Date;
}
