import {describe, expect, it} from 'vitest';
import type {ReadResult} from '../../source/metadata/types.js';
import {inspectTextChunks, inspectToJson, inspectToText} from '../../source/report/index.js';
import {bigMetadataModel} from '../bench/generate.js';
import {checkpointProperties, readMetadata, writeMetadata} from '../../source/metadata/index.js';
import {v7Model} from '../metadata/models.js';

const OP = 'ea632d67b7d595e5b851708ae9ad79d6';

function sampleResult(): ReadResult {
	return {
		metadata: {
			version: 6,
			checkpointId: 2n ** 63n - 1n,
			layout: {channelState: 'C', changelog: '1.15'},
			masterStates: [{name: 'hook', version: 1, payload: new Uint8Array(64).fill(0xab)}],
			trailer: {
				properties: checkpointProperties(),
				raw: new Uint8Array(600),
			},
			operators: [
				{
					operatorId: OP,
					name: 'Window',
					uid: 'window-agg',
					parallelism: 2,
					maxParallelism: 128,
					coordinatorState: {tag: 1, name: OP, data: new Uint8Array([1, 2, 3])},
					fullyFinished: false,
					subtasks: [
						{
							subtaskIndex: 0,
							finished: false,
							state: {
								managedOperatorState: {
									tag: 4,
									states: [{name: 'SourceReaderState', distributionMode: 1, offsets: [0, 2n ** 60n]}],
									delegate: {tag: 6, relativePath: 'abc', size: 12},
								},
								rawOperatorState: null,
								managedKeyedState: {
									tag: 11,
									checkpointId: 5,
									backendId: 'backend-1',
									keyGroupRange: {startKeyGroup: 0, numberOfKeyGroups: 64},
									checkpointedSize: 2n ** 64n,
									metaState: {tag: 1, name: 'meta', data: new Uint8Array(40)},
									sharedState: [{localPath: '000011.sst', handle: {tag: 2, path: 'hdfs://nn/flink/job/shared/x', size: 100}}],
									privateState: [
										{
											localPath: 'MANIFEST-000004',
											handle: {tag: 15, startPos: 10, size: 20, scope: 0, physicalFilePath: 'hdfs://nn/flink/job/taskowned/p', logicalFileId: 'l1'},
										},
									],
									stateHandleId: 'h1',
								},
								rawKeyedState: null,
								inputChannelState: [{type: 'merged', subtaskIndex: 0, totalSize: 5, delegate: {tag: 16}, channels: [{info: [0, 1], size: 5, offsets: [0]}]}],
								resultSubpartitionState: [],
							},
						},
						{subtaskIndex: 1, finished: true},
					],
				},
			],
		},
		references: [
			{
				handle: 'file',
				path: 'hdfs://nn/flink/job/shared/x',
				size: 100,
				operatorId: OP,
				subtaskIndex: 0,
				slot: 'managedKeyedState',
				role: 'shared',
				localPath: '000011.sst',
			},
			{
				handle: 'segment',
				path: 'hdfs://nn/flink/job/taskowned/p',
				size: 20,
				startPos: 10,
				scope: 'exclusive',
				operatorId: OP,
				subtaskIndex: 0,
				slot: 'managedKeyedState',
				role: 'private',
				localPath: 'MANIFEST-000004',
			},
			{handle: 'inline', path: OP, size: 3, operatorId: OP, subtaskIndex: null, slot: 'coordinatorState', role: 'delegate'},
		],
	};
}

describe('inspectToJson', () => {
	const json = inspectToJson('/x/chk-5/_metadata', sampleResult());
	const text = JSON.stringify(json);

	it('is JSON-safe and lossless for i64 values', () => {
		expect(() => JSON.stringify(json)).not.toThrow();
		expect(json.checkpointId).toBe('9223372036854775807');
		expect(text).toContain('"1152921504606846976"');
		expect(text).toContain('"checkpointedSize":"18446744073709551616"');
	});

	it('summarises inline bytes instead of dumping them', () => {
		expect(json.masterStates[0].payload).toEqual({length: 64, preview: 'ab'.repeat(16), truncated: true});
		expect(text).not.toContain('ab'.repeat(17));
		expect(json.properties?.rawLength).toBe(600);
		expect(text).not.toMatch(/"0":0,"1":0/);
	});

	it('names handles by Flink class and decodes modes, scopes, ranges and finished subtasks', () => {
		expect(json.version).toBe(6);
		expect(json.layout).toEqual({channelState: 'C', changelog: '1.15'});
		expect(json.properties?.summary).toMatchObject({type: 'Checkpoint', sharingFilesStrategy: 'FORWARD_BACKWARD', unclaimed: false});
		const operator = json.operators[0] as {
			subtasks: {finished: boolean; state?: Record<string, Record<string, unknown>>}[];
			coordinatorState: Record<string, unknown>;
		};
		expect(operator.coordinatorState).toMatchObject({tag: 1, class: 'ByteStreamStateHandle', data: {length: 3, preview: '010203', truncated: false}});
		const state = operator.subtasks[0].state ?? {};
		expect(state.managedKeyedState).toMatchObject({tag: 11, class: 'IncrementalRemoteKeyedStateHandle', keyGroupRange: {start: 0, end: 63, count: 64}});
		expect(state.managedOperatorState).toMatchObject({class: 'OperatorStreamStateHandle', states: [{name: 'SourceReaderState', mode: 'UNION'}]});
		expect(text).toContain('"scope":"EXCLUSIVE"');
		expect(text).toContain('"class":"EmptySegmentFileStateHandle"');
		expect(operator.subtasks[1]).toEqual({subtaskIndex: 1, finished: true});
		expect(json.references).toHaveLength(3);
		expect(json.referenceSummary).toEqual({total: 3, byHandle: {file: 1, segment: 1, inline: 1}, distinctPaths: 2, bytes: 123});
	});
});

