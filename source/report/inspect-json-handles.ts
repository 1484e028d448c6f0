/**
 * The JSON of every state handle family of `metadata/types.ts` (stream, keyed, operator and
 * channel-state handles, subtask and operator states) for `fcx inspect --json`, each with its tag
 * and its Flink class name; conventions in `inspect-json-values.ts`.
 */
import type {
	AnyChannelStateHandle,
	I64,
	KeyGroupRange,
	KeyedStateHandle,
	OperatorState,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	OperatorSubtaskState,
	StreamStateHandle,
} from '../metadata/types.js';
import {DISTRIBUTION_MODES, HANDLE_CLASSES, jsonBytes, jsonI64, SCOPES, type JsonHandle} from './inspect-json-values.js';

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
