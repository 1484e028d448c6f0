/**
 * Reader of Flink's binary `_metadata` format (docs/format.md): the header, and the body of versions
 * 2…7 as written by `MetadataV2V3SerializerBase` and its subclasses `MetadataV2Serializer` …
 * `MetadataV7Serializer` (master states, operators, subtasks; the state handles are parsed by
 * `handle-parser.ts`, the V4+ properties trailer by `properties-trailer.ts`). Versions 0 and 1 are
 * recognised only.
 */
import {ByteReader} from './cursor.js';
import {ParseError} from './errors.js';
import {readPropertiesTrailer} from './properties-trailer.js';
import {ReferenceSink} from './reference-sink.js';
import {formatFeatures, MAX_VERSION, type FormatFeatures} from './versions.js';
import {ChannelParser} from './channel-parser.js';
import {MAX_PARALLELISM} from './handle-parser.js';
import type {
	ChannelStateLayout,
	CheckpointMetadata,
	I64,
	LayoutVariant,
	MasterState,
	OperatorState,
	OperatorSubtaskState,
	PropertiesTrailer,
	ReadOptions,
	ReadResult,
	StreamStateHandle,
	SubtaskEntry,
} from './types.js';
import {BYTE_STREAM_STATE_HANDLE} from './tags.js';

/** The `_metadata` header magic number (`Checkpoints.HEADER_MAGIC_NUMBER`). */
export const METADATA_MAGIC = 0x4960672d;
/** Magic number in front of every master state (`MetadataV2V3SerializerBase.MASTER_STATE_MAGIC_NUMBER`). */
export const MASTER_STATE_MAGIC = 0xc96b1696 | 0;

/**
 * Parse the bytes of a Flink `_metadata` file (checkpoint or savepoint metadata).
 *
 * Versions 2…7 are decoded completely and the whole input must be consumed (V4+: including the
 * Java-serialised `CheckpointProperties` trailer). Layout variants that share a version number
 * (V3: channel-state layout B (1.12+) or A (1.11); changelog handles of 1.15+ or 1.14) are tried in
 * that order and the first variant that parses to the end of the input wins; it is recorded in
 * `metadata.layout`. `options.channelLayout` / `options.changelogLayout` force a variant.
 * Versions 0 and 1 (Flink 1.1 / 1.2) are recognised and returned with `legacy` set, the checkpoint
 * id (`-1` if the file is too short to hold one) and no operators.
 *
 * @returns the model and the flat list of file references (as `collectReferences` gives them for
 *   the model), named by the parser while it reads.
 * @throws ParseError for anything that is not a well-formed `_metadata` file (wrong magic, unknown
 *   version or tag, truncation, impossible counts, trailing bytes); the message names the file
 *   (`options.fileName`, default `<bytes>`) and the byte offset.
 */
export function readMetadata(bytes: Uint8Array, options: ReadOptions = {}): ReadResult {
	return read(bytes, options, true);
}

/**
 * {@link readMetadata} for a caller that needs the references and not the whole state-handle tree
 * (the tree analysis): the same checks, errors and references, with less made. In
 * `metadata.operators`, leaf stream handles (tags 1, 2, 6, 15) are placeholders holding only their
 * tag, offset lists are empty, and the shared and private lists of incremental handles hold only
 * their entries that are or hold a segment handle; everything else (operators, subtasks, handle
 * tags and nesting, operator state names, the trailer) is as {@link readMetadata} gives it.
 * Not for writing back.
 *
 * @throws ParseError as {@link readMetadata}.
 */
export function readReferences(bytes: Uint8Array, options: ReadOptions = {}): ReadResult {
	return read(bytes, options, false);
}

