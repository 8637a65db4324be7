// The public surface of organizations: other features import only from here (npm run lint checks).
export { CreateApiKeyDto } from './dto/create-api-key.dto';
export { OrganizationsModule } from './organizations.module';
export { OrganizationIdentity, OrganizationSummary, OrganizationsService, PartyDetails } from './organizations.service';
