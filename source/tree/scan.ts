/**
 * Crawl checkpoint trees on the local file system (read only): every file with its size and mtime,
 * every directory with its layout classification, every `_metadata` file.
 *
 * Over 400 lines: the crawl, the batched `lstat` and the stat-worker plumbing share the scan's
 * result columns; the worker's own code is `stat-worker.ts`. Splitting crawl from stat is next
 * (issue #22), once the 1M-file bench can show it costs nothing.
 */
import * as fs from 'node:fs';
import {availableParallelism} from 'node:os';
import {spawn, type ChildProcess} from 'node:child_process';
import {readlink, realpath, stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {fdir} from 'fdir';
import type {Warning} from './warnings.js';
import {FileTable} from './file-table.js';
import {statWorkerSource} from './stat-worker.js';
import {measureLocalQuarantine, type Quarantine} from './quarantine.js';
import {classifyPath, directoryAbove, DirectorySet, isInside, METADATA_FILE, parentPath, stripTrailingSlash, type PathLayout} from './layout.js';

export type {FileStat, ScannedFiles} from './file-table.js';

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
	/** Every regular file under the roots → size and mtime, by directory. */
	files: FileTable;
	/** Every directory under the roots (roots included) → classification and mtime. */
	directories: Map<string, ScannedDirectory>;
	/** Every `_metadata` file found, sorted. */
	metadataFiles: string[];
	/** Symbolic links under the roots (not followed, not in `files`). */
	symlinks: Map<string, ScannedSymlink>;
	/** Unreadable directories, vanished files, symlinks, missing roots. */
	warnings: Warning[];
	/** The `.fcx-quarantine` directories below the roots (not crawled as part of the tree: measured), sorted by path. */
	quarantines?: Quarantine[];
}

/** Progress of a scan: `done` files stat'ed of `total` found (`total` unknown while crawling). */
export type ScanProgress = (progress: {done: number; total?: number; path?: string}) => void;

/** Quarantine directory name of `fcx clean` (`<root>/.fcx-quarantine/…`): never scanned. */
export const QUARANTINE_DIR = '.fcx-quarantine';

/** Files `lstat`ed (synchronously) between two turns of the event loop. */
export const SCAN_BATCH = 4096;

/** From this many files on, worker processes `lstat` them (one per core, at most 4). */
export const PARALLEL_STAT_MIN_FILES = 50_000;

/** What one `lstat` found, as the stat workers report it. */
const enum StatKind {
	Vanished = 0,
	File = 1,
	Symlink = 2,
	Other = 3,
	Error = 4,
	/** Only when symlinks are followed (`stat`). */
	Directory = 5,
}

/**
 * How the scan words a warning that something at or below its path was not seen: a directory it
 * could not read, an entry that is neither file, directory nor symlink, a file that vanished, a
 * symlink (never followed). Their codes are what decisions read (see `isUnseenByScan` in ./warnings.ts).
 */
const UNSEEN = {
	unreadableDirectory: 'unreadable directory: ',
	notRegular: 'not a regular file; ignored',
	vanished: 'vanished during scan: ',
	unreadableSymlink: 'unreadable symlink: ',
	notFollowed: '; not followed',
} as const;

/** `lstat` results of a list of paths, in typed arrays (sizes in bytes, mtimes in ms). */
interface StatBatch {
	kinds: Uint8Array;
	sizes: Float64Array;
	mtimes: Float64Array;
	/** Index → message, for {@link StatKind.Error} and {@link StatKind.Vanished}. */
	errors: Map<number, string>;
}

/** A stat worker posts its results every this many files (see {@link StatMessageSizes}). */
const STAT_RESULT_FILES = 16_384;

/** The stat worker's program (see `stat-worker.ts`), with the numbers of {@link StatKind}. */
const STAT_WORKER = statWorkerSource({
	vanished: StatKind.Vanished,
	file: StatKind.File,
	symlink: StatKind.Symlink,
	other: StatKind.Other,
	error: StatKind.Error,
	directory: StatKind.Directory,
});

