/**
 * Per-operator summaries of a parsed `_metadata` file for the checkpoint view.
 */
import {
	CHANGELOG_BYTE_INCREMENT_HANDLE,
	CHANGELOG_FILE_INCREMENT_HANDLE,
	CHANGELOG_FILE_INCREMENT_HANDLE_V2,
	CHANGELOG_HANDLE,
	CHANGELOG_HANDLE_V2,
	INCREMENTAL_KEY_GROUPS_HANDLE,
	INCREMENTAL_KEY_GROUPS_HANDLE_V2,
	KEY_GROUPS_HANDLE,
	KEY_GROUPS_HANDLE_V2,
	NULL_HANDLE,
	SAVEPOINT_KEY_GROUPS_HANDLE,
	SEGMENT_FILE_HANDLE,
	SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE,
} from '../metadata/index.js';
import type {CheckpointMetadata, FileReference, KeyedStateHandle, OperatorStateHandle, StreamStateHandle} from '../metadata/types.js';
import {withCapacity} from '../tree/columns.js';
import type {OperatorSummary} from './types.js';

function streamHasSegment(h: StreamStateHandle | null | undefined): boolean {
	if (!h) return false;
	if (h.tag === SEGMENT_FILE_HANDLE) return true;
	if (h.tag === KEY_GROUPS_HANDLE) return streamHasSegment(h.delegate);
	return false;
}

/** `streamHasSegment`, or false at once when the snapshot has no segment handle (`segments` false; the lists of an incremental handle are long). */
function hasSegment(h: StreamStateHandle | null | undefined, segments: boolean): boolean {
	return segments && streamHasSegment(h);
}

function keyedKinds(h: KeyedStateHandle | null, savepoint: boolean, raw: boolean, out: Set<string>, segments: boolean): void {
	if (h === null) return;
	const prefix = raw ? 'raw keyed state' : 'keyed state';
	switch (h.tag) {
		case KEY_GROUPS_HANDLE:
		case KEY_GROUPS_HANDLE_V2:
			out.add(`${prefix} (full)`);
			if (hasSegment(h.delegate, segments)) out.add('file merging');
			break;
		case SAVEPOINT_KEY_GROUPS_HANDLE:
			out.add(`${prefix} (savepoint)`);
			break;
		case INCREMENTAL_KEY_GROUPS_HANDLE:
		case INCREMENTAL_KEY_GROUPS_HANDLE_V2:
			out.add(savepoint ? `${prefix} (native savepoint)` : `${prefix} (incremental)`);
			if (
				segments &&
				(streamHasSegment(h.metaState) || h.sharedState.some((s) => streamHasSegment(s.handle)) || h.privateState.some((s) => streamHasSegment(s.handle)))
			) {
				out.add('file merging');
			}
			break;
		case CHANGELOG_HANDLE:
		case CHANGELOG_HANDLE_V2:
			out.add('changelog');
			for (const m of h.materialized) keyedKinds(m, savepoint, raw, out, segments);
			break;
		case CHANGELOG_BYTE_INCREMENT_HANDLE:
		case CHANGELOG_FILE_INCREMENT_HANDLE:
		case CHANGELOG_FILE_INCREMENT_HANDLE_V2:
			out.add('changelog');
			break;
	}
}

function operatorKinds(h: OperatorStateHandle | null, raw: boolean, kinds: Set<string>, names: Set<string>, segments: boolean): void {
	if (h === null || h.tag === NULL_HANDLE) return;
	kinds.add(raw ? 'raw operator state' : 'operator state');
	if (h.tag === SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE) kinds.add('file merging');
	if (hasSegment(h.delegate, segments)) kinds.add('file merging');
	for (const s of h.states) names.add(s.name);
}

/**
 * Summarise every operator of a snapshot: parallelism, subtasks, human labels of the state kinds
 * (`operator state`, `keyed state (incremental)`, `keyed state (full)`, `keyed state (savepoint)`,
 * `keyed state (native savepoint)`, `changelog`, `channel state`, `coordinator state`,
 * `file merging`, `legacy operator state`, `raw …`), operator-state names and the bytes the
 * operator references (files counted once per path / segment, plus inline bytes; unknown sizes
 * count 0).
 *
 * With `options.bytes` false, every `bytes` is 0, for a caller that sums them with
 * {@link OperatorBytes} (a key string per reference made this 1 s of the 1M-file bench tree's
 * loading with real file sizes). With `options.segments` false (the caller knows that `references`,
 * all of the snapshot's, have no `segment` handle), the state handles are not searched for
 * segments (`file merging`): 2.4 million shared-state entries on the 1M-file bench tree.
 */
