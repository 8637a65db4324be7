import { AuditCheckpointRecord } from '../modules/audit/audit-checkpoint.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { AuditPendingEntry } from '../modules/audit/audit-pending.entity';
import { ApiKey } from '../modules/auth/api-key.entity';
import { Batch } from '../modules/batches/batch.entity';
import { FoodCategory } from '../modules/categories/food-category.entity';
import { CertificateScopeRule } from '../modules/categories/certificate-scope-rule.entity';
import { CertificateCollection } from '../modules/certificates/certificate-collection.entity';
import { CertificateLedger } from '../modules/certificates/certificate-ledger.entity';
import { Certificate, CertificateSequence } from '../modules/certificates/certificate.entity';
import { TraceCode } from '../modules/codes/trace-code.entity';
import { GiAuthorisation } from '../modules/gi/gi-authorisation.entity';
import { GiClaimRefusal } from '../modules/gi/gi-claim-refusal.entity';
import { GiClaim } from '../modules/gi/gi-claim.entity';
import { GiRecord } from '../modules/gi/gi-record.entity';
import { MarkClaimRefusal } from '../modules/marks/mark-claim-refusal.entity';
import { MarkClaim } from '../modules/marks/mark-claim.entity';
import { MarkLicence } from '../modules/marks/mark-licence.entity';
import { MarkRecord } from '../modules/marks/mark-record.entity';
import { OrganicCode, OrganicCodeAllocation } from '../modules/marks/organic-code.entity';
import { ConsoleSession } from '../modules/console/console-session.entity';
import { ConsoleSubmission } from '../modules/console/console-submission.entity';
import { ConsoleUser } from '../modules/console/console-user.entity';
import { IdempotencyKey } from '../modules/idempotency/idempotency-key.entity';
import { JobRecovery } from '../modules/jobs/job-recovery.entity';
import { OutboxEntry } from '../modules/jobs/outbox-entry.entity';
import { LabelRender } from '../modules/labels/label-render.entity';
import { PrintRun } from '../modules/labels/print-run.entity';
import { LimitAnalyte } from '../modules/limits/limit-analyte.entity';
import { LimitRow } from '../modules/limits/limit-row.entity';
import { Notification } from '../modules/notifications/notification.entity';
import { WebhookDelivery } from '../modules/notifications/webhook-delivery.entity';
import { WebhookSubscription } from '../modules/notifications/webhook-subscription.entity';
import { Organization } from '../modules/organizations/organization.entity';
import { Product } from '../modules/products/product.entity';
import { ProductFormerGtin } from '../modules/products/product-former-gtin.entity';
import { Sample, SampleConsequenceStep, SampleCustodyEvent, SampleJudgeChunk, SampleResult, SamplingReviewFlag } from '../modules/sampling/sample.entity';
import { SamplingCounter, SamplingPlan, SamplingRound } from '../modules/sampling/sampling-plan.entity';
import { ScanClient } from '../modules/scan/scan-client.entity';
import { ScanEvent } from '../modules/scan/scan-event.entity';
import { Site } from '../modules/sites/site.entity';
import { Sscc, SsccContent, SsccCounter } from '../modules/logistics/sscc.entity';
import { TestRecord } from '../modules/test-records/test-record.entity';
import { CaptureJob } from '../modules/events/capture-job.entity';
import { EpcisEventKey } from '../modules/events/epcis-event-key.entity';
import { EpcisEventRecord } from '../modules/events/epcis-event.entity';
import { LotLink } from '../modules/events/lot-link.entity';
import { Shipment } from '../modules/events/shipment.entity';
import { MarketEntry, MarketEntryItem } from '../modules/markets/market-entry.entity';
import { MarketSeller } from '../modules/markets/market-seller.entity';
import { Listing, ListingAlert, ListingBatch, ListingSession } from '../modules/listings/listing.entity';
import { MarketStall } from '../modules/markets/market-stall.entity';
import { Recall, RecallConfirmation } from '../modules/recalls/recall.entity';
import { WorkingCalendarDay } from '../modules/calendar/working-calendar-day.entity';
import { Disposal } from '../modules/disposals/disposal.entity';
import { RiskGrade, RiskGradeRule } from '../modules/risk-grades/risk-grade.entity';
import { Inspection, InspectionCoverageMark, InspectionFinding, InspectionFrequencyRule, InspectionTemplate } from '../modules/inspections/inspection.entity';
import { ConsumerReport, ConsumerReportAlert } from '../modules/consumer-reports/consumer-report.entity';
import { IndicatorCell, IndicatorDelta, IndicatorOrgMonth, IndicatorRollup } from '../modules/indicators/indicator-aggregate.entities';
import { RegionPopulation } from '../modules/indicators/population.entity';
import { FarmInput } from '../modules/farm-inputs/farm-input.entity';
import { InputApplication } from '../modules/farm-inputs/input-application.entity';
import { PhiGateRecord } from '../modules/farm-inputs/phi-gate-record.entity';
import { PhiOverride } from '../modules/farm-inputs/phi-override.entity';

/**
 * Every entity, for the DataSource (migrations and the CLI need the full list). Foreign keys name
 * their target entity by string (@ForeignKey('Batch')) so features never import each other's
 * entities; scan_events has none on purpose: it is an append-only, high-volume log.
 */
export const ENTITIES = [
  Organization, ApiKey, FoodCategory, CertificateScopeRule, Product, Site, Sscc, SsccCounter, SsccContent, Batch, TraceCode, PrintRun, LabelRender,
  IdempotencyKey, OutboxEntry, JobRecovery, ScanEvent,
  TestRecord, Certificate, CertificateSequence, CertificateCollection, CertificateLedger,
  LimitAnalyte, LimitRow,
  GiRecord, GiAuthorisation, GiClaim, GiClaimRefusal,
  MarkRecord, MarkLicence, MarkClaim, MarkClaimRefusal, OrganicCodeAllocation, OrganicCode,
  AuditEntry, AuditPendingEntry, AuditCheckpointRecord, WebhookSubscription, Notification, WebhookDelivery,
  EpcisEventRecord, EpcisEventKey, LotLink, Shipment, CaptureJob, Recall,
  ConsoleUser, ConsoleSession, ConsoleSubmission,
  SamplingPlan, SamplingRound, SamplingCounter, Sample, SampleResult, SampleCustodyEvent, SampleConsequenceStep, SampleJudgeChunk, SamplingReviewFlag,
  IndicatorDelta, IndicatorCell, IndicatorOrgMonth, IndicatorRollup, RegionPopulation,
  ProductFormerGtin, ScanClient,
  FarmInput, InputApplication, PhiGateRecord, PhiOverride,
  MarketSeller, MarketStall, MarketEntry, MarketEntryItem,
  Listing, ListingBatch, ListingSession, ListingAlert,
  Disposal, RecallConfirmation, WorkingCalendarDay,
  InspectionTemplate, Inspection, InspectionFinding, InspectionCoverageMark, InspectionFrequencyRule, RiskGradeRule, RiskGrade,
  ConsumerReport, ConsumerReportAlert,
];
