// The public surface of sites: other features import only from here (npm run lint checks).
export { CreateSiteDto } from './dto/create-site.dto';
export { SitesModule } from './sites.module';
export { SiteView, SitesService } from './sites.service';
