/**
 * The state handles, operators and file references of `fcx inspect --json` written straight into a
 * {@link JsonBytesWriter}: the same text as `JSON.stringify` of `inspect-json-handles.ts`'s objects
 * (the model: same keys, same order, same optional members), without building them. A 16 MB
 * `_metadata` has 100,000s of handles; the objects and the generic walk over them were most of
 * `inspect --json`'s time. `test/report/inspect-json-chunks.test.ts` holds the two to the same text.
 */
import type {
	AnyChannelStateHandle,
	FileReference,
	HandleAndLocalPath,
	I64,
	KeyedStateHandle,
	KeyGroupRange,
	OperatorState,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	OperatorSubtaskState,
	StreamStateHandle,
} from '../metadata/types.js';
import {DISTRIBUTION_MODES, hex, HANDLE_CLASSES, PREVIEW_BYTES, SCOPES} from './inspect-json-values.js';
import type {JsonBytesWriter} from './inspect-json-writer.js';

/** `{tag, class` of a handle object (its other members follow). */
function head(w: JsonBytesWriter, tag: number, className: string): void {
	w.begin('{');
	w.key('tag');
	w.number(tag);
	w.key('class');
	w.string(className);
}

function i64Member(w: JsonBytesWriter, name: string, value: I64): void {
	w.key(name);
	w.i64(value);
}

/** An optional member: nothing when `value` is undefined (as `JSON.stringify` leaves it out). */
function optionalI64(w: JsonBytesWriter, name: string, value: I64 | undefined): void {
	if (value !== undefined) i64Member(w, name, value);
}

function optionalString(w: JsonBytesWriter, name: string, value: string | undefined): void {
	if (value === undefined) return;
	w.key(name);
	w.string(value);
}

function i64Array(w: JsonBytesWriter, values: readonly I64[]): void {
	w.begin('[');
	for (const value of values) {
		w.item();
		w.i64(value);
	}
	w.end(']');
}

/** `jsonBytes`: `{length, preview, truncated}`. */
function bytes(w: JsonBytesWriter, data: Uint8Array): void {
	w.begin('{');
	w.key('length');
	w.number(data.length);
	w.key('preview');
	w.string(hex(data.subarray(0, PREVIEW_BYTES)));
	w.key('truncated');
	w.boolean(data.length > PREVIEW_BYTES);
	w.end('}');
}

function range(w: JsonBytesWriter, keyGroupRange: KeyGroupRange): void {
	w.key('keyGroupRange');
	w.begin('{');
	w.key('start');
	w.number(keyGroupRange.startKeyGroup);
	w.key('end');
	w.number(keyGroupRange.startKeyGroup + keyGroupRange.numberOfKeyGroups - 1);
	w.key('count');
	w.number(keyGroupRange.numberOfKeyGroups);
	w.end('}');
}

/** `streamHandleJson` (tag 0 → `null`). */
export function writeStreamHandle(w: JsonBytesWriter, handle: StreamStateHandle | null): void {
	if (!handle) {
		w.null();
		return;
	}
	head(w, handle.tag, HANDLE_CLASSES[handle.tag]);
	switch (handle.tag) {
		case 1: {
			optionalString(w, 'name', handle.name);
			w.key('data');
			bytes(w, handle.data);
			break;
		}
		case 2: {
			optionalString(w, 'path', handle.path);
			i64Member(w, 'size', handle.size);
			break;
		}
		case 6: {
			optionalString(w, 'relativePath', handle.relativePath);
			i64Member(w, 'size', handle.size);
			break;
		}
		case 3: {
			range(w, handle.keyGroupRange);
			w.key('offsets');
			i64Array(w, handle.offsets);
			w.key('delegate');
			writeStreamHandle(w, handle.delegate);
			break;
		}
		case 15: {
			optionalString(w, 'physicalFilePath', handle.physicalFilePath);
			i64Member(w, 'startPos', handle.startPos);
			i64Member(w, 'size', handle.size);
			w.key('scope');
			w.string(SCOPES[handle.scope] ?? `UNKNOWN(${handle.scope})`);
			optionalString(w, 'logicalFileId', handle.logicalFileId);
			break;
		}
		case 16: {
			break;
		}
	}
	w.end('}');
}

function handleList(w: JsonBytesWriter, list: readonly HandleAndLocalPath[]): void {
	w.begin('[');
	for (const entry of list) {
		w.item();
		w.begin('{');
		optionalString(w, 'localPath', entry.localPath);
		w.key('handle');
		writeStreamHandle(w, entry.handle);
		w.end('}');
	}
	w.end(']');
}

function keyedHandles(w: JsonBytesWriter, handles: readonly (KeyedStateHandle | null)[]): void {
	w.begin('[');
	for (const handle of handles) {
		w.item();
		writeKeyedHandle(w, handle);
	}
	w.end(']');
}

