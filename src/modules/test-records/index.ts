// The public surface of test-records: other features import only from here (npm run lint checks).
export { TestRecordsModule } from './test-records.module';
export { SampleTestRecordInput, TestRecordsService } from './test-records.service';
export type { TestRecordView } from './test-records.service';
export { CreateTestRecordDto } from './dto/create-test-record.dto';
