/**
 * Sorting of view sections for display: a section is sorted once per sort key (an index sort on
 * values read once per row, see `sort-order.ts`; cached in `arrangeCache`), in steps that can run
 * ahead of its use ({@link prepareSort}); a reversed order (`S`) is the sorted one read backwards.
 */
import {arrangeCache, type Sorted} from './arrange-cache.js';
import {descendingOrder, nameOrder} from './sort-order.js';
import {advanceSteps, finishSteps, stepEnds} from './steps.js';
import type {Row, Section, SortKey} from './types.js';

/** Row positions of `section` in `sort` order: names ascending, sizes and times descending, ties in name order. */
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

/** The steps of sorting `section` by `sort` (cached when they end); resumes a sort under way. */
function* sorting(section: Section, sort: SortKey): Generator<void, Sorted> {
	const done = arrangeCache.sorted.get(section)?.get(sort);
	if (done !== undefined) {
		return done;
	}

	let pending = arrangeCache.pendingSorts.get(section);
	if (pending === undefined) {
		pending = new Map();
		arrangeCache.pendingSorts.set(section, pending);
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

	return arrangeCache.sorted.get(section)?.get(sort) ?? (yield* sorting(section, sort));
}

function* sortSteps(section: Section, sort: SortKey): Generator<void, Sorted> {
	const positions = yield* sortPositions(section, sort);
	const parent = arrangeCache.arrangements.get(section);
	const count = positions.length;
	// Rows already in order (the orphans, listed by path) keep their array: no copies of it and of its order.
	let identity = true;
	for (let position = 0; position < count && identity; position++) {
		identity = positions[position] === position;
	}

	const order = identity ? (parent?.order ?? positions) : new Int32Array(count);
	const rows = identity ? section.rows : new Array<Row>(count);
	for (let position = 0; position < count && !identity; position++) {
		const index = positions[position];
		rows[position] = section.rows[index];
		order[position] = parent ? parent.order[index] : index;
	}

	const result = {section: {...section, rows}, positions};
	arrangeCache.arrangements.set(result.section, {base: parent?.base ?? section, order});
	let sorts = arrangeCache.sorted.get(section);
	if (sorts === undefined) {
		sorts = new Map();
		arrangeCache.sorted.set(section, sorts);
	}

	sorts.set(sort, result);
	arrangeCache.pendingSorts.get(section)?.delete(sort);
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

/**
 * Sorts the rows of a section (a new section; the input is untouched): `sort` in its usual
 * direction (names ascending, sizes and times descending), or `reverse`d (ties reversed too).
 * Cached per section, sort key and direction.
 */
export function sortSection(section: Section, sort: SortKey, reverse = false): Section {
	const result = sorted(section, sort).section;
	return reverse ? reversedSection(result) : result;
}

/** Sorts the rows of every section (new arrays; the input is untouched); see {@link sortSection}. */
export function sortSections(sections: readonly Section[], sort: SortKey, reverse = false): Section[] {
	return sections.map((section) => sortSection(section, sort, reverse));
}

/** The rows of a sorted `section` in reverse order, arranged from its base (so that filters search the base's texts). Cached. */
function reversedSection(section: Section): Section {
	const cached = arrangeCache.reversed.get(section);
	if (cached !== undefined) {
		return cached;
	}

	const arrangement = arrangeCache.arrangements.get(section);
	const count = section.rows.length;
	const rows = new Array<Row>(count);
	const order = new Int32Array(count);
	for (let position = 0; position < count; position++) {
		const from = count - 1 - position;
		rows[position] = section.rows[from];
		order[position] = arrangement ? arrangement.order[from] : from;
	}

	const result = {...section, rows};
	arrangeCache.arrangements.set(result, {base: arrangement?.base ?? section, order});
	arrangeCache.reversed.set(section, result);
	return result;
}
