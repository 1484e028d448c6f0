/**
 * A read-only {@link Store} over offline listings (`--listing FILE`, repeatable) and a local copy
 * of only the `_metadata` files (`--metadata-from DIR`, the same relative paths below the root):
 * for trees that cannot be reached from where `fcx` runs. Listing files are streamed again on each
 * `list` (memory holds one batch and the set of directories, never the listing); `read` reads the
 * copy, or a store given to read through (the real store when it is reachable). Nothing is ever
 * written: there is no `rename`, `copy` or `delete`.
 */
import {open, stat} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {StoreError, type ListOptions, type Store, type StoreEntry} from '../types.js';
import {openListing, type OpenedListing} from './detect.js';
import type {ListingEntry, ListingInfo, ListingReadOptions} from './types.js';

/** Entries per batch of {@link ListingStore.list}. */
const BATCH = 1000;

/**
 * A listed entry. Its `mtimeMs` is the latest time it may have been modified: the listed time plus
 * its resolution less 1 ms (`10:00` in `hdfs dfs -ls` is 10:00:59.999), so that nothing judged by
 * age (`--min-age`) is ever older than it may be. `listedMtimeMs` is the time as listed.
 */
export interface ListedStoreEntry extends StoreEntry {
	listedMtimeMs: number;
	timeResolutionMs: number;
}

/** A listing entry as a store entry at `path` (see {@link ListedStoreEntry} for its time). */
function storeEntry(path: string, entry: Pick<ListingEntry, 'kind' | 'size' | 'mtimeMs' | 'timeResolutionMs'>): ListedStoreEntry {
	const latest = entry.mtimeMs === 0 ? 0 : entry.mtimeMs + Math.max(1, entry.timeResolutionMs) - 1;
	return {
		path,
		kind: entry.kind,
		size: entry.kind === 'file' ? entry.size : 0,
		mtimeMs: latest,
		listedMtimeMs: entry.mtimeMs,
		timeResolutionMs: entry.timeResolutionMs,
	};
}

/** Options of {@link openListingStore}. */
export interface ListingStoreOptions extends ListingReadOptions {
	/** The root, a normalised URI (`hdfs://ns1/flink/cp`, `s3://bucket/prefix`) or absolute path. */
	root: string;
	/** The listing files. */
	listings: readonly string[];
	/** Local directory with copies of the `_metadata` files at their paths relative to `root`. */
	metadataFrom?: string;
	/** Where to read files the copy does not hold (the real store, when reachable). */
	readThrough?: Store;
}

/** What was left out of the listings, for people: entries of another bucket/namenode, or outside the root. */
export interface ListingSkips {
	/** Entries whose bucket or namenode is not the root's (per authority). */
	otherAuthority: Map<string, number>;
}

const ROOT_RE = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(\/.*)?$/;

/** A root split into the prefix its paths share (`s3://b`, `hdfs://nn`, '' for a plain path), its authority and its key. */
function splitRoot(root: string): {prefix: string; authority: string | undefined; key: string} {
	const m = ROOT_RE.exec(root);
	if (m === null) return {prefix: '', authority: undefined, key: root.replace(/^\/+|\/+$/g, '')};
	return {prefix: `${m[1]}://${m[2]}`, authority: m[2] === '' ? undefined : m[2], key: (m[3] ?? '').replace(/^\/+|\/+$/g, '')};
}

/** The store of {@link openListingStore}. */
export class ListingStore implements Store {
	readonly scheme: string;
	readonly description: string;
	readonly skips: ListingSkips = {otherAuthority: new Map()};
	private readonly prefix: string;
	private readonly authority: string | undefined;
	private readonly rootKey: string;

	constructor(
		private readonly options: ListingStoreOptions,
		private readonly opened: readonly OpenedListing[],
	) {
		const root = splitRoot(options.root);
		this.prefix = root.prefix;
		this.authority = root.authority;
		this.rootKey = root.key;
		this.scheme = root.prefix === '' ? 'file' : root.prefix.slice(0, root.prefix.indexOf(':'));
		const formats = [...new Set(opened.map((o) => o.info.format))].join(', ');
		this.description = `${opened.length === 1 ? 'listing' : `${opened.length} listings`} (${formats})${options.metadataFrom === undefined ? '' : `, _metadata from ${options.metadataFrom}`}`;
	}

