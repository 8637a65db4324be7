// The pure rules of metrics.
export { mayReadMetrics, parseAllowList, type MetricsAccessRule } from './metrics-access';
export { routeGroup, statusClass } from './route-group';
