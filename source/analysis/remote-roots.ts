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
import type {EntropyLayout, EntropyStore} from '../store/entropy.js';
import type {ListingStore} from '../store/listing/store.js';
import {classifyRemoteInputs, EarlyFetcher, mergeScan, Prefetcher, tapListing} from '../store/remote.js';
import {scanStore} from '../store/scan-result.js';
import {StoreError, type Store} from '../store/types.js';
import {isRemoteRoot, normaliseStoreUri, storeKindOf, uriPrefixOf} from '../store/uri.js';
import type {AnalyseOptions} from './types.js';

/** The remote part of an `analyse` run. */
export interface RemoteRoots {
	/** Whether any path was remote. */
	readonly active: boolean;
	/** The command-line paths that are not remote. */
	readonly localPaths: string[];
	/** `_metadata` URIs named directly. */
	readonly metadataFiles: string[];
	/**
	 * Problems with remote inputs (a remote `_metadata` that is not there, a listing's age, …), and
	 * entropy seen in the references {@link noteReferences} was given (`entropy-detected`).
	 */
	readonly warnings: Warning[];
	/**
	 * Look at the paths a snapshot references (as written) for entropy injection `--entropy-key` was
	 * not given for (see `EntropyDetector`); cheap for paths of other stores and relative names.
	 */
	noteReferences(references: readonly {path: string}[]): void;
	/**
	 * Whether the object a reference names (as written) was listed, when it lies below an entropy
	 * prefix of a root given with `--entropy-key` (see `EntropyStore.listedAsWritten`); else
	 * `undefined`: its resolved path tells.
	 */
	listedAsWritten(written: string): boolean | 'unlisted' | undefined;
	/**
	 * The time offline listings show the trees at (the oldest over the listings, epoch ms; see
	 * `ListingStore.asOfMs`): the analysis's "now" for `--min-age`. `undefined` without listings,
	 * and before {@link scanInto}.
	 */
	readonly asOfMs: number | undefined;
	/** Whether `path` (a scan path) is on a remote store. */
	isRemote(path: string): boolean;
	/**
	 * List the remote roots into `scan` and add their `_metadata` files' size and mtime to
	 * `metadataStats`. `onProgress` gets the objects listed over all stores and the rate (objects
	 * per second since the listing began).
	 */
	scanInto(scan: ScanResult, onProgress: ListProgress | undefined, metadataStats: Map<string, {mtimeMs: number; size: number}>, nowMs?: number): Promise<void>;
	/** Size and mtime of a remote file; @throws StoreError when it is not a file. */
	stat(path: string): Promise<{mtimeMs: number; size: number}>;
	/** A fetcher of the remote ones of `metadataPaths` (in that order). */
	prefetch(metadataPaths: readonly string[], stats: ReadonlyMap<string, {size: number}>): {get(path: string): Promise<Uint8Array>};
	/** Release the stores (except those the caller gave). */
	close(): Promise<void>;
}

/** Objects listed so far on the remote roots, and objects per second since the listing began. */
export type ListProgress = (progress: {done: number; rate: number}) => void;

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
	/** The `_metadata` files fetched while the roots were listed. */
	early?: EarlyFetcher;
}

/** Whether `path` is `root` or below it. */
function isAtOrBelow(path: string, root: string): boolean {
	return path === root || path.startsWith(root + '/');
}

/**
 * The store for `root`: its offline listings when given (one listing store per root: each reads
 * only what is below its root), else S3 (one store for every bucket) or WebHDFS (one per namenode).
 */
async function openRootStore(root: string, options: AnalyseOptions, opened: readonly RootStore[], entropy: EntropyRoots): Promise<RootStore> {
	if (options.listing !== undefined) {
		const {openListingStore} = await import('../store/listing/store.js');
		const listing = await openListingStore({
			root,
			listings: options.listing.files,
			...(options.listing.metadataFrom === undefined ? {} : {metadataFrom: options.listing.metadataFrom}),
		});
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
		let store: Store = given ?? (await createS3Store(options.s3));
		if (entropy.layouts.length > 0) {
			const {EntropyStore} = await import('../store/entropy.js');
			for (const layout of entropy.layouts) {
				const wrapped = new EntropyStore(given === undefined ? store : unclosed(store), layout);
				entropy.stores.push(wrapped);
				store = wrapped;
			}
		}
		return {store, roots: [root], owned: given === undefined || entropy.layouts.length > 0, holds: (p) => storeKindOf(p) === 's3'};
	}
	const given = options.stores?.hdfs;
	const {openWebHdfsStore, webHdfsAuthFromEnv} = await import('../store/webhdfs.js');
	const store = given ?? openWebHdfsStore({root, ...webHdfsAuthFromEnv(), ...options.hdfs});
	return {store, roots: [root], owned: given === undefined, holds: (p) => prefix !== undefined && uriPrefixOf(p) === prefix};
}

