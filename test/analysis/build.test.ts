import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {buildAnalysis, type LoadedSnapshot} from '../../source/analysis/build.js';
import type {Analysis} from '../../source/analysis/types.js';
import {scanTree, type ScanResult} from '../../source/tree/scan.js';
import {loaded, readResult, ref, savepointProps, tempTree} from './helpers.js';

const J1 = '11111111111111111111111111111111';
const J2 = '22222222222222222222222222222222';
const J3 = '33333333333333333333333333333333';
const J4 = '55555555555555555555555555555555';
const J6 = '66666666666666666666666666666666';
const J7 = '77777777777777777777777777777777';
const J8 = '88888888888888888888888888888888';
const HDFS = 'hdfs://nn:8020/flink/cp';
const NOW = Date.now() + 10 * 86_400_000;
const OLD = NOW - 2 * 86_400_000;
const YOUNG = NOW - 60_000;

const cleanup: string[] = [];
afterAll(() => {
	for (const d of cleanup) rmSync(d, {recursive: true, force: true});
});

describe('incremental jobs, cross-job restore, dead job, missing and outside files', () => {
	let base: string;
	let scan: ScanResult;
	let snapshots: LoadedSnapshot[];
	let a: Analysis;

	beforeAll(async () => {
		const t = tempTree('fcx-build-');
		cleanup.push(t.dir);
		base = join(t.dir, 'cp');
		const p = (rel: string): string => join('cp', rel);
		for (const c of [`${J1}/chk-1`, `${J1}/chk-2`, `${J2}/chk-3`, `${J2}/chk-4`]) t.put(p(`${c}/_metadata`), 10, OLD);
		t.put(p(`${J1}/chk-1/ex1`), 50, OLD);
		t.put(p(`${J1}/chk-2/ex2`), 60, OLD);
		t.put(p(`${J1}/chk-2/._metadata.inprogress.abc`), 5, OLD);
		t.put(p(`${J1}/chk-3/part`), 7, YOUNG);
		t.put(p(`${J1}/shared/sst-a`), 100, OLD);
		t.put(p(`${J1}/shared/sst-b`), 200, OLD);
		t.put(p(`${J1}/shared/sst-old`), 300, OLD);
		t.put(p(`${J1}/shared/sst-new`), 400, YOUNG);
		t.mkdir(p(`${J1}/taskowned`));
		t.put(p(`${J2}/shared/s2`), 10, OLD);
		t.mkdir(p(`${J2}/taskowned`));
		t.put(p(`${J3}/shared/x`), 11, OLD);
		t.put(p(`${J3}/chk-5/part`), 12, OLD);
		scan = await scanTree([base]);
		snapshots = [
			loaded(join(base, J1, 'chk-1'), readResult(1, [ref('file', `${HDFS}/${J1}/shared/sst-a`, 100), ref('relative', 'ex1', 50)]), OLD),
			loaded(
				join(base, J1, 'chk-2'),
				readResult(2, [
					ref('file', `${HDFS}/${J1}/shared/sst-a`, 100),
					ref('file', `${HDFS}/${J1}/shared/sst-b`, 200),
					ref('relative', 'ex2', 60),
					ref('inline', `${HDFS}/${J1}/chk-2/inl`, 30),
				]),
				OLD,
			),
			loaded(
				join(base, J2, 'chk-3'),
				readResult(3, [
					ref('file', `${HDFS}/${J1}/shared/sst-a`, 100),
					ref('file', `${HDFS}/${J2}/shared/s2`, 10),
					ref('file', `${HDFS}/${J2}/shared/gone`, 20),
				]),
				OLD,
			),
			loaded(
				join(base, J2, 'chk-4'),
				readResult(4, [ref('file', `${HDFS}/${J2}/shared/s2`, 10), ref('file', `${HDFS}/${J2}/shared/gone`, 20), ref('file', 's3://other-bucket/x/y/z', 5)]),
				OLD,
			),
		];
		a = await buildAnalysis(scan, snapshots, {nowMs: NOW});
	});

	const cp = (job: string, n: number) => a.checkpoints.find((c) => c.path === join(base, job, `chk-${n}`))!;

	it('resolves hdfs:// shared SSTs into the scanned job directories (inferred mappings)', () => {
		const c2 = cp(J1, 2);
		expect(c2.status).toBe('complete');
		expect(c2.kind).toBe('checkpoint');
		expect(c2.jobId).toBe(J1);
		expect(c2.files.map((f) => [f.path, f.exists])).toEqual([
			[join(base, J1, 'shared/sst-a'), true],
			[join(base, J1, 'shared/sst-b'), true],
			[join(base, J1, 'chk-2/ex2'), true],
		]);
		expect(c2.sizes).toEqual({referencedBytes: 360, ownDirectoryBytes: 60, sharedBytes: 100, inlineBytes: 30, metadataBytes: 10, exclusiveBytes: 270}); // sst-b, ex2 and _metadata: sst-a is shared
		expect(c2.dependencies.map((d) => [d.path, d.kind, d.files, d.bytes, d.crossJob])).toEqual([
			[join(base, J1, 'chk-2'), 'chk', 1, 60, false],
			[join(base, J1, 'shared'), 'shared', 2, 300, false],
		]);
		expect(a.mappings).toContainEqual({remote: `${HDFS}/${J1}`, local: join(base, J1), inferred: true});
		expect(a.referencedBy.get(join(base, J1, 'shared/sst-a'))).toEqual([join(base, J1, 'chk-1'), join(base, J1, 'chk-2'), join(base, J2, 'chk-3')]);
		expect(a.referencedBy.get(join(base, J1, 'shared'))).toHaveLength(3);
		expect(a.referencedBy.get(join(base, J1))).toContain(join(base, J2, 'chk-3'));
		expect(c2.operators[0]).toMatchObject({
			operatorId: expect.any(String),
			stateKinds: ['operator state', 'keyed state (incremental)'],
			stateNames: ['SourceReaderState'],
			bytes: 390,
		});
	});

	it('marks cross-job dependencies after a restore and reports the missing file once', () => {
		const c3 = cp(J2, 3);
		expect(c3.status).toBe('missing-files');
		expect(c3.missing).toBe(1);
		const dep = c3.dependencies.find((d) => d.jobId === J1)!;
		expect(dep).toMatchObject({path: join(base, J1, 'shared'), kind: 'shared', crossJob: true, files: 1});
		const job2 = a.jobs.find((j) => j.jobId === J2)!;
		expect(job2.referencesJobs).toEqual([J1]);
		expect(job2.missing).toBe(1);
		expect(job2.latestCheckpointId).toBe(4);
		expect(a.missing).toEqual([
			{path: join(base, J2, 'shared/gone'), uri: `${HDFS}/${J2}/shared/gone`, referencedBy: [join(base, J2, 'chk-3'), join(base, J2, 'chk-4')]},
		]);
		expect(a.totals.missing).toBe(1);
	});

	it('gives the same files whether a checkpoint’s files or a dependency’s fileList is read first', async () => {
		// The lists are built when first read: a second analysis, read in the other order.
		const b = await buildAnalysis(scan, snapshots, {nowMs: NOW});
		const c3b = b.checkpoints.find((c) => c.jobId === J2 && c.checkpointId === 3)!;
		const fromDependencies = c3b.dependencies.flatMap((d) => d.fileList);
		const c3 = cp(J2, 3);
		expect(c3.dependencies.flatMap((d) => d.fileList)).toEqual(fromDependencies);
		expect(new Set(c3b.files)).toEqual(new Set(fromDependencies));
		expect(c3b.files).toEqual(c3.files);
		expect(c3b.dependencies.find((d) => d.jobId === J1)!.fileList).toEqual([
			expect.objectContaining({path: join(base, J1, 'shared/sst-a'), exists: true, actualSize: 100}),
		]);
		// An unchanged file of a chain of incremental checkpoints is one object.
		const sstA = (c: typeof c3): unknown => c.files.find((f) => f.path === join(base, J1, 'shared/sst-a'));
		expect(sstA(cp(J1, 1))).toBe(sstA(cp(J1, 2)));
		// A list can still be replaced by assignment.
		c3b.files = [];
		expect(c3b.files).toEqual([]);
	});

	it('shows an unmappable s3:// URI as outside the tree, not missing', () => {
		const c4 = cp(J2, 4);
		const f = c4.files.find((x) => x.uri.startsWith('s3://'))!;
		expect(f).toMatchObject({path: null, exists: null});
		expect(c4.outside).toBe(1);
		expect(c4.missing).toBe(1);
		expect(c4.dependencies.find((d) => !d.local && d.kind === 'other')).toMatchObject({path: 's3://other-bucket/x/y', files: 1, bytes: 5});
	});

	it('finds orphans: unreferenced SSTs, stale in-progress metadata, a dead job once, an in-progress chk', () => {
		const orphans = a.orphans.map((o) => [o.path.slice(base.length + 1), o.reason, o.possiblyInProgress]);
		expect(orphans).toEqual([
			[`${J1}/chk-2/._metadata.inprogress.abc`, 'stale-inprogress-metadata', false],
			[`${J1}/chk-3`, 'incomplete-checkpoint', true],
			[`${J1}/shared/sst-new`, 'unreferenced-file', true],
			[`${J1}/shared/sst-old`, 'unreferenced-file', false],
			[J3, 'dead-job', false],
		]);
		const dead = a.orphans.find((o) => o.reason === 'dead-job')!;
		expect(dead).toMatchObject({bytes: 23, files: 2, jobId: J3, type: 'directory'});
		expect(a.totals.orphans).toBe(3);
		expect(a.totals.orphanBytes).toBe(5 + 300 + 23);
		const chk3 = cp(J1, 3);
		expect(chk3).toMatchObject({status: 'in-progress', metadataPath: null, checkpointId: 3});
		const job1 = a.jobs.find((j) => j.jobId === J1)!;
		expect(job1.checkpoints.map((c) => c.checkpointId)).toEqual([3, 2, 1]);
		expect(job1).toMatchObject({latestCheckpointId: 2, orphans: 2, orphanBytes: 305, bytesOnDisk: 10 + 10 + 50 + 60 + 5 + 7 + 100 + 200 + 300 + 400});
		expect(a.jobs.find((j) => j.jobId === J3)).toMatchObject({orphans: 1, checkpoints: [{status: 'incomplete'}]});
		expect(a.totals).toMatchObject({checkpoints: 4, savepoints: 0, files: scan.files.size});
	});

	it('treats an old incomplete chk as an orphan', async () => {
		const later = await buildAnalysis(scan, snapshots, {nowMs: NOW + 86_400_000});
		const chk3 = later.orphans.find((o) => o.path === join(base, J1, 'chk-3'))!;
		expect(chk3).toMatchObject({reason: 'incomplete-checkpoint', possiblyInProgress: false, bytes: 7, files: 1});
		expect(later.checkpoints.find((c) => c.path === join(base, J1, 'chk-3'))?.status).toBe('incomplete');
		expect(later.orphans.find((o) => o.path.endsWith('sst-new'))?.possiblyInProgress).toBe(false);
		expect(later.totals.orphans).toBe(5);
	});

	it('turns an unreadable _metadata into a checkpoint with a warning and protects the job', async () => {
		const broken = snapshots.map((s) => (s.metadataPath.includes(`${J1}/chk-2`) ? {...s, result: undefined, error: 'at byte 4: bad'} : s));
		const b = await buildAnalysis(scan, broken, {nowMs: NOW});
		const c2 = b.checkpoints.find((c) => c.path === join(base, J1, 'chk-2'))!;
		expect(c2).toMatchObject({status: 'unreadable', error: 'at byte 4: bad', checkpointId: 2, formatVersion: null});
		expect(b.warnings.some((w) => w.path === c2.metadataPath)).toBe(true);
		expect(b.orphans.some((o) => o.path.includes(`${J1}/shared`))).toBe(false);
	});
});

