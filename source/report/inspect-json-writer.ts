/**
 * A writer of indented JSON as UTF-8 bytes, exactly as `JSON.stringify(value, null, 2)` lays it
 * out, for emitters that know the shape of what they write (`inspect --json`'s state handles): no
 * object per value, no generic walk over keys, no text to encode. ASCII strings without escapes
 * (nearly all: paths, ids, names) are copied character by character into the buffer; others go
 * through `JSON.stringify` and UTF-8. Building the text as a string instead (a rope of 100,000s of
 * pieces) spent as long flattening and encoding it, and in the collector, as writing it.
 */
import type {I64} from '../metadata/types.js';

const QUOTE = 0x22;

/**
 * Node's Buffer has `latin1Write` (what `buffer.write(…, 'latin1')` calls after checking its
 * arguments and looking the encoding up, which cost more than the copy of a path). Node 20's.
 */
type LatinWritable = Buffer & {latin1Write(text: string, offset: number, length: number): number};
/** Whether this Node has it (undocumented): without it, the documented `buffer.write(…, 'latin1')`. */
const HAS_LATIN1_WRITE = typeof (Buffer.prototype as Partial<LatinWritable>).latin1Write === 'function';

/** By depth: a newline and the indentation (two spaces a level), and the same after a comma. */
const NEWLINES: Uint8Array[] = [];
const COMMA_NEWLINES: Uint8Array[] = [];

function newline(depth: number): Uint8Array {
	return NEWLINES[depth] ?? indentations(depth)[0];
}

function commaNewline(depth: number): Uint8Array {
	return COMMA_NEWLINES[depth] ?? indentations(depth)[1];
}

function indentations(depth: number): [Uint8Array, Uint8Array] {
	for (let d = NEWLINES.length; d <= depth; d++) {
		COMMA_NEWLINES.push(Buffer.from(`,\n${'  '.repeat(d)}`, 'latin1'));
		NEWLINES.push(COMMA_NEWLINES[d].subarray(1));
	}
	return [NEWLINES[depth], COMMA_NEWLINES[depth]];
}

/**
 * A character `JSON.stringify` escapes (control characters, `"`, `\\`, lone surrogates) or that
 * is not ASCII (UTF-8 has more bytes than characters): strings with one take the slow path.
 */
const NEEDS_ESCAPE_OR_UTF8 = /[^\u0020-\u0021\u0023-\u005B\u005D-\u007E]/;

/** Strings up to this length have their JSON bytes cached ({@link JsonBytesWriter.string}). */
const SHORT_STRING = 48;

/** How many strings the cache holds at most (a file of unique short strings must not fill memory). */
const MAX_CACHED_STRINGS = 8192;

/** Bytes a buffer holds beyond the size at which {@link JsonBytesWriter.take} is due. */
const SLACK = 1 << 18;

/**
 * Indented JSON built member by member into bytes. `key` / `item` open a member of the current
 * object / array, then exactly one value follows (a scalar, {@link raw} text, or a `begin` … `end`
 * container). Keys must be plain ASCII without quotes or backslashes (the emitters' literals).
 */
export class JsonBytesWriter {
	private buffer: Buffer;
	/** Bytes written to {@link buffer}. */
	private position = 0;
	/** Depth of the current container (the top level is 0). */
	private depth: number;
	/** Whether the current container has no member yet. */
	private empty: boolean;
	/** JSON bytes of short strings written before (at most {@link MAX_CACHED_STRINGS}). */
	private readonly strings = new Map<string, Uint8Array>();
	/** By depth and key: the bytes opening the first member of an object with that key. */
	private readonly firstKeys: Map<string, Uint8Array>[] = [];
	/** By depth and key: the bytes opening a following member (with the comma). */
	private readonly nextKeys: Map<string, Uint8Array>[] = [];

	/**
	 * @param chunkSize bytes at which the caller means to {@link take} them (buffers hold a little more)
	 * @param depth nesting depth of the first value written (the writer can start inside an outer
	 * document written by other means); its container counts as already having members
	 */
	constructor(
		private readonly chunkSize: number,
		depth = 0,
	) {
		this.buffer = Buffer.allocUnsafe(chunkSize + SLACK);
		this.depth = depth;
		this.empty = depth === 0;
	}

	/** Bytes held, to decide when to {@link take} them. */
	get length(): number {
		return this.position;
	}

	/** Open member `name` of the current object. */
	key(name: string): void {
		// The separator, indentation and key in one copy of cached bytes: writing them byte by byte
		// (2 million lines for a 16 MB `_metadata`) was a third of the time.
		const byName = (this.empty ? this.firstKeys : this.nextKeys)[this.depth] ?? this.keysAt(this.depth);
		const bytes = byName.get(name) ?? this.cacheKey(name);
		this.room(bytes.length);
		this.buffer.set(bytes, this.position);
		this.position += bytes.length;
		this.empty = false;
	}

	/** Open the next element of the current array. */
	item(): void {
		const bytes = this.empty ? newline(this.depth) : commaNewline(this.depth);
		this.room(bytes.length);
		this.buffer.set(bytes, this.position);
		this.position += bytes.length;
		this.empty = false;
	}

