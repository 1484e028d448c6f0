import {lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {openStatWorkers, StatKind, statInWorkers, type CrawledDirectory, type StatBatch} from '../../source/tree/stat-pool.js';

let tmp: string;
let groups: CrawledDirectory[];
let total: number;

beforeAll(() => {
	tmp = mkdtempSync(join(tmpdir(), 'fcx-stat-pool-'));
	groups = [];
	for (let d = 0; d < 5; d++) {
		const dir = join(tmp, `dir $& ${d}`);
		mkdirSync(dir);
		const names: string[] = [];
		for (let f = 0; f < 9; f++) {
			writeFileSync(join(dir, `f${f}`), Buffer.alloc(d * 10 + f, 1));
			names.push(`f${f}`);
		}
		mkdirSync(join(dir, 'sub'));
		symlinkSync(join(tmp, 'nowhere'), join(dir, 'link'));
		// Vanished (never there), and an error for a name the worker hands to lstat relative to `dir`.
		names.push('sub', 'link', 'gone', 'n'.repeat(300));
		groups.push({dir, names});
	}
	// A directory the worker cannot enter: the names are statted by their full paths.
	groups.splice(2, 0, {dir: join(tmp, 'dir $& 0', 'f1'), names: ['x', 'y']}, {dir: join(tmp, 'no-such-dir'), names: ['z']});
	total = groups.reduce((n, {names}) => n + names.length, 0);
});

afterAll(() => rmSync(tmp, {recursive: true, force: true}));

/** Each file's `lstat`, as the stat pool reports it: [kind, size, mtime, error message]. */
function plainLstat(): [StatKind, number, number, string | undefined][] {
	return groups.flatMap(({dir, names}) =>
		names.map((name): [StatKind, number, number, string | undefined] => {
			try {
				const st = lstatSync(`${dir}/${name}`, {throwIfNoEntry: false});
				if (st === undefined) return [StatKind.Vanished, 0, 0, 'ENOENT: no such file or directory'];
				return [st.isFile() ? StatKind.File : st.isSymbolicLink() ? StatKind.Symlink : StatKind.Other, st.size, Math.trunc(st.mtimeMs), undefined];
			} catch (error) {
				const {code, message} = error as NodeJS.ErrnoException;
				return [code === 'ENOTDIR' ? StatKind.Vanished : StatKind.Error, 0, 0, message.startsWith(`${code}:`) ? message : `${code}: ${message}`];
			}
		}),
	);
}

function rows({kinds, sizes, mtimes, errors}: StatBatch): [StatKind, number, number, string | undefined][] {
	return [...kinds].map((kind, i) => [kind, sizes[i], mtimes[i], errors.get(i)]);
}

describe('statInWorkers', () => {
	it('gives one lstat per file, errors and vanished files included, with this thread sharing the work or not', async () => {
		const expected = plainLstat();
		expect(expected.filter(([kind]) => kind === StatKind.Error).map(([, , , error]) => error?.slice(0, 12))).toEqual([
			'ENAMETOOLONG',
			'ENAMETOOLONG',
			...Array(3).fill('ENAMETOOLONG'),
		]);
		expect(expected.filter(([kind]) => kind === StatKind.Vanished)).toHaveLength(8); // 6 gone, 2 below a file (ENOTDIR)
		for (const workers of [1, 3]) {
			for (const resultFiles of [1, 3, 4096]) {
				for (const when of ['never', 'at once', 'when ready'] as const) {
					const work = statInWorkers(groups, total, workers, () => undefined, false, {nameBytes: 1, resultFiles});
					// At once: this thread takes the last files before any worker starts.
					const shared = when === 'at once' ? work.share() : when === 'when ready' ? work.ready.then(work.share) : Promise.resolve(0);
					expect(rows(await work.batch)).toEqual(expected);
					const taken = await shared;
					if (when === 'at once') expect(taken).toBeGreaterThan(0);
					if (when === 'never') expect(taken).toBe(0);
				}
			}
		}
	});
});

describe('openStatWorkers', () => {
	it('gives the results in the order the directories are closed with, whatever order they were added in and however far the workers got before', async () => {
		const expected = plainLstat();
		for (const workers of [1, 2]) {
			for (const resultFiles of [1, 4096]) {
				const stream = openStatWorkers(workers, false, {nameBytes: 1, resultFiles});
				// Added backwards, one directory per turn of the event loop (as a crawl does), so that
				// results come before the close.
				for (const group of [...groups].reverse()) {
					stream.add(group);
					await new Promise<void>((resolve) => setImmediate(resolve));
				}
				const done: number[] = [];
				const work = stream.close(groups, (n) => done.push(n));
				expect(rows(await work.batch)).toEqual(expected);
				expect(done.every((n) => n <= total)).toBe(true);
			}
		}
	});

	it('refuses to close with other directories than it was given', () => {
		const stream = openStatWorkers(1);
		stream.add(groups[0]);
		expect(() => stream.close(groups, () => undefined)).toThrow(/other files/);
		// The worker has its directory and its end: it ends.
		const work = stream.close([groups[0]], () => undefined);
		return expect(work.batch).resolves.toBeDefined();
	});

	it('stops its worker processes when aborted: no result, nothing left running', async () => {
		const stream = openStatWorkers(1);
		stream.add(groups[0]);
		stream.abort();
		await expect(stream.close([groups[0]], () => undefined).batch).rejects.toThrow(/stat worker exited/);
	});
});
