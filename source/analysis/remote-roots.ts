/**
 * Remote roots for `analyse`: the command-line URIs of object stores (`s3://…` and its aliases),
 * the store that lists them (made on first use, the SDK loaded lazily), and the pieces `analyse`
 * calls to merge their listing into the scan and fetch their `_metadata` files.
 */
import {MAX_METADATA_BYTES} from '../metadata/index.js';
import type {ScanProgress, ScanResult} from '../tree/scan.js';
import type {Warning} from '../tree/warnings.js';
import {classifyRemoteInputs, mergeScan, Prefetcher} from '../store/remote.js';
import {createS3Store} from '../store/s3.js';
import {scanStore} from '../store/scan-result.js';
import {StoreError, type Store} from '../store/types.js';
import {isRemoteRoot} from '../store/uri.js';
import type {AnalyseOptions} from './types.js';

/** The remote part of an `analyse` run. */
export interface RemoteRoots {
	/** Whether any path was remote. */
	readonly active: boolean;
	/** The command-line paths that are not remote. */
	readonly localPaths: string[];
	/** `_metadata` URIs named directly. */
	readonly metadataFiles: string[];
	/** Problems with remote inputs (a remote `_metadata` that is not there, …). */
	readonly warnings: Warning[];
	/** Whether `path` (a scan path) is on the remote store. */
	isRemote(path: string): boolean;
	/** List the remote roots into `scan` and add their `_metadata` files' size and mtime to `metadataStats`. */
	scanInto(scan: ScanResult, onProgress: ScanProgress | undefined, metadataStats: Map<string, {mtimeMs: number; size: number}>, nowMs?: number): Promise<void>;
	/** Size and mtime of a remote file; @throws StoreError when it is not a file. */
	stat(path: string): Promise<{mtimeMs: number; size: number}>;
	/** A fetcher of the remote ones of `metadataPaths` (in that order). */
	prefetch(metadataPaths: readonly string[], stats: ReadonlyMap<string, {size: number}>): {get(path: string): Promise<Uint8Array>};
	/** Release the store (unless the caller gave it). */
	close(): Promise<void>;
}

const NONE: {get(path: string): Promise<Uint8Array>} = {
	get: (path) => Promise.reject(new StoreError('not-found', path, `${path}: not on a remote store`)),
};

/**
 * Split `paths` into local and remote ones and open the store of the remote ones (only when there
 * are some: local use never loads the SDK).
 */
export async function openRemoteRoots(paths: readonly string[], options: AnalyseOptions): Promise<RemoteRoots> {
	const remotePaths = paths.filter(isRemoteRoot);
	const localPaths = paths.filter((p) => !isRemoteRoot(p));
	const inputs = classifyRemoteInputs(remotePaths);
	let store: Store | undefined;
	const given = options.stores?.s3;
	if (remotePaths.length > 0) store = given ?? (await createS3Store(options.s3));
	const warnings: Warning[] = [];
	const storeOf = (): Store => {
		if (store === undefined) throw new Error('no remote store');
		return store;
	};
	return {
		active: store !== undefined,
		localPaths,
		metadataFiles: inputs.metadataFiles,
		warnings,
		isRemote: isRemoteRoot,
		async scanInto(scan, onProgress, metadataStats, nowMs) {
			const remote = await scanStore(storeOf(), inputs.roots, {onProgress, ...(nowMs === undefined ? {} : {nowMs})});
			for (const path of remote.metadataFiles) {
				const st = remote.files.get(path);
				if (st !== undefined) metadataStats.set(path, {mtimeMs: st.mtimeMs, size: st.size});
			}
			mergeScan(scan, remote);
		},
		async stat(path) {
			const st = await storeOf().stat(path);
			if (st?.kind !== 'file') throw new StoreError('not-found', path, `${path}: ${st === undefined ? 'no such object' : 'not a file'}`);
			return st;
		},
		prefetch(metadataPaths, stats) {
			if (store === undefined) return NONE;
			const remote = metadataPaths.filter(isRemoteRoot).map((path) => ({path, size: stats.get(path)?.size ?? 0}));
			return new Prefetcher(store, remote, MAX_METADATA_BYTES);
		},
		async close() {
			if (store !== undefined && store !== given) await store.close?.();
		},
	};
}
