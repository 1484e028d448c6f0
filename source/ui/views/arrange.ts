/**
 * Sorting, filtering and flattening of view sections for display, fast enough for 100,000 rows
 * (`sort.ts` with its orders in `sort-order.ts`, `filter.ts`, `flatten.ts`; their caches are one
 * object, `arrangeCache` in `arrange-cache.ts`). The results are plain sections.
 */
export {prepareSort, sortSection, sortSections} from './sort.js';
export {filterNeedle, filterSections, matchingPositions, prepareFilter} from './filter.js';
export {flatten, type DisplayLine, type Flattened} from './flatten.js';
