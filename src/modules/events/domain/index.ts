// The pure rules of events that other features may use (their only way in; npm run lint checks).
export { recallEvent } from './platform-events';