/** The stat results of files `at … at + kinds.length - 1` of a stat worker's ({@link StatBatch}, error indices relative to `at`). */
interface StatResults extends StatBatch {
	at: number;
	/** The worker's last message. */
	end: boolean;
}

/** About this many bytes of file names go to a stat worker per message (see {@link StatMessageSizes}). */
const STAT_MESSAGE_BYTES = 1024 * 1024;

/** The files of one crawled directory (absolute, no trailing slash), by name. */
interface CrawledDirectory {
	dir: string;
	names: string[];
}

/** Stat worker processes at work: {@link StatWork.ready} once each has its work, {@link StatWork.batch} with the results. */
interface StatWork {
	/** Resolves when the directories and names have been sent to every worker (never rejects). */
	ready: Promise<void>;
	/** The results, in the order of the groups and their names; rejects when a worker cannot start or fails. */
	batch: Promise<StatBatch>;
}

/**
 * `lstat` (`stat` with `follow`) the files of `groups` in `workers` worker processes (the calls are
 * system-call bound; several cores make them about that many times faster).
 *
 * The names go to the workers through a pipe that this thread's event loop writes. Until
 * {@link StatWork.ready}, this thread should not run long without turns of its event loop: the
 * million names of the bench tree took 4 s to arrive beside the `_metadata` loading (a turn every
 * 20 ms), and 50 ms when awaited.
 */
function statInWorkers(
	groups: readonly CrawledDirectory[],
	total: number,
	workers: number,
	onDone: (done: number) => void,
	follow = false,
	messages: StatMessageSizes = {},
): StatWork {
	const nameBytes = messages.nameBytes ?? STAT_MESSAGE_BYTES;
	const resultFiles = messages.resultFiles ?? STAT_RESULT_FILES;
	// Contiguous runs of directories with about the same number of files each.
	const parts: {start: number; dirs: string[]; names: string[][]}[] = [];
	let filesBefore = 0;
	for (const group of groups) {
		const w = Math.min(workers - 1, Math.floor((filesBefore * workers) / Math.max(1, total)));
		while (parts.length <= w) parts.push({start: filesBefore, dirs: [], names: []});
		const part = parts[parts.length - 1];
		part.dirs.push(group.dir);
		part.names.push(group.names);
		filesBefore += group.names.length;
	}
	for (let w = parts.length - 1; w >= 0; w--) if (parts[w].dirs.length === 0) parts.splice(w, 1);
	const progress = new Array<number>(parts.length).fill(0);
	const out: StatBatch = {kinds: new Uint8Array(total), sizes: new Float64Array(total), mtimes: new Float64Array(total), errors: new Map()};
	const started = parts.map(({start, dirs, names}, w) =>
		startStatWorker(dirs, names, {follow, resultFiles}, nameBytes, (message) => {
			const at = start + message.at;
			out.kinds.set(message.kinds, at);
			out.sizes.set(message.sizes, at);
			out.mtimes.set(message.mtimes, at);
			for (const [i, error] of message.errors) out.errors.set(at + i, error);
			progress[w] = message.at + message.kinds.length;
			onDone(progress.reduce((a, b) => a + b, 0));
		}),
	);
	const batch = Promise.all(started.map(({done}) => done)).then(() => out);
	const settled = batch.then(
		() => undefined,
		() => {
			// The caller stats everything itself: the other workers' results would go unused.
			for (const {child} of started) child.kill();
		},
	);
	return {ready: Promise.race([Promise.all(started.map(({sent}) => sent)).then(() => undefined), settled]), batch};
}

/**
 * Start a stat worker process ({@link STAT_WORKER}) on the `names` of `dirs`, with `last` as its
 * last message. `onResults` takes each {@link StatResults} message. `sent`: the names and `last`
 * are written, or cannot be (never rejects); `done`: the last results arrived (rejects when the
 * worker cannot start or ends before). A worker still running when fcx ends is stopped.
 */
