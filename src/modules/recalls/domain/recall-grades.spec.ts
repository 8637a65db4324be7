import { WorkCalendar } from '../../calendar/domain';
import { endOfChinaDay, RecallGrade, recallDeadlines } from './recall-grades';

/** The 2026 schedule (国务院办公厅关于2026年部分节假日安排的通知), as the migration seeds it. */
const range = (from: string, days: number) => Array.from({ length: days }, (_, i) => new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10));
const CALENDAR_2026: WorkCalendar = {
  holidays: new Set([
    ...range('2026-01-01', 3), ...range('2026-02-15', 9), ...range('2026-04-04', 3), ...range('2026-05-01', 5),
    ...range('2026-06-19', 3), ...range('2026-09-25', 3), ...range('2026-10-01', 7),
  ]),
  workdays: new Set(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']),
};
const NONE: WorkCalendar = { holidays: new Set(), workdays: new Set() };

describe('recall deadlines', () => {
  it.each<[string, RecallGrade, string, WorkCalendar, string, string]>([
    ['一级 from a Friday: two weekends skipped', 1, '2026-11-20T10:00:00+08:00', CALENDAR_2026, '2026-11-21T02:00:00.000Z', '2026-12-04'],
    ['一级 from a Saturday: the weekend does not count', 1, '2026-11-21T09:00:00+08:00', CALENDAR_2026, '2026-11-22T01:00:00.000Z', '2026-12-04'],
    ['一级 late in the evening: the China date, not the UTC one', 1, '2026-11-19T23:30:00+08:00', CALENDAR_2026, '2026-11-20T15:30:00.000Z', '2026-12-03'],
    ['一级 over National Day: holidays skipped, Saturday 10-10 worked', 1, '2026-09-30T12:00:00+08:00', CALENDAR_2026, '2026-10-01T04:00:00.000Z', '2026-10-20'],
    ['一级 over National Day without the calendar: only weekends skipped', 1, '2026-09-30T12:00:00+08:00', NONE, '2026-10-01T04:00:00.000Z', '2026-10-14'],
    ['二级 over Spring Festival: 2-14 and 2-28 worked', 2, '2026-02-13T08:00:00+08:00', CALENDAR_2026, '2026-02-15T00:00:00.000Z', '2026-03-19'],
    ['三级 from 清明 through 劳动节 (5-9 worked)', 3, '2026-04-04T08:00:00+08:00', CALENDAR_2026, '2026-04-07T00:00:00.000Z', '2026-05-20'],
    ['三级 across the new year', 3, '2025-12-15T08:00:00+08:00', CALENDAR_2026, '2025-12-18T00:00:00.000Z', '2026-01-27'],
  ])('%s', (_name, grade, discovered, calendar, startBy, finishBy) => {
    const d = recallDeadlines(grade, new Date(discovered), calendar);
    expect(d.startBy.toISOString()).toBe(startBy);
    expect(d.finishBy).toBe(finishBy);
  });

  it('ends a finish day at midnight China time', () => {
    expect(endOfChinaDay('2026-12-04').toISOString()).toBe('2026-12-04T16:00:00.000Z');
  });
});
