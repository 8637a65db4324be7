// The public surface of files: other features import only from here (npm run lint checks).
export { FileStore } from './file-store';
export { FilesModule } from './files.module';
