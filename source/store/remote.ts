/**
 * What `analyse` needs to read remote roots beside local ones: command-line URIs sorted into roots
 * and `_metadata` files, a remote scan merged into the local one, and `_metadata` files fetched
 * ahead of the parser with bounded parallelism and memory.
 */
import {classifyPath, DirectorySet, METADATA_FILE, baseName, parentPath} from '../tree/layout.js';
import {QUARANTINE_DIR, type ScanResult} from '../tree/scan.js';
import type {Store, StoreEntry} from './types.js';
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

/**
 * Add everything of `from` (a remote scan) to `into`; the metadata files stay sorted. When `into`
 * has no files yet (no local roots, the first store), it takes `from`'s file table as it is: no
 * copy of millions of entries.
 */
export function mergeScan(into: ScanResult, from: ScanResult): void {
	into.roots.push(...from.roots);
	if (into.files.size === 0) into.files = from.files;
	else for (const [path, st] of from.files) into.files.addFile(parentPath(path), baseName(path), st.size, st.mtimeMs);
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

/** `_metadata` files an {@link EarlyFetcher} fetches at once. */
export const EARLY_FETCHES = 4;
/** … and at most this many of them, until they are asked for. */
export const EARLY_FILES = 256;

/**
 * Fetches `_metadata` files while the listing goes on: each listed one ({@link note}) is read
 * ({@link EARLY_FETCHES} at a time), up to {@link EARLY_FILES} files and {@link PREFETCH_BYTES}
 * bytes held until the parser asks for them ({@link take}); the rest wait for the
 * {@link Prefetcher}. The listing is the floor of a remote run: what is fetched behind it is free.
 */
export class EarlyFetcher {
	private readonly started = new Map<string, Promise<Uint8Array>>();
	private readonly queue: StoreEntry[] = [];
	private inFlight = 0;
	private bytes = 0;

	constructor(
		private readonly store: Store,
		private readonly maxBytes: number,
	) {}

	/** Look at one listed batch: its `_metadata` files are fetched while there is room. */
	note(batch: readonly StoreEntry[]): void {
		for (const e of batch) {
			if (e.kind !== 'file' || !e.path.endsWith(`/${METADATA_FILE}`) || e.size > this.maxBytes || e.path.includes(`/${QUARANTINE_DIR}/`)) continue;
			if (this.started.size + this.queue.length >= EARLY_FILES || (this.bytes > 0 && this.bytes + e.size > PREFETCH_BYTES)) return;
			this.bytes += e.size;
			this.queue.push(e);
		}
		this.pump();
	}

	private pump(): void {
		while (this.inFlight < EARLY_FETCHES && this.queue.length > 0) {
			const {path} = this.queue.shift()!;
			this.inFlight++;
			const promise = this.store.read(path, {maxBytes: this.maxBytes});
			const done = (): void => {
				this.inFlight--;
				this.pump();
			};
			promise.then(done, done); // its error is handled when asked for
			this.started.set(path, promise);
		}
	}

	/** Whether `path` is fetched (or queued) here. */
	has(path: string): boolean {
		return this.started.has(path) || this.queue.some((e) => e.path === path);
	}

	/** The fetch of `path` begun here (dropped from here), or `undefined`. */
	take(path: string): Promise<Uint8Array> | undefined {
		const queued = this.queue.findIndex((e) => e.path === path);
		if (queued >= 0) {
			this.queue.splice(queued, 1);
			return this.store.read(path, {maxBytes: this.maxBytes});
		}
		const promise = this.started.get(path);
		this.started.delete(path);
		return promise;
	}
}

/** `store` with every listed batch shown to `onBatch` first. */
export function tapListing(store: Store, onBatch: (batch: readonly StoreEntry[]) => void): Store {
	return {
		scheme: store.scheme,
		description: store.description,
		async *list(path, options) {
			for await (const batch of store.list(path, options)) {
				onBatch(batch);
				yield batch;
			}
		},
		stat: (p) => store.stat(p),
		read: (p, o) => store.read(p, o),
		readRange: (p, start, length) => store.readRange(p, start, length),
		...(store.listPending === undefined ? {} : {listPending: (p: string) => store.listPending!(p)}),
	};
}

/**
 * Fetches files of `store` in the order they will be asked for, a few ahead of the reader
 * ({@link PREFETCH_FILES}, {@link PREFETCH_BYTES}), so that parsing one overlaps fetching the next.
 * Ask with {@link get} in the order of `paths`; a path asked for is dropped from memory.
 */
export class Prefetcher {
	private readonly pending = new Map<string, {promise: Promise<Uint8Array>; size: number}>();
	private next = 0;
	private bytesAhead = 0;

	/** `paths` in the order they will be asked for, with their sizes (bytes) when known; `early`: those fetched during the listing. */
	constructor(
		private readonly store: Store,
		private readonly paths: readonly {path: string; size: number}[],
		private readonly maxBytes: number,
		private readonly early?: EarlyFetcher,
	) {}

	private fill(): void {
		while (this.next < this.paths.length && this.pending.size < PREFETCH_FILES && (this.pending.size === 0 || this.bytesAhead < PREFETCH_BYTES)) {
			const {path, size} = this.paths[this.next++];
			if (this.early?.has(path) === true) continue;
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
		const early = ahead === undefined ? this.early?.take(path) : undefined;
		let promise: Promise<Uint8Array>;
		if (early !== undefined) {
			promise = early;
		} else if (ahead === undefined) {
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
