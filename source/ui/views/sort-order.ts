/**
 * The orders of rows, fast enough for 100,000 rows: names first by the first 4 characters of their
 * natural keys packed into numbers, then by whole names only where those tie (rows already in
 * order are told so in one pass); sizes and times as 64-bit keys with the name order's rank in the
 * low bits (a numeric sort without a comparison function). Work in steps (see `steps.ts`).
 */
import {naturalCompare, naturalKey, naturalKeyPrefix} from '../../text/index.js';
import {stepEnds} from './steps.js';
import type {Row} from './types.js';

const compareKeys = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
/**
 * Row positions in name order (natural, ties by key). Rows are often already in that order (the
 * analysis lists orphans by path): checked first, in one pass. Otherwise sorted on natural keys
 * made once per row (plain string comparisons; same order as `naturalCompare`).
 */
export function* nameOrder(rows: readonly Row[]): Generator<void, Int32Array> {
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
