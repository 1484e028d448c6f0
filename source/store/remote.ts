/**
 * What `analyse` needs to read remote roots beside local ones: command-line URIs sorted into roots
 * and `_metadata` files, a remote scan merged into the local one, and `_metadata` files fetched
 * ahead of the parser with bounded parallelism and memory.
 */
import {classifyPath, DirectorySet, METADATA_FILE, baseName, parentPath} from '../tree/layout.js';
import type {ScanResult} from '../tree/scan.js';
import type {Store} from './types.js';
import {normaliseStoreUri} from './uri.js';

/** Remote roots to list and `_metadata` files named directly (normalised URIs). */
export interface RemoteInputs {
	roots: string[];
	metadataFiles: string[];
}

/**
 * Sort remote command-line URIs as `classifyInputs` sorts local paths: a path ending in
 * `/_metadata` is a metadata file (its `chk-<n>` or savepoint directory is a root too), anything
 * else a root (an object store cannot tell a prefix from a missing one before listing). Roots
 * inside other roots are dropped.
 */
export function classifyRemoteInputs(paths: readonly string[]): RemoteInputs {
	const roots: string[] = [];
	const metadataFiles: string[] = [];
	for (const p of paths.map(normaliseStoreUri)) {
		if (baseName(p) !== METADATA_FILE) {
			roots.push(p);
			continue;
		}
		metadataFiles.push(p);
		const dir = parentPath(p);
		const layout = classifyPath(dir);
		if ((layout.kind === 'chk' || layout.kind === 'savepoint') && layout.storageDir === dir) roots.push(dir);
	}
	const unique = [...new Set(roots)].sort();
	const all = new DirectorySet(unique);
	return {roots: unique.filter((r) => !all.contains(parentPath(r))), metadataFiles: [...new Set(metadataFiles)]};
}

/** Add everything of `from` (a remote scan) to `into`; the metadata files stay sorted. */
export function mergeScan(into: ScanResult, from: ScanResult): void {
	into.roots.push(...from.roots);
	for (const [path, st] of from.files) into.files.addFile(parentPath(path), baseName(path), st.size, st.mtimeMs);
	for (const [path, dir] of from.directories) into.directories.set(path, dir);
	for (const [path, link] of from.symlinks) into.symlinks.set(path, link);
	into.metadataFiles = [...into.metadataFiles, ...from.metadataFiles].sort();
	into.warnings.push(...from.warnings);
	if (from.quarantines !== undefined && from.quarantines.length > 0) {
		into.quarantines = [...(into.quarantines ?? []), ...from.quarantines].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	}
}

/** `_metadata` files fetched ahead at most (files in flight or waiting). */
export const PREFETCH_FILES = 8;
/** … and at most this many bytes of them (one bigger file is still fetched alone). */
export const PREFETCH_BYTES = 64 * 1024 * 1024;

/**
 * Fetches files of `store` in the order they will be asked for, a few ahead of the reader
 * ({@link PREFETCH_FILES}, {@link PREFETCH_BYTES}), so that parsing one overlaps fetching the next.
 * Ask with {@link get} in the order of `paths`; a path asked for is dropped from memory.
 */
export class Prefetcher {
	private readonly pending = new Map<string, {promise: Promise<Uint8Array>; size: number}>();
	private next = 0;
	private bytesAhead = 0;

	/** `paths` in the order they will be asked for, with their sizes (bytes) when known. */
	constructor(
		private readonly store: Store,
		private readonly paths: readonly {path: string; size: number}[],
		private readonly maxBytes: number,
	) {}

	private fill(): void {
		while (this.next < this.paths.length && this.pending.size < PREFETCH_FILES && (this.pending.size === 0 || this.bytesAhead < PREFETCH_BYTES)) {
			const {path, size} = this.paths[this.next++];
			this.bytesAhead += size;
			const promise = this.store.read(path, {maxBytes: this.maxBytes});
			promise.catch(() => undefined); // handled when asked for
			this.pending.set(path, {promise, size});
		}
	}

	/**
	 * The bytes of `path`.
	 *
	 * @throws StoreError when it cannot be read (not found, too large, …).
	 */
	async get(path: string): Promise<Uint8Array> {
		this.fill();
		const ahead = this.pending.get(path);
		let promise: Promise<Uint8Array>;
		if (ahead === undefined) {
			promise = this.store.read(path, {maxBytes: this.maxBytes});
		} else {
			promise = ahead.promise;
			this.pending.delete(path);
			this.bytesAhead -= ahead.size;
		}
		try {
			return await promise;
		} finally {
			this.fill();
		}
	}
}
