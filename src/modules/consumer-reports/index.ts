// The public surface of consumer-reports: other features import only from here (npm run lint checks).
export { ConsumerReportsModule } from './consumer-reports.module';
export { ConsumerReportView, ConsumerReportsService } from './consumer-reports.service';
