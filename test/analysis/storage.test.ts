import {statSync} from 'node:fs';
import {describe, expect, test} from 'vitest';
import {analyse, jobStorage, storageOfJob} from '../../source/analysis/index.js';
import {J1, J2, NOW, tree} from '../cleanup/helpers.js';

/** J1 holds shared files, one of which J2 (restored from J1 in CLAIM mode) still references. */
async function claimedTree() {
	const t = tree('fcx-storage-');
	t.file(`${J1}/shared/a`);
	t.file(`${J1}/shared/b`);
	t.file(`${J1}/shared/orphan`);
	t.file(`${J1}/taskowned/t`);
	t.file(`${J1}/README`);
	const m1 = t.metadata(`${J1}/chk-3`, 3, [`${J1}/shared/a`, `${J1}/shared/b`]);
	t.file(`${J2}/shared/c`);
	const m2 = t.metadata(`${J2}/chk-4`, 4, [`${J1}/shared/a`, `${J2}/shared/c`]);
	const analysis = await analyse([t.dir], {nowMs: NOW});
	return {t, analysis, m1Bytes: statSync(m1).size, m2Bytes: statSync(m2).size};
}

describe('jobStorage', () => {
	test('breaks a job directory down by part: chk-<n>, shared referenced / orphaned, taskowned, other', async () => {
		const {t, analysis, m1Bytes} = await claimedTree();
		const j1 = storageOfJob(analysis, t.abs(J1))!;
		expect(Object.fromEntries(j1.parts.map((p) => [p.part, [p.bytes, p.files]]))).toEqual({
			checkpoints: [m1Bytes, 1],
			'shared-referenced': [32, 2],
			'shared-orphaned': [16, 1],
			taskowned: [16, 1],
			other: [16, 1],
		});
		expect(j1.bytes).toBe(m1Bytes + 80);
		expect(j1.files).toBe(6);
		expect(j1.bytes).toBe(analysis.jobs.find((j) => j.jobId === J1)!.bytesOnDisk);
	});

	test('the bytes other jobs still need and the bytes only the job holds', async () => {
		const {t, analysis, m1Bytes, m2Bytes} = await claimedTree();
		const j1 = storageOfJob(analysis, t.abs(J1))!;
		expect(j1.neededByOthersBytes).toBe(16);
		expect(j1.neededBy).toEqual([{path: t.abs(J2), jobId: J2, files: 1, bytes: 16}]);
		expect(j1.onlyThisJobBytes).toBe(m1Bytes + 64);
		expect(j1.unknownReferrers).toBe(0);
		const j2 = storageOfJob(analysis, t.abs(J2))!;
		expect(j2).toMatchObject({neededByOthersBytes: 0, neededBy: [], onlyThisJobBytes: m2Bytes + 16});
	});

	test('a dead job directory is orphaned as a whole: its shared files are all orphaned', async () => {
		const t = tree('fcx-storage-dead-');
		t.file(`${J1}/shared/x`);
		t.file(`${J1}/shared/y`);
		// A minute on: with --min-age 0 a file written in the analysis's own millisecond is still young
		// (possibly in progress), which a loaded machine can make happen.
		const analysis = await analyse([t.dir], {minAgeMs: 0, nowMs: Date.now() + 60_000});
		expect(analysis.orphans.map((o) => o.path)).toEqual([t.abs(J1)]);
		const j1 = storageOfJob(analysis, t.abs(J1))!;
		expect(j1.parts.find((p) => p.part === 'shared-orphaned')).toEqual({part: 'shared-orphaned', bytes: 32, files: 2});
		expect(j1.parts.find((p) => p.part === 'shared-referenced')!.bytes).toBe(0);
	});

	test('an unreadable _metadata of another job may need the directory: counted as unknown', async () => {
		const {t} = await claimedTree();
		t.put(`${J2}/chk-5/_metadata`, new Uint8Array([1, 2, 3]));
		const analysis = await analyse([t.dir], {nowMs: NOW});
		expect(storageOfJob(analysis, t.abs(J1))!.unknownReferrers).toBe(1);
	});

	test('computed once per analysis', async () => {
		const {analysis} = await claimedTree();
		expect(jobStorage(analysis)).toBe(jobStorage(analysis));
	});
});