function startStatWorker(
	dirs: readonly string[],
	names: readonly string[][],
	last: {follow: boolean; resultFiles: number},
	nameBytes: number,
	onResults: (message: StatResults) => void,
): {child: ChildProcess; sent: Promise<void>; done: Promise<void>} {
	const child = spawn(process.execPath, ['-e', STAT_WORKER], {stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced'});
	const stop = (): void => {
		child.kill();
	};
	process.once('exit', stop);
	const done = new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (): void => {
			settled = true;
			process.off('exit', stop);
		};
		child.on('message', (message: StatResults) => {
			onResults(message);
			if (message.end) {
				settle();
				resolve();
			}
		});
		child.on('error', (error) => {
			settle();
			reject(error);
		});
		// 'close', not 'exit': a worker may exit before this side has read its last message.
		child.on('close', (code, signal) => {
			if (settled) return;
			settle();
			reject(new Error(`stat worker exited with ${signal ?? `code ${code}`}`));
		});
	});
	// In messages of about `nameBytes`, each sent when the one before is written: one message of a
	// million names was 90 MB more peak memory here.
	const sent = new Promise<void>((resolve) => {
		let next = 0;
		const sendNext = (): void => {
			if (next === dirs.length) {
				child.send(last, () => resolve());
				return;
			}
			const first = next;
			let bytes = 0;
			while (next < dirs.length && (next === first || bytes < nameBytes)) {
				bytes += dirs[next].length + 1;
				for (const name of names[next]) bytes += name.length + 1;
				next++;
			}
			const slice = names.slice(first, next);
			child.send({dirs: dirs.slice(first, next), names: slice.map((list) => list.join('\0')), counts: slice.map((list) => list.length)}, (error) => {
				if (error) resolve();
				else sendNext();
			});
		};
		sendNext();
	});
	return {child, sent, done};
}

/** What `stat` (following symlinks) found at a path: a directory, or a file of `size` bytes changed at `mtimeMs`. */
export interface PathStat {
	directory: boolean;
	/** Bytes (for a directory, its own size as `stat` gives it). */
	size: number;
	/** Milliseconds since the epoch, truncated. */
	mtimeMs: number;
}

/**
 * `stat` (following symlinks) each of `paths` (absolute) in `workers` worker processes: for the many
 * referenced files a resolver checks outside the scanned roots. Results in the order of `paths`;
 * `undefined` where nothing is there (`ENOENT`, `ENOTDIR`), `null` where it cannot be told (`EACCES`,
 * …: a directory above cannot be read). Rejects when a worker cannot start.
 */
export async function statPathsInWorkers(paths: readonly string[], workers: number): Promise<(PathStat | undefined | null)[]> {
	// Runs of paths in one directory, in the given order.
	const groups: CrawledDirectory[] = [];
	for (const p of paths) {
		const slash = p.lastIndexOf('/');
		const dir = p.slice(0, slash);
		const last = groups[groups.length - 1];
		if (last !== undefined && last.dir === dir) last.names.push(p.slice(slash + 1));
		else groups.push({dir, names: [p.slice(slash + 1)]});
	}
	const {kinds, sizes, mtimes, errors} = await statInWorkers(groups, paths.length, workers, () => undefined, true).batch;
	const out: (PathStat | undefined | null)[] = new Array(paths.length);
	for (let i = 0; i < paths.length; i++) {
		const kind = kinds[i];
		if (kind === StatKind.Error && !/^(ENOENT|ENOTDIR)\b/.test(errors.get(i) ?? '')) out[i] = null;
		if (kind === StatKind.File || kind === StatKind.Other) out[i] = {directory: false, size: sizes[i], mtimeMs: mtimes[i]};
		else if (kind === StatKind.Directory) out[i] = {directory: true, size: sizes[i], mtimeMs: mtimes[i]};
	}
	return out;
}

