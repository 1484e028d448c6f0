/**
 * Presentation helpers of the explorer: bytes, counts, times, ids and fitting text into cells.
 * Everything here is pure and width-exact: a text is as wide as the terminal draws it (file names
 * may hold CJK characters and emoji, two columns each), so that no line is wider than its cell.
 *
 * Over 400 lines: the explorer's allocation-free natural order (`naturalCompare`, keys for the
 * native 64-bit sort) is here until it becomes the one natural order of `text/natural.ts`
 * (issue #22); the rest is cell fitting.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {isDigitCode, isNumberRun, visibleControls} from '../text/index.js';

/** A 32-hex job id shortened to its first 8 digits and `…`; other labels unchanged. */
export function shortJobId(label: string | null): string {
	if (label === null) {
		return 'savepoints';
	}

	return /^[0-9a-f]{32}$/i.test(label) ? `${label.slice(0, 8)}…` : label;
}

/** Whether every character of `text` is printable ASCII, one column each (almost every name is). */
function isPrintableAscii(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code < 0x20 || code > 0x7e) {
			return false;
		}
	}

	return true;
}

/** Display width of a string in terminal columns (`string-width`: wide characters and emoji take two). */
export function textWidth(text: string): number {
	return isPrintableAscii(text) ? text.length : stringWidth(text);
}

const graphemeSegmenter = new Intl.Segmenter();

/** The characters (grapheme clusters) of non-ASCII text with their widths, for cutting it. */
function graphemes(text: string): {text: string; width: number}[] {
	return Array.from(graphemeSegmenter.segment(text), ({segment}) => ({text: segment, width: stringWidth(segment)}));
}

/** The first characters of `chars` that fit in `width` columns. */
function takeStart(chars: readonly {text: string; width: number}[], width: number): string {
	let out = '';
	let used = 0;
	for (const char of chars) {
		if (used + char.width > width) {
			break;
		}

		out += char.text;
		used += char.width;
	}

	return out;
}

/** The last characters of `chars` that fit in `width` columns. */
function takeEnd(chars: readonly {text: string; width: number}[], width: number): string {
	let out = '';
	let used = 0;
	for (let index = chars.length - 1; index >= 0; index--) {
		const char = chars[index];
		if (used + char.width > width) {
			break;
		}

		out = char.text + out;
		used += char.width;
	}

	return out;
}

/**
 * `text` as the explorer shows it, control characters written as `\xHH`, with its width in columns
 * and whether it is all printable ASCII (then a column is a character and it is cut with `slice`).
 */
function shown(text: string): {text: string; ascii: boolean; width: number} {
	if (isPrintableAscii(text)) return {text, ascii: true, width: text.length};
	const visible = visibleControls(text);
	const ascii = isPrintableAscii(visible);
	return {text: visible, ascii, width: ascii ? visible.length : stringWidth(visible)};
}

/**
 * Cuts `text` to at most `width` columns by replacing its middle with `…` (`/data/fl…/shared/ab.sst`);
 * a wide character that does not fit whole is left out (the result may then be a column narrower).
 * Control characters are written as `\xHH`.
 */
export function truncateMiddle(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const shownText = shown(text);
	if (shownText.width <= width) {
		return shownText.text;
	}

	if (width === 1) {
		return '…';
	}

	// Keep more of the end: for paths the file name matters most.
	const keep = width - 1;
	const head = Math.floor(keep * 0.4);
	const tail = keep - head;
	if (shownText.ascii) {
		return shownText.text.slice(0, head) + '…' + (tail > 0 ? shownText.text.slice(shownText.text.length - tail) : '');
	}

	// The end takes what a wide character left of the start's share.
	const chars = graphemes(shownText.text);
	const start = takeStart(chars, head);
	return start + '…' + takeEnd(chars, keep - textWidth(start));
}

/** Cuts `text` to at most `width` columns at the end, marking the cut with `…`; control characters are written as `\xHH`. */
export function truncateEnd(text: string, width: number): string {
	if (width <= 0) {
		return '';
	}

	const shownText = shown(text);
	if (shownText.width <= width) {
		return shownText.text;
	}

	return (shownText.ascii ? shownText.text.slice(0, width - 1) : takeStart(graphemes(shownText.text), width - 1)) + '…';
}

/**
 * Wraps `text` into lines of at most `width` columns: at spaces (`wrap-ansi`; the spaces at the
 * breaks are dropped), a word longer than a line after a `/` where it has one (paths), else
 * anywhere (ids); a wide character that does not fit moves to the next line. Control characters are
 * written as `\xHH`.
 */
export function wrapColumns(text: string, width: number): string[] {
	const shownText = shown(text);
	if (shownText.width <= width || width <= 0) {
		return [shownText.text];
	}

	return wrapAnsi(shownText.text, width, {hard: false, trim: true})
		.split('\n')
		.flatMap((line) => (textWidth(line) <= width ? [line] : breakWord(line, width)));
}

