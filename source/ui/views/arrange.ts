/**
 * Sorting, filtering and flattening of view sections for display, fast enough for 100,000 rows:
 *
 * - a section is sorted once per sort key (an index sort on values read once per row; cached),
 *   in steps that can run ahead of its use ({@link prepareSort}); names first by the first 4
 *   characters of their natural keys packed into numbers, then by whole names only where those
 *   tie (rows already in order are told so in one pass); sizes and times as 64-bit keys with
 *   the name order's rank in the low bits (a numeric sort without a comparison function);
 * - each row's filter text (its cells, lower-cased) is made once per built section, and can be
 *   made ahead in idle time ({@link prepareFilter}); a filter of every row searches them joined
 *   into one string;
 * - a filter that contains an earlier filter of the same sorted section only scans that filter's
 *   matches (typing narrows what the previous keystroke found; Backspace finds its result cached);
 * - flattening a single section makes no per-row objects (lines are made when drawn).
 *
 * The results are plain sections: the caches are keyed by the section objects (weakly).
 *
 * Over 400 lines: its split into sort / filter / flatten around one cache object is written but
 * waits for a quiet bench (its first filter of 100,000 rows measured slower on a loaded machine).
 */
import {naturalCompare, naturalKey, naturalKeyPrefix} from '../../text/index.js';
import {advanceSteps, finishSteps, stepEnds} from './steps.js';
import type {Row, Section, SortKey} from './types.js';

/** How a sorted section was made from a built one: per position, the index of its row in `base.rows`. */
interface Arrangement {
	base: Section;
	order: Int32Array;
}

/** Sorted sections → their arrangement (sections not made here are their own base). */
const arrangements = new WeakMap<Section, Arrangement>();

interface Sorted {
	section: Section;
	/** Per position, the index of the row in the input section's rows. */
	positions: Int32Array;
}

/** Section → its sorted versions. */
const sortedSections = new WeakMap<Section, Map<SortKey, Sorted>>();

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Row positions in name order (natural, ties by key). Rows are often already in that order (the
 * analysis lists orphans by path): checked first, in one pass. Otherwise sorted on natural keys
 * made once per row (plain string comparisons; same order as `naturalCompare`).
 */
function* nameOrder(rows: readonly Row[]): Generator<void, Int32Array> {
	const count = rows.length;
	const names = new Array<string>(count);
	const keys = new Array<string>(count);
	for (let index = 0; index < count; index++) {
		names[index] = rows[index].sortName;
		keys[index] = rows[index].key;
		if (stepEnds(index)) {
			yield;
		}
	}

	const positions = new Int32Array(count);
	for (let index = 0; index < count; index++) {
		positions[index] = index;
	}

	// Neighbours often share a directory (the orphans' paths): it is compared natively (with
	// `lastIndexOf(directory, 0)`: 3-4 times faster than `startsWith` here) and only the rest
	// character by character.
	let inOrder = true;
	let directory = count === 0 ? '' : asciiDirectory(names[0]);
	for (let index = 1; index < count && inOrder; index++) {
		const name = names[index];
		const from = directory.length > 0 && name.lastIndexOf(directory, 0) === 0 ? directory.length : 0;
		inOrder = (naturalCompare(names[index - 1], name, from) || compareKeys(keys[index - 1], keys[index])) <= 0;
		if (from === 0) {
			directory = asciiDirectory(name);
		}

		if (stepEnds(index)) {
			yield;
		}
	}

	if (inOrder) {
		return positions;
	}

	return (yield* prefixOrder(names, keys)) ?? sortOnNaturalKeys(positions, names, keys, new Array<string>(count));
}

/** The text of `path` up to and including its last `/` when that is ASCII (else, or without a `/`: empty). */
function asciiDirectory(path: string): string {
	const directory = path.slice(0, path.lastIndexOf('/') + 1);
	return /\P{ASCII}/u.test(directory) ? '' : directory;
}

/** Row counts below this fit next to a 32-bit key prefix in one double (see {@link prefixOrder}). */
const PREFIX_ORDER_MAX_ROWS = 2 ** 21;

/** Tie runs of a prefix sort longer than this are sorted on natural keys made for them (else compared in place). */
const TIE_RUN_KEYS_MIN = 64;

/**
 * Sorts `positions` (all rows, or a run of them) in place into name order on natural keys made
 * once per row (plain string comparisons; same order as `naturalCompare`), ties by key, then
 * position. `natural` holds the keys by position (filled here). Returns `positions`.
 */
function sortOnNaturalKeys(positions: Int32Array, names: readonly string[], keys: readonly string[], natural: string[]): Int32Array {
	for (const position of positions) {
		natural[position] = naturalKey(names[position]);
	}

	// Typed-array sort is not guaranteed stable: ties are broken by position.
	return positions.sort((a, b) => compareKeys(natural[a], natural[b]) || compareKeys(keys[a], keys[b]) || a - b);
}