/** A step to await after each synchronous call: lets the event loop run once every {@link SCAN_BATCH} steps. */
function batchYielder(): () => Promise<void> {
	let since = 0;
	return async () => {
		if (++since < SCAN_BATCH) return;
		since = 0;
		await new Promise<void>((resolve) => setImmediate(resolve));
	};
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
	// A root is dropped when its parent lies inside a root (naming 20,000 `_metadata` files makes
	// 20,000 roots: a DirectorySet answers in time independent of their number).
	const all = new DirectorySet(abs);
	return abs.filter((r) => r === '/' || !all.contains(parentPath(r)));
}

function errorMessage(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (error instanceof Error) return code && !error.message.startsWith(`${code}:`) ? `${code}: ${error.message}` : error.message;
	return String(error);
}

/** Options of {@link scanTree}. */
export interface ScanOptions {
	/** `lstat` in worker processes from this many files on; default {@link PARALLEL_STAT_MIN_FILES}. */
	parallelStatMinFiles?: number;
	/** Number of those worker processes; default {@link defaultStatWorkers}. */
	statWorkers?: number;
	/** How much goes into one message to and from a worker process (tests use small messages). */
	statMessages?: StatMessageSizes;
}

/** Sizes of the messages to and from a stat worker process. */
export interface StatMessageSizes {
	/** About this many bytes of file names per message to it; default 1 MiB. */
	nameBytes?: number;
	/** The results of this many files per message from it; default 16,384. */
	resultFiles?: number;
}

/** Worker processes for `lstat`: one per available core, at most 4 (more do not help, see `statInWorkers`). */
export function defaultStatWorkers(): number {
	return Math.max(1, Math.min(4, availableParallelism()));
}

/**
 * Crawl every root directory with fdir and `lstat` every file: in worker processes for big trees
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
 * - Memory: one file name and two numbers (size, mtime) per file, kept per directory ({@link FileTable}).
 *
 * Never throws for file-system problems.
 */
export async function scanTree(roots: string[], onProgress?: ScanProgress, options: ScanOptions = {}): Promise<ScanResult> {
	return statTree(await crawlTree(roots, onProgress), onProgress, options);
}

/**
 * The first half of {@link scanTree}: crawled directories with the names in them, before any file
 * is `lstat`ed. `result` has its `roots`, `directories` (with mtimes) and crawl warnings;
 * {@link statTree} fills in the rest.
 */
export interface CrawledTree {
	result: ScanResult;
	/** Every crawled directory (sorted) with the names of its files and symlinks. */
	groups: CrawledDirectory[];
}

/** Paths named `_metadata` in a crawled tree (regular files or not: not `lstat`ed yet), sorted. */
export function crawledMetadataPaths(crawled: CrawledTree): string[] {
	const paths: string[] = [];
	for (const {dir, names} of crawled.groups) if (names.includes(METADATA_FILE)) paths.push(`${dir}/${METADATA_FILE}`);
	return paths.sort();
}

/**
 * `roots` without those whose real directory another root already covers (the same directory, or
 * one inside it, reached through a symlink): scanned under two names, each file would be an orphan
 * under the name no `_metadata` uses, and a cleanup would remove what a checkpoint needs. Shorter
 * real paths are kept first, and of equal ones a root named by its real path; each root dropped is
 * a warning.
 */
function withoutAliases(roots: readonly string[], warnings: ScanResult['warnings']): string[] {
	const real = new Map<string, string>();
	for (const root of roots) {
		try {
			real.set(root, fs.realpathSync.native(root));
		} catch {
			real.set(root, root);
		}
	}

	const order = [...roots].sort((a, b) => {
		const ra = real.get(a)!;
		const rb = real.get(b)!;
		return ra.length - rb.length || Number(ra !== a) - Number(rb !== b) || (a < b ? -1 : a > b ? 1 : 0);
	});
	/** Real path of each root kept → the root. */
	const kept = new Map<string, string>();
	const dropped = new Set<string>();
	for (const root of order) {
		const path = real.get(root)!;
		let by: string | undefined;
		for (let at: string | null = path; at !== null && by === undefined; at = directoryAbove(at)) by = kept.get(at);
		if (by === undefined) {
			kept.set(path, root);
			continue;
		}

		dropped.add(root);
		warnings.push({
			code: 'root-alias',
			path: root,
			message: `its real directory ${path} is ${path === real.get(by) ? 'that of' : 'inside'} ${by} (a symlink leads there): scanned once, as ${by}`,
		});
	}

	return roots.filter((root) => !dropped.has(root));
}

