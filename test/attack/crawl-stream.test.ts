/**
 * Attacks on the scan's streaming path: the crawl hands each directory to the stat worker processes
 * as soon as it has read it, once it has found `parallelStatMinFiles` files. Whatever the threshold
 * (crossed mid-crawl or not at all), the number of workers or the message sizes, and whether a
 * worker dies, the scan must equal the one `lstat`ed on this thread: hostile entries included.
 */
import {execFileSync} from 'node:child_process';
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {analyse} from '../../source/analysis/analyse.js';
import type {Analysis} from '../../source/analysis/index.js';
import {reportJsonChunks} from '../../source/report/index.js';
import {crawlTree, PARALLEL_STAT_MIN_FILES, scanTree, startStatTree, type ScanResult} from '../../source/tree/scan.js';
import {built, fcx, report, unprivileged} from './helpers.js';
import {openStatWorkers} from '../../source/tree/stat-pool.js';
import {statWorkerChildren, statWorkersLeft} from '../support/stat-workers.js';

const JOB = '0123456789abcdef0123456789abcdef';
/** The binary's version, as its reports say. */
const VERSION = (JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as {version: string}).version;
/** Directories of files below `shared/`, and files in each. */
const DIRS = 60;
const FILES = 25;
let tmp: string;
let root: string;

beforeAll(() => {
	tmp = mkdtempSync(join(tmpdir(), 'fcx-crawl-stream-'));
	root = join(tmp, 'cp');
	const job = join(root, JOB);
	for (let d = 0; d < DIRS; d++) {
		const dir = join(job, 'shared', `d${d}`);
		mkdirSync(dir, {recursive: true});
		for (let f = 0; f < FILES; f++) writeFileSync(join(dir, `f${f}`), Buffer.alloc((d * FILES + f) % 97));
	}
	mkdirSync(join(job, 'chk-1'), {recursive: true});
	writeFileSync(join(job, 'chk-1', '_metadata'), 'not a metadata file');
	mkdirSync(join(job, 'empty', 'deeper'), {recursive: true});
	mkdirSync(join(job, 'taskowned'));
	// Hostile entries: a FIFO, symlinks to a file, a directory, a loop and nowhere, a name that is no
	// UTF-8, a quarantine directory (not crawled) with files in it.
	execFileSync('mkfifo', [join(job, 'shared', 'd3', 'fifo')]);
	symlinkSync(join(job, 'shared', 'd1', 'f1'), join(job, 'shared', 'd2', 'to-file'));
	symlinkSync(join(job, 'shared', 'd4'), join(job, 'shared', 'd5', 'to-dir'));
	symlinkSync(join(job, 'shared'), join(job, 'shared', 'd6', 'loop'));
	symlinkSync(join(tmp, 'nowhere'), join(job, 'shared', 'd7', 'broken'));
	writeFileSync(Buffer.concat([Buffer.from(join(job, 'shared', 'd8') + '/'), Buffer.from([0x66, 0xff, 0xfe])]), 'x');
	mkdirSync(Buffer.concat([Buffer.from(join(job, 'shared') + '/'), Buffer.from([0x64, 0xff])]));
	mkdirSync(join(job, 'shared', 'd9', '.fcx-quarantine', 'inner'), {recursive: true});
	writeFileSync(join(job, 'shared', 'd9', '.fcx-quarantine', 'inner', 'q'), 'quarantined');
});

afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** The scan as plain data (its file table as sorted entries). */
function plain(scan: ScanResult): unknown {
	return JSON.parse(JSON.stringify({...scan, files: [...scan.files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))})) as unknown;
}

