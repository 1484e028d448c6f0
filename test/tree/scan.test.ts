import {mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import fc from 'fast-check';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {isInside} from '../../source/tree/layout.js';
import {crawlTree, dedupeRoots, scanTree, startStatTree, statTree} from '../../source/tree/scan.js';
import {Found, statNamesInWorkers} from '../../source/tree/stat-pool.js';

const JOB = '0123456789abcdef0123456789abcdef';
let tmp: string;
let root: string;

beforeAll(() => {
	tmp = mkdtempSync(join(tmpdir(), 'fcx-scan-'));
	root = join(tmp, 'cp');
	const put = (p: string, size: number): void => {
		mkdirSync(join(p, '..'), {recursive: true});
		writeFileSync(p, Buffer.alloc(size, 1));
	};
	put(join(root, JOB, 'chk-1', '_metadata'), 10);
	put(join(root, JOB, 'chk-1', 'excl'), 100);
	put(join(root, JOB, 'shared', 'sst'), 1000);
	// Names a worker process must hand to lstat as they are (relative to the directory it is in).
	put(join(root, JOB, 'odd dir ü', '-x ü.sst'), 3);
	mkdirSync(join(root, JOB, 'taskowned'));
	put(join(tmp, 'outside', 'secret'), 5);
	symlinkSync(join(tmp, 'outside'), join(root, JOB, 'shared', 'link-out'));
	symlinkSync(join(tmp, 'nowhere'), join(root, JOB, 'shared', 'link-broken'));
});

afterAll(() => rmSync(tmp, {recursive: true, force: true}));

describe('scanTree', () => {
	it('records files, directories, _metadata and symlinks without following them', async () => {
		const progress: number[] = [];
		const scan = await scanTree([root, join(root, JOB), join(tmp, 'missing')], (p) => progress.push(p.done));
		expect(scan.roots).toEqual([root]);
		expect([...scan.files.keys()].sort()).toEqual([
			join(root, JOB, 'chk-1', '_metadata'),
			join(root, JOB, 'chk-1', 'excl'),
			join(root, JOB, 'odd dir ü', '-x ü.sst'),
			join(root, JOB, 'shared', 'sst'),
		]);
		expect(scan.files.get(join(root, JOB, 'shared', 'sst'))?.size).toBe(1000);
		expect(scan.files.get(join(root, JOB, 'odd dir ü', '-x ü.sst'))?.size).toBe(3);
		expect(scan.files.get(join(root, JOB, 'shared', 'sst'))?.mtimeMs).toBeGreaterThan(0);
		expect(scan.metadataFiles).toEqual([join(root, JOB, 'chk-1', '_metadata')]);
		expect(scan.directories.get(join(root, JOB))?.layout.kind).toBe('job');
		expect(scan.directories.get(join(root, JOB, 'taskowned'))?.layout.kind).toBe('taskowned');
		expect(scan.directories.get(join(root, JOB, 'chk-1'))?.layout.checkpointId).toBe(1);
		expect(scan.directories.has(join(root, JOB, 'shared', 'link-out'))).toBe(false);
		expect(scan.symlinks.get(join(root, JOB, 'shared', 'link-out'))).toMatchObject({outside: true, broken: false, directory: true});
		expect(scan.symlinks.get(join(root, JOB, 'shared', 'link-broken'))).toMatchObject({broken: true});
		const messages = scan.warnings.map((w) => `${w.path}: ${w.message}`).join('\n');
		expect(messages).toContain('link-out: symlink pointing out of the scanned roots');
		expect(messages).toContain('link-broken: broken symlink');
		expect(messages).toContain('missing: cannot scan');
		expect(progress.length).toBeGreaterThan(0);
	});

	it('gives the same result with the stat calls in worker processes', async () => {
		const here = await scanTree([root]);
		const progress: number[] = [];
		// Really in the workers: a failed worker is silently made up for on this thread.
		const failures: unknown[] = [];
		const inWorkers = await scanTree([root], (p) => progress.push(p.done), {parallelStatMinFiles: 1, onStatWorkerError: (e) => failures.push(e)});
		expect(failures).toEqual([]);
		expect(inWorkers).toEqual(here);
		expect(progress.at(-1)).toBe(here.files.size + here.symlinks.size);
		// However many workers share the files.
		for (const statWorkers of [1, 3]) expect(await scanTree([root], undefined, {parallelStatMinFiles: 1, statWorkers})).toEqual(here);
		// The names sent a directory per message, the results a file per message.
		expect(await scanTree([root], undefined, {parallelStatMinFiles: 1, statMessages: {nameBytes: 1, resultFiles: 1}})).toEqual(here);
	});

	it('warns about a file that vanished between the crawl and its lstat, in worker processes or here', async () => {
		const dir = join(tmp, 'vanishing');
		for (const name of ['a', 'b', 'c', 'd']) {
			mkdirSync(join(dir, JOB, 'shared'), {recursive: true});
			writeFileSync(join(dir, JOB, 'shared', name), name);
		}
		const scans = [];
		for (const options of [{}, {parallelStatMinFiles: 1, statMessages: {resultFiles: 1}}]) {
			const crawled = await crawlTree([dir]);
			rmSync(join(dir, JOB, 'shared', 'c'));
			scans.push(await statTree(crawled, undefined, options));
			writeFileSync(join(dir, JOB, 'shared', 'c'), 'c');
		}
		for (const scan of scans) {
			expect([...scan.files.keys()].map((path) => path.slice(-1)).sort()).toEqual(['a', 'b', 'd']);
			expect(scan.warnings).toEqual([
				{code: 'vanished', path: join(dir, JOB, 'shared', 'c'), message: expect.stringMatching(/^vanished during scan: ENOENT/) as string},
			]);
		}
	});

	it('gives the same result when no worker process can start (the files are statted here)', async () => {
		const here = await scanTree([root]);
		const execPath = process.execPath;
		process.execPath = join(root, 'no-such-node');
		try {
			expect(await scanTree([root], undefined, {parallelStatMinFiles: 1})).toEqual(here);
		} finally {
			process.execPath = execPath;
		}
	});

	it('gives the same result when this thread takes a share of the lstats, and when it does with no worker process', async () => {
		const here = await scanTree([root]);
		for (const options of [{parallelStatMinFiles: 1}, {parallelStatMinFiles: 1, statWorkers: 2, statMessages: {nameBytes: 1, resultFiles: 1}}]) {
			const started = await startStatTree(await crawlTree([root]), undefined, options);
			await started.share();
			expect(await started.finished).toEqual(here);
		}
		const execPath = process.execPath;
		process.execPath = join(root, 'no-such-node');
		try {
			const failures: unknown[] = [];
			const started = await startStatTree(await crawlTree([root]), undefined, {parallelStatMinFiles: 1, onStatWorkerError: (e) => failures.push(e)});
			await started.share();
			expect(await started.finished).toEqual(here);
			expect(failures).toHaveLength(1);
		} finally {
			process.execPath = execPath;
		}
	});

	it('fills the file table named while the workers ran when every name is a regular file', async () => {
		const chk = join(root, JOB, 'chk-1');
		const here = await scanTree([chk]);
		const progress: {done: number; total?: number; path?: string}[] = [];
		const inWorkers = await scanTree([chk], (p) => progress.push(p), {parallelStatMinFiles: 1});
		expect([...inWorkers.files]).toEqual([...here.files]);
		expect([...inWorkers.files].map(([path, stat]) => [path, stat.size])).toEqual([
			[join(chk, '_metadata'), 10],
			[join(chk, 'excl'), 100],
		]);
		expect(inWorkers.files.mtimeOf(1)).toBe(Math.trunc(statSync(join(chk, 'excl')).mtimeMs));
		expect({...inWorkers, files: null}).toEqual({...here, files: null});
		expect(progress.at(-1)).toEqual({done: 2, total: 2, path: join(chk, 'excl')});
	});

	it('dedupes overlapping roots', () => {
		expect(dedupeRoots(['/a/b/', '/a', '/ab', '/a/b/c'])).toEqual(['/a', '/ab']);
		expect(dedupeRoots(['/x', '/', '/y/z'])).toEqual(['/']);
	});

	it('dedupes like comparing every root with every other', () => {
		const segment = fc.constantFrom('a', 'b', 'ab', 'a-b', 'chk-1', 'chk-10');
		const root = fc.array(segment, {maxLength: 4}).map((parts) => `/${parts.join('/')}`);
		fc.assert(
			fc.property(fc.array(root, {maxLength: 15}), (roots) => {
				const sorted = [...new Set(roots)].sort();
				const naive = sorted.filter((r) => !sorted.some((o) => o !== r && isInside(r, o)));
				expect(dedupeRoots(roots)).toEqual(naive);
			}),
			{numRuns: 500},
		);
	});
});

describe('statNamesInWorkers', () => {
	it('stats like fs.statSync (following symlinks), in the given order, whatever the number of workers', async () => {
		const groups = [
			{dir: join(root, JOB, 'shared'), names: ['sst']},
			{dir: join(root, JOB), names: ['taskowned']},
			{dir: join(root, JOB, 'shared'), names: ['link-out', 'link-broken']},
			{dir: join(root, JOB, 'chk-1'), names: ['excl']},
			{dir: join(root, JOB, 'shared'), names: ['no-such-file']},
			{dir: join(root, JOB, 'chk-1'), names: ['_metadata']},
			// A directory the worker cannot `chdir` into: it stats the full path.
			{dir: join(root, JOB, 'no-such-directory'), names: ['x']},
			{dir: join(root, JOB, 'chk-1'), names: ['excl']},
		];
		const paths = groups.flatMap(({dir, names}) => names.map((name) => join(dir, name)));
		const expected = paths.map((p) => {
			const st = statSync(p, {throwIfNoEntry: false});
			return st === undefined ? [Found.Absent, 0, 0] : [st.isDirectory() ? Found.Directory : Found.File, st.size, Math.trunc(st.mtimeMs)];
		});
		expect(expected.filter(([found]) => found === Found.Absent)).toHaveLength(3);
		for (const workers of [1, 3]) {
			const {found, sizes, mtimes} = await statNamesInWorkers(groups, paths.length, workers);
			expect(paths.map((_, i) => (found[i] === Found.Absent ? [Found.Absent, 0, 0] : [found[i], sizes[i], mtimes[i]]))).toEqual(expected);
		}
	});
});
