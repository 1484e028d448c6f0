/**
 * Filtering of sorted sections, fast enough for 100,000 rows:
 *
 * - each row's filter text (its cells, lower-cased) is made once per built section, and can be
 *   made ahead in idle time ({@link prepareFilter}); a filter of every row searches them joined
 *   into one string;
 * - a filter that contains an earlier filter of the same sorted section only scans that filter's
 *   matches (typing narrows what the previous keystroke found; Backspace finds its result cached).
 */
import {arrangeCache, baseSection, type SearchBlob} from './arrange-cache.js';
import type {Row, Section} from './types.js';

/** The filter text of a row: its cells, lower-cased. */
function searchText(row: Row): string {
	return row.cells.join('\u0000').toLowerCase();
}

/** The filter texts of `base`'s rows, made up to row `end` (default: all). */
function ensureSearchTexts(base: Section, end = base.rows.length): string[] {
	let texts = arrangeCache.searchTexts.get(base);
	if (texts === undefined) {
		texts = [];
		arrangeCache.searchTexts.set(base, texts);
	}

	const {rows} = base;
	const stop = Math.min(end, rows.length);
	for (let index = texts.length; index < stop; index++) {
		texts.push(searchText(rows[index]));
	}

	return texts;
}

/** Between the rows' filter texts in a section's `SearchBlob` (never in a typed filter). */
const ROW_SEPARATOR = '\u0001';

/** The `SearchBlob` of `base` (made on first use, from its filter texts). */
function searchBlob(base: Section): SearchBlob {
	let blob = arrangeCache.searchBlobs.get(base);
	if (blob === undefined) {
		const texts = ensureSearchTexts(base);
		const starts = new Int32Array(texts.length + 1);
		let offset = 0;
		for (let index = 0; index < texts.length; index++) {
			starts[index] = offset;
			offset += texts[index].length + 1;
		}

		starts[texts.length] = offset;
		blob = {text: texts.length === 0 ? '' : texts.join(ROW_SEPARATOR) + ROW_SEPARATOR, starts};
		arrangeCache.searchBlobs.set(base, blob);
	}

	return blob;
}

/** Per row of `base` (by index), 1 where its filter text contains `needle` (lower-cased, without {@link ROW_SEPARATOR}). */
function searchAll(base: Section, needle: string): Uint8Array {
	const {text, starts} = searchBlob(base);
	const hits = new Uint8Array(base.rows.length);
	let row = 0;
	for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, starts[row + 1])) {
		while (starts[row + 1] <= at) {
			row++;
		}

		hits[row] = 1;
	}

	return hits;
}

/**
 * Makes the filter texts of the sections' rows (and then each section's `SearchBlob`) ahead
 * of the first filter, in steps of `chunk` rows. Returns whether everything is ready; call it
 * again (e.g. on the next turn of the event loop) until it is.
 */
export function prepareFilter(sections: readonly Section[], chunk = 2000): boolean {
	let budget = chunk;
	for (const section of sections) {
		const base = baseSection(section);
		const ready = arrangeCache.searchTexts.get(base)?.length ?? 0;
		const missing = base.rows.length - ready;
		if (missing > 0) {
			if (budget === 0) {
				return false;
			}

			const step = Math.min(budget, missing);
			ensureSearchTexts(base, ready + step);
			budget -= step;
			if (step < missing) {
				return false;
			}
		}

		searchBlob(base);
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
		const texts = ensureSearchTexts(base);
		for (let candidate = 0; candidate < count; candidate++) {
			const position = candidates ? candidates[candidate] : candidate;
			if (texts[order ? order[position] : position].includes(needle)) {
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

/** Keeps the rows matching `filter` (empty filter: everything). */
export function filterSections(sections: readonly Section[], filter: string): Section[] {
	const needle = filterNeedle(filter);
	if (needle === '') {
		return [...sections];
	}

	return sections.map((section) => {
		const positions = matchingPositions(section, needle);
		const rows = new Array<Row>(positions.length);
		for (let index = 0; index < positions.length; index++) {
			rows[index] = section.rows[positions[index]];
		}

		return {...section, rows};
	});
}
