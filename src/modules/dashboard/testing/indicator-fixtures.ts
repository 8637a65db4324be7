import { INDICATORS } from '../../indicators/domain';
import type { IndicatorKey, IndicatorResult, IndicatorRow } from '../../indicators/domain';

/** Hand-made indicator rows for view tests (the shape of the IndicatorsService contract). */
export function row(indicator: IndicatorKey, numerator: number, denominator: number, extra: Partial<IndicatorRow> = {}): IndicatorRow {
  const def = INDICATORS[indicator];
  const rate = def.quantity || denominator === 0 ? null : numerator / denominator;
  const met = def.target?.kind === 'at_least' && rate !== null ? rate >= def.target.value : null;
  return { indicator, name: def.name, numerator: String(numerator), denominator: String(denominator), rate, target: def.target, met, ...extra };
}

export function result(rows: IndicatorRow[], groupBy: IndicatorResult['groupBy'] = []): IndicatorResult {
  return {
    window: { from: '2026-01-01', to: '2026-11-30' },
    scope: { region: { code: '510000', name: '四川省' }, category: null, organizationId: null },
    groupBy,
    rows,
  };
}
