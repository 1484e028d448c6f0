/**
 * The orphan phase of the build (`source/analysis/build/orphans.ts`) decides what `plan` and
 * `clean` may delete: hand-built trees and snapshots through the public {@link buildAnalysis}.
 */
import {rmSync} from 'node:fs';
import {join} from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {buildAnalysis, type LoadedSnapshot} from '../../source/analysis/build.js';
import type {AnalyseOptions, Analysis} from '../../source/analysis/types.js';
import {isInside} from '../../source/tree/layout.js';
import {scanTree} from '../../source/tree/scan.js';
import {loaded, readResult, ref, tempTree} from './helpers.js';

const J1 = '11111111111111111111111111111111';
const J2 = '22222222222222222222222222222222';
const J3 = '33333333333333333333333333333333';
const HDFS = 'hdfs://nn:8020/flink/cp';
const NOW = Date.now() + 10 * 86_400_000;
const OLD = NOW - 2 * 86_400_000;
const YOUNG = NOW - 60_000;

const cleanup: string[] = [];
afterAll(() => {
	for (const d of cleanup) rmSync(d, {recursive: true, force: true});
});

/** A tree under `<temp>/cp`: `files` (relative path → [size, mtime]), `dirs` empty directories. */
function makeTree(files: Record<string, [number, number]>, dirs: string[] = []): string {
	const t = tempTree('fcx-orphans-');
	cleanup.push(t.dir);
	for (const [rel, [size, mtimeMs]] of Object.entries(files)) t.put(join('cp', rel), size, mtimeMs);
	for (const rel of dirs) t.mkdir(join('cp', rel));
	return join(t.dir, 'cp');
}

/** The analysis of the tree at `base`; `unlisted` (relative) directories count as not listable, as when `readdir` fails. */
async function analyseTree(
	base: string,
	snapshots: (base: string) => LoadedSnapshot[],
	options: AnalyseOptions & {unlisted?: string[]} = {},
): Promise<Analysis> {
	const scan = await scanTree([base]);
	for (const rel of options.unlisted ?? []) {
		scan.warnings.push({code: 'unreadable-directory', path: join(base, rel), message: 'unreadable directory: EACCES (simulated)'});
	}
	return buildAnalysis(scan, snapshots(base), {nowMs: NOW, ...options});
}

/** Orphans as `[path relative to base, reason, possibly in progress]`. */
function orphansOf(a: Analysis, base: string): [string, string, boolean][] {
	return a.orphans.map((o) => [o.path.slice(base.length + 1), o.reason, o.possiblyInProgress]);
}

/** Whether an orphan is `path` or contains it (deleting it would delete `path`). */
function deletes(a: Analysis, path: string): boolean {
	return a.orphans.some((o) => o.path === path || isInside(path, o.path));
}

/** The two checkpoints of job J1 used by most tests: chk-1 and chk-2, with their references. */
function jobOne(base: string, chk2: LoadedSnapshot['result'] | null = undefined): LoadedSnapshot[] {
	return [
		loaded(join(base, J1, 'chk-1'), readResult(1, [ref('file', `${HDFS}/${J1}/shared/a`, 100), ref('relative', 'ex1', 50)]), OLD),
		chk2 === null
			? loaded(join(base, J1, 'chk-2'), undefined, OLD, 'at byte 4: bad magic')
			: loaded(
					join(base, J1, 'chk-2'),
					chk2 ??
						readResult(2, [
							ref('file', `${HDFS}/${J1}/shared/a`, 100),
							ref('file', `${HDFS}/${J1}/shared/b`, 200),
							ref('file', `${HDFS}/${J1}/chk-2/ex2`, 60),
							ref('segment', `${HDFS}/${J1}/shared/merged`, 10, {startPos: 0}),
							ref('segment', `${HDFS}/${J1}/shared/merged`, 10, {startPos: 10}),
							ref('file', `${HDFS}/${J1}/taskowned/t1`, 30, {role: 'private'}),
						]),
					OLD,
				),
	];
}

