import { todayInChina } from '../../../common/dates';

/** The calendar date in China (UTC+8, no daylight saving) of an instant, YYYY-MM-DD. */
export function chinaDate(at: Date): string {
  return todayInChina(at);
}

/** An instant as China time, "YYYY-MM-DD HH:mm". */
export function chinaDateTime(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}
