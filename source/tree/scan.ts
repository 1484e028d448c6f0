/**
 * Crawl checkpoint trees on the local file system (read only): every file with its size and mtime,
 * every directory with its layout classification, every `_metadata` file.
 */
import * as fs from 'node:fs';
import {availableParallelism} from 'node:os';
import {Worker} from 'node:worker_threads';
import {readlink, realpath, stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {fdir} from 'fdir';
import type {Warning} from '../analysis/types.js';
import {classifyPath, isInside, METADATA_FILE, stripTrailingSlash, type PathLayout} from './layout.js';

/** Size (bytes) and modification time (epoch ms) of one scanned file. */
export interface FileStat {
	size: number;
	mtimeMs: number;
}

/** A scanned directory: its layout classification and its own mtime (ms). */
export interface ScannedDirectory {
	layout: PathLayout;
	mtimeMs: number;
}

/** A symbolic link met while scanning; never followed. */
export interface ScannedSymlink {
	/** The link text. */
	target: string;
	/** The resolved target path, `null` when broken. */
	resolved: string | null;
	/** The target does not exist. */
	broken: boolean;
	/** The target lies outside every scanned root. */
	outside: boolean;
	/** The target is a directory. */
	directory: boolean;
}

/** Result of {@link scanTree}. All paths are absolute, without trailing slash. */
export interface ScanResult {
	/** The crawled root directories, deduplicated (a root inside another root is dropped). */
	roots: string[];
	/** Every regular file under the roots → size and mtime. */
	files: Map<string, FileStat>;
	/** Every directory under the roots (roots included) → classification and mtime. */
	directories: Map<string, ScannedDirectory>;
	/** Every `_metadata` file found, sorted. */
	metadataFiles: string[];
	/** Symbolic links under the roots (not followed, not in `files`). */
	symlinks: Map<string, ScannedSymlink>;
	/** Unreadable directories, vanished files, symlinks, missing roots. */
	warnings: Warning[];
}

/** Progress of a scan: `done` files stat'ed of `total` found (`total` unknown while crawling). */
export type ScanProgress = (progress: {done: number; total?: number; path?: string}) => void;

/** Quarantine directory name of `fcx clean` (`<root>/.fcx-quarantine/…`): never scanned. */
export const QUARANTINE_DIR = '.fcx-quarantine';

/** Files `lstat`ed (synchronously) between two turns of the event loop. */
export const SCAN_BATCH = 4096;

/** From this many files on, worker threads `lstat` them (one per core, at most 4). */
export const PARALLEL_STAT_MIN_FILES = 50_000;

/** What one `lstat` found, as the stat workers report it. */
const enum StatKind {
	Vanished = 0,
	File = 1,
	Symlink = 2,
	Other = 3,
	Error = 4,
}

/** `lstat` results of a list of paths, in typed arrays (sizes in bytes, mtimes in ms). */
interface StatBatch {
	kinds: Uint8Array;
	sizes: Float64Array;
	mtimes: Float64Array;
	/** Index → message, for {@link StatKind.Error} and {@link StatKind.Vanished}. */
	errors: Map<number, string>;
}

/**
 * The stat worker (plain JavaScript, run with `eval`, so that it works from the sources and from
 * dist alike): `lstat`s `workerData.paths` synchronously, posts `{done}` now and then and finally the
 * {@link StatBatch} (typed arrays transferred).
 */
const STAT_WORKER = `
const {parentPort, workerData} = require('node:worker_threads');
const fs = require('node:fs');
const paths = workerData.paths;
const n = paths.length;
const kinds = new Uint8Array(n);
const sizes = new Float64Array(n);
const mtimes = new Float64Array(n);
const errors = new Map();
for (let i = 0; i < n; i++) {
	try {
		const st = fs.lstatSync(paths[i], {throwIfNoEntry: false});
		if (st === undefined) {
			kinds[i] = ${StatKind.Vanished};
			errors.set(i, 'ENOENT: no such file or directory');
		} else {
			kinds[i] = st.isFile() ? ${StatKind.File} : st.isSymbolicLink() ? ${StatKind.Symlink} : ${StatKind.Other};
			sizes[i] = st.size;
			mtimes[i] = Math.trunc(st.mtimeMs);
		}
	} catch (error) {
		kinds[i] = ${StatKind.Error};
		errors.set(i, error && error.code ? error.code + ': ' + error.message : String(error));
	}
	if ((i & 16383) === 16383) parentPort.postMessage({done: i + 1});
}
parentPort.postMessage({kinds, sizes, mtimes, errors}, [kinds.buffer, sizes.buffer, mtimes.buffer]);
`;

/**
 * `lstat` `paths` in worker threads (the calls are system-call bound; several cores make them
 * about that many times faster). Rejects when a worker cannot start or fails.
 */
async function statInWorkers(paths: readonly string[], onDone: (done: number) => void): Promise<StatBatch> {
	const workers = Math.max(1, Math.min(4, availableParallelism()));
	const chunk = Math.ceil(paths.length / workers);
	const progress = new Array<number>(workers).fill(0);
	const parts = await Promise.all(
		Array.from({length: workers}, async (_, w) => {
			const start = w * chunk;
			const slice = paths.slice(start, start + chunk);
			return new Promise<{start: number; batch: StatBatch}>((resolve, reject) => {
				const worker = new Worker(STAT_WORKER, {eval: true, workerData: {paths: slice}});
				worker.on('message', (message: {done: number} | StatBatch) => {
					if ('done' in message) {
						progress[w] = message.done;
						onDone(progress.reduce((a, b) => a + b, 0));
						return;
					}
					progress[w] = slice.length;
					resolve({start, batch: message});
					void worker.terminate();
				});
				worker.on('error', reject);
				worker.on('exit', (code) => {
					if (code !== 0) reject(new Error(`stat worker exited with code ${code}`));
				});
			});
		}),
	);
	const n = paths.length;
	const out: StatBatch = {kinds: new Uint8Array(n), sizes: new Float64Array(n), mtimes: new Float64Array(n), errors: new Map()};
	for (const {start, batch} of parts) {
		out.kinds.set(batch.kinds, start);
		out.sizes.set(batch.sizes, start);
		out.mtimes.set(batch.mtimes, start);
		for (const [i, message] of batch.errors) out.errors.set(start + i, message);
	}
	return out;
}

/**
 * Run `worker` over `items` with at most `limit` calls in flight. Resolves when all are done;
 * `worker` must not throw (errors are the worker's business).
 */
export async function forEachLimited<T>(items: readonly T[], limit: number, worker: (item: T, index: number) => Promise<void>): Promise<void> {
	let next = 0;
	const run = async (): Promise<void> => {
		while (next < items.length) {
			const i = next++;
			await worker(items[i], i);
		}
	};
	const runners: Promise<void>[] = [];
	for (let k = 0; k < Math.min(limit, items.length); k++) runners.push(run());
	await Promise.all(runners);
}

/**
 * Normalise and deduplicate root directories: absolute, no trailing slash, sorted, and a root that
 * lies inside another root is dropped (its content is crawled anyway).
 */
export function dedupeRoots(roots: readonly string[]): string[] {
	const abs = [...new Set(roots.map((r) => stripTrailingSlash(nodePath.resolve(r))))].sort();
	const out: string[] = [];
	for (const r of abs) {
		if (!out.some((o) => isInside(r, o))) out.push(r);
	}
	return out;
}

function errorMessage(error: unknown): string {
	if (error instanceof Error) return (error as NodeJS.ErrnoException).code ? `${(error as NodeJS.ErrnoException).code}: ${error.message}` : error.message;
	return String(error);
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
	/** `lstat` in worker threads from this many files on; default {@link PARALLEL_STAT_MIN_FILES}. */
	parallelStatMinFiles?: number;
}

/**
 * Crawl every root directory with fdir and `lstat` every file: in worker threads for big trees
 * (from {@link PARALLEL_STAT_MIN_FILES} files), else synchronously in batches of
 * {@link SCAN_BATCH} between turns of the event loop. Read only: nothing is written, moved or deleted.
 *
 * - `roots` are directories (non-existent or non-directory roots become warnings); overlapping
 *   roots are deduplicated ({@link dedupeRoots}); a root that is itself a symlink is followed (the
 *   user named it), symlinks below the roots never are: each becomes a warning (broken ones too)
 *   and an entry in `symlinks`, not in `files`.
 * - `.fcx-quarantine` directories (where `fcx clean` moves entries) are not crawled.
 * - Unreadable directories and files that vanish between crawl and `lstat` are warnings; the scan
 *   goes on.
 * - Memory: one `{size, mtimeMs}` per file; about a million files are fine.
 *
 * Never throws for file-system problems.
 */
export async function scanTree(roots: string[], onProgress?: ScanProgress, options: ScanOptions = {}): Promise<ScanResult> {
	const result: ScanResult = {
		roots: [],
		files: new Map(),
		directories: new Map(),
		metadataFiles: [],
		symlinks: new Map(),
		warnings: [],
	};
	const candidates = dedupeRoots(roots);
	for (const root of candidates) {
		try {
			const st = await stat(root);
			if (!st.isDirectory()) {
				result.warnings.push({path: root, message: 'not a directory; not scanned'});
				continue;
			}
			result.roots.push(root);
		} catch (error) {
			result.warnings.push({path: root, message: `cannot scan: ${errorMessage(error)}`});
		}
	}

	// Crawl: collect paths; fdir reports directories with a trailing separator and (since
	// symlinks are not resolved) symlinks like files.
	const unreadable: {path: string; message: string}[] = [];
	const readdir = ((path: fs.PathLike, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: fs.Dirent[]) => void) => {
		fs.readdir(path, options as {withFileTypes: true}, (error, entries) => {
			if (error) unreadable.push({path: stripTrailingSlash(String(path)), message: `unreadable directory: ${errorMessage(error)}`});
			callback(error, entries);
		});
	}) as unknown as typeof fs.readdir;
	const fsLike = {
		readdir,
		readdirSync: fs.readdirSync,
		realpath: fs.realpath,
		realpathSync: fs.realpathSync,
		stat: fs.stat,
		statSync: fs.statSync,
	};

	const dirPaths: string[] = [];
	let filePaths: string[] = [];
	for (const root of result.roots) {
		const crawled = await new fdir({fs: fsLike})
			.withFullPaths()
			.withDirs()
			.withPathSeparator('/')
			.exclude((dirName) => dirName === QUARANTINE_DIR)
			.crawl(root)
			.withPromise();
		for (const p of crawled) {
			if (p.endsWith('/')) dirPaths.push(stripTrailingSlash(p));
			else filePaths.push(p);
		}
		onProgress?.({done: 0, path: root});
	}
	for (const u of unreadable) result.warnings.push(u);
	if (result.roots.length > 1) filePaths = [...new Set(filePaths)];
	const uniqueDirs = result.roots.length > 1 ? [...new Set([...result.roots, ...dirPaths])] : [...result.roots, ...dirPaths.filter((d) => d !== result.roots[0])];

	// Synchronous `lstat` in batches: on Linux a synchronous call costs about the system call
	// (≈ 3 µs), a promise through the libuv thread pool three times that, and more threads do not
	// help (the kernel's path walk does not scale here). Between batches the event loop runs, so a
	// UI stays responsive and sees progress.
	let sinceYield = 0;
	const yieldNow = async (): Promise<void> => {
		sinceYield = 0;
		await new Promise<void>((resolve) => setImmediate(resolve));
	};
	for (const dir of uniqueDirs) {
		let st: fs.Stats;
		try {
			st = fs.lstatSync(dir);
		} catch (error) {
			result.warnings.push({path: dir, message: `vanished during scan: ${errorMessage(error)}`});
			continue;
		}
		result.directories.set(dir, {layout: classifyPath(dir), mtimeMs: Math.trunc(st.mtimeMs)});
		if (++sinceYield >= SCAN_BATCH) await yieldNow();
	}

	const total = filePaths.length;
	let done = 0;
	const step = Math.max(1, Math.min(10_000, Math.floor(total / 100)));
	const symlinkPaths: string[] = [];
	const files = result.files;
	let batch: StatBatch | undefined;
	if (total > 0 && total >= (options.parallelStatMinFiles ?? PARALLEL_STAT_MIN_FILES)) {
		let reported = 0;
		batch = await statInWorkers(filePaths, (n) => {
			if (n - reported >= step) {
				reported = n;
				onProgress?.({done: n, total});
			}
		}).catch(() => undefined); // no worker threads: stat here
	}
	if (batch !== undefined) {
		const {kinds, sizes, mtimes, errors} = batch;
		for (let i = 0; i < total; i++) {
			const file = filePaths[i];
			const kind = kinds[i];
			if (kind === StatKind.File) files.set(file, {size: sizes[i], mtimeMs: mtimes[i]});
			else if (kind === StatKind.Symlink) symlinkPaths.push(file);
			else if (kind === StatKind.Other) result.warnings.push({path: file, message: 'not a regular file; ignored'});
			else result.warnings.push({path: file, message: `vanished during scan: ${errors.get(i) ?? 'unknown error'}`});
		}
		onProgress?.({done: total, total, path: filePaths[total - 1]});
	}
	for (const file of batch === undefined ? filePaths : []) {
		let st: fs.Stats | undefined;
		try {
			st = fs.lstatSync(file);
		} catch (error) {
			result.warnings.push({path: file, message: `vanished during scan: ${errorMessage(error)}`});
		}
		if (st !== undefined) {
			if (st.isFile()) files.set(file, {size: st.size, mtimeMs: Math.trunc(st.mtimeMs)});
			else if (st.isSymbolicLink()) symlinkPaths.push(file);
			else result.warnings.push({path: file, message: 'not a regular file; ignored'});
		}
		done++;
		if (done % step === 0 || done === total) onProgress?.({done, total, path: file});
		if (++sinceYield >= SCAN_BATCH) await yieldNow();
	}
	filePaths = [];

	const realRoots: string[] = [...result.roots];
	for (const root of result.roots) {
		try {
			realRoots.push(await realpath(root));
		} catch {
			// already reported
		}
	}
	for (const link of symlinkPaths.sort()) {
		let target = '';
		try {
			target = await readlink(link);
		} catch (error) {
			result.warnings.push({path: link, message: `unreadable symlink: ${errorMessage(error)}`});
			continue;
		}
		let resolved: string | null = null;
		let directory = false;
		try {
			resolved = await realpath(link);
			directory = (await stat(resolved)).isDirectory();
		} catch {
			resolved = null;
		}
		const absTarget = resolved ?? nodePath.resolve(nodePath.dirname(link), target);
		const outside = !realRoots.some((r) => isInside(absTarget, r));
		const broken = resolved === null;
		result.symlinks.set(link, {target, resolved, broken, outside, directory});
		const what = broken ? 'broken symlink' : outside ? 'symlink pointing out of the scanned roots' : 'symlink';
		result.warnings.push({path: link, message: `${what} → ${target}; not followed`});
	}

	for (const file of result.files.keys()) {
		if (nodePath.basename(file) === METADATA_FILE) result.metadataFiles.push(file);
	}
	result.metadataFiles.sort();
	result.warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return result;
}
