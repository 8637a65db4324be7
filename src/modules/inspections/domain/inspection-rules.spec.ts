import type { WorkCalendar } from '../../calendar/domain';
import { addMonths, DEFAULT_INTERVAL_MONTHS, inspectionDue, isOverdue, itemsProblem, rectificationDeadline, resultsProblem } from '.';

// An example calendar (not the published 2026 schedule): 1–7 October off, Saturday 10 October worked (调休).
const CALENDAR: WorkCalendar = { holidays: new Set(['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07']), workdays: new Set(['2026-10-10']) };
const ITEMS = [{ key: 'production_records', text: '生产记录' }, { key: 'labelling', text: '标签' }, { key: 'sampling', text: '抽样送检' }];

describe('rectification deadlines', () => {
  it.each([
    // inspected on, severity, explicit deadline, deadline
    ['2026-11-23', 'minor', undefined, '2026-12-14'], // Monday + 15 working days
    ['2026-11-23', 'serious', undefined, '2026-11-30'], // Monday + 5: the weekend does not count
    ['2026-11-27', 'serious', undefined, '2026-12-04'], // Friday + 5
    ['2026-09-29', 'serious', undefined, '2026-10-12'], // over 国庆: 30 Sep, 8, 9, 10 (调休 Saturday), 12 Oct
    ['2026-11-23', 'minor', '2026-11-24', '2026-11-24'], // the inspector's own, the next day
    ['2026-11-23', 'serious', '2027-02-21', '2027-02-21'], // 90 days
  ] as const)('inspected %s, %s, set %s → %s', (on, severity, explicit, deadline) => {
    expect(rectificationDeadline(on, severity, CALENDAR, explicit)).toEqual({ ok: true, deadline });
  });

  it('refuses a deadline on or before the inspection day or more than 90 days after it', () => {
    expect(rectificationDeadline('2026-11-23', 'minor', CALENDAR, '2026-11-23')).toMatchObject({ ok: false, rule: 'after_inspection' });
    expect(rectificationDeadline('2026-11-23', 'minor', CALENDAR, '2026-11-01')).toMatchObject({ ok: false, rule: 'after_inspection' });
    expect(rectificationDeadline('2026-11-23', 'minor', CALENDAR, '2027-02-22')).toMatchObject({ ok: false, rule: 'at_most_90_days' });
  });

  it.each([
    ['2026-11-30', '2026-11-30', false, false], // on the deadline day: still in time
    ['2026-11-30', '2026-12-01', false, true],
    ['2026-11-30', '2027-01-01', true, false], // closed: never overdue
  ] as const)('deadline %s, today %s, closed %s → overdue %s', (deadline, today, closed, overdue) => {
    expect(isOverdue(deadline, today, closed)).toBe(overdue);
  });
});

describe('checklist items and results', () => {
  it('refuses bad item lists', () => {
    expect(itemsProblem([])).toMatchObject({ rule: 'count' });
    expect(itemsProblem([{ key: 'A', text: '标签' }])).toMatchObject({ field: 'items[0].key', rule: 'format' });
    expect(itemsProblem([ITEMS[0], ITEMS[0]])).toMatchObject({ field: 'items[1].key', rule: 'unique' });
    expect(itemsProblem([{ key: 'x1', text: ' ' }])).toMatchObject({ rule: 'length' });
    expect(itemsProblem(ITEMS)).toBeUndefined();
  });

  const answer = (fail: string[] = [], omit: string[] = []) => ITEMS.filter((i) => !omit.includes(i.key)).map((i) => ({ itemKey: i.key, result: fail.includes(i.key) ? 'fail' : 'pass' }));

  it.each([
    ['every item answered, nothing failed', answer(), [], undefined],
    ['a missing item', answer([], ['sampling']), [], 'every_item'],
    ['an unknown item', [...answer(), { itemKey: 'other', result: 'pass' }], [], 'known_item'],
    ['an item twice', [...answer(), { itemKey: 'labelling', result: 'pass' }], [], 'unique'],
    ['a result outside the list', answer().map((r) => ({ ...r, result: 'ok' })), [], 'enum'],
    ['a failure without a finding', answer(['labelling']), [], 'finding_per_failure'],
    ['a failure with its finding', answer(['labelling']), [{ itemKey: 'labelling' }], undefined],
    ['a finding on a passed item', answer(), [{ itemKey: 'labelling' }], 'failed_item'],
    ['a finding outside the sheet', answer(), [{ itemKey: null }], undefined],
  ] as const)('%s', (_name, results, findings, rule) => {
    expect(resultsProblem(ITEMS, results, findings)?.rule).toBe(rule);
  });
});

describe('inspection frequency by risk grade', () => {
  it.each([
    // last inspected, interval (months), today, due, reason, due on
    [null, 3, '2026-12-05', true, 'never_inspected', null],
    ['2026-09-05', 3, '2026-12-04', false, 'within_interval', '2026-12-05'], // high: the day before
    ['2026-09-05', 3, '2026-12-05', true, 'interval_passed', '2026-12-05'], // high: three months to the day
    ['2026-06-05', 6, '2026-12-05', true, 'interval_passed', '2026-12-05'], // medium
    ['2026-06-06', 6, '2026-12-05', false, 'within_interval', '2026-12-06'],
    ['2025-12-05', 12, '2026-12-05', true, 'interval_passed', '2026-12-05'], // low: a year
    ['2026-01-10', 12, '2026-12-05', false, 'within_interval', '2027-01-10'],
    ['2025-08-31', 6, '2026-02-28', true, 'interval_passed', '2026-02-28'], // the month's last day when the date does not exist
    ['2027-08-31', 6, '2028-02-28', false, 'within_interval', '2028-02-29'], // leap year
    ['2026-11-30', 3, '2027-02-28', true, 'interval_passed', '2027-02-28'], // across the year
  ] as const)('last %s, every %i months, on %s → due %s (%s, %s)', (last, months, today, due, reason, dueOn) => {
    expect(inspectionDue(last, months, today)).toEqual({ due, reason, dueOn });
  });

  it('has a default interval for every grade, shorter for higher risk', () => {
    expect(DEFAULT_INTERVAL_MONTHS).toEqual({ high: 3, medium: 6, low: 12, ungraded: 12 });
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2026-12-15', 13)).toBe('2028-01-15');
  });
});
