import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it} from 'vitest';
import {analyse, checkpointFileSource, type Analysis, type CheckpointAnalysis} from '../../source/analysis/index.js';
import {reportJsonChunks, reportToJson} from '../../source/report/index.js';

const tree = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/sample-tree');
const nowMs = Date.parse('2026-11-01T16:00:00.000Z');

/** The checkpoints of the build's file source (not those in progress: no files, a plain empty list). */
function sourced(analysis: Analysis): CheckpointAnalysis[] {
	return analysis.checkpoints.filter((checkpoint) => checkpointFileSource(checkpoint) !== undefined);
}

/** Whether `checkpoint.files` is still to be built (a getter, not a kept list), of each sourced checkpoint. */
function filesUnbuilt(analysis: Analysis): boolean[] {
	return sourced(analysis).map((checkpoint) => Object.getOwnPropertyDescriptor(checkpoint, 'files')?.get !== undefined);
}

describe('report --json --files, one file at a time', () => {
	it('writes every file without building any checkpoint.files, and the same text as JSON.stringify', async () => {
		const analysis = await analyse([tree], {nowMs});
		const streamed = [...reportJsonChunks(analysis, {files: true})].join('');
		expect(sourced(analysis).length).toBeGreaterThan(5);
		expect(filesUnbuilt(analysis).every(Boolean)).toBe(true);
		expect(streamed).toBe(`${JSON.stringify(reportToJson(analysis, {files: true}), null, 2)}\n`);
		expect(filesUnbuilt(analysis).some(Boolean)).toBe(false);
	});

	it('writes the same text when some checkpoints were opened (their files built) and others not', async () => {
		const fresh = await analyse([tree], {nowMs});
		const expected = [...reportJsonChunks(fresh, {files: true})].join('');
		const opened = await analyse([tree], {nowMs});
		sourced(opened).forEach((checkpoint, i) => i % 2 === 0 && checkpoint.files.length);
		expect(filesUnbuilt(opened).filter(Boolean).length).toBe(Math.floor(sourced(opened).length / 2));
		expect([...reportJsonChunks(opened, {files: true})].join('')).toBe(expected);
	});

	it('gives each checkpoint file equal to checkpoint.files at the same index, built or not', async () => {
		const analysis = await analyse([tree], {nowMs});
		const checkpoints = sourced(analysis);
		const before = checkpoints.map((checkpoint) => {
			const source = checkpointFileSource(checkpoint)!;
			return Array.from({length: source.count}, (_, i) => ({file: source.fileAt(i), key: source.sortKey(i)}));
		});
		expect(before.reduce((n, files) => n + files.length, 0)).toBeGreaterThan(10);
		checkpoints.forEach((checkpoint, c) => {
			const source = checkpointFileSource(checkpoint)!;
			expect(before[c].map(({file}) => file)).toEqual(checkpoint.files);
			expect(before[c].map(({key}) => key)).toEqual(checkpoint.files.map((file) => ({key: file.path ?? file.uri, local: file.path !== null})));
			checkpoint.files.forEach((file, i) => expect(source.fileAt(i)).toBe(file));
		});
		expect(checkpointFileSource({...analysis.checkpoints[0]})).toBeUndefined();
	});
});
