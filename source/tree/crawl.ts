/**
 * The first half of a scan: crawl the root directories (`readdirSync`, directory by directory) for the names of their files and
 * directories, without `lstat`ing the files (`scan.ts` does, in worker processes for big trees).
 */
import * as fs from 'node:fs';
import {stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import type {Warning} from './warnings.js';
import {FileTable} from './file-table.js';
import {classifyPath, directoryAbove, DirectorySet, METADATA_FILE, parentPath, stripTrailingSlash} from './layout.js';
import {batchYielder, errorMessage, QUARANTINE_DIR, UNSEEN, type ScanProgress, type ScanResult} from './scan-result.js';
import type {CrawledDirectory} from './stat-pool.js';
import {measureLocalQuarantine} from './quarantine.js';

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

/**
 * The first half of `scanTree` (`scan.ts`): crawled directories with the names in them, before any file
 * is `lstat`ed. `result` has its `roots`, `directories` (with mtimes) and crawl warnings;
 * `statTree` (`scan.ts`) fills in the rest.
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

/**
 * Read directory `path` (with a trailing `/`): the names of its files and symlinks are returned, its
 * subdirectories go onto `pending` (with a trailing `/`), except `.fcx-quarantine` directories, which
 * go into `quarantines` (without). An unreadable directory (no names), and each entry that is
 * neither a file, a directory nor a symlink (a FIFO, a socket, a device: not returned), is a
 * warning in `unreadable`.
 */
function readDirectory(path: string, pending: string[], quarantines: Set<string>, unreadable: Warning[]): string[] {
	let entries: fs.Dirent[];
	try {
		entries = fs.readdirSync(path, {withFileTypes: true});
	} catch (thrown) {
		unreadable.push({code: 'unreadable-directory', path: stripTrailingSlash(path), message: `${UNSEEN.unreadableDirectory}${errorMessage(thrown)}`});
		return [];
	}
	const names: string[] = [];
	for (const entry of entries) {
		if (entry.isFile() || entry.isSymbolicLink()) names.push(entry.name);
		else if (!entry.isDirectory()) unreadable.push({code: 'not-regular-file', path: `${stripTrailingSlash(path)}/${entry.name}`, message: UNSEEN.notRegular});
		else if (entry.name === QUARANTINE_DIR) quarantines.add(`${path}${entry.name}`);
		else pending.push(`${path}${entry.name}/`);
	}
	return names;
}

/**
 * Read every directory below `roots` (absolute, no trailing slash) but `.fcx-quarantine` ones (see
 * {@link readDirectory}), each once, in no particular order; `onDirectory` gets each as soon as it
 * is read.
 */
async function readRoots(
	roots: readonly string[],
	unreadable: Warning[],
	quarantines: Set<string>,
	onProgress?: ScanProgress,
	onDirectory?: (group: CrawledDirectory) => void,
): Promise<CrawledDirectory[]> {
	// Each directory is read on this thread (`readdirSync`), the next one on a later turn of the
	// event loop (a UI stays responsive, and the names handed to `onDirectory` go to the stat worker
	// processes meanwhile). Read in the thread pool, the million names of the bench tree left 60–70 MB
	// of freed C heap in the pool threads' own malloc arenas, which nothing else reuses: that much
	// more peak memory for the whole analysis (on this thread it is reused by the typed arrays of the
	// analysis).
	const groups: CrawledDirectory[] = [];
	const seenDirs = new Set<string>();
	for (const root of roots) {
		// Each directory with a trailing separator (the root `/` has one already).
		const pending = [root.endsWith('/') ? root : `${root}/`];
		for (let path = pending.pop(); path !== undefined; path = pending.pop()) {
			const dir = stripTrailingSlash(path);
			if (seenDirs.has(dir)) continue;
			seenDirs.add(dir);
			const group = {dir, names: readDirectory(path, pending, quarantines, unreadable)};
			groups.push(group);
			onDirectory?.(group);
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
		onProgress?.({done: 0, path: root});
	}
	return groups;
}

/**
 * Crawl the roots (see `scanTree` (`scan.ts`)); read only. `onDirectory` is given each directory
 * as soon as it is read (the same objects as in {@link CrawledTree.groups}). Never throws for
 * file-system problems.
 */
export async function crawlTree(roots: string[], onProgress?: ScanProgress, onDirectory?: (group: CrawledDirectory) => void): Promise<CrawledTree> {
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
			// Paths are matched with `\` read as `/` (`normalisePathPart` in `layout.ts`, as Flink's Path
			// does): a root with a `\` would be matched as another directory.
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

	/** Unreadable directories, and entries that are neither files, directories nor symlinks. */
	const unreadable: Warning[] = [];
	const quarantines = new Set<string>();
	const groups = await readRoots(result.roots, unreadable, quarantines, onProgress, onDirectory);
	result.quarantines = [];
	for (const path of [...quarantines].sort()) result.quarantines.push(await measureLocalQuarantine(path));
	// Sorted: scans of one tree are equal, whatever the order of the reads.
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
