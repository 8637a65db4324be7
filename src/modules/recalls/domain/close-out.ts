import { Decimal, ZERO } from '../../../../libs/decimal';
import { amountOf, dimensionOf, formatIn } from '../../../../libs/quantity';
import type { AffectedOrganization } from './recall-report';

export interface ConfirmedQuantities {
  unit: string;
  recovered: string;
  disposed: string;
  soldThrough: string;
}

export interface CloseOutLine {
  organizationId: string;
  name: string;
  /** What the recall found with it, per unit. */
  distributed: Record<string, string>;
  confirmed: (ConfirmedQuantities & { total: string }) | null;
  balanced: boolean;
}

/**
 * Each affected organisation's account against what it had (close-out): recovered + disposed +
 * sold through must equal what it received or held, exactly, in any unit of the same dimension
 * (100 斤 balances 50 kg). An organisation holding amounts of two dimensions (kg and 箱) cannot be
 * balanced by one confirmation and stays open.
 */
export function closeOut(affected: AffectedOrganization[], confirmations: Map<string, ConfirmedQuantities>): CloseOutLine[] {
  return affected.map((org) => {
    const c = confirmations.get(org.organizationId) ?? null;
    if (!c) return { organizationId: org.organizationId, name: org.name, distributed: org.quantities, confirmed: null, balanced: false };
    const total = [c.recovered, c.disposed, c.soldThrough].reduce<Decimal>((sum, v) => sum.plus(amountOf({ value: v, unit: c.unit }).value), ZERO);
    const byDimension = new Map<string, Decimal>();
    for (const [unit, value] of Object.entries(org.quantities)) {
      const d = dimensionOf(unit);
      byDimension.set(d, (byDimension.get(d) ?? ZERO).plus(amountOf({ value, unit }).value));
    }
    const had = byDimension.get(dimensionOf(c.unit));
    const balanced = byDimension.size === 1 && had !== undefined && had.eq(total);
    return { organizationId: org.organizationId, name: org.name, distributed: org.quantities, confirmed: { ...c, total: formatIn(total, c.unit) }, balanced };
  });
}
