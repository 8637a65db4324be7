// The pure rules of test-records that other features may use (their only way in; npm run lint checks).
export { STREAM_LABELS, TEST_STREAMS, normalizeSubstance } from './test-results';
export type { TestStream } from './test-results';
