/**
 * Parser of the state handles of a `_metadata` body (docs/format.md#state-handles and
 * #channel-state): stream, keyed and operator handles as `MetadataV2V3SerializerBase` writes them, and the
 * channel-state handles of `ChannelStateHandleSerializerV1/V2`. `BodyParser` (reader.ts) extends it
 * with the body's structure (master states, operators, subtasks).
 *
 * At 400 lines: one method per handle tag of `tags.ts`, in the serializer's order, so that it reads
 * beside Flink's class; the channel-state handles are the part to move out if it grows.
 */
import type {ByteReader} from './cursor.js';
import type {
	AnyChannelStateHandle,
	ChangelogStateBackendHandle,
	ChangelogStateHandleStreamImpl,
	HandleAndLocalPath,
	I64,
	IncrementalRemoteKeyedStateHandle,
	InMemoryChangelogStateHandle,
	KeyedStateHandle,
	KeyGroupRange,
	KeyGroupsStateHandle,
	LayoutVariant,
	MergedChannelStateHandle,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	StateChange,
	StreamStateHandle,
} from './types.js';
import {
	NULL_HANDLE,
	BYTE_STREAM_STATE_HANDLE,
	FILE_STREAM_STATE_HANDLE,
	KEY_GROUPS_HANDLE,
	PARTITIONABLE_OPERATOR_STATE_HANDLE,
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
 * Maximum nesting depth of state handles. Real files nest at most ~5 deep (changelog handle →
 * keyed handle → stream handle → key-groups stream handle → stream handle); the cap keeps hostile
 * input from exhausting the stack.
 */
export const MAX_HANDLE_DEPTH = 32;
/** Highest max parallelism Flink allows (`KeyGroupRangeAssignment.UPPER_BOUND_MAX_PARALLELISM`, 2^15). */
export const MAX_PARALLELISM = 32_768;

const STREAM_TAGS = 'a stream state handle tag (0, 1, 2, 3, 6, 15, 16)';
const KEYED_TAGS = 'a keyed state handle tag (0, 3, 5, 7, 8, 9, 10, 11, 12, 13, 14)';
const OPERATOR_TAGS = 'an operator state handle tag (0, 4, 17)';

/** `i32` maximum, the upper bound of ranges that only have a lower one. */
export const INT_MAX = 0x7fffffff;

/** Reads state handles from `r` under one layout variant; values Flink never writes are a `ParseError`. */
export class HandleParser {
	/** Set once a channel-state handle was read (the A/B/C layouts differ only there). */
	sawChannel = false;
	/** Set once a changelog handle 8, 9 or 10 was read (the 1.14/1.15 layouts differ only there). */
	sawChangelog = false;
	private depth = 0;
	private readonly changelog114: boolean;
	/** Max parallelism of the operator being read: every key-group range lies in `[0, maxParallelism)`. */
	protected maxParallelism = MAX_PARALLELISM;

	constructor(
		protected readonly r: ByteReader,
		protected readonly layout: LayoutVariant,
	) {
		this.changelog114 = layout.changelog === '1.14';
	}

	// ------------------------------------------------------------------------------------------
	// Channel state (docs/format.md#channel-state).
	// ------------------------------------------------------------------------------------------

	protected channelList(input: boolean): AnyChannelStateHandle[] {
		const r = this.r;
		const layout = this.layout.channelState;
		const what = input ? 'number of input channel state handles' : 'number of result subpartition state handles';
		// The layouts differ as soon as a list is not empty, starting with the bytes a handle takes
		// at least: note that before the count is checked against them, so a failed check under one
		// layout does not rule out the others.
		const at = r.offset;
		if (r.i32(what) !== 0) this.sawChannel = true;
		r.offset = at;
		const n = r.count(what, layout === 'A' ? 21 : layout === 'B' ? 25 : 18);
		const out: AnyChannelStateHandle[] = new Array(n);
		for (let i = 0; i < n; i++) {
			if (layout !== 'C') {
				out[i] = this.singleChannel(layout === 'B');
				continue;
			}
			const at = r.offset;
			const kind = r.u8('a channel state handle kind');
			if (input ? kind === 1 : kind === 2) out[i] = this.singleChannel(true);
			else if (input ? kind === 3 : kind === 4) out[i] = this.mergedChannel();
			else r.fail(input ? 'an input channel state handle kind (1, 3)' : 'a result subpartition state handle kind (2, 4)', String(kind), at);
		}
		return out;
	}

	private singleChannel(withSubtaskIndex: boolean): AnyChannelStateHandle {
		const r = this.r;
		const subtaskIndex = withSubtaskIndex ? r.i32In('a channel subtask index', 0, MAX_PARALLELISM - 1) : undefined;
		const a = r.i32In('a channel info index', 0, INT_MAX);
		const b = r.i32In('a channel info index', 0, INT_MAX);
		const offsets = this.offsets('number of channel state offsets', 'a channel state offset');
		const size = r.i64AtLeast('a channel state size', 0);
		const delegate = this.streamHandle();
		return subtaskIndex === undefined
			? {type: 'single', info: [a, b], offsets, size, delegate}
			: {type: 'single', subtaskIndex, info: [a, b], offsets, size, delegate};
	}

	private mergedChannel(): MergedChannelStateHandle {
		const r = this.r;
		const subtaskIndex = r.i32In('a channel subtask index', 0, MAX_PARALLELISM - 1);
		const totalSize = r.i64AtLeast('a merged channel state size', 0);
		const delegate = this.streamHandle();
		const blob = r.lengthPrefixed('the merged channel offsets');
		const start = r.offset - blob.length;
		const b = r.sub(start, r.offset);
		const n = b.count('number of merged channels', 20);
		const channels: MergedChannelStateHandle['channels'] = new Array(n);
		for (let i = 0; i < n; i++) {
			const x = b.i32In('a channel info index', 0, INT_MAX);
			const y = b.i32In('a channel info index', 0, INT_MAX);
			const size = b.i64AtLeast('a channel state size', 0);
			const count = b.count('number of channel state offsets', 8);
			const offsets: I64[] = new Array(count);
			for (let j = 0; j < count; j++) offsets[j] = b.i64AtLeast('a channel state offset', 0);
			channels[i] = {info: [x, y], size, offsets};
		}
		if (b.offset !== b.end) b.fail(`the end of the merged channel offsets at byte ${b.end}`, `${b.end - b.offset} unread byte(s)`);
		return {type: 'merged', subtaskIndex, totalSize, delegate, channels};
	}

	// ------------------------------------------------------------------------------------------
	// State handles (docs/format.md#state-handles).
	// ------------------------------------------------------------------------------------------

	private enter(): void {
		if (++this.depth > MAX_HANDLE_DEPTH) this.r.fail(`state handles nested at most ${MAX_HANDLE_DEPTH} deep`, 'deeper nesting');
	}

	/** `i32 n ; repeat n { i64 offset }`, each offset ≥ 0 (`each` names one in errors). */
	private offsets(what: string, each: string): I64[] {
		const r = this.r;
		const n = r.count(what, 8);
		const out: I64[] = new Array(n);
		for (let i = 0; i < n; i++) out[i] = r.i64AtLeast(each, 0);
		return out;
	}

	private keyGroupRange(): KeyGroupRange {
		const r = this.r;
		const at = r.offset;
		const startKeyGroup = r.i32In('a start key group', 0, INT_MAX);
		const numberOfKeyGroups = r.i32In('a number of key groups', 0, INT_MAX);
		this.checkKeyGroups(startKeyGroup, numberOfKeyGroups, at);
		return {startKeyGroup, numberOfKeyGroups};
	}

	/** `keyGroupRange ; repeat num { i64 offset }`; the count is checked like any other. */
	private keyGroupRangeWithOffsets(): {keyGroupRange: KeyGroupRange; offsets: I64[]} {
		const r = this.r;
		const at = r.offset;
		const startKeyGroup = r.i32In('a start key group', 0, INT_MAX);
		const offsets = this.offsets('number of key groups', 'a key-group offset');
		this.checkKeyGroups(startKeyGroup, offsets.length, at);
		return {keyGroupRange: {startKeyGroup, numberOfKeyGroups: offsets.length}, offsets};
	}

	/**
	 * A non-empty key-group range lies within the operator's key groups `0 … maxParallelism-1`.
	 * (Flink writes an empty range as start 0, but its reader accepts any start: so do we.)
	 */
	private checkKeyGroups(start: number, count: number, at: number): void {
		const max = this.maxParallelism;
		if (count > 0 && start + count > max) {
			this.r.fail(`a key-group range within 0..${max - 1} (the max parallelism ${max})`, `${start}..${start + count - 1}`, at);
		}
	}

	/** `streamHandle` (docs/format.md#stream-handles); `null` for tag 0. */
	streamHandle(): StreamStateHandle | null {
		const r = this.r;
		const at = r.offset;
		const tag = r.u8(STREAM_TAGS);
		switch (tag) {
			case NULL_HANDLE:
				return null;
			case BYTE_STREAM_STATE_HANDLE: {
				const name = r.utf('the byte-stream handle name');
				const data = r.lengthPrefixed('inline state data');
				return {tag: BYTE_STREAM_STATE_HANDLE, name, data};
			}
			case FILE_STREAM_STATE_HANDLE: {
				const size = r.i64AtLeast('a file size', -1);
				const path = r.utf('the file path');
				return {tag: FILE_STREAM_STATE_HANDLE, path, size};
			}
			case RELATIVE_STREAM_STATE_HANDLE: {
				const relativePath = r.utf('the relative file path');
				const size = r.i64AtLeast('a file size', -1);
				return {tag: RELATIVE_STREAM_STATE_HANDLE, relativePath, size};
			}
			case KEY_GROUPS_HANDLE: {
				this.enter();
				const {keyGroupRange, offsets} = this.keyGroupRangeWithOffsets();
				const delegate = this.streamHandle();
				this.depth--;
				return {tag: KEY_GROUPS_HANDLE, keyGroupRange, offsets, delegate};
			}
			case SEGMENT_FILE_HANDLE: {
				const startPos = r.i64AtLeast('a segment start position', 0);
				const size = r.i64AtLeast('a segment size', 0);
				const scopeAt = r.offset;
				const scope = r.i32('the segment scope');
				if (scope !== 0 && scope !== 1) r.fail('a CheckpointedStateScope ordinal (0 EXCLUSIVE, 1 SHARED)', String(scope), scopeAt);
				const physicalFilePath = r.utf('the physical file path');
				const logicalFileId = r.utf('the logical file id');
				return {tag: SEGMENT_FILE_HANDLE, startPos, size, scope, physicalFilePath, logicalFileId};
			}
			case EMPTY_SEGMENT_FILE_HANDLE:
				return {tag: EMPTY_SEGMENT_FILE_HANDLE};
			default:
				return r.fail(STREAM_TAGS, String(tag), at);
		}
	}

	/** `keyedHandle` (docs/format.md#keyed-handles); `null` for tag 0. */
	keyedHandle(): KeyedStateHandle | null {
		const r = this.r;
		const at = r.offset;
		const tag = r.i8(KEYED_TAGS);
		if (tag === NULL_HANDLE) return null;
		this.enter();
		let handle: KeyedStateHandle;
		switch (tag) {
			case KEY_GROUPS_HANDLE:
			case SAVEPOINT_KEY_GROUPS_HANDLE:
			case KEY_GROUPS_HANDLE_V2: {
				const {keyGroupRange, offsets} = this.keyGroupRangeWithOffsets();
				const delegate = this.streamHandle();
				const h: KeyGroupsStateHandle = {tag, keyGroupRange, offsets, delegate};
				if (tag === KEY_GROUPS_HANDLE_V2) h.stateHandleId = r.utf('the state handle id');
				handle = h;
				break;
			}
			case INCREMENTAL_KEY_GROUPS_HANDLE:
			case INCREMENTAL_KEY_GROUPS_HANDLE_V2:
				handle = this.incremental(tag);
				break;
			case CHANGELOG_HANDLE:
			case CHANGELOG_HANDLE_V2:
				handle = this.changelogBackend(tag);
				break;
			case CHANGELOG_BYTE_INCREMENT_HANDLE:
				handle = this.inMemoryChangelog();
				break;
			case CHANGELOG_FILE_INCREMENT_HANDLE:
			case CHANGELOG_FILE_INCREMENT_HANDLE_V2:
				handle = this.changelogStream(tag);
				break;
			default:
				return r.fail(KEYED_TAGS, String(tag), at);
		}
		this.depth--;
		return handle;
	}

	private incremental(tag: 5 | 11): IncrementalRemoteKeyedStateHandle {
		const r = this.r;
		const checkpointId = r.i64AtLeast('a checkpoint id of the incremental handle', 0);
		const backendId = r.utf('the backend id');
		const keyGroupRange = this.keyGroupRange();
		const checkpointedSize = tag === INCREMENTAL_KEY_GROUPS_HANDLE_V2 ? r.i64AtLeast('a checkpointed size', -1) : undefined;
		const metaState = this.streamHandle();
		const sharedState = this.handleList('number of shared state handles');
		const privateState = this.handleList('number of private state handles');
		if (tag === INCREMENTAL_KEY_GROUPS_HANDLE) return {tag, checkpointId, backendId, keyGroupRange, metaState, sharedState, privateState};
		const stateHandleId = r.utf('the state handle id');
		return {tag, checkpointId, backendId, keyGroupRange, checkpointedSize, metaState, sharedState, privateState, stateHandleId};
	}

	private handleList(what: string): HandleAndLocalPath[] {
		const r = this.r;
		const n = r.count(what, 3);
		const out: HandleAndLocalPath[] = new Array(n);
		for (let i = 0; i < n; i++) {
			const localPath = r.utf('a local file path');
			out[i] = {localPath, handle: this.streamHandle()};
		}
		return out;
	}

	private keyedList(what: string): (KeyedStateHandle | null)[] {
		const n = this.r.count(what, 1);
		const out: (KeyedStateHandle | null)[] = new Array(n);
		for (let i = 0; i < n; i++) out[i] = this.keyedHandle();
		return out;
	}

	private changelogBackend(tag: 8 | 14): ChangelogStateBackendHandle {
		const r = this.r;
		const keyGroupRange = this.keyGroupRange();
		if (tag === CHANGELOG_HANDLE) this.sawChangelog = true;
		if (tag === CHANGELOG_HANDLE && this.changelog114) {
			const materialized = this.keyedList('number of materialized state handles');
			const nonMaterialized = this.keyedList('number of non-materialized state handles');
			return {tag, keyGroupRange, materialized, nonMaterialized};
		}
		const checkpointedSize = r.i64AtLeast('a checkpointed size', -1);
		const materialized = this.keyedList('number of materialized state handles');
		const nonMaterialized = this.keyedList('number of non-materialized state handles');
		const materializationId = r.i64('the materialization id');
		if (tag === CHANGELOG_HANDLE) {
			const stateHandleId = r.utf('the state handle id');
			return {tag, keyGroupRange, checkpointedSize, materialized, nonMaterialized, materializationId, stateHandleId};
		}
		const checkpointId = r.i64AtLeast('a checkpoint id of the changelog handle', 0);
		const stateHandleId = r.utf('the state handle id');
		return {tag, keyGroupRange, checkpointedSize, materialized, nonMaterialized, materializationId, checkpointId, stateHandleId};
	}

	private inMemoryChangelog(): InMemoryChangelogStateHandle {
		const r = this.r;
		this.sawChangelog = true;
		const keyGroupRange = this.keyGroupRange();
		const from = r.i64('the first sequence number');
		const to = r.i64('the last sequence number');
		const n = r.count('number of state changes', 8);
		const changes: StateChange[] = new Array(n);
		for (let i = 0; i < n; i++) {
			// -1 marks a metadata change.
			const keyGroup = r.i32In('the key group of a state change', -1, INT_MAX);
			changes[i] = {keyGroup, data: r.lengthPrefixed('a state change')};
		}
		if (this.changelog114) return {tag: CHANGELOG_BYTE_INCREMENT_HANDLE, keyGroupRange, from, to, changes};
		return {tag: CHANGELOG_BYTE_INCREMENT_HANDLE, keyGroupRange, from, to, changes, stateHandleId: r.utf('the state handle id')};
	}

	private changelogStream(tag: 10 | 13): ChangelogStateHandleStreamImpl {
		const r = this.r;
		if (tag === CHANGELOG_FILE_INCREMENT_HANDLE) this.sawChangelog = true;
		const keyGroupRange = this.keyGroupRange();
		const n = r.count('number of changelog stream handles', 9);
		const handles: ChangelogStateHandleStreamImpl['handles'] = new Array(n);
		for (let i = 0; i < n; i++) {
			const offset = r.i64AtLeast('a changelog offset', 0);
			handles[i] = {offset, handle: this.streamHandle()};
		}
		const size = r.i64AtLeast('a changelog size', -1);
		if (tag === CHANGELOG_FILE_INCREMENT_HANDLE && this.changelog114) return {tag, keyGroupRange, handles, size};
		const checkpointedSize = r.i64AtLeast('a checkpointed size', -1);
		const stateHandleId = r.utf('the state handle id');
		if (tag === CHANGELOG_FILE_INCREMENT_HANDLE) return {tag, keyGroupRange, handles, size, checkpointedSize, stateHandleId};
		const storageIdentifier = r.utf('the changelog storage identifier');
		return {tag, keyGroupRange, handles, size, checkpointedSize, stateHandleId, storageIdentifier};
	}

	/** `operatorHandle` (docs/format.md#operator-handles); `{tag: NULL_HANDLE}` for tag 0 (the presence flag was set). */
	protected operatorHandle(): OperatorStateHandle {
		const r = this.r;
		const at = r.offset;
		const tag = r.i8(OPERATOR_TAGS);
		if (tag === NULL_HANDLE) return {tag: NULL_HANDLE};
		if (tag !== PARTITIONABLE_OPERATOR_STATE_HANDLE && tag !== SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE) return r.fail(OPERATOR_TAGS, String(tag), at);
		const n = r.count('number of operator states', 7);
		const states: OperatorStateMetaInfo[] = new Array(n);
		for (let i = 0; i < n; i++) {
			const name = r.utf('an operator state name');
			const modeAt = r.offset;
			const distributionMode = r.i8('a distribution mode');
			if (distributionMode < 0 || distributionMode > 2) {
				r.fail('a distribution mode (0 SPLIT_DISTRIBUTE, 1 UNION, 2 BROADCAST)', String(distributionMode), modeAt);
			}
			states[i] = {name, distributionMode, offsets: this.offsets('number of operator state offsets', 'an operator state offset')};
		}
		if (tag === PARTITIONABLE_OPERATOR_STATE_HANDLE) return {tag: PARTITIONABLE_OPERATOR_STATE_HANDLE, states, delegate: this.streamHandle()};
		const taskOwnedDirectory = r.utf('the task-owned directory');
		const sharedDirectory = r.utf('the shared directory');
		const isEmpty = r.bool('the isEmpty flag');
		const delegateAt = r.offset;
		const delegate = this.streamHandle();
		if (delegate === null || (delegate.tag !== SEGMENT_FILE_HANDLE && delegate.tag !== EMPTY_SEGMENT_FILE_HANDLE)) {
			r.fail(
				'a segment file handle (tag 15 or 16) as delegate of a file-merging operator state handle',
				`tag ${delegate === null ? 0 : delegate.tag}`,
				delegateAt,
			);
		}
		return {tag: SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE, states, taskOwnedDirectory, sharedDirectory, isEmpty, delegate};
	}
}