/** Crawl the roots (see {@link scanTree}); read only. Never throws for file-system problems. */
export async function crawlTree(roots: string[], onProgress?: ScanProgress): Promise<CrawledTree> {
	const result: ScanResult = {
		roots: [],
		files: new FileTable(),
		directories: new Map(),
		metadataFiles: [],
		symlinks: new Map(),
		warnings: [],
	};
	const candidates = dedupeRoots(roots);
	for (const root of candidates) {
		if (root.includes('\\')) {
			// fdir turns a `\` of the root path into a `/`: it would crawl another directory.
			result.warnings.push({
				code: 'root-unreadable',
				path: root,
				message: 'cannot scan: a root path with a backslash (\\) is not supported; name a directory above it',
			});
			continue;
		}
		try {
			const st = await stat(root);
			if (!st.isDirectory()) {
				result.warnings.push({code: 'root-not-directory', path: root, message: 'not a directory; not scanned'});
				continue;
			}
			result.roots.push(root);
		} catch (error) {
			result.warnings.push({code: 'root-unreadable', path: root, message: `cannot scan: ${errorMessage(error)}`});
		}
	}

	result.roots = withoutAliases(result.roots, result.warnings);

	// Crawl: collect paths; fdir reports directories with a trailing separator and (since
	// symlinks are not resolved) symlinks like files.
	/** Unreadable directories, and entries that are neither files, directories nor symlinks. */
	const unreadable: Warning[] = [];
	const readdir = ((path: fs.PathLike, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: fs.Dirent[]) => void) => {
		fs.readdir(path, options as {withFileTypes: true}, (error, entries) => {
			if (error) {
				unreadable.push({code: 'unreadable-directory', path: stripTrailingSlash(String(path)), message: `${UNSEEN.unreadableDirectory}${errorMessage(error)}`});
			} else {
				// fdir passes over FIFOs, sockets and devices without a word: they become warnings here.
				for (const entry of entries) {
					if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink()) {
						unreadable.push({code: 'not-regular-file', path: `${stripTrailingSlash(String(path))}/${entry.name}`, message: UNSEEN.notRegular});
					}
				}
			}

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

	// Directories with the names of their files (and of symlinks: fdir does not resolve them and
	// reports them like files), every crawled directory once.
	const groups: CrawledDirectory[] = [];
	const seenDirs = new Set<string>();
	const quarantines = new Set<string>();
	const isQuarantine = (dirName: string, dirPath: string): boolean => {
		if (dirName !== QUARANTINE_DIR) return false;
		quarantines.add(stripTrailingSlash(dirPath));
		return true;
	};
	for (const root of result.roots) {
		const crawled = await new fdir({fs: fsLike}).group().withPathSeparator('/').exclude(isQuarantine).crawl(root).withPromise();
		for (const {directory, files} of crawled) {
			const dir = stripTrailingSlash(directory);
			if (seenDirs.has(dir)) continue;
			seenDirs.add(dir);
			groups.push({dir, names: files});
		}
		onProgress?.({done: 0, path: root});
	}
	seenDirs.clear();
	result.quarantines = [];
	for (const path of [...quarantines].sort()) result.quarantines.push(await measureLocalQuarantine(path));
	// fdir reports directories as their reads complete: sorted, scans of one tree are equal.
	groups.sort((a, b) => (a.dir < b.dir ? -1 : a.dir > b.dir ? 1 : 0));
	for (const u of unreadable) result.warnings.push(u);

	// Synchronous `lstat` in batches: on Linux a synchronous call costs about the system call
	// (≈ 3 µs), a promise through the libuv thread pool three times that, and more threads do not
	// help (the kernel's path walk does not scale here). Between batches the event loop runs, so a
	// UI stays responsive and sees progress.
	const yieldEvery = batchYielder();
	for (const {dir} of groups) {
		let st: fs.Stats;
		try {
			st = fs.lstatSync(dir);
		} catch (error) {
			result.warnings.push({code: 'vanished', path: dir, message: `${UNSEEN.vanished}${errorMessage(error)}`});
			continue;
		}
		result.directories.set(dir, {layout: classifyPath(dir), mtimeMs: Math.trunc(st.mtimeMs)});
		await yieldEvery();
	}
	return {result, groups};
}

/**
 * `lstat` every crawled file (see {@link scanTree}) and complete `crawled.result`: files, symlinks,
 * `_metadata` files, warnings (sorted). In worker processes for big trees, so the caller's thread
 * is free meanwhile. Never throws for file-system problems.
 */
export async function statTree(crawled: CrawledTree, onProgress?: ScanProgress, options: ScanOptions = {}): Promise<ScanResult> {
	return (await startStatTree(crawled, onProgress, options)).finished;
}

/**
 * {@link statTree} in two steps, for a caller with other work meanwhile: resolves once the
 * `lstat`s are under way (for big trees: the worker processes have their work, and the file table
 * holds the crawled names), with `finished`, the result.
 */
export async function startStatTree(crawled: CrawledTree, onProgress?: ScanProgress, options: ScanOptions = {}): Promise<{finished: Promise<ScanResult>}> {
	const {result, groups} = crawled;
	let total = 0;
	for (const group of groups) total += group.names.length;
	const step = Math.max(1, Math.min(10_000, Math.floor(total / 100)));
	let work: StatWork | undefined;
	if (total > 0 && total >= (options.parallelStatMinFiles ?? PARALLEL_STAT_MIN_FILES)) {
		let reported = 0;
		work = statInWorkers(
			groups,
			total,
			Math.max(1, options.statWorkers ?? defaultStatWorkers()),
			(n) => {
				if (n - reported >= step) {
					reported = n;
					onProgress?.({done: n, total});
				}
			},
			false,
			options.statMessages,
		);
		work.batch.catch(() => undefined); // handled in `completeStatTree`
		await work.ready;
		// While the workers run, the file table gets every name (in a tree almost all are regular
		// files): on the 1M-file bench tree that is 0.25 s less between the last `lstat` and the
		// analysis.
		result.files.reserve(total);
		for (const {dir, names} of groups) result.files.addNames(dir, names);
	}
	return {finished: completeStatTree(crawled, total, step, work?.batch, onProgress)};
}

/** The rest of {@link statTree}: the results of `statted` (the worker processes'; `undefined`: none started) or `lstat`s here. */
async function completeStatTree(
	crawled: CrawledTree,
	total: number,
	step: number,
	statted: Promise<StatBatch> | undefined,
	onProgress?: ScanProgress,
): Promise<ScanResult> {
	const {result, groups} = crawled;
	const yieldEvery = batchYielder();
	let done = 0;
	const symlinkPaths: string[] = [];
	const files = result.files;
	const batch = await statted?.catch(() => undefined); // no worker processes: stat here
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
		for (const {dir, names} of groups) {
			for (const name of names) {
				const file = `${dir}/${name}`;
				let st: fs.Stats | undefined;
				try {
					st = fs.lstatSync(file);
				} catch (error) {
					record(dir, name, StatKind.Error, 0, 0, errorMessage(error));
				}
				if (st !== undefined) {
					record(dir, name, st.isFile() ? StatKind.File : st.isSymbolicLink() ? StatKind.Symlink : StatKind.Other, st.size, Math.trunc(st.mtimeMs), undefined);
				}
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
