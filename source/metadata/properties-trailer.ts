/**
 * The V4+ `_metadata` trailer (docs/format.md#properties-trailer): Flink's `CheckpointProperties`,
 * written by `MetadataV4Serializer` (inherited by V5, V6, V7) as
 * `new ObjectOutputStream(out).writeObject(properties)`. Reading decodes the Java stream with the
 * generic decoder (`java-stream-decoder.ts`) and maps the object graph onto
 * {@link CheckpointProperties}; writing encodes Flink's classes with their real descriptors
 * (`java-stream-encoder.ts`), so that a decoded trailer re-encodes to the identical bytes.
 */
import type {ByteReader} from './cursor.js';
import type {CheckpointProperties, PropertiesTrailer, SnapshotType} from './types.js';
import {MAGIC_BYTES, SC_SERIALIZABLE, ShapeError, TC_NULL, type JavaObject, type JavaValue} from './java-stream.js';
import {StreamDecoder} from './java-stream-decoder.js';
import {StreamEncoder, enumSpec, type ClassSpec} from './java-stream-encoder.js';

// ---------------------------------------------------------------------------------------------
// Flink's classes (docs/format.md#properties-trailer).
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

/**
 * The constants of Flink's enums in the trailer. Java's `ObjectInputStream` resolves an enum by
 * `Enum.valueOf`: any other name (e.g. `FORWARD_BACK\0\0\0\0`, a damaged file whose length
 * still adds up) makes Flink fail to read the `_metadata`, so fcx refuses it too.
 */
const ENUM_CONSTANTS: Readonly<Record<string, readonly string[]>> = {
	[SHARING_FILES_STRATEGY]: ['FORWARD_BACKWARD', 'FORWARD', 'NO_SHARING'],
	[POST_CHECKPOINT_ACTION]: ['NONE', 'SUSPEND', 'TERMINATE'],
	[SAVEPOINT_FORMAT_TYPE]: ['CANONICAL', 'NATIVE'],
};

function enumField(fields: Map<string, JavaValue>, owner: string, field: string, enumClass: string): string {
	const value = fields.get(field);
	if (value === null || value === undefined || typeof value !== 'object' || value.kind !== 'enum' || value.desc.name !== enumClass) {
		throw new Error(`${owner}.${field}: expected an enum constant of ${enumClass}, found ${describeValue(value)}`);
	}
	const constants = ENUM_CONSTANTS[enumClass] ?? [];
	if (!constants.includes(value.constant)) {
		throw new Error(`${owner}.${field}: expected one of ${constants.join(', ')} (${enumClass}), found ${JSON.stringify(value.constant)}`);
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
 * Read the V4+ properties trailer (docs/format.md#properties-trailer; Flink
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
