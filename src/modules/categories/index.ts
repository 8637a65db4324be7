// The public surface of categories: other features import only from here (npm run lint checks).
export { CategoriesModule } from './categories.module';
export { CATEGORY_SEED_FILE, CategoriesService } from './categories.service';
export { CertificateScopeService } from './certificate-scope.service';
