/**
 * The model of a Flink `_metadata` file (checkpoint or savepoint metadata), as read by
 * `readMetadata` and written by `writeMetadata`.
 *
 * The shapes follow Flink's own classes (`CheckpointMetadata`, `OperatorState`,
 * `OperatorSubtaskState` and the state-handle classes) as serialised by `MetadataV2V3SerializerBase`
 * and its version subclasses `MetadataV2Serializer` … `MetadataV7Serializer`. Every field that the
 * format stores is kept, so that writing a parsed model gives back the identical bytes.
 *
 * Integers stored as Java `long` (i64) are {@link I64}: a `number` when the value is a safe integer
 * (always, in files Flink writes), a `bigint` otherwise, so that nothing is ever rounded.
 */

/** A Java `long`: a `number` when it is a safe integer, else a `bigint`. */
export type I64 = number | bigint;

/** Inclusive key-group range `[startKeyGroup, startKeyGroup + numberOfKeyGroups - 1]` (Flink `KeyGroupRange`). */
export interface KeyGroupRange {
	startKeyGroup: number;
	numberOfKeyGroups: number;
}

// ---------------------------------------------------------------------------------------------
// Stream state handles (docs/format.md#stream-handles): the leaves that hold bytes inline or point at files.
// ---------------------------------------------------------------------------------------------

/** Tag 1, `ByteStreamStateHandle`: state bytes stored inline in `_metadata`. `name` is only a label. */
export interface ByteStreamStateHandle {
	tag: 1;
	name: string;
	data: Uint8Array;
}

/** Tag 2, `FileStateHandle`: an absolute Flink path (`hdfs://…`, `s3://…`, `file:/…`). `size` in bytes, -1 if unknown. */
export interface FileStateHandle {
	tag: 2;
	path: string;
	size: I64;
}

/** Tag 6, `RelativeFileStateHandle`: a file name relative to the directory that holds `_metadata`. `size` in bytes. */
export interface RelativeFileStateHandle {
	tag: 6;
	relativePath: string;
	size: I64;
}

/** Tag 3 read as a stream handle: a `KeyGroupsStateHandle` nested as a plain stream (no state-handle id). */
export interface KeyGroupsStreamStateHandle {
	tag: 3;
	keyGroupRange: KeyGroupRange;
	/** Offset (bytes) of each key group's data in `delegate`; exactly `numberOfKeyGroups` entries. */
	offsets: I64[];
	delegate: StreamStateHandle | null;
}

/** `CheckpointedStateScope` ordinal: 0 EXCLUSIVE, 1 SHARED. */
export type CheckpointedStateScope = number;

/** Tag 15, `SegmentFileStateHandle` (file merging, Flink 1.20+): bytes `[startPos, startPos + size)` of a physical file. */
export interface SegmentFileStateHandle {
	tag: 15;
	startPos: I64;
	size: I64;
	scope: CheckpointedStateScope;
	physicalFilePath: string;
	logicalFileId: string;
}

/** Tag 16, `EmptySegmentFileStateHandle`: placeholder without a file. */
export interface EmptySegmentFileStateHandle {
	tag: 16;
}

/** Any stream state handle; `null` in a slot stands for tag 0. */
export type StreamStateHandle =
	ByteStreamStateHandle | FileStateHandle | RelativeFileStateHandle | KeyGroupsStreamStateHandle | SegmentFileStateHandle | EmptySegmentFileStateHandle;

// ---------------------------------------------------------------------------------------------
// Keyed state handles (docs/format.md#keyed-handles).
// ---------------------------------------------------------------------------------------------

/**
 * Tags 3 (`KeyGroupsStateHandle` v1, written ≤ 1.14), 12 (v2, with `stateHandleId`, ≥ 1.15) and
 * 7 (`KeyGroupsSavepointStateHandle`, canonical savepoints): a full snapshot of key groups.
 */
export interface KeyGroupsStateHandle {
	tag: 3 | 7 | 12;
	keyGroupRange: KeyGroupRange;
	/** Offset (bytes) of each key group in `delegate`. */
	offsets: I64[];
	delegate: StreamStateHandle | null;
	/** Only tag 12. */
	stateHandleId?: string;
}

/** One entry of the shared or private file list of an incremental handle (Flink `HandleAndLocalPath`). */
export interface HandleAndLocalPath {
	/** The local RocksDB file name, e.g. `000012.sst` (the `StateHandleID` before 1.18). */
	localPath: string;
	handle: StreamStateHandle | null;
}

/** Tags 5 (v1, ≤ 1.14) and 11 (v2): `IncrementalRemoteKeyedStateHandle`, a RocksDB/ForSt snapshot. */
export interface IncrementalRemoteKeyedStateHandle {
	tag: 5 | 11;
	checkpointId: I64;
	backendId: string;
	keyGroupRange: KeyGroupRange;
	/** Only tag 11: bytes uploaded for this checkpoint, -1 if unknown. */
	checkpointedSize?: I64;
	metaState: StreamStateHandle | null;
	/** Shared state (SST files uploaded with SHARED scope, usually in `shared/`). */
	sharedState: HandleAndLocalPath[];
	/** Private state (MANIFEST, CURRENT, OPTIONS, and every file of a native full snapshot). */
	privateState: HandleAndLocalPath[];
	/** Only tag 11. */
	stateHandleId?: string;
}

