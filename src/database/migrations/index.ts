import { InitialSchema1795748401582 } from './1795748401582-InitialSchema';
import { AuditAndNotifications1795752862805 } from './1795752862805-AuditAndNotifications';
/** Migrations in order. `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1795748401582, AuditAndNotifications1795752862805];
