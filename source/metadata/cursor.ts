/**
 * Bounds-checked big-endian reader and growable writer for Java `DataInputStream` /
 * `DataOutputStream` encodings (docs/format.md#encoding), shared by the metadata reader, the metadata writer
 * and the Java serialization trailer.
 */
import {visibleControls} from '../text/index.js';
import {ParseError} from './errors.js';
import type {I64} from './types.js';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);

/** Turn a bigint into an {@link I64}: a number when it is a safe integer. */
export function toI64(value: bigint): I64 {
	return value <= MAX_SAFE && value >= MIN_SAFE ? Number(value) : value;
}

/**
 * A cursor over bytes. Every read checks the remaining length first and throws {@link ParseError}
 * (file name, offset, what was expected) instead of reading past the end.
 */
export class ByteReader {
	readonly bytes: Uint8Array;
	readonly view: DataView;
	readonly fileName: string;
	/** Current offset, bytes. */
	offset: number;
	/** End of the readable region (exclusive). */
	readonly end: number;

	/** Shared by all readers made with {@link ByteReader.sub} from this one. */
	private readonly text: TextCache;

	constructor(bytes: Uint8Array, fileName = '<bytes>', offset = 0, end = bytes.length) {
		this.bytes = bytes;
		this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		this.fileName = fileName;
		this.offset = offset;
		this.end = end;
		this.text = {chunks: [], buffer: undefined, words: undefined};
	}

	/** A reader over `[offset, end)` of the same bytes (absolute offsets in errors), sharing caches. */
	sub(offset: number, end: number): ByteReader {
		const r = new ByteReader(this.bytes, this.fileName, offset, end);
		(r as unknown as {text: TextCache}).text = this.text;
		return r;
	}

	/**
	 * An ASCII string at `[start, end)` without decoding, or `undefined` when a byte ≥ 0x80 is in
	 * there. Long strings are substrings of a latin1 string of the input, or of the
	 * {@link TEXT_CHUNK} bytes around them, made once (V8 makes those "sliced strings" without
	 * copying); short ones (file names like `000012.sst`, state names, which repeat across subtasks
	 * and files) come from a small direct-mapped cache, so a repeated one is not allocated again.
	 * Both save most of the allocation and GC work on files with many paths.
	 */
	private asciiString(start: number, end: number): string | undefined {
		const b = this.bytes;
		const n = end - start;
		if (n <= SHORT_MAX) {
			let acc = 0;
			let h = n;
			for (let i = start; i < end; i++) {
				const x = b[i];
				acc |= x;
				h = Math.imul(h ^ x, 0x01000193);
			}
			if (acc >= 0x80) return undefined;
			const cache = SHORT_CACHE;
			const slot = (h ^ (h >>> 13)) & (SHORT_SLOTS - 1);
			const hit = cache[slot];
			if (hit.length === n) {
				let k = 0;
				while (k < n && hit.charCodeAt(k) === b[start + k]) k++;
				if (k === n) return hit;
			}
			// A flat copy, never a slice: the process-wide cache must not keep an input's text alive.
			const s = String.fromCharCode.apply(null, b.subarray(start, end) as unknown as number[]);
			cache[slot] = s;
			return s;
		}
		// Four bytes at a time over the aligned middle (the mask test does not depend on byte order).
		const base = b.byteOffset;
		const words = (this.text.words ??= new Int32Array(b.buffer, 0, b.buffer.byteLength >> 2));
		let acc = 0;
		let i = start;
		while (((base + i) & 3) !== 0) acc |= b[i++];
		const wordEnd = (base + end) >> 2;
		for (let k = (base + i) >> 2; k < wordEnd; k++) acc |= words[k];
		for (let j = (wordEnd << 2) - base; j < end; j++) acc |= b[j];
		if ((acc & 0x80808080) !== 0) return undefined;
		const c = this.text;
		const buffer = (c.buffer ??= Buffer.from(b.buffer, b.byteOffset, b.byteLength));
		const chunkBytes = b.length > WHOLE_TEXT_MIN ? b.length : TEXT_CHUNK;
		const chunk = Math.floor(start / chunkBytes);
		const chunkStart = chunk * chunkBytes;
		// A string across a chunk boundary (one in a few hundred) is copied on its own.
		if (end > chunkStart + chunkBytes) return buffer.toString('latin1', start, end);
		const text = (c.chunks[chunk] ??= buffer.toString('latin1', chunkStart, Math.min(b.length, chunkStart + chunkBytes)));
		return text.substring(start - chunkStart, end - chunkStart);
	}

	/** Bytes left before `end`. */
	get remaining(): number {
		return this.end - this.offset;
	}

