// The pure rules of codes that other features may use (their only way in; npm run lint checks).
export { batchQrContent, itemQrContent, traceUrl } from './qr-content';
