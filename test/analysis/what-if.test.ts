import {join} from 'node:path';
import fc from 'fast-check';
import {beforeAll, describe, expect, test} from 'vitest';
import {generateSampleTree, JOBS} from '../../fixtures/generate.js';
import {analyse, simulateRetention, whatIfDelete} from '../../source/analysis/index.js';
import type {Analysis, CheckpointAnalysis} from '../../source/analysis/types.js';
import {ReferenceSet, scannedAtOrBelow} from '../../source/analysis/what-if.js';
import {isInside} from '../../source/tree/layout.js';
import {FileTable} from '../../source/tree/file-table.js';
import {J1, J2, tree} from '../cleanup/helpers.js';
import {tempDir} from '../support/temp.js';

describe('whatIfDelete on the sample tree', () => {
	let dir: string;
	let analysis: Analysis;
	const A = (rel: string) => join(dir, 'checkpoints', JOBS.A, rel);
	beforeAll(async () => {
		dir = tempDir('fcx-whatif-');
		await generateSampleTree(dir);
		analysis = await analyse([dir], {minAgeMs: 0});
	});

	test('a checkpoint directory: its files go, nothing breaks, shared SSTs still used stay', () => {
		const before = new Map(analysis.scannedFiles);
		const result = whatIfDelete(analysis, [A('chk-3')]);
		expect(result.removedCheckpoints).toEqual([A('chk-3')]);
		expect(result.broken).toEqual([]);
		expect(result.warnings).toEqual([]);
		expect(result.freedFiles.every((f) => f.startsWith(`${A('chk-3')}/`))).toBe(true);
		expect(result.freedFiles).toContain(A('chk-3/_metadata'));
		expect(result.freedBytes).toBe(result.freedFiles.reduce((n, f) => n + before.get(f)!.size, 0));
		// 000009.sst is shared by chk-3 and chk-4: deleting both frees it.
		const both = whatIfDelete(analysis, [A('chk-3'), A('chk-4')]);
		const sst9 = analysis.checkpoints.find((cp) => cp.path === A('chk-3'))!.files.find((f) => f.reference.localPath === '000009.sst')!.path!;
		expect(result.freedFiles).not.toContain(sst9);
		expect(both.freedFiles).toContain(sst9);
		expect(new Map(analysis.scannedFiles)).toEqual(before); // pure
	});

	test('a job directory: B (restored from A in CLAIM mode) would break; the newest checkpoint is warned about', () => {
		const result = whatIfDelete(analysis, [join(dir, 'checkpoints', JOBS.A)]);
		expect(result.broken.map((b) => b.checkpointPath).sort()).toEqual([join(dir, 'checkpoints', JOBS.B, 'chk-6'), join(dir, 'checkpoints', JOBS.B, 'chk-7')]);
		expect(result.broken[0].lostFiles.every((f) => f.startsWith(A('shared/')))).toBe(true);
		expect(result.removedCheckpoints).toContain(A('chk-5'));
		expect(result.warnings.some((w) => w.includes('newest complete checkpoint') && w.includes(A('chk-5')))).toBe(true);
		expect(result.freedFiles.length).toBe([...analysis.scannedFiles.keys()].filter((f) => f.startsWith(`${join(dir, 'checkpoints', JOBS.A)}/`)).length);
	});

	test('deleting B chk-7 frees its own shared SST (not referenced by chk-6)', () => {
		const result = whatIfDelete(analysis, [join(dir, 'checkpoints', JOBS.B, 'chk-7')]);
		expect(result.broken).toEqual([]);
		expect(result.freedFiles.some((f) => f.startsWith(join(dir, 'checkpoints', JOBS.B, 'shared')))).toBe(true);
		expect(result.freedFiles.some((f) => f.startsWith(A('shared')))).toBe(false);
	});
});

