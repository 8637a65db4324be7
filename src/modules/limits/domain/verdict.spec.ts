import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatDecimal } from '../../../../libs/decimal';
import { DomainError } from '../../../../libs/errors';
import { parseCategoryCsv } from '../../categories/domain';
import { LIMIT_CSV_COLUMNS, parseLimitCsv } from './limit-csv';
import { indexFromRows, LimitIndex } from './limit-index';
import { combineVerdicts, evaluate, EvaluationInput, ResultInput } from './verdict';

const SEED = join(__dirname, '..', '..', '..', 'database', 'seed');
const categories = parseCategoryCsv(readFileSync(join(SEED, 'food-categories.csv'), 'utf8')).map((c) => c.path);

const KIWI = '水果>浆果和其他小型水果>小型攀缘类水果>皮不可食小型攀缘类水果>猕猴桃';
const APPLE = '水果>仁果类水果>苹果';
const PAK_CHOI = '蔬菜>叶菜类蔬菜>普通白菜';
const CHILLI = '蔬菜>茄果类蔬菜>辣椒';
const PORK = '肉类>畜肉>猪肉';

/** Test editions on top of the starter table (values are for the tests, not the official ones). */
const EXTRA = [
  `GB 2763,2026,2026-03-01,溴氰菊酯,deltamethrin,mrl,${KIWI},0.02,no,tightened`,
  `GB 2763,2026,2026-03-01,溴氰菊酯,deltamethrin,withdrawn,${APPLE},,no,apple entry dropped`,
  'GB 2763,2026,2026-03-01,溴氰菊酯,deltamethrin,mrl,水果>仁果类水果,0.08,no,pome fruit group',
  'GB 2763,2026,2026-03-01,毒死蜱,chlorpyrifos,withdrawn,饮料类>茶叶,,no,',
  `GB 2763.1,2022,2023-05-11,啶虫脒,acetamiprid,mrl,${CHILLI},0.2,no,supplement`,
  `GB 2763,2026,2026-03-01,啶虫脒,acetamiprid,mrl,${CHILLI},0.3,no,`,
  'GB 2763,2021,2021-09-03,铅,lead (Pb),mrl,蔬菜>叶菜类蔬菜,0.2,no,fictitious second standard for lead',
  `GB 2763,2026,2026-03-01,测试禁药,test banned,banned,${PAK_CHOI},0.05,no,`,
];

function buildIndex(): LimitIndex {
  const text = [readFileSync(join(SEED, 'limits-starter.csv'), 'utf8').trimEnd(), ...EXTRA].join('\n');
  const { rows, problems } = parseLimitCsv(text, (p) => categories.includes(p));
  expect(problems).toEqual([]);
  return indexFromRows(rows, categories);
}

const index = buildIndex();
const judge = (food: string, samplingDate: string, ...results: ResultInput[]) => evaluate(index, { food, samplingDate, results });
const one = (food: string, samplingDate: string, result: ResultInput) => judge(food, samplingDate, result).results[0];