/** {@link readMetadata} with the whole model, or {@link readReferences} without. */
function read(bytes: Uint8Array, options: ReadOptions, whole: boolean): ReadResult {
	const fileName = options.fileName ?? '<bytes>';
	const r = new ByteReader(bytes, fileName);
	const magic = r.i32('the magic number 0x4960672D of a Flink _metadata file');
	if (magic !== METADATA_MAGIC) {
		r.fail(
			'the magic number 0x4960672D of a Flink _metadata file',
			`0x${(magic >>> 0).toString(16).toUpperCase().padStart(8, '0')}: not a Flink _metadata file (Flink 1.0 savepoints have no magic number and are not supported)`,
			0,
		);
	}
	const version = r.i32('the format version');
	const features = formatFeatures(version);
	if (features === undefined) return r.fail(`format version 0..${MAX_VERSION}`, String(version), 4);
	if (features.legacy) return {metadata: readLegacy(r, version), references: []};

	const candidates = layoutCandidates(features, options);
	const failed: {layout: LayoutVariant; sawChannel: boolean; sawChangelog: boolean}[] = [];
	let firstError: ParseError | undefined;
	for (const layout of candidates) {
		// Skip a variant when an earlier failed attempt never reached the part where they differ:
		// it would fail the same way at the same place.
		if (failed.some((f) => (f.layout.channelState === layout.channelState || !f.sawChannel) && (f.layout.changelog === layout.changelog || !f.sawChangelog))) {
			continue;
		}
		const sink = new ReferenceSink();
		const parser = new BodyParser(r.sub(8, bytes.length), version, features, layout, sink, whole);
		try {
			return {metadata: parser.parse(), references: sink.out};
		} catch (error) {
			if (!(error instanceof ParseError)) throw error;
			firstError ??= error;
			failed.push({layout, sawChannel: parser.sawChannel, sawChangelog: parser.sawChangelog});
		}
	}
	throw firstError as ParseError;
}

/** Variants to try, in order: the version's channel and changelog layouts, unless `options` force one. */
function layoutCandidates(features: FormatFeatures, options: ReadOptions): LayoutVariant[] {
	const channels: readonly ChannelStateLayout[] = options.channelLayout ? [options.channelLayout] : features.channelLayouts;
	const changelogs: readonly ('1.15' | '1.14')[] = options.changelogLayout ? [options.changelogLayout] : features.changelogLayouts;
	const out: LayoutVariant[] = [];
	for (const changelog of changelogs) for (const channelState of channels) out.push({channelState, changelog});
	return out;
}

/** Versions 0 and 1: only the checkpoint id is read (docs/format.md#legacy-versions). */
function readLegacy(r: ByteReader, version: number): CheckpointMetadata {
	const checkpointId = r.remaining >= 8 ? r.i64() : -1;
	return {
		version,
		checkpointId,
		masterStates: [],
		operators: [],
		layout: {channelState: 'B', changelog: '1.15'},
		legacy: `legacy format (Flink 1.1/1.2), version ${version}`,
	};
}
/** Parses the body of one version with one layout variant; the cursor starts after the header. */
class BodyParser extends ChannelParser {
	constructor(
		r: ByteReader,
		private readonly version: number,
		private readonly features: FormatFeatures,
		layout: LayoutVariant,
		sink: ReferenceSink,
		whole: boolean,
	) {
		super(r, layout, sink, whole);
	}

	parse(): CheckpointMetadata {
		const r = this.r;
		const version = this.version;
		const idAt = r.offset;
		const checkpointId = r.i64('the checkpoint id');
		if (checkpointId < 0) r.fail('a checkpoint id ≥ 0', String(checkpointId), idAt);

		const numMasterStates = r.count('number of master states', 8);
		const masterStates: MasterState[] = new Array(numMasterStates);
		for (let i = 0; i < numMasterStates; i++) masterStates[i] = this.masterState();

		const numOperators = r.count('number of operator states', this.features.minOperatorBytes);
		const operators: OperatorState[] = new Array(numOperators);
		for (let i = 0; i < numOperators; i++) operators[i] = this.operatorState();

		let trailer: PropertiesTrailer | undefined;
		if (this.features.propertiesTrailer) trailer = this.trailer();

		if (r.offset !== r.end) {
			const n = r.end - r.offset;
			r.fail('end of file', `${n} trailing byte${n === 1 ? '' : 's'} at offset ${r.offset}`);
		}
		const metadata: CheckpointMetadata = {version, checkpointId, masterStates, operators, layout: this.layout};
		if (trailer !== undefined) metadata.trailer = trailer;
		return metadata;
	}

