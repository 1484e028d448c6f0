/**
 * The one natural order of the project (issue 22): the report, the JSON and every list of the
 * explorer sort paths and names by it. Digit runs that no ASCII letter touches are numbers
 * (`chk-9` before `chk-10`, {@link isNumberRun}); job ids and UUIDs stay text, as `ls` sorts them.
 * Letters compare case-insensitively (`Savepoint-2` beside `savepoint-1`, as file managers and `ls`
 * in a UTF-8 locale show them); ties (`chk-09` / `chk-9`, `A` / `a`) are broken by UTF-16 code
 * units, so the order is total and the same on every machine.
 *
 * {@link naturalKey} gives a plain-string key for it; {@link naturalCompare} compares two strings
 * as their keys would, allocation-free for ASCII (sorting 100,000 explorer rows makes no keys).
 */

/**
 * Whether the digit run `[start, end)` of `text` is a number in the natural order: no ASCII letter
 * touches it. `chk-10`, `part-3.sst` and `000012.sst` hold numbers; the digits of hex ids and
 * UUIDs (`4eea3f05…`, `savepoint-3f2a1b-…`) mostly touch letters and stay text, so job ids sort
 * as `ls` sorts them.
 */
function isNumberRun(text: string, start: number, end: number): boolean {
	return (start === 0 || !isAsciiLetter(text.charCodeAt(start - 1))) && (end >= text.length || !isAsciiLetter(text.charCodeAt(end)));
}

