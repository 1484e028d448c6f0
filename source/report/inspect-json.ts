/**
 * `fcx inspect <_metadata…> --json` (or the directories holding them): everything a `_metadata` file
 * holds, as JSON, lossless for numbers. The text tree is `inspect-text.ts`.
 *
 * JSON conventions: Java `long` values that are not safe integers (`bigint` in the model) are
 * strings; safe ones stay numbers. Inline byte arrays are not dumped: they become
 * `{length, preview}` with a hex preview of the first {@link PREVIEW_BYTES} bytes. Every state
 * handle carries its tag and its Flink class name (`class`).
 *
 * Over 400 lines: one JSON function per handle family of `metadata/types.ts`, kept beside the
 * conventions they share; the streaming writer is `inspect-json-chunks.ts`.
 */
import {describeFormatVersion} from '../metadata/versions.js';
import type {
	AnyChannelStateHandle,
	CheckpointProperties,
	FileReference,
	I64,
	KeyGroupRange,
	KeyedStateHandle,
	OperatorState,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	OperatorSubtaskState,
	ReadResult,
	StreamStateHandle,
} from '../metadata/types.js';
import {summariseProperties, type ReportProperties} from './json.js';

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

/** The JSON form of `fcx inspect` for one file. */
export interface InspectJson {
	/** The `_metadata` path as given. */
	path: string;
	version: number;
	/** What the version means (which Flink writes it; V7 is marked as unreleased). */
	versionDescription: string;
	checkpointId: JsonI64;
	layout: {channelState: string; changelog: string};
	/** Versions 0/1: why the body is not decoded. */
	legacy?: string;
	/** V4+ trailer; `undefined` for V2/V3. */
	properties?: {
		/** Summary, `null` when `TC_NULL` or undecodable. */
		summary: ReportProperties | null;
		/** All decoded fields, `null` when `TC_NULL` or undecodable. */
		decoded: CheckpointProperties | null;
		/** Length of the raw Java-serialization bytes, when kept. */
		rawLength?: number;
		error?: string;
	};
	masterStates: {name: string; version: number; payload: JsonBytes}[];
	operators: JsonHandle[];
	/** The flat list of file references, in file order. */
	references: {[key: string]: unknown}[];
	/** Totals over `references`. */
	referenceSummary: {total: number; byHandle: Record<string, number>; distinctPaths: number; bytes: number};
}

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

function rangeJson(range: KeyGroupRange): {start: number; end: number; count: number} {
	return {start: range.startKeyGroup, end: range.startKeyGroup + range.numberOfKeyGroups - 1, count: range.numberOfKeyGroups};
}

function stateInfoJson(info: OperatorStateMetaInfo): {[key: string]: unknown} {
	return {
		name: info.name,
		mode: DISTRIBUTION_MODES[info.distributionMode] ?? `UNKNOWN(${info.distributionMode})`,
		distributionMode: info.distributionMode,
		offsets: info.offsets.map(jsonI64),
	};
}

/** JSON of a stream state handle (tag 0 → `null`). */
export function streamHandleJson(handle: StreamStateHandle | null): JsonHandle {
	if (!handle) {
		return null;
	}

	// Object literals, not spreads of a common head: a big `_metadata` has 100,000s of handles.
	switch (handle.tag) {
		case 1: {
			return {tag: 1, class: HANDLE_CLASSES[1], name: handle.name, data: jsonBytes(handle.data)};
		}

		case 2: {
			return {tag: 2, class: HANDLE_CLASSES[2], path: handle.path, size: jsonI64(handle.size)};
		}

		case 6: {
			return {tag: 6, class: HANDLE_CLASSES[6], relativePath: handle.relativePath, size: jsonI64(handle.size)};
		}

		case 3: {
			return {
				tag: 3,
				class: HANDLE_CLASSES[3],
				keyGroupRange: rangeJson(handle.keyGroupRange),
				offsets: handle.offsets.map(jsonI64),
				delegate: streamHandleJson(handle.delegate),
			};
		}

		case 15: {
			return {
				tag: 15,
				class: HANDLE_CLASSES[15],
				physicalFilePath: handle.physicalFilePath,
				startPos: jsonI64(handle.startPos),
				size: jsonI64(handle.size),
				scope: SCOPES[handle.scope] ?? `UNKNOWN(${handle.scope})`,
				logicalFileId: handle.logicalFileId,
			};
		}

		case 16: {
			return {tag: 16, class: HANDLE_CLASSES[16]};
		}
	}
}

function handleListJson(list: {localPath: string; handle: StreamStateHandle | null}[]): {[key: string]: unknown}[] {
	return list.map((entry) => ({localPath: entry.localPath, handle: streamHandleJson(entry.handle)}));
}

