/**
 * Filtering of sorted sections, fast enough for 100,000 rows:
 *
 * - each row's filter text (its cells, lower-cased) is made once per built section, joined with
 *   those of the next rows into a string per thousand rows, and can be made ahead in idle time
 *   ({@link prepareFilter}); a filter of every row searches these strings;
 * - a filter that contains an earlier filter of the same sorted section only scans that filter's
 *   matches (typing narrows what the previous keystroke found; Backspace finds its result cached).
 */
import {arrangeCache, baseSection, type SearchBlob} from './arrange-cache.js';
import type {Row, Section} from './types.js';

/** Between the cells of a row in its filter text. */
const CELL_SEPARATOR = '\u0000';

/** Between the rows' filter texts in a section's `SearchBlob`s (never in a typed filter). */
const ROW_SEPARATOR = '\u0001';

/** Rows per `SearchBlob`: a step of a few milliseconds to make, few strings to search. */
const BLOB_ROWS = 1024;

/** The `SearchBlob`s of `base` made so far (none yet: an empty list, kept). */
function searchBlobs(base: Section): SearchBlob[] {
	let blobs = arrangeCache.searchBlobs.get(base);
	if (blobs === undefined) {
		blobs = [];
		arrangeCache.searchBlobs.set(base, blobs);
	}

	return blobs;
}

/**
 * The `SearchBlob` of the rows `[first, first + count)`: their filter texts (cells joined,
 * lower-cased) joined. The blob is lower-cased as one string, not row by row (two strings fewer
 * per row); that is the same text unless lower-casing changed its length (`İ`): then row by row.
 */
function makeSearchBlob(rows: readonly Row[], first: number, count: number): SearchBlob {
	const texts = new Array<string>(count);
	for (let index = 0; index < count; index++) {
		texts[index] = rows[first + index].cells.join(CELL_SEPARATOR);
	}

	const joined = texts.join(ROW_SEPARATOR) + ROW_SEPARATOR;
	let text = joined.toLowerCase();
	if (text.length !== joined.length) {
		for (let index = 0; index < count; index++) {
			texts[index] = texts[index].toLowerCase();
		}

		text = texts.join(ROW_SEPARATOR) + ROW_SEPARATOR;
	}

	const starts = new Int32Array(count + 1);
	let offset = 0;
	for (let index = 0; index < count; index++) {
		starts[index] = offset;
		offset += texts[index].length + 1;
	}

	starts[count] = offset;
	return {first, text, starts};
}

/** Makes the next `SearchBlob` of `base`; false once they reach its last row. */
function addSearchBlob(base: Section): boolean {
	const blobs = searchBlobs(base);
	const first = blobs.length * BLOB_ROWS;
	const count = Math.min(BLOB_ROWS, base.rows.length - first);
	if (count <= 0) {
		return false;
	}

	blobs.push(makeSearchBlob(base.rows, first, count));
	return true;
}

/** All `SearchBlob`s of `base` (those not made ahead, see {@link prepareFilter}, are made now). */
function allSearchBlobs(base: Section): SearchBlob[] {
	while (addSearchBlob(base)) {
		// One run of rows at a time.
	}

	return searchBlobs(base);
}

/** Per row of `base` (by index), 1 where its filter text contains `needle` (lower-cased, without {@link ROW_SEPARATOR}). */
function searchAll(base: Section, needle: string): Uint8Array {
	const hits = new Uint8Array(base.rows.length);
	for (const {first, text, starts} of allSearchBlobs(base)) {
		let row = 0;
		for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, starts[row + 1])) {
			while (starts[row + 1] <= at) {
				row++;
			}

			hits[first + row] = 1;
		}
	}

	return hits;
}

/** Whether the filter text of row `index` of `base` contains `needle` (its blobs all made, see {@link allSearchBlobs}). */
function rowContains(blobs: readonly SearchBlob[], index: number, needle: string): boolean {
	const {first, text, starts} = blobs[Math.floor(index / BLOB_ROWS)];
	return text.slice(starts[index - first], starts[index - first + 1] - 1).includes(needle);
}

/**
 * Makes the filter texts of the sections' rows (joined in `SearchBlob`s) ahead of the first
 * filter, until `deadline` (a `performance.now()` time, ms) passes; at least one run of rows per
 * call. Returns whether everything is ready; call it again (e.g. on the next turn of the event
 * loop) until it is.
 */
export function prepareFilter(sections: readonly Section[], deadline = Number.POSITIVE_INFINITY): boolean {
	for (const section of sections) {
		const base = baseSection(section);
		while (addSearchBlob(base)) {
			if (performance.now() >= deadline) {
				return false;
			}
		}
	}

	return true;
}

/** Filters kept per sorted section (positions of the matching rows). */
const FILTER_CACHE_SIZE = 16;

/** The positions in `section.rows` of the rows matching `needle` (lower-cased, not empty). */
export function matchingPositions(section: Section, needle: string): Int32Array {
	let results = arrangeCache.filterResults.get(section);
	if (results === undefined) {
		results = new Map();
		arrangeCache.filterResults.set(section, results);
	}

	const cached = results.get(needle);
	if (cached !== undefined) {
		results.delete(needle);
		results.set(needle, cached);
		return cached;
	}

	// Rows matching `needle` match every filter contained in it: scan the smallest such result.
	let candidates: Int32Array | undefined;
	for (const [earlier, positions] of results) {
		if (needle.includes(earlier) && (candidates === undefined || positions.length < candidates.length)) {
			candidates = positions;
		}
	}

	const arrangement = arrangeCache.arrangements.get(section);
	const base = arrangement?.base ?? section;
	const order = arrangement?.order;
	const count = candidates ? candidates.length : section.rows.length;
	const found = new Int32Array(count);
	let matches = 0;
	if (candidates === undefined && !needle.includes(ROW_SEPARATOR)) {
		const hits = searchAll(base, needle);
		for (let position = 0; position < count; position++) {
			if (hits[order ? order[position] : position] === 1) {
				found[matches++] = position;
			}
		}
	} else {
		const blobs = allSearchBlobs(base);
		for (let candidate = 0; candidate < count; candidate++) {
			const position = candidates ? candidates[candidate] : candidate;
			if (rowContains(blobs, order ? order[position] : position, needle)) {
				found[matches++] = position;
			}
		}
	}

	const positions = found.slice(0, matches);
	if (results.size >= FILTER_CACHE_SIZE) {
		results.delete(results.keys().next().value!);
	}

	results.set(needle, positions);
	return positions;
}

/** The normalised form of a filter: trimmed and lower-cased (empty: no filter). */
export function filterNeedle(filter: string): string {
	return filter.trim().toLowerCase();
}

/** Keeps the rows matching `filter` (empty filter: everything); the same section object while the filter's result is cached. */
export function filterSections(sections: readonly Section[], filter: string): Section[] {
	const needle = filterNeedle(filter);
	if (needle === '') {
		return [...sections];
	}

	return sections.map((section) => {
		const positions = matchingPositions(section, needle);
		const cached = arrangeCache.filtered.get(positions);
		if (cached !== undefined) {
			return cached;
		}

		const rows = new Array<Row>(positions.length);
		for (let index = 0; index < positions.length; index++) {
			rows[index] = section.rows[positions[index]];
		}

		const filtered = {...section, rows};
		arrangeCache.filtered.set(positions, filtered);
		return filtered;
	});
}
