/**
 * `analyse`: scan checkpoint trees, load every `_metadata` and build the {@link Analysis}.
 */
import * as nodePath from 'node:path';
import {lstatSync} from 'node:fs';
import {stat} from 'node:fs/promises';
import {MetadataFileReader, ParseError, readReferences, readRegularFileBytes, scanPathStrings} from '../metadata/index.js';
import {classifyPath, stripTrailingSlash} from '../tree/layout.js';
import {
	crawledMetadataPaths,
	crawlStatting,
	dedupeRoots,
	defaultStatWorkers,
	startStatTree,
	type CrawledTree,
	type ScanProgress,
	type ScanResult,
	type StartedStat,
} from '../tree/scan.js';
import {AnalysisBuilder, flatString, snapshotKind, type LoadedSnapshot} from './build.js';
import {summariseOperators} from './operators.js';
import type {AnalyseOptions, Analysis, Warning} from './types.js';
import {openRemoteRoots, type RemoteRoots} from './remote-roots.js';

/** While loading `_metadata` files, the event loop runs at least this often (ms): a UI stays responsive. */
export const LOAD_YIELD_MS = 20;

/** Unparseable `_metadata` files up to this size (bytes) are scanned for path-like strings. */
export const APPROXIMATE_SCAN_MAX_BYTES = 256 * 1024 * 1024;

/** At most this many approximate strings are kept per file. */
export const APPROXIMATE_SCAN_LIMIT = 1000;

/** What the crawl found, in numbers: the files to `lstat`, and the bytes of the `_metadata` files to parse. */
interface CrawlSize {
	files: number;
	metadataBytes: number;
}

function crawlSize(crawled: CrawledTree, metadataStats: ReadonlyMap<string, {size: number}>): CrawlSize {
	let files = 0;
	for (const group of crawled.groups) files += group.names.length;
	let metadataBytes = 0;
	for (const {size} of metadataStats.values()) metadataBytes += size;
	return {files, metadataBytes};
}

/**
 * How many worker processes `lstat` the crawled files while this thread loads the `_metadata`
 * files: one core fewer than by default, since this thread takes its share of the `lstat`s once
 * it has loaded them all (`share`), however long either takes.
 */
function statWorkersBeside(): number {
	return Math.max(1, defaultStatWorkers() - 1);
}

/** `_metadata` bytes per reference, at least (a path, its size and its handle's fields). */
const METADATA_BYTES_PER_REFERENCE = 100;

/**
 * About how many distinct files the `_metadata` files refer to, for {@link AnalysisBuilder.reserve}:
 * the crawled files, or fewer when the `_metadata` files are too small to name that many (a tree
 * of orphans).
 */
function expectedFiles({files, metadataBytes}: CrawlSize): number {
	return Math.min(files, Math.ceil(metadataBytes / METADATA_BYTES_PER_REFERENCE));
}

/**
 * Read and parse the `_metadata` at `metadataPath` with `reader` into a snapshot for the
 * {@link AnalysisBuilder}: its references, its operators summarised (bytes 0: the builder sums
 * them), and its metadata without the state-handle tree. The references are named while the bytes
 * are parsed, and of the tree only what the summaries need is made ({@link readReferences}: on the
 * 1M-file bench tree, 2.5 million handle objects and list entries fewer). A function of its own so
 * that the tree is garbage when it returns: held by the loading loop's frame, it was copied by
 * every young collection while the builder summed the references.
 *
 * @throws ParseError for a file that does not parse; a file-system error for one that cannot be read.
 */
function loadSnapshot(reader: MetadataFileReader, metadataPath: string, mtimeMs: number, size: number, fetched?: Uint8Array): LoadedSnapshot {
	const result = readReferences(fetched ?? reader.read(metadataPath), {fileName: metadataPath});
	// Summarise the operators now and drop the state-handle tree: only the references and the
	// properties are needed later, and a big tree has thousands of snapshots. Their bytes are summed
	// when the builder numbers the files. Their strings are copied: a slice of the file's text would
	// keep all of it in memory.
	const segments = result.references.some((r) => r.handle === 'segment');
	const operators = summariseOperators(result.metadata, result.references, snapshotKind(metadataPath, result) === 'savepoint', {bytes: false, segments}).map(
		(o) => ({
			...o,
			operatorId: flatString(o.operatorId),
			name: o.name === null ? null : flatString(o.name),
			uid: o.uid === null ? null : flatString(o.uid),
			stateNames: o.stateNames.map(flatString),
		}),
	);
	// The master states' payloads and the raw trailer are views of the reader's buffer, which the
	// next file overwrites: drop them too (the state-handle tree with its inline data is dropped above).
	const {trailer} = result.metadata;
	const metadata = {...result.metadata, operators: [], masterStates: []};
	if (trailer !== undefined) metadata.trailer = {properties: trailer.properties};
	return {metadataPath, result: {...result, metadata}, operators, mtimeMs, size};
}

/** How the command-line paths were turned into scan roots and metadata files. */
export interface AnalyseInputs {
	/** Directories to crawl (deduplicated). */
	roots: string[];
	/** `_metadata` files named directly (loaded even when outside every root). */
	metadataFiles: string[];
	warnings: Warning[];
}

