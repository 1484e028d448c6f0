/**
 * The package's main export, as a user imports it (`dist/`, built by `npm test` before vitest).
 */
import {existsSync} from 'node:fs';
import {describe, expect, test} from 'vitest';

const built = existsSync(new URL('../dist/index.js', import.meta.url));
if (!built) console.warn('[library] dist/index.js is missing (run `npm run build`): the package-export test is SKIPPED');

describe.skipIf(!built)('import from "flink-checkpoint-explorer"', () => {
	test('readMetadata and writeMetadata round-trip a model, ParseError names file and offset', async () => {
		const library = await import('flink-checkpoint-explorer');
		const bytes = library.writeMetadata({
			version: 6,
			checkpointId: 42,
			masterStates: [],
			operators: [
				{
					operatorId: '0123456789abcdef0123456789abcdef',
					name: 'Source: Kafka Source',
					uid: 'kafka-source',
					parallelism: 1,
					maxParallelism: 128,
					coordinatorState: null,
					fullyFinished: false,
					subtasks: [],
				},
			],
			trailer: {properties: null},
			layout: {channelState: 'C', changelog: '1.15'},
		});
		const {metadata} = library.readMetadata(bytes);
		expect(metadata.checkpointId).toBe(42);
		expect(metadata.operators[0].name).toBe('Source: Kafka Source');
		expect(() => library.readMetadata(bytes.subarray(0, 20), {fileName: 'x/_metadata'})).toThrow(library.ParseError);
		expect(() => library.readMetadata(bytes.subarray(0, 20), {fileName: 'x/_metadata'})).toThrow(/x\/_metadata: at byte \d+/);
	});
});
