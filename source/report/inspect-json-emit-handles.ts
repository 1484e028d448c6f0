/**
 * The state handles of `fcx inspect --json` (stream, keyed, operator and channel-state handles)
 * written straight into a {@link JsonBytesWriter}: the same text as `JSON.stringify` of
 * `inspect-json-handles.ts`'s objects (same keys, same order, same optional members), without
 * building them. Operators, subtasks and references are `inspect-json-emit.ts`'s.
 */
import type {
	AnyChannelStateHandle,
	HandleAndLocalPath,
	I64,
	KeyedStateHandle,
	KeyGroupRange,
	OperatorStateHandle,
	OperatorStateMetaInfo,
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
export function optionalI64(w: JsonBytesWriter, name: string, value: I64 | undefined): void {
	if (value !== undefined) i64Member(w, name, value);
}

/** An optional string member: nothing when `value` is undefined. */
export function optionalString(w: JsonBytesWriter, name: string, value: string | undefined): void {
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