/** `keyedHandleJson` (tag 0 → `null`). */
// One case per handle family, as in keyedHandleJson: splitting it would only scatter the key order.
export function writeKeyedHandle(w: JsonBytesWriter, handle: KeyedStateHandle | null): void {
	if (!handle) {
		w.null();
		return;
	}
	head(w, handle.tag, HANDLE_CLASSES[handle.tag] ?? 'unknown');
	range(w, handle.keyGroupRange);
	switch (handle.tag) {
		case 3:
		case 7:
		case 12: {
			w.key('offsets');
			i64Array(w, handle.offsets);
			w.key('delegate');
			writeStreamHandle(w, handle.delegate);
			optionalString(w, 'stateHandleId', handle.stateHandleId);
			break;
		}
		case 5:
		case 11: {
			i64Member(w, 'checkpointId', handle.checkpointId);
			optionalString(w, 'backendId', handle.backendId);
			optionalI64(w, 'checkpointedSize', handle.checkpointedSize);
			w.key('metaState');
			writeStreamHandle(w, handle.metaState);
			w.key('sharedState');
			handleList(w, handle.sharedState);
			w.key('privateState');
			handleList(w, handle.privateState);
			optionalString(w, 'stateHandleId', handle.stateHandleId);
			break;
		}
		case 8:
		case 14: {
			optionalI64(w, 'checkpointedSize', handle.checkpointedSize);
			w.key('materialized');
			keyedHandles(w, handle.materialized);
			w.key('nonMaterialized');
			keyedHandles(w, handle.nonMaterialized);
			optionalI64(w, 'materializationId', handle.materializationId);
			optionalI64(w, 'checkpointId', handle.checkpointId);
			optionalString(w, 'stateHandleId', handle.stateHandleId);
			break;
		}
		case 9: {
			i64Member(w, 'from', handle.from);
			i64Member(w, 'to', handle.to);
			w.key('changes');
			w.begin('[');
			for (const change of handle.changes) {
				w.item();
				w.begin('{');
				w.key('keyGroup');
				w.number(change.keyGroup);
				w.key('data');
				bytes(w, change.data);
				w.end('}');
			}
			w.end(']');
			optionalString(w, 'stateHandleId', handle.stateHandleId);
			break;
		}
		case 10:
		case 13: {
			w.key('handles');
			w.begin('[');
			for (const entry of handle.handles) {
				w.item();
				w.begin('{');
				i64Member(w, 'offset', entry.offset);
				w.key('handle');
				writeStreamHandle(w, entry.handle);
				w.end('}');
			}
			w.end(']');
			i64Member(w, 'size', handle.size);
			optionalI64(w, 'checkpointedSize', handle.checkpointedSize);
			optionalString(w, 'stateHandleId', handle.stateHandleId);
			optionalString(w, 'storageIdentifier', handle.storageIdentifier);
			break;
		}
	}
	w.end('}');
}

function stateInfos(w: JsonBytesWriter, states: readonly OperatorStateMetaInfo[]): void {
	w.key('states');
	w.begin('[');
	for (const info of states) {
		w.item();
		w.begin('{');
		optionalString(w, 'name', info.name);
		w.key('mode');
		w.string(DISTRIBUTION_MODES[info.distributionMode] ?? `UNKNOWN(${info.distributionMode})`);
		w.key('distributionMode');
		w.number(info.distributionMode);
		w.key('offsets');
		i64Array(w, info.offsets);
		w.end('}');
	}
	w.end(']');
}

/** `operatorHandleJson` (`null` slot → `null`; `{tag: 0}` → `{tag: 0, class: 'null'}`). */
export function writeOperatorHandle(w: JsonBytesWriter, handle: OperatorStateHandle | null): void {
	if (!handle) {
		w.null();
		return;
	}
	switch (handle.tag) {
		case 0: {
			head(w, 0, 'null');
			break;
		}
		case 4: {
			head(w, 4, HANDLE_CLASSES[4]);
			stateInfos(w, handle.states);
			w.key('delegate');
			writeStreamHandle(w, handle.delegate);
			break;
		}
		case 17: {
			head(w, 17, handle.isEmpty ? 'EmptyFileMergingOperatorStreamStateHandle' : HANDLE_CLASSES[17]);
			stateInfos(w, handle.states);
			optionalString(w, 'taskOwnedDirectory', handle.taskOwnedDirectory);
			optionalString(w, 'sharedDirectory', handle.sharedDirectory);
			w.key('isEmpty');
			w.boolean(handle.isEmpty);
			w.key('delegate');
			writeStreamHandle(w, handle.delegate);
			break;
		}
	}
	w.end('}');
}

function channelInfo(w: JsonBytesWriter, info: readonly [number, number]): void {
	w.key('info');
	w.begin('[');
	for (const value of info) {
		w.item();
		w.number(value);
	}
	w.end(']');
}

