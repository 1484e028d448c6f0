/**
 * A small generic decoder of the Java Object Serialization Stream Protocol (the subset in
 * `java-stream.ts`): no class loading, no code execution, bounded depth and object count.
 */
import type {ByteReader} from './cursor.js';
import {
	BASE_WIRE_HANDLE,
	MAX_DEPTH,
	MAX_HANDLES,
	PRIMITIVE_SIZES,
	SC_BLOCK_DATA,
	SC_EXTERNALIZABLE,
	SC_SERIALIZABLE,
	SC_WRITE_METHOD,
	ShapeError,
	TC_ARRAY,
	TC_BLOCKDATA,
	TC_BLOCKDATALONG,
	TC_CLASS,
	TC_CLASSDESC,
	TC_ENDBLOCKDATA,
	TC_ENUM,
	TC_LONGSTRING,
	TC_NULL,
	TC_OBJECT,
	TC_PROXYCLASSDESC,
	TC_REFERENCE,
	TC_STRING,
	decodeJavaString,
	typeCodeName,
	type JavaAnnotation,
	type JavaArray,
	type JavaClass,
	type JavaClassData,
	type JavaClassDesc,
	type JavaEnum,
	type JavaObject,
	type JavaValue,
} from './java-stream.js';

/**
 * Generic decoder of the protocol subset. Truncation surfaces as the reader's `ParseError`; anything
 * else it cannot or will not decode is a {@link ShapeError}.
 */
export class StreamDecoder {
	private readonly handles: (JavaValue | undefined)[] = [];
	private readonly r: ByteReader;

	constructor(reader: ByteReader) {
		this.r = reader;
	}

	private assign(value: JavaValue | undefined): number {
		if (this.handles.length >= MAX_HANDLES) throw new ShapeError(this.r.offset, `more than ${MAX_HANDLES} objects`);
		this.handles.push(value);
		return this.handles.length - 1;
	}

	private checkDepth(depth: number): void {
		if (depth > MAX_DEPTH) throw new ShapeError(this.r.offset, `nesting deeper than ${MAX_DEPTH}`);
	}

	private u64(what: string): bigint {
		this.r.need(8, what);
		const v = this.r.view.getBigInt64(this.r.offset);
		this.r.offset += 8;
		return v;
	}

	/** `u16 n; modified UTF-8 (n)` as in `DataInput.readUTF`. */
	private utf(what: string): string {
		const n = this.r.u16(`length of ${what}`);
		this.r.need(n, `${n} byte(s) of ${what}`);
		const start = this.r.offset;
		this.r.offset += n;
		return decodeJavaString(this.r.bytes, start, start + n, what);
	}

	private longUtf(what: string): string {
		const at = this.r.offset;
		const n = this.u64(`length of ${what}`);
		if (n < 0n) throw new ShapeError(at, `negative length ${n} of ${what}`);
		if (n > BigInt(this.r.remaining)) {
			this.r.fail(`${n} byte(s) of ${what}`, `end of file after ${this.r.remaining} byte(s)`);
		}
		const start = this.r.offset;
		this.r.offset += Number(n);
		return decodeJavaString(this.r.bytes, start, this.r.offset, what);
	}

	private reference(): JavaValue {
		const at = this.r.offset - 1;
		const handle = this.r.i32('a handle');
		const index = handle - BASE_WIRE_HANDLE;
		if (index < 0 || index >= this.handles.length) {
			throw new ShapeError(at, `reference to unknown handle 0x${(handle >>> 0).toString(16)}`);
		}
		const value = this.handles[index];
		if (value === undefined) throw new ShapeError(at, `reference to unshared handle 0x${handle.toString(16)}`);
		return value;
	}

	/** Any content: an object, a string, … (Java `readObject0`). Block data only where `allowBlock`. */
	content(depth: number, allowBlock = false): JavaAnnotation {
		this.checkDepth(depth);
		const at = this.r.offset;
		const tc = this.r.u8('a Java serialization type code');
		switch (tc) {
			case TC_NULL:
				return null;
			case TC_REFERENCE:
				return this.reference();
			case TC_CLASSDESC:
				return this.newClassDesc(depth);
			case TC_PROXYCLASSDESC:
				return this.newProxyClassDesc(depth);
			case TC_OBJECT:
				return this.newObject(depth);
			case TC_STRING: {
				const s = this.utf('a string');
				this.assign(s);
				return s;
			}
			case TC_LONGSTRING: {
				const s = this.longUtf('a long string');
				this.assign(s);
				return s;
			}
			case TC_ARRAY:
				return this.newArray(depth);
			case TC_CLASS: {
				const desc = this.classDesc(depth + 1);
				const value: JavaClass = {kind: 'class', desc};
				this.assign(value);
				return value;
			}
			case TC_ENUM:
				return this.newEnum(depth);
			case TC_BLOCKDATA:
			case TC_BLOCKDATALONG: {
				if (!allowBlock) break;
				const n = tc === TC_BLOCKDATA ? this.r.u8('length of block data') : this.r.i32('length of block data');
				if (n < 0) throw new ShapeError(at, `negative block data length ${n}`);
				return {kind: 'block', bytes: this.r.raw(n, 'block data')};
			}
			default:
				break;
		}
		throw new ShapeError(at, `unexpected type code ${typeCodeName(tc)}`);
	}

