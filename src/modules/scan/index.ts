// The public surface of scan: other features import only from here (npm run lint checks).
export { NO_STORE, SCAN_EDGE, prefersJson, sendEdgeError } from './scan-edge';
export { ScanRecorder } from './scan-recorder';
export { ScanModule } from './scan.module';