	/** The latest time any listed file may have been modified (its mtime + resolution - 1), over every `list` so far. */
	private newestMs: number | undefined;

	/**
	 * The time the listings show the tree at, epoch ms, for `--min-age` (ages are as of then, not
	 * now): when the listing was taken where it says ({@link takenAtMs}, an S3 Inventory), else the
	 * latest time a listed file may have been modified (text listings do not say when they were
	 * made; the listing was made after its newest file, so ages counted from there are never too
	 * old: a file being written when the listing was made is never called old enough to be an
	 * orphan). `undefined` before a `list`, or when nothing was listed.
	 */
	get asOfMs(): number | undefined {
		return this.takenAtMs ?? this.newestMs;
	}

	/** The listing files: their formats and, where known, when they were taken. */
	get listings(): ListingInfo[] {
		return this.opened.map((o) => o.info);
	}

	/**
	 * When the oldest listing was taken, epoch ms, when every listing says (an S3 Inventory);
	 * `undefined` otherwise. The tree may have changed since: ages are as of then.
	 */
	get takenAtMs(): number | undefined {
		let oldest: number | undefined;
		for (const {info} of this.opened) {
			if (info.takenAtMs === undefined) return undefined;
			oldest = oldest === undefined ? info.takenAtMs : Math.min(oldest, info.takenAtMs);
		}
		return oldest;
	}

	/** The path of `key` in this store's namespace. */
	private pathOf(key: string): string {
		return this.prefix === '' ? `/${key}` : key === '' ? this.prefix : `${this.prefix}/${key}`;
	}

	/** The key of `path` (no leading or trailing slash), or `undefined` when it is not in this store's namespace. */
	private keyOf(path: string): string | undefined {
		if (this.prefix === '') return path.startsWith('/') ? path.replace(/^\/+|\/+$/g, '') : undefined;
		if (path === this.prefix) return '';
		if (!path.startsWith(this.prefix + '/')) return undefined;
		return path.slice(this.prefix.length + 1).replace(/\/+$/, '');
	}

	/** Whether `entry` is of this store's bucket or namenode (counting those that are not). */
	private sameAuthority(entry: ListingEntry): boolean {
		if (entry.authority === undefined || entry.authority === this.authority) return true;
		this.skips.otherAuthority.set(entry.authority, (this.skips.otherAuthority.get(entry.authority) ?? 0) + 1);
		return false;
	}

	async *list(path: string, options: ListOptions = {}): AsyncIterable<readonly ListedStoreEntry[]> {
		const base = this.keyOf(path);
		if (base === undefined) throw new StoreError('not-found', path, `${path}: not below the listing's root ${this.options.root}`);
		const recursive = options.recursive ?? true;
		const below = base === '' ? '' : base + '/';
		const directories = new Set<string>();
		let batch: ListedStoreEntry[] = [];
		let listed = 0;
		const emit = (entry: ListedStoreEntry): void => {
			batch.push(entry);
			listed++;
		};
		const emitDirectory = (key: string, mtimeMs: number, timeResolutionMs: number): void => {
			if (directories.has(key)) return;
			directories.add(key);
			emit(storeEntry(this.pathOf(key), {kind: 'directory', size: 0, mtimeMs, timeResolutionMs}));
		};
		for (const listing of this.opened) {
			for await (const entry of listing.entries()) {
				if (entry.key === base && entry.kind === 'file' && this.sameAuthority(entry)) {
					throw new StoreError('other', path, `${path}: a file in ${listing.info.file}, not a directory`);
				}
				if (!entry.key.startsWith(below) || entry.key === base || !this.sameAuthority(entry)) continue;
				const rest = entry.key.slice(below.length);
				const parts = rest.split('/');
				// The directories between `path` and the entry, which an object store's listing does not name.
				const depth = recursive ? parts.length - 1 : Math.min(1, parts.length - 1);
				for (let i = 1; i <= depth; i++) emitDirectory(below + parts.slice(0, i).join('/'), 0, entry.timeResolutionMs);
				if (!recursive && parts.length > 1) continue;
				if (entry.kind === 'directory') {
					emitDirectory(entry.key, entry.mtimeMs, entry.timeResolutionMs);
				} else {
					const file = storeEntry(this.pathOf(entry.key), entry);
					emit(file);
					if (this.newestMs === undefined || file.mtimeMs > this.newestMs) this.newestMs = file.mtimeMs;
				}
				if (batch.length >= BATCH) {
					yield batch;
					batch = [];
					options.onProgress?.(listed);
				}
			}
		}
		if (batch.length > 0) yield batch;
		options.onProgress?.(listed);
	}