describe('the crawl streaming directories to the stat workers', () => {
	it('scans as this thread would, whether the threshold is crossed early, mid-crawl, at the last file or never', async () => {
		const failures: unknown[] = [];
		const here = plain(await scanTree([root], undefined, {parallelStatMinFiles: Number.MAX_SAFE_INTEGER}));
		const files = DIRS * FILES + 3; // with _metadata, the symlinks to a file and to nowhere… counted below
		for (const parallelStatMinFiles of [1, 2, FILES, FILES + 1, (DIRS * FILES) / 2, files - 1, files, files + 1, files + 5]) {
			for (const statWorkers of [1, 3]) {
				const options = {parallelStatMinFiles, statWorkers, statMessages: {nameBytes: 64, resultFiles: 7}, onStatWorkerError: (e: unknown) => failures.push(e)};
				expect(plain(await scanTree([root], undefined, options)), `threshold ${parallelStatMinFiles}, ${statWorkers} workers`).toEqual(here);
			}
		}
		expect(failures).toEqual([]);
		expect(await statWorkersLeft()).toEqual([]);
	});

	it('warns of the FIFO, skips the quarantine, records the symlinks and the name that is no UTF-8', async () => {
		const scan = await scanTree([root], undefined, {parallelStatMinFiles: 1, statWorkers: 2});
		const job = join(root, JOB);
		expect(scan.warnings.filter((w) => w.code === 'not-regular-file').map((w) => w.path)).toEqual([join(job, 'shared', 'd3', 'fifo')]);
		expect((scan.quarantines ?? []).map((q) => q.path)).toEqual([join(job, 'shared', 'd9', '.fcx-quarantine')]);
		expect([...scan.files.keys()].filter((p) => p.includes('.fcx-quarantine'))).toEqual([]);
		expect([...scan.symlinks.keys()].sort()).toEqual(
			[
				join(job, 'shared', 'd2', 'to-file'),
				join(job, 'shared', 'd5', 'to-dir'),
				join(job, 'shared', 'd6', 'loop'),
				join(job, 'shared', 'd7', 'broken'),
			].sort(),
		);
		expect(scan.files.size).toBe(DIRS * FILES + 1);
	});

	it('scans as this thread would when the stat workers are killed while the crawl goes on', async () => {
		const here = plain(await scanTree([root], undefined, {parallelStatMinFiles: Number.MAX_SAFE_INTEGER}));
		for (const statWorkers of [1, 2]) {
			const failures: unknown[] = [];
			let killed = 0;
			let scanning = true;
			const killer = (): void => {
				for (const pid of statWorkerChildren()) {
					process.kill(pid, 'SIGKILL');
					killed++;
				}
				if (scanning) setImmediate(killer);
			};
			setImmediate(killer);
			const options = {
				parallelStatMinFiles: FILES,
				statWorkers,
				statMessages: {nameBytes: 64, resultFiles: 7},
				onStatWorkerError: (e: unknown) => failures.push(e),
			};
			const scan = await scanTree([root], undefined, options).finally(() => {
				scanning = false;
			});
			expect(plain(scan)).toEqual(here);
			expect(killed).toBeGreaterThan(0);
			expect(failures.length).toBe(1);
		}
	});

	it('analyses alike on both sides of the threshold', async () => {
		const options = {nowMs: Date.now() + 86_400_000, minAgeMs: 0};
		const strip = (a: Analysis): string => [...reportJsonChunks(a, {files: true})].join('').replace(/"generatedAt": *"[^"]*"/, '');
		const here = strip(await analyse([root], {...options, scan: {parallelStatMinFiles: Number.MAX_SAFE_INTEGER}}));
		for (const parallelStatMinFiles of [1, FILES + 1, DIRS * FILES]) {
			expect(strip(await analyse([root], {...options, scan: {parallelStatMinFiles, statWorkers: 2}}))).toBe(here);
		}
	});

	it('accounts for every name once when files vanish and appear while the crawl and the lstats go on', async () => {
		const dir = join(tmp, 'moving', JOB, 'shared');
		const size = (d: number, f: number): number => (d * 31 + f) % 89;
		for (let d = 0; d < DIRS; d++) {
			mkdirSync(join(dir, `d${d}`), {recursive: true});
			for (let f = 0; f < FILES; f++) writeFileSync(join(dir, `d${d}`, `f${f}`), Buffer.alloc(size(d, f)));
		}
		const doomed = new Set<string>();
		const late = new Set<string>();
		let turn = 0;
		let scanning = true;
		// Each turn of the event loop, one file goes and one comes, in directories read and not yet read.
		const mutate = (): void => {
			const d = (turn * 7) % DIRS;
			const f = turn % FILES;
			const gone = join(dir, `d${d}`, `f${f}`);
			if (!doomed.has(gone)) {
				rmSync(gone);
				doomed.add(gone);
			}
			const born = join(dir, `d${(turn * 11) % DIRS}`, `late${turn}`);
			writeFileSync(born, Buffer.alloc(5));
			late.add(born);
			turn++;
			if (scanning && turn < DIRS * 4) setImmediate(mutate);
		};
		setImmediate(mutate);
		const options = {parallelStatMinFiles: FILES * 3, statWorkers: 2, statMessages: {nameBytes: 64, resultFiles: 7}};
		const scan = await scanTree([join(tmp, 'moving')], undefined, options).finally(() => {
			scanning = false;
		});
		const vanished = new Set(scan.warnings.filter((w) => w.code === 'vanished').map((w) => w.path));
		expect(scan.warnings.filter((w) => w.code !== 'vanished')).toEqual([]);
		for (const [path, file] of scan.files.entries()) {
			const match = /\/d(\d+)\/(f|late)(\d+)$/.exec(path)!;
			expect(file.size, path).toBe(match[2] === 'late' ? 5 : size(Number(match[1]), Number(match[3])));
			expect(vanished.has(path), path).toBe(false);
		}
		for (const path of vanished) expect(doomed.has(path), path).toBe(true);
		for (let d = 0; d < DIRS; d++) {
			for (let f = 0; f < FILES; f++) {
				const path = join(dir, `d${d}`, `f${f}`);
				// A file never deleted is always found; a deleted one is found (lstat'ed before), vanished, or unseen (deleted before its directory was read).
				if (!doomed.has(path)) expect(scan.files.get(path)?.size, path).toBe(size(d, f));
			}
		}
		expect(turn).toBeGreaterThan(0);
		expect(await statWorkersLeft()).toEqual([]);
	});

	it('loads a _metadata it cannot lstat (its path over PATH_MAX) as unreadable, and leaves no stat worker running', async () => {
		// A `_metadata` whose directory's path is just below PATH_MAX: the crawl reads the directory and
		// a worker `lstat`s the file from inside it, but its full path is too long for the `lstat` of the
		// `_metadata` files between the crawl and the start of the stat (ENAMETOOLONG: fcx ended with an
		// internal error, and the workers started during the crawl were left waiting for names).
		let dir = join(tmp, 'long', JOB, 'shared');
		while (dir.length + 252 + 11 < 4096) dir = join(dir, 'a'.repeat(250));
		dir = join(dir, 'b'.repeat(4090 - dir.length - 1));
		mkdirSync(dir, {recursive: true});
		execFileSync('sh', ['-c', 'cd "$1" && echo x > _metadata', 'sh', dir]);
		try {
			const analysis = await analyse([join(tmp, 'long')], {minAgeMs: 0, scan: {parallelStatMinFiles: 1, statWorkers: 2}});
			const warnings = analysis.warnings.filter((w) => w.path === join(dir, '_metadata'));
			expect(warnings.map((w) => w.code)).toContain('unreadable-metadata');
			expect(warnings.find((w) => w.code === 'unreadable-metadata')?.message).toContain('ENAMETOOLONG');
			expect(analysis.orphans).toEqual([]);
			expect(await statWorkersLeft()).toEqual([]);
		} finally {
			for (const pid of statWorkerChildren()) process.kill(pid, 'SIGKILL');
			execFileSync('rm', ['-rf', join(tmp, 'long')]); // rmSync fails on the path too long
		}
	});

	it('leaves a file whose full path is over PATH_MAX unseen on both sides of the threshold, never an orphan', async () => {
		// The directory can be listed (its path is short enough) and a worker inside it could `lstat`
		// the file by its name, but fcx names files by full path (to report them, to delete them): on
		// this thread the `lstat` failed (ENAMETOOLONG) and the file was unseen, in a worker it was a
		// file, so an orphan that `clean` could not remove, and the scans differed with the tree's size.
		const top = join(tmp, 'toolong');
		let dir = join(top, JOB, 'shared');
		while (dir.length + 252 + 30 < 4096) dir = join(dir, 'a'.repeat(250));
		dir = join(dir, 'c'.repeat(4080 - dir.length - 1));
		mkdirSync(dir, {recursive: true});
		execFileSync('sh', ['-c', 'cd "$1" && echo x > unreferenced-sst-with-a-long-name', 'sh', dir]);
		writeFileSync(join(dir, 'short'), 'y');
		const file = join(dir, 'unreferenced-sst-with-a-long-name');
		try {
			const here = await scanTree([top], undefined, {parallelStatMinFiles: Number.MAX_SAFE_INTEGER});
			expect(here.warnings.map((w) => [w.code, w.path])).toEqual([['vanished', file]]);
			expect(here.warnings[0].message).toContain('ENAMETOOLONG');
			expect(here.files.hasFile(dir, 'short')).toBe(true);
			for (const statWorkers of [1, 2]) {
				expect(plain(await scanTree([top], undefined, {parallelStatMinFiles: 1, statWorkers})), `${statWorkers} workers`).toEqual(plain(here));
			}
			const analysis = await analyse([top], {minAgeMs: 0, scan: {parallelStatMinFiles: 1, statWorkers: 1}});
			expect(analysis.orphans.map((o) => o.path)).not.toContain(file);
			expect(await statWorkersLeft()).toEqual([]);
		} finally {
			execFileSync('rm', ['-rf', top]); // rmSync fails on the path too long
		}
	});

	it.skipIf(!unprivileged)('reports a _metadata in a directory that can be listed but not searched as unreadable (as nobody), no orphan in its job', () => {
		const open = mkdtempSync(join(tmpdir(), 'fcx-crawl-stream-nobody-'));
		try {
			const chk = join(open, 'cp', JOB, 'chk-1');
			mkdirSync(chk, {recursive: true});
			writeFileSync(join(chk, '_metadata'), 'x');
			writeFileSync(join(chk, 'data'), 'y');
			mkdirSync(join(open, 'cp', JOB, 'shared'));
			writeFileSync(join(open, 'cp', JOB, 'shared', 'unreferenced'), 'z');
			execFileSync('chmod', ['-R', 'a+rX', open]);
			execFileSync('chmod', ['a-x', chk]); // listed, not searched: lstat of its files is EACCES
			const result = report([join(open, 'cp')], {asNobody: true});
			expect(result.checkpoints.map((c) => [c.path, c.status])).toEqual([[chk, 'unreadable']]);
			expect(result.warnings.find((w) => w.path === join(chk, '_metadata'))?.message).toContain('EACCES');
			expect(result.orphans).toEqual([]);
		} finally {
			execFileSync('rm', ['-rf', open]);
		}
	});
});

