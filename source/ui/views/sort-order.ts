/**
 * The orders of rows, fast enough for 100,000 rows: names by a radix sort on their natural keys, a
 * few characters at a time packed into numbers (rows already in order are told so in one pass); sizes and times as 64-bit keys with the name order's rank in the
 * low bits (a numeric sort without a comparison function). Work in steps (see `steps.ts`).
 */
import {naturalCompare, naturalKey} from '../../text/index.js';
import {STEP_ROWS, stepEnds} from './steps.js';
import type {Row} from './types.js';

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Row positions in name order (natural, ties by key). Rows are often already in that order (the
 * analysis lists orphans by path): checked first, in one pass. Otherwise sorted on natural keys
 * made once per row (plain string comparisons; same order as `naturalCompare`).
 */
export function* nameOrder(rows: readonly Row[]): Generator<void, Int32Array> {
	const count = rows.length;
	const positions = new Int32Array(count);
	for (let index = 0; index < count; index++) {
		positions[index] = index;
	}

	// Neighbours often share a directory (the orphans' paths): it is compared natively (with
	// `lastIndexOf(directory, 0)`: 3-4 times faster than `startsWith` here) and only the rest
	// character by character. Read from the rows: no copies of 100,000 names and keys when they
	// are in order.
	let inOrder = true;
	let previous = count === 0 ? '' : rows[0].sortName;
	let directory = asciiDirectory(previous);
	for (let index = 1; index < count && inOrder; index++) {
		const name = rows[index].sortName;
		const from = directory.length > 0 && name.lastIndexOf(directory, 0) === 0 ? directory.length : 0;
		inOrder = (naturalCompare(previous, name, from) || compareKeys(rows[index - 1].key, rows[index].key)) <= 0;
		if (from === 0) {
			directory = asciiDirectory(name);
		}

		previous = name;
		if (stepEnds(index)) {
			yield;
		}
	}

	if (inOrder) {
		return positions;
	}

	const names = new Array<string>(count);
	const keys = new Array<string>(count);
	for (let index = 0; index < count; index++) {
		names[index] = rows[index].sortName;
		keys[index] = rows[index].key;
		if (stepEnds(index)) {
			yield;
		}
	}

	const natural = new Array<string>(count);
	return (yield* radixOrder(names, keys, natural)) ?? sortOnNaturalKeys(positions, names, keys, natural);
}

/** The text of `path` up to and including its last `/` when that is ASCII (else, or without a `/`: empty). */
function asciiDirectory(path: string): string {
	const directory = path.slice(0, path.lastIndexOf('/') + 1);
	return /\P{ASCII}/u.test(directory) ? '' : directory;
}

/**
 * Sorts `positions` (all rows, or a run of them) in place into name order on natural keys made
 * once per row (plain string comparisons; same order as `naturalCompare`), ties by key, then
 * position. `natural` holds the keys by position (filled here where missing). Returns `positions`.
 */
function sortOnNaturalKeys(positions: Int32Array, names: readonly string[], keys: readonly string[], natural: string[]): Int32Array {
	for (const position of positions) {
		natural[position] ??= naturalKey(names[position]);
	}

	// Typed-array sort is not guaranteed stable: ties are broken by position.
	return positions.sort((a, b) => compareKeys(natural[a], natural[b]) || compareKeys(keys[a], keys[b]) || a - b);
}

/** Rows sorted by {@link radixOrder} at most (their positions take up to 24 of a double's 53 bits). */
const RADIX_MAX_ROWS = 2 ** 24;

/** Ranges of rows this short are sorted by insertion on their keys (a typed-array sort costs more). */
const INSERTION_MAX = 16;

/** Values of a natural key's character in a chunk: ASCII code + 1, 0 past the key's end. */
const CHUNK_BASE = 129;

/** Natural-key characters per chunk beside `rankBits` bits of position: as many as fit in a double's 53 bits. */
function chunkChars(rankBits: number): number {
	let chars = 0;
	while (CHUNK_BASE ** (chars + 1) * 2 ** rankBits <= 2 ** 53) {
		chars++;
	}

	return chars;
}

/**
 * Sorts `positions[lo, hi)` by insertion: natural key (`natural`, by position), then row key, then
 * position (the order of {@link sortOnNaturalKeys}).
 */
function insertionSort(positions: Int32Array, lo: number, hi: number, natural: readonly string[], keys: readonly string[]): void {
	for (let sorted = lo + 1; sorted < hi; sorted++) {
		const position = positions[sorted];
		let at = sorted;
		while (at > lo) {
			const other = positions[at - 1];
			const order = compareKeys(natural[other], natural[position]) || compareKeys(keys[other], keys[position]) || other - position;
			if (order <= 0) {
				break;
			}

			positions[at] = other;
			at--;
		}

		positions[at] = position;
	}
}