	private trailer(): PropertiesTrailer {
		const r = this.r;
		const at = r.offset;
		try {
			return readPropertiesTrailer(r);
		} catch (error) {
			if (error instanceof ParseError) throw error;
			// Never let a decoder bug surface as anything but a ParseError.
			throw new ParseError(r.fileName, at, 'a Java-serialized CheckpointProperties trailer', error instanceof Error ? error.message : String(error));
		}
	}

	/** docs/format.md#master-states */
	private masterState(): MasterState {
		const r = this.r;
		const at = r.offset;
		const magic = r.i32('the master state magic number');
		if (magic !== MASTER_STATE_MAGIC) r.fail('the master state magic number 0xC96B1696', `0x${(magic >>> 0).toString(16).toUpperCase()}`, at);
		const lenAt = r.offset;
		const len = r.i32('the length of a master state');
		if (len <= 0 || len > r.remaining) r.fail(`a master state length in 1..${r.remaining}`, String(len), lenAt);
		const block = r.sub(r.offset, r.offset + len);
		const version = block.i32('the master state version');
		const name = block.utf('the master state name');
		const payload = block.lengthPrefixed('the master state payload');
		if (block.offset !== block.end) {
			block.fail(`the end of the master state block at byte ${block.end}`, `${block.end - block.offset} unread byte(s)`);
		}
		r.offset = block.end;
		return {name, version, payload};
	}

	/** docs/format.md#operators */
	private operatorState(): OperatorState {
		const r = this.r;
		const features = this.features;
		let name: string | undefined;
		let uid: string | undefined;
		if (features.operatorNameAndUid) {
			name = r.utf('the operator name');
			uid = r.utf('the operator uid');
		}
		const operatorId = r.id16('an operator id');
		const parallelismAt = r.offset;
		const parallelism = r.i32('a parallelism');
		// OperatorState's constructor requires parallelism ≤ maxParallelism ≤ 2^15.
		const maxParallelism = r.i32In('a max parallelism', 1, MAX_PARALLELISM);
		if (parallelism < 1 || parallelism > maxParallelism) r.fail(`a parallelism in 1..${maxParallelism}`, String(parallelism), parallelismAt);
		this.maxParallelism = maxParallelism;
		const sink = this.sink;
		sink.operatorId = operatorId;
		const indices = new SubtaskIndices(r, parallelism);
		if (features.v2Fields) {
			const chainLength = r.i32('the chain length');
			const numSubtasks = r.count('number of subtask states', 26);
			const subtasks: SubtaskEntry[] = new Array(numSubtasks);
			for (let i = 0; i < numSubtasks; i++) {
				const at = r.offset;
				const subtaskIndex = indices.check(r.i32('a subtask index'), at);
				sink.subtaskIndex = subtaskIndex;
				subtasks[i] = {subtaskIndex, finished: false, state: this.subtaskState()};
			}
			return {operatorId, parallelism, maxParallelism, chainLength, coordinatorState: null, fullyFinished: false, subtasks};
		}
		const coordinatorAt = r.offset;
		sink.subtaskIndex = null;
		sink.slot = 'coordinatorState';
		sink.next('delegate');
		const coordinatorState = this.streamHandle();
		if (coordinatorState !== null && coordinatorState.tag !== BYTE_STREAM_STATE_HANDLE) {
			r.fail('coordinator state as a byte-stream handle (tag 0 or 1)', `tag ${coordinatorState.tag}`, coordinatorAt);
		}
		const countAt = r.offset;
		const raw = r.i32('number of subtask states');
		let subtasks: SubtaskEntry[];
		let fullyFinished = false;
		if (raw < 0) {
			// FullyFinishedOperatorState (Flink 1.14+), always written as -1.
			if (raw !== -1) r.fail('a number of subtask states ≥ 0, or -1 (a fully finished operator)', String(raw), countAt);
			if (coordinatorState !== null) r.fail('no coordinator state for a fully finished operator', 'a coordinator state', coordinatorAt);
			fullyFinished = true;
			subtasks = [];
		} else {
			r.offset = countAt;
			const numSubtasks = r.count('number of subtask states', 4);
			subtasks = new Array(numSubtasks);
			for (let i = 0; i < numSubtasks; i++) {
				const at = r.offset;
				const stored = r.i32('a subtask index');
				// A finished subtask is stored as -index - 1.
				const subtaskIndex = indices.check(stored >= 0 ? stored : -stored - 1, at);
				sink.subtaskIndex = subtaskIndex;
				subtasks[i] = stored >= 0 ? {subtaskIndex, finished: false, state: this.subtaskState()} : {subtaskIndex, finished: true};
			}
		}
		const op: OperatorState = {operatorId, parallelism, maxParallelism, coordinatorState, fullyFinished, subtasks};
		if (name !== undefined) {
			op.name = name;
			op.uid = uid;
		}
		return op;
	}

