// The public surface of limits: other features import only from here (npm run lint checks).
export { LimitsModule } from './limits.module';
export { LimitsService } from './limits.service';