/**
 * Packs the rows `positions[lo, hi)` into `packed`: the `chars` natural-key characters from
 * `offset` of each (base {@link CHUNK_BASE}) times `scale`, plus its position. The smallest and
 * largest chunk, or `undefined` when a character read is not ASCII.
 */
function packRange(
	natural: readonly string[],
	positions: Int32Array,
	packed: Float64Array,
	lo: number,
	hi: number,
	offset: number,
	chars: number,
	scale: number,
): {smallest: number; largest: number} | undefined {
	let smallest = Number.POSITIVE_INFINITY;
	let largest = -1;
	for (let index = lo; index < hi; index++) {
		const position = positions[index];
		const key = natural[position];
		let chunk = 0;
		for (let at = offset; at < offset + chars; at++) {
			const code = at < key.length ? key.charCodeAt(at) + 1 : 0;
			if (code >= CHUNK_BASE) {
				return undefined;
			}

			chunk = chunk * CHUNK_BASE + code;
		}

		packed[index] = chunk * scale + position;
		smallest = Math.min(smallest, chunk);
		largest = Math.max(largest, chunk);
	}

	return {smallest, largest};
}

/**
 * The run `positions[start, end)` of rows whose keys share their first `offset` characters, the
 * last chunk of them `chunk`: put in row-key order when the keys ended (all equal), else pushed
 * onto `ranges` (start, end, offset) to sort on the characters after.
 */
function pushRun(ranges: number[], positions: Int32Array, keys: readonly string[], start: number, end: number, offset: number, chunk: number): void {
	if (end - start < 2) {
		return;
	}

	if (chunk % CHUNK_BASE === 0) {
		positions.subarray(start, end).sort((a, b) => compareKeys(keys[a], keys[b]) || a - b);
		return;
	}

	ranges.push(start, end, offset);
}

/**
 * Row positions in name order by a most-significant-first radix sort on natural keys (made once
 * per row): a range of rows whose keys share their first `offset` characters is sorted natively on
 * the next few characters packed with each row's position into one double (base
 * {@link CHUNK_BASE}), then each run of equal characters on the characters after them; a run whose
 * keys ended is in row-key order, a short range sorted by insertion. The order of
 * {@link sortOnNaturalKeys} without a comparison function on 100,000 rows (3-4 times faster).
 * `undefined` when a key character read is not ASCII or there are too many rows: then the caller
 * sorts on keys (made here: `natural`, by position).
 */
function* radixOrder(names: readonly string[], keys: readonly string[], natural: string[]): Generator<void, Int32Array | undefined> {
	const count = names.length;
	if (count >= RADIX_MAX_ROWS) {
		return undefined;
	}

	for (let index = 0; index < count; index++) {
		natural[index] = naturalKey(names[index]);
		if (stepEnds(index)) {
			yield;
		}
	}

	const scale = 2 ** Math.max(1, Math.ceil(Math.log2(count + 1)));
	const chars = chunkChars(Math.log2(scale));
	const positions = new Int32Array(count);
	for (let index = 0; index < count; index++) {
		positions[index] = index;
	}

	const packed = new Float64Array(count);
	// Ranges to sort: start, end, and how many key characters their rows share.
	const ranges: number[] = [0, count, 0];
	let work = 0;
	while (ranges.length > 0) {
		const offset = ranges.pop()!;
		const hi = ranges.pop()!;
		const lo = ranges.pop()!;
		work += hi - lo;
		if (hi - lo <= INSERTION_MAX) {
			insertionSort(positions, lo, hi, natural, keys);
			continue;
		}

		const span = packRange(natural, positions, packed, lo, hi, offset, chars, scale);
		if (span === undefined) {
			return undefined;
		}

		const {smallest, largest} = span;
		if (smallest === largest) {
			// One run: nothing to reorder on these characters.
			pushRun(ranges, positions, keys, lo, hi, offset + chars, largest);
		} else {
			packed.subarray(lo, hi).sort();
			let start = lo;
			let chunk = Math.floor(packed[lo] / scale);
			for (let index = lo; index <= hi; index++) {
				const next = index < hi ? Math.floor(packed[index] / scale) : -1;
				if (index < hi) {
					positions[index] = packed[index] - next * scale;
				}

				if (next !== chunk) {
					pushRun(ranges, positions, keys, start, index, offset + chars, chunk);
					start = index;
					chunk = next;
				}
			}
		}

		if (work >= STEP_ROWS) {
			work = 0;
			yield;
		}
	}

	return positions;
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
export function descendingOrder(numbers: Float64Array, rank: Int32Array, byRank: Int32Array): Int32Array | undefined {
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
