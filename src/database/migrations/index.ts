import { InitialSchema1795748401582 } from './1795748401582-InitialSchema';
import { SupplyChainEvents1795752858566 } from './1795752858566-SupplyChainEvents';
/** Migrations in order. `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1795748401582, SupplyChainEvents1795752858566];
