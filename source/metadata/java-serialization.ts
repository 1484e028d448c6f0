/**
 * The V4+ `_metadata` trailer (FORMAT.md §6): Flink's `CheckpointProperties`, written by
 * `MetadataV4Serializer` (inherited by V5, V6, V7) as `new ObjectOutputStream(out).writeObject(properties)`.
 *
 * Decoding implements the needed subset of the Java Object Serialization Stream Protocol (Java Object
 * Serialization Specification, chapter 6 "Object Serialization Stream Protocol") as a small generic
 * decoder — no class loading, no code execution — and then maps the generic object graph onto
 * {@link CheckpointProperties}. Encoding writes Flink's classes exactly the way `ObjectOutputStream`
 * does (same class descriptors, serialVersionUIDs, field order and handle numbering), so that a decoded
 * trailer re-encodes to the identical bytes.
 */
import {ByteReader, ByteWriter, decodeModifiedUtf8, encodeModifiedUtf8} from './cursor.js';
import type {CheckpointProperties, PropertiesTrailer, SnapshotType} from './types.js';

// ---------------------------------------------------------------------------------------------
// Protocol constants (java.io.ObjectStreamConstants).
// ---------------------------------------------------------------------------------------------

const STREAM_MAGIC = 0xaced;
const STREAM_VERSION = 5;
const MAGIC_BYTES = [0xac, 0xed, 0x00, 0x05];

const TC_NULL = 0x70;
const TC_REFERENCE = 0x71;
const TC_CLASSDESC = 0x72;
const TC_OBJECT = 0x73;
const TC_STRING = 0x74;
const TC_ARRAY = 0x75;
const TC_CLASS = 0x76;
const TC_BLOCKDATA = 0x77;
const TC_ENDBLOCKDATA = 0x78;
const TC_RESET = 0x79;
const TC_BLOCKDATALONG = 0x7a;
const TC_EXCEPTION = 0x7b;
const TC_LONGSTRING = 0x7c;
const TC_PROXYCLASSDESC = 0x7d;
const TC_ENUM = 0x7e;

const BASE_WIRE_HANDLE = 0x7e0000;

const SC_WRITE_METHOD = 0x01;
const SC_SERIALIZABLE = 0x02;
const SC_EXTERNALIZABLE = 0x04;
const SC_BLOCK_DATA = 0x08;
const SC_ENUM = 0x10;

/** Nesting depth limit of the generic decoder (objects inside objects, descriptors inside descriptors). */
const MAX_DEPTH = 64;
/** Limit on handles (objects, strings, descriptors, enums, arrays) in one trailer. */
const MAX_HANDLES = 10_000;

const TYPE_CODE_NAMES: Record<number, string> = {
	[TC_NULL]: 'TC_NULL',
	[TC_REFERENCE]: 'TC_REFERENCE',
	[TC_CLASSDESC]: 'TC_CLASSDESC',
	[TC_OBJECT]: 'TC_OBJECT',
	[TC_STRING]: 'TC_STRING',
	[TC_ARRAY]: 'TC_ARRAY',
	[TC_CLASS]: 'TC_CLASS',
	[TC_BLOCKDATA]: 'TC_BLOCKDATA',
	[TC_ENDBLOCKDATA]: 'TC_ENDBLOCKDATA',
	[TC_RESET]: 'TC_RESET',
	[TC_BLOCKDATALONG]: 'TC_BLOCKDATALONG',
	[TC_EXCEPTION]: 'TC_EXCEPTION',
	[TC_LONGSTRING]: 'TC_LONGSTRING',
	[TC_PROXYCLASSDESC]: 'TC_PROXYCLASSDESC',
	[TC_ENUM]: 'TC_ENUM',
};

function typeCodeName(tc: number): string {
	return `0x${tc.toString(16).padStart(2, '0')}${tc in TYPE_CODE_NAMES ? ` (${TYPE_CODE_NAMES[tc]})` : ''}`;
}

/** Bytes of each primitive field typecode. */
const PRIMITIVE_SIZES: Record<string, number> = {B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1};

// ---------------------------------------------------------------------------------------------
// Flink's classes (FORMAT.md §6, [PROPS]).
// ---------------------------------------------------------------------------------------------

