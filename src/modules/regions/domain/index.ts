// The pure rules of regions that other features may use (their only way in; npm run lint checks).
export { Region, findRegion, isWithinRegion, regionPrefix, requireRegion } from './region-codes';
export type { RegionLevel } from './region-codes';
