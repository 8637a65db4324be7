// The public surface of disposals: other features import only from here (npm run lint checks).
export { Disposal } from './disposal.entity';
export { DisposalsModule } from './disposals.module';
export { DisposalView, DisposalsService } from './disposals.service';
export { DISPOSAL_METHODS } from './domain/disposal-rules';
