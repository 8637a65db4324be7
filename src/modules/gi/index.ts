// The public surface of gi: other features import only from here (npm run lint checks).
export { GiClaimsModule } from './gi-claims.module';
export { GiClaimsService } from './gi-claims.service';
export { GiModule } from './gi.module';
export { GiService } from './gi.service';
export { mayAuthorise, mayWriteArea } from './gi.service';
export type { AuthorisationView, GiView } from './gi.service';
export { CreateAuthorisationDto, CreateGiDto, RevokeDto } from './dto/gi.dto';
export { GI_REGIME_NAMES, GI_REGIMES } from './domain/gi-record-rules';