describe('savepoints, CLAIM restore, explicit and learnt mappings', () => {
	let root: string;
	let a: Analysis;
	const SP = 'savepoint-444444-0123456789ab';

	beforeAll(async () => {
		const t = tempTree('fcx-build2-');
		cleanup.push(t.dir);
		root = t.dir;
		t.put(`sp/${SP}/_metadata`, 10, OLD);
		t.put(`sp/${SP}/sp1`, 70, OLD);
		t.put(`sp/${SP}/sp2`, 80, OLD);
		t.put(`sp/${SP}/junk`, 9, OLD);
		t.put(`cp/${J4}/chk-6/_metadata`, 10, OLD);
		t.put(`cp/${J4}/chk-6/own`, 10, OLD);
		t.mkdir(`cp/${J4}/shared`);
		t.put('elsewhere/f1', 5, OLD);
		const scan = await scanTree([join(root, 'sp'), join(root, 'cp')]);
		a = await buildAnalysis(
			scan,
			[
				loaded(join(root, 'sp', SP), readResult(5, [ref('relative', 'sp1', 70), ref('relative', 'sp2', 80)], savepointProps), OLD),
				loaded(
					join(root, 'cp', J4, 'chk-6'),
					readResult(6, [
						ref('relative', 'sp2', 80),
						ref('relative', 'own', 10),
						ref('file', 's3://bucket/archive/f1', 5),
						ref('file', 's3://bucket/archive/f2', 6),
					]),
					OLD,
				),
			],
			{nowMs: NOW, mappings: [{remote: 's3://bucket/archive/', local: join(root, 'elsewhere')}]},
		);
	});

	it('groups savepoints outside job directories under a savepoints entry', () => {
		const sp = a.checkpoints.find((c) => c.kind === 'savepoint')!;
		expect(sp).toMatchObject({status: 'complete', jobId: null, checkpointId: 5});
		const group = a.jobs.find((j) => j.jobId === null)!;
		expect(group).toMatchObject({label: 'savepoints', path: join(root, 'sp'), bytesOnDisk: 10 + 70 + 80 + 9, orphans: 1});
		expect(a.orphans.map((o) => [o.path, o.reason])).toEqual([[join(root, 'sp', SP, 'junk'), 'unreferenced-file']]);
		expect(a.totals).toMatchObject({checkpoints: 1, savepoints: 1});
	});

	it('finds a relative handle of the CLAIM-restored job in the savepoint directory (FLINK-39964)', () => {
		const c6 = a.checkpoints.find((c) => c.path === join(root, 'cp', J4, 'chk-6'))!;
		const f = c6.files.find((x) => x.uri === 'sp2')!;
		expect(f).toMatchObject({path: join(root, 'sp', SP, 'sp2'), exists: true});
		expect(f.note).toContain('FLINK-39964');
		const dep = c6.dependencies.find((d) => d.kind === 'savepoint')!;
		expect(dep).toMatchObject({path: join(root, 'sp', SP), crossJob: true, local: true});
		expect(a.referencedBy.get(join(root, 'sp', SP, 'sp2'))).toEqual([join(root, 'cp', J4, 'chk-6'), join(root, 'sp', SP)]);
	});

	it('applies an explicit --map mapping, stats outside the roots and reports the missing file', () => {
		const c6 = a.checkpoints.find((c) => c.path === join(root, 'cp', J4, 'chk-6'))!;
		expect(c6.files.find((x) => x.uri.endsWith('f1'))).toMatchObject({path: join(root, 'elsewhere/f1'), exists: true, actualSize: 5});
		expect(c6.files.find((x) => x.uri.endsWith('f2'))).toMatchObject({path: join(root, 'elsewhere/f2'), exists: false});
		expect(c6.status).toBe('missing-files');
		expect(a.mappings).toContainEqual({remote: 's3://bucket/archive/', local: join(root, 'elsewhere'), inferred: false});
		expect(c6.dependencies.find((d) => d.kind === 'other')).toMatchObject({path: join(root, 'elsewhere'), local: false, files: 2, missing: 1});
		expect(a.orphans.some((o) => o.path.includes(J4))).toBe(false); // empty shared/ is not an orphan
	});

	it('learns a remote base from a snapshot’s own inline names', async () => {
		const t = tempTree('fcx-build3-');
		cleanup.push(t.dir);
		t.put(`cp/${J6}/chk-7/_metadata`, 10, OLD);
		t.put(`cp/${J7}/shared/s1`, 33, OLD);
		const scan = await scanTree([join(t.dir, 'cp', J6)]);
		const remote = 'hdfs://nn2/old/cp';
		const b = await buildAnalysis(
			scan,
			[
				loaded(
					join(t.dir, 'cp', J6, 'chk-7'),
					readResult(7, [
						ref('inline', `${remote}/${J6}/chk-7/inl`, 3),
						ref('file', `${remote}/${J7}/shared/s1`, 33),
						ref('file', `${remote}/${J8}/shared/s9`, 1),
					]),
					OLD,
				),
			],
			{nowMs: NOW},
		);
		const c7 = b.checkpoints[0];
		expect(c7.files.map((f) => [f.path, f.exists])).toEqual([
			[join(t.dir, 'cp', J7, 'shared/s1'), true],
			[null, null],
		]);
		expect(c7.dependencies.find((d) => d.jobId === J7)).toMatchObject({crossJob: true, local: false, kind: 'shared'});
		expect(b.mappings).toEqual([{remote, local: join(t.dir, 'cp'), inferred: true}]);
		expect(c7.status).toBe('complete');
	});
});
