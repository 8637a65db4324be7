// The public surface of codes: other features import only from here (npm run lint checks).
export { CodesModule } from './codes.module';
export { ScanCount, TraceCodesService } from './trace-codes.service';
