/**
 * Hand-built `_metadata` models and fast-check arbitraries for the round-trip tests. The models are
 * shaped exactly as `readMetadata` returns them, so `readMetadata(writeMetadata(m)).metadata`
 * must deep-equal `m`.
 */
import fc from 'fast-check';
import {toI64} from '../../source/metadata/cursor.js';
import type {
	AnyChannelStateHandle,
	ChannelStateLayout,
	CheckpointMetadata,
	I64,
	KeyedStateHandle,
	KeyGroupRange,
	LayoutVariant,
	MasterState,
	OperatorState,
	OperatorStateHandle,
	OperatorSubtaskState,
	PropertiesTrailer,
	StreamStateHandle,
	SubtaskEntry,
} from '../../source/metadata/types.js';

/** `AC ED 00 05 70`: a Java serialization stream holding `null` (no CheckpointProperties). */
export const NULL_TRAILER_BYTES = Uint8Array.of(0xac, 0xed, 0x00, 0x05, 0x70);

/** The trailer as `readMetadata` returns it for `TC_NULL`. */
export function nullTrailer(): PropertiesTrailer {
	return {properties: null, raw: NULL_TRAILER_BYTES};
}

export const OP_A = '0123456789abcdef0123456789abcdef';
export const OP_B = 'cb16aa5adb311e8ac72482def19accbe';
export const OP_C = 'ffffffffffffffff0000000000000001';

export function bytes(...values: number[]): Uint8Array {
	return Uint8Array.from(values);
}

export function emptySubtask(version: number): OperatorSubtaskState {
	const s: OperatorSubtaskState = {
		managedOperatorState: null,
		rawOperatorState: null,
		managedKeyedState: null,
		rawKeyedState: null,
		inputChannelState: [],
		resultSubpartitionState: [],
	};
	if (version === 2) {
		s.legacyDuration = -1;
		s.legacyOperatorState = [];
	}
	if (version >= 7) s.refCheckpointId = null;
	return s;
}

export function operator(version: number, operatorId: string, subtasks: SubtaskEntry[], extra: Partial<OperatorState> = {}): OperatorState {
	const op: OperatorState = {operatorId, parallelism: 4, maxParallelism: 128, coordinatorState: null, fullyFinished: false, subtasks, ...extra};
	if (version === 2) op.chainLength ??= 1;
	if (version >= 5) {
		op.name ??= '';
		op.uid ??= '';
	}
	return op;
}

export function metadata(
	version: number,
	operators: OperatorState[],
	layout: Partial<LayoutVariant> = {},
	masterStates: MasterState[] = [],
): CheckpointMetadata {
	const m: CheckpointMetadata = {
		version,
		checkpointId: 42,
		masterStates,
		operators,
		layout: {channelState: layout.channelState ?? (version >= 6 ? 'C' : 'B'), changelog: layout.changelog ?? '1.15'},
	};
	if (version >= 4) m.trailer = nullTrailer();
	return m;
}

const rocksShared = (n: number): StreamStateHandle => ({tag: 2, path: `hdfs://nn:8020/flink/cp/job/shared/${n}-sst`, size: 1000 + n});

