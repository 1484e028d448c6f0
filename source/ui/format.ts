/**
 * Fitting text into the explorer's cells and panels: measuring, cutting (middle, end, path) and
 * wrapping. Everything here is pure and width-exact: a text is as wide as the terminal draws it
 * (file names may hold CJK characters and emoji, two columns each), so that no line is wider than
 * its cell. Wrapping is `wrap-ansi`'s; cutting is ours: `cli-truncate` 5.2.0 (the last for Node 20)
 * cuts `共有ファイル名.sst` to 8 columns as 9, and a cell one column too wide shifts every cell after it.
 */
import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import {visibleControls} from '../text/index.js';

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

/**
 * Characters other than printable ASCII that are one UTF-16 unit and one column each, and that the
 * explorer's cells often hold: `…` (a cut id, an operator's short id), `·`, `—`, `→`. Text of
 * these and printable ASCII is as wide as it is long (nothing to join them into wider clusters).
 */
function isNarrowMark(code: number): boolean {
	return code === 0x2026 || code === 0xb7 || code === 0x2014 || code === 0x2192;
}

/** Whether every character of `text` is printable ASCII or {@link isNarrowMark}: one column each. */
function isNarrowText(text: string): boolean {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if ((code < 0x20 || code > 0x7e) && !isNarrowMark(code)) {
			return false;
		}
	}

	return true;
}

/**
 * Display width of a string in terminal columns (`string-width`: wide characters and emoji take
 * two). Text of one-column characters only ({@link isNarrowText}) is measured by its length:
 * `string-width` takes microseconds a cell, and the files view measures 1,000 rows' cells (their
 * operator ids end in `…`) whenever its order or filter changes.
 */
export function textWidth(text: string): number {
	return isNarrowText(text) ? text.length : stringWidth(text);
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
