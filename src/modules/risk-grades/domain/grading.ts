/**
 * Risk grades (风险分级, DOMAIN.md §11): per organisation and period, a score from the platform's
 * own evidence, weighed by the rule of the organisation's product group, and a grade from the
 * rule's thresholds. Rules are data (risk_grade_rules, with source and verified flag); the grading
 * itself runs in SQL over every organisation at once (RiskGradesService.compute) — this is the
 * same rule for one organisation, for the rule tables' specs and to explain a score.
 */
export const GRADES = { high: '高风险', medium: '中风险', low: '低风险' } as const;
export type Grade = keyof typeof GRADES;

export const EVIDENCE_KINDS = ['failedSamples', 'certificateGaps', 'phiViolations', 'openFindings', 'overdueFindings', 'refusals'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export type Evidence = Record<EvidenceKind, number>;

export interface GradingRule {
  /** A node of the category tree ('' = every product without a rule of its own). */
  productGroup: string;
  weights: Evidence;
  /** score ≥ highAt → high; ≥ mediumAt → medium; else low. */
  highAt: number;
  mediumAt: number;
  /** The sampling draw weight of each grade (replaces the fixed failure weight once published). */
  drawWeights: Record<Grade, number>;
}

export function score(evidence: Evidence, rule: GradingRule): number {
  return EVIDENCE_KINDS.reduce((sum, kind) => sum + evidence[kind] * rule.weights[kind], 0);
}

export function gradeOf(evidence: Evidence, rule: GradingRule): Grade {
  const s = score(evidence, rule);
  return s >= rule.highAt ? 'high' : s >= rule.mediumAt ? 'medium' : 'low';
}

/** The rule for a category: the most specific product group containing it, else the default (''). */
export function ruleFor<R extends Pick<GradingRule, 'productGroup'>>(category: string, rules: readonly R[]): R | undefined {
  return [...rules].filter((r) => r.productGroup === '' || category === r.productGroup || category.startsWith(`${r.productGroup}>`))
    .sort((a, b) => b.productGroup.length - a.productGroup.length)[0];
}

/** A grading period: a year (`2026`) or a quarter (`2026-Q3`), with its first and last day. */
export function gradingPeriod(key: string): { key: string; from: string; to: string } | null {
  const year = /^(\d{4})$/.exec(key);
  if (year) return { key, from: `${key}-01-01`, to: `${key}-12-31` };
  const quarter = /^(\d{4})-Q([1-4])$/.exec(key);
  if (!quarter) return null;
  const q = Number(quarter[2]);
  const last = new Date(Date.UTC(Number(quarter[1]), q * 3, 0)).toISOString().slice(0, 10);
  return { key, from: `${quarter[1]}-${String(q * 3 - 2).padStart(2, '0')}-01`, to: last };
}

/** An override needs a reason a reader understands (at least 4 characters). */
export function overrideProblem(grade: string, reason: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(GRADES, grade)) return `grade must be one of ${Object.keys(GRADES).join(', ')}`;
  if (reason.trim().length < 4) return 'reason must say why (at least 4 characters)';
  return undefined;
}
