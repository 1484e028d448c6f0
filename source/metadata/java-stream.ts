/**
 * The Java Object Serialization Stream Protocol (Java Object Serialization Specification, chapter 6),
 * the subset Flink's `CheckpointProperties` trailer needs: its constants and the generic object model
 * the decoder (`java-stream-decoder.ts`) produces. Nothing here knows Flink's classes; their mapping
 * is `properties-trailer.ts`.
 */
import {decodeModifiedUtf8} from './cursor.js';

// ---------------------------------------------------------------------------------------------
// Protocol constants (java.io.ObjectStreamConstants).
// ---------------------------------------------------------------------------------------------

export const STREAM_MAGIC = 0xaced;
export const STREAM_VERSION = 5;
export const MAGIC_BYTES = [0xac, 0xed, 0x00, 0x05];

export const TC_NULL = 0x70;
export const TC_REFERENCE = 0x71;
export const TC_CLASSDESC = 0x72;
export const TC_OBJECT = 0x73;
export const TC_STRING = 0x74;
export const TC_ARRAY = 0x75;
export const TC_CLASS = 0x76;
export const TC_BLOCKDATA = 0x77;
export const TC_ENDBLOCKDATA = 0x78;
export const TC_RESET = 0x79;
export const TC_BLOCKDATALONG = 0x7a;
export const TC_EXCEPTION = 0x7b;
export const TC_LONGSTRING = 0x7c;
export const TC_PROXYCLASSDESC = 0x7d;
export const TC_ENUM = 0x7e;

export const BASE_WIRE_HANDLE = 0x7e0000;

export const SC_WRITE_METHOD = 0x01;
export const SC_SERIALIZABLE = 0x02;
export const SC_EXTERNALIZABLE = 0x04;
export const SC_BLOCK_DATA = 0x08;
export const SC_ENUM = 0x10;

/** Nesting depth limit of the generic decoder (objects inside objects, descriptors inside descriptors). */
export const MAX_DEPTH = 64;
/** Limit on handles (objects, strings, descriptors, enums, arrays) in one trailer. */
export const MAX_HANDLES = 10_000;

export const TYPE_CODE_NAMES: Record<number, string> = {
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

export function typeCodeName(tc: number): string {
	return `0x${tc.toString(16).padStart(2, '0')}${tc in TYPE_CODE_NAMES ? ` (${TYPE_CODE_NAMES[tc]})` : ''}`;
}

/** Bytes of each primitive field typecode. */
export const PRIMITIVE_SIZES: Record<string, number> = {B: 1, C: 2, D: 8, F: 4, I: 4, J: 8, S: 2, Z: 1};

// ---------------------------------------------------------------------------------------------
// Generic object model of the decoder.
// ---------------------------------------------------------------------------------------------

export interface JavaField {
	/** Typecode: one of `BCDFIJSZ`, `L` or `[`. */
	code: string;
	name: string;
	/** JVM type signature of `L` and `[` fields. */
	signature?: string;
}

export interface JavaClassDesc {
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

export interface JavaClassData {
	desc: JavaClassDesc;
	values: Map<string, JavaValue>;
	/** Block data and objects written by `writeObject` / `writeExternal`. */
	annotations: JavaAnnotation[];
}

export interface JavaObject {
	kind: 'object';
	desc: JavaClassDesc;
	/** One entry per serializable class, from the topmost superclass down. */
	classData: JavaClassData[];
}

export interface JavaEnum {
	kind: 'enum';
	desc: JavaClassDesc;
	constant: string;
}

export interface JavaArray {
	kind: 'array';
	desc: JavaClassDesc;
	values: JavaValue[];
}

export interface JavaClass {
	kind: 'class';
	desc: JavaClassDesc | null;
}

export interface JavaBlock {
	kind: 'block';
	bytes: Uint8Array;
}

export type JavaValue = null | boolean | number | bigint | string | JavaObject | JavaEnum | JavaArray | JavaClass | JavaClassDesc;
export type JavaAnnotation = JavaValue | JavaBlock;

/** A complete-looking stream that is not what the decoder supports or expects (not a truncation). */
export class ShapeError extends Error {
	readonly at: number;
	constructor(at: number, message: string) {
		super(message);
		this.at = at;
	}
}

/** Decode Java modified UTF-8; malformed input is a {@link ShapeError}. */
export function decodeJavaString(b: Uint8Array, start: number, end: number, what: string): string {
	return decodeModifiedUtf8(b, start, end, (offset, problem) => {
		throw new ShapeError(offset, `malformed modified UTF-8 in ${what} (${problem})`);
	});
}
