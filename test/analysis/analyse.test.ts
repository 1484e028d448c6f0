import {rmSync, symlinkSync} from 'node:fs';
import {join, resolve} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import {reportToJson} from '../../source/report/json.js';
import {scanTree} from '../../source/tree/scan.js';
import {corpusDir, corpusExists, reportSkippedCorpus} from '../support/corpus.js';
import {tempTree} from './helpers.js';

const SAMPLE = resolve('fixtures/sample-tree');
const A = '3f9a1c2be7d04a5c8e6b1d2f0a9c4e71';
const B = '7b2e4d6f8a0c1e3f5a7b9c0d2e4f6a81';
const D = 'd00dfeed5eed4bad9c1e2f3a4b5c6d7e';
const LATER = Date.now() + 365 * 86_400_000; // git does not keep mtimes: make everything old

reportSkippedCorpus('analyse', 'the worker-scan comparison on the real trees');

const cleanup: string[] = [];
afterAll(() => {
	for (const d of cleanup) rmSync(d, {recursive: true, force: true});
});

describe('the scan in worker processes, its names kept as lists', () => {
	it('lists the names of each directory instead of hashing them', async () => {
		const scan = await scanTree([SAMPLE], undefined, {parallelStatMinFiles: 1, statWorkers: 1});
		const shared = join(SAMPLE, 'checkpoints', A, 'shared');
		expect(scan.files.listed(shared)?.names.length).toBeGreaterThan(0);
	});

	// The analysis matches scanned names through these lists (FileTable.listed) instead of the
	// maps an in-process scan makes: the result must not differ, in every file of every checkpoint.
	it.each([['the sample tree', SAMPLE], ...(corpusExists ? [['../shared/flink-metadata', corpusDir]] : [])])(
		'gives the same analysis as the in-process scan: %s',
		async (_, root) => {
			const inProcess = await analyse([root], {nowMs: LATER, minAgeMs: 0});
			const inWorkers = await analyse([root], {nowMs: LATER, minAgeMs: 0, scan: {parallelStatMinFiles: 1, statWorkers: 1}});
			expect(reportToJson(inWorkers, {files: true})).toEqual(reportToJson(inProcess, {files: true}));
		},
	);
});

describe('analyse (with the real reader)', () => {
	it('finds what fixtures/README.md describes in the sample tree', async () => {
		const phases = new Set<string>();
		const a = await analyse([SAMPLE], {nowMs: LATER, onProgress: (p) => phases.add(p.phase)});
		const status = (s: string): string[] =>
			a.checkpoints
				.filter((c) => c.status === s)
				.map((c) => c.path.slice(SAMPLE.length + 1))
				.sort();
		expect(status('complete')).toHaveLength(10); // A 3,4,5; B 6; C 8,9; E 1,2; F 4 + the savepoint
		expect(status('missing-files')).toEqual([`checkpoints/${B}/chk-7`]);
		expect(status('incomplete')).toEqual([`checkpoints/${A}/chk-6`, `checkpoints/${B}/chk-8`, `checkpoints/${D}/chk-12`]);
		expect(a.missing.map((m) => m.path.slice(SAMPLE.length + 1))).toEqual([`checkpoints/${B}/shared/31167833-92ab-41b3-9a02-23e4a50c9512`]);
		expect(a.orphans.map((o) => [o.path.slice(SAMPLE.length + 1), o.reason])).toEqual([
			[`checkpoints/${A}/chk-6`, 'incomplete-checkpoint'],
			[`checkpoints/${A}/shared/12621770-d607-46cd-9cf0-66d892a5454e`, 'unreferenced-file'],
			[`checkpoints/${A}/shared/fa319e6b-b1b7-4970-a672-14fa44fcc91c`, 'unreferenced-file'],
			[`checkpoints/${B}/chk-8`, 'incomplete-checkpoint'],
			[`checkpoints/${D}`, 'dead-job'],
		]);
		expect(a.jobs.find((j) => j.jobId === B)?.referencesJobs).toEqual([A]);
		expect(a.jobs.filter((j) => j.jobId !== null)).toHaveLength(6);
		expect(a.jobs.find((j) => j.jobId === null)?.label).toBe('savepoints');
		expect(a.totals).toMatchObject({checkpoints: 10, savepoints: 1, missing: 1, orphans: 5});
		expect([...phases].sort()).toEqual(['analyse', 'load', 'scan']);
		// Every resolved file with a local path has its name apart (the explorer sorts on it).
		const files = a.checkpoints.flatMap((c) => c.files);
		expect(files.filter((f) => f.path !== null)).not.toHaveLength(0);
		for (const f of files) expect(f.name).toBe(f.path === null ? undefined : f.path.slice(f.path.lastIndexOf('/') + 1));
	});

	it('accepts a _metadata file: scans its chk directory and stats the job’s shared files outside the root', async () => {
		const a = await analyse([join(SAMPLE, 'checkpoints', A, 'chk-5', '_metadata')], {nowMs: LATER});
		expect(a.roots).toEqual([join(SAMPLE, 'checkpoints', A, 'chk-5')]);
		expect(a.checkpoints).toHaveLength(1);
		const c = a.checkpoints[0];
		expect(c).toMatchObject({status: 'complete', missing: 0, outside: 0, jobId: A});
		expect(c.dependencies.map((d) => [d.kind, d.local])).toEqual([
			['chk', true],
			['shared', false],
		]);
		expect(a.orphans).toEqual([]);
	});

	it('reports an unparsable _metadata as unreadable, not a crash', async () => {
		const t = tempTree('fcx-analyse-');
		cleanup.push(t.dir);
		t.put('cp/0123456789abcdef0123456789abcdef/chk-1/_metadata', 20);
		const a = await analyse([join(t.dir, 'cp')]);
		expect(a.checkpoints[0]).toMatchObject({status: 'unreadable', checkpointId: 1});
		expect(a.checkpoints[0].error).toBeTruthy();
		expect(a.warnings.some((w) => w.message.startsWith('unreadable _metadata'))).toBe(true);
	});

	it('loads only regular _metadata files while the scan runs: a symlinked one is a warning, and its checkpoint unreadable (not incomplete: Flink would restore through it)', async () => {
		const t = tempTree('fcx-analyse-');
		cleanup.push(t.dir);
		const job = join(t.dir, 'cp', '0123456789abcdef0123456789abcdef');
		t.mkdir('cp/0123456789abcdef0123456789abcdef/chk-1');
		symlinkSync(join(SAMPLE, 'checkpoints', A, 'chk-5', '_metadata'), join(job, 'chk-1', '_metadata'));
		const a = await analyse([join(t.dir, 'cp')], {nowMs: LATER});
		expect(a.checkpoints.map((c) => [c.path, c.metadataPath, c.status])).toEqual([[join(job, 'chk-1'), null, 'unreadable']]);
		expect(a.warnings.map((w) => [w.path, w.message.split(' → ')[0]])).toContainEqual([
			join(job, 'chk-1', '_metadata'),
			'symlink pointing out of the scanned roots',
		]);
	});
});