/** A V4 model with every stream, keyed and operator tag of Flink ≥ 1.15 (the 1.15 changelog layout). */
export function everyTagModel(): CheckpointMetadata {
	const v = 4;
	const nested: StreamStateHandle = {
		tag: 3,
		keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 2},
		offsets: [0, 100],
		delegate: {tag: 3, keyGroupRange: {startKeyGroup: 5, numberOfKeyGroups: 0}, offsets: [], delegate: {tag: 6, relativePath: 'nested-rel', size: 500}},
	};
	const incremental5: KeyedStateHandle = {
		tag: 5,
		checkpointId: 7,
		backendId: '8a1b2c3d-0000-4000-8000-000000000001',
		keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 64},
		metaState: {tag: 1, name: 'meta', data: bytes(1, 2, 3)},
		sharedState: [
			{localPath: '000010.sst', handle: rocksShared(10)},
			{localPath: '000011.sst', handle: null},
		],
		privateState: [{localPath: 'MANIFEST-000003', handle: {tag: 6, relativePath: 'manifest-uuid', size: 77}}],
	};
	const incremental11: KeyedStateHandle = {
		tag: 11,
		checkpointId: 8,
		backendId: '8a1b2c3d-0000-4000-8000-000000000002',
		keyGroupRange: {startKeyGroup: 64, numberOfKeyGroups: 64},
		checkpointedSize: -1,
		metaState: null,
		sharedState: [{localPath: '000012.sst', handle: rocksShared(12)}],
		privateState: [],
		stateHandleId: 'sh-11',
	};
	const changelog14: KeyedStateHandle = {
		tag: 14,
		keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 32},
		checkpointedSize: 4096,
		materialized: [incremental11, null],
		nonMaterialized: [
			{
				tag: 9,
				keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 32},
				from: 1,
				to: 9,
				changes: [
					{keyGroup: -1, data: bytes(9)},
					{keyGroup: 3, data: bytes()},
				],
				stateHandleId: 'sh-9',
			},
			{
				tag: 13,
				keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 32},
				handles: [{offset: 12, handle: {tag: 2, path: 's3://b/dstl/abc', size: 999}}],
				size: 50,
				checkpointedSize: 50,
				stateHandleId: 'sh-13',
				storageIdentifier: 'filesystem',
			},
		],
		materializationId: 3,
		checkpointId: 42,
		stateHandleId: 'sh-14',
	};
	const changelog8: KeyedStateHandle = {
		tag: 8,
		keyGroupRange: {startKeyGroup: 32, numberOfKeyGroups: 32},
		checkpointedSize: 10,
		materialized: [
			{
				tag: 12,
				keyGroupRange: {startKeyGroup: 32, numberOfKeyGroups: 1},
				offsets: [0],
				delegate: {tag: 2, path: 'file:/tmp/taskowned/x', size: 10},
				stateHandleId: 'sh-12',
			},
		],
		nonMaterialized: [
			{
				tag: 10,
				keyGroupRange: {startKeyGroup: 32, numberOfKeyGroups: 32},
				handles: [{offset: 0, handle: {tag: 1, name: 'inline-dstl', data: bytes(5, 5)}}],
				size: 2,
				checkpointedSize: 2,
				stateHandleId: 'sh-10',
			},
		],
		materializationId: 2,
		stateHandleId: 'sh-8',
	};
	const segment: StreamStateHandle = {
		tag: 15,
		startPos: 128,
		size: 64,
		scope: 0,
		physicalFilePath: 'file:/cp/taskowned/job_x_tm_y/phys-1',
		logicalFileId: 'logical-1',
	};
	const s0: OperatorSubtaskState = {
		...emptySubtask(v),
		managedOperatorState: {
			tag: 4,
			states: [
				{name: 'split', distributionMode: 0, offsets: [0, 10, 20]},
				{name: 'union', distributionMode: 1, offsets: []},
				{name: 'broadcast', distributionMode: 2, offsets: [30]},
			],
			delegate: {tag: 2, path: 'file:/cp/chk-42/op-state', size: -1},
		},
		rawOperatorState: {tag: 0},
		managedKeyedState: incremental5,
		rawKeyedState: {tag: 7, keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 1}, offsets: [4], delegate: nested},
	};
	const s1: OperatorSubtaskState = {
		...emptySubtask(v),
		managedOperatorState: {
			tag: 17,
			states: [{name: 'fm', distributionMode: 0, offsets: [0]}],
			taskOwnedDirectory: 'file:/cp/taskowned/job_x_tm_y',
			sharedDirectory: 'file:/cp/shared/job_x_op_y_1_4',
			isEmpty: false,
			delegate: segment,
		},
		rawOperatorState: {
			tag: 17,
			states: [],
			taskOwnedDirectory: 'file:/cp/taskowned/job_x_tm_y',
			sharedDirectory: 'file:/cp/shared/job_x_op_y_1_4',
			isEmpty: true,
			delegate: {tag: 16},
		},
		managedKeyedState: changelog14,
		rawKeyedState: changelog8,
		inputChannelState: [
			{
				type: 'single',
				subtaskIndex: 1,
				info: [0, 3],
				offsets: [0, 8],
				size: 16,
				delegate: {tag: 15, startPos: 0, size: 16, scope: 1, physicalFilePath: 'file:/cp/shared/phys-2', logicalFileId: 'logical-2'},
			},
		],
		resultSubpartitionState: [{type: 'single', subtaskIndex: 1, info: [1, 2], offsets: [], size: 0, delegate: {tag: 6, relativePath: 'channel-rel', size: 16}}],
	};
	const s3: OperatorSubtaskState = {
		...emptySubtask(v),
		managedKeyedState: incremental11,
		rawKeyedState: {tag: 3, keyGroupRange: {startKeyGroup: 1, numberOfKeyGroups: 2}, offsets: [1, 2], delegate: null},
	};
	return metadata(
		v,
		[
			operator(
				v,
				OP_A,
				[
					{subtaskIndex: 0, finished: false, state: s0},
					{subtaskIndex: 1, finished: false, state: s1},
					{subtaskIndex: 2, finished: true},
					{subtaskIndex: 3, finished: false, state: s3},
				],
				{coordinatorState: {tag: 1, name: OP_A, data: bytes(0xca, 0xfe)}},
			),
			operator(v, OP_B, [], {fullyFinished: true}),
			operator(v, OP_C, []),
		],
		{},
		[
			{name: 'com.example.Hook', version: 1, payload: bytes(1, 2, 3, 4, 5, 6, 7, 8)},
			{name: '', version: -5, payload: bytes()},
		],
	);
}