/**
 * Sort command-line paths into scan roots and metadata files:
 * - a directory (base directory, job directory, `chk-<n>`, savepoint directory, anything) is a root;
 * - a file is a `_metadata` file to load (whatever its name); its directory is crawled too when it
 *   is a `chk-<n>` or savepoint directory (to check its exclusive files and find orphans there),
 *   not when it is any other directory (a loose `_metadata` in a download folder: relative handles
 *   are still resolved and `stat`ed next to it);
 * - a path that does not exist is a warning.
 * Roots inside other roots are dropped.
 */
export async function classifyInputs(paths: readonly string[]): Promise<AnalyseInputs> {
	const roots: string[] = [];
	const metadataFiles: string[] = [];
	const warnings: Warning[] = [];
	for (const p of paths) {
		const abs = stripTrailingSlash(nodePath.resolve(p));
		try {
			const st = await stat(abs);
			if (st.isDirectory()) {
				roots.push(abs);
			} else {
				metadataFiles.push(abs);
				const dir = nodePath.dirname(abs);
				const layout = classifyPath(dir);
				if ((layout.kind === 'chk' || layout.kind === 'savepoint') && layout.storageDir === dir) roots.push(dir);
			}
		} catch (error) {
			warnings.push({code: 'input-unreadable', path: abs, message: `cannot read: ${error instanceof Error ? error.message : String(error)}`});
		}
	}
	return {roots: dedupeRoots(roots), metadataFiles: [...new Set(metadataFiles)], warnings};
}

/**
 * Analyse checkpoint and savepoint trees on the local file system (read only: nothing is ever
 * written, moved or deleted).
 *
 * `paths` may be any mix of `_metadata` files, `chk-<n>` directories, savepoint directories, job
 * directories and checkpoint base directories (see {@link classifyInputs}). Every root is crawled
 * ({@link crawlTree}), every `_metadata` found or named is read and parsed (one at a time, in path
 * order, synchronously with a turn of the event loop at least every {@link LOAD_YIELD_MS}) while
 * the files are `lstat`ed ({@link startStatTree}, in worker processes for big trees), then the
 * {@link AnalysisBuilder} resolves references, finds missing files and orphans and sums sizes.
 *
 * A `_metadata` that cannot be parsed (`ParseError`) or read (file-system error) becomes a
 * checkpoint with status `unreadable` and a warning. Progress is reported through
 * `options.onProgress` (`scan`, `load`, `analyse` phases).
 *
 * @throws only for programming errors; file-system and format problems become warnings.
 */
export async function analyse(paths: string[], options: AnalyseOptions = {}): Promise<Analysis> {
	const remote = await openRemoteRoots(paths, options);
	try {
		return await analyseOpened(remote.localPaths, remote, options);
	} finally {
		await remote.close();
	}
}

/** The local scan under way ({@link startScan}), while the `_metadata` files are loaded. */
interface StartedScan {
	/** Filled in by `statting` (its `finished` resolves with it). */
	scan: ScanResult;
	/** The regular files named `_metadata` among the crawled files (mtimes in ms, truncated; sizes in bytes). */
	metadataStats: Map<string, {mtimeMs: number; size: number}>;
	/**
	 * Crawled `_metadata` files whose `lstat` failed with an error other than ENOENT (EACCES in a
	 * directory that can be listed but not searched, ENAMETOOLONG): loaded like named ones, they
	 * become unreadable snapshots (their jobs' orphans withheld), never passed over.
	 */
	metadataUnstatted: string[];
	size: CrawlSize;
	statting: StartedStat;
}

/**
 * Crawl `roots` and `lstat` their files (in worker processes for big trees, from the first
 * directories read on, see {@link statWorkersBeside}); the `_metadata` files among them are `lstat`ed here first: only
 * regular files are snapshots (as in the scan).
 */
async function startScan(roots: string[], scanProgress: ScanProgress | undefined, options: AnalyseOptions): Promise<StartedScan> {
	const scanOptions = {...options.scan, statWorkers: options.scan?.statWorkers ?? statWorkersBeside()};
	// The worker processes `lstat` the files of each directory as soon as the crawl has read it.
	const {crawled, stream} = await crawlStatting(roots, scanProgress, scanOptions);
	try {
		const metadataStats = new Map<string, {mtimeMs: number; size: number}>();
		const metadataUnstatted: string[] = [];
		for (const path of crawledMetadataPaths(crawled)) {
			let st;
			try {
				st = lstatSync(path, {throwIfNoEntry: false});
			} catch {
				metadataUnstatted.push(path);
				continue;
			}
			if (st?.isFile() === true) metadataStats.set(path, {mtimeMs: Math.trunc(st.mtimeMs), size: st.size});
		}
		const size = crawlSize(crawled, metadataStats);
		const statting = await startStatTree(crawled, scanProgress, scanOptions, stream);
		return {scan: crawled.result, metadataStats, metadataUnstatted, size, statting};
	} catch (error) {
		// A bug: the worker processes, waiting for more names, would keep the process alive.
		stream?.abort();
		throw error;
	}
}

