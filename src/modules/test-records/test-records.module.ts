import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { ScanSectionsModule } from '../scan-sections';
import { TestRecord } from './test-record.entity';
import { TestRecordsController } from './test-records.controller';
import { TestRecordsService } from './test-records.service';
import { TestResultsSection } from './test-results-section';

@Module({
  imports: [TypeOrmModule.forFeature([TestRecord]), BatchesModule, ScanSectionsModule],
  controllers: [TestRecordsController],
  providers: [TestRecordsService, TestResultsSection],
  exports: [TestRecordsService],
})
export class TestRecordsModule {}
