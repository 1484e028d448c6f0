/**
 * The reader is strict where Flink's writer is deterministic (issue #21.3): a damaged `_metadata`
 * that happens to fit the grammar (zero padding after a header, a trailer that does not decode,
 * values Flink never writes) is a `ParseError` naming the file, the byte offset and what was
 * expected, never a checkpoint.
 */
import {describe, expect, it} from 'vitest';
import {ByteWriter} from '../../source/metadata/byte-writer.js';
import {ParseError, readMetadata, writeMetadata} from '../../source/metadata/index.js';
import type {CheckpointMetadata, KeyGroupsStateHandle, OperatorSubtaskState, StreamStateHandle} from '../../source/metadata/types.js';
import {emptySubtask, metadata, NULL_TRAILER_BYTES, OP_A, operator} from './models.js';

const FILE = 'chk-9/_metadata';

/** The ParseError `bytes` give (fails the test when they parse). */
function parseError(bytes: Uint8Array): ParseError {
	try {
		readMetadata(bytes, {fileName: FILE});
	} catch (error) {
		expect(error).toBeInstanceOf(ParseError);
		return error as ParseError;
	}
	throw new Error('parsed, expected a ParseError');
}

/** Flink's magic, `version` and checkpoint id `id`, then `tail`. */
function header(version: number, id: number, tail: Uint8Array): Uint8Array {
	const w = new ByteWriter();
	w.i32(0x4960672d);
	w.i32(version);
	w.i64(id);
	w.raw(tail);
	return w.toBytes();
}

describe('a damaged _metadata is not a checkpoint', () => {
	it('magic + version 5 + checkpoint id + 4 KiB of zeros is a ParseError at the properties trailer', () => {
		const error = parseError(header(5, 43, new Uint8Array(4096)));
		// 4 magic + 4 version + 8 id + 4 master-state count + 4 operator count.
		expect(error.offset).toBe(24);
		expect(error.message).toMatch(/^chk-9\/_metadata: at byte 24: expected the Java serialization magic AC ED 00 05/);
	});

	it.each([4, 5, 6, 7])('v%i: zero operators and a zero-filled tail is a ParseError', (version) => {
		expect(parseError(header(version, 1, new Uint8Array(64))).offset).toBe(24);
	});

	it.each([2, 3])('v%i: zero operators and a zero-filled tail: trailing bytes', (version) => {
		const error = parseError(header(version, 1, new Uint8Array(64)));
		expect(error.expected).toBe('end of file');
	});

	it('a properties trailer that does not decode is a ParseError, not a checkpoint without properties', () => {
		const good = writeMetadata(metadata(5, []));
		const bad = good.slice();
		bad[bad.length - 1] = 0x42; // TC_NULL (0x70) → an unknown type code
		const error = parseError(bad);
		expect(error.offset).toBe(bad.length - 1);
		expect(error.message).toContain('CheckpointProperties');
		expect(readMetadata(good).metadata.trailer?.properties).toBeNull();
	});

	it('trailing bytes after the trailer', () => {
		const good = writeMetadata(metadata(6, []));
		const error = parseError(Uint8Array.from([...good, 0]));
		expect(error.offset).toBe(good.length);
		expect(error.expected).toBe('end of file');
	});

	it('a TC_NULL trailer is Flink writing null properties, which it may', () => {
		const m = metadata(4, []);
		expect(readMetadata(writeMetadata(m)).metadata.trailer).toEqual({properties: null, raw: NULL_TRAILER_BYTES});
	});
});

/** One V6 operator (parallelism 4, max parallelism 128) whose subtask 0 holds `state`. */
function withState(state: Partial<OperatorSubtaskState>, version = 6): CheckpointMetadata {
	return metadata(version, [operator(version, OP_A, [{subtaskIndex: 0, finished: false, state: {...emptySubtask(version), ...state}}])]);
}

const file = (size: number): StreamStateHandle => ({tag: 2, path: 'file:/cp/chk-9/x', size});
const keyGroups = (startKeyGroup: number, numberOfKeyGroups: number, offsets = Array.from({length: numberOfKeyGroups}, (_, i) => i)): KeyGroupsStateHandle => ({
	tag: 12,
	keyGroupRange: {startKeyGroup, numberOfKeyGroups},
	offsets,
	delegate: file(10),
	stateHandleId: 'sh',
});