/**
 * Row positions in name order, sorted first on the first 4 characters of each name's natural key
 * packed with its position into one double (`naturalKeyPrefix`: a numeric sort without a
 * comparison function, no key strings), then each run of equal prefixes on the whole names.
 * `undefined` when a name is not ASCII, there are too many rows, or a sample of the names shows
 * most of them in one run: then the caller sorts on keys.
 */
function* prefixOrder(names: readonly string[], keys: readonly string[]): Generator<void, Int32Array | undefined> {
	const count = names.length;
	if (count >= PREFIX_ORDER_MAX_ROWS) {
		return undefined;
	}

	// Names that mostly share their first 4 key characters (`000123.sst`, `chk-<n>`: zero-padded
	// numbers) would make one long run: sorted on keys at once. Told from a sample of 256 names.
	const sample = new Map<number, number>();
	const step = Math.max(1, Math.floor(count / 256));
	for (let index = 0; index < count; index += step) {
		const prefix = naturalKeyPrefix(names[index]);
		const seen = (sample.get(prefix) ?? 0) + 1;
		if (prefix < 0 || seen > 128) {
			return undefined;
		}

		sample.set(prefix, seen);
	}

	const packed = new Float64Array(count);
	for (let index = 0; index < count; index++) {
		const prefix = naturalKeyPrefix(names[index]);
		if (prefix < 0) {
			return undefined;
		}

		packed[index] = prefix * PREFIX_ORDER_MAX_ROWS + index;
		if (stepEnds(index)) {
			yield;
		}
	}

	packed.sort();
	yield;
	const positions = new Int32Array(count);
	for (let index = 0; index < count; index++) {
		positions[index] = packed[index] % PREFIX_ORDER_MAX_ROWS;
	}

	// Runs of equal prefixes: short ones by insertion, comparing the names in place; long ones on keys.
	const compare = (a: number, b: number): number => naturalCompare(names[a], names[b]) || compareKeys(keys[a], keys[b]) || a - b;
	let natural: string[] | undefined;
	let start = 0;
	let prefix = count === 0 ? 0 : Math.floor(packed[0] / PREFIX_ORDER_MAX_ROWS);
	for (let index = 1; index <= count; index++) {
		if (stepEnds(index)) {
			yield;
		}

		const next = index < count ? Math.floor(packed[index] / PREFIX_ORDER_MAX_ROWS) : -1;
		if (next === prefix) {
			continue;
		}

		if (index - start > TIE_RUN_KEYS_MIN) {
			sortOnNaturalKeys(positions.subarray(start, index), names, keys, (natural ??= new Array<string>(count)));
		} else {
			for (let sorted = start + 1; sorted < index; sorted++) {
				const position = positions[sorted];
				let at = sorted;
				while (at > start && compare(positions[at - 1], position) > 0) {
					positions[at] = positions[at - 1];
					at--;
				}

				positions[at] = position;
			}
		}

		start = index;
		prefix = next;
	}

	return positions;
}

function* sortPositions(section: Section, sort: SortKey): Generator<void, Int32Array> {
	if (sort === 'name') {
		return yield* nameOrder(section.rows);
	}

	// Size and time descending, ties in name order (by rank in the cached name sort).
	const {rows} = section;
	const count = rows.length;
	const rank = new Int32Array(count);
	const byName = (yield* sorting(section, 'name')).positions;
	for (let position = 0; position < count; position++) {
		rank[byName[position]] = position;
	}

	const numbers = new Float64Array(count);
	for (let index = 0; index < count; index++) {
		numbers[index] = sort === 'size' ? rows[index].sortSize : rows[index].sortTime;
		if (stepEnds(index)) {
			yield;
		}
	}

	yield;
	return descendingOrder(numbers, rank, byName) ?? Int32Array.from(byName).sort((a, b) => numbers[b] - numbers[a] || rank[a] - rank[b]);
}

/** Whether a `BigUint64Array`'s elements are stored low 32-bit word first. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * Indexes in descending order of `numbers`, ties by `rank` (a permutation: `byRank[rank[i]] === i`),
 * sorted without a comparison function: each number's distance from the largest, with its rank in
 * the low bits, is one 64-bit key (a native numeric sort of a `BigUint64Array`: 3-4 times faster
 * than comparing at 100,000 rows). `undefined` when a number is not an integer or the distances and
 * ranks do not fit in 64 bits; then the caller compares.
 */
