/**
 * The flat list of every file (and file-merging directory, and inline blob) that a `_metadata`
 * model refers to — what the checkpoint-directory analysis works on (docs/format.md#paths-in-the-metadata).
 */
import type {
	AnyChannelStateHandle,
	CheckpointMetadata,
	FileReference,
	HandleAndLocalPath,
	I64,
	KeyedStateHandle,
	OperatorStateHandle,
	StateSlot,
	StreamStateHandle,
} from './types.js';
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

/** Context shared by all references found below one slot. */
interface Context {
	out: FileReference[];
	operatorId: string;
	subtaskIndex: number | null;
	slot: StateSlot;
}

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
	const out: FileReference[] = [];
	for (const op of metadata.operators) {
		const ctx: Context = {out, operatorId: op.operatorId, subtaskIndex: null, slot: 'coordinatorState'};
		stream(ctx, op.coordinatorState, 'delegate', undefined);
		for (const entry of op.subtasks) {
			if (entry.finished) continue;
			const s = entry.state;
			ctx.subtaskIndex = entry.subtaskIndex;
			if (s.legacyOperatorState !== undefined) {
				ctx.slot = 'legacyOperatorState';
				for (const h of s.legacyOperatorState) stream(ctx, h, 'delegate', undefined);
			}
			ctx.slot = 'managedOperatorState';
			operator(ctx, s.managedOperatorState);
			ctx.slot = 'rawOperatorState';
			operator(ctx, s.rawOperatorState);
			ctx.slot = 'managedKeyedState';
			keyed(ctx, s.managedKeyedState, undefined);
			ctx.slot = 'rawKeyedState';
			keyed(ctx, s.rawKeyedState, undefined);
			ctx.slot = 'inputChannelState';
			for (const h of s.inputChannelState) channel(ctx, h);
			ctx.slot = 'resultSubpartitionState';
			for (const h of s.resultSubpartitionState) channel(ctx, h);
		}
	}
	return out;
}

function num(v: I64): number {
	return typeof v === 'number' ? v : Number(v);
}

function push(ctx: Context, handle: FileReference['handle'], path: string, size: number, role: string, localPath: string | undefined): FileReference {
	// Two literals rather than adding `localPath` later: adding a property to a literal's object
	// allocates an out-of-object property store for every reference.
	const ref: FileReference =
		localPath === undefined
			? {handle, path, size, operatorId: ctx.operatorId, subtaskIndex: ctx.subtaskIndex, slot: ctx.slot, role}
			: {handle, path, size, operatorId: ctx.operatorId, subtaskIndex: ctx.subtaskIndex, slot: ctx.slot, role, localPath};
	ctx.out.push(ref);
	return ref;
}

function stream(ctx: Context, h: StreamStateHandle | null, role: string, localPath: string | undefined): void {
	// Iterative over nested tag-3 stream handles (a chain of delegates).
	while (h !== null) {
		switch (h.tag) {
			case BYTE_STREAM_STATE_HANDLE:
				push(ctx, 'inline', h.name, h.data.length, role, localPath);
				return;
			case FILE_STREAM_STATE_HANDLE:
				push(ctx, 'file', h.path, num(h.size), role, localPath);
				return;
			case RELATIVE_STREAM_STATE_HANDLE:
				push(ctx, 'relative', h.relativePath, num(h.size), role, localPath);
				return;
			case SEGMENT_FILE_HANDLE: {
				const ref = push(ctx, 'segment', h.physicalFilePath, num(h.size), role, localPath);
				ref.startPos = num(h.startPos);
				ref.scope = h.scope === 1 ? 'shared' : 'exclusive';
				return;
			}
			case EMPTY_SEGMENT_FILE_HANDLE:
				return;
			case KEY_GROUPS_HANDLE:
				h = h.delegate;
				break;
		}
	}
}

function list(ctx: Context, entries: HandleAndLocalPath[], role: string, outerRole: string | undefined): void {
	for (const e of entries) stream(ctx, e.handle, outerRole ?? role, e.localPath);
}

/** `outerRole` overrides the roles below a changelog backend handle (`materialized` / `changelog`). */
function keyed(ctx: Context, h: KeyedStateHandle | null, outerRole: string | undefined): void {
	if (h === null) return;
	switch (h.tag) {
		case KEY_GROUPS_HANDLE:
		case SAVEPOINT_KEY_GROUPS_HANDLE:
		case KEY_GROUPS_HANDLE_V2:
			stream(ctx, h.delegate, outerRole ?? 'delegate', undefined);
			return;
		case INCREMENTAL_KEY_GROUPS_HANDLE:
		case INCREMENTAL_KEY_GROUPS_HANDLE_V2:
			stream(ctx, h.metaState, outerRole ?? 'metaState', undefined);
			list(ctx, h.sharedState, 'shared', outerRole);
			list(ctx, h.privateState, 'private', outerRole);
			return;
		case CHANGELOG_HANDLE:
		case CHANGELOG_HANDLE_V2:
			for (const m of h.materialized) keyed(ctx, m, outerRole ?? 'materialized');
			for (const m of h.nonMaterialized) keyed(ctx, m, outerRole ?? 'changelog');
			return;
		case CHANGELOG_BYTE_INCREMENT_HANDLE:
			return;
		case CHANGELOG_FILE_INCREMENT_HANDLE:
		case CHANGELOG_FILE_INCREMENT_HANDLE_V2:
			for (const e of h.handles) stream(ctx, e.handle, outerRole ?? 'changelog', undefined);
			return;
	}
}

function operator(ctx: Context, h: OperatorStateHandle | null): void {
	if (h === null || h.tag === NULL_HANDLE) return;
	if (h.tag === SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE) {
		push(ctx, 'directory', h.taskOwnedDirectory, 0, 'taskOwnedDirectory', undefined).scope = 'exclusive';
		push(ctx, 'directory', h.sharedDirectory, 0, 'sharedDirectory', undefined).scope = 'shared';
	}
	stream(ctx, h.delegate, 'delegate', undefined);
}

function channel(ctx: Context, h: AnyChannelStateHandle): void {
	stream(ctx, h.delegate, 'channel', undefined);
}