const CHECKPOINT_PROPERTIES = 'org.apache.flink.runtime.checkpoint.CheckpointProperties';
const CHECKPOINT_TYPE = 'org.apache.flink.runtime.checkpoint.CheckpointType';
const SAVEPOINT_TYPE = 'org.apache.flink.runtime.checkpoint.SavepointType';
const SHARING_FILES_STRATEGY = 'org.apache.flink.runtime.checkpoint.SnapshotType$SharingFilesStrategy';
const POST_CHECKPOINT_ACTION = 'org.apache.flink.runtime.checkpoint.SavepointType$PostCheckpointAction';
const SAVEPOINT_FORMAT_TYPE = 'org.apache.flink.core.execution.SavepointFormatType';

/** The boolean fields of `CheckpointProperties` except `unclaimed`, as named in Java. */
const BOOLEAN_FIELDS = ['discardCancelled', 'discardFailed', 'discardFinished', 'discardSubsumed', 'discardSuspended', 'forced'] as const;

// ---------------------------------------------------------------------------------------------
// Generic object model of the decoder.
// ---------------------------------------------------------------------------------------------

interface JavaField {
	/** Typecode: one of `BCDFIJSZ`, `L` or `[`. */
	code: string;
	name: string;
	/** JVM type signature of `L` and `[` fields. */
	signature?: string;
}

interface JavaClassDesc {
	kind: 'classdesc';
	name: string;
	suid: bigint;
	flags: number;
	fields: JavaField[];
	/** Interfaces of a `TC_PROXYCLASSDESC`. */
	proxyInterfaces?: string[];
	annotations: JavaAnnotation[];
	superDesc: JavaClassDesc | null;
}

interface JavaClassData {
	desc: JavaClassDesc;
	values: Map<string, JavaValue>;
	/** Block data and objects written by `writeObject` / `writeExternal`. */
	annotations: JavaAnnotation[];
}

interface JavaObject {
	kind: 'object';
	desc: JavaClassDesc;
	/** One entry per serializable class, from the topmost superclass down. */
	classData: JavaClassData[];
}

interface JavaEnum {
	kind: 'enum';
	desc: JavaClassDesc;
	constant: string;
}

interface JavaArray {
	kind: 'array';
	desc: JavaClassDesc;
	values: JavaValue[];
}

interface JavaClass {
	kind: 'class';
	desc: JavaClassDesc | null;
}

interface JavaBlock {
	kind: 'block';
	bytes: Uint8Array;
}

type JavaValue = null | boolean | number | bigint | string | JavaObject | JavaEnum | JavaArray | JavaClass | JavaClassDesc;
type JavaAnnotation = JavaValue | JavaBlock;

/** A complete-looking stream that is not what the decoder supports or expects (not a truncation). */
class ShapeError extends Error {
	readonly at: number;
	constructor(at: number, message: string) {
		super(message);
		this.at = at;
	}
}

/** Decode Java modified UTF-8; malformed input is a {@link ShapeError}. */
function decodeJavaString(b: Uint8Array, start: number, end: number, what: string): string {
	return decodeModifiedUtf8(b, start, end, (offset, problem) => {
		throw new ShapeError(offset, `malformed modified UTF-8 in ${what} (${problem})`);
	});
}

/**
 * Generic decoder of the protocol subset. Truncation surfaces as the reader's `ParseError`; anything
 * else it cannot or will not decode is a {@link ShapeError}.
 */