/** A V3 model in the Flink 1.14 changelog layouts (tags 8, 9, 10). */
export function changelog114Model(): CheckpointMetadata {
	const v = 3;
	const state: OperatorSubtaskState = {
		...emptySubtask(v),
		managedKeyedState: {
			tag: 8,
			keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128},
			materialized: [{tag: 3, keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 2}, offsets: [0, 1], delegate: {tag: 2, path: 'file:/cp/mat', size: 2}}],
			nonMaterialized: [
				{tag: 9, keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128}, from: 0, to: 5, changes: [{keyGroup: 1, data: bytes(1, 2)}]},
				{tag: 10, keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128}, handles: [{offset: 3, handle: {tag: 2, path: 'file:/dstl/f1', size: 9}}], size: 9},
			],
		},
	};
	return metadata(v, [operator(v, OP_A, [{subtaskIndex: 0, finished: false, state}])], {changelog: '1.14'});
}

/** A V3 model with Flink 1.11 channel layout A (no subtask index in channel handles). */
export function channelLayoutAModel(): CheckpointMetadata {
	const v = 3;
	const state: OperatorSubtaskState = {
		...emptySubtask(v),
		inputChannelState: [
			{type: 'single', info: [0, 1], offsets: [0, 4096], size: 8192, delegate: {tag: 6, relativePath: 'ch', size: 8192}},
			{type: 'single', info: [0, 2], offsets: [], size: 0, delegate: {tag: 6, relativePath: 'ch', size: 8192}},
		],
		resultSubpartitionState: [{type: 'single', info: [2, 3], offsets: [7], size: 5, delegate: {tag: 1, name: 'inline-ch', data: bytes(1, 2, 3, 4, 5)}}],
	};
	return metadata(v, [operator(v, OP_A, [{subtaskIndex: 0, finished: false, state}])], {channelState: 'A'});
}

