import { Module } from '@nestjs/common';
import { ScanModule } from '../scan/scan.module';
import { EventsModule } from './events.module';
import { SupplyChainSection } from './supply-chain-section';

/** The supply-chain section of the consumer scan page (API process only). */
@Module({ imports: [EventsModule, ScanModule], providers: [SupplyChainSection] })
export class EventsScanModule {}
