/**
 * Attacks on probing ahead (`Prober.probeAhead`, `analysis/build/ahead.ts`): with `_metadata`
 * files named (not a root), the referenced paths outside the named directories are `stat`ed in a
 * worker process while the files still load, at the local directory the resolver would probably
 * map them to. Whatever the guesses (relocated copies, `--map`, two copies, anchors learnt late),
 * the threshold, a worker killed at any point, the names, the permissions, and files that change
 * while the files load, the analysis must be the one of a probe once everything is loaded (a
 * threshold no run reaches): above all, never a file called missing (or unknown called absent)
 * because of an early answer.
 */
import {execFileSync} from 'node:child_process';
import {chmodSync, lstatSync, mkdirSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';
import {beforeAll, describe, expect, it, test} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import type {AnalyseOptions} from '../../source/analysis/types.js';
import {reportJsonChunks} from '../../source/report/index.js';
import {statWorkerChildren, statWorkersLeft} from '../support/stat-workers.js';
import {tempDir} from '../support/temp.js';
import {built, fcx, metadataWith, unprivileged, type Ref} from './helpers.js';

const LATER = Date.now() + 365 * 86_400_000; // everything is old
/** The mtime (s) of every file written: two trees made at different times report alike. */
const OLD = 1_700_000_000;
const JOB_A = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const JOB_B = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const REMOTE = 'hdfs://namenode:8020/flink/cp';
/** A threshold no run reaches: the probe after the loading, the reference. */
const AFTER = Number.MAX_SAFE_INTEGER;

/** Write `<dir>/_metadata` of checkpoint `id` referencing `refs`; returns its path. */
function putMetadata(dir: string, id: number, refs: Ref[]): string {
	mkdirSync(dir, {recursive: true});
	writeFileSync(join(dir, '_metadata'), metadataWith(id, refs));
	utimesSync(join(dir, '_metadata'), OLD, OLD);
	return join(dir, '_metadata');
}

/** Write a file of `bytes` bytes at `path` (its directories made). */
function putFile(path: string, bytes = 16): void {
	mkdirSync(join(path, '..'), {recursive: true});
	writeFileSync(path, Buffer.alloc(bytes, 7));
	utimesSync(path, OLD, OLD);
}

/** The report JSON of `paths` analysed with `parallelStatMinFiles` = `threshold` (`generatedAt` left out). */
async function reportOf(paths: string[], threshold: number, options: AnalyseOptions = {}): Promise<string> {
	const analysis = await analyse(paths, {nowMs: LATER, minAgeMs: 0, ...options, scan: {parallelStatMinFiles: threshold}});
	return [...reportJsonChunks(analysis, {files: true})].join('').replace(/"generatedAt": *"[^"]*"/, '');
}

/** Block this thread for `ms` (the loading calls `onProgress` synchronously: a worker goes on meanwhile). */
function sleepHere(ms: number): void {
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Block this thread (the loading calls `onProgress` synchronously) until a worker has followed the
 * symlink `sentinel` (its access time is no longer `before`: see {@link followingUpdatesAtime});
 * throws after 30 s.
 */
function awaitFollowed(sentinel: string, before: bigint): void {
	const deadline = Date.now() + 30_000;
	while (lstatSync(sentinel, {bigint: true}).atimeNs === before) {
		if (Date.now() > deadline) throw new Error(`no worker followed ${sentinel}`);
		sleepHere(2);
	}
}

/** Block this thread until a stat worker process runs (waits up to 30 s; there may be none: then it returns). */
function awaitStatWorker(): void {
	const deadline = Date.now() + 30_000;
	while (statWorkerChildren().length === 0 && Date.now() < deadline) sleepHere(2);
}

/**
 * Relocated copies and wrong guesses: job A written as `hdfs://` paths mapped by `--map` to its
 * copy; job B written at its original local place (`orig/`, partly still there: two copies) and
 * named in its copy (`copy/`), which the resolver learns from the snapshots (anchors), the first
 * guesses being the paths as written. Files there and not, directories, symlinks (to a file, to a
 * directory, dangling) in both copies.
 */
function relocatedLayout(): {paths: string[]; mappings: {remote: string; local: string}[]; names: number} {
	const t = tempDir('fcx-probe-ahead-attack-');
	const copy = join(t, 'copy');
	const orig = join(t, 'orig');
	const names = ['f0', 'f1', 'f2', 'f3', 'gone', 'dir', 'to-file', 'to-dir', 'dangling'];
	for (const place of [join(copy, JOB_A, 'shared'), join(copy, JOB_B, 'shared'), join(orig, JOB_B, 'shared')]) {
		mkdirSync(place, {recursive: true});
		mkdirSync(join(place, 'dir'));
		symlinkSync(join(place, 'f0'), join(place, 'to-file'));
		symlinkSync(join(place, 'dir'), join(place, 'to-dir'));
		symlinkSync(join(place, 'nothing'), join(place, 'dangling'));
	}
	// Two copies that differ: each holds files the other lacks.
	for (const f of ['f0', 'f1', 'f2']) putFile(join(copy, JOB_A, 'shared', f), 10 + f.length);
	for (const f of ['f0', 'f2']) putFile(join(copy, JOB_B, 'shared', f), 20);
	for (const f of ['f0', 'f1', 'f3']) putFile(join(orig, JOB_B, 'shared', f), 30);
	const paths: string[] = [];
	for (let id = 1; id <= 4; id++) {
		// Each checkpoint references some names of the list (the later ones more): new names while loading.
		const some = names.slice(0, 4 + id);
		paths.push(
			putMetadata(
				join(copy, JOB_A, `chk-${id}`),
				id,
				some.map((n) => `${REMOTE}/${JOB_A}/shared/${n}`),
			),
		);
		paths.push(
			putMetadata(join(copy, JOB_B, `chk-${id}`), id, [...some.map((n) => join(orig, JOB_B, 'shared', n)), join(orig, JOB_B, `chk-${id}`, 'exclusive')]),
		);
	}
	return {paths: paths.sort(), mappings: [{remote: REMOTE, local: copy}], names: 2 * names.length + 4};
}

describe('probing ahead with wrong guesses (relocated copies, --map, two copies)', () => {
	let layout: ReturnType<typeof relocatedLayout>;
	let after: string;
	beforeAll(async () => {
		layout = relocatedLayout();
		after = await reportOf(layout.paths, AFTER, {mappings: layout.mappings});
		expect(after).toContain('"missing"');
	});

	it('gives the analysis of the probe after loading at every threshold around the number of names (crossed by one)', async () => {
		for (let threshold = 1; threshold <= layout.names + 2; threshold++) {
			expect(await reportOf(layout.paths, threshold, {mappings: layout.mappings}), `from ${threshold} names on`).toBe(after);
		}
		expect(await statWorkersLeft()).toEqual([]);
	});

	it('gives it without --map too (the copy learnt from the snapshots only)', async () => {
		const unmapped = await reportOf(layout.paths, AFTER);
		for (const threshold of [1, 2, 5]) expect(await reportOf(layout.paths, threshold), `from ${threshold} names on`).toBe(unmapped);
	});

	it('gives it when the probing workers are killed after any file has loaded', async () => {
		for (let at = 1; at <= layout.paths.length; at++) {
			let killed = 0;
			const onProgress: AnalyseOptions['onProgress'] = ({phase, done}) => {
				if (phase !== 'load' || done !== at) return;
				// Given the time to start first (or not: either way the same answer).
				if (at % 2 === 1) awaitStatWorker();
				for (const pid of statWorkerChildren()) {
					process.kill(pid, 'SIGKILL');
					killed++;
				}
			};
			expect(await reportOf(layout.paths, 1, {mappings: layout.mappings, onProgress}), `killed after file ${at}`).toBe(after);
			expect(killed, `killed after file ${at}`).toBeGreaterThan(0);
		}
		expect(await statWorkersLeft()).toEqual([]);
	});
});

describe('probing ahead with hostile names', () => {
	it('gives the analysis of the probe after loading for names with newlines, quotes, no UTF-8 (lone surrogates), too long', async () => {
		const t = tempDir('fcx-probe-ahead-names-');
		const out = join(t, 'out');
		const names = ['new\nline', "it's", 'sp ace', 'per%20cent', 'ünï', '\ud800lone', 'x'.repeat(255), 'y'.repeat(256), 'tab\there', '-dash'];
		for (const [i, name] of names.entries()) if (i % 2 === 0 && name.length <= 255) putFile(join(out, name), i);
		const paths = [1, 2].map((id) =>
			putMetadata(
				join(t, 'cp', JOB_A, `chk-${id}`),
				id,
				names.map((n) => join(out, n)),
			),
		);
		const after = await reportOf(paths, AFTER);
		for (const threshold of [1, names.length, names.length + 1]) expect(await reportOf(paths, threshold), `from ${threshold} names on`).toBe(after);
	});

	// The stat workers `chdir` into a directory and `stat` its names, which worked for a path longer
	// than PATH_MAX whose directory is shorter; this thread `stat`s whole paths: ENAMETOOLONG. The
	// answer (a file there, or unknown) depended on which side took the name (`StatWork.share`).
	it('gives the analysis of the probe after loading for a file whose path is longer than PATH_MAX (its directory shorter), and the same scan', async () => {
		const t = tempDir('fcx-probe-ahead-long-');
		const name = 'f'.repeat(250);
		const deep = longDirectory(join(t, 'out'));
		const root = join(t, 'root');
		const inRoot = longDirectory(join(root, JOB_B, 'shared'));
		try {
			putLong(deep, name);
			// A symlink after the long name, which the worker probing ahead follows once it has taken that name.
			putFile(join(t, 'real'));
			const sentinel = join(deep, 'sentinel');
			symlinkSync(join(t, 'real'), sentinel);
			const paths = [1, 2].map((id) => putMetadata(join(t, 'cp', JOB_A, `chk-${id}`), id, [join(deep, name), join(deep, 'other'), sentinel]));
			const atime = followingUpdatesAtime();
			const before = lstatSync(sentinel, {bigint: true}).atimeNs;
			// The worker probing ahead takes the names of chk-1 while chk-2 waits to load.
			const onProgress: AnalyseOptions['onProgress'] = ({phase, done}) => {
				if (phase === 'load' && done === 1 && atime) awaitFollowed(sentinel, before);
			};
			// Ahead first: a symlink's access time changes once after it was made (relatime).
			const ahead = await reportOf(paths, 1, {onProgress});
			expect(ahead).toBe(await reportOf(paths, AFTER));
			// A root holding such a file, crawled: its stat workers have the file first, before many others.
			putLong(inRoot, name);
			for (let i = 0; i < 3000; i++) putFile(join(root, JOB_B, 'shared', 'many', `m${i}`));
			putMetadata(join(root, JOB_B, 'chk-1'), 1, [join(inRoot, name)]);
			expect(await reportOf([root], 1)).toBe(await reportOf([root], AFTER));
		} finally {
			// Removed from inside their directories: the temp directory's removal cannot reach them.
			for (const dir of [deep, inRoot]) execFileSync('sh', ['-c', 'cd "$1" && rm -f "$2"', 'sh', dir, name]);
		}
	});
});

/** A directory below `under` whose path is almost PATH_MAX long (made). */
function longDirectory(under: string): string {
	let deep = under;
	while (deep.length < 3700) deep = join(deep, 'd'.repeat(200));
	mkdirSync(deep, {recursive: true});
	return deep;
}

/** A file `name` of 16 bytes in `dir`, where `dir + '/' + name` is longer than PATH_MAX (made from inside `dir`). */
function putLong(dir: string, name: string): void {
	execFileSync('sh', ['-c', 'cd "$1" && printf 0123456789abcdef > "$2" && touch -d @1700000000 "$2"', 'sh', dir, name]);
}

/** Whether following a symlink updates its access time here (relatime: once after it was made): how a test sees that a worker has `stat`ed a path. */
function followingUpdatesAtime(): boolean {
	const t = tempDir('fcx-probe-ahead-atime-');
	symlinkSync(join(t, 'nothing'), join(t, 'link'));
	const before = lstatSync(join(t, 'link'), {bigint: true}).atimeNs;
	sleepHere(20);
	execFileSync(process.execPath, ['-e', `require('fs').statSync(process.argv[1], {throwIfNoEntry: false})`, join(t, 'link')]);
	return lstatSync(join(t, 'link'), {bigint: true}).atimeNs !== before;
}

/**
 * A change made while the files load, once the worker probing ahead has certainly `stat`ed the
 * paths of the first `_metadata`: `chk-1` references `out/a/<target>` then `out/a/sentinel` (a
 * symlink, which that worker follows after the target: its access time changes then), `chk-2`
 * references `out/b/y`. `change` runs after the first file has loaded; `prepare` makes the state
 * before. The result must be the one of a probe after loading (the change made before it).
 */
async function changedWhileLoading(target: string, prepare: (t: string) => void, change: (t: string) => void): Promise<{ahead: string; after: string}> {
	const run = async (threshold: number): Promise<string> => {
		const t = tempDir('fcx-probe-ahead-change-');
		mkdirSync(join(t, 'out', 'a'), {recursive: true});
		putFile(join(t, 'out', 'real'));
		putFile(join(t, 'out', 'b', 'y'));
		prepare(t);
		symlinkSync(join(t, 'out', 'real'), join(t, 'out', 'a', 'sentinel'));
		const sentinel = join(t, 'out', 'a', 'sentinel');
		const before = lstatSync(sentinel, {bigint: true}).atimeNs;
		const paths = [
			putMetadata(join(t, 'cp', JOB_A, 'chk-1'), 1, [join(t, 'out', 'a', target), sentinel]),
			putMetadata(join(t, 'cp', JOB_A, 'chk-2'), 2, [join(t, 'out', 'b', 'y')]),
		];
		const onProgress: AnalyseOptions['onProgress'] = ({phase, done}) => {
			if (phase !== 'load' || done !== 1) return;
			if (threshold !== AFTER) awaitFollowed(sentinel, before);
			change(t);
		};
		return (await reportOf(paths, threshold, {onProgress})).replaceAll(t, '$T');
	};
	return {after: await run(AFTER), ahead: await run(1)};
}

describe('probing ahead while the files change', () => {
	const atime = followingUpdatesAtime();
	if (!atime) console.warn('[attack] following a symlink does not update its access time here: the probe-ahead timing attacks are SKIPPED');

	test.skipIf(!atime)('calls a file created after the early stat (before the probe) there, not missing', async () => {
		const {ahead, after} = await changedWhileLoading(
			'late',
			() => undefined,
			(t) => putFile(join(t, 'out', 'a', 'late')),
		);
		expect(after).not.toContain('"missing": 1');
		expect(ahead).toBe(after);
	});

	test.skipIf(!atime)('calls a file there that a directory swapped in holds (a symlink to it replaced the empty directory)', async () => {
		const {ahead, after} = await changedWhileLoading(
			'x',
			(t) => {
				putFile(join(t, 'full', 'x'));
				symlinkSync(join(t, 'out', 'real'), join(t, 'full', 'sentinel'));
			},
			(t) => {
				// The worker's sentinel was in the old directory: the new one has its own.
				rmSync(join(t, 'out', 'a'), {recursive: true});
				symlinkSync(join(t, 'full'), join(t, 'out', 'a'));
			},
		);
		expect(ahead).toBe(after);
	});

	// Known and accepted: an answer that a path is there is taken from the early stat, so a file
	// removed (or its directory replaced by a file) between that stat and the probe is still called
	// there: the answer is that of a moment while the files loaded (as the scan's own stat workers
	// give for the files inside the roots), not of the probe's. Never a missing file made up; a
	// checkpoint called complete that lost a file meanwhile. Checking each probed directory's
	// mtime and inode against the early stat would catch it (not a small change).
	(atime ? it.fails : it.skip)('calls a file removed after the early stat (before the probe) missing', async () => {
		const {ahead, after} = await changedWhileLoading(
			'doomed',
			(t) => putFile(join(t, 'out', 'a', 'doomed')),
			(t) => unlinkSync(join(t, 'out', 'a', 'doomed')),
		);
		expect(after).toContain('"missing"');
		expect(ahead).toBe(after);
	});
});

describe('probing ahead as nobody, through the binary', () => {
	test.skipIf(!built || !unprivileged)('gives the report of the probe after loading with unreadable and unsearchable directories', () => {
		const t = tempDir('fcx-probe-ahead-nobody-');
		chmodSync(t, 0o755);
		const out = join(t, 'out');
		const places = {locked: 0o700, noexec: 0o644, noread: 0o311, open: 0o755};
		const refs: string[] = [];
		for (const place of Object.keys(places)) {
			for (const f of ['f0', 'f1', 'f2']) {
				if (f !== 'f2') putFile(join(out, place, f));
				refs.push(join(out, place, f));
			}
			mkdirSync(join(out, place, 'sub'));
			putFile(join(out, place, 'sub', 'g'));
			refs.push(join(out, place, 'sub', 'g'), join(out, place, 'sub', 'h'));
		}
		const paths = [1, 2, 3].map((id) => putMetadata(join(t, 'cp', JOB_B, `chk-${id}`), id, refs.slice(0, refs.length - 3 + id)));
		for (const [place, mode] of Object.entries(places)) chmodSync(join(out, place), mode);
		const run = (threshold: number): string => {
			const result = fcx(['report', '--json', '--min-age', '0', ...paths], {
				asNobody: true,
				env: {...process.env, FCX_PARALLEL_STAT_MIN_FILES: String(threshold)},
			});
			expect(result.stderr).toBe('');
			return result.stdout.replace(/"generatedAt": *"[^"]*"/, '');
		};
		const after = run(1_000_000_000);
		// Only the files not there in the directories nobody can search are missing: those in `locked`, `noexec` are unknown.
		expect(after).toMatch(/"missing": 4,\s+"checkpointsWithMissingFiles": 3/);
		for (const threshold of [1, 2, refs.length]) expect(run(threshold), `from ${threshold} names on`).toBe(after);
		for (const place of Object.keys(places)) chmodSync(join(out, place), 0o755);
	});
});
