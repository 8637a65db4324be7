// The public surface of the market regulator's sampling statistics: other features import only from here.
export { MarketSamplingModule } from './market-sampling.module';
export { MarketSamplingService } from './market-sampling.service';
export type { MarketSamplingFigure, MarketSamplingImportReport } from './market-sampling.service';
export { ImportMarketSamplingQueryDto } from './dto/market-sampling.dto';
export { MARKET_SAMPLING_COLUMNS } from './domain/market-sampling-csv';