/** JSON of a keyed state handle (tag 0 → `null`). */
export function keyedHandleJson(handle: KeyedStateHandle | null): JsonHandle {
	if (!handle) {
		return null;
	}

	const head = {tag: handle.tag, class: HANDLE_CLASSES[handle.tag] ?? 'unknown', keyGroupRange: rangeJson(handle.keyGroupRange)};
	const optional = (key: string, value: I64 | string | undefined): {[key: string]: unknown} =>
		value === undefined ? {} : {[key]: typeof value === 'string' ? value : jsonI64(value)};
	switch (handle.tag) {
		case 3:
		case 7:
		case 12: {
			return {...head, offsets: handle.offsets.map(jsonI64), delegate: streamHandleJson(handle.delegate), ...optional('stateHandleId', handle.stateHandleId)};
		}

		case 5:
		case 11: {
			// Literals, not spreads (one per subtask of a big incremental checkpoint); `checkpointedSize`
			// keeps its place when present.
			const checkpointId = jsonI64(handle.checkpointId);
			const metaState = streamHandleJson(handle.metaState);
			const sharedState = handleListJson(handle.sharedState);
			const privateState = handleListJson(handle.privateState);
			const out: {[key: string]: unknown} =
				handle.checkpointedSize === undefined
					? {
							tag: head.tag,
							class: head.class,
							keyGroupRange: head.keyGroupRange,
							checkpointId,
							backendId: handle.backendId,
							metaState,
							sharedState,
							privateState,
						}
					: {
							tag: head.tag,
							class: head.class,
							keyGroupRange: head.keyGroupRange,
							checkpointId,
							backendId: handle.backendId,
							checkpointedSize: jsonI64(handle.checkpointedSize),
							metaState,
							sharedState,
							privateState,
						};
			if (handle.stateHandleId !== undefined) out.stateHandleId = handle.stateHandleId;
			return out;
		}

		case 8:
		case 14: {
			return {
				...head,
				...optional('checkpointedSize', handle.checkpointedSize),
				materialized: handle.materialized.map(keyedHandleJson),
				nonMaterialized: handle.nonMaterialized.map(keyedHandleJson),
				...optional('materializationId', handle.materializationId),
				...optional('checkpointId', handle.checkpointId),
				...optional('stateHandleId', handle.stateHandleId),
			};
		}

		case 9: {
			return {
				...head,
				from: jsonI64(handle.from),
				to: jsonI64(handle.to),
				changes: handle.changes.map((change) => ({keyGroup: change.keyGroup, data: jsonBytes(change.data)})),
				...optional('stateHandleId', handle.stateHandleId),
			};
		}

		case 10:
		case 13: {
			return {
				...head,
				handles: handle.handles.map((entry) => ({offset: jsonI64(entry.offset), handle: streamHandleJson(entry.handle)})),
				size: jsonI64(handle.size),
				...optional('checkpointedSize', handle.checkpointedSize),
				...optional('stateHandleId', handle.stateHandleId),
				...optional('storageIdentifier', handle.storageIdentifier),
			};
		}
	}
}

/** JSON of an operator state handle (`null` slot → `null`; `{tag: 0}` kept as a null handle with the flag set). */
export function operatorHandleJson(handle: OperatorStateHandle | null): JsonHandle {
	if (!handle) {
		return null;
	}

	switch (handle.tag) {
		case 0: {
			return {tag: 0, class: 'null'};
		}

		case 4: {
			return {tag: 4, class: HANDLE_CLASSES[4], states: handle.states.map(stateInfoJson), delegate: streamHandleJson(handle.delegate)};
		}

		case 17: {
			return {
				tag: 17,
				class: handle.isEmpty ? 'EmptyFileMergingOperatorStreamStateHandle' : HANDLE_CLASSES[17],
				states: handle.states.map(stateInfoJson),
				taskOwnedDirectory: handle.taskOwnedDirectory,
				sharedDirectory: handle.sharedDirectory,
				isEmpty: handle.isEmpty,
				delegate: streamHandleJson(handle.delegate),
			};
		}
	}
}

/** JSON of a channel-state handle. */
export function channelHandleJson(handle: AnyChannelStateHandle): {[key: string]: unknown} {
	if (handle.type === 'merged') {
		return {
			type: 'merged',
			subtaskIndex: handle.subtaskIndex,
			totalSize: jsonI64(handle.totalSize),
			delegate: streamHandleJson(handle.delegate),
			channels: handle.channels.map((channel) => ({info: [...channel.info], size: jsonI64(channel.size), offsets: channel.offsets.map(jsonI64)})),
		};
	}

	return {
		type: 'single',
		...(handle.subtaskIndex === undefined ? {} : {subtaskIndex: handle.subtaskIndex}),
		info: [...handle.info],
		offsets: handle.offsets.map(jsonI64),
		size: jsonI64(handle.size),
		delegate: streamHandleJson(handle.delegate),
	};
}

