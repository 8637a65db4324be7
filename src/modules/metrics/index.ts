// The public surface of metrics: other features import only from here (npm run lint checks).
export { MetricsModule } from './metrics.module';
export { Metrics } from './metrics';
