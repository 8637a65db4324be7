// The public surface of risk grades: other features import only from here (npm run lint checks).
export { RiskGradesModule } from './risk-grades.module';
export { RiskGradesService } from './risk-grades.service';
export type { ComputeSummary, RiskGradeView } from './risk-grades.service';
