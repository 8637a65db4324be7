import { JobPayloads, QUEUES } from '../../../libs/queues';
import type { JobProcessor } from '../jobs';
import { QueueProcessor } from '../jobs';
import { ListingsService } from './listings.service';

/**
 * A batch went on hold or was recalled: alert the listings shipping it (recorded by the change's
 * own transaction, in whichever process made it). Safe to run twice: the alert is recorded once.
 */
@QueueProcessor(QUEUES.listingAlerts)
export class ListingAlertsProcessor implements JobProcessor<'listing-alerts'> {
  readonly queue = QUEUES.listingAlerts;

  constructor(private readonly listings: ListingsService) {}

  async process(payload: JobPayloads['listing-alerts']): Promise<void> {
    await this.listings.alertBatch(payload.batchId, payload.status);
  }
}