export function summariseOperators(
	metadata: CheckpointMetadata,
	references: readonly FileReference[],
	savepoint: boolean,
	options: {bytes?: boolean; segments?: boolean} = {},
): OperatorSummary[] {
	// Every segment handle a kind below looks for is also a `segment` reference (the references are
	// of the same handles, finished subtasks skipped alike). A model of `readReferences` has of the
	// handles what is read here: tags, nesting, state names, the list entries that hold segments.
	const segments = options.segments ?? true;
	const bytes = new Map<string, number>();
	const seen = new Set<string>();
	for (const ref of options.bytes === false ? [] : references) {
		if (ref.handle === 'directory' || ref.size <= 0) continue;
		const id =
			ref.handle === 'inline'
				? null
				: `${ref.operatorId}\u0000${ref.handle === 'relative' ? 'r' : 'a'}\u0000${ref.path}\u0000${ref.handle === 'segment' ? (ref.startPos ?? 0) : ''}`;
		if (id !== null) {
			if (seen.has(id)) continue;
			seen.add(id);
		}
		bytes.set(ref.operatorId, (bytes.get(ref.operatorId) ?? 0) + ref.size);
	}
	return metadata.operators.map((op) => {
		const kinds = new Set<string>();
		const names = new Set<string>();
		if (op.coordinatorState !== null) kinds.add('coordinator state');
		let subtasks = 0;
		let finished = 0;
		for (const entry of op.subtasks) {
			if (entry.finished) {
				finished++;
				continue;
			}
			subtasks++;
			const s = entry.state;
			operatorKinds(s.managedOperatorState, false, kinds, names, segments);
			operatorKinds(s.rawOperatorState, true, kinds, names, segments);
			keyedKinds(s.managedKeyedState, savepoint, false, kinds, segments);
			keyedKinds(s.rawKeyedState, savepoint, true, kinds, segments);
			if (s.inputChannelState.length > 0 || s.resultSubpartitionState.length > 0) kinds.add('channel state');
			if (s.legacyOperatorState !== undefined && s.legacyOperatorState.some((h) => h !== null)) kinds.add('legacy operator state');
		}
		return {
			operatorId: op.operatorId,
			name: op.name ? op.name : null,
			uid: op.uid ? op.uid : null,
			parallelism: op.parallelism,
			maxParallelism: op.maxParallelism,
			subtasks,
			finishedSubtasks: finished,
			fullyFinished: op.fullyFinished,
			stateKinds: [...kinds],
			stateNames: [...names],
			bytes: bytes.get(op.operatorId) ?? 0,
		};
	});
}

/**
 * The bytes each operator of a snapshot references, counted as {@link summariseOperators} counts
 * them (each file once per operator, by how its path is written and whether the handle is relative;
 * each segment once per operator, by its file and start; inline data always; sizes ≤ 0 and
 * directories not at all), from references whose files the caller has numbered: `file` ids
 * `0 … n - 1`, one per written path and kind (absolute or relative) within the snapshot. No string
 * is made or hashed per reference.
 */
export class OperatorBytes {
	/** Index in `operators` by operator id. */
	private readonly index = new Map<string, number>();
	/** The last operator id looked up and its index (an operator's references come together). */
	private lastId: string | undefined;
	private last = -1;
	/** Per file id: the operator that counted it first, +1 (0: none). */
	private countedBy: Int32Array;
	/** `file * operators + operator` of the files counted by a second operator. */
	private readonly alsoCounted = new Set<number>();
	/** By `file * operators + operator`: the start positions of the segments counted. */
	private readonly segments = new Map<number, Set<number>>();

	/** Sums into the `bytes` of `operators` (set to 0 here); room for `files` file ids to start with. */
	constructor(
		private readonly operators: OperatorSummary[],
		files = 0,
	) {
		operators.forEach((op, i) => {
			op.bytes = 0;
			this.index.set(op.operatorId, i);
		});
		this.countedBy = new Int32Array(files);
	}

	/** Count `ref`, a reference to file `file` (any number for inline references). */
	add(ref: FileReference, file: number): void {
		if (ref.handle === 'directory' || ref.size <= 0) return;
		let op = this.last;
		if (ref.operatorId !== this.lastId) {
			op = this.index.get(ref.operatorId) ?? -1;
			if (op < 0) return;
			this.lastId = ref.operatorId;
			this.last = op;
		}
		if (ref.handle === 'segment') {
			const key = file * this.operators.length + op;
			let starts = this.segments.get(key);
			if (starts === undefined) this.segments.set(key, (starts = new Set()));
			const start = ref.startPos ?? 0;
			if (starts.has(start)) return;
			starts.add(start);
		} else if (ref.handle !== 'inline') {
			if (file >= this.countedBy.length) this.countedBy = withCapacity(this.countedBy, Math.max(16, file * 2));
			const by = this.countedBy[file];
			if (by === op + 1) return;
			if (by === 0) {
				this.countedBy[file] = op + 1;
			} else {
				const key = file * this.operators.length + op;
				if (this.alsoCounted.has(key)) return;
				this.alsoCounted.add(key);
			}
		}
		this.operators[op].bytes += ref.size;
	}
}