	/** docs/format.md#subtasks */
	private subtaskState(): OperatorSubtaskState {
		const r = this.r;
		const features = this.features;
		const sink = this.sink;
		let legacyDuration: I64 | undefined;
		let legacyOperatorState: (StreamStateHandle | null)[] | undefined;
		if (features.v2Fields) {
			legacyDuration = r.i64('the unused duration field');
			const n = r.count('number of legacy operator states', 1);
			legacyOperatorState = new Array(n);
			sink.slot = 'legacyOperatorState';
			for (let i = 0; i < n; i++) {
				sink.next('delegate');
				legacyOperatorState[i] = this.streamHandle();
			}
		}
		sink.slot = 'managedOperatorState';
		const managedOperatorState = r.i32In('the managed operator state flag', 0, 1) !== 0 ? this.operatorHandle() : null;
		sink.slot = 'rawOperatorState';
		const rawOperatorState = r.i32In('the raw operator state flag', 0, 1) !== 0 ? this.operatorHandle() : null;
		sink.slot = 'managedKeyedState';
		const managedKeyedState = this.keyedHandle();
		sink.slot = 'rawKeyedState';
		const rawKeyedState = this.keyedHandle();
		if (!features.coordinatorAndChannelState) {
			return {
				managedOperatorState,
				rawOperatorState,
				managedKeyedState,
				rawKeyedState,
				inputChannelState: [],
				resultSubpartitionState: [],
				legacyDuration,
				legacyOperatorState,
			};
		}
		sink.slot = 'inputChannelState';
		const inputChannelState = this.channelList(true);
		sink.slot = 'resultSubpartitionState';
		const resultSubpartitionState = this.channelList(false);
		const state: OperatorSubtaskState = {managedOperatorState, rawOperatorState, managedKeyedState, rawKeyedState, inputChannelState, resultSubpartitionState};
		if (features.refCheckpointId) {
			const at = r.offset;
			const marker = r.u8('the refCheckpointId marker');
			if (marker === 0) state.refCheckpointId = null;
			else if (marker === 1) state.refCheckpointId = r.i64AtLeast('a refCheckpointId', 0);
			else r.fail('a refCheckpointId marker (0 or 1)', String(marker), at);
		}
		return state;
	}
}

/** The subtask indices of one operator: each in `[0, parallelism)` and each once (Flink keeps them in a map). */
class SubtaskIndices {
	private readonly seen = new Set<number>();

	constructor(
		private readonly r: ByteReader,
		private readonly parallelism: number,
	) {}

	/** `index` if it is valid, else a {@link ParseError} at `at` (where the index is stored). */
	check(index: number, at: number): number {
		if (index < 0 || index >= this.parallelism) this.r.fail(`a subtask index in 0..${this.parallelism - 1}`, String(index), at);
		if (this.seen.has(index)) this.r.fail('each subtask index once', `subtask ${index} again`, at);
		this.seen.add(index);
		return index;
	}
}