/** A V7 model: channel layout C with merged handles, and refCheckpointId. */
export function v7Model(): CheckpointMetadata {
	const v = 7;
	const delegate: StreamStateHandle = {tag: 2, path: 'file:/cp/chk-42/channel-file', size: 4000};
	const a: OperatorSubtaskState = {
		...emptySubtask(v),
		inputChannelState: [
			{
				type: 'merged',
				subtaskIndex: 0,
				totalSize: 300,
				delegate,
				channels: [
					{info: [0, 0], size: 100, offsets: [0, 50]},
					{info: [0, 1], size: 200, offsets: []},
				],
			},
			{type: 'single', subtaskIndex: 0, info: [1, 0], offsets: [300], size: 10, delegate},
		],
		resultSubpartitionState: [
			{type: 'single', subtaskIndex: 0, info: [0, 5], offsets: [310], size: 10, delegate},
			{type: 'merged', subtaskIndex: 0, totalSize: 0, delegate: null, channels: []},
		],
		refCheckpointId: 40,
	};
	const b: OperatorSubtaskState = {...emptySubtask(v), refCheckpointId: null};
	return metadata(v, [
		operator(
			v,
			OP_A,
			[
				{subtaskIndex: 0, finished: false, state: a},
				{subtaskIndex: 1, finished: false, state: b},
				{subtaskIndex: 5, finished: true},
			],
			{name: 'Source: µ', uid: 'uid-1', parallelism: 6},
		),
	]);
}

/** A V2 model with the legacy fields (duration, legacy operator state, chain length). */
export function v2Model(): CheckpointMetadata {
	const v = 2;
	const state: OperatorSubtaskState = {
		...emptySubtask(v),
		legacyDuration: 12345,
		legacyOperatorState: [{tag: 2, path: 'hdfs:/legacy', size: 5}, null],
		managedKeyedState: {tag: 3, keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 1}, offsets: [0], delegate: {tag: 1, name: 'kg', data: bytes(0)}},
	};
	return metadata(v, [operator(v, OP_A, [{subtaskIndex: 0, finished: false, state}], {chainLength: 1})], {}, [{name: 'hook', version: 2, payload: bytes(1)}]);
}

/** Strings that exercise modified UTF-8: NUL, 2- and 3-byte chars, supplementary plane, lone surrogates. */
export const TRICKY_STRINGS = ['', '\u0000', 'a\u0000b', 'é', '€', '日本語', '😀', 'x\u{10FFFF}y', '\uD800', '\uDFFF\uD800', '\u0080\u07FF\u0800\uFFFF'];

/** A V5 model with names/uids/paths full of non-ASCII and the longest strings `writeUTF` allows. */
export function stringsModel(): CheckpointMetadata {
	const v = 5;
	const long1 = 'a'.repeat(65_535);
	const long2 = 'é'.repeat(32_767) + 'a'; // 65 535 bytes in modified UTF-8
	const long3 = '\u0000'.repeat(32_767) + 'z'; // NUL is 2 bytes
	const subtasks: SubtaskEntry[] = TRICKY_STRINGS.map((s, i) => ({
		subtaskIndex: i,
		finished: false,
		state: {
			...emptySubtask(v),
			managedOperatorState: {tag: 4, states: [{name: s, distributionMode: 1, offsets: [i]}], delegate: {tag: 2, path: `file:/${s}/x`, size: i}},
		},
	}));
	subtasks.push({
		subtaskIndex: 100,
		finished: false,
		state: {...emptySubtask(v), managedOperatorState: {tag: 4, states: [], delegate: {tag: 6, relativePath: long1, size: 1}}},
	});
	return metadata(
		v,
		[operator(v, OP_A, subtasks, {name: TRICKY_STRINGS.join('|'), uid: long2, parallelism: 128}), operator(v, OP_B, [], {name: long3, uid: '😀'})],
		{},
		[{name: long2, version: 0, payload: bytes()}],
	);
}

// ---------------------------------------------------------------------------------------------
// fast-check arbitraries.
// ---------------------------------------------------------------------------------------------