function subtaskStateJson(state: OperatorSubtaskState): {[key: string]: unknown} {
	const out: {[key: string]: unknown} = {
		managedOperatorState: operatorHandleJson(state.managedOperatorState),
		rawOperatorState: operatorHandleJson(state.rawOperatorState),
		managedKeyedState: keyedHandleJson(state.managedKeyedState),
		rawKeyedState: keyedHandleJson(state.rawKeyedState),
		inputChannelState: state.inputChannelState.map(channelHandleJson),
		resultSubpartitionState: state.resultSubpartitionState.map(channelHandleJson),
	};
	if (state.legacyDuration !== undefined) {
		out.legacyDuration = jsonI64(state.legacyDuration);
	}

	if (state.legacyOperatorState !== undefined) {
		out.legacyOperatorState = state.legacyOperatorState.map(streamHandleJson);
	}

	if (state.refCheckpointId !== undefined) {
		out.refCheckpointId = state.refCheckpointId === null ? null : jsonI64(state.refCheckpointId);
	}

	return out;
}

/** JSON of one operator and its subtasks (an element of {@link InspectJson.operators}). */
export function operatorJson(operator: OperatorState): {[key: string]: unknown} {
	return {
		operatorId: operator.operatorId,
		name: operator.name ? operator.name : null,
		uid: operator.uid ? operator.uid : null,
		parallelism: operator.parallelism,
		maxParallelism: operator.maxParallelism,
		...(operator.chainLength === undefined ? {} : {chainLength: operator.chainLength}),
		coordinatorState: streamHandleJson(operator.coordinatorState),
		fullyFinished: operator.fullyFinished,
		subtasks: operator.subtasks.map((entry) =>
			entry.finished
				? {subtaskIndex: entry.subtaskIndex, finished: true}
				: {subtaskIndex: entry.subtaskIndex, finished: false, state: subtaskStateJson(entry.state)},
		),
	};
}

/** JSON of one file reference (an element of {@link InspectJson.references}). */
export function referenceJson(reference: FileReference): {[key: string]: unknown} {
	const out: {[key: string]: unknown} = {
		handle: reference.handle,
		path: reference.path,
		size: reference.size,
	};
	if (reference.startPos !== undefined) {
		out.startPos = reference.startPos;
	}

	if (reference.scope !== undefined) {
		out.scope = reference.scope;
	}

	out.operatorId = reference.operatorId;
	out.subtaskIndex = reference.subtaskIndex;
	out.slot = reference.slot;
	out.role = reference.role;
	if (reference.localPath !== undefined) {
		out.localPath = reference.localPath;
	}

	return out;
}

/** Counts of the file references of a `_metadata` by handle kind, and its distinct paths. */
export function referenceSummary(references: readonly FileReference[]): InspectJson['referenceSummary'] {
	const byHandle: Record<string, number> = {};
	const paths = new Set<string>();
	let bytes = 0;
	for (const reference of references) {
		byHandle[reference.handle] = (byHandle[reference.handle] ?? 0) + 1;
		if (reference.handle !== 'inline') {
			paths.add(reference.path);
		}

		if (reference.size > 0) {
			bytes += reference.size;
		}
	}

	return {total: references.length, byHandle, distinctPaths: paths.size, bytes};
}

/**
 * Everything parsed from one `_metadata` as a JSON-able object. `JSON.stringify` never throws on
 * it (no bigint, no typed arrays). `inspectJsonChunks` writes the same text without building it.
 */
export function inspectToJson(path: string, result: ReadResult): InspectJson {
	// Assigning keys the shell has keeps their place: the key order stays the shell's.
	return {...inspectJsonShell(path, result), operators: result.metadata.operators.map(operatorJson), references: result.references.map(referenceJson)};
}

/**
 * {@link inspectToJson} with `operators` and `references` left empty (their keys in place), for a
 * writer that renders those two, the bulk of a big file, element by element.
 */
export function inspectJsonShell(path: string, result: ReadResult): InspectJson {
	const {metadata, references} = result;
	const out: InspectJson = {
		path,
		version: metadata.version,
		versionDescription: describeFormatVersion(metadata.version),
		checkpointId: jsonI64(metadata.checkpointId),
		layout: {channelState: metadata.layout.channelState, changelog: metadata.layout.changelog},
		masterStates: metadata.masterStates.map((state) => ({name: state.name, version: state.version, payload: jsonBytes(state.payload)})),
		operators: [],
		references: [],
		referenceSummary: referenceSummary(references),
	};

	if (metadata.legacy !== undefined) {
		out.legacy = metadata.legacy;
	}

	if (metadata.trailer) {
		const {trailer} = metadata;
		out.properties = {
			summary: summariseProperties(trailer.properties),
			decoded: trailer.properties
				? {...trailer.properties, checkpointType: trailer.properties.checkpointType ? {...trailer.properties.checkpointType} : null}
				: null,
			...(trailer.raw === undefined ? {} : {rawLength: trailer.raw.length}),
		};
	}

	return out;
}
