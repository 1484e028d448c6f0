/**
 * The entry-id paths of deletion plans and retention (`snapshot-entries.ts`) answer exactly like
 * the `ResolvedFile` paths they replace: an analysis whose snapshots are copies (no entries
 * registered, so every reader falls back to `files`) must give the same answers.
 */
import {cpSync, readdirSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse, simulateRetention} from '../../source/analysis/index.js';
import {ReferenceSet} from '../../source/analysis/reference-set.js';
import {snapshotEntriesOf} from '../../source/analysis/snapshot-entries.js';
import type {Analysis, CheckpointAnalysis} from '../../source/analysis/types.js';
import {makePlan} from '../../source/cleanup/index.js';
import {directoriesAbove} from '../../source/tree/layout.js';
import {FileTable} from '../../source/tree/file-table.js';
import {tempDir} from '../support/temp.js';

/** `analysis` with every snapshot copied: the copies have no entries, only `files`. */
function withoutEntries(analysis: Analysis): Analysis {
	const copies = new Map<CheckpointAnalysis, CheckpointAnalysis>(analysis.checkpoints.map((cp) => [cp, {...cp}]));
	return {
		...analysis,
		checkpoints: analysis.checkpoints.map((cp) => copies.get(cp)!),
		jobs: analysis.jobs.map((job) => ({...job, checkpoints: job.checkpoints.map((cp) => copies.get(cp) ?? cp)})),
	};
}

describe.each([
	['the sample tree', false],
	['the sample tree with a copy of job A (ambiguous local copies)', true],
])('%s', (_, copy) => {
	let analysis: Analysis;
	let plain: Analysis;
	beforeAll(async () => {
		const dir = tempDir('fcx-entries-');
		await generateSampleTree(dir);
		if (copy) cpSync(join(dir, 'checkpoints', JOBS.A), join(dir, 'backup', 'checkpoints', JOBS.A), {recursive: true});
		// A file no handle names in a file-merging directory that a directory handle references whole.
		const shared = join(dir, 'checkpoints', JOBS.E, 'shared');
		for (const merging of readdirSync(shared).filter((n) => n.startsWith('job_'))) writeFileSync(join(shared, merging, 'unnamed'), 'x');
		analysis = await analyse([dir], {minAgeMs: 0});
		plain = withoutEntries(analysis);
	});

	test('the build registers entries for every read snapshot', () => {
		expect(analysis.checkpoints.filter((cp) => cp.metadataPath !== null && snapshotEntriesOf(cp) === undefined)).toEqual([]);
		expect(plain.checkpoints.every((cp) => snapshotEntriesOf(cp) === undefined)).toBe(true);
	});

	test('ReferenceSet: has, touches and scannedIn as from the resolved files', () => {
		const files = analysis.scannedFiles as FileTable;
		const referenced = analysis.checkpoints.flatMap((cp) => cp.files.map((f) => f.path).filter((p): p is string => p !== null));
		const asked = [...files.keys(), ...referenced, ...directoriesAbove([...files.keys(), ...referenced]), '/nowhere/x'];
		for (const checkpoints of [analysis.checkpoints, analysis.checkpoints.filter((_, i) => i % 2 === 0)]) {
			const byEntries = new ReferenceSet(checkpoints);
			const copies = new Set(checkpoints.map((cp) => cp.path));
			const byPath = new ReferenceSet(plain.checkpoints.filter((cp) => copies.has(cp.path)));
			for (const p of asked) {
				expect([p, byEntries.has(p)]).toEqual([p, byPath.has(p)]);
				expect([p, byEntries.touches(p)]).toEqual([p, byPath.touches(p)]);
			}
			for (const dir of files.directories()) {
				const inDir = byEntries.scannedIn(dir, files);
				files.forEachFile(dir, (name, id) => expect([dir, name, inDir(name, id)]).toEqual([dir, name, byPath.has(`${dir}/${name}`)]));
			}
		}
	});

	test('simulateRetention and makePlan as from the resolved files', () => {
		for (const keepLast of [1, 2, 3, 5]) expect(simulateRetention(analysis, keepLast)).toEqual(simulateRetention(plain, keepLast));
		expect(makePlan(analysis, {nowMs: 0})).toEqual(makePlan(plain, {nowMs: 0}));
	});
});
