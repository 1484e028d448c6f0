/**
 * Small formatting helpers shared by the JSON and text reports (and usable by the explorer):
 * glyphs, byte sizes, times, a stable path ordering and optional ANSI colour.
 */
import prettyBytes from 'pretty-bytes';

/**
 * Glyphs used by the report and the explorer. Every glyph is always printed together with a word
 * (e.g. `✗ missing`), so the output stays readable without colour and greppable.
 */
export const GLYPHS = {
	/** A referenced file that is not on disk; a checkpoint with missing files. */
	missing: '✗',
	/** An orphan: a file or directory that nothing references. */
	orphan: '⊘',
	/** A reference into another job's directory (trace of a CLAIM / LEGACY restore). */
	crossJob: '↗',
	/** Possibly in progress: younger than `--min-age`, not counted as an orphan. */
	inProgress: '…',
	/** A complete checkpoint / savepoint. */
	ok: '✓',
	/** A warning or an unreadable `_metadata`. */
	warning: '!',
} as const;

/** `pretty-bytes` for a size in bytes; `unknown` for negative (unknown, -1) sizes. */
export function formatBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return 'unknown';
	}

	return prettyBytes(bytes);
}

/** Exact byte count with thousands separators (`12,345 bytes`); fixed `en-US` grouping so output does not depend on the locale. */
export function formatExactBytes(bytes: number): string {
	if (!Number.isFinite(bytes) || bytes < 0) {
		return 'unknown size';
	}

	const digits = String(Math.trunc(bytes));
	const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return `${grouped} ${bytes === 1 ? 'byte' : 'bytes'}`;
}

/** `pretty-bytes` plus the exact count when they differ, e.g. `1.23 kB (1,234 bytes)`. */
export function formatBytesExact(bytes: number): string {
	const pretty = formatBytes(bytes);
	if (bytes < 1000 || !Number.isFinite(bytes)) {
		return pretty;
	}

	return `${pretty} (${formatExactBytes(bytes)})`;
}

/** Epoch milliseconds to an ISO-8601 string; `null` for a missing / invalid time (0, NaN). */
export function isoTime(ms: number | null | undefined): string | null {
	if (ms === null || ms === undefined || !Number.isFinite(ms) || ms <= 0) {
		return null;
	}

	return new Date(ms).toISOString();
}

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

/** ANSI styles used when colour is on. */
export type Style = 'red' | 'green' | 'yellow' | 'cyan' | 'magenta' | 'dim' | 'bold';

const ANSI: Record<Style, [number, number]> = {
	red: [31, 39],
	green: [32, 39],
	yellow: [33, 39],
	cyan: [36, 39],
	magenta: [35, 39],
	dim: [2, 22],
	bold: [1, 22],
};

/** The escape sequences a colour {@link styler} writes (`ESC [ 31 m` …), for {@link visibleControls}. */
export const STYLE_SEQUENCES: ReadonlySet<string> = new Set(Object.values(ANSI).flatMap((codes) => codes.map((code) => `\u001B[${code}m`)));

/** A control character (C0, DEL, C1); with `g`, or an SGR escape sequence. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/;
// eslint-disable-next-line no-control-regex
const CONTROL_OR_STYLE = /\u001B\[[0-9;]*m|[\u0000-\u001F\u007F-\u009F]/g;

function hexEscape(char: string): string {
	return `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`;
}

/**
 * One line of text for a terminal, its control characters written as `\xHH` (C0 with tab and line
 * feed, DEL and C1), except the escape sequences in `keep` (the colours of a {@link styler}, see
 * {@link STYLE_SEQUENCES}). File names and `_metadata` strings may hold any of them: an escape
 * sequence in a name must not move the cursor, set the window title or hide text, and a line feed
 * must not make a line of its own. Text without any (almost all) is returned as it is.
 */
export function visibleControls(text: string, keep?: ReadonlySet<string>): string {
	if (!CONTROL.test(text)) {
		return text;
	}

	return text.replace(CONTROL_OR_STYLE, (match) => (match.length === 1 ? hexEscape(match) : keep?.has(match) === true ? match : hexEscape(match[0]) + match.slice(1)));
}

/** `lines` as text, each ending with `\n`, each through {@link visibleControls}. */
export function visibleLines(lines: readonly string[], keep?: ReadonlySet<string>): string {
	let text = '';
	for (const line of lines) {
		text += `${visibleControls(line, keep)}\n`;
	}

	return text;
}

/**
 * A message for stderr (`fcx: …`), ending with `\n`: its lines kept, any other control
 * character or escape sequence in it (a path can hold them) shown as `\xNN`, never sent raw.
 */
export function visibleMessage(message: string): string {
	return visibleLines(message.split('\n'));
}

/** A styler: wraps text in ANSI codes when `color` is true, returns it unchanged otherwise. */
export function styler(color: boolean): (style: Style, text: string) => string {
	return (style, text) => (color ? `\u001B[${ANSI[style][0]}m${text}\u001B[${ANSI[style][1]}m` : text);
}
