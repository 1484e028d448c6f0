/**
 * From a store's listing to the {@link ScanResult} the analysis takes: the same shape the local
 * crawl makes, with the store's paths (`s3://bucket/…`). Object stores have no directories: every
 * prefix above a listed object (and every directory marker) is a directory, with mtime 0 unless a
 * marker says otherwise.
 *
 * Listing: one level at a time (`recursive: false`, S3's `Delimiter`) below each root until the
 * job, savepoint and `chk-<n>` prefixes are found (at most {@link EXPAND_DEPTH} levels of other
 * prefixes), then each of those listed whole, {@link LIST_CONCURRENCY} at a time (the pages of one
 * prefix come one after the other).
 */
import {FileTable} from '../tree/file-table.js';
import {QuarantineSums} from '../tree/quarantine.js';
import {baseName, classifyPath, isInside, METADATA_FILE, parentPath} from '../tree/layout.js';
import {forEachLimited, QUARANTINE_DIR, type ScannedDirectory, type ScanProgress, type ScanResult} from '../tree/scan.js';
import type {Warning} from '../tree/warnings.js';
import {StoreError, type Store, type StoreEntry} from './types.js';

/** Prefixes listed whole at the same time. */
export const LIST_CONCURRENCY = 8;
/** Levels of prefixes that are not jobs, savepoints or checkpoints listed one level at a time below a root. */
export const EXPAND_DEPTH = 2;

const SLASH = 0x2f;

/** Options of {@link scanStore}. */
export interface StoreScanOptions {
	onProgress?: ScanProgress;
	/** Prefixes listed at the same time; default {@link LIST_CONCURRENCY}. */
	concurrency?: number;
	/** Current time, ms: a checkpoint with an incomplete upload counts as changed now. */
	nowMs?: number;
}

/** A scan being built from listed entries. */
class StoreScan {
	readonly files = new FileTable();
	readonly directories = new Map<string, ScannedDirectory>();
	readonly warnings: Warning[] = [];
	/** The quarantines met, by path. */
	readonly quarantines = new Map<string, QuarantineSums>();
	listed = 0;

	constructor(
		readonly roots: readonly string[],
		private readonly onProgress: ScanProgress | undefined,
	) {
		for (const root of roots) this.directories.set(root, {layout: classifyPath(root), mtimeMs: 0});
	}

	/** The root `path` lies in. */
	private rootOf(path: string): string | undefined {
		return this.roots.find((root) => isInside(path, root));
	}

	/** Add `dir` and every directory between it and its root. */
	private addDirectory(dir: string, mtimeMs: number): void {
		const known = this.directories.get(dir);
		if (known !== undefined) {
			if (mtimeMs > known.mtimeMs) known.mtimeMs = mtimeMs;
			return;
		}
		this.directories.set(dir, {layout: classifyPath(dir), mtimeMs});
		const root = this.rootOf(dir);
		if (root !== undefined && dir !== root) this.addDirectory(parentPath(dir), 0);
	}

	/** Record that `dir` (and the directories up to its root) changed at `mtimeMs`, listed or not. */
	markChanged(dir: string, mtimeMs: number): void {
		this.addDirectory(dir, mtimeMs);
	}

	/**
	 * Take one batch of listed entries (those in a quarantine directory are left out, as in the
	 * local crawl). A listing gives the objects of a directory one after the other: the root and
	 * the directory of the previous entry are checked first (a million objects cost no more than
	 * a million string compares then).
	 */
	add(batch: readonly StoreEntry[]): void {
		let root: string | undefined;
		let lastDir: string | undefined;
		for (const entry of batch) {
			const path = entry.path;
			if (root === undefined || !(path.length > root.length + 1 && path.startsWith(root) && path.charCodeAt(root.length) === SLASH)) {
				root = this.rootOf(path);
				if (root === undefined) continue;
			}
			if (path === root) continue;
			// Only a path naming the quarantine is split (most do not): measured, not part of the tree.
			const segments = path.includes(QUARANTINE_DIR) ? path.slice(root.length + 1).split('/') : undefined;
			const at = segments === undefined ? -1 : segments.indexOf(QUARANTINE_DIR);
			if (segments !== undefined && at >= 0) {
				this.addQuarantined(root, segments, at, entry);
				continue;
			}
			if (entry.kind === 'directory') {
				this.addDirectory(path, entry.mtimeMs);
				lastDir = undefined;
			} else {
				const slash = path.lastIndexOf('/');
				const dir = path.slice(0, slash);
				if (dir !== lastDir) {
					this.addDirectory(dir, 0);
					lastDir = dir;
				}
				this.files.addFile(dir, path.slice(slash + 1), entry.size, entry.mtimeMs);
			}
		}
		this.listed += batch.length;
		this.onProgress?.({done: this.listed});
	}

	/** An entry inside a quarantine (`segments`: its path below `root`, the quarantine at `at`): measured, not part of the tree. */
	private addQuarantined(root: string, segments: string[], at: number, entry: StoreEntry): void {
		const path = `${root}/${segments.slice(0, at + 1).join('/')}`;
		let sums = this.quarantines.get(path);
		if (sums === undefined) this.quarantines.set(path, (sums = new QuarantineSums(path)));
		if (entry.kind !== 'directory' && at < segments.length - 1) sums.add(segments.slice(at + 1).join('/'), entry.size, entry.mtimeMs);
	}

