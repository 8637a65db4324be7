import { addWorkingDays, WorkCalendar } from '../../calendar/domain';

/**
 * Food recall grades (食品召回管理办法): from knowing of the risk, a 一级 recall starts within 24 hours
 * and finishes within 10 working days, 二级 48 h / 20, 三级 72 h / 30 (DOMAIN.md §11).
 */
export const RECALL_GRADES = {
  1: { name: '一级', startHours: 24, finishWorkingDays: 10 },
  2: { name: '二级', startHours: 48, finishWorkingDays: 20 },
  3: { name: '三级', startHours: 72, finishWorkingDays: 30 },
} as const;
export type RecallGrade = keyof typeof RECALL_GRADES;
export const RECALL_GRADE_VALUES = [1, 2, 3] as const;

const CHINA_OFFSET_MS = 8 * 3_600_000;

export interface RecallDeadlines {
  /** The recall must start by this instant. */
  startBy: Date;
  /** The last working day to finish (China date); the deadline is the end of that day. */
  finishBy: string;
}

export function recallDeadlines(grade: RecallGrade, discoveredAt: Date, calendar: WorkCalendar): RecallDeadlines {
  const rule = RECALL_GRADES[grade];
  const discoveredOn = new Date(discoveredAt.getTime() + CHINA_OFFSET_MS).toISOString().slice(0, 10);
  return {
    startBy: new Date(discoveredAt.getTime() + rule.startHours * 3_600_000),
    finishBy: addWorkingDays(discoveredOn, rule.finishWorkingDays, calendar),
  };
}

/** The instant a finish deadline day ends (24:00 China time). */
export function endOfChinaDay(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00+08:00`) + 86_400_000);
}
