/**
 * Parser of the state handles of a `_metadata` body (docs/format.md#state-handles): stream, keyed
 * and operator handles as `MetadataV2V3SerializerBase` writes them, one method per handle tag of
 * `tags.ts`, in the serializer's order, so that it reads beside Flink's class. `ChannelParser`
 * (channel-parser.ts) extends it with the channel-state handles, `BodyParser` (reader.ts) with the
 * body's structure (master states, operators, subtasks).
 *
 * While it reads, the parser names every handle that refers to a file to its {@link ReferenceSink}
 * (the references of `readMetadata`, in file order: one walk over the bytes, no second one over the
 * model). Without the whole model (`readReferences`), it keeps of the state-handle tree only what
 * the references do not tell: the handles' kinds (tags), nesting and state names.
 *
 * A few lines over 400: one method per tag in the serializer's order reads best as one file (the
 * channel-state handles, a layout of their own, are already in channel-parser.ts).
 */
import type {ByteReader} from './cursor.js';
import type {ReferenceSink} from './reference-sink.js';
import type {
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

// What a leaf stream handle is without the whole model: its tag (the references hold the rest).
const PLACEHOLDER_BYTE_STREAM: StreamStateHandle = Object.freeze({tag: BYTE_STREAM_STATE_HANDLE, name: '', data: new Uint8Array(0)});
const PLACEHOLDER_FILE: StreamStateHandle = Object.freeze({tag: FILE_STREAM_STATE_HANDLE, path: '', size: -1});
const PLACEHOLDER_RELATIVE: StreamStateHandle = Object.freeze({tag: RELATIVE_STREAM_STATE_HANDLE, relativePath: '', size: -1});
const PLACEHOLDER_SEGMENT: StreamStateHandle = Object.freeze({
	tag: SEGMENT_FILE_HANDLE,
	startPos: 0,
	size: 0,
	scope: 0,
	physicalFilePath: '',
	logicalFileId: '',
});

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

	/**
	 * @param sink receives the references of the handles read (its context is set by the callers).
	 * @param whole whether to build the whole state-handle tree; when false, leaf stream handles are
	 *   shared placeholders of their tag, offsets lists are empty, and the lists of incremental
	 *   handles keep only the entries that are or hold a segment handle (tag 15 or 3).
	 */
	constructor(
		protected readonly r: ByteReader,
		protected readonly layout: LayoutVariant,
		protected readonly sink: ReferenceSink,
		protected readonly whole = true,
	) {
		this.changelog114 = layout.changelog === '1.14';
	}

	// ------------------------------------------------------------------------------------------
	// State handles (docs/format.md#state-handles).
	// ------------------------------------------------------------------------------------------

	private enter(): void {
		if (++this.depth > MAX_HANDLE_DEPTH) this.r.fail(`state handles nested at most ${MAX_HANDLE_DEPTH} deep`, 'deeper nesting');
	}

	/** `i32 n ; repeat n { i64 offset }`, each offset ≥ 0 (`each` names one in errors); empty unless {@link whole}. */
	protected offsets(what: string, each: string): I64[] {
		const r = this.r;
		const n = r.count(what, 8);
		if (!this.whole) {
			for (let i = 0; i < n; i++) r.i64AtLeast(each, 0);
			return [];
		}
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
		const countAt = r.offset;
		const offsets = this.offsets('number of key groups', 'a key-group offset');
		const numberOfKeyGroups = this.r.view.getInt32(countAt);
		this.checkKeyGroups(startKeyGroup, numberOfKeyGroups, at);
		return {keyGroupRange: {startKeyGroup, numberOfKeyGroups}, offsets};
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
				this.sink.inline(name, data.length);
				return this.whole ? {tag: BYTE_STREAM_STATE_HANDLE, name, data} : PLACEHOLDER_BYTE_STREAM;
			}
			case FILE_STREAM_STATE_HANDLE: {
				const size = r.i64AtLeast('a file size', -1);
				const path = r.utf('the file path');
				this.sink.file(path, size);
				return this.whole ? {tag: FILE_STREAM_STATE_HANDLE, path, size} : PLACEHOLDER_FILE;
			}
			case RELATIVE_STREAM_STATE_HANDLE: {
				const relativePath = r.utf('the relative file path');
				const size = r.i64AtLeast('a file size', -1);
				this.sink.relative(relativePath, size);
				return this.whole ? {tag: RELATIVE_STREAM_STATE_HANDLE, relativePath, size} : PLACEHOLDER_RELATIVE;
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
				this.sink.segment(physicalFilePath, size, startPos, scope);
				return this.whole ? {tag: SEGMENT_FILE_HANDLE, startPos, size, scope, physicalFilePath, logicalFileId} : PLACEHOLDER_SEGMENT;
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
				this.sink.next('delegate');
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
		this.sink.next('metaState');
		const metaState = this.streamHandle();
		const sharedState = this.handleList('number of shared state handles', 'shared');
		const privateState = this.handleList('number of private state handles', 'private');
		if (tag === INCREMENTAL_KEY_GROUPS_HANDLE) return {tag, checkpointId, backendId, keyGroupRange, metaState, sharedState, privateState};
		const stateHandleId = r.utf('the state handle id');
		return {tag, checkpointId, backendId, keyGroupRange, checkpointedSize, metaState, sharedState, privateState, stateHandleId};
	}

	/** The shared or private list of an incremental handle (`role` of its references); without {@link whole}, only its entries that are or hold a segment. */
	private handleList(what: string, role: string): HandleAndLocalPath[] {
		const r = this.r;
		const sink = this.sink;
		const n = r.count(what, 3);
		if (!this.whole) {
			const out: HandleAndLocalPath[] = [];
			for (let i = 0; i < n; i++) {
				const localPath = r.utf('a local file path');
				sink.next(role, localPath);
				const handle = this.streamHandle();
				if (handle !== null && (handle.tag === SEGMENT_FILE_HANDLE || handle.tag === KEY_GROUPS_HANDLE)) out.push({localPath, handle});
			}
			return out;
		}
		const out: HandleAndLocalPath[] = new Array(n);
		for (let i = 0; i < n; i++) {
			const localPath = r.utf('a local file path');
			sink.next(role, localPath);
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

	/** The materialized and non-materialized lists of a changelog backend handle: the roles of the references below them. */
	private changelogLists(): [(KeyedStateHandle | null)[], (KeyedStateHandle | null)[]] {
		const sink = this.sink;
		const outer = sink.outerRole;
		sink.outerRole = outer ?? 'materialized';
		const materialized = this.keyedList('number of materialized state handles');
		sink.outerRole = outer ?? 'changelog';
		const nonMaterialized = this.keyedList('number of non-materialized state handles');
		sink.outerRole = outer;
		return [materialized, nonMaterialized];
	}

	private changelogBackend(tag: 8 | 14): ChangelogStateBackendHandle {
		const r = this.r;
		const keyGroupRange = this.keyGroupRange();
		if (tag === CHANGELOG_HANDLE) this.sawChangelog = true;
		if (tag === CHANGELOG_HANDLE && this.changelog114) {
			const [materialized, nonMaterialized] = this.changelogLists();
			return {tag, keyGroupRange, materialized, nonMaterialized};
		}
		const checkpointedSize = r.i64AtLeast('a checkpointed size', -1);
		const [materialized, nonMaterialized] = this.changelogLists();
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
			this.sink.next('changelog');
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
		if (tag === PARTITIONABLE_OPERATOR_STATE_HANDLE) {
			this.sink.next('delegate');
			return {tag: PARTITIONABLE_OPERATOR_STATE_HANDLE, states, delegate: this.streamHandle()};
		}
		const taskOwnedDirectory = r.utf('the task-owned directory');
		const sharedDirectory = r.utf('the shared directory');
		this.sink.directories(taskOwnedDirectory, sharedDirectory);
		const isEmpty = r.bool('the isEmpty flag');
		const delegateAt = r.offset;
		this.sink.next('delegate');
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
