/**
 * Encoder of the Java Object Serialization Stream Protocol subset: writes class descriptors, objects,
 * strings and enum constants exactly as `ObjectOutputStream` does (handles numbered from
 * `0x7E0000` in creation order, strings shared by value), so that a decoded stream re-encodes to the
 * identical bytes.
 */
import {ByteWriter, encodeModifiedUtf8} from './byte-writer.js';
import {
	BASE_WIRE_HANDLE,
	SC_ENUM,
	SC_SERIALIZABLE,
	STREAM_MAGIC,
	STREAM_VERSION,
	TC_CLASSDESC,
	TC_ENDBLOCKDATA,
	TC_ENUM,
	TC_LONGSTRING,
	TC_NULL,
	TC_OBJECT,
	TC_REFERENCE,
	TC_STRING,
	type JavaField,
} from './java-stream.js';

export interface ClassSpec {
	name: string;
	suid: bigint;
	flags: number;
	/** In Java's order: primitives first, then objects, each sorted by name. */
	fields: JavaField[];
	superSpec: ClassSpec | null;
}

export const ENUM_BASE: ClassSpec = {name: 'java.lang.Enum', suid: 0n, flags: SC_SERIALIZABLE | SC_ENUM, fields: [], superSpec: null};

export function enumSpec(name: string): ClassSpec {
	return {name, suid: 0n, flags: SC_SERIALIZABLE | SC_ENUM, fields: [], superSpec: ENUM_BASE};
}

/** `ObjectOutputStream` subset: handles assigned in creation order; strings shared by value (Java interns them). */
export class StreamEncoder {
	readonly w = new ByteWriter(1024);
	private nextHandle = BASE_WIRE_HANDLE;
	private readonly descHandles = new Map<ClassSpec, number>();
	private readonly stringHandles = new Map<string, number>();
	private readonly enumHandles = new Map<string, number>();

	constructor() {
		this.w.u16(STREAM_MAGIC);
		this.w.u16(STREAM_VERSION);
	}

	private reference(handle: number): void {
		this.w.u8(TC_REFERENCE);
		this.w.i32(handle);
	}

	string(s: string): void {
		const handle = this.stringHandles.get(s);
		if (handle !== undefined) return this.reference(handle);
		const bytes = encodeModifiedUtf8(s);
		if (bytes.length <= 0xffff) {
			this.w.u8(TC_STRING);
			this.w.u16(bytes.length);
		} else {
			this.w.u8(TC_LONGSTRING);
			this.w.i64(bytes.length);
		}
		this.w.raw(bytes);
		this.stringHandles.set(s, this.nextHandle++);
	}

	classDesc(spec: ClassSpec | null): void {
		if (spec === null) return this.w.u8(TC_NULL);
		const handle = this.descHandles.get(spec);
		if (handle !== undefined) return this.reference(handle);
		this.w.u8(TC_CLASSDESC);
		this.w.utf(spec.name);
		this.w.i64(spec.suid);
		this.descHandles.set(spec, this.nextHandle++);
		this.w.u8(spec.flags);
		this.w.i16(spec.fields.length);
		for (const f of spec.fields) {
			this.w.u8(f.code.charCodeAt(0));
			this.w.utf(f.name);
			if (f.signature !== undefined) this.string(f.signature);
		}
		this.w.u8(TC_ENDBLOCKDATA);
		this.classDesc(spec.superSpec);
	}

	enumConstant(spec: ClassSpec, constant: string): void {
		const key = `${spec.name}\u0000${constant}`;
		const handle = this.enumHandles.get(key);
		if (handle !== undefined) return this.reference(handle);
		this.w.u8(TC_ENUM);
		this.classDesc(spec);
		this.enumHandles.set(key, this.nextHandle++);
		this.string(constant);
	}

	/** `TC_OBJECT classDesc newHandle` — the caller writes the field values. */
	objectHeader(spec: ClassSpec): void {
		this.w.u8(TC_OBJECT);
		this.classDesc(spec);
		this.nextHandle++;
	}
}
