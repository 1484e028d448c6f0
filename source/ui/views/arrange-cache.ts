/**
 * The one cache object of the explorer's list arrangement (`sort.ts`, `filter.ts`): what was sorted
 * and filtered, and the filter texts of built sections. Every entry is keyed by a section object
 * (weakly): a view rebuilt (a rescan) leaves the old entries to the garbage collector.
 */
import type {Section, SortKey} from './types.js';

/** How a sorted section was made from a built one: per position, the index of its row in `base.rows`. */
export interface Arrangement {
	base: Section;
	order: Int32Array;
}

/** A section sorted by one key. */
export interface Sorted {
	section: Section;
	/** Per position, the index of the row in the input section's rows. */
	positions: Int32Array;
}

/**
 * All filter texts of a built section in one string, each followed by a row separator, and where
 * each starts (`starts[rows]`: the length). A filter over every row searches this one string (a
 * few ms at 100,000 rows) instead of 100,000 strings spread over the heap (10-25 ms).
 */
export interface SearchBlob {
	text: string;
	starts: Int32Array;
}

/** The caches, each keyed by a section (weakly). */
export interface ArrangeCache {
	/** Sorted (or reversed) sections → their arrangement (sections not made here are their own base). */
	readonly arrangements: WeakMap<Section, Arrangement>;
	/** Section → its sorted versions. */
	readonly sorted: WeakMap<Section, Map<SortKey, Sorted>>;
	/** Sorts under way, by section and sort key: resumed by whoever needs them next (see `prepareSort`). */
	readonly pendingSorts: WeakMap<Section, Map<SortKey, Generator<void, Sorted>>>;
	/** Sorted section → the same rows in reverse order (`S`). */
	readonly reversed: WeakMap<Section, Section>;
	/** Built section → the filter texts of its first rows (by row index; grows up to all rows). */
	readonly searchTexts: WeakMap<Section, string[]>;
	/** Built section → its filter texts joined (made on first use). */
	readonly searchBlobs: WeakMap<Section, SearchBlob>;
	/** Sorted section → the positions of its rows matching a filter, by filter (the last few). */
	readonly filterResults: WeakMap<Section, Map<string, Int32Array>>;
}

/** THE cache of the arrangement functions. */
export const arrangeCache: ArrangeCache = {
	arrangements: new WeakMap(),
	sorted: new WeakMap(),
	pendingSorts: new WeakMap(),
	reversed: new WeakMap(),
	searchTexts: new WeakMap(),
	searchBlobs: new WeakMap(),
	filterResults: new WeakMap(),
};

/** The built section a sorted, reversed or plain `section` was arranged from. */
export function baseSection(section: Section): Section {
	return arrangeCache.arrangements.get(section)?.base ?? section;
}