describe('limit resolution', () => {
  it.each([
    ['most specific entry: kiwi row itself', '溴氰菊酯', KIWI, '2025-06-01', [['GB 2763', '2019', '0.05', KIWI]]],
    ['walks up: orange uses the citrus group', '溴氰菊酯', '水果>柑橘类水果>橙', '2025-06-01', [['GB 2763', '2019', '0.02', '水果>柑橘类水果']]],
    ['leafy vegetables beat vegetables (lead)', '铅', PAK_CHOI, '2025-06-01', [['GB 2762', '2012', '0.3', '蔬菜>叶菜类蔬菜'], ['GB 2763', '2021', '0.2', '蔬菜>叶菜类蔬菜']]],
    ['rice group beats cereals (cadmium)', '镉', '谷物>稻类>大米', '2025-06-01', [['GB 2762', '2012', '0.2', '谷物>稻类']]],
    ['celery row (cadmium)', '镉', '蔬菜>叶菜类蔬菜>芹菜', '2025-06-01', [['GB 2762', '2012', '0.2', '蔬菜>叶菜类蔬菜>芹菜']]],
    ['tea lead from the 2017 edition', '铅', '饮料类>茶叶', '2025-06-01', [['GB 2762', '2017', '5', '饮料类>茶叶']]],
    ['day before GB 2763-2026: 2019 edition', '溴氰菊酯', KIWI, '2026-02-28', [['GB 2763', '2019', '0.05', KIWI]]],
    ['first day of GB 2763-2026', '溴氰菊酯', KIWI, '2026-03-01', [['GB 2763', '2026', '0.02', KIWI]]],
    ['day after GB 2763-2026', '溴氰菊酯', KIWI, '2026-03-02', [['GB 2763', '2026', '0.02', KIWI]]],
    ['before any edition: nothing', '溴氰菊酯', KIWI, '2020-02-14', []],
    ['withdrawn apple row: the group limit applies', '溴氰菊酯', APPLE, '2026-03-01', [['GB 2763', '2026', '0.08', '水果>仁果类水果']]],
    ['apple before the withdrawal', '溴氰菊酯', APPLE, '2026-02-28', [['GB 2763', '2019', '0.1', APPLE]]],
    ['withdrawn tea row with no group limit: nothing', '毒死蜱', '饮料类>茶叶', '2026-03-01', []],
    ['tea chlorpyrifos before the withdrawal', '毒死蜱', '饮料类>茶叶', '2026-02-28', [['GB 2763', '2021', '2', '饮料类>茶叶']]],
    ['GB 2763.1 supplement in force', '啶虫脒', CHILLI, '2025-06-01', [['GB 2763.1', '2022', '0.2', CHILLI]]],
    ['GB 2763-2026 supersedes GB 2763.1-2022', '啶虫脒', CHILLI, '2026-03-01', [['GB 2763', '2026', '0.3', CHILLI]]],
  ])('%s', (_label, analyte, food, date, expected) => {
    const got = index.resolve(analyte, food, date).map((a) => [a.entry.standard, a.entry.edition, a.entry.limit ? formatDecimal(a.entry.limit) : null, a.matchedFood]);
    expect(got.map((g) => [g[0], g[1], g[3]])).toEqual(expected.map((e) => [e[0], e[1], e[3]]));
    expect(judge(food, date, { analyte, value: '0', unit: 'mg/kg', detected: false }).results[0].limits.map((l) => l.limit)).toEqual(expected.map((e) => e[2]));
  });
});

