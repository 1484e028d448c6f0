/**
 * Approximate path scanning of `_metadata` bytes that the exact reader cannot parse (damaged,
 * truncated, or written by an unknown future format version).
 *
 * **Approximate, not authoritative.** This is a heuristic over raw bytes, not a parse: it can miss
 * references (a path longer than a run of text, a path that does not look like one) and it finds
 * strings that are not file references at all (operator names, state-handle ids, inline handle
 * labels, text inside inline state data). Use it only to *show* a user what a broken file probably
 * points at. It must **never** be used to decide that a file or directory is referenced or that
 * something is an orphan: only `readMetadata` / `collectReferences` may do that.
 */
import {decodeModifiedUtf8} from './cursor.js';

/** One string found by {@link scanPathStrings}. */
export interface ApproximateReference {
	/** Byte offset of the string's `u16` length prefix (where Java's `readUTF` would start). */
	offset: number;
	/** The decoded string (modified UTF-8). */
	text: string;
	/**
	 * `uri`: `scheme://…` or `scheme:/…` (scheme of ≥ 2 characters, e.g. `hdfs://nn/x`, `file:/tmp/x`);
	 * `path`: absolute path `/…`; `name`: a bare UUID-like file name of 36 characters
	 * (`8-4-4-4-12` hex digits, as Flink names state files; state-handle ids look the same).
	 */
	kind: 'uri' | 'path' | 'name';
}

/** Options of {@link scanPathStrings}. */
export interface ScanOptions {
	/** Stop after this many (deduplicated) results. Default {@link DEFAULT_SCAN_LIMIT}. */
	limit?: number;
}

/** Default result limit of {@link scanPathStrings}. */
export const DEFAULT_SCAN_LIMIT = 100_000;

/** Longest URI scheme looked at (`viewfs`, `abfss`, … are far shorter). */
const MAX_SCHEME = 32;
const UUID_LENGTH = 36;

/**
 * Find Java `writeUTF` strings (`u16` byte length, then that many bytes of valid modified UTF-8)
 * that look like paths or URIs, in file order, each distinct text once (at its first occurrence).
 *
 * **Approximate and not authoritative** (see the module comment): results may include strings that
 * are not references and may miss references; never use them to decide that something is an orphan
 * or is unreferenced. Use `readMetadata` for anything that matters.
 *
 * Accepted strings contain no control characters (U+0000…U+001F, U+007F…U+009F); non-ASCII
 * characters (2- and 3-byte sequences, including surrogate halves) are allowed.
 *
 * Runs in linear time: one forward pass finds maximal runs of such characters, and inside a run
 * each position is checked in amortised O(1) (length prefix fits the run and ends on a character
 * boundary, first bytes match a kind); only accepted strings are decoded, and scanning resumes
 * after an accepted string.
 */
export function scanPathStrings(bytes: Uint8Array, options: ScanOptions = {}): ApproximateReference[] {
	const limit = options.limit ?? DEFAULT_SCAN_LIMIT;
	const out: ApproximateReference[] = [];
	if (limit <= 0) return out;
	const seen = new Set<string>();
	const b = bytes;
	const n = b.length;
	/** No string may start (text position) before this: inside or right after an accepted string. */
	let minText = 2;
	let i = 0;
	while (i < n) {
		// Find the maximal run [s, e) of acceptable characters starting at i.
		const s = i;
		let e = i;
		for (;;) {
			const w = charWidth(b, e, n);
			if (w === 0) break;
			e += w;
		}
		if (e === s) {
			i++;
			continue;
		}
		/** First byte at or after the current position that cannot be part of a URI scheme. */
		let schemeEnd = -1;
		for (let q = Math.max(s, minText); q < e; q++) {
			const c = b[q];
			if ((c & 0xc0) === 0x80) continue; // not a character start
			const len = (b[q - 2] << 8) | b[q - 1];
			if (len < 2 || q + len > e) continue;
			if (q + len < e && (b[q + len] & 0xc0) === 0x80) continue; // would end inside a character
			if (schemeEnd < q) {
				// Moves forward only, so the whole run costs O(run length).
				schemeEnd = q;
				while (schemeEnd < e && isSchemeChar(b[schemeEnd])) schemeEnd++;
			}
			const kind = classify(b, q, len, schemeEnd);
			if (kind === undefined) continue;
			const text = decodeModifiedUtf8(b, q, q + len, notReached);
			if (!seen.has(text)) {
				seen.add(text);
				out.push({offset: q - 2, text, kind});
				if (out.length >= limit) return out;
			}
			// The next string's length prefix can start right after this one.
			minText = q + len + 2;
			q = minText - 1;
		}
		i = e;
	}
	return out;
}

/**
 * Width in bytes of the acceptable character at `i` (0 if none): printable ASCII (0x20…0x7E), or a
 * well-formed 2-/3-byte modified UTF-8 sequence for a code unit ≥ U+00A0.
 */
function charWidth(b: Uint8Array, i: number, n: number): number {
	if (i >= n) return 0;
	const c = b[i];
	if (c < 0x80) return c >= 0x20 && c < 0x7f ? 1 : 0;
	if ((c & 0xe0) === 0xc0) {
		if (i + 1 >= n || (b[i + 1] & 0xc0) !== 0x80) return 0;
		return (((c & 0x1f) << 6) | (b[i + 1] & 0x3f)) >= 0xa0 ? 2 : 0;
	}
	if ((c & 0xf0) === 0xe0) {
		if (i + 2 >= n || (b[i + 1] & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80) return 0;
		return (((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6)) >= 0x800 ? 3 : 0;
	}
	return 0;
}

function isAlpha(c: number): boolean {
	return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isHex(c: number): boolean {
	return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function isSchemeChar(c: number): boolean {
	return isAlpha(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e;
}

/**
 * Kind of the `len` bytes at `q` (all acceptable characters) in O(1): `schemeEnd` is the first byte
 * at or after `q` that is not a scheme character; the UUID check looks at exactly 36 bytes.
 */
function classify(b: Uint8Array, q: number, len: number, schemeEnd: number): ApproximateReference['kind'] | undefined {
	const c = b[q];
	if (c === 0x2f) return 'path'; // '/' and len ≥ 2
	if (isAlpha(c)) {
		// scheme := ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ), then ":/" and at least one more byte.
		const k = schemeEnd - q;
		if (k >= 2 && k <= MAX_SCHEME && k + 2 < len && b[schemeEnd] === 0x3a && b[schemeEnd + 1] === 0x2f) return 'uri';
	}
	if (len === UUID_LENGTH && isHex(c)) {
		for (let k = 0; k < UUID_LENGTH; k++) {
			const x = b[q + k];
			if (k === 8 || k === 13 || k === 18 || k === 23 ? x !== 0x2d : !isHex(x)) return undefined;
		}
		return 'name';
	}
	return undefined;
}

/** The scanner decodes only bytes it has already checked (see {@link charWidth}). */
function notReached(offset: number, problem: string): never {
	throw new Error(`approximate scan: ${problem} at byte ${offset} after validation`);
}
