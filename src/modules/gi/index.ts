// The public surface of gi: other features import only from here (npm run lint checks).
export { GiClaimsModule } from './gi-claims.module';
export { GiClaimsService } from './gi-claims.service';
export { GiModule } from './gi.module';
export { GiService } from './gi.service';
