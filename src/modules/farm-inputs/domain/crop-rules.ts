import { isSameOrWithin, selfAndAncestors } from '../../categories/domain';
import type { MaxDose } from './dose';

/**
 * Per crop (a node of the food-category tree) what an input's label says: the 安全间隔期 (pesticides)
 * or 休药期 (veterinary drugs) in days, and the maximum dose. A rule on a category covers every food
 * under it unless a more specific rule exists, as limits do (DOMAIN.md §5).
 */
export interface CropRule {
  category: string;
  intervalDays: number | null;
  maxDose: MaxDose | null;
}

/** The most specific rule whose category is the crop or one of its ancestors; null when none is. */
export function ruleFor(rules: readonly CropRule[], crop: string): CropRule | null {
  const lineage = selfAndAncestors(crop);
  let best: CropRule | null = null;
  for (const rule of rules) {
    if (lineage.includes(rule.category) && (!best || rule.category.length > best.category.length)) best = rule;
  }
  return best;
}

/**
 * The longest interval any rule on the crop or a category above it sets (0: none); the rule that
 * applies (`ruleFor`, the most specific of them) is never longer.
 */
export function longestIntervalFor(rules: readonly CropRule[], crop: string): number {
  const lineage = selfAndAncestors(crop);
  let longest = 0;
  for (const rule of rules) {
    if (rule.intervalDays !== null && rule.intervalDays > longest && lineage.includes(rule.category)) longest = rule.intervalDays;
  }
  return longest;
}

/** Whether an application on crop `a` concerns a batch of crop `b`: the same node, or one inside the other. */
export function cropsOverlap(a: string, b: string): boolean {
  return isSameOrWithin(a, b);
}

/** Calendar arithmetic on `YYYY-MM-DD` (UTC noon-free: dates only). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