function descendingOrder(numbers: Float64Array, rank: Int32Array, byRank: Int32Array): Int32Array | undefined {
	const count = numbers.length;
	let largest = Number.NEGATIVE_INFINITY;
	let smallest = Number.POSITIVE_INFINITY;
	for (const number of numbers) {
		if (!Number.isSafeInteger(number)) {
			return undefined;
		}

		largest = Math.max(largest, number);
		smallest = Math.min(smallest, number);
	}

	const rankBits = Math.max(1, Math.ceil(Math.log2(count + 1)));
	const lowValueBits = 32 - rankBits;
	if (count === 0 || rankBits > 31 || largest - smallest >= 2 ** (64 - rankBits) || !Number.isSafeInteger(largest - smallest)) {
		return undefined;
	}

	const keys = new BigUint64Array(count);
	const words = new Uint32Array(keys.buffer);
	const [low, high] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
	for (let index = 0; index < count; index++) {
		const distance = largest - numbers[index];
		words[2 * index + high] = Math.floor(distance / 2 ** lowValueBits);
		words[2 * index + low] = (distance % 2 ** lowValueBits) * 2 ** rankBits + rank[index];
	}

	keys.sort();
	const positions = new Int32Array(count);
	const rankMask = 2 ** rankBits - 1;
	for (let position = 0; position < count; position++) {
		positions[position] = byRank[words[2 * position + low] & rankMask];
	}

	return positions;
}

/** Sorts under way, by section and sort key: resumed by whoever needs them next (see {@link prepareSort}). */
const pendingSorts = new WeakMap<Section, Map<SortKey, Generator<void, Sorted>>>();

/** The steps of sorting `section` by `sort` (cached when they end); resumes a sort under way. */
function* sorting(section: Section, sort: SortKey): Generator<void, Sorted> {
	const done = sortedSections.get(section)?.get(sort);
	if (done !== undefined) {
		return done;
	}

	let pending = pendingSorts.get(section);
	if (pending === undefined) {
		pending = new Map();
		pendingSorts.set(section, pending);
	}

	let steps = pending.get(sort);
	if (steps === undefined) {
		steps = sortSteps(section, sort);
		pending.set(sort, steps);
	}

	let step: IteratorResult<void, Sorted>;
	try {
		step = steps.next();
		while (step.done !== true) {
			yield;
			step = steps.next();
		}
	} catch (error) {
		// A generator that threw is done: the next use starts over (and throws again).
		if (pending.get(sort) === steps) {
			pending.delete(sort);
		}

		throw error;
	}

	// The steps are shared (a size sort resumes the name sort it needs, which `sortSection` may
	// have finished meanwhile): steps another user ended return nothing here, their result is cached.
	if (step.value !== undefined) {
		return step.value;
	}

	return sortedSections.get(section)?.get(sort) ?? (yield* sorting(section, sort));
}

function* sortSteps(section: Section, sort: SortKey): Generator<void, Sorted> {
	const positions = yield* sortPositions(section, sort);
	const parent = arrangements.get(section);
	const count = positions.length;
	const order = new Int32Array(count);
	const rows = new Array<Row>(count);
	for (let position = 0; position < count; position++) {
		const index = positions[position];
		rows[position] = section.rows[index];
		order[position] = parent ? parent.order[index] : index;
	}

	const result = {section: {...section, rows}, positions};
	arrangements.set(result.section, {base: parent?.base ?? section, order});
	let sorts = sortedSections.get(section);
	if (sorts === undefined) {
		sorts = new Map();
		sortedSections.set(section, sorts);
	}

	sorts.set(sort, result);
	pendingSorts.get(section)?.delete(sort);
	return result;
}

function sorted(section: Section, sort: SortKey): Sorted {
	return finishSteps(sorting(section, sort));
}

/**
 * Sorts `section` by `sort` ahead of its use, in steps: `true` once it is sorted (cached for
 * {@link sortSection}), `false` when `deadline` (a `performance.now()` time, ms) passed first;
 * call it again to go on. A sort under way is resumed by {@link sortSection} too.
 */
export function prepareSort(section: Section, sort: SortKey, deadline: number): boolean {
	return advanceSteps(sorting(section, sort), deadline) !== undefined;
}

/** Sorts the rows of a section (a new section; the input is untouched). Cached per section and sort key. */
export function sortSection(section: Section, sort: SortKey): Section {
	return sorted(section, sort).section;
}

/** Sorts the rows of every section (new arrays; the input is untouched). */
export function sortSections(sections: readonly Section[], sort: SortKey): Section[] {
	return sections.map((section) => sortSection(section, sort));
}

/** The filter text of a row: its cells, lower-cased. */
function searchText(row: Row): string {
	return row.cells.join('\u0000').toLowerCase();
}

/** Built section → the filter texts of its first rows (by row index; grows up to all rows). */
const searchTexts = new WeakMap<Section, string[]>();

