import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { WorkingCalendarDay } from './working-calendar-day.entity';
import { WorkingCalendarService } from './working-calendar.service';

@Module({ imports: [TypeOrmModule.forFeature([WorkingCalendarDay])], providers: [WorkingCalendarService], exports: [WorkingCalendarService] })
export class CalendarModule {}