/** The entropy layouts of the roots (`--entropy-key`), and the stores made for them. */
interface EntropyRoots {
	layouts: EntropyLayout[];
	stores: EntropyStore[];
}

/** The entropy prefixes found, for people (there may be millions: a few are named). */
function entropyWarning(store: EntropyStore): Warning | undefined {
	const prefixes = store.prefixes;
	if (prefixes === undefined) return undefined;
	const named = prefixes.slice(0, 5).join(', ') + (prefixes.length > 5 ? ', …' : '');
	const skipped = store.skipped.slice(0, 5).join(', ') + (store.skipped.length > 5 ? ', …' : '');
	const length = store.entropyLength === undefined ? 'no length is the most common' : `not of length ${store.entropyLength}, as the entropy prefixes are`;
	const message =
		`${prefixes.length} entropy ${prefixes.length === 1 ? 'prefix' : 'prefixes'} below ${store.layout.parent} listed${prefixes.length > 0 ? ` (${named})` : ''}; their files are shown at their entropy-free paths` +
		(store.skipped.length > 0 ? `; not listed (${length}): ${skipped}` : '');
	return {code: 'entropy-prefixes', path: store.layout.root, message};
}

/** What people must know of a listing store: when it shows the tree, and what it left out. */
function listingWarnings(root: string, listing: ListingStore): Warning[] {
	const warnings: Warning[] = [];
	const files = listing.listings.map((l) => `${l.file} (${l.format})`).join(', ');
	const taken = listing.takenAtMs;
	const asOf = listing.asOfMs;
	if (taken !== undefined) {
		warnings.push({
			code: 'listing-age',
			path: root,
			message: `listed by ${files}, taken ${new Date(taken).toISOString()}: ages are as of then, and the tree may have changed since`,
		});
	} else if (asOf !== undefined) {
		warnings.push({
			code: 'listing-age',
			path: root,
			message: `listed by ${files}, which does not say when it was taken: ages are as of its newest entry, ${new Date(asOf).toISOString()}, and the tree may have changed since`,
		});
	}
	for (const [authority, count] of listing.skips.otherAuthority) {
		warnings.push({
			code: 'listing-other-authority',
			path: root,
			message: `${count} ${count === 1 ? 'entry' : 'entries'} of ${authority} in the listings left out (not this root's bucket or namenode)`,
		});
	}
	return warnings;
}

/** `store` without its `close` (a store the caller gave, wrapped: the caller closes it). */
function unclosed(store: Store): Store {
	return {
		scheme: store.scheme,
		description: store.description,
		list: (p, o) => store.list(p, o),
		stat: (p) => store.stat(p),
		read: (p, o) => store.read(p, o),
		readRange: (p, start, length) => store.readRange(p, start, length),
		...(store.listPending === undefined ? {} : {listPending: (p: string) => store.listPending!(p)}),
	};
}

/**
 * Remote paths with the entropy key's segment taken out (their entropy-free roots), and where the
 * entropy goes in each. A path without the key's segment is a warning: where its entropy goes is
 * not known.
 */
async function withoutEntropy(paths: readonly string[], key: string | undefined, warnings: Warning[]): Promise<{paths: string[]; layouts: EntropyLayout[]}> {
	if (key === undefined || paths.length === 0) return {paths: [...paths], layouts: []};
	const {entropyLayout} = await import('../store/entropy.js');
	const layouts: EntropyLayout[] = [];
	const out: string[] = [];
	for (const p of paths) {
		const layout = storeKindOf(p) === 's3' ? entropyLayout(normaliseStoreUri(p), key) : undefined;
		if (layout === undefined) {
			warnings.push({
				code: 'root-unreadable',
				path: p,
				message: `no segment is the entropy key ${key}: give the root as state.checkpoints.dir is configured (s3://bucket/${key}/checkpoints)`,
			});
			continue;
		}
		layouts.push(layout);
		out.push(layout.root);
	}
	return {paths: out, layouts};
}

