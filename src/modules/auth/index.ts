// The public surface of auth: other features import only from here (npm run lint checks).
export { ADMIN_ACTOR, Actor, actorRef, canRead, canWriteAs, isAdmin, regulatorPrefix, requireOwnOrganization, userRef } from './actor';
export { ApiKeysService, CreatedKey } from './api-keys.service';
export { CurrentActor, Public, Roles } from './auth.decorators';
export { AuthModule } from './auth.module';
export { KEY_ROLES, KeyRole, PRODUCER_WRITERS } from './roles';