/** The filter texts of `base`'s rows, made up to row `end` (default: all). */
function ensureSearchTexts(base: Section, end = base.rows.length): string[] {
	let texts = searchTexts.get(base);
	if (texts === undefined) {
		texts = [];
		searchTexts.set(base, texts);
	}

	const {rows} = base;
	const stop = Math.min(end, rows.length);
	for (let index = texts.length; index < stop; index++) {
		texts.push(searchText(rows[index]));
	}

	return texts;
}

/** Between the rows' filter texts in a section's {@link SearchBlob} (never in a typed filter). */
const ROW_SEPARATOR = '\u0001';

/**
 * All filter texts of a built section in one string, each followed by {@link ROW_SEPARATOR}, and
 * where each starts (`starts[rows]`: the length). A filter over every row searches this one string
 * (a few ms at 100,000 rows) instead of 100,000 strings spread over the heap (10-25 ms).
 */
interface SearchBlob {
	text: string;
	starts: Int32Array;
}

const searchBlobs = new WeakMap<Section, SearchBlob>();

/** The {@link SearchBlob} of `base` (made on first use, from its filter texts). */
function searchBlob(base: Section): SearchBlob {
	let blob = searchBlobs.get(base);
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
		searchBlobs.set(base, blob);
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
 * Makes the filter texts of the sections' rows (and then each section's {@link SearchBlob}) ahead
 * of the first filter, in steps of `chunk` rows. Returns whether everything is ready; call it
 * again (e.g. on the next turn of the event loop) until it is.
 */
export function prepareFilter(sections: readonly Section[], chunk = 2000): boolean {
	let budget = chunk;
	for (const section of sections) {
		const base = arrangements.get(section)?.base ?? section;
		const ready = searchTexts.get(base)?.length ?? 0;
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
const filterResults = new WeakMap<Section, Map<string, Int32Array>>();

/** The positions in `section.rows` of the rows matching `needle` (lower-cased, not empty). */
export function matchingPositions(section: Section, needle: string): Int32Array {
	let results = filterResults.get(section);
	if (results === undefined) {
		results = new Map();
		filterResults.set(section, results);
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

	const arrangement = arrangements.get(section);
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

/** A line of the windowed list. */
export type DisplayLine =
	| {kind: 'title'; key: string; text: string}
	| {kind: 'columns'; key: string; section: Section}
	| {kind: 'empty'; key: string; text: string}
	| {kind: 'row'; key: string; row: Row; section: Section};

/** The flattened list: display lines, the selectable row keys in order, and the row count. */
export interface Flattened {
	/** Number of display lines. */
	lineCount: number;
	/** The display line at `index` (`undefined` outside the list). */
	lineAt: (index: number) => DisplayLine | undefined;
	/** Every display line, in order (made on first use; drawing only needs `lineAt`). */
	readonly lines: readonly DisplayLine[];
	keys: string[];
	rowCount: number;
	/** Single-section views show their column header above the list instead of inside it. */
	headerSection: Section | undefined;
}

/**
 * Flattens sections to lines. A single section yields only its rows (the column header is drawn
 * fixed above the list), made one by one when asked for; several sections yield a title, a
 * column header and rows (or an empty-state line) each.
 */
export function flatten(sections: readonly Section[]): Flattened {
	if (sections.length === 1) {
		const [section] = sections;
		const {rows} = section;
		const keys = new Array<string>(rows.length);
		for (let index = 0; index < rows.length; index++) {
			keys[index] = rows[index].key;
		}

		const lineAt = (index: number): DisplayLine | undefined => {
			const row = rows[index];
			return row === undefined ? undefined : {kind: 'row', key: row.key, row, section};
		};

		let lines: DisplayLine[] | undefined;
		return {
			lineCount: rows.length,
			lineAt,
			get lines() {
				return (lines ??= rows.map((_, index) => lineAt(index)!));
			},
			keys,
			rowCount: rows.length,
			headerSection: section,
		};
	}

	const lines: DisplayLine[] = [];
	const keys: string[] = [];
	let rowCount = 0;
	for (const section of sections) {
		lines.push({kind: 'title', key: `title:${section.id}`, text: section.title ?? section.id});
		if (section.rows.length === 0) {
			lines.push({kind: 'empty', key: `empty:${section.id}`, text: section.empty});
			continue;
		}

		lines.push({kind: 'columns', key: `columns:${section.id}`, section});
		for (const row of section.rows) {
			lines.push({kind: 'row', key: row.key, row, section});
			keys.push(row.key);
			rowCount++;
		}
	}

	return {lineCount: lines.length, lineAt: (index) => lines[index], lines, keys, rowCount, headerSection: undefined};
}
