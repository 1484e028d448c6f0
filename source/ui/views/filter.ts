/**
 * Filtering of sorted sections, fast enough for 100,000 rows:
 *
 * - each row's filter text (its cells, lower-cased) is made once per built section and joined
 *   with the texts of the rows around it into runs (`SearchBlob`), made ahead in idle time a run at
 *   a time ({@link prepareFilter}); a filter of every row searches these runs;
 * - a filter that contains an earlier filter of the same sorted section only scans that filter's
 *   matches (typing narrows what the previous keystroke found; Backspace finds its result cached).
 */
import {arrangeCache, baseSection, SEARCH_RUN_ROWS, type SearchBlob} from './arrange-cache.js';
import type {Row, Section} from './types.js';

/** The filter text of a row: its cells, lower-cased (made without keeping them on a row that can: see `Row.searchCells`). */
function searchText(row: Row): string {
	return (row.searchCells?.() ?? row.cells).join('\u0000').toLowerCase();
}

/** Between the rows' filter texts in a section's `SearchBlob` (never in a typed filter). */
const ROW_SEPARATOR = '\u0001';

/** The `SearchBlob` of `base`, as far as it is made (an empty one at first). */
function blobOf(base: Section): SearchBlob {
	let blob = arrangeCache.searchBlobs.get(base);
	if (blob === undefined) {
		blob = {runs: [], starts: new Int32Array(base.rows.length)};
		arrangeCache.searchBlobs.set(base, blob);
	}

	return blob;
}

/** Whether every run of `base`'s `SearchBlob` is made. */
function blobDone(base: Section, blob: SearchBlob): boolean {
	return blob.runs.length * SEARCH_RUN_ROWS >= base.rows.length;
}

/** Makes the next run of `base`'s `SearchBlob` (when not complete). */
function addRun(base: Section, blob: SearchBlob): void {
	const {rows} = base;
	const first = blob.runs.length * SEARCH_RUN_ROWS;
	const end = Math.min(first + SEARCH_RUN_ROWS, rows.length);
	const texts = new Array<string>(end - first);
	let offset = 0;
	for (let index = first; index < end; index++) {
		const text = searchText(rows[index]);
		texts[index - first] = text;
		blob.starts[index] = offset;
		offset += text.length + 1;
	}

	blob.runs.push(texts.join(ROW_SEPARATOR) + ROW_SEPARATOR);
}

/** The complete `SearchBlob` of `base` (what is missing made now). */
function searchBlob(base: Section): SearchBlob {
	const blob = blobOf(base);
	while (!blobDone(base, blob)) {
		addRun(base, blob);
	}

	return blob;
}

/** The filter text of row `index` of a complete `blob` of `base`. */
function rowText(base: Section, blob: SearchBlob, index: number): string {
	const run = blob.runs[Math.floor(index / SEARCH_RUN_ROWS)];
	const next = index + 1;
	const end = next < base.rows.length && next % SEARCH_RUN_ROWS !== 0 ? blob.starts[next] : run.length;
	return run.slice(blob.starts[index], end - 1);
}

/** Per row of `base` (by index), 1 where its filter text contains `needle` (lower-cased, without {@link ROW_SEPARATOR}). */
function searchAll(base: Section, needle: string): Uint8Array {
	const {runs, starts} = searchBlob(base);
	const count = base.rows.length;
	const hits = new Uint8Array(count);
	for (let run = 0; run < runs.length; run++) {
		const text = runs[run];
		const first = run * SEARCH_RUN_ROWS;
		const last = Math.min(first + SEARCH_RUN_ROWS, count) - 1;
		let row = first;
		// The row after `row` starts at `starts[row + 1]` in this run (the last row's text ends with the run).
		for (let at = text.indexOf(needle); at !== -1; at = row < last ? text.indexOf(needle, starts[row + 1]) : -1) {
			while (row < last && starts[row + 1] <= at) {
				row++;
			}

			hits[row] = 1;
		}
	}

	return hits;
}

/**
 * Makes the filter texts of the sections' rows (their `SearchBlob`s) ahead of the first filter,
 * one run of rows ({@link SEARCH_RUN_ROWS}) per call, so that a key typed meanwhile waits for at
 * most one. Returns whether everything is ready; call it again (e.g. on the next turn of the
 * event loop) until it is.
 */
export function prepareFilter(sections: readonly Section[]): boolean {
	for (const section of sections) {
		const base = baseSection(section);
		const blob = blobOf(base);
		if (!blobDone(base, blob)) {
			addRun(base, blob);
			return sections.every((other) => {
				const otherBase = baseSection(other);
				return blobDone(otherBase, blobOf(otherBase));
			});
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
		const blob = searchBlob(base);
		for (let candidate = 0; candidate < count; candidate++) {
			const position = candidates ? candidates[candidate] : candidate;
			if (rowText(base, blob, order ? order[position] : position).includes(needle)) {
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

/** Keeps the rows matching `filter` (empty filter: everything; a section whose every row matches is kept as it is). */
export function filterSections(sections: readonly Section[], filter: string): Section[] {
	const needle = filterNeedle(filter);
	if (needle === '') {
		return [...sections];
	}

	return sections.map((section) => {
		const positions = matchingPositions(section, needle);
		if (positions.length === section.rows.length) {
			// Every row matches (a character of a job id all rows share): the section itself, with its keys and widths made.
			return section;
		}

		const rows = new Array<Row>(positions.length);
		for (let index = 0; index < positions.length; index++) {
			rows[index] = section.rows[positions[index]];
		}

		return {...section, rows};
	});
}
