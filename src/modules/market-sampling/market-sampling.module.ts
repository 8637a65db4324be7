import { Module } from '@nestjs/common';
import { MarketSamplingController } from './market-sampling.controller';
import { MarketSamplingService } from './market-sampling.service';

@Module({
  controllers: [MarketSamplingController],
  providers: [MarketSamplingService],
  exports: [MarketSamplingService],
})
export class MarketSamplingModule {}