function isAsciiLetter(code: number): boolean {
	return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** Whether `code` is an ASCII digit. */
function isDigitCode(code: number): boolean {
	return code >= 48 && code <= 57;
}

/**
 * Compares paths (or names) in the natural order, total: {@link naturalCompare}, ties (`chk-09` /
 * `chk-9`, `A` / `a`) broken by plain UTF-16 code-unit order.
 */
export function comparePaths(a: string, b: string): number {
	return naturalCompare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * Sort `items` in place by a path-like key in the order of {@link comparePaths}, computing each
 * item's {@link naturalKey} once (plain string comparisons while sorting).
 */
export function sortByPathInPlace<T>(items: T[], key: (item: T) => string): T[] {
	const n = items.length;
	if (n < 2) {
		return items;
	}

	const raw: string[] = new Array<string>(n);
	const keys: string[] = new Array<string>(n);
	for (let i = 0; i < n; i++) {
		raw[i] = key(items[i]);
		keys[i] = naturalKey(raw[i]);
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

/**
 * A key whose plain `<` comparison is the natural order up to ties ({@link comparePaths} breaks
 * them): letters lower-cased, numbers (digit runs that no ASCII letter touches, {@link isNumberRun})
 * under 16 digits zero-padded to 16, so `chk-9` < `chk-10`, while job ids and UUIDs sort as text.
 * {@link naturalCompare} compares two strings as their keys would, without making them.
 */
export function naturalKey(text: string): string {
	return asciiNaturalKey(text) ?? naturalKeyOf(text);
}

/** Longest text keyed in {@link KEY_BYTES} (report paths are absolute: longer than a name). */
const ASCII_KEY_MAX = 4096;

/** Output buffer of {@link writeAsciiKey}: {@link ASCII_KEY_MAX} characters, each at most a padded digit run. */
const KEY_BYTES = Buffer.alloc(ASCII_KEY_MAX * 16);

/** What {@link writeAsciiKey} wrote last: the number of characters, and whether they differ from the text's. */
const written = {count: 0, changed: false};

/**
 * Writes the first `limit` characters of the {@link naturalKey} of ASCII `text` into
 * {@link KEY_BYTES} ({@link written} tells how many, and whether they differ from the text's).
 * False when a character of `text` is not ASCII: all of it is checked, since some characters
 * lower-case to ASCII letters (U+212A to `k`), which decide whether a digit run is padded.
 */
function writeAsciiKey(text: string, limit: number): boolean {
	const length = text.length;
	const units = KEY_BYTES;
	let count = 0;
	let changed = false;
	let index = 0;
	while (index < length && count < limit) {
		const code = text.charCodeAt(index);
		if (code >= 128) {
			return false;
		}

		if (!isDigitCode(code)) {
			const lower = lowerAscii(code);
			changed ||= lower !== code;
			units[count++] = lower;
			index++;
			continue;
		}

		const end = runEnd(text, index);
		if (isNumberRun(text, index, end)) {
			for (let pad = end - index; pad < 16 && count < limit; pad++) {
				units[count++] = 48;
				changed = true;
			}
		}

		while (index < end && count < limit) {
			units[count++] = text.charCodeAt(index++);
		}
	}

	while (index < length) {
		if (text.charCodeAt(index++) >= 128) {
			return false;
		}
	}

	written.count = count;
	written.changed = changed;
	return true;
}

/**
 * {@link naturalKey} of ASCII text, made in one buffer and one flat string (sorting 100,000 file
 * names makes 100,000 keys; a key concatenated run by run took 10 µs for a path ending in a UUID);
 * `undefined` for other text.
 */
function asciiNaturalKey(text: string): string | undefined {
	if (text.length > ASCII_KEY_MAX || !writeAsciiKey(text, Number.POSITIVE_INFINITY)) {
		return undefined;
	}

	return written.changed ? KEY_BYTES.toString('latin1', 0, written.count) : text;
}

function naturalKeyOf(text: string): string {
	const lower = text.toLowerCase();
	const length = lower.length;
	let key = '';
	let copied = 0;
	let padded = false;
	for (let index = 0; index < length; index++) {
		if (!isDigitCode(lower.charCodeAt(index))) {
			continue;
		}

		const end = runEnd(lower, index);
		if (isPadded(lower, index, end)) {
			key += lower.slice(copied, index) + ZEROS.slice(end - index);
			copied = index;
			padded = true;
		}

		index = end;
	}

	return padded ? key + lower.slice(copied) : lower;
}

const ZEROS = '0000000000000000';

const lowerAscii = (code: number): number => (code >= 65 && code <= 90 ? code + 32 : code);

/** Whether the digit run `[start, end)` of `text` is zero-padded in its key: a number ({@link isNumberRun}) under 16 digits. */
function isPadded(text: string, start: number, end: number): boolean {
	return end - start < 16 && isNumberRun(text, start, end);
}

/** End of the digit run of `text` starting at `start`. */
function runEnd(text: string, start: number): number {
	let end = start + 1;
	while (end < text.length && isDigitCode(text.charCodeAt(end))) {
		end++;
	}

	return end;
}

/**
 * Compares two strings in natural order: exactly as `naturalKey(a)` and `naturalKey(b)` compare
 * with `<` (-1, 0 or 1), but allocation-free for ASCII text, so that sorting 100,000 rows by name
 * needs no keys. Non-ASCII text is compared through its keys. `from`: a length of text known to
 * be the same in both, ASCII, and not ending in a digit (e.g. a directory ending in `/`): skipped.
 */
export function naturalCompare(a: string, b: string, from = 0): number {
	if (a === b) {
		return 0;
	}

	// Skip the common prefix (same text, same key), back to the start of a digit run it ends in.
	const lengthA = a.length;
	const lengthB = b.length;
	const limit = Math.min(lengthA, lengthB);
	let common = from;
	while (common < limit) {
		const code = a.charCodeAt(common);
		if (code !== b.charCodeAt(common)) {
			break;
		}

		if (code > 127) {
			return keyCompare(a, b);
		}

		common++;
	}

	while (common > 0 && isDigitCode(a.charCodeAt(common - 1))) {
		common--;
	}

	let i = common;
	let j = common;
	while (i < lengthA && j < lengthB) {
		const codeA = a.charCodeAt(i);
		const codeB = b.charCodeAt(j);
		if (codeA > 127 || codeB > 127) {
			return keyCompare(a, b);
		}

		const digitA = isDigitCode(codeA);
		const digitB = isDigitCode(codeB);
		if (!digitA && !digitB) {
			if (codeA !== codeB) {
				const lowA = lowerAscii(codeA);
				const lowB = lowerAscii(codeB);
				if (lowA !== lowB) {
					return lowA < lowB ? -1 : 1;
				}
			}

			i++;
			j++;
			continue;
		}

		if (digitA !== digitB) {
			// A run's key starts with a padding zero (numbers under 16 digits) or its first digit.
			const keyA = digitA ? (isPadded(a, i, runEnd(a, i)) ? 48 : codeA) : lowerAscii(codeA);
			const keyB = digitB ? (isPadded(b, j, runEnd(b, j)) ? 48 : codeB) : lowerAscii(codeB);
			return keyA < keyB ? -1 : 1;
		}

		const endA = runEnd(a, i);
		const endB = runEnd(b, j);
		const paddedA = isPadded(a, i, endA);
		const paddedB = isPadded(b, j, endB);
		if (paddedA && paddedB) {
			// Both padded to 16 digits: compare as numbers (length without leading zeros, then digits).
			let startA = i;
			while (startA < endA - 1 && a.charCodeAt(startA) === 48) {
				startA++;
			}

			let startB = j;
			while (startB < endB - 1 && b.charCodeAt(startB) === 48) {
				startB++;
			}

			if (endA - startA !== endB - startB) {
				return endA - startA < endB - startB ? -1 : 1;
			}

			for (let k = 0; k < endA - startA; k++) {
				const digitCodeA = a.charCodeAt(startA + k);
				const digitCodeB = b.charCodeAt(startB + k);
				if (digitCodeA !== digitCodeB) {
					return digitCodeA < digitCodeB ? -1 : 1;
				}
			}

			i = endA;
			j = endB;
			continue;
		}

		// A run of 16 digits or more, or one touching a letter, is kept as it is: compare the two
		// runs' key texts (a padded one with its leading zeros), read in place.
		const keyLengthA = paddedA ? 16 : endA - i;
		const keyLengthB = paddedB ? 16 : endB - j;
		const padA = keyLengthA - (endA - i);
		const padB = keyLengthB - (endB - j);
		const common = Math.min(keyLengthA, keyLengthB);
		for (let k = 0; k < common; k++) {
			const codeA = k < padA ? 48 : a.charCodeAt(i + k - padA);
			const codeB = k < padB ? 48 : b.charCodeAt(j + k - padB);
			if (codeA !== codeB) {
				return codeA < codeB ? -1 : 1;
			}
		}

		if (keyLengthA !== keyLengthB) {
			// The longer run's next digit meets what follows the shorter run (a non-digit, or the end).
			const longerIsA = keyLengthA > keyLengthB;
			const digit = common < (longerIsA ? padA : padB) ? 48 : longerIsA ? a.charCodeAt(i + common - padA) : b.charCodeAt(j + common - padB);
			const rest = longerIsA ? endB : endA;
			const other = longerIsA ? b : a;
			if (rest >= other.length) {
				return longerIsA ? 1 : -1;
			}

			const next = other.charCodeAt(rest);
			if (next > 127) {
				return keyCompare(a, b);
			}

			const digitWins = digit > lowerAscii(next);
			return digitWins === longerIsA ? 1 : -1;
		}

		i = endA;
		j = endB;
	}

	// One string ended: the one with key text left is greater.
	return i < lengthA ? 1 : j < lengthB ? -1 : 0;
}

function keyCompare(a: string, b: string): number {
	const keyA = naturalKey(a);
	const keyB = naturalKey(b);
	return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
