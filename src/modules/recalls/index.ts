// The public surface of recalls: other features import only from here (npm run lint checks).
export { RECALL_GRADES, RecallGrade } from './domain/recall-grades';
export { Recall } from './recall.entity';
export { RecallsModule } from './recalls.module';
export { RecallView, RecallsService } from './recalls.service';
export { CreateRecallDto } from './dto/create-recall.dto';
