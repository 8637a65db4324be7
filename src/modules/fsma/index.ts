// The public surface of fsma: other features import only from here (npm run lint checks).
export { FsmaModule } from './fsma.module';
export { FsmaService } from './fsma.service';
