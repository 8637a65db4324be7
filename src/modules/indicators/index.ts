// The public surface of indicators: other features import only from here (npm run lint checks).
export { IndicatorFoldService } from './indicator-fold.service';
export { IndicatorsModule } from './indicators.module';
export { IndicatorsService } from './indicators.service';
