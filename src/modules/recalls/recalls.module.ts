import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches';
import { CalendarModule } from '../calendar';
import { EventsModule } from '../events';
import { NotificationsModule } from '../notifications';
import { OrganizationsModule } from '../organizations';
import { Recall, RecallConfirmation } from './recall.entity';
import { RecallsController } from './recalls.controller';
import { RecallsService } from './recalls.service';

@Module({
  imports: [TypeOrmModule.forFeature([Recall, RecallConfirmation]), CalendarModule, EventsModule, BatchesModule, OrganizationsModule, NotificationsModule],
  controllers: [RecallsController],
  providers: [RecallsService],
  exports: [RecallsService],
})
export class RecallsModule {}