/**
 * Tags 8 (v1) and 14 (v2): `ChangelogStateBackendHandle`, the changelog state backend's handle:
 * materialized keyed state plus the not-yet-materialized changelog.
 * In the Flink 1.14 layout of tag 8 only the range and the two lists are present.
 */
export interface ChangelogStateBackendHandle {
	tag: 8 | 14;
	keyGroupRange: KeyGroupRange;
	checkpointedSize?: I64;
	materialized: (KeyedStateHandle | null)[];
	nonMaterialized: (KeyedStateHandle | null)[];
	materializationId?: I64;
	/** Only tag 14. */
	checkpointId?: I64;
	stateHandleId?: string;
}

/** One state change of an in-memory changelog handle; `keyGroup` -1 marks a metadata change. */
export interface StateChange {
	keyGroup: number;
	data: Uint8Array;
}

/** Tag 9, `InMemoryChangelogStateHandle`: changes stored inline. `stateHandleId` absent in the 1.14 layout. */
export interface InMemoryChangelogStateHandle {
	tag: 9;
	keyGroupRange: KeyGroupRange;
	from: I64;
	to: I64;
	changes: StateChange[];
	stateHandleId?: string;
}

/** Tags 10 (v1) and 13 (v2): `ChangelogStateHandleStreamImpl`, positions of this task's changes in DSTL files. */
export interface ChangelogStateHandleStreamImpl {
	tag: 10 | 13;
	keyGroupRange: KeyGroupRange;
	handles: {offset: I64; handle: StreamStateHandle | null}[];
	size: I64;
	/** Absent in the 1.14 layout of tag 10. */
	checkpointedSize?: I64;
	/** Absent in the 1.14 layout of tag 10. */
	stateHandleId?: string;
	/** Only tag 13, e.g. `filesystem`. */
	storageIdentifier?: string;
}

/** Any keyed state handle; `null` in a slot stands for tag 0. */
export type KeyedStateHandle =
	KeyGroupsStateHandle | IncrementalRemoteKeyedStateHandle | ChangelogStateBackendHandle | InMemoryChangelogStateHandle | ChangelogStateHandleStreamImpl;

// ---------------------------------------------------------------------------------------------
// Operator state handles (docs/format.md#operator-handles).
// ---------------------------------------------------------------------------------------------

/** `OperatorStateHandle.Mode` ordinal: 0 SPLIT_DISTRIBUTE, 1 UNION, 2 BROADCAST. */
export type OperatorStateDistributionMode = number;

/** One registered operator state (list / union / broadcast state) inside an operator state handle. */
export interface OperatorStateMetaInfo {
	name: string;
	distributionMode: OperatorStateDistributionMode;
	/** Start offset (bytes) of each element or partition in the delegate. */
	offsets: I64[];
}

/** Tag 4, `OperatorStreamStateHandle`. `states` keeps the file's (HashMap) order. */
export interface OperatorStreamStateHandle {
	tag: 4;
	states: OperatorStateMetaInfo[];
	delegate: StreamStateHandle | null;
}

/** Tag 17, `FileMergingOperatorStreamStateHandle` (or its `Empty…` variant when `isEmpty`). */
export interface FileMergingOperatorStreamStateHandle {
	tag: 17;
	states: OperatorStateMetaInfo[];
	/** Absolute path of the file-merging managed directory for exclusive (task-owned) state. */
	taskOwnedDirectory: string;
	/** Absolute path of the file-merging managed directory for shared state. */
	sharedDirectory: string;
	isEmpty: boolean;
	/** A segment handle: tag 15 or 16. */
	delegate: StreamStateHandle | null;
}

/** An operator state handle; `{tag: 0}` is "present flag set but null handle" (never written by Flink). */
export type OperatorStateHandle = OperatorStreamStateHandle | FileMergingOperatorStreamStateHandle | {tag: 0};

// ---------------------------------------------------------------------------------------------
// Channel state handles (unaligned checkpoints, docs/format.md#channel-state).
// ---------------------------------------------------------------------------------------------

/** Layouts of channel-state handles: A (Flink 1.11), B (1.12 … 2.0), C (V6+, tagged, with merged handles). */
export type ChannelStateLayout = 'A' | 'B' | 'C';

/** `InputChannelStateHandle` / `ResultSubpartitionStateHandle`. `info` = (gate, channel) or (partition, subpartition). */
export interface ChannelStateHandle {
	type: 'single';
	/** Absent in layout A. */
	subtaskIndex?: number;
	info: [number, number];
	offsets: I64[];
	/** Bytes belonging to this channel. */
	size: I64;
	delegate: StreamStateHandle | null;
}

