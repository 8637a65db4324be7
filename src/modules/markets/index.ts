// The public surface of markets: other features import only from here (npm run lint checks).
export { MarketEntriesService } from './market-entries.service';
export type { EntryItemView, EntryView } from './market-entries.service';
export { MarketSellersService } from './market-sellers.service';
export type { SellerView, StallView } from './market-sellers.service';
export { MarketsModule } from './markets.module';
export { CreateEntryDto, CreateSellerDto, CreateStallDto, ENTRY_PROOF_KINDS, StopSellerDto } from './dto/market.dto';
