import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BatchesModule } from '../batches/batches.module';
import { EventsModule } from '../events/events.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { Recall } from './recall.entity';
import { RecallsController } from './recalls.controller';
import { RecallsService } from './recalls.service';

@Module({
  imports: [TypeOrmModule.forFeature([Recall]), EventsModule, BatchesModule, OrganizationsModule, NotificationsModule],
  controllers: [RecallsController],
  providers: [RecallsService],
  exports: [RecallsService],
})
export class RecallsModule {}