describe('simulateRetention', () => {
	test('keep-last per job never counts a file still needed by a retained checkpoint of another job', async () => {
		const t = tree('fcx-retention-');
		t.file(`${J1}/shared/only-old`);
		t.file(`${J1}/shared/used-by-j2`);
		t.file(`${J1}/shared/new`);
		t.metadata(`${J1}/chk-1`, 1, [`${J1}/shared/only-old`, `${J1}/shared/used-by-j2`]);
		t.metadata(`${J1}/chk-2`, 2, [`${J1}/shared/new`]);
		t.file(`${J2}/shared/own`);
		t.metadata(`${J2}/chk-2`, 2, [`${J1}/shared/used-by-j2`, `${J2}/shared/own`]);
		const analysis = await analyse([t.dir], {minAgeMs: 0});
		const result = simulateRetention(analysis, 1);
		expect(result.subsumed).toEqual([t.abs(`${J1}/chk-1`)]);
		// chk-1/_metadata and only-old are freed; used-by-j2 is still needed by J2's retained chk-2.
		expect(result.freedFiles).toBe(2);
		expect(result.freedBytes).toBe(16 + analysis.scannedFiles.get(t.abs(`${J1}/chk-1/_metadata`))!.size);
		expect(result.stillNeeded).toBe(1);
		expect(() => simulateRetention(analysis, 0)).toThrow(RangeError);
	});

	test('sample tree: keep-last 1 keeps A chk-5 and the SSTs B uses', async () => {
		const dir = tempDir('fcx-retention-sample-');
		await generateSampleTree(dir);
		const result = simulateRetention(await analyse([dir], {minAgeMs: 0}), 1);
		expect(result.subsumed).toContain(join(dir, 'checkpoints', JOBS.A, 'chk-3'));
		expect(result.subsumed).not.toContain(join(dir, 'checkpoints', JOBS.A, 'chk-5'));
		expect(result.stillNeeded).toBeGreaterThan(0);
		// B's chk-7 has a missing file: keeping only it subsumes chk-6, the one B can be restored from.
		const chk6 = join(dir, 'checkpoints', JOBS.B, 'chk-6');
		expect(result.subsumed).toContain(chk6);
		expect(result.warnings).toEqual([expect.stringContaining(`${chk6} is the newest checkpoint of ${join(dir, 'checkpoints', JOBS.B)} without missing files`)]);
		expect(simulateRetention(await analyse([dir], {minAgeMs: 0}), 2).warnings).toEqual([]);
	});
});

describe('ReferenceSet and scannedAtOrBelow', () => {
	const segment = fc.constantFrom('a', 'b', 'ab', 'chk-1', 'chk-10', 'shared');
	const path = fc.array(segment, {minLength: 1, maxLength: 4}).map((parts) => `/${parts.join('/')}`);

	test('answer like isInside against every referenced file and directory', () => {
		fc.assert(
			fc.property(
				fc.array(path, {maxLength: 10}),
				fc.array(path, {maxLength: 3}),
				fc.array(fc.oneof(path, fc.constant('/')), {minLength: 1, maxLength: 15}),
				(files, dirs, asked) => {
					const cp = {
						metadataPath: null,
						files: [...files.map((f) => ({path: f, handle: 'file'})), ...dirs.map((d) => ({path: d, handle: 'directory'}))],
					} as unknown as CheckpointAnalysis;
					const references = new ReferenceSet([cp]);
					const table = new FileTable();
					for (const f of files) table.addFile(f.slice(0, f.lastIndexOf('/')) || '/', f.slice(f.lastIndexOf('/') + 1), 1, 1);
					for (const q of asked) {
						const has = files.includes(q) || dirs.some((d) => isInside(q, d));
						expect(references.has(q)).toBe(has);
						expect(references.touches(q)).toBe(has || [...files, ...dirs].some((p) => isInside(p, q)));
						const scanned = [...table.keys()];
						expect(scannedAtOrBelow(table, q)).toBe(scanned.some((f) => isInside(f, q)));
						expect(scannedAtOrBelow(new Map(scanned.map((f) => [f, {size: 1, mtimeMs: 1}])), q)).toBe(scanned.some((f) => isInside(f, q)));
					}
				},
			),
			{numRuns: 300},
		);
	});
});
