import type { IndicatorQuery, IndicatorResult } from '../indicators/domain/indicator-types';
import type { Actor } from '../auth/actor';

/** IndicatorsService as the dashboard uses it (the contract of src/modules/indicators). */
export interface IndicatorSource {
  query(actor: Actor, q: IndicatorQuery): Promise<IndicatorResult>;
}

export const INDICATOR_SOURCE = Symbol('INDICATOR_SOURCE');
