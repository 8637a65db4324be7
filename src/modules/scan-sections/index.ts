// The public surface of scan-sections: other features import only from here (npm run lint checks).
export { ScanSectionsModule } from './scan-sections.module';
export { ScanSections } from './scan-sections';
