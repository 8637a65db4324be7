// The public surface of batches: other features import only from here (npm run lint checks).
export type { Batch } from './batch.entity';
export { BatchesModule } from './batches.module';
export { BatchReleaseCheck, BatchStatusHook, BatchView, BatchesService } from './batches.service';
export { CreateBatchDto } from './dto/create-batch.dto';