/** A word wider than `width` in lines: whole `/`-ended segments while they fit, a segment wider than a line cut anywhere. */
function breakWord(word: string, width: number): string[] {
	const lines: string[] = [];
	let line = '';
	for (const part of word.split(/(?<=\/)/)) {
		if (textWidth(line) + textWidth(part) <= width) {
			line += part;
			continue;
		}

		if (line !== '') {
			lines.push(line);
		}

		const pieces = wrapAnsi(part, width, {hard: true, wordWrap: false, trim: false}).split('\n');
		line = pieces.pop() ?? '';
		lines.push(...pieces);
	}

	lines.push(line);
	return lines;
}

/** Fewest columns of a segment shown when the start of a path is cut inside it (`3f2a1b2c…`, never `a…`). */
const MIN_CUT_SEGMENT = 8;

/**
 * Cuts a path to at most `width` columns keeping its last segments whole: as many as fit after a
 * `…/`, then the first segments before the `…`, the first one not shown whole cut at its end when
 * at least 8 columns of it fit (`apache+flink/…/savepoints/1.6`, `3f2a1b2c…/shared/x.sst`). A last
 * segment too long for that is cut in the middle ({@link truncateMiddle}). Control characters are
 * written as `\xHH`.
 */
export function truncatePath(text: string, width: number): string {
	const shownText = shown(text);
	if (shownText.width <= width) {
		return shownText.text;
	}

	const segments = shownText.text.split('/');
	let tail = segments.length - 1;
	let tailWidth = textWidth(segments[tail]);
	if (segments.length < 2 || tailWidth + 2 > width) {
		return truncateMiddle(segments[tail], width);
	}

	while (tail > 1 && tailWidth + 1 + textWidth(segments[tail - 1]) + 2 <= width) {
		tail--;
		tailWidth += 1 + textWidth(segments[tail]);
	}

	// The start: whole segments, then part of the next one; `room` is what is left before `…/` and the end.
	let head = '';
	let room = width - tailWidth - 2;
	for (let index = 0; index < tail; index++) {
		const segmentWidth = textWidth(segments[index]);
		if (segmentWidth + 1 <= room && index < tail - 1) {
			head += `${segments[index]}/`;
			room -= segmentWidth + 1;
			continue;
		}

		if (room >= MIN_CUT_SEGMENT) {
			head += truncateEnd(segments[index], room + 1).slice(0, -1);
		}

		break;
	}

	return `${head}…/${segments.slice(tail).join('/')}`;
}

/** How a cell too wide for its column is cut: in the middle (ids), at the end (prose) or keeping a path's last segments. */
export type Cut = 'middle' | 'end' | 'path';

const CUTS: Record<Cut, (text: string, width: number) => string> = {middle: truncateMiddle, end: truncateEnd, path: truncatePath};

/** Fits `text` into exactly `width` columns: cut as `cut` says (default the middle) and padded (left or right aligned). */
export function fit(text: string, width: number, align: 'left' | 'right' = 'left', cut: Cut = 'middle'): string {
	const shortened = CUTS[cut](text, width);
	const pad = ' '.repeat(Math.max(0, width - textWidth(shortened)));
	return align === 'left' ? shortened + pad : pad + shortened;
}

/**
 * A key that orders strings "naturally" with a plain `<` comparison: numbers (digit runs that no
 * ASCII letter touches, {@link isNumberRun}) are zero-padded to 16 digits, letters lower-cased, so
 * `chk-9` < `chk-10`, while job ids and UUIDs sort as text (as `ls` sorts them). {@link naturalCompare} compares
 * two strings as their keys would, without making them.
 */
export function naturalKey(text: string): string {
	return asciiNaturalKey(text) ?? naturalKeyOf(text);
}

/** Output buffer of {@link writeAsciiKey}: 64 characters, each at most a padded digit run. */
const KEY_BYTES = Buffer.alloc(64 * 16);

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
 * {@link naturalKey} of short ASCII text, made in one buffer and one flat string (sorting 100,000
 * file names makes 100,000 keys); `undefined` for other text.
 */
function asciiNaturalKey(text: string): string | undefined {
	if (text.length > 64 || !writeAsciiKey(text, Number.POSITIVE_INFINITY)) {
		return undefined;
	}

	return written.changed ? KEY_BYTES.toString('latin1', 0, written.count) : text;
}

/**
 * The first 4 characters of `naturalKey(text)` packed into one integer below 2³², 8 bits each, the
 * first highest (a shorter key is padded with code 0): two texts whose packed prefixes differ
 * compare as those numbers do, so a numeric sort orders by natural key up to ties. -1 for text
 * that is not ASCII (its key may hold characters above 255).
 */
export function naturalKeyPrefix(text: string): number {
	if (!writeAsciiKey(text, 4)) {
		return -1;
	}

	let packed = 0;
	for (let index = 0; index < 4; index++) {
		packed = packed * 256 + (index < written.count ? KEY_BYTES[index] : 0);
	}

	return packed;
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