describe('inspectToText', () => {
	const text = inspectToText('/x/chk-5/_metadata', sampleResult());

	it('shows everything parsed', () => {
		for (const expected of [
			'Format version: 6',
			'Checkpoint id:  9223372036854775807',
			'Layout variant: channel state C',
			'Checkpoint (CheckpointType), sharing FORWARD_BACKWARD',
			'hook version 1, payload 64 B inline',
			`operator ${OP} "Window" uid "window-agg", parallelism 2, max parallelism 128`,
			'coordinator: ByteStreamStateHandle (tag 1)',
			'IncrementalRemoteKeyedStateHandle (tag 11) checkpoint 5, backend backend-1, key groups 0-63',
			'000011.sst → FileStateHandle (tag 2) 100 B hdfs://nn/flink/job/shared/x',
			'MANIFEST-000004 → SegmentFileStateHandle (tag 15) EXCLUSIVE bytes 10+20',
			'state "SourceReaderState" UNION, 2 offsets',
			'subtask 1: finished',
			'input channel state (1):',
			'File references (3',
		]) {
			expect(text).toContain(expected);
		}
	});
});

describe('older formats', () => {
	it('a legacy (Flink 1.1/1.2) file says its operators and files are not read, not that there are none', () => {
		const result = sampleResult();
		result.metadata = {...result.metadata, version: 1, legacy: 'legacy format (Flink 1.1/1.2), version 1', operators: [], masterStates: [], trailer: undefined};
		const text = inspectToText('/x/savepoint/_metadata', {...result, references: []});
		expect(text).toContain('Operators and file references: not read (legacy format)');
		expect(text).not.toContain('Operators (0)');
		expect(text).not.toContain('Layout variant');
	});

	it('a version 2 file has no layout variant (no channel state or changelog handles before version 3)', () => {
		const result = sampleResult();
		result.metadata = {...result.metadata, version: 2, trailer: undefined};
		expect(inspectToText('/x/chk-1/_metadata', result)).not.toContain('Layout variant');
	});
});

describe('control characters', () => {
	it('strings of a _metadata reach the terminal as \\xHH, one line each', () => {
		const result = sampleResult();
		result.metadata.operators[0].name = 'Window\u001B]0;pwned\u0007\nfake line';
		const text = inspectToText('/x/chk-5/_metadata', result);
		expect(text).toContain('"Window\\x1b]0;pwned\\x07\\x0afake line"');
		// eslint-disable-next-line no-control-regex
		expect(text).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
	});
});

describe('format version 7', () => {
	it('is marked as an unreleased format in text and JSON', () => {
		const result = readMetadata(writeMetadata(v7Model()));
		expect(inspectToText('chk-1/_metadata', result)).toMatch(/Format version: 7 \(UNRELEASED format .*#28963/);
		expect(inspectToJson('chk-1/_metadata', result).versionDescription).toMatch(/UNRELEASED/);
	});
});

describe('text in chunks', () => {
	it('a big file comes in chunks of whole lines, together the whole text', () => {
		const result = readMetadata(writeMetadata(bigMetadataModel(16, 400)));
		const chunks = [...inspectTextChunks('/big/_metadata', result)];
		expect(chunks.length).toBeGreaterThan(1);
		for (const chunk of chunks) expect(chunk.endsWith('\n')).toBe(true);
		const text = chunks.join('');
		expect(text).toBe(inspectToText('/big/_metadata', result));
		expect(text.split('\n').length).toBeGreaterThan(16 * 400 * 2);
		expect(text).toContain('File references (');
	});
});
