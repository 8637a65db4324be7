import { Column, CreateDateColumn, Entity, ForeignKey, Index, PrimaryGeneratedColumn } from 'typeorm';

export type RenderStatus = 'pending' | 'rendering' | 'done' | 'failed';
export const LABEL_FORMATS = ['pdf', 'zpl', 'tspl'] as const;
export type LabelFormat = (typeof LABEL_FORMATS)[number];

/** A label file for a print run in one format and layout, rendered by a job when large. */
@Entity('label_renders')
@Index('uq_label_renders_run_format_layout', ['printRunId', 'format', 'layout'], { unique: true })
@Index('ix_label_renders_unfinished', ['createdAt'], { where: "status IN ('pending', 'rendering')" })
export class LabelRender {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @ForeignKey('PrintRun')
  @Column({ name: 'print_run_id', type: 'uuid' })
  printRunId: string;

  @Column({ type: 'varchar', length: 8 })
  format: LabelFormat;

  @Column({ type: 'varchar', length: 20 })
  layout: string;

  @Column({ type: 'varchar', length: 10, default: 'pending' })
  status: RenderStatus;

  /** 0–100 */
  @Column({ type: 'smallint', default: 0 })
  progress: number;

  /** Bumped when a failed render is requested again, so the job id is new. */
  @Column({ type: 'integer', default: 0 })
  generation: number;

  @Column({ name: 'file_key', type: 'varchar', length: 200, nullable: true })
  fileKey: string | null;

  @Column({ type: 'integer', nullable: true })
  bytes: number | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  error: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', precision: 3, nullable: true })
  finishedAt: Date | null;
}
