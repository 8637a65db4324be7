/**
 * Working days (工作日) in China: Monday to Friday, minus the public holidays the State Council
 * announces each year, plus the weekend days it turns into working days (调休). The calendar is data
 * (working_calendar_days); these rules only read it.
 */
export interface WorkCalendar {
  /** Days off that would otherwise be working days (YYYY-MM-DD). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休上班). */
  workdays: ReadonlySet<string>;
}

const DAY_MS = 86_400_000;

function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / DAY_MS;
}

function dayString(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export function isWorkingDay(day: string, calendar: WorkCalendar): boolean {
  if (calendar.workdays.has(day)) return true;
  if (calendar.holidays.has(day)) return false;
  const weekday = new Date(dayNumber(day) * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** The `count`-th working day after `day` (the day itself does not count), count ≥ 1. */
export function addWorkingDays(day: string, count: number, calendar: WorkCalendar): string {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive integer, got ${count}`);
  let n = dayNumber(day);
  for (let left = count; left > 0;) {
    n += 1;
    if (isWorkingDay(dayString(n), calendar)) left -= 1;
  }
  return dayString(n);
}

/** Every day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let n = dayNumber(from); n <= dayNumber(to); n++) days.push(dayString(n));
  return days;
}
