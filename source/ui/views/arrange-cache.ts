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
 * The filter texts of a built section, joined run by run: each run of {@link SEARCH_RUN_ROWS} rows is
 * one string of their texts, each followed by a row separator, and `starts` gives where each row's
 * text starts in its run. A filter over every row searches these strings (a few ms at 100,000
 * rows) instead of 100,000 strings spread over the heap (10-25 ms); each run is made in one short
 * step (one string of all rows took 50-80 ms to join, a key typed meanwhile waited), and no row's
 * own text is kept. Complete when `runs` covers every row.
 */
export interface SearchBlob {
	runs: string[];
	starts: Int32Array;
}

/** Rows per run of a {@link SearchBlob}: about 1-3 ms of work to make. */
export const SEARCH_RUN_ROWS = 1024;

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
	/** Built section → its filter texts joined, run by run (made ahead, see `prepareFilter`, or on first use). */
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
	searchBlobs: new WeakMap(),
	filterResults: new WeakMap(),
};

/** The built section a sorted, reversed or plain `section` was arranged from. */
export function baseSection(section: Section): Section {
	return arrangeCache.arrangements.get(section)?.base ?? section;
}
