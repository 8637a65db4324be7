/** Calendar arithmetic without `Date`: `Date.UTC` maps years 0–99 to 1900–1999. */
function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function isCalendarDate(year: number, month: number, day: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** China Standard Time is UTC+8 all year (no daylight saving time). */
const CHINA_OFFSET_MS = 8 * 3_600_000;

/**
 * The calendar date (YYYY-MM-DD) in China at an instant, by default now: the one "today in China" of
 * the platform (a birth date or a harvest "today" in Chengdu is still yesterday in UTC).
 */
export function chinaDate(at: Date | number = Date.now()): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * An instant, by default now, as China wall time the way an HTML datetime-local input holds it:
 * "YYYY-MM-DDTHH:mm", or with ":ss" when the input has a step of a second.
 */
export function chinaLocalInput(at: Date | number = Date.now(), seconds = false): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString().slice(0, seconds ? 19 : 16);
}

/** An instant as China time, "YYYY-MM-DD HH:mm". */
export function chinaDateTime(at: Date | number): string {
  return new Date((typeof at === 'number' ? at : at.getTime()) + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
