import { gradeOf, GradingRule, gradingPeriod, overrideProblem, ruleFor, score } from '.';

// The seeded default rule (platform defaults, unverified; a province replaces them as data).
const DEFAULT: GradingRule = {
  productGroup: '', highAt: 40, mediumAt: 10, drawWeights: { high: 4, medium: 2, low: 1 },
  weights: { failedSamples: 40, certificateGaps: 2, phiViolations: 30, openFindings: 5, overdueFindings: 15, refusals: 10 },
};
const VEGETABLES: GradingRule = { ...DEFAULT, productGroup: '蔬菜', weights: { ...DEFAULT.weights, phiViolations: 40 } };
const LEAFY: GradingRule = { ...DEFAULT, productGroup: '蔬菜>叶菜类蔬菜', highAt: 30 };
const none = { failedSamples: 0, certificateGaps: 0, phiViolations: 0, openFindings: 0, overdueFindings: 0, refusals: 0 };

describe('risk grading rules', () => {
  it.each([
    ['no evidence', {}, DEFAULT, 0, 'low'],
    ['one open finding', { openFindings: 1 }, DEFAULT, 5, 'low'],
    ['five batches without a certificate', { certificateGaps: 5 }, DEFAULT, 10, 'medium'],
    ['an overdue finding (it is still open)', { openFindings: 1, overdueFindings: 1 }, DEFAULT, 20, 'medium'],
    ['one failed sample', { failedSamples: 1 }, DEFAULT, 40, 'high'],
    ['a PHI violation', { phiViolations: 1 }, DEFAULT, 30, 'medium'],
    ['a PHI violation on vegetables', { phiViolations: 1 }, VEGETABLES, 40, 'high'],
    ['three refusals at market gates', { refusals: 3 }, DEFAULT, 30, 'medium'],
    ['three refusals, leafy vegetables (high from 30)', { refusals: 3 }, LEAFY, 30, 'high'],
    ['just under the medium threshold', { certificateGaps: 4, openFindings: 0 }, DEFAULT, 8, 'low'],
  ] as const)('%s', (_name, evidence, rule, expectedScore, grade) => {
    const e = { ...none, ...evidence };
    expect(score(e, rule)).toBe(expectedScore);
    expect(gradeOf(e, rule)).toBe(grade);
  });

  it.each([
    ['蔬菜>叶菜类蔬菜>菠菜', '蔬菜>叶菜类蔬菜'],
    ['蔬菜>根茎类蔬菜', '蔬菜'],
    ['蔬菜', '蔬菜'],
    ['蔬菜类加工品', ''], // a prefix of the name is not a parent in the tree
    ['水果>浆果和其他小型水果', ''],
    ['', ''],
  ])('category %s takes the rule of %s', (category, group) => {
    expect(ruleFor(category, [DEFAULT, VEGETABLES, LEAFY])?.productGroup).toBe(group);
  });

  it.each([
    ['2026', '2026-01-01', '2026-12-31'],
    ['2026-Q1', '2026-01-01', '2026-03-31'],
    ['2028-Q1', '2028-01-01', '2028-03-31'],
    ['2026-Q4', '2026-10-01', '2026-12-31'],
  ])('period %s is %s – %s', (key, from, to) => {
    expect(gradingPeriod(key)).toEqual({ key, from, to });
  });

  it('refuses bad periods and overrides without a reason', () => {
    for (const key of ['26', '2026-Q5', '2026-03', '2026Q1']) expect(gradingPeriod(key)).toBeNull();
    expect(overrideProblem('severe', '多次抽检不合格')).toMatch(/grade/);
    expect(overrideProblem('high', ' 无 ')).toMatch(/reason/);
    expect(overrideProblem('low', '已全面整改并复查')).toBeUndefined();
  });
});