	/** A `String` (new or by reference) where the grammar demands one. */
	private stringContent(depth: number, what: string): string {
		const at = this.r.offset;
		const value = this.content(depth);
		if (typeof value !== 'string') throw new ShapeError(at, `expected a string for ${what}`);
		return value;
	}

	/** `classDesc`: a new or proxy descriptor, a reference to one, or null. */
	private classDesc(depth: number): JavaClassDesc | null {
		this.checkDepth(depth);
		const at = this.r.offset;
		const tc = this.r.u8('a class descriptor');
		switch (tc) {
			case TC_NULL:
				return null;
			case TC_CLASSDESC:
				return this.newClassDesc(depth);
			case TC_PROXYCLASSDESC:
				return this.newProxyClassDesc(depth);
			case TC_REFERENCE: {
				const value = this.reference();
				if (value === null || typeof value !== 'object' || value.kind !== 'classdesc') {
					throw new ShapeError(at, 'reference to something other than a class descriptor where one is expected');
				}
				return value;
			}
			default:
				throw new ShapeError(at, `expected a class descriptor, found type code ${typeCodeName(tc)}`);
		}
	}

	private annotations(depth: number): JavaAnnotation[] {
		const out: JavaAnnotation[] = [];
		for (;;) {
			this.r.need(1, 'TC_ENDBLOCKDATA or annotation content');
			if (this.r.bytes[this.r.offset] === TC_ENDBLOCKDATA) {
				this.r.offset++;
				return out;
			}
			out.push(this.content(depth + 1, true));
		}
	}

	private newClassDesc(depth: number): JavaClassDesc {
		const name = this.utf('a class name');
		const suid = this.u64('a serialVersionUID');
		const desc: JavaClassDesc = {kind: 'classdesc', name, suid, flags: 0, fields: [], annotations: [], superDesc: null};
		this.assign(desc);
		const flagsAt = this.r.offset;
		desc.flags = this.r.u8('class descriptor flags');
		if ((desc.flags & SC_SERIALIZABLE) !== 0 && (desc.flags & SC_EXTERNALIZABLE) !== 0) {
			throw new ShapeError(flagsAt, `class ${name} flagged both serializable and externalizable`);
		}
		const countAt = this.r.offset;
		const n = this.r.i16('number of fields');
		if (n < 0) throw new ShapeError(countAt, `negative field count ${n} in class ${name}`);
		if (n * 3 > this.r.remaining) this.r.fail(`${n} field descriptor(s) of class ${name}`, `end of file after ${this.r.remaining} byte(s)`);
		for (let i = 0; i < n; i++) {
			const codeAt = this.r.offset;
			const code = String.fromCharCode(this.r.u8('a field typecode'));
			const fieldName = this.utf('a field name');
			if (code === 'L' || code === '[') {
				desc.fields.push({code, name: fieldName, signature: this.stringContent(depth + 1, `the type of field ${fieldName}`)});
			} else if (code in PRIMITIVE_SIZES) {
				desc.fields.push({code, name: fieldName});
			} else {
				throw new ShapeError(codeAt, `unknown field typecode 0x${code.charCodeAt(0).toString(16)} in class ${name}`);
			}
		}
		desc.annotations = this.annotations(depth);
		desc.superDesc = this.classDesc(depth + 1);
		return desc;
	}

	private newProxyClassDesc(depth: number): JavaClassDesc {
		const desc: JavaClassDesc = {kind: 'classdesc', name: '<proxy>', suid: 0n, flags: SC_SERIALIZABLE, fields: [], annotations: [], superDesc: null};
		this.assign(desc);
		const at = this.r.offset;
		const n = this.r.i32('number of proxy interfaces');
		if (n < 0) throw new ShapeError(at, `negative interface count ${n}`);
		if (n * 2 > this.r.remaining) this.r.fail(`${n} proxy interface name(s)`, `end of file after ${this.r.remaining} byte(s)`);
		desc.proxyInterfaces = [];
		for (let i = 0; i < n; i++) desc.proxyInterfaces.push(this.utf('a proxy interface name'));
		desc.annotations = this.annotations(depth);
		desc.superDesc = this.classDesc(depth + 1);
		return desc;
	}

