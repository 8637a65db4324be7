// The public surface of logistics: other features import only from here (npm run lint checks).
export { LogisticsModule } from './logistics.module';
export { LogisticsReservationsModule } from './logistics-reservations.module';
