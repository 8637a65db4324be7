import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Between, Repository } from 'typeorm';
import { WorkCalendar } from './domain/working-days';
import { WorkingCalendarDay } from './working-calendar-day.entity';

/** The holiday calendar as data, for deadlines counted in working days. */
@Injectable()
export class WorkingCalendarService {
  constructor(@InjectRepository(WorkingCalendarDay) private readonly days: Repository<WorkingCalendarDay>) {}

  /** The calendar (the table has a few dozen rows a year: read whole). */
  async calendar(): Promise<WorkCalendar> {
    const rows = await this.days.find();
    return {
      holidays: new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.day)),
      workdays: new Set(rows.filter((r) => r.kind === 'workday').map((r) => r.day)),
    };
  }

  /**
   * Whether a deadline counted over [from, to] rests on checked data: every year it touches has
   * calendar rows, all verified against their source (a year's schedule is one notice: a window
   * without a holiday is only known to be one once the year is checked).
   */
  async trustworthy(from: string, to: string): Promise<boolean> {
    const rows = await this.days.find({ where: { day: Between(`${from.slice(0, 4)}-01-01`, `${to.slice(0, 4)}-12-31`) } });
    const years = new Set(rows.map((r) => r.day.slice(0, 4)));
    for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) if (!years.has(String(y))) return false;
    return rows.every((r) => r.verified);
  }
}
