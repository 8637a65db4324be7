// The public surface of recalls: other features import only from here (npm run lint checks).
export { Recall } from './recall.entity';
export { RecallsModule } from './recalls.module';
export { RecallsService, RecallView } from './recalls.service';
export { RECALL_GRADES, RecallGrade } from './domain/recall-grades';
