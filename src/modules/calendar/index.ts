// The public surface of calendar: other features import only from here (npm run lint checks).
export { CalendarModule } from './calendar.module';
export { WorkingCalendarDay } from './working-calendar-day.entity';
export { WorkingCalendarService } from './working-calendar.service';
