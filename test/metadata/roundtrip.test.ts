import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {collectReferences, readMetadata, writeMetadata} from '../../source/metadata/index.js';
import type {CheckpointMetadata, FileReference, OperatorSubtaskState} from '../../source/metadata/index.js';
import {
	NULL_TRAILER_BYTES,
	OP_A,
	bytes,
	changelog114Model,
	channelLayoutAModel,
	emptySubtask,
	everyTagModel,
	metadata,
	metadataArb,
	operator,
	stringsModel,
	v2Model,
	v7Model,
} from './models.js';

function roundTrip(m: CheckpointMetadata): CheckpointMetadata {
	const written = writeMetadata(m);
	const {metadata: back} = readMetadata(written, {fileName: 'generated'});
	expect(back).toEqual(m);
	// And the bytes are stable.
	expect(writeMetadata(back)).toEqual(written);
	return back;
}

describe('round trip of hand-built models', () => {
	it('every stream, keyed and operator tag (V4, 1.15 changelog layout), master states, finished operators and subtasks', () => {
		roundTrip(everyTagModel());
	});

	it('detects the Flink 1.14 changelog layouts (tags 8, 9, 10) in V3', () => {
		const back = roundTrip(changelog114Model());
		expect(back.layout).toEqual({channelState: 'B', changelog: '1.14'});
	});

	it('detects channel layout A (Flink 1.11) in V3', () => {
		const back = roundTrip(channelLayoutAModel());
		expect(back.layout).toEqual({channelState: 'A', changelog: '1.15'});
	});

	it('detects channel layout A in V3 when the last handle fits layout A but not the larger layout B', () => {
		// Found by the property below (CI, seed 2021786857): the file ends with one layout-A handle of
		// 21 bytes, which fails layout B's count check (≥ 25 bytes a handle) before any handle is read.
		const v = 3;
		const state: OperatorSubtaskState = {...emptySubtask(v), resultSubpartitionState: [{type: 'single', info: [0, 0], offsets: [], size: 0, delegate: null}]};
		const back = roundTrip(metadata(v, [operator(v, OP_A, [{subtaskIndex: 0, finished: false, state}])], {channelState: 'A'}));
		expect(back.layout).toEqual({channelState: 'A', changelog: '1.15'});
	});

	it('honours forced layouts', () => {
		const m = channelLayoutAModel();
		const written = writeMetadata(m);
		expect(readMetadata(written, {channelLayout: 'A'}).metadata).toEqual(m);
		expect(() => readMetadata(written, {channelLayout: 'B'})).toThrow(/ParseError|expected/);
		const c = changelog114Model();
		expect(() => readMetadata(writeMetadata(c), {changelogLayout: '1.15'})).toThrow();
		expect(readMetadata(writeMetadata(c), {changelogLayout: '1.14'}).metadata).toEqual(c);
	});

	it('V7: channel layout C with merged handles and refCheckpointId', () => {
		const back = roundTrip(v7Model());
		expect(back.layout.channelState).toBe('C');
	});

	it('V6 without refCheckpointId', () => {
		const m = v7Model();
		m.version = 6;
		for (const op of m.operators) for (const s of op.subtasks) if (!s.finished) delete s.state.refCheckpointId;
		roundTrip(m);
	});

	it('V2 legacy fields', () => {
		roundTrip(v2Model());
	});

	it('non-ASCII, supplementary-plane, U+0000 strings and 65 535-byte strings (V5)', () => {
		const m = stringsModel();
		const written = writeMetadata(m);
		// NUL is C0 80 in modified UTF-8, never a raw 00 inside a string.
		const back = roundTrip(m);
		expect(back.operators[0].uid?.length).toBe(32_768);
		expect(written.length).toBeGreaterThan(3 * 65_535);
	});

	it('encodes NUL and supplementary characters the Java way', () => {
		const m = metadata(5, [operator(5, OP_A, [], {name: '\u0000😀', uid: ''})]);
		const written = writeMetadata(m);
		// magic, version, checkpoint id, 0 master states, 1 operator, then the name.
		expect(Array.from(written.subarray(24, 24 + 2 + 8))).toEqual([0x00, 0x08, 0xc0, 0x80, 0xed, 0xa0, 0xbd, 0xed, 0xb8, 0x80]);
	});

	it('refuses strings longer than 65 535 bytes and legacy versions', () => {
		expect(() => writeMetadata(metadata(5, [operator(5, OP_A, [], {name: 'a'.repeat(65_536)})]))).toThrow(RangeError);
		expect(() => writeMetadata(metadata(5, [operator(5, OP_A, [], {name: 'é'.repeat(32_768)})]))).toThrow(RangeError);
		expect(() => writeMetadata({...metadata(2, []), version: 1, legacy: 'x'})).toThrow(RangeError);
	});

	it('writes TC_NULL when a V4+ model has no trailer', () => {
		const m = metadata(4, []);
		delete m.trailer;
		const written = writeMetadata(m);
		expect(Array.from(written.subarray(written.length - 5))).toEqual(Array.from(NULL_TRAILER_BYTES));
	});
});