describe('a scan whose stat workers were given other directories than it closes them with (a bug)', () => {
	it('stops them as it throws', async () => {
		const stream = openStatWorkers(2);
		const crawled = await crawlTree([join(root, JOB, 'shared', 'd0')]);
		stream.add({dir: join(root, JOB, 'shared', 'd1'), names: ['f0']});
		await expect(startStatTree(crawled, undefined, {}, stream)).rejects.toThrow(/other files/);
		expect(await statWorkersLeft()).toEqual([]);
	});
});

describe('the binary on a tree of exactly PARALLEL_STAT_MIN_FILES names', () => {
	it.skipIf(!built)('reports what this thread reports without workers', async () => {
		const big = join(tmp, 'big');
		mkdirSync(big);
		execFileSync('cp', ['-a', join(root, JOB), join(big, JOB)]); // cpSync cannot copy names that are no UTF-8
		// Make the crawled names (files and symlinks; the FIFO, the quarantine and the unreadable
		// directory's file are not among them) exactly the threshold: the workers take them as the crawl goes.
		const crawled = DIRS * FILES + 1 + 4 + 1;
		for (let i = 0; crawled + i < PARALLEL_STAT_MIN_FILES; i++) {
			const dir = join(big, JOB, 'shared', `extra-${Math.floor(i / 1000)}`);
			if (i % 1000 === 0) mkdirSync(dir);
			writeFileSync(join(dir, `x${i}`), Buffer.alloc(i % 5));
		}
		const json = (bytes: string): string => bytes.replace(/"generatedAt": *"[^"]*"/, '');
		const run = fcx(['report', '--json', '--min-age', '0', big]);
		expect(run.stderr).toBe('');
		// The vanished name that is no UTF-8, worded the same by the workers and by this thread.
		expect(run.stdout).toContain('vanished during scan: ENOENT: no such file or directory"');
		const here = await analyse([big], {minAgeMs: 0, scan: {parallelStatMinFiles: Number.MAX_SAFE_INTEGER}});
		expect((JSON.parse(run.stdout) as {summary: {files: number}}).summary.files).toBe(PARALLEL_STAT_MIN_FILES - 4 - 1);
		expect(json(run.stdout)).toBe(json([...reportJsonChunks(here, {version: VERSION})].join('')));
	});
});
