import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CertificatesModule } from '../certificates';
import { FarmInputsModule } from '../farm-inputs';
import { InspectionsModule } from '../inspections';
import { MarketsModule } from '../markets';
import { OrganizationsModule } from '../organizations';
import { ProductsModule } from '../products';
import { SamplingModule } from '../sampling';
import { RiskGrade, RiskGradeRule } from './risk-grade.entity';
import { RiskGradesController } from './risk-grades.controller';
import { RiskGradesService } from './risk-grades.service';

/**
 * Risk grades: evidence from sampling, certificates, farm inputs, inspections and markets; the
 * published grades' weights registered with the sampling draw (so wherever sampling plans are
 * drawn — the API, the worker — this module must be loaded: see RiskGradesWorkerModule).
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([RiskGrade, RiskGradeRule]), OrganizationsModule, ProductsModule, SamplingModule, CertificatesModule,
    FarmInputsModule, InspectionsModule, MarketsModule, BatchesModule,
  ],
  controllers: [RiskGradesController],
  providers: [RiskGradesService],
  exports: [RiskGradesService],
})
export class RiskGradesModule {}
