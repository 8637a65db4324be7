import { InitialSchema1795748401582 } from './1795748401582-InitialSchema';
import { LimitsEngine1795752436748 } from './1795752436748-LimitsEngine';
import { Certificates1795752610881 } from './1795752610881-Certificates';
import { AuditAndNotifications1795752862805 } from './1795752862805-AuditAndNotifications';
import { SamplingWorkflows1795756204584 } from './1795756204584-SamplingWorkflows';
/** Migrations in order. `npm run migration:generate -- Name` adds new ones here. */
export const MIGRATIONS: (new () => unknown)[] = [InitialSchema1795748401582, LimitsEngine1795752436748, Certificates1795752610881, AuditAndNotifications1795752862805, SamplingWorkflows1795756204584];