const NONE: {get(path: string): Promise<Uint8Array>} = {
	get: (path) => Promise.reject(new StoreError('not-found', path, `${path}: not on a remote store`)),
};

/**
 * Split `paths` into local and remote ones and open the stores of the remote ones (only when there
 * are some). A listing that cannot be read is a `root-unreadable` warning naming the file and line.
 */
export async function openRemoteRoots(paths: readonly string[], options: AnalyseOptions): Promise<RemoteRoots> {
	const localPaths = paths.filter((p) => !isRemoteRoot(p));
	const warnings: Warning[] = [];
	const {paths: remotePaths, layouts} = await withoutEntropy(paths.filter(isRemoteRoot), options.entropyKey, warnings);
	const entropy: EntropyRoots = {layouts, stores: []};
	const inputs = classifyRemoteInputs(remotePaths);
	const stores: RootStore[] = [];
	for (const root of inputs.roots) {
		try {
			const opened = await openRootStore(root, options, stores, entropy);
			if (!stores.includes(opened)) stores.push(opened);
		} catch (error) {
			if (!(error instanceof Error) || error.name !== 'ListingError') throw error;
			warnings.push({code: 'root-unreadable', path: root, message: error.message});
		}
	}
	// A `_metadata` named directly outside every root (a loose file): read from its kind's store.
	for (const file of inputs.metadataFiles) {
		if (options.listing === undefined && !stores.some((s) => s.holds(file))) stores.push(await openRootStore(file, options, stores, entropy));
	}
	for (const s of stores) s.roots = s.roots.filter((r) => inputs.roots.includes(r));
	const storeOf = (path: string): Store => {
		const found = stores.find((s) => s.holds(path));
		if (found === undefined) throw new StoreError('not-found', path, `${path}: not below a listed root`);
		return found.store;
	};
	let asOfMs: number | undefined;
	const layoutRoots = new Set(layouts.map((l) => l.root));
	const s3Roots = inputs.roots.filter((r) => storeKindOf(r) === 's3' && !layoutRoots.has(r));
	const detector = s3Roots.length === 0 ? undefined : new (await import('../store/entropy.js')).EntropyDetector(s3Roots);
	return {
		active: stores.length > 0 || warnings.length > 0,
		localPaths,
		metadataFiles: inputs.metadataFiles,
		get warnings() {
			return detector === undefined ? warnings : [...warnings, ...detector.report()];
		},
		noteReferences(references) {
			if (detector === undefined) return;
			for (const r of references) detector.note(r.path);
		},
		listedAsWritten(written) {
			for (const e of entropy.stores) {
				const listed = e.listedAsWritten(written);
				if (listed !== undefined) return listed;
			}
			return undefined;
		},
		get asOfMs() {
			return asOfMs;
		},
		isRemote: isRemoteRoot,
		async scanInto(scan, onProgress, metadataStats, nowMs) {
			const started = performance.now();
			let before = 0; // listed by the stores done
			let current = 0; // … and by the one listing
			const progress: ScanProgress | undefined =
				onProgress === undefined
					? undefined
					: ({done}) => {
							current = done;
							onProgress({done: before + done, rate: (before + done) / Math.max(0.001, (performance.now() - started) / 1000)});
						};
			for (const s of stores) {
				const {store, roots, listing} = s;
				if (roots.length === 0) continue;
				// The `_metadata` files are fetched as they are listed: the listing hides their fetching.
				const early = new EarlyFetcher(store, MAX_METADATA_BYTES);
				s.early = early;
				const remote = await scanStore(
					tapListing(store, (batch) => early.note(batch)),
					roots,
					{onProgress: progress, ...(nowMs === undefined ? {} : {nowMs})},
				);
				before += current;
				current = 0;
				for (const path of remote.metadataFiles) {
					const st = remote.files.get(path);
					if (st !== undefined) metadataStats.set(path, {mtimeMs: st.mtimeMs, size: st.size});
				}
				mergeScan(scan, remote);
				for (const e of entropy.stores) {
					const warning = entropyWarning(e);
					if (warning !== undefined && !warnings.some((w) => w.code === warning.code && w.path === warning.path)) warnings.push(warning);
				}
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
				return {holds: s.holds, fetcher: new Prefetcher(s.store, mine, MAX_METADATA_BYTES, s.early)};
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
