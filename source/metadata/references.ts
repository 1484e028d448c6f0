/**
 * The flat list of every file (and file-merging directory, and inline blob) that a `_metadata`
 * model refers to — what the checkpoint-directory analysis works on (docs/format.md#paths-in-the-metadata).
 */
import {ReferenceSink} from './reference-sink.js';
import type {CheckpointMetadata, FileReference, HandleAndLocalPath, KeyedStateHandle, OperatorStateHandle, StreamStateHandle} from './types.js';
import {
	NULL_HANDLE,
	BYTE_STREAM_STATE_HANDLE,
	FILE_STREAM_STATE_HANDLE,
	KEY_GROUPS_HANDLE,
	INCREMENTAL_KEY_GROUPS_HANDLE,
	RELATIVE_STREAM_STATE_HANDLE,
	SAVEPOINT_KEY_GROUPS_HANDLE,
	CHANGELOG_HANDLE,
	CHANGELOG_BYTE_INCREMENT_HANDLE,
	CHANGELOG_FILE_INCREMENT_HANDLE,
	INCREMENTAL_KEY_GROUPS_HANDLE_V2,
	KEY_GROUPS_HANDLE_V2,
	CHANGELOG_FILE_INCREMENT_HANDLE_V2,
	CHANGELOG_HANDLE_V2,
	SEGMENT_FILE_HANDLE,
	EMPTY_SEGMENT_FILE_HANDLE,
	SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE,
} from './tags.js';

/**
 * Every file reference of a parsed `_metadata` model, in file order (not deduplicated: many
 * handles share one file, e.g. the channel state of a subtask or the segments of a physical file).
 *
 * - Tag 1 → `inline` (path = the handle's name label, size = inline data length), tag 2 → `file`,
 *   tag 6 → `relative` (path relative to the directory holding `_metadata`), tag 15 → `segment`
 *   (with `startPos` and `scope`), tag 17 → two `directory` references (`taskOwnedDirectory`,
 *   `exclusive`; `sharedDirectory`, `shared`; size 0). Tag 16 and tag 9 (changes inline in the
 *   handle itself) give none; tags 3/7/12, 4, 5/11, 8/14, 10/13 and channel handles give the
 *   references of the stream handles they contain.
 * - `role`: `delegate` (the data stream of a key-groups, operator-state or segment handle, a
 *   coordinator or legacy stream), `metaState`, `shared` / `private` (incremental lists, with
 *   `localPath`), `channel`, `taskOwnedDirectory` / `sharedDirectory`. Everything below a changelog
 *   backend handle (tags 8/14) is `materialized` or `changelog` by the list it is in.
 * - `size` and `startPos` are numbers of bytes (an i64 beyond 2^53 is rounded; -1 = unknown).
 * - `subtaskIndex` is `null` for coordinator state.
 */
export function collectReferences(metadata: CheckpointMetadata): FileReference[] {
	const sink = new ReferenceSink();
	for (const op of metadata.operators) {
		sink.operatorId = op.operatorId;
		sink.subtaskIndex = null;
		sink.slot = 'coordinatorState';
		stream(sink, op.coordinatorState, 'delegate', undefined);
		for (const entry of op.subtasks) {
			if (entry.finished) continue;
			const s = entry.state;
			sink.subtaskIndex = entry.subtaskIndex;
			if (s.legacyOperatorState !== undefined) {
				sink.slot = 'legacyOperatorState';
				for (const h of s.legacyOperatorState) stream(sink, h, 'delegate', undefined);
			}
			sink.slot = 'managedOperatorState';
			operator(sink, s.managedOperatorState);
			sink.slot = 'rawOperatorState';
			operator(sink, s.rawOperatorState);
			sink.slot = 'managedKeyedState';
			keyed(sink, s.managedKeyedState);
			sink.slot = 'rawKeyedState';
			keyed(sink, s.rawKeyedState);
			sink.slot = 'inputChannelState';
			for (const h of s.inputChannelState) stream(sink, h.delegate, 'channel', undefined);
			sink.slot = 'resultSubpartitionState';
			for (const h of s.resultSubpartitionState) stream(sink, h.delegate, 'channel', undefined);
		}
	}
	return sink.out;
}

function stream(sink: ReferenceSink, h: StreamStateHandle | null, role: string, localPath: string | undefined): void {
	sink.next(role, localPath);
	// Iterative over nested tag-3 stream handles (a chain of delegates).
	while (h !== null) {
		switch (h.tag) {
			case BYTE_STREAM_STATE_HANDLE:
				sink.inline(h.name, h.data.length);
				return;
			case FILE_STREAM_STATE_HANDLE:
				sink.file(h.path, h.size);
				return;
			case RELATIVE_STREAM_STATE_HANDLE:
				sink.relative(h.relativePath, h.size);
				return;
			case SEGMENT_FILE_HANDLE:
				sink.segment(h.physicalFilePath, h.size, h.startPos, h.scope);
				return;
			case EMPTY_SEGMENT_FILE_HANDLE:
				return;
			case KEY_GROUPS_HANDLE:
				h = h.delegate;
				break;
		}
	}
}

function list(sink: ReferenceSink, entries: HandleAndLocalPath[], role: string): void {
	for (const e of entries) stream(sink, e.handle, role, e.localPath);
}

/** Below a changelog backend handle, `sink.outerRole` overrides the roles (`materialized` / `changelog`). */
function keyed(sink: ReferenceSink, h: KeyedStateHandle | null): void {
	if (h === null) return;
	switch (h.tag) {
		case KEY_GROUPS_HANDLE:
		case SAVEPOINT_KEY_GROUPS_HANDLE:
		case KEY_GROUPS_HANDLE_V2:
			stream(sink, h.delegate, 'delegate', undefined);
			return;
		case INCREMENTAL_KEY_GROUPS_HANDLE:
		case INCREMENTAL_KEY_GROUPS_HANDLE_V2:
			stream(sink, h.metaState, 'metaState', undefined);
			list(sink, h.sharedState, 'shared');
			list(sink, h.privateState, 'private');
			return;
		case CHANGELOG_HANDLE:
		case CHANGELOG_HANDLE_V2: {
			const outer = sink.outerRole;
			sink.outerRole = outer ?? 'materialized';
			for (const m of h.materialized) keyed(sink, m);
			sink.outerRole = outer ?? 'changelog';
			for (const m of h.nonMaterialized) keyed(sink, m);
			sink.outerRole = outer;
			return;
		}
		case CHANGELOG_BYTE_INCREMENT_HANDLE:
			return;
		case CHANGELOG_FILE_INCREMENT_HANDLE:
		case CHANGELOG_FILE_INCREMENT_HANDLE_V2:
			for (const e of h.handles) stream(sink, e.handle, 'changelog', undefined);
			return;
	}
}

function operator(sink: ReferenceSink, h: OperatorStateHandle | null): void {
	if (h === null || h.tag === NULL_HANDLE) return;
	if (h.tag === SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE) sink.directories(h.taskOwnedDirectory, h.sharedDirectory);
	stream(sink, h.delegate, 'delegate', undefined);
}