	/** Start an object (`{`) or an array (`[`) as the current value. */
	begin(bracket: '{' | '['): void {
		this.room(1);
		this.buffer[this.position++] = bracket.charCodeAt(0);
		this.depth++;
		this.empty = true;
	}

	/** Close the container opened by the matching {@link begin} (`{}` / `[]` when it stayed empty). */
	end(bracket: '}' | ']'): void {
		this.depth--;
		if (!this.empty) {
			const bytes = newline(this.depth);
			this.room(bytes.length);
			this.buffer.set(bytes, this.position);
			this.position += bytes.length;
		}
		this.room(1);
		this.buffer[this.position++] = bracket.charCodeAt(0);
		this.empty = false;
	}

	/** A string value. */
	string(value: string): void {
		// Most strings of a big file repeat (handle kinds, slots, roles, operator ids, RocksDB file
		// names): their JSON bytes are cached, one look-up and copy instead of a scan and a copy.
		const short = value.length <= SHORT_STRING;
		if (short) {
			const bytes = this.strings.get(value);
			if (bytes !== undefined) {
				this.room(bytes.length);
				this.buffer.set(bytes, this.position);
				this.position += bytes.length;
				return;
			}
		}
		const start = this.position;
		// One native test and copy: a character loop in JavaScript took twice as long on paths.
		if (NEEDS_ESCAPE_OR_UTF8.test(value)) {
			this.raw(JSON.stringify(value));
		} else {
			this.room(value.length + 2);
			const buffer = this.buffer;
			let p = this.position;
			buffer[p++] = QUOTE;
			p += HAS_LATIN1_WRITE ? (buffer as LatinWritable).latin1Write(value, p, value.length) : buffer.write(value, p, 'latin1');
			buffer[p++] = QUOTE;
			this.position = p;
		}
		if (short && this.strings.size < MAX_CACHED_STRINGS) this.strings.set(value, Buffer.from(this.buffer.subarray(start, this.position)));
	}

	/** A number value (`null` when not finite, as `JSON.stringify` writes it). */
	number(value: number): void {
		if (value >= 0 && value < 2_147_483_648 && value === (value | 0)) {
			this.room(10);
			const buffer = this.buffer;
			let digits = 1;
			for (let rest = value; rest >= 10; rest = (rest / 10) | 0) digits++;
			let p = this.position + digits;
			this.position = p;
			let rest = value;
			do {
				buffer[--p] = 0x30 + (rest % 10);
				rest = (rest / 10) | 0;
			} while (rest > 0);
			return;
		}
		this.ascii(Number.isFinite(value) ? String(value) : 'null');
	}

	/** A Java long: a number when safe (a `number` in the model), else its decimal string. */
	i64(value: I64): void {
		if (typeof value === 'bigint') this.ascii(`"${value}"`);
		else this.number(value);
	}

	/** `true` or `false`. */
	boolean(value: boolean): void {
		this.ascii(value ? 'true' : 'false');
	}

	/** `null`. */
	null(): void {
		this.ascii('null');
	}

	/** Any value as `JSON.stringify(value, null, 2)` writes it at this depth (small values only). */
	value(value: unknown): void {
		const text = JSON.stringify(value, null, 2);
		if (text === undefined) throw new TypeError('JsonBytesWriter.value: a value JSON cannot hold');
		this.raw(text.replaceAll('\n', `\n${'  '.repeat(this.depth)}`));
	}

	/** Text already in JSON form, as UTF-8. */
	raw(text: string): void {
		this.room(Buffer.byteLength(text, 'utf8'));
		this.position += this.buffer.write(text, this.position, 'utf8');
	}

	/** The bytes written since the last call; the writer then starts a new buffer (the old one is the caller's). */
	take(): Uint8Array {
		const bytes = this.buffer.subarray(0, this.position);
		this.buffer = Buffer.allocUnsafe(this.chunkSize + SLACK);
		this.position = 0;
		return bytes;
	}

	/** Text of ASCII characters only, as it is. */
	private ascii(text: string): void {
		this.room(text.length);
		const buffer = this.buffer;
		let p = this.position;
		for (let i = 0; i < text.length; i++) buffer[p++] = text.charCodeAt(i);
		this.position = p;
	}

	/** The cached keys of `depth` (first member of an object, next members), made. */
	private keysAt(depth: number): Map<string, Uint8Array> {
		while (this.firstKeys.length <= depth) {
			this.firstKeys.push(new Map());
			this.nextKeys.push(new Map());
		}
		return (this.empty ? this.firstKeys : this.nextKeys)[depth];
	}

	/** The bytes opening member `name` at the current depth, cached. */
	private cacheKey(name: string): Uint8Array {
		const next = Buffer.from(`,\n${'  '.repeat(this.depth)}"${name}": `, 'latin1');
		this.nextKeys[this.depth].set(name, next);
		this.firstKeys[this.depth].set(name, next.subarray(1));
		return this.empty ? next.subarray(1) : next;
	}

	/** Make sure `bytes` more fit in the buffer, growing it (a copy) when they do not. */
	private room(bytes: number): void {
		if (this.position + bytes <= this.buffer.length) return;
		const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.position + bytes));
		this.buffer.copy(grown, 0, 0, this.position);
		this.buffer = grown;
	}
}