const JOB_ONE_FILES: Record<string, [number, number]> = {
	[`${J1}/chk-1/_metadata`]: [10, OLD],
	[`${J1}/chk-1/ex1`]: [50, OLD],
	[`${J1}/chk-1/u3`]: [5, OLD],
	[`${J1}/chk-2/_metadata`]: [10, OLD],
	[`${J1}/chk-2/ex2`]: [60, OLD],
	[`${J1}/shared/a`]: [100, OLD],
	[`${J1}/shared/b`]: [200, OLD],
	[`${J1}/shared/merged`]: [20, OLD],
	[`${J1}/shared/u1`]: [7, OLD],
	[`${J1}/taskowned/t1`]: [30, OLD],
	[`${J1}/taskowned/u2`]: [9, OLD],
};
const REFERENCED = ['chk-1/_metadata', 'chk-1/ex1', 'chk-2/_metadata', 'chk-2/ex2', 'shared/a', 'shared/b', 'shared/merged', 'taskowned/t1'].map(
	(p) => `${J1}/${p}`,
);

describe('the orphan phase', () => {
	it('never calls a file a snapshot references an orphan, whatever its handle (file, relative, segment) or how many snapshots use it', async () => {
		const base = makeTree(JOB_ONE_FILES);
		const a = await analyseTree(base, (b) => jobOne(b));
		for (const p of REFERENCED) expect(deletes(a, join(base, p)), p).toBe(false);
		expect(orphansOf(a, base)).toEqual([
			[`${J1}/chk-1/u3`, 'unreferenced-file', false],
			[`${J1}/shared/u1`, 'unreferenced-file', false],
			[`${J1}/taskowned/u2`, 'unreferenced-file', false],
		]);
		expect(a.totals).toMatchObject({orphans: 3, orphanBytes: 5 + 7 + 9});
	});

	it('holds the directory of a file an unmapped reference may name: none of its unreferenced files is an orphan', async () => {
		const base = makeTree({...JOB_ONE_FILES, [`${J1}/shared/h`]: [3, OLD]});
		const chk2 = readResult(2, [
			ref('file', `${HDFS}/${J1}/shared/a`, 100),
			ref('file', `${HDFS}/${J1}/chk-2/ex2`, 60),
			ref('file', 's3://elsewhere/x/shared/h', 3),
		]);
		const a = await analyseTree(base, (b) => jobOne(b, chk2));
		const shared = join(base, J1, 'shared');
		expect(a.warnings.find((w) => w.code === 'unmapped-references')?.path).toBe(shared);
		expect(a.orphans.filter((o) => isInside(o.path, shared))).toEqual([]);
		// Only that directory: the other storage directories still have their orphans.
		expect(orphansOf(a, base).map(([p]) => p)).toEqual([`${J1}/chk-1/u3`, `${J1}/taskowned/t1`, `${J1}/taskowned/u2`]);
	});

	it('withholds a job’s unreferenced files when one of its _metadata cannot be read (its own chk-<n> too), with a warning', async () => {
		const base = makeTree({...JOB_ONE_FILES, [`${J1}/chk-2/extra`]: [4, OLD]});
		const a = await analyseTree(base, (b) => jobOne(b, null));
		expect(a.warnings.filter((w) => w.code === 'job-orphans-withheld').map((w) => w.path)).toEqual([join(base, J1)]);
		for (const p of [`${J1}/shared/u1`, `${J1}/shared/b`, `${J1}/taskowned/u2`, `${J1}/chk-2/extra`, `${J1}/chk-2/ex2`]) {
			expect(deletes(a, join(base, p)), p).toBe(false);
		}
		// A readable checkpoint's own directory is still searched: nothing else can reference its private files.
		expect(orphansOf(a, base)).toEqual([[`${J1}/chk-1/u3`, 'unreferenced-file', false]]);
	});

	it('never reports what lies below or above a directory that could not be listed; an unlisted chk-<n> is unreadable and withholds its job', async () => {
		// shared/sub would roll up whole (its only file is unreferenced) but for sub/deep, whose content is unknown.
		const base = makeTree({...JOB_ONE_FILES, [`${J2}/shared/x`]: [11, OLD], [`${J1}/shared/sub/z`]: [1, OLD]}, [`${J1}/shared/sub/deep`, `${J2}/chk-7`]);
		const a = await analyseTree(base, (b) => jobOne(b), {unlisted: [`${J1}/shared/sub/deep`, `${J2}/chk-7`]});
		expect(deletes(a, join(base, J1, 'shared', 'sub', 'deep', 'anything'))).toBe(false);
		expect(a.orphans.some((o) => isInside(o.path, join(base, J2)) || o.path === join(base, J2))).toBe(false);
		expect(a.checkpoints.find((c) => c.path === join(base, J2, 'chk-7'))).toMatchObject({status: 'unreadable', metadataPath: null});
		expect(a.warnings.some((w) => w.code === 'job-orphans-withheld' && w.path === join(base, J2))).toBe(true);
		// The files beside it are known, and unreferenced: reported one by one.
		expect(orphansOf(a, base)).toEqual([
			[`${J1}/chk-1/u3`, 'unreferenced-file', false],
			[`${J1}/shared/sub/z`, 'unreferenced-file', false],
			[`${J1}/shared/u1`, 'unreferenced-file', false],
			[`${J1}/taskowned/u2`, 'unreferenced-file', false],
		]);
		// Listed, the same tree rolls shared/sub up whole.
		const listed = await analyseTree(base, (b) => jobOne(b));
		expect(listed.orphans.find((o) => o.path === join(base, J1, 'shared', 'sub'))).toMatchObject({reason: 'unreferenced-directory', files: 1});
	});

	it('reports no unreferenced files and no dead jobs anywhere when a directory outside job directories could not be listed', async () => {
		const base = makeTree({...JOB_ONE_FILES, [`${J3}/shared/x`]: [11, OLD]}, ['misc']);
		const a = await analyseTree(base, (b) => jobOne(b), {unlisted: ['misc']});
		expect(a.orphans).toEqual([]);
		expect(a.warnings.some((w) => w.code === 'job-orphans-withheld' && w.path === base)).toBe(true);
	});

	it('marks what changed within --min-age as possibly in progress (not counted), and an older tree as orphaned', async () => {
		const files: Record<string, [number, number]> = {
			...JOB_ONE_FILES,
			[`${J1}/shared/young`]: [8, YOUNG],
			[`${J1}/chk-3/part`]: [6, YOUNG],
			[`${J1}/chk-0/part`]: [2, YOUNG],
			[`${J1}/chk-2/._metadata.inprogress.x`]: [1, YOUNG],
			[`${J3}/shared/x`]: [11, YOUNG],
		};
		const base = makeTree(files);
		const a = await analyseTree(base, (b) => jobOne(b));
		expect(orphansOf(a, base)).toEqual([
			[`${J1}/chk-0`, 'incomplete-checkpoint', false],
			[`${J1}/chk-1/u3`, 'unreferenced-file', false],
			[`${J1}/chk-2/._metadata.inprogress.x`, 'stale-inprogress-metadata', true],
			[`${J1}/chk-3`, 'incomplete-checkpoint', true],
			[`${J1}/shared/u1`, 'unreferenced-file', false],
			[`${J1}/shared/young`, 'unreferenced-file', true],
			[`${J1}/taskowned/u2`, 'unreferenced-file', false],
			[J3, 'dead-job', true],
		]);
		expect(a.checkpoints.find((c) => c.path === join(base, J1, 'chk-3'))?.status).toBe('in-progress');
		// chk-0 is older than the newest complete checkpoint: never completed, whatever its age.
		expect(a.checkpoints.find((c) => c.path === join(base, J1, 'chk-0'))?.status).toBe('incomplete');
		expect(a.totals).toMatchObject({orphans: 4, orphanBytes: 2 + 5 + 7 + 9});
		const later = await analyseTree(base, (b) => jobOne(b), {nowMs: NOW + 86_400_000});
		expect(later.orphans.every((o) => !o.possiblyInProgress)).toBe(true);
		expect(later.totals.orphans).toBe(8);
		const patient = await analyseTree(base, (b) => jobOne(b), {minAgeMs: 0});
		expect(patient.orphans.every((o) => !o.possiblyInProgress)).toBe(true);
	});

	it('reports a job directory without any _metadata once, as a dead job; a job another job references is not dead', async () => {
		const base = makeTree({...JOB_ONE_FILES, [`${J3}/shared/x`]: [11, OLD], [`${J3}/chk-5/part`]: [12, OLD], [`${J3}/shared/kept`]: [13, OLD]});
		const a = await analyseTree(base, (b) => jobOne(b));
		expect(orphansOf(a, base).filter(([p]) => p.startsWith(J3))).toEqual([[J3, 'dead-job', false]]);
		expect(a.orphans.find((o) => o.path === join(base, J3))).toMatchObject({type: 'directory', files: 3, bytes: 36, jobId: J3});
		// J1 restored from J3 (a cross-job reference): J3 lives on; only its unreferenced files are orphans.
		const chk2 = readResult(2, [ref('file', `${HDFS}/${J1}/chk-2/ex2`, 60), ref('file', `${HDFS}/${J3}/shared/kept`, 13)]);
		const b = await analyseTree(base, (bb) => jobOne(bb, chk2));
		expect(deletes(b, join(base, J3, 'shared', 'kept'))).toBe(false);
		expect(orphansOf(b, base).filter(([p]) => p.startsWith(J3))).toEqual([
			[`${J3}/chk-5`, 'incomplete-checkpoint', false],
			[`${J3}/shared/x`, 'unreferenced-file', false],
		]);
	});

	it('rolls nested orphans up to the highest directory whose whole content is orphaned, never to a storage directory', async () => {
		const base = makeTree({
			...JOB_ONE_FILES,
			[`${J1}/shared/sub/a1`]: [1, OLD],
			[`${J1}/shared/sub/deeper/a2`]: [2, OLD],
			[`${J1}/shared/mixed/keep`]: [3, OLD],
			[`${J1}/shared/mixed/gone1`]: [4, OLD],
			[`${J1}/shared/mixed/inner/gone2`]: [5, OLD],
			[`${J1}/shared/mixed/inner/more/gone3`]: [6, OLD],
		});
		const chk2 = readResult(2, [
			ref('file', `${HDFS}/${J1}/chk-2/ex2`, 60),
			ref('file', `${HDFS}/${J1}/shared/a`, 100),
			ref('file', `${HDFS}/${J1}/shared/mixed/keep`, 3),
		]);
		const a = await analyseTree(base, (b) => jobOne(b, chk2));
		expect(deletes(a, join(base, J1, 'shared', 'mixed', 'keep'))).toBe(false);
		const shared = orphansOf(a, base).filter(([p]) => p.startsWith(`${J1}/shared/`));
		expect(shared).toEqual([
			[`${J1}/shared/b`, 'unreferenced-file', false],
			[`${J1}/shared/merged`, 'unreferenced-file', false],
			[`${J1}/shared/mixed/gone1`, 'unreferenced-file', false],
			[`${J1}/shared/mixed/inner`, 'unreferenced-directory', false],
			[`${J1}/shared/sub`, 'unreferenced-directory', false],
			[`${J1}/shared/u1`, 'unreferenced-file', false],
		]);
		expect(a.orphans.find((o) => o.path === join(base, J1, 'shared', 'sub'))).toMatchObject({type: 'directory', files: 2, bytes: 3});
		expect(a.orphans.find((o) => o.path === join(base, J1, 'shared', 'mixed', 'inner'))).toMatchObject({files: 2, bytes: 11});
	});
});
