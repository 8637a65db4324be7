import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * One exception to "Monday–Friday are working days": a public holiday on a weekday, or a weekend
 * day worked instead (调休). Each row names its source and whether someone checked it against it.
 */
@Entity('working_calendar_days')
export class WorkingCalendarDay {
  @PrimaryColumn({ type: 'date' })
  day: string;

  /** `holiday` (day off) or `workday` (a weekend day worked). */
  @Column({ type: 'varchar', length: 8 })
  kind: 'holiday' | 'workday';

  @Column({ type: 'varchar', length: 40 })
  name: string;

  @Column({ type: 'text' })
  source: string;

  @Column({ type: 'boolean' })
  verified: boolean;
}
