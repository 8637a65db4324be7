import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Something an organisation must hear about (batch held, certificate voided, recall). One row per recipient. */
@Entity('notifications')
@Index(['organizationId', 'createdAt'])
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The recipient. */
  @ForeignKey('Organization')
  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  /** e.g. batch.on_hold, batch.recalled, certificate.voided, recall.affected */
  @Column({ type: 'varchar', length: 60 })
  kind: string;

  @Column({ name: 'subject_type', type: 'varchar', length: 60 })
  subjectType: string;

  @Column({ name: 'subject_id', type: 'varchar', length: 100 })
  subjectId: string;

  /** The region the event happened in (why a regulator received it). */
  @Column({ name: 'region_code', type: 'char', length: 6, nullable: true })
  regionCode: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  payload: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
