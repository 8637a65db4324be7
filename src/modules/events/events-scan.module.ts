import { Module } from '@nestjs/common';
import { ScanSectionsModule } from '../scan-sections';
import { EventsModule } from './events.module';
import { SupplyChainSection } from './supply-chain-section';

/** The supply-chain section of the consumer scan page (API process only). */
@Module({ imports: [EventsModule, ScanSectionsModule], providers: [SupplyChainSection] })
export class EventsScanModule {}