/** {@link analyse} once the remote roots are opened ({@link RemoteRoots}; none for local paths only). */
async function analyseOpened(paths: string[], remote: RemoteRoots, options: AnalyseOptions): Promise<Analysis> {
	const inputs = await classifyInputs(paths);
	const progress = options.onProgress;
	const scanProgress: ScanProgress | undefined = progress ? (p) => progress({phase: 'scan', ...p}) : undefined;
	const {scan, metadataStats, metadataUnstatted, size, statting} = await startScan(inputs.roots, scanProgress, options);
	const {finished: scanning, share} = statting;
	// Remote roots are listed after the local files are all `lstat`ed: both fill the one file table.
	if (remote.active) {
		await share();
		await scanning;
		await remote.scanInto(scan, progress ? (p) => progress({phase: 'list', ...p}) : undefined, metadataStats, options.nowMs);
	}
	const metadataPaths = [...new Set([...metadataStats.keys(), ...metadataUnstatted, ...inputs.metadataFiles, ...remote.metadataFiles])].sort();
	const fetcher = remote.prefetch(metadataPaths, metadataStats);
	// Each snapshot goes into the builder as soon as it is parsed, so that the parsed references of
	// all files are never in memory at once.
	// Offline listings show the tree as it was when they were taken: ages (`--min-age`) count from then.
	const asOf = options.nowMs === undefined ? remote.asOfMs : undefined;
	const builder = new AnalysisBuilder(
		scan,
		metadataPaths,
		asOf === undefined ? options : {...options, nowMs: asOf},
		options.entropyKey === undefined ? undefined : (w) => remote.listedAsWritten(w),
	);
	builder.reserve(expectedFiles(size));
	try {
		await loadAll(builder, metadataPaths, metadataStats, remote, fetcher, progress);
		// No core idles while files are left to `lstat`.
		await share();
		await scanning;
		scan.warnings.push(...inputs.warnings, ...remote.warnings);
		return await builder.finish();
	} catch (error) {
		// A bug: the worker processes that probe ahead, waiting for more names, would keep fcx alive.
		builder.abort();
		throw error;
	}
}

/**
 * Load every `_metadata` of `metadataPaths` into `builder`, remote ones fetched by `fetcher`,
 * `metadataStats` their crawled `lstat`s (others are `stat`ed here).
 */
async function loadAll(
	builder: AnalysisBuilder,
	metadataPaths: readonly string[],
	metadataStats: ReadonlyMap<string, {mtimeMs: number; size: number}>,
	remote: RemoteRoots,
	fetcher: {get(path: string): Promise<Uint8Array>},
	progress: AnalyseOptions['onProgress'],
): Promise<void> {
	// Files are read synchronously into one reused buffer and parsed one at a time, in path order
	// (the order the builder takes them in); the event loop runs between files now and then.
	const reader = new MetadataFileReader();
	let lastYield = performance.now();
	for (let i = 0; i < metadataPaths.length; i++) {
		if (performance.now() - lastYield >= LOAD_YIELD_MS) {
			await new Promise<void>((resolve) => setImmediate(resolve));
			lastYield = performance.now();
		}
		const metadataPath = metadataPaths[i];
		let mtimeMs = 0;
		let size = 0;
		let snapshot: LoadedSnapshot;
		const scanned = metadataStats.get(metadataPath);
		if (scanned !== undefined) {
			mtimeMs = scanned.mtimeMs;
			size = scanned.size;
		}
		let fetched: Uint8Array | undefined;
		try {
			if (remote.isRemote(metadataPath)) {
				const st = scanned ?? (await remote.stat(metadataPath));
				mtimeMs = st.mtimeMs;
				size = st.size;
				fetched = await fetcher.get(metadataPath);
			} else if (scanned === undefined) {
				const st = await stat(metadataPath);
				mtimeMs = Math.trunc(st.mtimeMs);
				size = st.size;
			}
			snapshot = loadSnapshot(reader, metadataPath, mtimeMs, size, fetched);
			if (snapshot.result !== undefined) remote.noteReferences(snapshot.result.references);
		} catch (error) {
			const message = error instanceof Error ? error.message : String(error);
			const unreadable: LoadedSnapshot = {metadataPath, error: message, mtimeMs, size};
			if (error instanceof ParseError && size <= APPROXIMATE_SCAN_MAX_BYTES) {
				// Read as the file was (non-blocking, regular files only, capped): never readFile, which a FIFO swapped in would hang.
				const bytes = fetched ?? (await readRegularFileBytes(metadataPath, APPROXIMATE_SCAN_MAX_BYTES).catch(() => undefined));
				if (bytes !== undefined) unreadable.approximate = scanPathStrings(bytes, {limit: APPROXIMATE_SCAN_LIMIT});
			}
			snapshot = unreadable;
		}
		builder.add(snapshot);
		progress?.({phase: 'load', done: i + 1, total: metadataPaths.length, path: metadataPath});
	}
}