	/**
	 * Throw a {@link ParseError} at `offset` (default: the current offset). Control characters in
	 * `expected` / `found` (which may quote strings from the file, e.g. a Java class name) are escaped
	 * as `\uXXXX`, so that the message stays on one line and cannot carry terminal escapes.
	 */
	fail(expected: string, found?: string, offset = this.offset): never {
		throw new ParseError(this.fileName, offset, visibleControls(expected), found === undefined ? undefined : visibleControls(found));
	}

	/** Require `n` more bytes, else throw "expected <what>, found end of file". */
	need(n: number, what: string): void {
		if (n > this.end - this.offset) {
			this.fail(what, this.remaining === 0 ? 'end of file' : `end of file after ${this.remaining} byte(s)`);
		}
	}

	u8(what = 'a byte'): number {
		this.need(1, what);
		return this.bytes[this.offset++];
	}

	i8(what = 'a byte'): number {
		this.need(1, what);
		return this.view.getInt8(this.offset++);
	}

	bool(what = 'a boolean'): boolean {
		const at = this.offset;
		const b = this.u8(what);
		if (b > 1) this.fail(`${what} (0 or 1)`, String(b), at);
		return b === 1;
	}

	u16(what = 'a 2-byte integer'): number {
		this.need(2, what);
		const v = this.view.getUint16(this.offset);
		this.offset += 2;
		return v;
	}

	i16(what = 'a 2-byte integer'): number {
		this.need(2, what);
		const v = this.view.getInt16(this.offset);
		this.offset += 2;
		return v;
	}

	i32(what = 'a 4-byte integer'): number {
		this.need(4, what);
		const v = this.view.getInt32(this.offset);
		this.offset += 4;
		return v;
	}

	/** An i64 as {@link I64}. */
	i64(what = 'an 8-byte integer'): I64 {
		this.need(8, what);
		const hi = this.view.getInt32(this.offset);
		const lo = this.view.getUint32(this.offset + 4);
		this.offset += 8;
		// Small values (sizes, ids, the -1 sentinel) stay small integers (Smis) instead of doubles, so
		// that model fields holding them keep a tagged representation (no HeapNumber per store).
		if (hi === 0) return lo;
		if (hi === -1 && lo >= 0x80000000) return lo | 0;
		// Fast path: |value| < 2^53 when the high word is in [-2^21, 2^21).
		if (hi >= -0x200000 && hi < 0x200000) return hi * 0x100000000 + lo;
		return toI64(this.view.getBigInt64(this.offset - 8));
	}

	/** An `i32` in `[min, max]` (a value Flink's writer cannot produce otherwise is a {@link ParseError}). */
	i32In(what: string, min: number, max: number): number {
		const at = this.offset;
		const v = this.i32(what);
		if (v < min || v > max) this.fail(max === 0x7fffffff ? `${what} ≥ ${min}` : `${what} in ${min}..${max}`, String(v), at);
		return v;
	}

	/** An `i64` ≥ `min` (sizes, offsets, ids: Flink never writes less; `-1` is its "unknown" sentinel where allowed). */
	i64AtLeast(what: string, min: number): I64 {
		const at = this.offset;
		const v = this.i64(what);
		if (v < min) this.fail(`${what} ≥ ${min}`, String(v), at);
		return v;
	}

	/**
	 * A count (`i32`) of items that each take at least `minItemBytes` bytes: must be ≥ 0 and must fit
	 * in the remaining bytes, so that no allocation is ever made from an unchecked length.
	 */
	count(what: string, minItemBytes: number): number {
		const at = this.offset;
		const n = this.i32(what);
		if (n < 0) this.fail(`${what} (≥ 0)`, String(n), at);
		if (n * minItemBytes > this.remaining) {
			this.fail(`${what} that fits in the ${this.remaining} remaining byte(s)`, String(n), at);
		}
		return n;
	}

	/** `n` raw bytes (a view, not a copy). */
	raw(n: number, what = 'bytes'): Uint8Array {
		if (n > this.end - this.offset) this.need(n, `${n} byte(s) of ${what}`);
		const out = this.bytes.subarray(this.offset, this.offset + n);
		this.offset += n;
		return out;
	}

	/** `i32 n; bytes(n)`. */
	lengthPrefixed(what: string): Uint8Array {
		const at = this.offset;
		if (this.end - at >= 4) {
			const n = this.view.getInt32(at);
			if (n >= 0 && n <= this.end - at - 4) {
				this.offset = at + 4 + n;
				return this.bytes.subarray(at + 4, at + 4 + n);
			}
		}
		// Slow path: let count()/raw() produce the error message.
		const n = this.count(`length of ${what}`, 1);
		return this.raw(n, what);
	}

	/** 16 bytes of a Flink `AbstractID`, as lowercase hex in file order (equals Flink's `toString()`). */
	id16(what = 'a 16-byte id'): string {
		this.need(16, what);
		let s = '';
		for (let i = 0; i < 16; i++) s += HEX[this.bytes[this.offset + i]];
		this.offset += 16;
		return s;
	}

