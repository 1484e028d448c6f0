/**
 * The natural order of paths (`chk-9` before `chk-10`), locale independent and total: one order for
 * the report, the JSON and every sorted list of paths.
 */

/**
 * Whether the digit run `[start, end)` of `text` is a number in the natural order: no ASCII letter
 * touches it. `chk-10`, `part-3.sst` and `000012.sst` hold numbers; the digits of hex ids and
 * UUIDs (`4eea3f05…`, `savepoint-3f2a1b-…`) mostly touch letters and stay text, so job ids sort
 * as `ls` sorts them. Shared by the explorer's natural order (`ui/format.ts`).
 */
export function isNumberRun(text: string, start: number, end: number): boolean {
	return (start === 0 || !isAsciiLetter(text.charCodeAt(start - 1))) && (end >= text.length || !isAsciiLetter(text.charCodeAt(end)));
}

function isAsciiLetter(code: number): boolean {
	return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether `code` is an ASCII digit. */
export function isDigitCode(code: number): boolean {
	return code >= 48 && code <= 57;
}

/**
 * Locale-independent "natural" ordering of paths: digit runs that no ASCII letter touches compare
 * numerically (`chk-9` < `chk-10`; {@link isNumberRun}), everything else by UTF-16 code unit (job
 * ids and UUIDs as text). It is the order of the paths' {@link naturalKey}s, ties (such as `chk-09`
 * / `chk-9`) broken by plain code-unit order, so the order is total and identical on every
 * machine. Paths without a key (U+0000, absurdly long digit runs) are compared through the same
 * encoding with the run lengths capped.
 */
export function comparePaths(a: string, b: string): number {
	if (a === b) {
		return 0;
	}

	const ka = naturalKey(a) ?? concatenatedNaturalKey(a, false)!;
	const kb = naturalKey(b) ?? concatenatedNaturalKey(b, false)!;
	if (ka !== kb) {
		return ka < kb ? -1 : 1;
	}

	return a < b ? -1 : 1;
}

/**
 * A sort key for {@link comparePaths}: plain code-unit order of two keys is the natural order of
 * the paths (ties, such as `chk-09` / `chk-9`, give equal keys: break them by the paths
 * themselves). Each run of text (digits that touch a letter included, see {@link isNumberRun}) is
 * copied and ended by U+0000 (so a shorter run sorts first), each number becomes `0`, its length
 * without leading zeros as one code unit, and the digits. `null` when the path contains U+0000 or
 * a number longer than 65,535 digits (then only {@link comparePaths} is exact).
 */
export function naturalKey(path: string): string | null {
	const key = latin1NaturalKey(path);
	return key === undefined ? concatenatedNaturalKey(path, true) : key;
}

/** Room for the key of a path of up to {@link LATIN1_KEY_MAX} characters (at most 3 bytes per character). */
const KEY_BYTES = Buffer.alloc(3 * 4096 + 1);
const LATIN1_KEY_MAX = 4096;

/**
 * {@link naturalKey} of a path of code units up to U+00FF (ASCII and Latin-1), written into one
 * buffer and read as one flat string: a key concatenated run by run took 10 µs for a path ending
 * in a UUID, and sorting 250,000 such paths 3-4 s instead of 0.5 s. `undefined` for a path with
 * other characters, longer than {@link LATIN1_KEY_MAX} or with a number longer than 255 digits
 * (its length would not fit a byte).
 */
function latin1NaturalKey(path: string): string | null | undefined {
	const n = path.length;
	if (n > LATIN1_KEY_MAX) return undefined;
	const out = KEY_BYTES;
	let count = 0;
	/** Whether a run of text is open (to be ended by U+0000). */
	let inText = false;
	let i = 0;
	while (i < n) {
		const c = path.charCodeAt(i);
		if (!isDigitCode(c)) {
			if (c === 0) return null;
			if (c > 255) return undefined;
			out[count++] = c;
			inText = true;
			i++;
			continue;
		}

		let j = i + 1;
		while (j < n && isDigitCode(path.charCodeAt(j))) j++;
		if (!isNumberRun(path, i, j)) {
			// Digits touching a letter: text.
			while (i < j) out[count++] = path.charCodeAt(i++);
			inText = true;
			continue;
		}

		// A number: `0`, its length without leading zeros, the digits.
		let k = i;
		while (k < j - 1 && path.charCodeAt(k) === 48) k++;
		if (j - k > 255) return undefined;
		if (inText) out[count++] = 0;
		inText = false;
		out[count++] = 48;
		out[count++] = j - k;
		while (k < j) out[count++] = path.charCodeAt(k++);
		i = j;
	}

	if (inText) out[count++] = 0;
	return out.toString('latin1', 0, count);
}

/**
 * {@link naturalKey} of any path, run by run. `strict`: `null` for U+0000 or a number longer than
 * 65,535 digits; else those are encoded anyway (U+0000 as itself, the length capped).
 */
function concatenatedNaturalKey(path: string, strict: boolean): string | null {
	let out = '';
	/** Start of the run of text not yet copied. */
	let start = 0;
	let i = 0;
	const n = path.length;
	while (i < n) {
		const c = path.charCodeAt(i);
		if (!isDigitCode(c)) {
			if (c === 0 && strict) {
				return null;
			}

			i++;
			continue;
		}

		let j = i + 1;
		while (j < n && isDigitCode(path.charCodeAt(j))) {
			j++;
		}

		if (!isNumberRun(path, i, j)) {
			// Digits touching a letter: part of the run of text.
			i = j;
			continue;
		}

		if (i > start) {
			out += path.slice(start, i) + '\u0000';
		}

		let k = i;
		while (k < j - 1 && path.charCodeAt(k) === 48) {
			k++;
		}

		if (j - k > 0xff_ff && strict) {
			return null;
		}

		out += '0' + String.fromCharCode(Math.min(j - k, 0xff_ff)) + path.slice(k, j);
		i = j;
		start = j;
	}

	if (n > start) {
		out += path.slice(start) + '\u0000';
	}

	return out;
}

/**
 * Sort `items` in place by a path-like key with the order of {@link comparePaths}, computing each
 * item's {@link naturalKey} once (no regular expression per comparison).
 */
export function sortByPathInPlace<T>(items: T[], key: (item: T) => string): T[] {
	const n = items.length;
	if (n < 2) {
		return items;
	}

	const raw: string[] = new Array<string>(n);
	const keys: string[] = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		const k = key(items[i]);
		const natural = naturalKey(k);
		if (natural === null) {
			return items.sort((x, y) => comparePaths(key(x), key(y)));
		}

		raw[i] = k;
		keys[i] = natural;
	}

	const order = new Array<number>(n);
	for (let i = 0; i < n; i++) {
		order[i] = i;
	}

	order.sort((x, y) => {
		const a = keys[x];
		const b = keys[y];
		if (a !== b) {
			return a < b ? -1 : 1;
		}

		const ra = raw[x];
		const rb = raw[y];
		return ra < rb ? -1 : ra > rb ? 1 : 0;
	});
	const copy = items.slice();
	for (let i = 0; i < n; i++) {
		items[i] = copy[order[i]];
	}

	return items;
}

/** Sort a copy of `items` by a path-like key with {@link comparePaths}. */
export function sortByPath<T>(items: readonly T[], key: (item: T) => string): T[] {
	return sortByPathInPlace([...items], key);
}

/** Sort strings in place in the order of {@link comparePaths}. */
export function sortPaths(paths: string[]): string[] {
	return sortByPathInPlace(paths, (p) => p);
}
