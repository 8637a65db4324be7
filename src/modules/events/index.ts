// The public surface of events: other features import only from here (npm run lint checks).
export { EventsModule } from './events.module';
export { EventsService } from './events.service';
export { rehashEvents } from './rehash-events';
export { LotView, ShipmentView, SupplyChainService, TransformationView } from './supply-chain.service';
export { CreateShipmentDto, CreateTransformationDto, ReceiveShipmentDto } from './dto/supply-chain.dto';
