// The public surface of notices: other features import only from here (npm run lint checks).
export { NoticesModule } from './notices.module';