// Values within what Flink's writer produces (the reader rejects the rest, see strict.test.ts).
const i32 = fc.integer({min: -0x80000000, max: 0x7fffffff});
const nat32 = fc.nat();
/** Any i64 (fields the reader does not constrain: sequence numbers, materialization ids, the V2 duration). */
const i64: fc.Arbitrary<I64> = fc.oneof(
	{weight: 4, arbitrary: fc.integer({min: -1, max: 1_000_000})},
	{weight: 1, arbitrary: fc.bigInt({min: -(2n ** 63n), max: 2n ** 63n - 1n}).map(toI64)},
);
/** An i64 ≥ `min` (sizes with the -1 "unknown" sentinel, offsets, ids). */
const i64From = (min: number): fc.Arbitrary<I64> =>
	fc.oneof({weight: 4, arbitrary: fc.integer({min, max: 1_000_000})}, {weight: 1, arbitrary: fc.bigInt({min: BigInt(min), max: 2n ** 63n - 1n}).map(toI64)});
const size = i64From(-1);
const nat64 = i64From(0);
/** Every operator of the random models has this max parallelism, so that any key-group range below fits. */
const MAX_PARALLELISM = 32_768;
const keyGroupStart = fc.nat({max: MAX_PARALLELISM / 2});
const str = fc.oneof({weight: 3, arbitrary: fc.string({maxLength: 12})}, {weight: 1, arbitrary: fc.string({unit: 'binary', maxLength: 8})});
const data = fc.uint8Array({maxLength: 16});
const id16 = fc.uint8Array({minLength: 16, maxLength: 16}).map((b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''));
const offsets = fc.array(nat64, {maxLength: 3});
const kgr: fc.Arbitrary<KeyGroupRange> = fc.record({startKeyGroup: keyGroupStart, numberOfKeyGroups: fc.nat({max: MAX_PARALLELISM / 2})});
const small = <T>(a: fc.Arbitrary<T>) => fc.array(a, {maxLength: 2});

const segment: fc.Arbitrary<StreamStateHandle> = fc.oneof(
	fc.record({tag: fc.constant(15 as const), startPos: nat64, size: nat64, scope: fc.constantFrom(0, 1), physicalFilePath: str, logicalFileId: str}),
	fc.constant({tag: 16 as const}),
);

function streamArb(depth: number): fc.Arbitrary<StreamStateHandle | null> {
	const leaves: fc.Arbitrary<StreamStateHandle | null>[] = [
		fc.constant(null),
		fc.record({tag: fc.constant(1 as const), name: str, data}),
		fc.record({tag: fc.constant(2 as const), path: str, size}),
		fc.record({tag: fc.constant(6 as const), relativePath: str, size}),
		segment,
	];
	if (depth > 0) {
		leaves.push(
			fc
				.record({start: keyGroupStart, offsets, delegate: streamArb(depth - 1)})
				.map(({start, offsets: o, delegate}) => ({tag: 3 as const, keyGroupRange: {startKeyGroup: start, numberOfKeyGroups: o.length}, offsets: o, delegate})),
		);
	}
	return fc.oneof(...leaves);
}

const stream = streamArb(2);

