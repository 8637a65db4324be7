import { Module } from '@nestjs/common';
import { ListingAlertsProcessor } from './listing-alerts.processor';
import { ListingsModule } from './listings.module';

/**
 * The listing alerts: loaded by the worker process, and by the API in embedded mode. Loading
 * ListingsModule also registers its batch status hook in the worker, so a hold made by a job there
 * (a failed sample) records its listing alerts like one made through the API.
 */
@Module({ imports: [ListingsModule], providers: [ListingAlertsProcessor] })
export class ListingsWorkerModule {}
