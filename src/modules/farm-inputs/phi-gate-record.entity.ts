import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type GateOutcome = 'passed' | 'refused' | 'overridden';

/**
 * Each time the gate judged a batch: passed (with how many applications it found on its crop), refused
 * (the batch was not created; kept for regulators and `phi_violations`) or passed by a regulator's
 * override. The regulator's batch page and the indicators read these.
 */
@Entity('phi_gate_records')
@Index(['batchId'])
@Index(['organizationId', 'createdAt'])
export class PhiGateRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'varchar', length: 10 })
  outcome: GateOutcome;

  @Column({ name: 'batch_id', type: 'uuid', nullable: true })
  batchId: string | null;

  @Column({ name: 'organization_id', type: 'uuid' })
  organizationId: string;

  @Column({ name: 'site_id', type: 'uuid' })
  siteId: string;

  @Column({ name: 'region_code', type: 'char', length: 6 })
  regionCode: string;

  @Column({ name: 'category_path', type: 'varchar', length: 200 })
  categoryPath: string;

  @Column({ name: 'harvested_on', type: 'date' })
  harvestedOn: string;

  /**
   * The applications that decided or justify the outcome: those in the findings (open, overridden
   * or banned) and each input's latest. Records written before `applicationCount` existed name all.
   */
  @Column({ name: 'application_ids', type: 'uuid', array: true, default: () => "'{}'" })
  applicationIds: string[];

  /** How many recorded applications on the crop the gate found (JUDGED_BY lists them). */
  @Column({ name: 'application_count', type: 'int', default: 0 })
  applicationCount: number;

  /** The gate's findings (intervals, banned inputs), as answered. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  findings: Record<string, unknown>;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;
}