function keyedArb(depth: number, changelog114: boolean): fc.Arbitrary<KeyedStateHandle | null> {
	const keyGroups = fc.constantFrom(3 as const, 7 as const, 12 as const).chain((tag) =>
		fc.record({start: keyGroupStart, offsets, delegate: stream, id: str}).map(({start, offsets: o, delegate, id}) => {
			const h: KeyedStateHandle = {tag, keyGroupRange: {startKeyGroup: start, numberOfKeyGroups: o.length}, offsets: o, delegate};
			if (tag === 12) h.stateHandleId = id;
			return h;
		}),
	);
	const list = small(fc.record({localPath: str, handle: stream}));
	const incremental = fc
		.record({
			tag: fc.constantFrom(5 as const, 11 as const),
			checkpointId: nat64,
			backendId: str,
			keyGroupRange: kgr,
			checkpointedSize: size,
			metaState: stream,
			sharedState: list,
			privateState: list,
			stateHandleId: str,
		})
		.map((h): KeyedStateHandle =>
			h.tag === 5
				? {
						tag: 5,
						checkpointId: h.checkpointId,
						backendId: h.backendId,
						keyGroupRange: h.keyGroupRange,
						metaState: h.metaState,
						sharedState: h.sharedState,
						privateState: h.privateState,
					}
				: h,
		);
	const inMemory = fc
		.record({keyGroupRange: kgr, from: i64, to: i64, changes: small(fc.record({keyGroup: fc.integer({min: -1, max: 0x7fffffff}), data})), stateHandleId: str})
		.map((h): KeyedStateHandle => (changelog114 ? {tag: 9, keyGroupRange: h.keyGroupRange, from: h.from, to: h.to, changes: h.changes} : {tag: 9, ...h}));
	const streamImpl = fc
		.record({
			tag: fc.constantFrom(10 as const, 13 as const),
			keyGroupRange: kgr,
			handles: small(fc.record({offset: nat64, handle: stream})),
			size,
			checkpointedSize: size,
			stateHandleId: str,
			storageIdentifier: str,
		})
		.map((h): KeyedStateHandle => {
			if (h.tag === 13) return h;
			if (changelog114) return {tag: 10, keyGroupRange: h.keyGroupRange, handles: h.handles, size: h.size};
			return {tag: 10, keyGroupRange: h.keyGroupRange, handles: h.handles, size: h.size, checkpointedSize: h.checkpointedSize, stateHandleId: h.stateHandleId};
		});
	const options: fc.Arbitrary<KeyedStateHandle | null>[] = [fc.constant(null), keyGroups, incremental, inMemory, streamImpl];
	if (depth > 0) {
		const inner = small(keyedArb(depth - 1, changelog114));
		options.push(
			fc
				.record({
					tag: fc.constantFrom(8 as const, 14 as const),
					keyGroupRange: kgr,
					checkpointedSize: size,
					materialized: inner,
					nonMaterialized: inner,
					materializationId: i64,
					checkpointId: nat64,
					stateHandleId: str,
				})
				.map((h): KeyedStateHandle => {
					if (h.tag === 14) return h;
					if (changelog114) return {tag: 8, keyGroupRange: h.keyGroupRange, materialized: h.materialized, nonMaterialized: h.nonMaterialized};
					return {
						tag: 8,
						keyGroupRange: h.keyGroupRange,
						checkpointedSize: h.checkpointedSize,
						materialized: h.materialized,
						nonMaterialized: h.nonMaterialized,
						materializationId: h.materializationId,
						stateHandleId: h.stateHandleId,
					};
				}),
		);
	}
	return fc.oneof(...options);
}

const stateMap = small(fc.record({name: str, distributionMode: fc.constantFrom(0, 1, 2), offsets}));
const operatorHandle: fc.Arbitrary<OperatorStateHandle | null> = fc.oneof(
	fc.constant(null),
	fc.constant({tag: 0 as const}),
	fc.record({tag: fc.constant(4 as const), states: stateMap, delegate: stream}),
	fc.record({tag: fc.constant(17 as const), states: stateMap, taskOwnedDirectory: str, sharedDirectory: str, isEmpty: fc.boolean(), delegate: segment}),
);

function channelArb(layout: ChannelStateLayout): fc.Arbitrary<AnyChannelStateHandle> {
	const subtaskIndex = fc.nat({max: MAX_PARALLELISM - 1});
	const single = fc
		.record({subtaskIndex, a: nat32, b: nat32, offsets, size: nat64, delegate: stream})
		.map(({subtaskIndex, a, b, offsets: o, size, delegate}): AnyChannelStateHandle =>
			layout === 'A' ? {type: 'single', info: [a, b], offsets: o, size, delegate} : {type: 'single', subtaskIndex, info: [a, b], offsets: o, size, delegate},
		);
	if (layout !== 'C') return single;
	const merged = fc
		.record({subtaskIndex, totalSize: nat64, delegate: stream, channels: small(fc.record({a: nat32, b: nat32, size: nat64, offsets}))})
		.map(({channels, ...rest}): AnyChannelStateHandle => ({
			type: 'merged',
			...rest,
			channels: channels.map(({a, b, size, offsets: o}) => ({info: [a, b] as [number, number], size, offsets: o})),
		}));
	return fc.oneof(single, merged);
}

