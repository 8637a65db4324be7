// The pure rules of events that other features may use (their only way in; npm run lint checks).
export { recallEvent, TRANSFORMATION_KINDS } from './platform-events';
export { balanceOf } from './mass-balance';
export type { BalanceSummary } from './mass-balance';
