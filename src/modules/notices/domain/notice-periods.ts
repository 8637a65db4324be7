/** The period a notices page covers: a month (2026-11), a quarter (2026-Q4) or a year (2026). */
export interface NoticePeriod {
  key: string;
  from: string;
  to: string;
  /** In plain Chinese: 2026年11月, 2026年第四季度, 2026年. */
  label: string;
  previous: string;
  next: string;
}

const QUARTER_NAMES = ['一', '二', '三', '四'];
const pad = (n: number) => String(n).padStart(2, '0');

function lastDay(year: number, month: number): string {
  return `${year}-${pad(month)}-${pad(new Date(Date.UTC(year, month, 0)).getUTCDate())}`;
}

function month(year: number, m: number): NoticePeriod {
  const key = (y: number, mm: number) => `${y}-${pad(mm)}`;
  return {
    key: key(year, m), from: `${year}-${pad(m)}-01`, to: lastDay(year, m), label: `${year}年${m}月`,
    previous: m === 1 ? key(year - 1, 12) : key(year, m - 1), next: m === 12 ? key(year + 1, 1) : key(year, m + 1),
  };
}

function quarter(year: number, q: number): NoticePeriod {
  const key = (y: number, qq: number) => `${y}-Q${qq}`;
  return {
    key: key(year, q), from: `${year}-${pad(q * 3 - 2)}-01`, to: lastDay(year, q * 3), label: `${year}年第${QUARTER_NAMES[q - 1]}季度`,
    previous: q === 1 ? key(year - 1, 4) : key(year, q - 1), next: q === 4 ? key(year + 1, 1) : key(year, q + 1),
  };
}

/** The period named by `value`, or undefined when it names none (years 2000–2099). */
export function parseNoticePeriod(value: string): NoticePeriod | undefined {
  const m = /^(20\d\d)(?:-(\d\d)|-Q([1-4]))?$/.exec(value);
  if (!m) return undefined;
  const year = Number(m[1]);
  if (m[2] !== undefined) {
    const mm = Number(m[2]);
    return mm >= 1 && mm <= 12 ? month(year, mm) : undefined;
  }
  if (m[3] !== undefined) return quarter(year, Number(m[3]));
  return { key: String(year), from: `${year}-01-01`, to: `${year}-12-31`, label: `${year}年`, previous: String(year - 1), next: String(year + 1) };
}

/** The month of a day (YYYY-MM-DD), as a period key. */
export function monthKeyOf(day: string): string {
  return day.slice(0, 7);
}

/** 2026-11-20 → 2026年11月20日. */
export function chineseDate(day: string): string {
  return `${Number(day.slice(0, 4))}年${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
}
