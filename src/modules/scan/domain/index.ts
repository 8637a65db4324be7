// Pure rules of scan other features may use (npm run lint checks).
export { networkPrefix } from './client-info';
