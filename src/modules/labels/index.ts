// The public surface of labels: other features import only from here (npm run lint checks).
export { CreatePrintRunDto } from './dto/create-print-run.dto';
export { LabelsModule } from './labels.module';
export { LabelsService } from './labels.service';
export type { PrintRunView, RenderView } from './labels.service';