class StreamDecoder {
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

// ---------------------------------------------------------------------------------------------
// Generic object graph → CheckpointProperties.
// ---------------------------------------------------------------------------------------------

function describeValue(value: JavaValue | undefined): string {
	if (value === undefined) return 'nothing (field absent)';
	if (value === null) return 'null';
	if (typeof value !== 'object') return `${typeof value} ${String(value)}`;
	if (value.kind === 'classdesc') return `class descriptor ${value.name}`;
	if (value.kind === 'class') return 'a Class';
	return `${value.kind} of ${value.desc.name}`;
}

function fieldsOf(obj: JavaObject, className: string): Map<string, JavaValue> {
	const data = obj.classData.find((d) => d.desc.name === className);
	return data?.values ?? new Map();
}

function enumField(fields: Map<string, JavaValue>, owner: string, field: string, enumClass: string): string {
	const value = fields.get(field);
	if (value === null || value === undefined || typeof value !== 'object' || value.kind !== 'enum' || value.desc.name !== enumClass) {
		throw new Error(`${owner}.${field}: expected an enum constant of ${enumClass}, found ${describeValue(value)}`);
	}
	return value.constant;
}

function stringField(fields: Map<string, JavaValue>, owner: string, field: string): string {
	const value = fields.get(field);
	if (typeof value !== 'string') throw new Error(`${owner}.${field}: expected a String, found ${describeValue(value)}`);
	return value;
}

function toSnapshotType(value: JavaValue | undefined): SnapshotType | null {
	if (value === null) return null;
	if (value !== undefined && typeof value === 'object' && value.kind === 'object') {
		if (value.desc.name === CHECKPOINT_TYPE) {
			const f = fieldsOf(value, CHECKPOINT_TYPE);
			return {
				kind: 'checkpoint',
				name: stringField(f, 'CheckpointType', 'name'),
				sharingFilesStrategy: enumField(f, 'CheckpointType', 'sharingFilesStrategy', SHARING_FILES_STRATEGY),
			};
		}
		if (value.desc.name === SAVEPOINT_TYPE) {
			const f = fieldsOf(value, SAVEPOINT_TYPE);
			return {
				kind: 'savepoint',
				name: stringField(f, 'SavepointType', 'name'),
				postCheckpointAction: enumField(f, 'SavepointType', 'postCheckpointAction', POST_CHECKPOINT_ACTION),
				formatType: enumField(f, 'SavepointType', 'formatType', SAVEPOINT_FORMAT_TYPE),
			};
		}
	}
	throw new Error(`CheckpointProperties.checkpointType: expected a ${CHECKPOINT_TYPE} or ${SAVEPOINT_TYPE}, found ${describeValue(value)}`);
}

/** Map the decoded top-level value; throws a plain `Error` naming the mismatch. */
function toCheckpointProperties(value: JavaValue): CheckpointProperties {
	if (value === null || typeof value !== 'object' || value.kind !== 'object' || value.desc.name !== CHECKPOINT_PROPERTIES) {
		throw new Error(`expected an object of ${CHECKPOINT_PROPERTIES}, found ${describeValue(value)}`);
	}
	const f = fieldsOf(value, CHECKPOINT_PROPERTIES);
	const bool = (name: string): boolean => {
		const v = f.get(name);
		if (typeof v !== 'boolean') throw new Error(`CheckpointProperties.${name}: expected a boolean, found ${describeValue(v)}`);
		return v;
	};
	const props: CheckpointProperties = {
		checkpointType: toSnapshotType(f.get('checkpointType')),
		forced: bool('forced'),
		discardSubsumed: bool('discardSubsumed'),
		discardFinished: bool('discardFinished'),
		discardCancelled: bool('discardCancelled'),
		discardFailed: bool('discardFailed'),
		discardSuspended: bool('discardSuspended'),
	};
	if (f.has('unclaimed')) props.unclaimed = bool('unclaimed');
	return props;
}

// ---------------------------------------------------------------------------------------------
// Public API.
// ---------------------------------------------------------------------------------------------

/**
 * Read the V4+ properties trailer (docs/format.md "Properties trailer"; Flink
 * `MetadataV4Serializer.serializeProperties`) starting at `reader.offset`: the Java serialization
 * magic `AC ED 00 05`, then one top-level content (Java Object Serialization Specification, chapter 6).
 *
 * `TC_NULL` → `{properties: null, raw}`; a `CheckpointProperties` object → `{properties, raw}`. `raw`
 * is a view (subarray) of exactly the trailer's bytes, and `reader.offset` is left right after the
 * top-level content (the caller checks that this is the end of the file).
 *
 * Decoding is lenient about descriptors: fields are found by name, serialVersionUIDs are not checked,
 * unknown extra fields are ignored and `unclaimed` may be absent (properties written before it existed).
 *
 * @throws ParseError (file name, byte offset, what was expected) for anything else: the input ends
 *   inside the stream, a bad magic, an unknown or unexpected type code, an unknown class, a wrong
 *   field type, malformed modified UTF-8, more than 64 levels of nesting or 10 000 objects. Flink
 *   always writes a decodable trailer, so a file whose trailer does not decode is damaged.
 */
export function readPropertiesTrailer(reader: ByteReader): PropertiesTrailer {
	const start = reader.offset;
	const expected = 'a CheckpointProperties trailer in Java serialization';
	const available = Math.min(4, reader.remaining);
	for (let i = 0; i < available; i++) {
		if (reader.bytes[start + i] !== MAGIC_BYTES[i]) {
			const found = Array.from(reader.bytes.subarray(start, start + available), (b) => b.toString(16).padStart(2, '0')).join(' ');
			reader.fail('the Java serialization magic AC ED 00 05 of the CheckpointProperties trailer', found.toUpperCase(), start);
		}
	}
	reader.need(4, 'the Java serialization magic AC ED 00 05 of the CheckpointProperties trailer');
	reader.offset += 4;

	let top: JavaValue;
	try {
		const at = reader.offset;
		const value = new StreamDecoder(reader).content(0);
		if (value !== null && typeof value === 'object' && value.kind === 'block') reader.fail(expected, 'top-level block data', at);
		top = value;
	} catch (error) {
		if (error instanceof ShapeError) reader.fail(expected, error.message, error.at);
		throw error;
	}
	const raw = reader.bytes.subarray(start, reader.offset);
	if (top === null) return {properties: null, raw};
	try {
		return {properties: toCheckpointProperties(top), raw};
	} catch (error) {
		return reader.fail(expected, (error as Error).message, start + 4);
	}
}

interface ClassSpec {
	name: string;
	suid: bigint;
	flags: number;
	/** In Java's order: primitives first, then objects, each sorted by name. */
	fields: JavaField[];
	superSpec: ClassSpec | null;
}

const ENUM_BASE: ClassSpec = {name: 'java.lang.Enum', suid: 0n, flags: SC_SERIALIZABLE | SC_ENUM, fields: [], superSpec: null};

function enumSpec(name: string): ClassSpec {
	return {name, suid: 0n, flags: SC_SERIALIZABLE | SC_ENUM, fields: [], superSpec: ENUM_BASE};
}

const SHARING_FILES_STRATEGY_SPEC = enumSpec(SHARING_FILES_STRATEGY);
const POST_CHECKPOINT_ACTION_SPEC = enumSpec(POST_CHECKPOINT_ACTION);
const SAVEPOINT_FORMAT_TYPE_SPEC = enumSpec(SAVEPOINT_FORMAT_TYPE);

const STRING_SIGNATURE = 'Ljava/lang/String;';

const CHECKPOINT_TYPE_SPEC: ClassSpec = {
	name: CHECKPOINT_TYPE,
	suid: BigInt.asIntN(64, 0xd6de4f0305ae1d3an),
	flags: SC_SERIALIZABLE,
	fields: [
		{code: 'L', name: 'name', signature: STRING_SIGNATURE},
		{code: 'L', name: 'sharingFilesStrategy', signature: `L${SHARING_FILES_STRATEGY.replaceAll('.', '/')};`},
	],
	superSpec: null,
};

const SAVEPOINT_TYPE_SPEC: ClassSpec = {
	name: SAVEPOINT_TYPE,
	suid: BigInt.asIntN(64, 0xa087d308a45814b8n),
	flags: SC_SERIALIZABLE,
	fields: [
		{code: 'L', name: 'formatType', signature: `L${SAVEPOINT_FORMAT_TYPE.replaceAll('.', '/')};`},
		{code: 'L', name: 'name', signature: STRING_SIGNATURE},
		{code: 'L', name: 'postCheckpointAction', signature: `L${POST_CHECKPOINT_ACTION.replaceAll('.', '/')};`},
	],
	superSpec: null,
};

function checkpointPropertiesSpec(withUnclaimed: boolean): ClassSpec {
	const booleans = [...BOOLEAN_FIELDS, ...(withUnclaimed ? ['unclaimed'] : [])].sort();
	return {
		name: CHECKPOINT_PROPERTIES,
		suid: 2n,
		flags: SC_SERIALIZABLE,
		fields: [
			...booleans.map((name) => ({code: 'Z', name})),
			{code: 'L', name: 'checkpointType', signature: 'Lorg/apache/flink/runtime/checkpoint/SnapshotType;'},
		],
		superSpec: null,
	};
}

/** `ObjectOutputStream` subset: handles assigned in creation order; strings shared by value (Java interns them). */
class StreamEncoder {
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

/**
 * Encode a properties trailer the way Flink's `MetadataV4Serializer` does
 * (`new ObjectOutputStream(out).writeObject(properties)`, Java Object Serialization Specification
 * chapter 6):
 * - `trailer.raw` present → returned as is (verbatim round trip, also for undecodable trailers);
 * - `properties: null` → `AC ED 00 05 70` (`TC_NULL`);
 * - otherwise the `CheckpointProperties` object graph with Flink's real class descriptors
 *   (serialVersionUIDs 2, `0xd6de4f0305ae1d3a`, `0xa087d308a45814b8`, enums 0 with superclass
 *   `java.lang.Enum`), fields in Java's order (primitives, then objects, each by name) and handles
 *   numbered from `0x7E0000`. `unclaimed` absent → the 7-field descriptor of older properties.
 *
 * @throws RangeError when a class or field name does not fit `writeUTF` (not possible for Flink's classes).
 */
export function writePropertiesTrailer(trailer: PropertiesTrailer): Uint8Array {
	if (trailer.raw !== undefined) return trailer.raw;
	const enc = new StreamEncoder();
	const p = trailer.properties;
	if (p === null) {
		enc.w.u8(TC_NULL);
		return enc.w.toBytes();
	}
	const spec = checkpointPropertiesSpec(p.unclaimed !== undefined);
	enc.objectHeader(spec);
	const values: Record<string, boolean | undefined> = {
		discardCancelled: p.discardCancelled,
		discardFailed: p.discardFailed,
		discardFinished: p.discardFinished,
		discardSubsumed: p.discardSubsumed,
		discardSuspended: p.discardSuspended,
		forced: p.forced,
		unclaimed: p.unclaimed,
	};
	for (const f of spec.fields) if (f.code === 'Z') enc.w.bool(values[f.name] === true);
	const t = p.checkpointType;
	if (t === null) {
		enc.w.u8(TC_NULL);
	} else if (t.kind === 'checkpoint') {
		enc.objectHeader(CHECKPOINT_TYPE_SPEC);
		enc.string(t.name);
		enc.enumConstant(SHARING_FILES_STRATEGY_SPEC, t.sharingFilesStrategy);
	} else {
		enc.objectHeader(SAVEPOINT_TYPE_SPEC);
		enc.enumConstant(SAVEPOINT_FORMAT_TYPE_SPEC, t.formatType);
		enc.string(t.name);
		enc.enumConstant(POST_CHECKPOINT_ACTION_SPEC, t.postCheckpointAction);
	}
	return enc.w.toBytes();
}

/**
 * One-line summary of properties for display, e.g. `savepoint (NATIVE, Suspend Savepoint)` or
 * `checkpoint (FORWARD_BACKWARD, retained on cancel)`.
 *
 * Checkpoints name their retention as Flink's `CheckpointRetentionPolicy` sets the discard flags:
 * `retained on cancel` (RETAIN_ON_CANCELLATION), `retained on failure` (RETAIN_ON_FAILURE),
 * `not retained` (NEVER_RETAIN_AFTER_TERMINATION), else the list of kept cases; a non-default
 * checkpoint name (`Full Checkpoint`) is prefixed. `forced` (checkpoints only) and `unclaimed` are
 * appended when true.
 */
export function describeProperties(p: CheckpointProperties): string {
	const t = p.checkpointType;
	const parts: string[] = [];
	let head: string;
	if (t === null) {
		head = 'unknown snapshot type';
	} else if (t.kind === 'savepoint') {
		head = 'savepoint';
		parts.push(t.formatType, t.name);
	} else {
		head = 'checkpoint';
		if (t.name !== 'Checkpoint') parts.push(t.name);
		parts.push(t.sharingFilesStrategy);
	}
	if (t === null || t.kind === 'checkpoint') {
		const kept = (
			[
				['cancel', p.discardCancelled],
				['failure', p.discardFailed],
				['finish', p.discardFinished],
				['subsume', p.discardSubsumed],
				['suspend', p.discardSuspended],
			] as const
		)
			.filter(([, discard]) => !discard)
			.map(([when]) => when);
		const key = kept.join(',');
		if (key === '') parts.push('not retained');
		else if (key === 'cancel,failure,suspend') parts.push('retained on cancel');
		else if (key === 'failure,suspend') parts.push('retained on failure');
		else parts.push(`retained on ${kept.join('/')}`);
		if (p.forced) parts.push('forced');
	}
	if (p.unclaimed === true) parts.push('unclaimed');
	return `${head} (${parts.join(', ')})`;
}