describe('collectReferences', () => {
	it('lists every reference of the every-tag model with context', () => {
		const refs = collectReferences(everyTagModel());
		const base = {operatorId: OP_A};
		const expected: FileReference[] = [
			{...base, handle: 'inline', path: OP_A, size: 2, subtaskIndex: null, slot: 'coordinatorState', role: 'delegate'},
			// subtask 0
			{...base, handle: 'file', path: 'file:/cp/chk-42/op-state', size: -1, subtaskIndex: 0, slot: 'managedOperatorState', role: 'delegate'},
			{...base, handle: 'inline', path: 'meta', size: 3, subtaskIndex: 0, slot: 'managedKeyedState', role: 'metaState'},
			{
				...base,
				handle: 'file',
				path: 'hdfs://nn:8020/flink/cp/job/shared/10-sst',
				size: 1010,
				subtaskIndex: 0,
				slot: 'managedKeyedState',
				role: 'shared',
				localPath: '000010.sst',
			},
			{...base, handle: 'relative', path: 'manifest-uuid', size: 77, subtaskIndex: 0, slot: 'managedKeyedState', role: 'private', localPath: 'MANIFEST-000003'},
			{...base, handle: 'relative', path: 'nested-rel', size: 500, subtaskIndex: 0, slot: 'rawKeyedState', role: 'delegate'},
			// subtask 1
			{
				...base,
				handle: 'directory',
				path: 'file:/cp/taskowned/job_x_tm_y',
				size: 0,
				scope: 'exclusive',
				subtaskIndex: 1,
				slot: 'managedOperatorState',
				role: 'taskOwnedDirectory',
			},
			{
				...base,
				handle: 'directory',
				path: 'file:/cp/shared/job_x_op_y_1_4',
				size: 0,
				scope: 'shared',
				subtaskIndex: 1,
				slot: 'managedOperatorState',
				role: 'sharedDirectory',
			},
			{
				...base,
				handle: 'segment',
				path: 'file:/cp/taskowned/job_x_tm_y/phys-1',
				size: 64,
				startPos: 128,
				scope: 'exclusive',
				subtaskIndex: 1,
				slot: 'managedOperatorState',
				role: 'delegate',
			},
			{
				...base,
				handle: 'directory',
				path: 'file:/cp/taskowned/job_x_tm_y',
				size: 0,
				scope: 'exclusive',
				subtaskIndex: 1,
				slot: 'rawOperatorState',
				role: 'taskOwnedDirectory',
			},
			{
				...base,
				handle: 'directory',
				path: 'file:/cp/shared/job_x_op_y_1_4',
				size: 0,
				scope: 'shared',
				subtaskIndex: 1,
				slot: 'rawOperatorState',
				role: 'sharedDirectory',
			},
			{
				...base,
				handle: 'file',
				path: 'hdfs://nn:8020/flink/cp/job/shared/12-sst',
				size: 1012,
				subtaskIndex: 1,
				slot: 'managedKeyedState',
				role: 'materialized',
				localPath: '000012.sst',
			},
			{...base, handle: 'file', path: 's3://b/dstl/abc', size: 999, subtaskIndex: 1, slot: 'managedKeyedState', role: 'changelog'},
			{...base, handle: 'file', path: 'file:/tmp/taskowned/x', size: 10, subtaskIndex: 1, slot: 'rawKeyedState', role: 'materialized'},
			{...base, handle: 'inline', path: 'inline-dstl', size: 2, subtaskIndex: 1, slot: 'rawKeyedState', role: 'changelog'},
			{
				...base,
				handle: 'segment',
				path: 'file:/cp/shared/phys-2',
				size: 16,
				startPos: 0,
				scope: 'shared',
				subtaskIndex: 1,
				slot: 'inputChannelState',
				role: 'channel',
			},
			{...base, handle: 'relative', path: 'channel-rel', size: 16, subtaskIndex: 1, slot: 'resultSubpartitionState', role: 'channel'},
			// subtask 2 is finished; subtask 3
			{
				...base,
				handle: 'file',
				path: 'hdfs://nn:8020/flink/cp/job/shared/12-sst',
				size: 1012,
				subtaskIndex: 3,
				slot: 'managedKeyedState',
				role: 'shared',
				localPath: '000012.sst',
			},
		];
		expect(refs).toEqual(expected);
	});

	it('is what readMetadata returns', () => {
		const m = v7Model();
		const {references} = readMetadata(writeMetadata(m));
		expect(references).toEqual(collectReferences(m));
		expect(references.map((r) => [r.slot, r.role, r.path])).toEqual([
			['inputChannelState', 'channel', 'file:/cp/chk-42/channel-file'],
			['inputChannelState', 'channel', 'file:/cp/chk-42/channel-file'],
			['resultSubpartitionState', 'channel', 'file:/cp/chk-42/channel-file'],
		]);
	});

	it('empty segment handles and finished subtasks give none; legacy V2 streams do', () => {
		const v = 4;
		const m = metadata(v, [
			operator(v, OP_A, [
				{
					subtaskIndex: 0,
					finished: false,
					state: {
						...emptySubtask(v),
						managedOperatorState: {tag: 17, states: [], taskOwnedDirectory: 't', sharedDirectory: 's', isEmpty: true, delegate: {tag: 16}},
					},
				},
				{subtaskIndex: 1, finished: true},
			]),
		]);
		expect(collectReferences(m).map((r) => r.handle)).toEqual(['directory', 'directory']);
		expect(collectReferences(v2Model()).map((r) => [r.slot, r.handle, r.path])).toEqual([
			['legacyOperatorState', 'file', 'hdfs:/legacy'],
			['managedKeyedState', 'inline', 'kg'],
		]);
	});

	it('reads inline data as views without copying', () => {
		const m = metadata(4, [operator(4, OP_A, [], {coordinatorState: {tag: 1, name: 'c', data: bytes(1, 2, 3)}})]);
		const written = writeMetadata(m);
		const back = readMetadata(written).metadata.operators[0].coordinatorState;
		expect(back?.tag === 1 && back.data.buffer).toBe(written.buffer);
	});
});

describe('property: readMetadata(writeMetadata(m)) = m', () => {
	it('holds for random models of versions 2…7', () => {
		fc.assert(
			fc.property(metadataArb, (m) => {
				const written = writeMetadata(m);
				const back = readMetadata(written, {channelLayout: m.layout.channelState, changelogLayout: m.layout.changelog}).metadata;
				expect(back).toEqual(m);
				expect(writeMetadata(back)).toEqual(written);
				// Detection never throws on a valid file (it may pick another layout that also parses).
				readMetadata(written);
			}),
			{numRuns: 300},
		);
	});
});
