// The pure rules of fsma that other features may use (their only way in; npm run lint checks).
export { FSMA_COLUMNS, chinaDateAndTime, describePlace, sortRows } from './columns';
export type { CriticalTrackingEvent, FsmaColumn, FsmaRow, Place } from './columns';
