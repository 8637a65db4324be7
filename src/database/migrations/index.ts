import { InitialSchema1795745584621 } from './1795745584621-InitialSchema';
/** Migrations in order. `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1795745584621];