	private requireDesc(depth: number, what: string): JavaClassDesc {
		const at = this.r.offset;
		const desc = this.classDesc(depth + 1);
		if (desc === null) throw new ShapeError(at, `null class descriptor for ${what}`);
		return desc;
	}

	private primitive(code: string, what: string): JavaValue {
		switch (code) {
			case 'B':
				return this.r.i8(what);
			case 'C':
				return this.r.u16(what);
			case 'S':
				return this.r.i16(what);
			case 'I':
				return this.r.i32(what);
			case 'J':
				return this.u64(what);
			case 'F': {
				this.r.need(4, what);
				const v = this.r.view.getFloat32(this.r.offset);
				this.r.offset += 4;
				return v;
			}
			case 'D': {
				this.r.need(8, what);
				const v = this.r.view.getFloat64(this.r.offset);
				this.r.offset += 8;
				return v;
			}
			default:
				// Z; Java's readBoolean: any non-zero byte is true.
				return this.r.u8(what) !== 0;
		}
	}

	private newObject(depth: number): JavaObject {
		const desc = this.requireDesc(depth, 'an object');
		const obj: JavaObject = {kind: 'object', desc, classData: []};
		this.assign(obj);
		const chain: JavaClassDesc[] = [];
		for (let d: JavaClassDesc | null = desc; d !== null; d = d.superDesc) {
			if (chain.length > MAX_DEPTH) throw new ShapeError(this.r.offset, `class hierarchy deeper than ${MAX_DEPTH}`);
			chain.unshift(d);
		}
		for (const d of chain) {
			const data: JavaClassData = {desc: d, values: new Map(), annotations: []};
			if ((d.flags & SC_EXTERNALIZABLE) !== 0) {
				if ((d.flags & SC_BLOCK_DATA) === 0) {
					throw new ShapeError(this.r.offset, `externalizable class ${d.name} written without block data (protocol version 1) cannot be decoded`);
				}
				data.annotations = this.annotations(depth);
			} else if ((d.flags & SC_SERIALIZABLE) !== 0) {
				for (const f of d.fields) {
					if (f.code in PRIMITIVE_SIZES) data.values.set(f.name, this.primitive(f.code, `field ${d.name}.${f.name}`));
				}
				for (const f of d.fields) {
					if (!(f.code in PRIMITIVE_SIZES)) {
						const at = this.r.offset;
						const value = this.content(depth + 1);
						if (value !== null && typeof value === 'object' && value.kind === 'block') {
							throw new ShapeError(at, `block data as value of field ${d.name}.${f.name}`);
						}
						data.values.set(f.name, value);
					}
				}
				if ((d.flags & SC_WRITE_METHOD) !== 0) data.annotations = this.annotations(depth);
			}
			obj.classData.push(data);
		}
		return obj;
	}

	private newArray(depth: number): JavaArray {
		const descAt = this.r.offset;
		const desc = this.requireDesc(depth, 'an array');
		if (!desc.name.startsWith('[') || desc.name.length < 2) throw new ShapeError(descAt, `array class name ${desc.name} does not start with [`);
		const array: JavaArray = {kind: 'array', desc, values: []};
		this.assign(array);
		const sizeAt = this.r.offset;
		const n = this.r.i32('array length');
		if (n < 0) throw new ShapeError(sizeAt, `negative array length ${n}`);
		const code = desc.name[1];
		const elementBytes = PRIMITIVE_SIZES[code] ?? 1;
		if (n * elementBytes > this.r.remaining) {
			this.r.fail(`${n} array element(s) of ${desc.name}`, `end of file after ${this.r.remaining} byte(s)`);
		}
		if (code in PRIMITIVE_SIZES) {
			for (let i = 0; i < n; i++) array.values.push(this.primitive(code, `element of ${desc.name}`));
		} else if (code === 'L' || code === '[') {
			for (let i = 0; i < n; i++) {
				const at = this.r.offset;
				const value = this.content(depth + 1);
				if (value !== null && typeof value === 'object' && value.kind === 'block') throw new ShapeError(at, 'block data as array element');
				array.values.push(value);
			}
		} else {
			throw new ShapeError(descAt, `unknown array element type in ${desc.name}`);
		}
		return array;
	}

	private newEnum(depth: number): JavaEnum {
		const desc = this.requireDesc(depth, 'an enum constant');
		const value: JavaEnum = {kind: 'enum', desc, constant: ''};
		this.assign(value);
		value.constant = this.stringContent(depth + 1, `a constant of enum ${desc.name}`);
		return value;
	}
}
