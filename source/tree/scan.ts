/**
 * Crawl checkpoint trees on the local file system (read only): every file with its size and mtime,
 * every directory with its layout classification, every `_metadata` file. The crawl is
 * `crawl.ts`, the worker processes that `lstat` big trees `stat-pool.ts`; this file puts them
 * together ({@link scanTree}) and completes the result.
 */
import * as fs from 'node:fs';
import {readlink, realpath, stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {isInside, METADATA_FILE} from './layout.js';
import {crawlTree, type CrawledTree} from './crawl.js';
import {statInto} from './stat-worker.js';
import {batchYielder, errorMessage, UNSEEN, type ScanProgress, type ScanResult} from './scan-result.js';
import {
	defaultStatWorkers,
	openStatWorkers,
	STAT_KIND,
	StatKind,
	statInWorkers,
	type CrawledDirectory,
	type StatBatch,
	type StatMessageSizes,
	type StatStream,
	type StatWork,
} from './stat-pool.js';

export type {FileStat, ScannedFiles} from './file-table.js';
export {crawledMetadataPaths, crawlTree, dedupeRoots, type CrawledTree} from './crawl.js';
export {QUARANTINE_DIR, SCAN_BATCH, type ScannedDirectory, type ScannedSymlink, type ScanProgress, type ScanResult} from './scan-result.js';
export {defaultStatWorkers, type StatMessageSizes, type StatStream} from './stat-pool.js';

/** From this many files on, worker processes `lstat` them (one per core, at most 4). */
export const PARALLEL_STAT_MIN_FILES = 50_000;

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
/** Options of {@link scanTree}. */
export interface ScanOptions {
	/** `lstat` in worker processes from this many files on; default {@link PARALLEL_STAT_MIN_FILES}. */
	parallelStatMinFiles?: number;
	/** Number of those worker processes; default {@link defaultStatWorkers}. */
	statWorkers?: number;
	/** How much goes into one message to and from a worker process (tests use small messages). */
	statMessages?: StatMessageSizes;
	/** Told why the worker processes failed (the files are then `lstat`ed on this thread: same result, slower). */
	onStatWorkerError?: (error: unknown) => void;
}

/**
 * Crawl every root directory and `lstat` every file: in worker processes for big trees (from
 * {@link PARALLEL_STAT_MIN_FILES} files, while the crawl goes on), else synchronously in batches of
 * {@link SCAN_BATCH} between turns of the event loop. Read only: nothing is written, moved or deleted.
 *
 * - `roots` are directories (non-existent or non-directory roots become warnings); overlapping
 *   roots are deduplicated ({@link dedupeRoots}); a root that is itself a symlink is followed (the
 *   user named it), symlinks below the roots never are: each becomes a warning (broken ones too)
 *   and an entry in `symlinks`, not in `files`.
 * - `.fcx-quarantine` directories (where `fcx clean` moves entries) are not crawled.
 * - Unreadable directories and files that vanish between crawl and `lstat` are warnings; the scan
 *   goes on.
 * - Memory: one file name and two numbers (size, mtime) per file, kept per directory ({@link FileTable}).
 *
 * Never throws for file-system problems.
 */
export async function scanTree(roots: string[], onProgress?: ScanProgress, options: ScanOptions = {}): Promise<ScanResult> {
	const {crawled, stream} = await crawlStatting(roots, onProgress, options);
	return (await startStatTree(crawled, onProgress, options, stream)).finished;
}

/** A crawl whose files went to stat worker processes as it read them ({@link crawlStatting}). */
export interface StattingCrawl {
	crawled: CrawledTree;
	/** The stat worker processes that have the crawled files: none for a tree of fewer than `parallelStatMinFiles` files. */
	stream: StatStream | undefined;
}

/**
 * {@link crawlTree} that starts the `lstat`s as it goes: once it has found `parallelStatMinFiles`
 * files ({@link ScanOptions}), the directories read so far and each one read after go to stat worker
 * processes at once, which `lstat` their files on other cores while this thread crawls (on the
 * 1M-file bench tree the crawl took 1.5 s, with the second core idle). {@link startStatTree} takes
 * the result. Never throws for file-system problems.
 */
export async function crawlStatting(roots: string[], onProgress?: ScanProgress, options: ScanOptions = {}): Promise<StattingCrawl> {
	const min = Math.max(1, options.parallelStatMinFiles ?? PARALLEL_STAT_MIN_FILES);
	let stream: StatStream | undefined;
	const early: CrawledDirectory[] = [];
	let files = 0;
	const onDirectory = (group: CrawledDirectory): void => {
		if (stream !== undefined) {
			stream.add(group);
			return;
		}
		early.push(group);
		files += group.names.length;
		if (files < min) return;
		stream = openStatWorkers(Math.max(1, options.statWorkers ?? defaultStatWorkers()), false, options.statMessages);
		for (const before of early) stream.add(before);
		early.length = 0;
	};
	try {
		return {crawled: await crawlTree(roots, onProgress, onDirectory), stream};
	} catch (error) {
		// A bug, not the file system: the worker processes, waiting for more names, would keep fcx alive.
		stream?.abort();
		throw error;
	}
}

/**
 * `lstat` every crawled file (see {@link scanTree}) and complete `crawled.result`: files, symlinks,
 * `_metadata` files, warnings (sorted). In worker processes for big trees, so the caller's thread
 * is free meanwhile. Never throws for file-system problems.
 */
export async function statTree(crawled: CrawledTree, onProgress?: ScanProgress, options: ScanOptions = {}): Promise<ScanResult> {
	return (await startStatTree(crawled, onProgress, options)).finished;
}

/** A scan under way ({@link startStatTree}). */
export interface StartedStat {
	/** The result, once every file is `lstat`ed. */
	finished: Promise<ScanResult>;
	/**
	 * Take a share of the `lstat`s on this thread, once it has nothing else to do: resolves when
	 * none is left to take (or at once, without worker processes). See `StatWork.share`.
	 */
	share: () => Promise<void>;
}

/**
 * `stream.close(groups, onDone)`, its worker processes stopped should it throw (a bug: given other
 * files than the crawl's), since, waiting for more names, they would keep fcx alive after the error.
 */
function closeStream(stream: StatStream, groups: readonly CrawledDirectory[], onDone: (done: number) => void): StatWork {
	try {
		return stream.close(groups, onDone);
	} catch (error) {
		stream.abort();
		throw error;
	}
}

/**
 * {@link statTree} in two steps, for a caller with other work meanwhile: resolves once the
 * `lstat`s are under way (for big trees: the worker processes have their work, and the file table
 * holds the crawled names), with {@link StartedStat}. `stream`: the worker processes that already
 * have the crawled files ({@link crawlStatting}); without it, they are started here for a big tree.
 */
export async function startStatTree(crawled: CrawledTree, onProgress?: ScanProgress, options: ScanOptions = {}, stream?: StatStream): Promise<StartedStat> {
	const {result, groups} = crawled;
	let total = 0;
	for (const group of groups) total += group.names.length;
	const step = Math.max(1, Math.min(10_000, Math.floor(total / 100)));
	let work: StatWork | undefined;
	if (stream !== undefined || (total > 0 && total >= (options.parallelStatMinFiles ?? PARALLEL_STAT_MIN_FILES))) {
		let reported = 0;
		const onDone = (n: number): void => {
			if (n - reported >= step) {
				reported = n;
				onProgress?.({done: n, total});
			}
		};
		work =
			stream === undefined
				? statInWorkers(groups, total, Math.max(1, options.statWorkers ?? defaultStatWorkers()), onDone, false, options.statMessages)
				: closeStream(stream, groups, onDone);
		work.batch.catch(() => undefined); // handled in `completeStatTree`
		await work.ready;
		// While the workers run, the file table gets every name (in a tree almost all are regular
		// files): on the 1M-file bench tree that is 0.25 s less between the last `lstat` and the
		// analysis.
		result.files.reserve(total);
		for (const {dir, names} of groups) result.files.addNames(dir, names);
	}
	const statted = work?.batch.catch((error: unknown) => {
		options.onStatWorkerError?.(error);
		return undefined; // no worker processes: stat here
	});
	const share = async (): Promise<void> => {
		await work?.share();
	};
	return {finished: completeStatTree(crawled, total, step, statted, onProgress), share};
}

/** The rest of {@link statTree}: the results of `statted` (the worker processes'; `undefined`: none started or they failed) or `lstat`s here. */
async function completeStatTree(
	crawled: CrawledTree,
	total: number,
	step: number,
	statted: Promise<StatBatch | undefined> | undefined,
	onProgress?: ScanProgress,
): Promise<ScanResult> {
	const {result, groups} = crawled;
	const yieldEvery = batchYielder();
	let done = 0;
	const symlinkPaths: string[] = [];
	const files = result.files;
	const batch = await statted;
	/** Whether `files` holds every crawled name in crawl order, and each is a regular file. */
	const named = batch !== undefined && files.size === total && batch.kinds.every((kind) => kind === StatKind.File);
	if (statted !== undefined && !named) files.clear();
	let lastPath: string | undefined;
	for (const {dir, names} of groups) if (names.length > 0) lastPath = `${dir}/${names[names.length - 1]}`;
	/** Record the `lstat` outcome of file `name` of `dir` (`error`: why a vanished file could not be read). */
	const record = (dir: string, name: string, kind: StatKind, size: number, mtimeMs: number, error: string | undefined): void => {
		if (kind === StatKind.File) files.addFile(dir, name, size, mtimeMs);
		else if (kind === StatKind.Symlink) symlinkPaths.push(`${dir}/${name}`);
		else if (kind === StatKind.Other) result.warnings.push({code: 'not-regular-file', path: `${dir}/${name}`, message: UNSEEN.notRegular});
		else result.warnings.push({code: 'vanished', path: `${dir}/${name}`, message: `${UNSEEN.vanished}${error ?? 'unknown error'}`});
	};
	if (batch !== undefined && named) {
		files.setStats(batch.sizes, batch.mtimes);
		onProgress?.({done: total, total, path: lastPath});
	} else if (batch !== undefined) {
		const {kinds, sizes, mtimes, errors} = batch;
		files.reserve(total);
		let i = 0;
		for (const {dir, names} of groups) {
			for (const name of names) {
				record(dir, name, kinds[i], sizes[i], mtimes[i], errors.get(i));
				i++;
			}
		}
		onProgress?.({done: total, total, path: lastPath});
	} else {
		// One `lstat` at a time, by the stat workers' own function: the same kinds and messages on
		// both sides of the threshold.
		const one: StatBatch = {kinds: new Uint8Array(1), sizes: new Float64Array(1), mtimes: new Float64Array(1), errors: new Map()};
		for (const {dir, names} of groups) {
			for (const name of names) {
				const file = `${dir}/${name}`;
				one.errors.clear();
				statInto(fs, STAT_KIND, false, dir, file, one, 0);
				record(dir, name, one.kinds[0], one.sizes[0], one.mtimes[0], one.errors.get(0));
				done++;
				if (done % step === 0 || done === total) onProgress?.({done, total, path: file});
				await yieldEvery();
			}
		}
	}
	groups.length = 0;

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
			result.warnings.push({code: 'unreadable-symlink', path: link, message: `${UNSEEN.unreadableSymlink}${errorMessage(error)}`});
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
		result.warnings.push({code: 'symlink-not-followed', path: link, message: `${what} → ${target}${UNSEEN.notFollowed}`});
	}

	for (const dir of result.files.directories()) {
		if (result.files.hasFile(dir, METADATA_FILE)) result.metadataFiles.push(`${dir}/${METADATA_FILE}`);
	}
	result.metadataFiles.sort();
	result.warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return result;
}
