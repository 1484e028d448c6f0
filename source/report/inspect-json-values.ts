/**
 * The JSON conventions of `fcx inspect --json`: Java longs (numbers when safe, else decimal
 * strings), inline bytes as `{length, preview}`, and the names of Flink's enums and handle classes.
 */
import type {I64} from '../metadata/types.js';

/** Number of bytes shown in hex previews of inline data. */
export const PREVIEW_BYTES = 16;

/** A Java `long` in JSON: a number when safe, else its decimal string. */
export type JsonI64 = number | string;

/** Inline bytes in JSON: the length and a hex preview of the first bytes. */
export interface JsonBytes {
	length: number;
	/** Lowercase hex of the first {@link PREVIEW_BYTES} bytes. */
	preview: string;
	/** Whether `preview` is shorter than the data. */
	truncated: boolean;
}

/** A state handle, channel handle or nested structure in JSON form (`tag`, `class`, fields). */
export type JsonHandle = {[key: string]: unknown} | null;

/** `OperatorStateHandle.Mode` names by ordinal. */
export const DISTRIBUTION_MODES = ['SPLIT_DISTRIBUTE', 'UNION', 'BROADCAST'] as const;

/** `CheckpointedStateScope` names by ordinal. */
export const SCOPES = ['EXCLUSIVE', 'SHARED'] as const;

/** Flink class name of each handle tag (docs/format.md#state-handles). */
export const HANDLE_CLASSES: Record<number, string> = {
	0: 'null',
	1: 'ByteStreamStateHandle',
	2: 'FileStateHandle',
	3: 'KeyGroupsStateHandle',
	4: 'OperatorStreamStateHandle',
	5: 'IncrementalRemoteKeyedStateHandle',
	6: 'RelativeFileStateHandle',
	7: 'KeyGroupsSavepointStateHandle',
	8: 'ChangelogStateBackendHandle',
	9: 'InMemoryChangelogStateHandle',
	10: 'ChangelogStateHandleStreamImpl',
	11: 'IncrementalRemoteKeyedStateHandle',
	12: 'KeyGroupsStateHandle',
	13: 'ChangelogStateHandleStreamImpl',
	14: 'ChangelogStateBackendHandle',
	15: 'SegmentFileStateHandle',
	16: 'EmptySegmentFileStateHandle',
	17: 'FileMergingOperatorStreamStateHandle',
};

/** A Java long for JSON: numbers stay numbers, bigints become decimal strings. */
export function jsonI64(value: I64): JsonI64 {
	return typeof value === 'bigint' ? value.toString() : value;
}

/** Lower-case hex of `bytes` (inline-data previews). */
export function hex(bytes: Uint8Array): string {
	let out = '';
	for (const byte of bytes) {
		out += byte.toString(16).padStart(2, '0');
	}

	return out;
}

/** Length plus a short hex preview of inline bytes. */
export function jsonBytes(bytes: Uint8Array): JsonBytes {
	return {
		length: bytes.length,
		preview: hex(bytes.subarray(0, PREVIEW_BYTES)),
		truncated: bytes.length > PREVIEW_BYTES,
	};
}
