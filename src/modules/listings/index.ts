// The public surface of listings: other features import only from here (npm run lint checks).
export { ListingsModule } from './listings.module';
export { ListingsService } from './listings.service';
export type { ListingView } from './listings.service';
export { CreateListingDto, ListingSessionDto, ShipBatchesDto } from './dto/listing.dto';
export { LISTING_PLATFORMS, PLATFORM_NAMES } from './domain/badge';
