/**
 * The operators (with their subtasks) and file references of `fcx inspect --json` written straight
 * into a {@link JsonBytesWriter}: the same text as `JSON.stringify` of `inspect-json-handles.ts`'s
 * and `inspect-json.ts`'s objects (the model: same keys, same order, same optional members),
 * without building them; the state handles are `inspect-json-emit-handles.ts`'s. A 16 MB
 * `_metadata` has 100,000s of handles; the objects and the generic walk over them were most of
 * `inspect --json`'s time. `test/report/inspect-json-chunks.test.ts` holds the two to the same text.
 */
import type {AnyChannelStateHandle, FileReference, OperatorState, OperatorSubtaskState} from '../metadata/types.js';
import {optionalI64, optionalString, writeChannelHandle, writeKeyedHandle, writeOperatorHandle, writeStreamHandle} from './inspect-json-emit-handles.js';
import type {JsonBytesWriter} from './inspect-json-writer.js';

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
