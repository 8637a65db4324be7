// The public surface of events: other features import only from here (npm run lint checks).
export { EventsModule } from './events.module';
export { EventsService } from './events.service';
export { rehashEvents } from './rehash-events';
export { LotView, SupplyChainService } from './supply-chain.service';
export { UnitMovementsService } from './unit-movements.service';
export type { UnitLot, UnitReceiptInput, UnitReceiptView, UnitShipmentView } from './unit-movements.service';
