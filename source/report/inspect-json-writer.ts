/**
 * A writer of indented JSON as UTF-8 bytes, exactly as `JSON.stringify(value, null, 2)` lays it
 * out, for emitters that know the shape of what they write (`inspect --json`'s state handles): no
 * object per value, no generic walk over keys, no text to encode. ASCII strings without escapes
 * (nearly all: paths, ids, names) are copied character by character into the buffer; others go
 * through `JSON.stringify` and UTF-8. Building the text as a string instead (a rope of 100,000s of
 * pieces) spent as long flattening and encoding it, and in the collector, as writing it.
 */
import type {I64} from '../metadata/types.js';

const NEWLINE = 0x0a;
const SPACE = 0x20;
const QUOTE = 0x22;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * A character `JSON.stringify` escapes (control characters, `"`, `\\`, lone surrogates) or that
 * is not ASCII (UTF-8 has more bytes than characters): strings with one take the slow path.
 */
const NEEDS_ESCAPE_OR_UTF8 = /[^\u0020-\u0021\u0023-\u005B\u005D-\u007E]/;

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
		const start = this.separator(name.length + 4);
		const buffer = this.buffer;
		let p = start;
		buffer[p++] = QUOTE;
		for (let i = 0; i < name.length; i++) buffer[p++] = name.charCodeAt(i);
		buffer[p++] = QUOTE;
		buffer[p++] = COLON;
		buffer[p++] = SPACE;
		this.position = p;
	}

	/** Open the next element of the current array. */
	item(): void {
		this.position = this.separator(0);
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
		if (this.empty) {
			this.room(1);
		} else {
			this.room(1 + 2 * this.depth + 1);
			this.position = this.indent(this.position);
		}
		this.buffer[this.position++] = bracket.charCodeAt(0);
		this.empty = false;
	}

	/** A string value. */
	string(value: string): void {
		// One native test and copy: a character loop in JavaScript took twice as long on paths.
		if (NEEDS_ESCAPE_OR_UTF8.test(value)) {
			this.raw(JSON.stringify(value));
			return;
		}
		this.room(value.length + 2);
		const buffer = this.buffer;
		let p = this.position;
		buffer[p++] = QUOTE;
		p += buffer.write(value, p, 'latin1');
		buffer[p++] = QUOTE;
		this.position = p;
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

	/** Room for a member's separator and `extra` bytes; writes the separator, returns where it ends. */
	private separator(extra: number): number {
		this.room(2 + 2 * this.depth + extra);
		let p = this.position;
		if (this.empty) this.empty = false;
		else this.buffer[p++] = COMMA;
		return this.indent(p);
	}

	/** A newline and the current depth's indentation at `p`; returns where it ends. */
	private indent(p: number): number {
		const buffer = this.buffer;
		buffer[p++] = NEWLINE;
		for (let i = 2 * this.depth; i > 0; i--) buffer[p++] = SPACE;
		return p;
	}

	/** Make sure `bytes` more fit in the buffer, growing it (a copy) when they do not. */
	private room(bytes: number): void {
		if (this.position + bytes <= this.buffer.length) return;
		const grown = Buffer.allocUnsafe(Math.max(2 * this.buffer.length, this.position + bytes));
		this.buffer.copy(grown, 0, 0, this.position);
		this.buffer = grown;
	}
}
