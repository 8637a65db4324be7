// The pure rules of categories that other features may use (their only way in; npm run lint checks).
export { isSameOrWithin, normalizeCategoryPath, parseCategoryCsv, selfAndAncestors } from './category-path';