function subtaskArb(version: number, layout: LayoutVariant): fc.Arbitrary<OperatorSubtaskState> {
	const keyed = keyedArb(1, layout.changelog === '1.14');
	const channels: fc.Arbitrary<AnyChannelStateHandle[]> = version === 2 ? fc.constant([]) : small(channelArb(layout.channelState));
	return fc
		.record({
			managedOperatorState: operatorHandle,
			rawOperatorState: operatorHandle,
			managedKeyedState: keyed,
			rawKeyedState: keyed,
			inputChannelState: channels,
			resultSubpartitionState: channels,
			legacyDuration: i64,
			legacyOperatorState: small(stream),
			refCheckpointId: fc.option(nat64),
		})
		.map(({legacyDuration, legacyOperatorState, refCheckpointId, ...s}) => {
			const out: OperatorSubtaskState = s;
			if (version === 2) Object.assign(out, {legacyDuration, legacyOperatorState});
			if (version >= 7) out.refCheckpointId = refCheckpointId;
			return out;
		});
}

/** Up to two entries with distinct subtask indices below `parallelism`. */
function entriesArb(version: number, layout: LayoutVariant, parallelism: number): fc.Arbitrary<SubtaskEntry[]> {
	const state = subtaskArb(version, layout);
	const finished = version === 2 ? fc.constant(false) : fc.boolean();
	return fc
		.uniqueArray(fc.nat({max: parallelism - 1}), {maxLength: 2})
		.chain((indices) =>
			fc.tuple(
				...indices.map((subtaskIndex) =>
					fc
						.record({finished, state})
						.map(({finished: f, state: s}): SubtaskEntry => (f ? {subtaskIndex, finished: true} : {subtaskIndex, finished: false, state: s})),
				),
			),
		);
}

function operatorArb(version: number, layout: LayoutVariant): fc.Arbitrary<OperatorState> {
	const parallelismAndSubtasks = fc
		.oneof(fc.integer({min: 1, max: 8}), fc.integer({min: 1, max: MAX_PARALLELISM}))
		.chain((parallelism) => entriesArb(version, layout, parallelism).map((subtasks) => ({parallelism, subtasks})));
	return fc
		.record({
			operatorId: id16,
			parallelismAndSubtasks,
			chainLength: i32,
			name: str,
			uid: str,
			coordinatorState: fc.option(fc.record({tag: fc.constant(1 as const), name: str, data})),
			fullyFinished: version === 2 ? fc.constant(false) : fc.boolean(),
		})
		.map(({chainLength, name, uid, parallelismAndSubtasks: {parallelism, subtasks}, operatorId, coordinatorState, fullyFinished}) => {
			const out: OperatorState = {operatorId, parallelism, maxParallelism: MAX_PARALLELISM, coordinatorState, fullyFinished, subtasks};
			if (version === 2) {
				out.chainLength = chainLength;
				out.coordinatorState = null;
			}
			if (version >= 5) Object.assign(out, {name, uid});
			if (out.fullyFinished) {
				out.coordinatorState = null;
				out.subtasks = [];
			}
			return out;
		});
}

/** Random valid models of any version 2…7, with a layout consistent with the version. */
export const metadataArb: fc.Arbitrary<CheckpointMetadata> = fc
	.record({version: fc.integer({min: 2, max: 7}), channelA: fc.boolean(), changelog114: fc.boolean()})
	.chain(({version, channelA, changelog114}) => {
		const layout: LayoutVariant = {
			channelState: version >= 6 ? 'C' : version === 3 && channelA ? 'A' : 'B',
			changelog: version === 3 && changelog114 ? '1.14' : '1.15',
		};
		return fc
			.record({
				checkpointId: fc.oneof(fc.nat(), fc.bigInt({min: 0n, max: 2n ** 63n - 1n}).map(toI64)),
				masterStates: small(fc.record({name: str, version: i32, payload: data})),
				operators: small(operatorArb(version, layout)),
			})
			.map((m): CheckpointMetadata => {
				const out: CheckpointMetadata = {version, ...m, layout};
				if (version >= 4) out.trailer = nullTrailer();
				return out;
			});
	});
