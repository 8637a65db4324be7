// The public surface of events: other features import only from here (npm run lint checks).
export { EventsModule } from './events.module';
export { EventsService } from './events.service';
export { rehashEvents } from './rehash-events';
export { LotView, ShipmentView, SupplyChainService, TraceabilityMovements, TransformationView } from './supply-chain.service';
export type { Shipment } from './shipment.entity';
export { UnitMovementsService } from './unit-movements.service';
export type { UnitLot, UnitReceiptInput, UnitReceiptView, UnitShipmentView } from './unit-movements.service';
export { REFERENCE_DOCUMENT_TYPES } from './domain/platform-events';
export type { ReferenceDocumentType } from './domain/platform-events';
export { CreateShipmentDto, CreateTransformationDto, ReceiveShipmentDto } from './dto/supply-chain.dto';
