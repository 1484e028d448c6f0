/** Small value helpers of the build phases: flat strings, numbers, short user lists, lazy properties. */

/** The two halves {@link flatSlice} joins: one array for every call, not one made per call. */
const HALVES: string[] = ['', ''];

/**
 * A copy of `s` that does not keep another string alive. Parsed strings are slices of the whole
 * `_metadata` text (see `ByteReader`): one kept slice keeps the whole file's text in memory.
 */
export function flatString(s: string): string {
	return flatSlice(s, 0);
}

/**
 * A flat copy of `s.slice(start)` (see {@link flatString}), without the slice: a big `_metadata`
 * has 100,000 file names to copy out of their paths.
 */
export function flatSlice(s: string, start: number): string {
	// V8 makes no slices or concatenations under 13 characters; `join` writes one flat string (a
	// `slice` of a copy would be a slice too: 32 more bytes per string, and a million paths).
	if (s.length - start < 13) return start === 0 ? s : s.slice(start);
	HALVES[0] = s.slice(start, start + 1);
	HALVES[1] = s.slice(start + 1);
	const flat = HALVES.join('');
	// The slice would keep `s` (and the text it is a slice of) alive until the next call.
	HALVES[1] = '';
	return flat;
}

/** A checkpoint id or count as a number (the reader gives `bigint` beyond 2^53). */
export function toNumber(v: number | bigint): number {
	return typeof v === 'bigint' ? Number(v) : v;
}

/** Add `value` to the list of `key` unless it is there (lists are short: the snapshots using a path). */
export function pushUnique(map: Map<string, string[]>, key: string, value: string): void {
	const list = map.get(key);
	if (list === undefined) map.set(key, [value]);
	else if (list[list.length - 1] !== value && !list.includes(value)) list.push(value);
}

/**
 * Make `object[key]` computed by `compute` when first read (then a plain data property, the same
 * as one set by assignment). `compute` may itself define the property.
 */
export function lazyProperty<T extends object, K extends keyof T>(object: T, key: K, compute: () => T[K]): void {
	const define = (value: T[K]): void => {
		Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true});
	};
	Object.defineProperty(object, key, {
		get(): T[K] {
			const value = compute();
			define(value);
			return value;
		},
		set: define,
		enumerable: true,
		configurable: true,
	});
}