/** `MergedInputChannelStateHandle` / `MergedResultSubpartitionStateHandle` (layout C only). */
export interface MergedChannelStateHandle {
	type: 'merged';
	subtaskIndex: number;
	totalSize: I64;
	delegate: StreamStateHandle | null;
	channels: {info: [number, number]; size: I64; offsets: I64[]}[];
}

export type AnyChannelStateHandle = ChannelStateHandle | MergedChannelStateHandle;

// ---------------------------------------------------------------------------------------------
// Subtasks, operators, master states, properties, the file.
// ---------------------------------------------------------------------------------------------

/** `OperatorSubtaskState`: the four state slots plus channel state of one running subtask. */
export interface OperatorSubtaskState {
	/** `null` = presence flag 0. */
	managedOperatorState: OperatorStateHandle | null;
	rawOperatorState: OperatorStateHandle | null;
	managedKeyedState: KeyedStateHandle | null;
	rawKeyedState: KeyedStateHandle | null;
	/** V3+. */
	inputChannelState: AnyChannelStateHandle[];
	/** V3+. */
	resultSubpartitionState: AnyChannelStateHandle[];
	/** V2 only: the unused duration field (written as -1). */
	legacyDuration?: I64;
	/** V2 only: legacy (pre-1.4 `Checkpointed`) operator state handles. */
	legacyOperatorState?: (StreamStateHandle | null)[];
	/** V7 only (unreleased format): `null` = marker 0, a number = marker 1. */
	refCheckpointId?: I64 | null;
}

/** One subtask entry of an operator; `finished` subtasks carry no state (stored as `-index-1`). */
export type SubtaskEntry = {subtaskIndex: number; finished: false; state: OperatorSubtaskState} | {subtaskIndex: number; finished: true};

/** Flink `OperatorState`: the state of one operator across all its subtasks. */
export interface OperatorState {
	/** `OperatorID` as 32 lowercase hex chars (bytes in file order). */
	operatorId: string;
	/** V5+: operator name, `''` = not set. */
	name?: string;
	/** V5+: operator uid, `''` = not set. */
	uid?: string;
	parallelism: number;
	/** Number of key groups. */
	maxParallelism: number;
	/** V2 only (always 1). */
	chainLength?: number;
	/** V3+: the `OperatorCoordinator` state (tag 1) or null. */
	coordinatorState: StreamStateHandle | null;
	/** V3+: `numSubtasks == -1`, a fully finished operator (no subtasks follow). */
	fullyFinished: boolean;
	subtasks: SubtaskEntry[];
}

/** A master hook's state (`MasterState`), e.g. from a `MasterTriggerRestoreHook`. */
export interface MasterState {
	name: string;
	version: number;
	payload: Uint8Array;
}

/** `SnapshotType` of the properties: a `CheckpointType` or a `SavepointType`. */
export type SnapshotType =
	{kind: 'checkpoint'; name: string; sharingFilesStrategy: string} | {kind: 'savepoint'; name: string; postCheckpointAction: string; formatType: string};

/** Flink `CheckpointProperties`, Java-serialised after the body in V4+ (docs/format.md#properties-trailer). */
export interface CheckpointProperties {
	checkpointType: SnapshotType | null;
	forced: boolean;
	discardSubsumed: boolean;
	discardFinished: boolean;
	discardCancelled: boolean;
	discardFailed: boolean;
	discardSuspended: boolean;
	/** Absent in properties written before the field existed. */
	unclaimed?: boolean;
}

/** Which same-version layout variant the file was read with (docs/format.md#keyed-handles, #channel-state). */
export interface LayoutVariant {
	channelState: ChannelStateLayout;
	/** `'1.14'` = the Flink 1.14 changelog handle layout; `'1.15'` = 1.15 and later. */
	changelog: '1.14' | '1.15';
}

/** The V4+ properties trailer. */
export interface PropertiesTrailer {
	/** Decoded properties; `null` when the trailer is `TC_NULL` (Flink wrote no properties). */
	properties: CheckpointProperties | null;
	/** The raw Java serialization bytes as read; the writer writes them back verbatim when present. */
	raw?: Uint8Array;
}

/** A parsed `_metadata` file (Flink `CheckpointMetadata`). */
export interface CheckpointMetadata {
	/** Format version 0 … 7. */
	version: number;
	/** ≥ 0; for a legacy (V0/V1) file too short to hold one: -1. */
	checkpointId: I64;
	masterStates: MasterState[];
	operators: OperatorState[];
	/** V4+ only. */
	trailer?: PropertiesTrailer;
	/** The layout variant read (and to write). Where no variant applies (V2, legacy) it is `{B, 1.15}`. */
	layout: LayoutVariant;
	/** Versions 0 and 1 (Flink 1.1 / 1.2): set to a message; `operators` is then empty. */
	legacy?: string;
}

// The flat file references and the reader's options and result (read-types.ts).
export type * from './read-types.js';
