import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { OrganizationsModule } from '../organizations';
import { LogisticsController } from './logistics.controller';
import { LogisticsService } from './logistics.service';
import { Sscc, SsccCounter } from './sscc.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Sscc, SsccCounter]), OrganizationsModule],
  controllers: [LogisticsController],
  providers: [LogisticsService],
})
export class LogisticsModule {}
