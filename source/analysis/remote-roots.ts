/**
 * Remote roots for `analyse`: the command-line URIs of object stores (`s3://…` and its aliases) and
 * of HDFS (`hdfs://nn:port/…`, `webhdfs://`, `swebhdfs://`), or offline listings of them
 * (`--listing`); the stores that list them (made on first use, their code loaded lazily: local use
 * loads none of it), and the pieces `analyse` calls to merge their listings into the scan and fetch
 * their `_metadata` files.
 */
import {MAX_METADATA_BYTES} from '../metadata/index.js';
import type {ScanProgress, ScanResult} from '../tree/scan.js';
import type {Warning} from '../tree/warnings.js';
import type {ListingStore} from '../store/listing/store.js';
import {classifyRemoteInputs, mergeScan, Prefetcher} from '../store/remote.js';
import {scanStore} from '../store/scan-result.js';
import {StoreError, type Store} from '../store/types.js';
import {isRemoteRoot, storeKindOf, uriPrefixOf} from '../store/uri.js';
import type {AnalyseOptions} from './types.js';

/** The remote part of an `analyse` run. */
export interface RemoteRoots {
	/** Whether any path was remote. */
	readonly active: boolean;
	/** The command-line paths that are not remote. */
	readonly localPaths: string[];
	/** `_metadata` URIs named directly. */
	readonly metadataFiles: string[];
	/** Problems with remote inputs (a remote `_metadata` that is not there, a listing's age, …). */
	readonly warnings: Warning[];
	/**
	 * The time offline listings show the trees at (the oldest over the listings, epoch ms; see
	 * `ListingStore.asOfMs`): the analysis's "now" for `--min-age`. `undefined` without listings,
	 * and before {@link scanInto}.
	 */
	readonly asOfMs: number | undefined;
	/** Whether `path` (a scan path) is on a remote store. */
	isRemote(path: string): boolean;
	/** List the remote roots into `scan` and add their `_metadata` files' size and mtime to `metadataStats`. */
	scanInto(scan: ScanResult, onProgress: ScanProgress | undefined, metadataStats: Map<string, {mtimeMs: number; size: number}>, nowMs?: number): Promise<void>;
	/** Size and mtime of a remote file; @throws StoreError when it is not a file. */
	stat(path: string): Promise<{mtimeMs: number; size: number}>;
	/** A fetcher of the remote ones of `metadataPaths` (in that order). */
	prefetch(metadataPaths: readonly string[], stats: ReadonlyMap<string, {size: number}>): {get(path: string): Promise<Uint8Array>};
	/** Release the stores (except those the caller gave). */
	close(): Promise<void>;
}

/** One store and the roots it lists. */
interface RootStore {
	store: Store;
	roots: string[];
	/** Made here (closed by {@link RemoteRoots.close}), not given by the caller. */
	owned: boolean;
	/** Whether `path` is on this store. */
	holds(path: string): boolean;
	/** The listing store, when the roots are read from offline listings. */
	listing?: ListingStore;
}

/** Whether `path` is `root` or below it. */
function isAtOrBelow(path: string, root: string): boolean {
	return path === root || path.startsWith(root + '/');
}

/**
 * The store for `root`: its offline listings when given (one listing store per root: each reads
 * only what is below its root), else S3 (one store for every bucket) or WebHDFS (one per namenode).
 */
async function openRootStore(root: string, options: AnalyseOptions, opened: readonly RootStore[]): Promise<RootStore> {
	if (options.listing !== undefined) {
		const {openListingStore} = await import('../store/listing/store.js');
		const listing = await openListingStore({root, listings: options.listing.files, ...(options.listing.metadataFrom === undefined ? {} : {metadataFrom: options.listing.metadataFrom})});
		return {store: listing, roots: [root], owned: true, holds: (p) => isAtOrBelow(p, root), listing};
	}
	const kind = storeKindOf(root);
	const prefix = uriPrefixOf(root);
	const same = opened.find((o) => o.listing === undefined && (kind === 's3' ? o.store.scheme === 's3' : o.holds(root)));
	if (same !== undefined) {
		same.roots.push(root);
		return same;
	}
	if (kind === 's3') {
		const given = options.stores?.s3;
		const {createS3Store} = await import('../store/s3.js');
		const store = given ?? (await createS3Store(options.s3));
		return {store, roots: [root], owned: given === undefined, holds: (p) => storeKindOf(p) === 's3'};
	}
	const given = options.stores?.hdfs;
	const {openWebHdfsStore, webHdfsAuthFromEnv} = await import('../store/webhdfs.js');
	const store = given ?? openWebHdfsStore({root, ...webHdfsAuthFromEnv(), ...options.hdfs});
	return {store, roots: [root], owned: given === undefined, holds: (p) => prefix !== undefined && uriPrefixOf(p) === prefix};
}

