import { InitialSchema1795748401582 } from './1795748401582-InitialSchema';
import { LimitsEngine1795752436748 } from './1795752436748-LimitsEngine';
import { GeographicalIndications1795752561635 } from './1795752561635-GeographicalIndications';
import { Certificates1795752610881 } from './1795752610881-Certificates';
import { SupplyChainEvents1795752858566 } from './1795752858566-SupplyChainEvents';
import { AuditAndNotifications1795752862805 } from './1795752862805-AuditAndNotifications';
import { ConsoleAccounts1795755592052 } from './1795755592052-ConsoleAccounts';
import { SamplingWorkflows1795756204584 } from './1795756204584-SamplingWorkflows';
import { IndicatorAggregates1795764154461 } from './1795764154461-IndicatorAggregates';
import { DashboardIndexes1795765921774 } from './1795765921774-DashboardIndexes';
import { CertificateScopeRules1795790000000 } from './1795790000000-CertificateScopeRules';
import { EventsPerRecorder1795800000010 } from './1795800000010-EventsPerRecorder';
import { JobRecovery1795840000010 } from './1795840000010-JobRecovery';
import { ProductFormerGtins1795860000001 } from './1795860000001-ProductFormerGtins';
import { ScanClients1795860000002 } from './1795860000002-ScanClients';
import { AuditCheckpoints1795870000001 } from './1795870000001-AuditCheckpoints';
import { CertificateLedger1796419790548 } from './1796419790548-CertificateLedger';
import { FarmInputs1796420073026 } from './1796420073026-FarmInputs';
import { MarkSchemes1796420128727 } from './1796420128727-MarkSchemes';
import { FarmInputIndicators1796420559439 } from './1796420559439-FarmInputIndicators';
import { EventHashCbv21796420731093 } from './1796420731093-EventHashCbv2';
import { Markets1796421410448 } from './1796421410448-Markets';
import { Glns1796422573186 } from './1796422573186-Glns';
import { Listings1796422744550 } from './1796422744550-Listings';
import { MarketIndicators1796423248058 } from './1796423248058-MarketIndicators';
import { Ssccs1796423744213 } from './1796423744213-Ssccs';
import { Disposals1796424159620 } from './1796424159620-Disposals';
import { RecallGrades1796425237891 } from './1796425237891-RecallGrades';
import { RecallBatchIndex1796429813465 } from './1796429813465-RecallBatchIndex';
import { Inspections1796429937270 } from './1796429937270-Inspections';
import { ConsumerReports1796430362737 } from './1796430362737-ConsumerReports';
import { AuditPending1796430489169 } from './1796430489169-AuditPending';
import { SsccShipping1796430501852 } from './1796430501852-SsccShipping';
import { MarkIndicators1796431324960 } from './1796431324960-MarkIndicators';
import { Fsma204KeyDataElements1796431584444 } from './1796431584444-Fsma204KeyDataElements';
import { CertificateNewestValidIndex1796431626046 } from './1796431626046-CertificateNewestValidIndex';
import { RiskGrades1796431632746 } from './1796431632746-RiskGrades';
import { PartitionedScansAndCodes1796432056374 } from './1796432056374-PartitionedScansAndCodes';
import { InputRecordCoverageCategories1796432523317 } from './1796432523317-InputRecordCoverageCategories';
import { ReportAndRecallIndicators1796433013919 } from './1796433013919-ReportAndRecallIndicators';
import { OutboxSetAside1796434148158 } from './1796434148158-OutboxSetAside';
import { InspectionFrequencyRules1796435000000 } from './1796435000000-InspectionFrequencyRules';
import { RegionPopulations1796435100000 } from './1796435100000-RegionPopulations';
import { RecheckRefusal1796441127663 } from './1796441127663-RecheckRefusal';
import { PartitionedEpcisEvents1796441177466 } from './1796441177466-PartitionedEpcisEvents';
import { GateRecordCount1796441263974 } from './1796441263974-GateRecordCount';
import { SeedUnitCode1796441698339 } from './1796441698339-SeedUnitCode';
import { MarketSamplingStats1796441769840 } from './1796441769840-MarketSamplingStats';
import { ReceiptReferenceDocuments1796441798537 } from './1796441798537-ReceiptReferenceDocuments';
import { PartitionedAuditLog1796442451995 } from './1796442451995-PartitionedAuditLog';
import { CertificateRequiredPlpgsql1796443000000 } from './1796443000000-CertificateRequiredPlpgsql';

/** Migrations in order (one per line, so branches adding one merge cleanly). `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [
  InitialSchema1795748401582,
  LimitsEngine1795752436748,
  GeographicalIndications1795752561635,
  Certificates1795752610881,
  SupplyChainEvents1795752858566,
  AuditAndNotifications1795752862805,
  ConsoleAccounts1795755592052,
  SamplingWorkflows1795756204584,
  IndicatorAggregates1795764154461,
  DashboardIndexes1795765921774,
  CertificateScopeRules1795790000000,
  EventsPerRecorder1795800000010,
  JobRecovery1795840000010,
  ProductFormerGtins1795860000001,
  ScanClients1795860000002,
  AuditCheckpoints1795870000001,
  CertificateLedger1796419790548,
  FarmInputs1796420073026,
  MarkSchemes1796420128727,
  FarmInputIndicators1796420559439,
  EventHashCbv21796420731093,
  Markets1796421410448,
  Glns1796422573186,
  Listings1796422744550,
  MarketIndicators1796423248058,
  Ssccs1796423744213,
  Disposals1796424159620,
  RecallGrades1796425237891,
  RecallBatchIndex1796429813465,
  Inspections1796429937270,
  ConsumerReports1796430362737,
  AuditPending1796430489169,
  SsccShipping1796430501852,
  MarkIndicators1796431324960,
  Fsma204KeyDataElements1796431584444,
  CertificateNewestValidIndex1796431626046,
  RiskGrades1796431632746,
  PartitionedScansAndCodes1796432056374,
  InputRecordCoverageCategories1796432523317,
  ReportAndRecallIndicators1796433013919,
  OutboxSetAside1796434148158,
  InspectionFrequencyRules1796435000000,
  RegionPopulations1796435100000,
  RecheckRefusal1796441127663,
  PartitionedEpcisEvents1796441177466,
  GateRecordCount1796441263974,
  SeedUnitCode1796441698339,
  MarketSamplingStats1796441769840,
  ReceiptReferenceDocuments1796441798537,
  PartitionedAuditLog1796442451995,
  CertificateRequiredPlpgsql1796443000000,
];
