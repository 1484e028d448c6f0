/**
 * Writer of Flink's binary `_metadata` format: the exact inverse of `readMetadata` for versions
 * 2…7 (`MetadataV2V3SerializerBase` and `MetadataV2Serializer` … `MetadataV7Serializer`).
 */
import {ByteWriter} from './byte-writer.js';
import {writePropertiesTrailer} from './properties-trailer.js';
import {MASTER_STATE_MAGIC, METADATA_MAGIC} from './reader.js';
import {formatFeatures, MAX_VERSION, type FormatFeatures} from './versions.js';
import type {
	AnyChannelStateHandle,
	CheckpointMetadata,
	HandleAndLocalPath,
	I64,
	KeyedStateHandle,
	KeyGroupRange,
	LayoutVariant,
	OperatorState,
	OperatorStateHandle,
	OperatorStateMetaInfo,
	OperatorSubtaskState,
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
 * Serialise a model to the bytes of a `_metadata` file, honouring `metadata.version` (2…7) and
 * `metadata.layout` (channel-state layout A/B/C, changelog 1.14/1.15 layout). For every file that
 * `readMetadata` accepts, `writeMetadata(readMetadata(x).metadata)` returns `x` byte for byte
 * (except non-canonical encodings Flink never writes: presence flags other than 0/1, fully-finished
 * markers other than -1, overlong modified UTF-8).
 *
 * V4+ without a `trailer` gets the `TC_NULL` trailer (`AC ED 00 05 70`), like a Flink
 * `CheckpointMetadata` without properties.
 *
 * @throws RangeError when the model cannot be written: version 0/1 (legacy) or > 7, a string whose
 *   modified UTF-8 encoding exceeds 65 535 bytes, an operator id that is not 32 hex chars, a
 *   field the chosen version/layout requires is missing, or a count does not match
 *   (`offsets.length` vs `numberOfKeyGroups`).
 */
export function writeMetadata(metadata: CheckpointMetadata): Uint8Array {
	const {version} = metadata;
	const features = formatFeatures(version);
	if (metadata.legacy !== undefined || features === undefined || features.legacy) {
		throw new RangeError(`cannot write _metadata format version ${version} (supported: 2..${MAX_VERSION})`);
	}
	const w = new MetadataWriter(features, metadata.layout);
	w.out.i32(METADATA_MAGIC);
	w.out.i32(version);
	w.body(metadata);
	return w.out.toBytes();
}

function required<T>(value: T | undefined, what: string): T {
	if (value === undefined) throw new RangeError(`cannot write ${what}: field missing for this version/layout`);
	return value;
}

class MetadataWriter {
	readonly out = new ByteWriter(1 << 16);
	private readonly changelog114: boolean;

	constructor(
		private readonly features: FormatFeatures,
		private readonly layout: LayoutVariant,
	) {
		this.changelog114 = layout.changelog === '1.14';
	}

	body(m: CheckpointMetadata): void {
		const out = this.out;
		out.i64(m.checkpointId);
		out.i32(m.masterStates.length);
		for (const ms of m.masterStates) {
			out.i32(MASTER_STATE_MAGIC);
			const block = new ByteWriter(64 + ms.payload.length);
			block.i32(ms.version);
			block.utf(ms.name);
			block.lengthPrefixed(ms.payload);
			out.i32(block.length);
			out.raw(block.toBytes());
		}
		out.i32(m.operators.length);
		for (const op of m.operators) this.operatorState(op);
		if (this.features.propertiesTrailer) out.raw(writePropertiesTrailer(m.trailer ?? {properties: null}));
	}

	private operatorState(op: OperatorState): void {
		const out = this.out;
		if (this.features.operatorNameAndUid) {
			out.utf(op.name ?? '');
			out.utf(op.uid ?? '');
		}
		out.id16(op.operatorId);
		out.i32(op.parallelism);
		out.i32(op.maxParallelism);
		if (this.features.v2Fields) {
			out.i32(op.chainLength ?? 1);
			out.i32(op.subtasks.length);
			for (const s of op.subtasks) {
				if (s.finished) throw new RangeError('cannot write a finished subtask in format version 2');
				out.i32(s.subtaskIndex);
				this.subtaskState(s.state);
			}
			return;
		}
		this.streamHandle(op.coordinatorState);
		if (op.fullyFinished) {
			out.i32(-1);
			return;
		}
		out.i32(op.subtasks.length);
		for (const s of op.subtasks) {
			if (s.finished) {
				out.i32(-s.subtaskIndex - 1);
			} else {
				out.i32(s.subtaskIndex);
				this.subtaskState(s.state);
			}
		}
	}

	private subtaskState(s: OperatorSubtaskState): void {
		const out = this.out;
		if (this.features.v2Fields) {
			out.i64(s.legacyDuration ?? -1);
			const legacy = s.legacyOperatorState ?? [];
			out.i32(legacy.length);
			for (const h of legacy) this.streamHandle(h);
		}
		for (const h of [s.managedOperatorState, s.rawOperatorState]) {
			if (h === null) {
				out.i32(0);
			} else {
				out.i32(1);
				this.operatorHandle(h);
			}
		}
		this.keyedHandle(s.managedKeyedState);
		this.keyedHandle(s.rawKeyedState);
		if (!this.features.coordinatorAndChannelState) return;
		this.channelList(s.inputChannelState, true);
		this.channelList(s.resultSubpartitionState, false);
		if (this.features.refCheckpointId) {
			if (s.refCheckpointId === undefined || s.refCheckpointId === null) {
				out.u8(0);
			} else {
				out.u8(1);
				out.i64(s.refCheckpointId);
			}
		}
	}

	private channelList(list: AnyChannelStateHandle[], input: boolean): void {
		const out = this.out;
		const layout = this.layout.channelState;
		out.i32(list.length);
		for (const h of list) {
			if (h.type === 'merged') {
				if (layout !== 'C') throw new RangeError(`cannot write a merged channel state handle in channel layout ${layout}`);
				out.u8(input ? 3 : 4);
				out.i32(h.subtaskIndex);
				out.i64(h.totalSize);
				this.streamHandle(h.delegate);
				const blob = new ByteWriter(4 + h.channels.length * 40);
				blob.i32(h.channels.length);
				for (const c of h.channels) {
					blob.i32(c.info[0]);
					blob.i32(c.info[1]);
					blob.i64(c.size);
					this.offsetsTo(blob, c.offsets);
				}
				out.lengthPrefixed(blob.toBytes());
				continue;
			}
			if (layout === 'C') out.u8(input ? 1 : 2);
			if (layout !== 'A') out.i32(required(h.subtaskIndex, 'a channel state handle without subtaskIndex in layout B/C'));
			out.i32(h.info[0]);
			out.i32(h.info[1]);
			this.offsetsTo(out, h.offsets);
			out.i64(h.size);
			this.streamHandle(h.delegate);
		}
	}

	private offsetsTo(w: ByteWriter, offsets: I64[]): void {
		w.i32(offsets.length);
		for (const o of offsets) w.i64(o);
	}

	private keyGroupRange(k: KeyGroupRange): void {
		this.out.i32(k.startKeyGroup);
		this.out.i32(k.numberOfKeyGroups);
	}

	private keyGroupRangeWithOffsets(k: KeyGroupRange, offsets: I64[]): void {
		if (offsets.length !== k.numberOfKeyGroups) {
			throw new RangeError(`key-group range of ${k.numberOfKeyGroups} key groups has ${offsets.length} offsets`);
		}
		this.out.i32(k.startKeyGroup);
		this.offsetsTo(this.out, offsets);
	}

	private streamHandle(h: StreamStateHandle | null): void {
		const out = this.out;
		if (h === null) {
			out.u8(0);
			return;
		}
		out.u8(h.tag);
		switch (h.tag) {
			case BYTE_STREAM_STATE_HANDLE:
				out.utf(h.name);
				out.lengthPrefixed(h.data);
				return;
			case FILE_STREAM_STATE_HANDLE:
				out.i64(h.size);
				out.utf(h.path);
				return;
			case RELATIVE_STREAM_STATE_HANDLE:
				out.utf(h.relativePath);
				out.i64(h.size);
				return;
			case KEY_GROUPS_HANDLE:
				this.keyGroupRangeWithOffsets(h.keyGroupRange, h.offsets);
				this.streamHandle(h.delegate);
				return;
			case SEGMENT_FILE_HANDLE:
				out.i64(h.startPos);
				out.i64(h.size);
				out.i32(h.scope);
				out.utf(h.physicalFilePath);
				out.utf(h.logicalFileId);
				return;
			case EMPTY_SEGMENT_FILE_HANDLE:
				return;
			default:
				throw new RangeError(`unknown stream state handle tag ${(h as {tag: unknown}).tag}`);
		}
	}

	private handleList(list: HandleAndLocalPath[]): void {
		this.out.i32(list.length);
		for (const e of list) {
			this.out.utf(e.localPath);
			this.streamHandle(e.handle);
		}
	}

	private keyedList(list: (KeyedStateHandle | null)[]): void {
		this.out.i32(list.length);
		for (const h of list) this.keyedHandle(h);
	}

	private keyedHandle(h: KeyedStateHandle | null): void {
		const out = this.out;
		if (h === null) {
			out.u8(0);
			return;
		}
		out.u8(h.tag);
		switch (h.tag) {
			case KEY_GROUPS_HANDLE:
			case SAVEPOINT_KEY_GROUPS_HANDLE:
			case KEY_GROUPS_HANDLE_V2:
				this.keyGroupRangeWithOffsets(h.keyGroupRange, h.offsets);
				this.streamHandle(h.delegate);
				if (h.tag === KEY_GROUPS_HANDLE_V2) out.utf(required(h.stateHandleId, 'a tag-12 handle without stateHandleId'));
				return;
			case INCREMENTAL_KEY_GROUPS_HANDLE:
			case INCREMENTAL_KEY_GROUPS_HANDLE_V2:
				out.i64(h.checkpointId);
				out.utf(h.backendId);
				this.keyGroupRange(h.keyGroupRange);
				if (h.tag === INCREMENTAL_KEY_GROUPS_HANDLE_V2) out.i64(required(h.checkpointedSize, 'a tag-11 handle without checkpointedSize'));
				this.streamHandle(h.metaState);
				this.handleList(h.sharedState);
				this.handleList(h.privateState);
				if (h.tag === INCREMENTAL_KEY_GROUPS_HANDLE_V2) out.utf(required(h.stateHandleId, 'a tag-11 handle without stateHandleId'));
				return;
			case CHANGELOG_HANDLE:
			case CHANGELOG_HANDLE_V2:
				this.keyGroupRange(h.keyGroupRange);
				if (h.tag === CHANGELOG_HANDLE && this.changelog114) {
					this.keyedList(h.materialized);
					this.keyedList(h.nonMaterialized);
					return;
				}
				out.i64(required(h.checkpointedSize, `a tag-${h.tag} handle without checkpointedSize`));
				this.keyedList(h.materialized);
				this.keyedList(h.nonMaterialized);
				out.i64(required(h.materializationId, `a tag-${h.tag} handle without materializationId`));
				if (h.tag === CHANGELOG_HANDLE_V2) out.i64(required(h.checkpointId, 'a tag-14 handle without checkpointId'));
				out.utf(required(h.stateHandleId, `a tag-${h.tag} handle without stateHandleId`));
				return;
			case CHANGELOG_BYTE_INCREMENT_HANDLE:
				this.keyGroupRange(h.keyGroupRange);
				out.i64(h.from);
				out.i64(h.to);
				out.i32(h.changes.length);
				for (const c of h.changes) {
					out.i32(c.keyGroup);
					out.lengthPrefixed(c.data);
				}
				if (!this.changelog114) out.utf(required(h.stateHandleId, 'a tag-9 handle without stateHandleId'));
				return;
			case CHANGELOG_FILE_INCREMENT_HANDLE:
			case CHANGELOG_FILE_INCREMENT_HANDLE_V2:
				this.keyGroupRange(h.keyGroupRange);
				out.i32(h.handles.length);
				for (const e of h.handles) {
					out.i64(e.offset);
					this.streamHandle(e.handle);
				}
				out.i64(h.size);
				if (h.tag === CHANGELOG_FILE_INCREMENT_HANDLE && this.changelog114) return;
				out.i64(required(h.checkpointedSize, `a tag-${h.tag} handle without checkpointedSize`));
				out.utf(required(h.stateHandleId, `a tag-${h.tag} handle without stateHandleId`));
				if (h.tag === CHANGELOG_FILE_INCREMENT_HANDLE_V2) out.utf(required(h.storageIdentifier, 'a tag-13 handle without storageIdentifier'));
				return;
			default:
				throw new RangeError(`unknown keyed state handle tag ${(h as {tag: unknown}).tag}`);
		}
	}

	private stateMap(states: OperatorStateMetaInfo[]): void {
		const out = this.out;
		out.i32(states.length);
		for (const s of states) {
			out.utf(s.name);
			out.u8(s.distributionMode);
			this.offsetsTo(out, s.offsets);
		}
	}

	private operatorHandle(h: OperatorStateHandle): void {
		const out = this.out;
		out.u8(h.tag);
		switch (h.tag) {
			case NULL_HANDLE:
				return;
			case PARTITIONABLE_OPERATOR_STATE_HANDLE:
				this.stateMap(h.states);
				this.streamHandle(h.delegate);
				return;
			case SEGMENT_PARTITIONABLE_OPERATOR_STATE_HANDLE:
				this.stateMap(h.states);
				out.utf(h.taskOwnedDirectory);
				out.utf(h.sharedDirectory);
				out.bool(h.isEmpty);
				this.streamHandle(h.delegate);
				return;
			default:
				throw new RangeError(`unknown operator state handle tag ${(h as {tag: unknown}).tag}`);
		}
	}
}
