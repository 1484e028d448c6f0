/**
 * Growable big-endian writer for Java `DataOutputStream` encodings (docs/format.md#encoding), used by
 * the metadata writer and the Java serialization encoder; the reading side is `cursor.ts`.
 */
import type {I64} from './types.js';

/** Encode a string as Java modified UTF-8 (no length prefix). */
export function encodeModifiedUtf8(s: string): Uint8Array {
	const out = new Uint8Array(s.length * 3);
	return out.slice(0, encodeModifiedUtf8Into(s, out, 0));
}

/** Write `s` as Java modified UTF-8 into `out` from `offset` (room for 3 bytes per char needed); returns the end offset. */
function encodeModifiedUtf8Into(s: string, out: Uint8Array, offset: number): number {
	let o = offset;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c >= 1 && c < 0x80) {
			out[o++] = c;
		} else if (c < 0x800) {
			out[o++] = 0xc0 | (c >> 6);
			out[o++] = 0x80 | (c & 0x3f);
		} else {
			out[o++] = 0xe0 | (c >> 12);
			out[o++] = 0x80 | ((c >> 6) & 0x3f);
			out[o++] = 0x80 | (c & 0x3f);
		}
	}
	return o;
}

/**
 * Growable big-endian writer (Java `DataOutputStream`).
 * @throws RangeError from `utf` when a string's encoding exceeds 65 535 bytes (as Java's `UTFDataFormatException`).
 */
export class ByteWriter {
	private buffer: Uint8Array;
	private view: DataView;
	/** Bytes written so far. */
	length = 0;

	constructor(initialCapacity = 4096) {
		this.buffer = new Uint8Array(initialCapacity);
		this.view = new DataView(this.buffer.buffer);
	}

	private ensure(n: number): void {
		if (this.length + n <= this.buffer.length) return;
		let cap = this.buffer.length * 2;
		while (cap < this.length + n) cap *= 2;
		const next = new Uint8Array(cap);
		next.set(this.buffer.subarray(0, this.length));
		this.buffer = next;
		this.view = new DataView(next.buffer);
	}

	u8(v: number): void {
		this.ensure(1);
		this.buffer[this.length++] = v & 0xff;
	}

	bool(v: boolean): void {
		this.u8(v ? 1 : 0);
	}

	u16(v: number): void {
		this.ensure(2);
		this.view.setUint16(this.length, v);
		this.length += 2;
	}

	i16(v: number): void {
		this.ensure(2);
		this.view.setInt16(this.length, v);
		this.length += 2;
	}

	i32(v: number): void {
		this.ensure(4);
		this.view.setInt32(this.length, v);
		this.length += 4;
	}

	i64(v: I64): void {
		this.ensure(8);
		if (typeof v === 'number' && Number.isSafeInteger(v)) {
			const hi = Math.floor(v / 0x100000000);
			this.view.setInt32(this.length, hi);
			this.view.setUint32(this.length + 4, v - hi * 0x100000000);
		} else {
			this.view.setBigInt64(this.length, BigInt.asIntN(64, BigInt(v)));
		}
		this.length += 8;
	}

	raw(bytes: Uint8Array): void {
		this.ensure(bytes.length);
		this.buffer.set(bytes, this.length);
		this.length += bytes.length;
	}

	/** `i32 n; bytes(n)`. */
	lengthPrefixed(bytes: Uint8Array): void {
		this.i32(bytes.length);
		this.raw(bytes);
	}

	/** A Flink `AbstractID` from 32 hex chars. */
	id16(hex: string): void {
		if (!/^[0-9a-f]{32}$/i.test(hex)) throw new RangeError(`not a 16-byte id in hex: ${hex}`);
		this.ensure(16);
		for (let i = 0; i < 16; i++) this.buffer[this.length++] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
	}

	/** Java `writeUTF`. */
	utf(s: string): void {
		this.ensure(2 + s.length * 3);
		const out = this.buffer;
		const at = this.length;
		const o = encodeModifiedUtf8Into(s, out, at + 2);
		const n = o - at - 2;
		if (n > 0xffff) throw new RangeError(`string too long for writeUTF: ${n} bytes (max 65535)`);
		out[at] = n >> 8;
		out[at + 1] = n & 0xff;
		this.length = o;
	}

	/** The bytes written (a copy). */
	toBytes(): Uint8Array {
		return this.buffer.slice(0, this.length);
	}
}
