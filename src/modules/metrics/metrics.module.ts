import { Module } from '@nestjs/common';
import { IndicatorsModule } from '../indicators';
import { ScanModule } from '../scan';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';
import { SystemMetrics } from './system-metrics';

/** GET /metrics of an API process (see SystemMetrics for what it reports). */
@Module({
  imports: [ScanModule, IndicatorsModule],
  controllers: [MetricsController],
  providers: [Metrics, SystemMetrics],
  exports: [Metrics],
})
export class MetricsModule {}
