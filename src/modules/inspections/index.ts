// The public surface of inspections: other features import only from here (npm run lint checks).
export { InspectionsModule } from './inspections.module';
export { INSPECTED_KINDS, InspectionsService } from './inspections.service';
export type { DueInspectionView, FindingView, InspectionView, PublishedGrades } from './inspections.service';
export { InspectionTemplatesService } from './inspection-templates.service';
export type { TemplateView } from './inspection-templates.service';