describe('values Flink never writes are a ParseError naming what was expected', () => {
	const cases: [string, () => CheckpointMetadata, RegExp][] = [
		['parallelism 0', () => metadata(6, [operator(6, OP_A, [], {parallelism: 0})]), /expected a parallelism in 1\.\.128, found 0/],
		['parallelism above the max parallelism', () => metadata(6, [operator(6, OP_A, [], {parallelism: 129})]), /expected a parallelism in 1\.\.128, found 129/],
		[
			'max parallelism above 32768',
			() => metadata(6, [operator(6, OP_A, [], {maxParallelism: 32_769})]),
			/expected a max parallelism in 1\.\.32768, found 32769/,
		],
		['negative max parallelism', () => metadata(5, [operator(5, OP_A, [], {maxParallelism: -1})]), /expected a max parallelism in 1\.\.32768, found -1/],
		[
			'a subtask index not below the parallelism',
			() => metadata(6, [operator(6, OP_A, [{subtaskIndex: 4, finished: false, state: emptySubtask(6)}])]),
			/expected a subtask index in 0\.\.3, found 4/,
		],
		[
			'a finished subtask index not below the parallelism',
			() => metadata(6, [operator(6, OP_A, [{subtaskIndex: 9, finished: true}])]),
			/expected a subtask index in 0\.\.3, found 9/,
		],
		[
			'a v2 subtask index below 0',
			() => metadata(2, [operator(2, OP_A, [{subtaskIndex: -1, finished: false, state: emptySubtask(2)}])]),
			/expected a subtask index in 0\.\.3, found -1/,
		],
		[
			'the same subtask twice',
			() =>
				metadata(6, [
					operator(6, OP_A, [
						{subtaskIndex: 1, finished: false, state: emptySubtask(6)},
						{subtaskIndex: 1, finished: true},
					]),
				]),
			/expected each subtask index once, found subtask 1 again/,
		],
		[
			'a key-group range past the max parallelism',
			() => withState({managedKeyedState: keyGroups(120, 9)}),
			/expected a key-group range within 0\.\.127 \(the max parallelism 128\), found 120\.\.128/,
		],
		['a negative start key group', () => withState({managedKeyedState: keyGroups(-1, 1)}), /expected a start key group ≥ 0, found -1/],
		[
			'a negative number of key groups',
			() =>
				withState(
					{
						managedKeyedState: {
							tag: 5,
							checkpointId: 1,
							backendId: 'b',
							keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: -3},
							metaState: null,
							sharedState: [],
							privateState: [],
						},
					},
					3,
				),
			/expected a number of key groups ≥ 0, found -3/,
		],
		['a negative key-group offset', () => withState({managedKeyedState: keyGroups(0, 2, [0, -5])}), /expected a key-group offset ≥ 0, found -5/],
		['a file size below -1', () => withState({managedKeyedState: {...keyGroups(0, 1), delegate: file(-2)}}), /expected a file size ≥ -1, found -2/],
		[
			'a negative segment start',
			() =>
				withState({
					managedKeyedState: {...keyGroups(0, 1), delegate: {tag: 15, startPos: -1, size: 3, scope: 0, physicalFilePath: 'file:/p', logicalFileId: 'l'}},
				}),
			/expected a segment start position ≥ 0, found -1/,
		],
		[
			'a negative checkpoint id in an incremental handle',
			() =>
				withState({
					managedKeyedState: {
						tag: 11,
						checkpointId: -4,
						backendId: 'b',
						keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 128},
						checkpointedSize: 1,
						metaState: null,
						sharedState: [],
						privateState: [],
						stateHandleId: 'x',
					},
				}),
			/expected a checkpoint id of the incremental handle ≥ 0, found -4/,
		],
		[
			'a negative operator state offset',
			() => withState({managedOperatorState: {tag: 4, states: [{name: 's', distributionMode: 0, offsets: [-1]}], delegate: file(4)}}),
			/expected an operator state offset ≥ 0, found -1/,
		],
		['a negative refCheckpointId (v7)', () => withState({refCheckpointId: -7}, 7), /expected a refCheckpointId ≥ 0, found -7/],
	];
	it.each(cases)('%s', (_name, model, message) => {
		const error = parseError(writeMetadata(model()));
		expect(error.message).toMatch(/^chk-9\/_metadata: at byte \d+: /);
		expect(error.message).toMatch(message);
	});

	it('a fully finished operator is written as -1 subtasks; another negative count is a ParseError', () => {
		const bytes = writeMetadata(metadata(4, [operator(4, OP_A, [], {fullyFinished: true})]));
		expect(readMetadata(bytes).metadata.operators[0].fullyFinished).toBe(true);
		// The count is the 4 bytes before the trailer (5 bytes: AC ED 00 05 70).
		const at = bytes.length - 5 - 4;
		expect(new DataView(bytes.buffer).getInt32(at)).toBe(-1);
		new DataView(bytes.buffer).setInt32(at, -2);
		const error = parseError(bytes);
		expect(error.offset).toBe(at);
		expect(error.message).toMatch(/-1 \(a fully finished operator\).*found -2/);
	});
});
