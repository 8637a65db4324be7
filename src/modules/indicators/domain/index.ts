// The pure rules of indicators that other features may use (their only way in; npm run lint checks).
export { INDICATORS } from './indicator-definitions';
export { INDICATOR_KEYS, IndicatorKey, IndicatorResult, IndicatorRow, IndicatorTarget, PERIOD_DIMENSIONS, PeriodDimension } from './indicator-types';
export type { GroupDimension, IndicatorQuery } from './indicator-types';
