/**
 * The first half of a scan: crawl the root directories (fdir) for the names of their files and
 * directories, without `lstat`ing the files (`scan.ts` does, in worker processes for big trees).
 */
import * as fs from 'node:fs';
import {stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {fdir} from 'fdir';
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

/** Crawl the roots (see `scanTree` (`scan.ts`)); read only. Never throws for file-system problems. */
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
	// Each directory is read on this thread (`readdirSync`), its entries handed to fdir on a later
	// turn of the event loop (a UI stays responsive). Read in the thread pool, the million names of
	// the bench tree left 60–70 MB of freed C heap in the pool threads' own malloc arenas, which
	// nothing else reuses: that much more peak memory for the whole analysis (on this thread it
	// is reused by the typed arrays of the analysis).
	const readdir = ((path: fs.PathLike, options: unknown, callback: (error: NodeJS.ErrnoException | null, entries: fs.Dirent[] | undefined) => void) => {
		let error: NodeJS.ErrnoException | null = null;
		let entries: fs.Dirent[] | undefined;
		try {
			entries = fs.readdirSync(path, options as {withFileTypes: true});
		} catch (thrown) {
			error = thrown as NodeJS.ErrnoException;
			unreadable.push({code: 'unreadable-directory', path: stripTrailingSlash(String(path)), message: `${UNSEEN.unreadableDirectory}${errorMessage(thrown)}`});
		}
		// fdir passes over FIFOs, sockets and devices without a word: they become warnings here.
		for (const entry of entries ?? []) {
			if (!entry.isFile() && !entry.isDirectory() && !entry.isSymbolicLink()) {
				unreadable.push({code: 'not-regular-file', path: `${stripTrailingSlash(String(path))}/${entry.name}`, message: UNSEEN.notRegular});
			}
		}
		setImmediate(() => callback(error, entries));
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
