/**
 * How many distinct strings a list holds, for `inspect`'s reference summary (`distinctPaths`):
 * what `new Set(values).size` gives, without V8's hash table. A Set of the 100,000 paths of a
 * 16 MB `_metadata` cost 120 ms of `inspect --json`'s main thread (cold: V8 hashes every
 * 130-character path, and grows and rehashes the table as it fills); this table costs a few.
 */

/** Lists shorter than this are counted with a Set (a table of their own is not worth making). */
const SMALL = 1024;

/** Characters at the end of a string that its hash covers (paths differ in their file names). */
const TAIL = 16;

/**
 * The number of distinct strings in `values` (`new Set(values).size`). An open-addressing table of
 * indices into `values`, at most half full, hashed by each string's length and last
 * {@link TAIL} characters; strings of equal slot are compared whole. Should the probes grow long
 * (many strings alike in their last characters), it counts with a Set instead: the result is
 * exact either way, and the time at worst about that of the Set.
 */
export function distinctCount(values: readonly string[]): number {
	const n = values.length;
	if (n < SMALL) return new Set(values).size;
	let size = SMALL;
	while (size < 2 * n) size *= 2;
	const mask = size - 1;
	/** Index + 1 of the string a slot holds; 0 for an empty slot. */
	const slots = new Int32Array(size);
	const budget = 8 * n;
	let probes = 0;
	let distinct = 0;
	for (let i = 0; i < n; i++) {
		const value = values[i];
		let slot = tailHash(value) & mask;
		for (;;) {
			const held = slots[slot];
			if (held === 0) {
				slots[slot] = i + 1;
				distinct++;
				break;
			}
			if (values[held - 1] === value) break;
			slot = (slot + 1) & mask;
			if (++probes > budget) return new Set(values).size;
		}
	}
	return distinct;
}

/** A 32-bit hash of `value`'s length and last {@link TAIL} characters (FNV-1a, then mixed). */
function tailHash(value: string): number {
	let h = Math.imul(0x811c9dc5 ^ value.length, 0x01000193);
	for (let i = Math.max(0, value.length - TAIL); i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	return h;
}
