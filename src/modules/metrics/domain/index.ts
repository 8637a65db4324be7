// The pure rules of metrics that other features may use (their only way in; npm run lint checks).
export { mayReadMetrics, parseAllowList } from './metrics-access';
export type { MetricsAccessRule } from './metrics-access';
export { routeGroup, statusClass } from './route-group';