	/** Java `readUTF`: `u16` byte length then modified UTF-8 (docs/format.md#encoding). */
	utf(what = 'a string'): string {
		const at = this.offset;
		if (this.end - at < 2) this.need(2, `length of ${what}`);
		const n = (this.bytes[at] << 8) | this.bytes[at + 1];
		const start = at + 2;
		const end = start + n;
		if (end > this.end) {
			this.offset = start;
			this.need(n, `${n} byte(s) of ${what}`);
		}
		// ASCII fast path (Java's readUTF accepts a raw 0x00 too).
		const ascii = this.asciiString(start, end);
		if (ascii !== undefined) {
			this.offset = end;
			return ascii;
		}
		return this.decodedUtf(what, at, start, end);
	}

	/**
	 * The rest of {@link utf}: the string at `[start, end)` (its length at `at`) decoded. A method of
	 * its own: the closure below made every `utf` call allocate a context for the variables it
	 * captures (two per file reference, a third of the parser's allocations), ASCII or not.
	 */
	private decodedUtf(what: string, at: number, start: number, end: number): string {
		const text = decodeModifiedUtf8(this.bytes, start, end, (offset, problem) =>
			this.fail(`modified UTF-8 in ${what} (string starts at byte ${at})`, problem, offset),
		);
		this.offset = end;
		return text;
	}
}

/**
 * Decode Java modified UTF-8 (docs/format.md#encoding) from `b[start, end)`: UTF-16 code units, surrogate
 * pairs joined by simply concatenating them, `C0 80` for U+0000 (a raw 0x00 is accepted, as Java's
 * `readUTF` does). `onMalformed(offset, problem)` is called at the first malformed sequence and must
 * throw.
 */
export function decodeModifiedUtf8(b: Uint8Array, start: number, end: number, onMalformed: (offset: number, problem: string) => never): string {
	let s = '';
	let units: number[] = [];
	let i = start;
	while (i < end) {
		const c = b[i];
		if (c < 0x80) {
			units.push(c);
			i++;
		} else if ((c & 0xe0) === 0xc0) {
			if (i + 1 >= end || (b[i + 1] & 0xc0) !== 0x80) onMalformed(i, 'a malformed 2-byte sequence');
			units.push(((c & 0x1f) << 6) | (b[i + 1] & 0x3f));
			i += 2;
		} else if ((c & 0xf0) === 0xe0) {
			if (i + 2 >= end || (b[i + 1] & 0xc0) !== 0x80 || (b[i + 2] & 0xc0) !== 0x80) onMalformed(i, 'a malformed 3-byte sequence');
			units.push(((c & 0x0f) << 12) | ((b[i + 1] & 0x3f) << 6) | (b[i + 2] & 0x3f));
			i += 3;
		} else {
			onMalformed(i, `byte 0x${c.toString(16).padStart(2, '0')}`);
		}
		if (units.length >= 4096) {
			s += String.fromCharCode(...units);
			units = [];
		}
	}
	return s + String.fromCharCode(...units);
}

const HEX: string[] = Array.from({length: 256}, (_, i) => i.toString(16).padStart(2, '0'));

/** Strings of at most this many bytes go through the short-string cache of {@link ByteReader.asciiString}. */
const SHORT_MAX = 24;
/** Slots of that cache (a power of two). */
const SHORT_SLOTS = 4096;
/**
 * The short-string cache, shared by all readers of the process: local file names, state names and
 * the like repeat across the `_metadata` files of a tree as much as within one.
 */
const SHORT_CACHE: string[] = new Array<string>(SHORT_SLOTS).fill('');

/**
 * Bytes of input per latin1 string that long ASCII strings are sliced from, for inputs up to
 * {@link WHOLE_TEXT_MIN} bytes. Chunks, not the whole input: a string over V8's largest regular
 * object (128 KiB) goes to the large-object space, fresh pages each time, and the 2,000 files of
 * 190 KB of the 1M-file bench tree made that way took 370 ms against 50 ms in 32 KiB chunks.
 */
const TEXT_CHUNK = 32 * 1024;
/**
 * Bigger inputs are one latin1 string: while such a file is parsed, its chunks would survive
 * scavenges and be copied (16 MB: 19 ms in chunks against 6 ms whole).
 */
const WHOLE_TEXT_MIN = 1024 * 1024;

/** Caches of {@link ByteReader.asciiString}, shared by a reader and its sub-readers. */
interface TextCache {
	/** The input as latin1 strings of {@link TEXT_CHUNK} bytes (or one string), by chunk index, made on first use. */
	chunks: (string | undefined)[];
	/** The input as a `Buffer` (for `toString('latin1', …)`). */
	buffer: Buffer | undefined;
	/** The input's whole buffer as 32-bit words, for the ASCII test of long strings. */
	words: Int32Array | undefined;
}