/** `channelHandleJson`. */
export function writeChannelHandle(w: JsonBytesWriter, handle: AnyChannelStateHandle): void {
	w.begin('{');
	w.key('type');
	if (handle.type === 'merged') {
		w.string('merged');
		w.key('subtaskIndex');
		w.number(handle.subtaskIndex);
		i64Member(w, 'totalSize', handle.totalSize);
		w.key('delegate');
		writeStreamHandle(w, handle.delegate);
		w.key('channels');
		w.begin('[');
		for (const channel of handle.channels) {
			w.item();
			w.begin('{');
			channelInfo(w, channel.info);
			i64Member(w, 'size', channel.size);
			w.key('offsets');
			i64Array(w, channel.offsets);
			w.end('}');
		}
		w.end(']');
	} else {
		w.string('single');
		if (handle.subtaskIndex !== undefined) {
			w.key('subtaskIndex');
			w.number(handle.subtaskIndex);
		}
		channelInfo(w, handle.info);
		w.key('offsets');
		i64Array(w, handle.offsets);
		i64Member(w, 'size', handle.size);
		w.key('delegate');
		writeStreamHandle(w, handle.delegate);
	}
	w.end('}');
}

function channelHandles(w: JsonBytesWriter, name: string, handles: readonly AnyChannelStateHandle[]): void {
	w.key(name);
	w.begin('[');
	for (const handle of handles) {
		w.item();
		writeChannelHandle(w, handle);
	}
	w.end(']');
}

function subtaskState(w: JsonBytesWriter, state: OperatorSubtaskState): void {
	w.begin('{');
	w.key('managedOperatorState');
	writeOperatorHandle(w, state.managedOperatorState);
	w.key('rawOperatorState');
	writeOperatorHandle(w, state.rawOperatorState);
	w.key('managedKeyedState');
	writeKeyedHandle(w, state.managedKeyedState);
	w.key('rawKeyedState');
	writeKeyedHandle(w, state.rawKeyedState);
	channelHandles(w, 'inputChannelState', state.inputChannelState);
	channelHandles(w, 'resultSubpartitionState', state.resultSubpartitionState);
	optionalI64(w, 'legacyDuration', state.legacyDuration);
	if (state.legacyOperatorState !== undefined) {
		w.key('legacyOperatorState');
		w.begin('[');
		for (const handle of state.legacyOperatorState) {
			w.item();
			writeStreamHandle(w, handle);
		}
		w.end(']');
	}
	if (state.refCheckpointId !== undefined) {
		w.key('refCheckpointId');
		if (state.refCheckpointId === null) w.null();
		else w.i64(state.refCheckpointId);
	}
	w.end('}');
}

/**
 * `operatorJson` of one operator, pausing after each subtask once `w` holds `chunkSize` characters
 * or more (an operator of a big incremental checkpoint is tens of megabytes of JSON): yields
 * nothing, the caller takes the text then.
 */
export function* writeOperator(w: JsonBytesWriter, operator: OperatorState, chunkSize: number): Generator<void, void, undefined> {
	w.begin('{');
	w.key('operatorId');
	w.string(operator.operatorId);
	w.key('name');
	if (operator.name) w.string(operator.name);
	else w.null();
	w.key('uid');
	if (operator.uid) w.string(operator.uid);
	else w.null();
	w.key('parallelism');
	w.number(operator.parallelism);
	w.key('maxParallelism');
	w.number(operator.maxParallelism);
	if (operator.chainLength !== undefined) {
		w.key('chainLength');
		w.number(operator.chainLength);
	}
	w.key('coordinatorState');
	writeStreamHandle(w, operator.coordinatorState);
	w.key('fullyFinished');
	w.boolean(operator.fullyFinished);
	w.key('subtasks');
	w.begin('[');
	for (const entry of operator.subtasks) {
		w.item();
		w.begin('{');
		w.key('subtaskIndex');
		w.number(entry.subtaskIndex);
		w.key('finished');
		w.boolean(entry.finished);
		if (!entry.finished) {
			w.key('state');
			subtaskState(w, entry.state);
		}
		w.end('}');
		if (w.length >= chunkSize) yield;
	}
	w.end(']');
	w.end('}');
}

/** `referenceJson`: one element of `references`. */
export function writeReference(w: JsonBytesWriter, reference: FileReference): void {
	w.begin('{');
	w.key('handle');
	w.string(reference.handle);
	w.key('path');
	w.string(reference.path);
	w.key('size');
	w.number(reference.size);
	if (reference.startPos !== undefined) {
		w.key('startPos');
		w.number(reference.startPos);
	}
	optionalString(w, 'scope', reference.scope);
	w.key('operatorId');
	w.string(reference.operatorId);
	w.key('subtaskIndex');
	if (reference.subtaskIndex === null) w.null();
	else w.number(reference.subtaskIndex);
	w.key('slot');
	w.string(reference.slot);
	w.key('role');
	w.string(reference.role);
	optionalString(w, 'localPath', reference.localPath);
	w.end('}');
}
