// The pure rules of fsma that other features may use (their only way in; npm run lint checks).
export { FSMA_COLUMNS, FSMA_INDEX, cellsToRow, chinaDateAndTime, describePlace, sortCells } from './columns';
export type { CriticalTrackingEvent, FsmaCells, FsmaColumn, FsmaRow, Place } from './columns';
