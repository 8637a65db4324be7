// The pure rules of sampling that other features may use (their only way in; npm run lint checks).
export type { SampleStatus, SampleVerdict } from './custody';
