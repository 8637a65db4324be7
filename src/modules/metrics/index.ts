// The public surface of metrics: other features import only from here (npm run lint checks).
export { Metrics } from './metrics';
export { MetricsModule } from './metrics.module';
