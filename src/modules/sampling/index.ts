// The public surface of sampling: other features import only from here (npm run lint checks).
export { SamplesService } from './samples.service';
export { SamplingModule } from './sampling.module';