	async stat(path: string): Promise<ListedStoreEntry | undefined> {
		const key = this.keyOf(path);
		if (key === undefined) return undefined;
		const unknownTime = {kind: 'directory', size: 0, mtimeMs: 0, timeResolutionMs: 0} as const;
		if (key === this.rootKey || key === '') return storeEntry(path, unknownTime);
		const below = key + '/';
		for (const listing of this.opened) {
			for await (const entry of listing.entries()) {
				if (entry.key === key && this.sameAuthority(entry)) return storeEntry(path, entry);
				if (entry.key.startsWith(below) && this.sameAuthority(entry)) return storeEntry(path, unknownTime);
			}
		}
		return undefined;
	}

	/** The local copy of `path` under `--metadata-from`, or `undefined` when it is not below the root or there is no copy. */
	private copyOf(path: string): string | undefined {
		const key = this.keyOf(path);
		const from = this.options.metadataFrom;
		if (key === undefined || from === undefined) return undefined;
		if (this.rootKey !== '' && key !== this.rootKey && !key.startsWith(this.rootKey + '/')) return undefined;
		const relative = this.rootKey === '' ? key : key.slice(this.rootKey.length + 1);
		if (relative.split('/').includes('..')) return undefined;
		return nodePath.join(from, ...relative.split('/'));
	}

	async read(path: string, options: {maxBytes: number}): Promise<Uint8Array> {
		const copy = await this.localCopy(path);
		if (copy === undefined) return this.through(path).read(path, options);
		if (copy.size > options.maxBytes) throw new StoreError('too-large', path, `${path}: ${copy.size} bytes, more than ${options.maxBytes}`);
		return this.readCopy(path, copy.file, 0, copy.size);
	}

	async readRange(path: string, start: number, length: number): Promise<Uint8Array> {
		const copy = await this.localCopy(path);
		if (copy === undefined) return this.through(path).readRange(path, start, length);
		return this.readCopy(path, copy.file, start, Math.max(0, Math.min(length, copy.size - start)));
	}

	private async localCopy(path: string): Promise<{file: string; size: number} | undefined> {
		const file = this.copyOf(path);
		if (file === undefined) return undefined;
		const st = await stat(file).catch(() => undefined);
		return st?.isFile() === true ? {file, size: st.size} : undefined;
	}

	private through(path: string): Store {
		if (this.options.readThrough !== undefined) return this.options.readThrough;
		const where =
			this.options.metadataFrom === undefined ? 'no --metadata-from directory was given' : `no copy at ${this.copyOf(path) ?? '(outside the root)'}`;
		throw new StoreError(
			'not-found',
			path,
			`${path}: listed only (${where}); copy the _metadata files below the root to a directory and pass it with --metadata-from`,
		);
	}

	private async readCopy(path: string, file: string, start: number, length: number): Promise<Uint8Array> {
		const handle = await open(file, 'r').catch((error: Error) => {
			throw new StoreError('other', path, `${file}: ${error.message}`);
		});
		try {
			const bytes = new Uint8Array(length);
			let at = 0;
			while (at < length) {
				const {bytesRead} = await handle.read(bytes, at, length - at, start + at);
				if (bytesRead === 0) break;
				at += bytesRead;
			}
			return at === length ? bytes : bytes.subarray(0, at);
		} finally {
			await handle.close();
		}
	}
}

/**
 * A {@link ListingStore} over `options.listings` (each format detected).
 *
 * @throws ListingError for a listing that cannot be read or has no known format.
 */
export async function openListingStore(options: ListingStoreOptions): Promise<ListingStore> {
	const opened: OpenedListing[] = [];
	for (const file of options.listings) opened.push(await openListing(file, options));
	return new ListingStore(options, opened);
}