	result(): ScanResult {
		const metadataFiles: string[] = [];
		for (const [path] of this.files) if (baseName(path) === METADATA_FILE) metadataFiles.push(path);
		metadataFiles.sort();
		return {
			roots: [...this.roots],
			files: this.files,
			directories: this.directories,
			metadataFiles,
			symlinks: new Map(),
			warnings: this.warnings,
			quarantines: [...this.quarantines.keys()].sort().map((path) => this.quarantines.get(path)!.result()),
		};
	}
}

/** What went wrong, for a warning about `path` (the error's own path only when it is another one). */
function reasonOf(error: StoreError, path: string): string {
	const own = `${error.path}: `;
	return error.path === path && error.message.startsWith(own) ? error.message.slice(own.length) : error.message;
}

/** Whether the prefix `dir` is listed one more level at a time (it is not a job, savepoint or checkpoint). */
function expands(dir: string, depth: number): boolean {
	return depth < EXPAND_DEPTH && classifyPath(dir).kind === 'other';
}

/** Prefixes below `root` to list whole, after listing the levels above them into `scan`. */
async function findPrefixes(store: Store, scan: StoreScan, root: string): Promise<string[]> {
	const whole: string[] = [];
	let level = [root];
	for (let depth = 0; level.length > 0; depth++) {
		const next: string[] = [];
		for (const dir of level) {
			for await (const batch of store.list(dir, {recursive: false})) {
				scan.add(batch);
				for (const entry of batch) {
					if (entry.kind !== 'directory') continue;
					// A quarantine is listed whole to be measured (`StoreScan.add` keeps it out of the tree).
					if (baseName(entry.path) === QUARANTINE_DIR) whole.push(entry.path);
					else (expands(entry.path, depth) ? next : whole).push(entry.path);
				}
			}
		}
		level = next;
	}
	return whole;
}

/**
 * Mark the checkpoints that have an incomplete upload (a `_metadata` being written, or left by a
 * crashed writer): changed at `nowMs`, so that the analysis calls them possibly in progress, and a
 * warning for each. A store that cannot list them gets one warning per root.
 */
async function addPendingUploads(store: Store, scan: StoreScan, root: string, nowMs: number): Promise<void> {
	if (store.listPending === undefined) return;
	try {
		for (const upload of await store.listPending(root)) {
			const dir = parentPath(upload.path);
			const layout = classifyPath(dir);
			const marked = layout.storageDir ?? dir;
			// Also when nothing of the checkpoint is listed yet (the `_metadata` is its first file).
			if (isInside(marked, root)) scan.markChanged(marked, nowMs);
			scan.warnings.push({
				code: 'pending-upload',
				path: upload.path,
				message: `incomplete upload (bytes billed, not listed)${upload.initiatedMs > 0 ? ` started ${new Date(upload.initiatedMs).toISOString()}` : ''}: ${layout.storageKind === 'chk' || layout.storageKind === 'savepoint' ? 'its snapshot is possibly in progress' : 'not counted'}`,
			});
		}
	} catch (error) {
		if (!(error instanceof StoreError)) throw error;
		const why = error.code === 'not-implemented' ? 'the store does not implement ListMultipartUploads' : reasonOf(error, root);
		scan.warnings.push({code: 'pending-uploads-unknown', path: root, message: `incomplete uploads not checked: ${why}`});
	}
}

/**
 * List `roots` (normalised store paths, deduplicated, none inside another) of `store` into a
 * {@link ScanResult}. A root with nothing below it gets a `root-unreadable` warning ("nothing
 * there": an object store cannot tell a missing prefix from an empty one); a failed listing too.
 */
export async function scanStore(store: Store, roots: readonly string[], options: StoreScanOptions = {}): Promise<ScanResult> {
	const scan = new StoreScan(roots, options.onProgress);
	const whole: string[] = [];
	for (const root of roots) {
		try {
			const before = scan.listed;
			whole.push(...(await findPrefixes(store, scan, root)));
			// Nothing one level down: list the root whole. Costs one request where the prefix is
			// empty; finds the objects where a store's Delimiter listing shows no common prefix
			// without an object right below it (s3rver does so).
			if (scan.listed === before) for await (const batch of store.list(root)) scan.add(batch);
			if (scan.listed === before) {
				const st = await store.stat(root);
				const message = st?.kind === 'file' ? 'not a directory; not scanned' : 'nothing there (no object has this prefix)';
				scan.warnings.push({code: st?.kind === 'file' ? 'root-not-directory' : 'root-unreadable', path: root, message});
			}
			await addPendingUploads(store, scan, root, options.nowMs ?? Date.now());
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			scan.warnings.push({code: 'root-unreadable', path: root, message: `cannot list: ${reasonOf(error, root)}`});
		}
	}
	await forEachLimited(whole, options.concurrency ?? LIST_CONCURRENCY, async (prefix) => {
		try {
			for await (const batch of store.list(prefix)) scan.add(batch);
		} catch (error) {
			if (!(error instanceof StoreError)) throw error;
			scan.warnings.push({code: 'unreadable-directory', path: prefix, message: `cannot list: ${reasonOf(error, prefix)}`});
		}
	});
	return scan.result();
}
