// The public surface of logistics: other features import only from here (npm run lint checks).
export { LogisticsModule } from './logistics.module';
export { LogisticsReservationsModule } from './logistics-reservations.module';
export { LogisticsService } from './logistics.service';
export type { ArrivingUnit, InboundUnitView, SsccView } from './logistics.service';
export { AllocateSsccsDto } from './dto/allocate-ssccs.dto';
export { PackSsccDto, ReceiveSsccDto, ShipSsccDto } from './dto/unit-movements.dto';