describe('verdicts', () => {
  it.each([
    ['value equal to the limit passes (0.05 vs 0.0500)', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: '0.0500', unit: 'mg/kg' }, 'pass', 'within_limit'],
    ['just above fails', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: '0.0500001', unit: 'mg/kg' }, 'fail', 'exceeds_limit'],
    ['50 µg/kg = 0.05 mg/kg passes', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: '50', unit: 'µg/kg' }, 'pass', 'within_limit'],
    ['51 µg/kg fails', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: 51, unit: 'ug/kg' }, 'fail', 'exceeds_limit'],
    ['0.03 passes the day before GB 2763-2026', KIWI, '2026-02-28', { analyte: '溴氰菊酯', value: '0.03', unit: 'mg/kg' }, 'pass', 'within_limit'],
    ['0.03 fails on its first day', KIWI, '2026-03-01', { analyte: '溴氰菊酯', value: '0.03', unit: 'mg/kg' }, 'fail', 'exceeds_limit'],
    ['0.03 fails the day after', KIWI, '2026-03-02', { analyte: '溴氰菊酯', value: '0.03', unit: 'mg/kg' }, 'fail', 'exceeds_limit'],
    ['below LOD passes even above the limit', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: '0.06', lod: '0.1', unit: 'mg/kg' }, 'pass', 'not_detected'],
    ['detected=false passes without a value', KIWI, '2025-06-01', { analyte: '溴氰菊酯', unit: 'mg/kg', detected: false }, 'pass', 'not_detected'],
    ['banned pesticide below its MRL still fails', PAK_CHOI, '2025-06-01', { analyte: '克百威', value: '0.01', unit: 'mg/kg' }, 'fail', 'detected_banned'],
    ['banned pesticide below LOD passes', PAK_CHOI, '2025-06-01', { analyte: '克百威', value: '0.001', lod: '0.002', unit: 'mg/kg' }, 'pass', 'not_detected'],
    ['banned kind row fails on detection', PAK_CHOI, '2026-06-01', { analyte: '测试禁药', value: '0.001', unit: 'mg/kg' }, 'fail', 'detected_banned'],
    ['banned detected in a food no row names fails', '禽蛋', '2025-06-01', { analyte: '甲拌磷', value: '0.005', unit: 'mg/kg' }, 'fail', 'detected_banned'],
    ['must-not-be-detected: any detection fails', PORK, '2025-06-01', { analyte: '克伦特罗', value: '0.1', unit: 'µg/kg' }, 'fail', 'detected_must_not_be_detected'],
    ['must-not-be-detected below LOD passes', PORK, '2025-06-01', { analyte: 'clenbuterol', value: '0.1', lod: '0.5', unit: 'µg/kg' }, 'pass', 'not_detected'],
    ['veterinary limit in µg/kg: 100 µg/kg = 0.1 mg/kg passes', PORK, '2025-06-01', { analyte: '恩诺沙星', value: '100', unit: 'µg/kg' }, 'pass', 'within_limit'],
    ['veterinary limit in µg/kg: 100.1 µg/kg fails', PORK, '2025-06-01', { analyte: '恩诺沙星', value: '100.1', unit: 'µg/kg' }, 'fail', 'exceeds_limit'],
    ['detected with no limit for the food: no_limit', APPLE, '2025-06-01', { analyte: '腐霉利', value: '0.1', unit: 'mg/kg' }, 'no_limit', 'no_limit'],
    ['withdrawn limit, detected: no_limit', '饮料类>茶叶', '2026-03-01', { analyte: '毒死蜱', value: '0.5', unit: 'mg/kg' }, 'no_limit', 'no_limit'],
    ['zero value without LOD is not detected', KIWI, '2025-06-01', { analyte: '溴氰菊酯', value: '0', unit: 'mg/kg' }, 'pass', 'not_detected'],
  ])('%s', (_label, food, date, result, verdict, reason) => {
    const judged = one(food, date, result as ResultInput);
    expect([judged.verdict, judged.reason]).toEqual([verdict, reason]);
  });

  it('judges by every applicable standard and reports the deciding one', () => {
    const r = one(PAK_CHOI, '2025-06-01', { analyte: '铅', value: '0.25', unit: 'mg/kg' });
    expect(r.verdict).toBe('fail');
    expect(r.limits.map((l) => [l.citation, l.limit, l.verdict])).toEqual([['GB 2762-2012', '0.3', 'pass'], ['GB 2763-2021', '0.2', 'fail']]);
    expect(r).toMatchObject({ limit: '0.2', unit: 'mg/kg', standard: 'GB 2763', edition: '2021', citation: 'GB 2763-2021' });
    const ok = one(PAK_CHOI, '2025-06-01', { analyte: '铅', value: '0.15', unit: 'mg/kg' });
    expect(ok).toMatchObject({ verdict: 'pass', limit: '0.2', citation: 'GB 2763-2021' });
  });

  it('reports the edition that judged, normalised value, LOD and the reported figures', () => {
    const r = one(KIWI, '2026-03-01', { analyte: '溴氰菊酯', value: '15', lod: '5', loq: '10', unit: 'µg/kg' });
    expect(r).toMatchObject({
      analyte: '溴氰菊酯', analyteEn: 'deltamethrin', value: '0.015', lod: '0.005', loq: '0.01', unit: 'mg/kg', detected: true,
      verdict: 'pass', limit: '0.02', standard: 'GB 2763', edition: '2026', reported: { value: '15', unit: 'µg/kg', lod: '5', loq: '10' },
    });
    expect(r.limits[0]).toMatchObject({ effectiveFrom: '2026-03-01', food: KIWI, kind: 'mrl', verified: false });
  });

  it('combines results with a three-valued AND', () => {
    expect(combineVerdicts(['pass', 'pass'])).toBe('pass');
    expect(combineVerdicts(['pass', 'no_limit'])).toBe('no_limit');
    expect(combineVerdicts(['no_limit', 'fail', 'pass'])).toBe('fail');
    const sample = judge(APPLE, '2025-06-01',
      { analyte: '毒死蜱', value: '0.5', unit: 'mg/kg' },
      { analyte: '腐霉利', value: '0.1', unit: 'mg/kg' },
      { analyte: '多菌灵', value: '3.5', unit: 'mg/kg' });
    expect(sample.results.map((r) => r.verdict)).toEqual(['pass', 'no_limit', 'fail']);
    expect(sample.verdict).toBe('fail');
  });

  const errorOf = (input: EvaluationInput) => {
    try {
      evaluate(index, input);
    } catch (e) {
      expect(e).toBeInstanceOf(DomainError);
      return e as DomainError;
    }
    throw new Error('no error');
  };

  it.each([
    ['unknown analyte', { food: KIWI, samplingDate: '2025-06-01', results: [{ analyte: '不存在的农药', value: '1', unit: 'mg/kg' }] }, 'UNKNOWN_ANALYTE', 'results[0].analyte'],
    ['unknown food', { food: '水果>榴莲', samplingDate: '2025-06-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }] }, 'UNKNOWN_FOOD', 'food'],
    ['per-volume unit', { food: KIWI, samplingDate: '2025-06-01', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }, { analyte: '溴氰菊酯', value: '1', unit: 'mg/L' }] }, 'UNIT_NOT_CONVERTIBLE', 'results[1].unit'],
    ['malformed value', { food: KIWI, samplingDate: '2025-06-01', results: [{ analyte: '溴氰菊酯', value: '0,5', unit: 'mg/kg' }] }, 'INVALID_DECIMAL', 'results[0].value'],
    ['negative value', { food: KIWI, samplingDate: '2025-06-01', results: [{ analyte: '溴氰菊酯', value: -1, unit: 'mg/kg' }] }, 'INVALID_DECIMAL', 'results[0].value'],
  ])('%s → %s naming %s', (_label, input, code, field) => {
    const e = errorOf(input as EvaluationInput);
    expect(e.code).toBe(code);
    expect(e.details?.field).toBe(field);
  });

  it.each([
    ['missing value', { analyte: '溴氰菊酯', unit: 'mg/kg' }, 'results[0].value'],
    ['detected but below LOD', { analyte: '溴氰菊酯', value: '0.001', lod: '0.01', unit: 'mg/kg', detected: true }, 'results[0].detected'],
    ['not detected but at the LOD', { analyte: '溴氰菊酯', value: '0.01', lod: '0.01', unit: 'mg/kg', detected: false }, 'results[0].detected'],
    ['LOQ below LOD', { analyte: '溴氰菊酯', value: '0.02', lod: '0.01', loq: '0.005', unit: 'mg/kg' }, 'results[0].loq'],
  ])('%s → 400 naming the field', (_label, result, field) => {
    const e = errorOf({ food: KIWI, samplingDate: '2025-06-01', results: [result as ResultInput] });
    expect(e.code).toBe('VALIDATION_FAILED');
    expect(e.details?.fields?.[0].field).toBe(field);
  });

  it('refuses an impossible sampling date', () => {
    expect(errorOf({ food: KIWI, samplingDate: '2026-02-29', results: [{ analyte: '溴氰菊酯', value: '1', unit: 'mg/kg' }] }).code).toBe('VALIDATION_FAILED');
  });

  it('uses the same columns as the shared starter table', () => {
    expect(readFileSync(join(SEED, 'limits-starter.csv'), 'utf8').split('\n')[0].trim()).toBe(LIMIT_CSV_COLUMNS.join(','));
  });
});