/** What people must know of a listing store: when it shows the tree, and what it left out. */
function listingWarnings(root: string, listing: ListingStore): Warning[] {
	const warnings: Warning[] = [];
	const files = listing.listings.map((l) => `${l.file} (${l.format})`).join(', ');
	const taken = listing.takenAtMs;
	const asOf = listing.asOfMs;
	if (taken !== undefined) {
		warnings.push({code: 'listing-age', path: root, message: `listed by ${files}, taken ${new Date(taken).toISOString()}: ages are as of then, and the tree may have changed since`});
	} else if (asOf !== undefined) {
		warnings.push({
			code: 'listing-age',
			path: root,
			message: `listed by ${files}, which does not say when it was taken: ages are as of its newest entry, ${new Date(asOf).toISOString()}, and the tree may have changed since`,
		});
	}
	for (const [authority, count] of listing.skips.otherAuthority) {
		warnings.push({code: 'listing-other-authority', path: root, message: `${count} ${count === 1 ? 'entry' : 'entries'} of ${authority} in the listings left out (not this root's bucket or namenode)`});
	}
	return warnings;
}

const NONE: {get(path: string): Promise<Uint8Array>} = {
	get: (path) => Promise.reject(new StoreError('not-found', path, `${path}: not on a remote store`)),
};

/**
 * Split `paths` into local and remote ones and open the stores of the remote ones (only when there
 * are some). A listing that cannot be read is a `root-unreadable` warning naming the file and line.
 */
export async function openRemoteRoots(paths: readonly string[], options: AnalyseOptions): Promise<RemoteRoots> {
	const remotePaths = paths.filter(isRemoteRoot);
	const localPaths = paths.filter((p) => !isRemoteRoot(p));
	const inputs = classifyRemoteInputs(remotePaths);
	const warnings: Warning[] = [];
	const stores: RootStore[] = [];
	for (const root of inputs.roots) {
		try {
			const opened = await openRootStore(root, options, stores);
			if (!stores.includes(opened)) stores.push(opened);
		} catch (error) {
			if (!(error instanceof Error) || error.name !== 'ListingError') throw error;
			warnings.push({code: 'root-unreadable', path: root, message: error.message});
		}
	}
	// A `_metadata` named directly outside every root (a loose file): read from its kind's store.
	for (const file of inputs.metadataFiles) {
		if (options.listing === undefined && !stores.some((s) => s.holds(file))) stores.push(await openRootStore(file, options, stores));
	}
	for (const s of stores) s.roots = s.roots.filter((r) => inputs.roots.includes(r));
	const storeOf = (path: string): Store => {
		const found = stores.find((s) => s.holds(path));
		if (found === undefined) throw new StoreError('not-found', path, `${path}: not below a listed root`);
		return found.store;
	};
	let asOfMs: number | undefined;
	return {
		active: stores.length > 0 || warnings.length > 0,
		localPaths,
		metadataFiles: inputs.metadataFiles,
		warnings,
		get asOfMs() {
			return asOfMs;
		},
		isRemote: isRemoteRoot,
		async scanInto(scan, onProgress, metadataStats, nowMs) {
			for (const {store, roots, listing} of stores) {
				if (roots.length === 0) continue;
				const remote = await scanStore(store, roots, {onProgress, ...(nowMs === undefined ? {} : {nowMs})});
				for (const path of remote.metadataFiles) {
					const st = remote.files.get(path);
					if (st !== undefined) metadataStats.set(path, {mtimeMs: st.mtimeMs, size: st.size});
				}
				mergeScan(scan, remote);
				if (listing === undefined) continue;
				warnings.push(...listingWarnings(roots[0], listing));
				const at = listing.asOfMs;
				if (at !== undefined) asOfMs = asOfMs === undefined ? at : Math.min(asOfMs, at);
			}
		},
		async stat(path) {
			const st = await storeOf(path).stat(path);
			if (st?.kind !== 'file') throw new StoreError('not-found', path, `${path}: ${st === undefined ? 'no such object' : 'not a file'}`);
			return st;
		},
		prefetch(metadataPaths, stats) {
			if (stores.length === 0) return NONE;
			const fetchers = stores.map((s) => {
				const mine = metadataPaths.filter((p) => isRemoteRoot(p) && s.holds(p)).map((path) => ({path, size: stats.get(path)?.size ?? 0}));
				return {holds: s.holds, fetcher: new Prefetcher(s.store, mine, MAX_METADATA_BYTES)};
			});
			return {
				get: (path) => fetchers.find((f) => f.holds(path))?.fetcher.get(path) ?? NONE.get(path),
			};
		},
		async close() {
			for (const s of stores) if (s.owned) await s.store.close?.();
		},
	};
}
