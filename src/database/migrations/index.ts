import { InitialSchema1795748401582 } from './1795748401582-InitialSchema';
import { GeographicalIndications1795752561635 } from './1795752561635-GeographicalIndications';
/** Migrations in order. `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1795748401582, GeographicalIndications1795752561635];
