/**
 * The analysis core: from a scan and the loaded `_metadata` files to an {@link Analysis}.
 * No crawling and no parsing here, so it can be tested with hand-built references; it only `stat`s
 * local paths that references map to outside the scanned roots. Nothing is written, moved or deleted.
 */
import type {ApproximateReference} from '../metadata/approximate.js';
import type {FileReference, ReadResult, ReferenceHandle} from '../metadata/types.js';
import {
	baseName,
	classifyPath,
	directoriesAbove,
	DirectorySet,
	INPROGRESS_METADATA_RE,
	isInside,
	isPlainFileName,
	isSavepointLocation,
	METADATA_FILE,
	parentPath,
	parseUri,
	SAVEPOINT_DIR_RE,
	type PathLayout,
} from '../tree/layout.js';
import {formatDuration} from '../text/index.js';
import {GrowingColumns, withCapacity, withSlots} from '../tree/columns.js';
import type {ScanResult} from '../tree/scan.js';
import {isCompletedByFlink} from './jobs.js';
import {DamageTracker, neededBytes, segmentEnd} from './damaged.js';
import {ExclusiveBytes} from './exclusive.js';
import {EXISTS, FileEntries, MISSING, NOT_SCANNED, OUTSIDE, UNKNOWN, UNSETTLED} from './entries.js';
import {KeptReferences} from './kept-references.js';
import {OperatorBytes, summariseOperators} from './operators.js';
import {explicitMappings, matchKey, Prober, Resolver} from './resolve.js';
import {heldWarnings, UnsureReferences} from './unmapped.js';
import type {
	AnalyseOptions,
	Analysis,
	CheckpointAnalysis,
	CheckpointStatus,
	Dependency,
	JobSummary,
	MissingFile,
	OperatorSummary,
	Orphan,
	OrphanReason,
	ReferencedBy,
	ResolvedFile,
	StorageDirectoryKind,
	Warning,
} from './types.js';

/** Default `--min-age`: one hour, ms. */
export const DEFAULT_MIN_AGE_MS = 3_600_000;

/** One `_metadata` file as loaded by `analyse` (or built by hand in tests). */
export interface LoadedSnapshot {
	/** Absolute path of the `_metadata` file; its directory is the snapshot directory. */
	metadataPath: string;
	/** The parsed file; absent when it could not be read. */
	result?: ReadResult;
	/** Why it could not be read (parse error message). */
	error?: string;
	/** For unreadable files: path-like strings found in the bytes (approximate, display only). */
	approximate?: ApproximateReference[];
	/** mtime of `_metadata`, ms. */
	mtimeMs: number;
	/** Size of `_metadata`, bytes. */
	size: number;
	/**
	 * The operator summaries, when computed at load time (`analyse` does, then empties
	 * `result.metadata.operators`: the state handles of thousands of snapshots need not stay in
	 * memory together); their `bytes` are summed again from the references when the snapshot is
	 * added (see {@link OperatorBytes}). Absent: computed from `result`.
	 */
	operators?: OperatorSummary[];
}

/**
 * Checkpoint or savepoint: `properties.checkpointType.kind` when present (format version 4+), else by
 * the directory ({@link isSavepointLocation}: `savepoint-…`, or below a `savepoints` directory).
 */
export function snapshotKind(metadataPath: string, result: ReadResult | undefined): 'checkpoint' | 'savepoint' {
	const props = result?.metadata.trailer?.properties ?? null;
	if (props?.checkpointType != null) return props.checkpointType.kind;
	return isSavepointLocation(parentPath(metadataPath)) ? 'savepoint' : 'checkpoint';
}

/**
 * A local directory that referenced files map to, with those files' entries by name (a big tree
 * has a million referenced files in a few thousand directories: small maps hash fast).
 */
interface LocalDir {
	path: string;
	/** `${path}/`. */
	prefix: string;
	/**
	 * Entry ids of its referenced files by name: those not in the scan, and those made before the
	 * scan was complete (the others are found by their scan file id, see `entryOfFile`).
	 */
	entries: Map<string, number>;
	/** Whether `inside` is computed. */
	checked: boolean;
	/** The directory lies inside a scanned root. */
	inside: boolean;
	/** Its scanned files, by name, once one was looked up by name (see `scannedId`). */
	files: ReadonlyMap<string, number> | undefined;
	/** The storage directory of its files (phase 4). */
	place: Place | null;
}

/** The scanned files of a directory without any. */
const NO_FILES: ReadonlyMap<string, number> = new Map();

/** The written paths that share the text before their last `/` (`dir`), by the text after it. */
interface WrittenDir {
	dir: string;
	/** `${dir}/` (empty when `dir` is): a spelling's path is `prefix + name`. */
	prefix: string;
	/** Spelling ids by name. */
	spellings: Map<string, number>;
	/** Index of the last snapshot that taught the resolver from a plain file name in it. */
	learnt: number;
}

/**
 * The ways absolute paths are written, as columns by spelling id (a big tree has a million: no
 * object each). A spelling is one written path, with the entry it resolves to.
 */
class Spellings extends GrowingColumns {
	/** The written directory it is in. */
	dir: WrittenDir[] = [];
	/** The written path, shared by every reference to it: `dir.prefix` + its name (its key in `dir.spellings`) when `dir.dir` is not empty. */
	uri: string[] = [];
	/** The first reference's RocksDB local file name (shared by later equal ones). */
	localPath: (string | undefined)[] = [];
	/** The last first-reference kept, a {@link KeptReferences} id (an equal one of a later snapshot is this one); -1: none. */
	first: Int32Array = new Int32Array(0);
	/** 1 when its name (after the last `/`) is a plain file name (see `isPlainFileName`). */
	plain: Uint8Array = new Uint8Array(0);
	/** Index of the last snapshot that wrote it, and its index in that snapshot's {@link SnapshotFiles} (-1: none). */
	snap: Int32Array = new Int32Array(0);
	index: Int32Array = new Int32Array(0);
	/** Its entry id, set when every snapshot has been added (resolution needs what all of them teach); -1 before. */
	entry: Int32Array = new Int32Array(0);

	/** Add a spelling; returns its id. */
	add(dir: WrittenDir, uri: string, plain: boolean, localPath: string | undefined): number {
		const id = this.takeId();
		this.dir[id] = dir;
		this.uri[id] = uri;
		this.localPath[id] = localPath;
		this.first[id] = -1;
		this.plain[id] = plain ? 1 : 0;
		this.snap[id] = -1;
		this.index[id] = -1;
		this.entry[id] = -1;
		return id;
	}

	protected grow(capacity: number): void {
		this.dir = withSlots(this.dir, capacity, this.count);
		this.uri = withSlots(this.uri, capacity, this.count);
		this.localPath = withSlots(this.localPath, capacity, this.count);
		this.plain = withCapacity(this.plain, capacity);
		this.snap = withCapacity(this.snap, capacity);
		this.index = withCapacity(this.index, capacity);
		this.entry = withCapacity(this.entry, capacity);
		this.first = withCapacity(this.first, capacity);
	}
}

/** A spelling id as a {@link SnapshotFiles} target (entry ids are ≥ 0, spellings < 0), and back. */
function spellingTarget(id: number): number {
	return -1 - id;
}

/**
 * What the references of one snapshot add up to, per file: parallel arrays, one index per file
 * (a big tree has millions of snapshot × file pairs: no object each; numbers in typed arrays, which
 * the garbage collector never copies). The typed arrays have room for more files while the
 * snapshot is added; {@link trimFiles} cuts them to `count`.
 */
interface SnapshotFiles {
	/** Number of files. */
	count: number;
	/** The file: its spelling ({@link spellingTarget}, absolute paths) until every snapshot is added, then its entry id. */
	targets: Int32Array;
	/**
	 * First reference of the snapshot to the file (kept for display), a {@link KeptReferences} id:
	 * its `path` is the written path (relative handles: the name), its `handle` the file's handle.
	 */
	firsts: Int32Array;
	/** Number of references of the snapshot to the file. */
	counts: Int32Array;
	/** Bytes referenced (see {@link addReference}); -1: unknown. */
	sizes: Float64Array;
	/** Segment handles: the `startPos:size` keys summed, by index. */
	segments: Map<number, Set<string>> | null;
	/** FLINK-39964 fallback notes, by index. */
	notes: Map<number, string> | null;
}

/** Files with room for `capacity` of them. */
function emptySnapshotFiles(capacity = 0): SnapshotFiles {
	return {
		count: 0,
		targets: new Int32Array(capacity),
		firsts: new Int32Array(capacity),
		counts: new Int32Array(capacity),
		sizes: new Float64Array(capacity),
		segments: null,
		notes: null,
	};
}

/** `sf` with its typed arrays cut to its files (views of the same memory). */
function trimFiles(sf: SnapshotFiles): SnapshotFiles {
	sf.targets = sf.targets.subarray(0, sf.count);
	sf.firsts = sf.firsts.subarray(0, sf.count);
	sf.counts = sf.counts.subarray(0, sf.count);
	sf.sizes = sf.sizes.subarray(0, sf.count);
	return sf;
}

/** {@link SnapshotFiles} once resolved: entry ids and sums in typed arrays. */
interface SettledSnapshotFiles {
	targets: Int32Array;
	firsts: Int32Array;
	counts: Int32Array;
	sizes: Float64Array;
	/** Segment files: the bytes the snapshot's segments need (see `neededBytes`), by index. */
	segmentNeeds: Map<number, number> | null;
	notes: Map<number, string> | null;
}

/** Add a file with its first reference (a {@link KeptReferences} id; no references counted yet, size unknown); returns its index. */
function addFile(sf: SnapshotFiles, target: number, first: number): number {
	const i = sf.count++;
	if (i === sf.targets.length) {
		const capacity = Math.max(16, i * 2);
		sf.targets = withCapacity(sf.targets, capacity);
		sf.firsts = withCapacity(sf.firsts, capacity);
		sf.counts = withCapacity(sf.counts, capacity);
		sf.sizes = withCapacity(sf.sizes, capacity);
	}
	sf.targets[i] = target;
	sf.firsts[i] = first;
	sf.counts[i] = 0;
	sf.sizes[i] = -1;
	return i;
}

/**
 * `column` itself when it fills at least half of its buffer, else a copy of just its elements (the
 * per-snapshot columns have room for one file per reference; copying every snapshot's cost 60 ms
 * on the 1M-file bench tree, and in an incremental checkpoint they are nearly full).
 */
function compact<T extends Int32Array | Float64Array>(column: T): T {
	return column.length * 2 * column.BYTES_PER_ELEMENT >= column.buffer.byteLength ? column : (column.slice() as T);
}

/** The files of `sf` with references (count > 0), indices renumbered. */
function withoutUnreferenced(sf: SnapshotFiles): SnapshotFiles {
	const out = emptySnapshotFiles(sf.count);
	for (let i = 0; i < sf.count; i++) {
		if (sf.counts[i] <= 0) continue;
		const j = addFile(out, sf.targets[i], sf.firsts[i]);
		out.counts[j] = sf.counts[i];
		out.sizes[j] = sf.sizes[i];
		const segments = sf.segments?.get(i);
		if (segments !== undefined) (out.segments ??= new Map()).set(j, segments);
		const note = sf.notes?.get(i);
		if (note !== undefined) (out.notes ??= new Map()).set(j, note);
	}
	return trimFiles(out);
}

/** The storage directory of the files of one local directory (or of one unmapped file). */
interface Place {
	depPath: string;
	kind: StorageDirectoryKind;
	jobId: string | null;
	local: boolean;
	savepointName: string | null;
	/** The file has a local path (its directories count as referenced). */
	mapped: boolean;
	/** Last snapshot whose references to this place were recorded. */
	snap: number;
	/** The index of its dependency in the dependencies of snapshot `depSnap` (a cache of the lookup by `depPath`). */
	depSnap: number;
	dep: number;
}

interface Snap {
	loaded: LoadedSnapshot;
	dir: string;
	layout: PathLayout;
	jobId: string | null;
	jobDir: string | null;
	kind: 'checkpoint' | 'savepoint';
	inlineBytes: number;
	analysis?: CheckpointAnalysis;
}

interface DirAgg {
	files: number;
	bytes: number;
	newestMs: number;
	referenced: number;
}

const KIND_ORDER: Record<StorageDirectoryKind, number> = {
	chk: 0,
	shared: 1,
	taskowned: 2,
	'file-merging': 3,
	changelog: 4,
	savepoint: 5,
	other: 6,
};

/**
 * A copy of `s` that does not keep another string alive. Parsed strings are slices of the whole
 * `_metadata` text (see `ByteReader`): one kept slice keeps the whole file's text in memory.
 */
export function flatString(s: string): string {
	// V8 makes no slices or concatenations under 13 characters; `join` writes one flat string (a
	// `slice` of a copy would be a slice too: 32 more bytes per string, and a million paths).
	return s.length < 13 ? s : [s.slice(0, 1), s.slice(1)].join('');
}

function toNumber(v: number | bigint): number {
	return typeof v === 'bigint' ? Number(v) : v;
}

/** Add `value` to the list of `key` unless it is there (lists are short: the snapshots using a path). */
function pushUnique(map: Map<string, string[]>, key: string, value: string): void {
	const list = map.get(key);
	if (list === undefined) map.set(key, [value]);
	else if (list[list.length - 1] !== value && !list.includes(value)) list.push(value);
}

/**
 * Count one more reference of a snapshot to its file `i`: the largest size of its references;
 * segments of one file (file merging) are summed, each once; directories count 0 bytes.
 */
function addReference(sf: SnapshotFiles, i: number, ref: FileReference): void {
	sf.counts[i]++;
	if (ref.handle === 'segment') {
		let segments = sf.segments?.get(i);
		if (segments === undefined) (sf.segments ??= new Map()).set(i, (segments = new Set()));
		const segKey = `${ref.startPos ?? 0}:${ref.size}`;
		if (!segments.has(segKey)) {
			segments.add(segKey);
			if (ref.size >= 0) sf.sizes[i] = Math.max(0, sf.sizes[i]) + ref.size;
		}
	} else if (ref.handle !== 'directory') {
		sf.sizes[i] = Math.max(sf.sizes[i], ref.size);
	} else {
		sf.sizes[i] = 0;
	}
}

/** Fold file `from` into file `into` (two spellings of one file in one snapshot); `from` is left with no references. */
function mergeFiles(sf: SnapshotFiles, into: number, from: number, kept: KeptReferences): void {
	sf.counts[into] += sf.counts[from];
	sf.counts[from] = 0;
	const fromSegments = sf.segments?.get(from);
	if (fromSegments !== undefined) {
		let intoSegments = sf.segments!.get(into);
		if (intoSegments === undefined) sf.segments!.set(into, (intoSegments = new Set()));
		for (const segKey of fromSegments) {
			if (intoSegments.has(segKey)) continue;
			intoSegments.add(segKey);
			const size = Number(segKey.slice(segKey.indexOf(':') + 1));
			if (size >= 0) sf.sizes[into] = Math.max(0, sf.sizes[into]) + size;
		}
	} else if (kept.handleOf(sf.firsts[into]) !== 'directory' && kept.handleOf(sf.firsts[from]) !== 'directory') {
		sf.sizes[into] = Math.max(sf.sizes[into], sf.sizes[from]);
	}
}

/**
 * Make `object[key]` computed by `compute` when first read (then a plain data property, the same
 * as one set by assignment). `compute` may itself define the property.
 */
function lazyProperty<T extends object, K extends keyof T>(object: T, key: K, compute: () => T[K]): void {
	const define = (value: T[K]): void => {
		Object.defineProperty(object, key, {value, enumerable: true, writable: true, configurable: true});
	};
	Object.defineProperty(object, key, {
		get(): T[K] {
			const value = compute();
			define(value);
			return value;
		},
		set: define,
		enumerable: true,
		configurable: true,
	});
}

/** Items grouped by the job directory their `path` is in (`null`: outside job directories), in order. */
function groupByJobDir<T extends {path: string}>(items: readonly T[]): Map<string | null, T[]> {
	const groups = new Map<string | null, T[]>();
	for (const item of items) {
		const jobDir = classifyPath(item.path).jobDir;
		const list = groups.get(jobDir);
		if (list === undefined) groups.set(jobDir, [item]);
		else list.push(item);
	}
	return groups;
}

function commonParent(paths: readonly string[]): string {
	if (paths.length === 0) return '/';
	let common = parentPath(paths[0]);
	for (const p of paths) {
		while (!isInside(p, common)) common = parentPath(common);
	}
	return common;
}

/**
 * Build the analysis from a scan and the loaded snapshots. Pure apart from `stat` calls for local
 * paths that references map to outside the scanned roots. The same as {@link AnalysisBuilder} with
 * every snapshot added at once.
 *
 * - Snapshot kind: `properties.checkpointType.kind` when present, else `savepoint` for a
 *   `savepoint-…` directory, else `checkpoint`. Job id: the job directory the snapshot sits in.
 * - References are resolved by {@link Resolver} (see `resolve.ts` for the rules); relative handles
 *   missing next to `_metadata` are looked up in scanned savepoint directories (FLINK-39964) and
 *   then carry a `note`. Inline references only count in `sizes.inlineBytes`. File-merging
 *   directory references (tag 17) appear in `files` with handle `directory` and protect the
 *   directory, but count neither in `Dependency.files` nor in bytes (only as missing when absent).
 * - Orphans are searched under the scanned roots only, in Flink storage directories (`chk-<n>`,
 *   `shared/`, `taskowned/`, file-merging and `dstl/` directories, savepoint directories) and are
 *   reported at the highest directory whose whole content is orphaned. A job with an unreadable or
 *   legacy `_metadata` gets no unreferenced-file orphans (what it references is unknown); a warning
 *   says so.
 *
 * Never throws for problems of the input; they become warnings or checkpoint statuses.
 */
export async function buildAnalysis(scan: ScanResult, loadedInput: readonly LoadedSnapshot[], options: AnalyseOptions = {}): Promise<Analysis> {
	// Dedupe snapshots by metadata path: the first wins.
	const loadedMap = new Map<string, LoadedSnapshot>();
	for (const l of loadedInput) if (!loadedMap.has(l.metadataPath)) loadedMap.set(l.metadataPath, l);
	const builder = new AnalysisBuilder(scan, [...loadedMap.keys()], options);
	for (const l of loadedMap.values()) builder.add(l);
	return builder.finish();
}

/**
 * Builds the analysis while the `_metadata` files load: {@link AnalysisBuilder.add} takes what it
 * needs of each snapshot (its references, summed per file, and what they teach about remote bases)
 * so that the parsed references need not all stay in memory; {@link AnalysisBuilder.finish}
 * resolves, checks and sums (see {@link buildAnalysis} for the rules).
 */
export class AnalysisBuilder {
	/** Add a loaded snapshot: one of the `metadataPaths` given to the constructor, each once, in any order. */
	readonly add: (loaded: LoadedSnapshot) => void;
	/** Build the analysis; every snapshot must have been added (one that was not counts as unreadable). */
	readonly finish: () => Promise<Analysis>;
	/**
	 * Make room for about `files` more distinct files in the snapshots still to be added (a hint:
	 * their columns are then not grown and copied step by step; too few or too many only costs time
	 * or memory).
	 */
	readonly reserve: (files: number) => void;

	/**
	 * `metadataPaths`: the `_metadata` files that will be added (absolute; duplicates are ignored).
	 * `scan` needs its roots and directories now, its files only when {@link finish} is called.
	 */
	constructor(scan: ScanResult, metadataPaths: readonly string[], options: AnalyseOptions = {}) {
		[this.add, this.finish, this.reserve] = makeBuilder(scan, metadataPaths, options);
	}
}

function makeBuilder(
	scan: ScanResult,
	metadataPaths: readonly string[],
	options: AnalyseOptions,
): [add: (loaded: LoadedSnapshot) => void, finish: () => Promise<Analysis>, reserve: (files: number) => void] {
	const nowMs = options.nowMs ?? Date.now();
	const minAgeMs = options.minAgeMs ?? DEFAULT_MIN_AGE_MS;
	const youngSince = nowMs - minAgeMs;
	/** The scan's warnings and the analysis's (the scan may still be running until `finish`). */
	const warnings: Warning[] = [];
	const progress = options.onProgress;

	const paths = [...new Set(metadataPaths)].sort();
	const loadedMap = new Map<string, LoadedSnapshot | undefined>(paths.map((p) => [p, undefined]));
	const indexOf = new Map<string, number>(paths.map((p, i) => [p, i]));
	const snaps: Snap[] = paths.map((metadataPath) => {
		const dir = parentPath(metadataPath);
		const layout = classifyPath(dir);
		return {loaded: {metadataPath, error: 'not loaded', mtimeMs: 0, size: 0}, dir, layout, jobId: layout.jobId, jobDir: layout.jobDir, kind: layout.kind === 'savepoint' ? 'savepoint' : 'checkpoint', inlineBytes: 0};
	});

	const resolver = new Resolver(scan, explicitMappings(options.mappings ?? []), snaps.map((s) => s.dir));
	const inside = (p: string): boolean => resolver.insideRoots(p);
	/** Whether a root is a store URI (`s3://…`): then a path may not start with `/`. */
	const remoteRoots = scan.roots.some((root) => root.charCodeAt(0) !== 47);
	const prober = new Prober(scan, inside);
	/** The first references of each snapshot's files, kept for display. */
	const kept = new KeptReferences();

	// Phase 1 (while loading): per snapshot, the sums of its references per written path. Snapshots
	// are taken in path order (later ones wait for the earlier ones) so that the result does not
	// depend on the order in which files finish loading.
	/** Entries of local paths, by directory; entries of unmapped paths by key. */
	const localDirs = new Map<string, LocalDir>();
	const otherEntries = new Map<string, number>();
	const entries = new FileEntries<LocalDir>();
	let lastLocal: LocalDir | null = null;
	const localDirOf = (dir: string): LocalDir => {
		if (lastLocal !== null && lastLocal.path === dir) return lastLocal;
		let local = localDirs.get(dir);
		if (local === undefined) {
			local = {path: flatString(dir), prefix: flatString(`${dir}/`), entries: new Map(), checked: false, inside: false, files: undefined, place: null};
			localDirs.set(local.path, local);
		}
		lastLocal = local;
		return local;
	};
	/** `local` with `inside` set. */
	const checkLocal = (local: LocalDir): LocalDir => {
		if (!local.checked) {
			local.checked = true;
			local.inside = inside(local.path);
		}
		return local;
	};
	/**
	 * The scan file id of the file `name` of `local`, if scanned. Makes the map of the directory's
	 * names (see `FileTable.listed`): the resolution of written paths matches most names without it.
	 */
	const scannedId = (local: LocalDir, name: string): number | undefined => {
		if (!checkLocal(local).inside) return undefined;
		local.files ??= scan.files.directory(local.path) ?? NO_FILES;
		return local.files.get(name);
	};
	/**
	 * The entry id of `key` (a local path when it starts with `/`), made when new (`uri` copied when
	 * `copyUri`: a slice of a file's text; `knownFileId` as for `entryIn`).
	 */
	const entryFor = (key: string, uri: string, anchor: string | null, copyUri = false, knownFileId?: number): number => {
		// A path: local (`/…`), or a store URI inside a remote root (`s3://b/root/…`); other keys
		// are references outside the tree (`?…`, or an unmapped URI's match key).
		if (key.charCodeAt(0) === 47 || (remoteRoots && inside(key))) {
			const slash = key.lastIndexOf('/');
			return entryIn(localDirOf(slash === 0 ? '/' : key.slice(0, slash)), key.slice(slash + 1), uri, anchor, true, copyUri, knownFileId);
		}
		let id = otherEntries.get(key);
		if (id === undefined) {
			id = entries.add(null, '', copyUri ? flatString(uri) : uri, anchor);
			otherEntries.set(key, id);
		}
		return id;
	};
	/**
	 * The entry id of the file `name` of `local`, made when new (`name` and `uri` copied when they
	 * may be slices of other strings). Its path, `local.prefix + name`, is made of the two when
	 * needed (a million 100-character paths flat would cost 100 MB).
	 */
	const entryIn = (local: LocalDir, name: string, uri: string, anchor: string | null, copyName = false, copyUri = false, knownFileId?: number): number => {
		// Most directories' entries are all scanned files, found below, and this map is empty: a
		// million lookups fewer on the 1M-file bench tree.
		let id = local.entries.size === 0 ? undefined : local.entries.get(name);
		if (id !== undefined) return id;
		// A scanned file: found by its scan file id (no map of a million names). `knownFileId`: its
		// scan file id, or NOT_SCANNED, when the caller already knows.
		const fileId = entryOfFile === null ? undefined : knownFileId === undefined ? scannedId(local, name) : knownFileId >= 0 ? knownFileId : undefined;
		if (fileId !== undefined) {
			id = entryOfFile![fileId];
			if (id < 0) {
				id = entries.add(local, copyName ? flatString(name) : name, copyUri ? flatString(uri) : uri, anchor);
				entries.fileId[id] = fileId;
				entryOfFile![fileId] = id;
			}
			return id;
		}
		const ownName = copyName ? flatString(name) : name;
		id = entries.add(local, ownName, copyUri ? flatString(uri) : uri, anchor);
		if (knownFileId === NOT_SCANNED) entries.fileId[id] = NOT_SCANNED;
		local.entries.set(ownName, id);
		return id;
	};
	/** The entry id of the file `name` of `local`, if there is one. */
	const entryAt = (local: LocalDir, name: string): number | undefined => {
		const id = local.entries.get(name);
		if (id !== undefined || entryOfFile === null) return id;
		const fileId = scannedId(local, name);
		return fileId === undefined || entryOfFile[fileId] < 0 ? undefined : entryOfFile[fileId];
	};
	/**
	 * Make the entries of the scanned files of `local` that `wd` names with plain file names (its
	 * mapped directory, see `Resolver.directoryMapping`), walking the directory's list of names and
	 * looking each up among the names of `wd` (one lookup per scanned file: the million names of the
	 * bench tree are never hashed into a map of the scan's). Spelling `skip` is left to the caller.
	 * Returns `undefined` when it could not (the directory's names are not a list any more, see
	 * `FileTable.listed`, or it is outside the roots); else the scan file id of the name of `skip`
	 * in `local`, or NOT_SCANNED.
	 */
	const joinScanned = (wd: WrittenDir, local: LocalDir, anchor: string | null, skip: number): number | undefined => {
		const listed = checkLocal(local).inside ? scan.files.listed(local.path) : undefined;
		if (listed === undefined) return undefined;
		const {names, first} = listed;
		let skipped = NOT_SCANNED;
		for (let index = 0; index < names.length; index++) {
			const sid = wd.spellings.get(names[index]);
			if (sid === undefined || spellings.entry[sid] !== -1 || spellings.plain[sid] !== 1) continue;
			if (sid === skip) skipped = first + index;
			else spellings.entry[sid] = entryIn(local, names[index], spellings.uri[sid], anchor, false, false, first + index);
		}
		return skipped;
	};
	/** Entry id by scan file id (-1: none); made when every snapshot is added and the scan is complete. */
	let entryOfFile: Int32Array | null = null;
	/** Snapshot indices in natural order: by parent directory, then `chk-<n>` by `n`, then by name. */
	const naturalOrder = snaps.map((_, si) => si);
	const orderKeys = snaps.map((s) => ({parent: parentPath(s.dir), n: s.layout.kind === 'chk' ? (s.layout.checkpointId ?? -1) : -1}));
	naturalOrder.sort((a, b) => {
		const ka = orderKeys[a];
		const kb = orderKeys[b];
		if (ka.parent !== kb.parent) return ka.parent < kb.parent ? -1 : 1;
		if (ka.n !== kb.n) return ka.n - kb.n;
		return a - b;
	});
	/** Position of each snapshot in {@link naturalOrder}. */
	const naturalRank = new Int32Array(snaps.length);
	naturalOrder.forEach((si, rank) => (naturalRank[si] = rank));
	/** The directories of the snapshots that use entry `id` (see `FileEntries.usersFrom`), in natural order. */
	const snapshotDirs = (id: number): string[] => entries.users(id).map((rank) => snaps[naturalOrder[rank]].dir);
	const writtenDirs = new Map<string, WrittenDir>();
	let spellings = new Spellings();
	let lastWritten: WrittenDir | null = null;
	const snapFilesOf: SnapshotFiles[] = snaps.map(() => emptySnapshotFiles());
	/** The last snapshot with references added (-1: none yet), and its files' paths as written there. */
	let lastAccumulated = -1;
	let lastPaths: string[] = [];
	const accumulate = (si: number): void => {
		const s = snaps[si];
		const l = s.loaded;
		if (!l.result) return;
		s.kind = snapshotKind(l.metadataPath, l.result);
		const references = l.result.references;
		// A file has at least one reference: room for all.
		const sf = (snapFilesOf[si] = emptySnapshotFiles(references.length));
		/** The files of the snapshot added before, and where in them the next reference is expected. */
		const previousSnap = lastAccumulated;
		const previous = previousSnap < 0 ? [] : snapFilesOf[previousSnap].targets;
		const previousPaths = lastPaths;
		let expected = 0;
		lastAccumulated = si;
		/** Per file of this snapshot: its path as written in its `_metadata` (for the next snapshot). */
		const paths: string[] = [];
		lastPaths = paths;
		/** The operators' bytes, when their summaries came with the snapshot: by the files' indices in `sf`. */
		const operatorBytes = l.operators === undefined ? undefined : new OperatorBytes(l.operators, references.length);
		// What the resolver learns from: plain file names of one written directory teach the same
		// thing, so only the first of each directory is passed (see `Resolver.learn`).
		const toLearn: FileReference[] = [];
		const learnFrom = (ref: FileReference, wd: WrittenDir, plain: boolean): void => {
			if (!plain) toLearn.push(ref);
			else if (wd.learnt !== si) {
				wd.learnt = si;
				toLearn.push(ref);
			}
		};
		for (const ref of references) {
			if (ref.handle === 'relative') {
				const path = `${s.dir}/${ref.path}`;
				const id = entryFor(path, ref.path, null, true);
				if (entries.snap[id] !== si) {
					ref.path = flatString(ref.path);
					if (ref.localPath !== undefined) ref.localPath = flatString(ref.localPath);
					entries.snap[id] = si;
					entries.index[id] = addFile(sf, id, kept.add(ref));
					paths.push('');
				}
				addReference(sf, entries.index[id], ref);
				operatorBytes?.add(ref, entries.index[id]);
				continue;
			}
			const path = ref.path;
			let sid = -1;
			if (ref.handle !== 'inline' && expected < previousPaths.length && previousPaths[expected] === path) {
				// Most references are the ones the previous snapshot had at this place, in this order
				// (the shared files of a chain of incremental checkpoints): compared as written (two
				// slices of file texts: no hashing, and no flattening of the kept concatenation).
				const candidate = previous[expected];
				if (candidate < 0) sid = spellingTarget(candidate);
			}
			if (sid < 0) {
				// Written paths are interned by directory (the text before the last `/`), then by name:
				// the references of one snapshot come directory by directory.
				const slash = path.lastIndexOf('/');
				const dirText = slash < 0 ? '' : path.slice(0, slash);
				let wd = lastWritten ?? undefined;
				if (wd === undefined || wd.dir !== dirText) {
					wd = writtenDirs.get(dirText);
					if (wd === undefined) {
						const dir = flatString(dirText);
						wd = {dir, prefix: dir.length === 0 ? '' : flatString(`${dir}/`), spellings: new Map(), learnt: -1};
						writtenDirs.set(wd.dir, wd);
					}
					lastWritten = wd;
				}
				if (ref.handle === 'inline') {
					s.inlineBytes += Math.max(0, ref.size);
					operatorBytes?.add(ref, -1);
					learnFrom(ref, wd, slash > 0 && isPlainFileName(path.slice(slash + 1)));
					continue;
				}
				// A flat copy first (the name is almost always new here): its hash is computed once for
				// the lookup, the insertion and the scan's lookup later.
				const name = flatString(path.slice(slash + 1));
				const known = wd.spellings.get(name);
				if (known === undefined) {
					// The path is kept as its directory's prefix and its name (a concatenation: a million
					// paths of 130 characters would cost 130 MB flat; few operations need it flat).
					sid = spellings.add(wd, slash > 0 ? wd.prefix + name : flatString(path), isPlainFileName(name), ref.localPath === undefined ? undefined : flatString(ref.localPath));
					wd.spellings.set(name, sid);
				} else sid = known;
			}
			if (spellings.snap[sid] === previousSnap) expected = spellings.index[sid] + 1;
			const wd = spellings.dir[sid];
			learnFrom(ref, wd, ref.handle !== 'directory' && wd.dir.length > 0 && spellings.plain[sid] === 1);
			// Let every reference share one string per path (memory).
			ref.path = spellings.uri[sid];
			const localPath = spellings.localPath[sid];
			if (ref.localPath !== undefined && ref.localPath === localPath) ref.localPath = localPath;
			if (spellings.snap[sid] !== si) {
				if (ref.localPath !== undefined && ref.localPath !== localPath) ref.localPath = flatString(ref.localPath);
				// The same reference as in the previous snapshot (an incremental checkpoint's shared
				// file): keep it once.
				const last = spellings.first[sid];
				const first = last >= 0 && kept.equals(last, ref) ? last : kept.add(ref);
				spellings.first[sid] = first;
				spellings.snap[sid] = si;
				spellings.index[sid] = addFile(sf, spellingTarget(sid), first);
				paths.push(path);
			}
			addReference(sf, spellings.index[sid], ref);
			operatorBytes?.add(ref, spellings.index[sid]);
		}
		trimFiles(sf);
		resolver.learn(s.dir, toLearn);
		resolver.anchor(s.dir, s.kind, toNumber(l.result.metadata.checkpointId), toLearn);
		// The operator summaries were computed at load time (`analyse`): nothing needs the
		// references any more but the first reference of each file (kept by its accumulator).
		if (l.operators !== undefined) l.result.references = [];
	};
	let nextToAccumulate = 0;
	const add = (loaded: LoadedSnapshot): void => {
		const si = indexOf.get(loaded.metadataPath);
		if (si === undefined || loadedMap.get(loaded.metadataPath) !== undefined) return;
		loadedMap.set(loaded.metadataPath, loaded);
		snaps[si].loaded = loaded;
		while (nextToAccumulate < snaps.length && loadedMap.get(snaps[nextToAccumulate].loaded.metadataPath) !== undefined) accumulate(nextToAccumulate++);
	};

	const finish = async (): Promise<Analysis> => {
		warnings.push(...scan.warnings);
		entryOfFile = new Int32Array(scan.files.size).fill(-1);
		for (; nextToAccumulate < snaps.length; nextToAccumulate++) accumulate(nextToAccumulate);
		/** References that may name scanned files they do not map to (phase 6 holds those files' directories). */
		const unsure = new UnsureReferences();
		// Resolve every written path (after every snapshot taught its bases), and merge the
		// accumulators of a snapshot whose paths are spelt differently but are one file. Each
		// spelling makes at most one entry.
		entries.reserve(spellings.count);
		for (const wd of writtenDirs.values()) {
			const byName = wd.dir.length > 0;
			/** Where the plain file names of `wd` map, once known (see `Resolver.directoryMapping`). */
			let mapped: LocalDir | null = null;
			let mappedAnchor: string | null = null;
			let mappedAmbiguous = false;
			/** Whether the scanned files of `mapped` have been matched with the names of `wd` (see {@link joinScanned}). */
			let joined = false;
			for (const [name, sid] of wd.spellings) {
				const plain = spellings.plain[sid] === 1;
				const uri = spellings.uri[sid];
				if (mapped !== null && plain) {
					// After a join, a name it did not match is not a scanned file.
					if (spellings.entry[sid] === -1) spellings.entry[sid] = entryIn(mapped, name, uri, mappedAnchor, false, false, joined ? NOT_SCANNED : undefined);
					if (mappedAmbiguous) unsure.add(name, uri, 'ambiguous');
					continue;
				}
				const r = byName && name.length > 0 ? resolver.resolveIn(wd.dir, name, uri) : resolver.resolveUri(uri);
				if (r?.ambiguous === true) unsure.add(baseName(uri), uri, 'ambiguous');
				let key: string;
				if (r === null) key = `?${uri}`;
				else if (r.path !== null) key = r.path;
				else {
					const parsed = parseUri(uri);
					key = parsed === null ? `?${uri}` : matchKey(parsed);
				}
				/** The scan file id of this spelling's path (or NOT_SCANNED), when the join below tells. */
				let knownFileId: number | undefined;
				if (byName && plain) {
					const m = resolver.directoryMapping(wd.dir);
					if (m !== undefined) {
						mapped = localDirOf(m.localDir);
						mappedAnchor = m.anchor;
						mappedAmbiguous = m.ambiguous;
						// Before this spelling's entry is made: looking its name up would make the map
						// of the directory's names that the join does without.
						const found = joinScanned(wd, mapped, mappedAnchor, sid);
						joined = found !== undefined;
						if (joined && key === mapped.prefix + name) knownFileId = found;
					}
				}
				spellings.entry[sid] = entryFor(key, uri, r === null ? null : r.anchor, false, knownFileId);
			}
		}
		entries.snap.fill(-1);
		for (let si = 0; si < snaps.length; si++) {
			const sf = snapFilesOf[si];
			const targets = sf.targets;
			let merged = false;
			for (let i = 0; i < targets.length; i++) {
				const target = targets[i];
				const id = target < 0 ? spellings.entry[spellingTarget(target)] : target;
				targets[i] = id;
				if (entries.snap[id] === si) {
					mergeFiles(sf, entries.index[id], i, kept);
					merged = true;
				} else {
					entries.snap[id] = si;
					entries.index[id] = i;
				}
			}
			if (merged) snapFilesOf[si] = withoutUnreferenced(sf);
		}
		writtenDirs.clear();
		spellings = new Spellings();
		lastWritten = null;
		lastPaths = []; // slices of the last file's text
		const toProbe = new Set<string>();
		for (let id = 0; id < entries.count; id++) {
			const local = entries.local[id];
			if (local !== null && !checkLocal(local).inside) toProbe.add(entries.localPath(id));
			const anchor = entries.anchor[id];
			if (anchor !== null && !inside(anchor)) toProbe.add(anchor);
		}
		await prober.probe(toProbe);
		toProbe.clear();

		// Phase 2: FLINK-39964 fallback for relative handles.
		for (let si = 0; si < snaps.length; si++) {
			const s = snaps[si];
			const sf = snapFilesOf[si];
			const targets = sf.targets;
			let dropped = false;
			for (let i = 0; i < targets.length; i++) {
				const id = targets[i];
				if (kept.handleOf(sf.firsts[i]) !== 'relative' || entries.local[id] === null) continue;
				if (prober.get(entries.localPath(id)).exists) continue;
				const name = kept.pathOf(sf.firsts[i]);
				const found = resolver.findInSavepoints(name, s.dir);
				if (found === null) continue;
				const target = entryFor(found, name, null);
				const existing = targets.findIndex((other, j) => j !== i && other === target);
				if (existing === -1) {
					targets[i] = target;
					(sf.notes ??= new Map()).set(i, `not next to _metadata; found in the restored savepoint ${parentPath(found)} (relative handle of a CLAIM-restored native savepoint, FLINK-39964)`);
				} else {
					sf.counts[existing] += sf.counts[i];
					sf.counts[i] = 0;
					dropped = true;
				}
			}
			if (dropped) snapFilesOf[si] = withoutUnreferenced(sf);
		}

		/** Directories that could not be listed: what lies below them is unknown, never missing nor an orphan. */
		const unlistedPaths = scan.warnings.filter((w) => w.code === 'unreadable-directory').map((w) => w.path);
		const unlisted = new DirectorySet(unlistedPaths);
		const unlistedSet = new Set(unlistedPaths);
		/** Existence, size on disk and sharing key of entry `id`, once (`FileEntries.state`). */
		const settle = (id: number): void => {
			const local = entries.local[id];
			let state = OUTSIDE;
			if (local !== null) {
				// Looked up in the scan's files of its directory first (unless found there when made).
				const known = entries.fileId[id];
				const fileId = known >= 0 ? known : known === NOT_SCANNED ? undefined : scannedId(local, entries.name[id]);
				if (fileId !== undefined) {
					state = EXISTS;
					entries.fileId[id] = fileId;
					entries.diskSize[id] = scan.files.sizeOf(fileId);
				} else {
					const probe = prober.get(entries.localPath(id));
					const anchor = entries.anchor[id];
					if (probe.exists) {
						state = EXISTS;
						if (!probe.directory) entries.diskSize[id] = probe.size ?? 0;
					} else if (probe.unknown === true || (unlistedPaths.length > 0 && unlisted.contains(entries.localPath(id)))) {
						state = UNKNOWN; // below a directory that could not be read
					} else if (anchor !== null && !prober.get(anchor).exists) {
						state = OUTSIDE; // the place it maps to does not exist locally: outside the tree
					} else {
						state = MISSING;
					}
				}
				if (state === OUTSIDE) {
					const uri = entries.uri[id];
					const parsed = parseUri(uri);
					entries.shareKey.set(id, parsed === null ? `?${uri}` : matchKey(parsed));
				}
			}
			entries.state[id] = state;
		};

		// Phase 3: who uses each entry, and which scanned files and directories are referenced.
		const referencedDirs = new Set<string>();
		/** By file id: whether a snapshot references the scanned file. */
		const referencedFiles = new Uint8Array(scan.files.size);
		/** Users of the sharing keys of entries (`FileEntries.shareKey`: unmapped files outside the tree). */
		const otherShareUsers = new Map<string, string[]>();
		// Snapshots in natural order (checkpoint ids as numbers): a file of a chain of incremental
		// checkpoints is then used by one run of them, one range of users.
		const {state, fileId} = entries;
		for (const si of naturalOrder) {
			const s = snaps[si];
			const sf = snapFilesOf[si];
			const targets = sf.targets;
			const rank = naturalRank[si];
			for (let i = 0; i < targets.length; i++) {
				const id = targets[i];
				if (state[id] === UNSETTLED) settle(id);
				entries.addUser(id, rank);
				if (entries.shareKey.size > 0) {
					const shareKey = entries.shareKey.get(id);
					if (shareKey !== undefined) pushUnique(otherShareUsers, shareKey, s.dir);
				}
				if (state[id] === EXISTS) {
					if (kept.handleOf(sf.firsts[i]) === 'directory') referencedDirs.add(entries.localPath(id));
					else if (fileId[id] >= 0) referencedFiles[fileId[id]] = 1;
				}
			}
		}
		for (let id = 0; id < entries.count; id++) if (state[id] === OUTSIDE && entries.usersFrom[id] >= 0) unsure.add(baseName(entries.uri[id]), entries.uri[id], 'unmapped');
		const isShared = (id: number): boolean => {
			const shareKey = entries.shareKey.size === 0 ? undefined : entries.shareKey.get(id);
			return shareKey === undefined ? entries.usedMoreThanOnce(id) : (otherShareUsers.get(shareKey)?.length ?? 0) > 1;
		};

		/**
		 * Storage directory of a referenced file (`handle`: its first reference's, `uri`: as written),
		 * once per directory (files) or path (file-merging directories).
		 */
		const places = new Map<string, Place>();
		const placeOf = (id: number, handle: ReferenceHandle, uri: string): Place => {
			const local = entries.local[id];
			const state = entries.state[id];
			if (state === EXISTS || state === MISSING || state === UNKNOWN) {
				const directory = handle === 'directory';
				// A file's place is its local directory's (its path is `${local.path}/${name}`).
				if (!directory && local!.place !== null) return local!.place;
				const path = entries.localPath(id);
				const at = directory ? path : local!.path;
				const memoKey = directory ? `d:${at}` : at;
				let place = places.get(memoKey);
				if (place === undefined) {
					const layout = directory ? classifyPath(path) : resolver.layoutOf(at);
					const depPath = layout.storageDir ?? at;
					const kind = layout.storageKind ?? 'other';
					place = {depPath, kind, jobId: layout.jobId, local: inside(depPath), savepointName: kind === 'savepoint' ? baseName(depPath) : null, mapped: true, snap: -1, depSnap: -1, dep: -1};
					places.set(memoKey, place);
				}
				if (!directory) local!.place = place;
				return place;
			}
			const parsed = parseUri(uri);
			if (parsed === null) return {depPath: uri, kind: 'other', jobId: null, local: false, savepointName: null, mapped: false, snap: -1, depSnap: -1, dep: -1};
			const layout = classifyPath(parsed.path);
			const dirPath = layout.storageDir !== null && layout.storageDir !== parsed.path ? layout.storageDir : parentPath(parsed.path);
			return {
				depPath: matchKey(parsed, dirPath) === matchKey(parsed) ? uri : formatRemote(uri, parsed, dirPath),
				kind: layout.storageKind ?? 'other',
				jobId: layout.jobId,
				local: false,
				savepointName: layout.storageKind === 'savepoint' && layout.storageDir !== null ? baseName(layout.storageDir) : null,
				mapped: false,
				snap: -1,
				depSnap: -1,
				dep: -1,
			};
		};

		/**
		 * The resolved files of snapshot `si`, built when first asked for (the report needs them only
		 * with `--files`, the explorer only for the checkpoints opened: a big tree has millions), and
		 * put into the `fileList` of its dependencies (`deps`, in the order of `depOf`).
		 */
		const resolvedFiles = (sf: SettledSnapshotFiles, deps: readonly Dependency[], depOf: Int32Array): ResolvedFile[] => {
			const targets = sf.targets;
			const files: ResolvedFile[] = new Array(targets.length);
			const lists = deps.map((): ResolvedFile[] => []);
			for (let i = 0; i < targets.length; i++) {
				const id = targets[i];
				const first = sf.firsts[i];
				const handle = kept.handleOf(first);
				const uri = kept.pathOf(first);
				const size = sf.sizes[i];
				const needs = neededBytes(handle, size, sf.segmentNeeds?.get(i));
				const references = sf.counts[i];
				const note = sf.notes?.get(i);
				// A resolved file equal in every field to the last one built for the entry is that object
				// (one per physical file in a chain of incremental checkpoints).
				const last = entries.lastFile.get(id);
				let file: ResolvedFile;
				if (last !== undefined && last.uri === uri && last.handle === handle && last.size === size && (last.neededBytes ?? -1) === needs && last.references === references && last.note === note && kept.equals(first, last.reference)) {
					file = last;
				} else {
					const path = entries.path(id);
					const diskSize = entries.diskSize[id];
					file = {
						uri,
						path,
						name: path === null ? undefined : entries.name[id],
						handle,
						size,
						exists: entries.exists(id),
						references,
						reference: kept.reference(first),
						actualSize: path !== null && handle !== 'directory' && diskSize >= 0 ? diskSize : undefined,
						note,
					};
					if (needs >= 0) file.neededBytes = needs;
					if (needs >= 0 && entries.state[id] === EXISTS && handle !== 'directory' && diskSize >= 0 && needs > diskSize) file.damaged = true;
					entries.lastFile.set(id, file);
				}
				files[i] = file;
				lists[depOf[i]].push(file);
			}
			deps.forEach((dep, d) => Object.defineProperty(dep, 'fileList', {value: lists[d], enumerable: true, writable: true, configurable: true}));
			return files;
		};

		// Phase 4: checkpoint analyses.
		const referencedBySets = new Map<string, string[]>();
		const damage = new DamageTracker();
		/** Per job (directory; `null`: snapshots outside job directories): the bytes only its snapshots use. */
		const exclusive = new ExclusiveBytes(entries.count);
		/** Local paths of missing files, by the `path` of the checkpoints that reference them. */
		const missingPathsOf = new Map<string, Set<string>>();
		let done = 0;
		for (let si = 0; si < snaps.length; si++) {
			const s = snaps[si];
			const l = s.loaded;
			const result = l.result;
			const props = result?.metadata.trailer?.properties ?? null;
			const sf = snapFilesOf[si];
			const targets = sf.targets;
			const depOf = new Int32Array(targets.length);
			const depIndex = new Map<string, number>();
			const depsInOrder: Dependency[] = [];
			const missingPaths = new Set<string>();
			let referencedBytes = 0;
			let sharedBytes = 0;
			let missing = 0;
			let outside = 0;
			let unknown = 0;
			let damaged = 0;
			/** Segment files: the bytes their segments need (the others need their size). */
			let segmentNeeds: Map<number, number> | null = null;
			let exclusiveBytes = l.size;
			const job = exclusive.jobIndex(s.jobDir);
			exclusive.addBytes(job, l.size);
			for (let i = 0; i < targets.length; i++) {
				const id = targets[i];
				const handle = kept.handleOf(sf.firsts[i]);
				const uri = kept.pathOf(sf.firsts[i]);
				const directory = handle === 'directory';
				const entryState = state[id];
				// Metadata size, or the size on disk when unknown; directories count 0 bytes.
				const size = sf.sizes[i];
				const bytes = directory ? 0 : size >= 0 ? size : entryState !== OUTSIDE ? Math.max(0, entries.diskSize[id]) : 0;
				if (!directory) referencedBytes += bytes;
				if (isShared(id)) sharedBytes += bytes;
				if (entryState === MISSING) {
					missing++;
					missingPaths.add(entries.localPath(id));
				}
				if (entryState === OUTSIDE) outside++;
				if (entryState === UNKNOWN) unknown++;
				const segments = sf.segments?.get(i);
				if (segments !== undefined) (segmentNeeds ??= new Map()).set(i, segmentEnd(segments));
				if (entryState === EXISTS && !directory) {
					const diskSize = entries.diskSize[id];
					const needs = neededBytes(handle, size, segmentNeeds?.get(i));
					if (diskSize >= 0 && needs > diskSize) {
						damaged++;
						damage.add(id, needs, s.dir);
					}
					if (!isShared(id)) exclusiveBytes += Math.max(0, diskSize);
					exclusive.addUse(id, job);
				}
				const place = placeOf(id, handle, uri);
				// A place is one directory's (most files of a snapshot are in a few): its dependency is
				// looked up by path once per snapshot.
				let d = place.depSnap === si ? place.dep : depIndex.get(place.depPath);
				if (d === undefined) {
					let crossJob = place.jobId !== null && s.jobId !== null && place.jobId !== s.jobId;
					if (place.kind === 'savepoint' && place.jobId === null && place.depPath !== s.dir && place.savepointName !== null) {
						const m = SAVEPOINT_DIR_RE.exec(place.savepointName);
						crossJob = s.jobId === null || m === null || !s.jobId.startsWith(m[1]);
					}
					d = depsInOrder.length;
					depsInOrder.push({path: place.depPath, local: place.local, kind: place.kind, jobId: place.jobId, crossJob, files: 0, bytes: 0, missing: 0, fileList: []});
					depIndex.set(place.depPath, d);
				}
				place.depSnap = si;
				place.dep = d;
				depOf[i] = d;
				const dep = depsInOrder[d];
				if (!directory) {
					dep.files++;
					dep.bytes += bytes;
				}
				if (entryState === MISSING) dep.missing++;
				if (place.mapped && place.snap !== si) {
					// Once per snapshot and place: the storage directory, a file-merging directory's
					// parent and the job directory are referenced by the snapshot.
					place.snap = si;
					pushUnique(referencedBySets, place.depPath, s.dir);
					const layout = resolver.layoutOf(place.depPath);
					if (layout.kind === 'file-merging') pushUnique(referencedBySets, parentPath(place.depPath), s.dir);
					if (layout.jobDir !== null) pushUnique(referencedBySets, layout.jobDir, s.dir);
				}
			}
			snapFilesOf[si] = emptySnapshotFiles();
			// The checkpoint's `files` and its dependencies' `fileList` are built when first read.
			let files: ResolvedFile[] | undefined;
			// Kept until then in typed arrays (a big tree has millions of snapshot × file pairs).
			let unresolved: SettledSnapshotFiles | null = {targets: compact(targets), firsts: compact(sf.firsts), counts: compact(sf.counts), sizes: compact(sf.sizes), segmentNeeds, notes: sf.notes};
			const filesOf = (): ResolvedFile[] => {
				if (files === undefined) {
					files = resolvedFiles(unresolved!, depsInOrder, depOf);
					unresolved = null;
				}
				return files;
			};
			for (const dep of depsInOrder) lazyProperty(dep, 'fileList', () => (filesOf(), dep.fileList));
			pushUnique(referencedBySets, l.metadataPath, s.dir);
			const dependencies = [...depsInOrder].sort((a, b) => {
				const ao = a.path === s.dir ? -1 : KIND_ORDER[a.kind];
				const bo = b.path === s.dir ? -1 : KIND_ORDER[b.kind];
				return ao - bo || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
			});
			const ownIndex = depIndex.get(s.dir);
			const own = ownIndex === undefined ? undefined : depsInOrder[ownIndex];
			let status: CheckpointStatus;
			let error: string | undefined;
			if (!result) {
				status = 'unreadable';
				error = l.error ?? 'could not be read';
				warnings.push({code: 'unreadable-metadata', path: l.metadataPath, message: `unreadable _metadata: ${error}`});
			} else if (result.metadata.legacy !== undefined) {
				status = 'legacy';
				error = result.metadata.legacy;
			} else status = missing > 0 ? 'missing-files' : damaged > 0 ? 'damaged' : unknown > 0 ? 'unknown-files' : 'complete';
			if (status === 'unknown-files') error = `${unknown === 1 ? '1 referenced file lies' : `${unknown} referenced files lie`} below a directory that could not be read: not known to exist`;
			const dirId = s.layout.storageDir === s.dir ? s.layout.checkpointId : null;
			const cp: CheckpointAnalysis = {
				path: s.dir,
				metadataPath: l.metadataPath,
				jobId: s.jobId,
				kind: s.kind,
				checkpointId: result ? toNumber(result.metadata.checkpointId) : dirId,
				formatVersion: result ? result.metadata.version : null,
				status,
				timeMs: l.mtimeMs,
				properties: props,
				files: [],
				dependencies,
				operators: result ? (l.operators ?? summariseOperators(result.metadata, result.references, s.kind === 'savepoint')) : [],
				sizes: {
					referencedBytes,
					ownDirectoryBytes: own?.bytes ?? 0,
					sharedBytes,
					inlineBytes: s.inlineBytes,
					metadataBytes: l.size,
					exclusiveBytes,
				},
				missing,
				damaged,
				outside,
			};
			lazyProperty(cp, 'files', filesOf);
			if (missingPaths.size > 0) missingPathsOf.set(s.dir, missingPaths);
			if (error !== undefined) cp.error = error;
			if (l.approximate !== undefined) cp.approximateReferences = l.approximate;
			s.analysis = cp;
			done++;
			progress?.({phase: 'analyse', done, total: snaps.length, path: l.metadataPath});
		}

		// Missing files, from the entries' users.
		const missingList: MissingFile[] = [];
		for (let id = 0; id < entries.count; id++) {
			if (state[id] === MISSING && entries.usersFrom[id] >= 0) missingList.push({path: entries.localPath(id), uri: entries.uri[id], referencedBy: snapshotDirs(id).sort()});
		}
		otherEntries.clear();
		missingList.sort((a, b) => (a.path < b.path ? -1 : 1));
		const damagedList = damage.list((id) => ({path: entries.localPath(id), uri: entries.uri[id], actualBytes: entries.diskSize[id]}));
		exclusive.addFiles(entries.diskSize);
		/** Local paths of damaged files, by the `path` of the checkpoints that need them. */
		const damagedPathsOf = new Map<string, string[]>();
		for (const file of damagedList) for (const dir of file.referencedBy) pushUnique(damagedPathsOf, dir, file.path);
		lastLocal = null;

		// Phase 5: directory aggregates over the scan. Files that a reference fcx could not map may
		// name count as referenced (held), and their directories get no unreferenced-file orphans.
		const held = unsure.holdDirectories(scan.files, referencedFiles);
		warnings.push(...heldWarnings(held));
		const agg = new Map<string, DirAgg>();
		const getAgg = (dir: string): DirAgg => {
			let a = agg.get(dir);
			if (a === undefined) agg.set(dir, (a = {files: 0, bytes: 0, newestMs: 0, referenced: 0}));
			return a;
		};
		const rootSet = new Set(scan.roots);
		let bytesOnDisk = 0;
		// Directory by directory: the sums of its files go to it and each scanned ancestor.
		for (const dir of scan.files.directories()) {
			const metadataLoaded = loadedMap.has(`${dir}/${METADATA_FILE}`) && scan.files.hasFile(dir, METADATA_FILE);
			let files = 0;
			let bytes = 0;
			let newestMs = 0;
			let referenced = 0;
			scan.files.forEachFile(dir, (name, id) => {
				files++;
				bytes += scan.files.sizeOf(id);
				const mtimeMs = scan.files.mtimeOf(id);
				if (mtimeMs > newestMs) newestMs = mtimeMs;
				if (referencedFiles[id] !== 0 || (metadataLoaded && name === METADATA_FILE)) referenced++;
			});
			bytesOnDisk += bytes;
			let cur = dir;
			while (scan.directories.has(cur)) {
				const a = getAgg(cur);
				a.files += files;
				a.bytes += bytes;
				if (newestMs > a.newestMs) a.newestMs = newestMs;
				a.referenced += referenced;
				if (rootSet.has(cur)) break;
				cur = parentPath(cur);
			}
		}
		for (const [dir, d] of scan.directories) {
			let cur = dir;
			while (scan.directories.has(cur)) {
				const a = getAgg(cur);
				if (d.mtimeMs > a.newestMs) a.newestMs = d.mtimeMs;
				if (referencedDirs.has(dir)) a.referenced++;
				if (rootSet.has(cur)) break;
				cur = parentPath(cur);
			}
		}
		// A directory that could not be listed may hold anything: it and every directory above it
		// count as referenced (never an orphan, nor a dead job).
		for (const dir of unlistedPaths) {
			for (let cur = dir; scan.directories.has(cur); cur = parentPath(cur)) {
				getAgg(cur).referenced++;
				if (rootSet.has(cur)) break;
			}
		}
		const emptyAgg: DirAgg = {files: 0, bytes: 0, newestMs: 0, referenced: 0};
		const aggOf = (dir: string): DirAgg => agg.get(dir) ?? emptyAgg;

		// Snapshot facts per directory / job.
		const snapByDir = new Map<string, Snap>();
		for (const s of snaps) snapByDir.set(s.dir, s);
		/** Group key for "newest complete checkpoint": job dir, or the parent of chk dirs without one. */
		const groupOf = (layout: PathLayout, dir: string): string => layout.jobDir ?? parentPath(dir);
		const newestComplete = new Map<string, number>();
		const unknownRefsJobs = new Set<string>(); // job dirs with unreadable / legacy metadata
		for (const s of snaps) {
			const cp = s.analysis!;
			if (s.layout.kind === 'chk' && isCompletedByFlink(cp) && cp.checkpointId !== null) {
				const g = groupOf(s.layout, s.dir);
				newestComplete.set(g, Math.max(newestComplete.get(g) ?? -1, cp.checkpointId));
			}
			if ((cp.status === 'unreadable' || cp.status === 'legacy') && s.jobDir !== null) unknownRefsJobs.add(s.jobDir);
		}
		for (const j of unknownRefsJobs) {
			warnings.push({code: 'job-orphans-withheld', path: j, message: 'a _metadata in this job could not be read completely; unreferenced files of this job are not reported as orphans'});
		}
		// A directory that could not be listed and may hold a `_metadata` (a chk-<n>, job or other
		// directory; not one inside shared/, taskowned/, dstl/ or a savepoint): what that snapshot
		// references is unknown, in its job, or anywhere when it is not in a job directory.
		let unknownEverywhere = false;
		for (const dir of unlistedPaths) {
			const layout = scan.directories.get(dir)?.layout ?? classifyPath(dir);
			if (layout.storageKind !== null && layout.kind !== 'chk') continue;
			if (layout.jobDir === null) unknownEverywhere = true;
			else if (!unknownRefsJobs.has(layout.jobDir)) {
				unknownRefsJobs.add(layout.jobDir);
				warnings.push({code: 'job-orphans-withheld', path: layout.jobDir, message: `${dir} could not be read and may hold a _metadata; unreferenced files of this job are not reported as orphans`});
			}
		}
		if (unknownEverywhere) {
			for (const root of scan.roots) warnings.push({code: 'job-orphans-withheld', path: root, message: 'a directory outside job directories could not be read and may hold a _metadata of any job; no unreferenced files and no dead jobs are reported as orphans'});
		}

		// Phase 6: orphans.
		const orphans: Orphan[] = [];
		const deadJobs = new Set<string>();
		const incompleteAnalyses: CheckpointAnalysis[] = [];
		const ageText = formatDuration(minAgeMs);
		const sortedDirs = [...scan.directories.keys()].sort();
		// The directories a loaded `_metadata` lies below (asking each job directory about every
		// snapshot was jobs × snapshots comparisons: 400,000 for the 1M-file bench tree, 40 million
		// for ten times its jobs).
		const aboveMetadata = directoriesAbove(snaps.map((s) => s.loaded.metadataPath));
		for (const dir of sortedDirs) {
			const d = scan.directories.get(dir)!;
			if (d.layout.kind !== 'job') continue;
			const hasMetadata = aboveMetadata.has(dir);
			const a = aggOf(dir);
			if (hasMetadata || a.referenced > 0 || unknownEverywhere) continue;
			deadJobs.add(dir);
			const young = a.newestMs >= youngSince;
			orphans.push({
				path: dir,
				type: 'directory',
				reason: 'dead-job',
				description: young
					? `job directory without a complete checkpoint, changed within ${ageText}: possibly a job that is starting`
					: 'job directory without a complete checkpoint; nothing in it is referenced',
				bytes: a.bytes,
				files: a.files,
				jobId: d.layout.jobId,
				timeMs: a.newestMs,
				possiblyInProgress: young,
			});
		}
		const inDeadJob = (layout: PathLayout): boolean => layout.jobDir !== null && deadJobs.has(layout.jobDir);

		// Snapshot directories without _metadata.
		const wholeOrphanDirs = new Set<string>();
		for (const dir of sortedDirs) {
			const d = scan.directories.get(dir)!;
			if (d.layout.kind !== 'chk' && d.layout.kind !== 'savepoint') continue;
			if (snapByDir.has(dir) || scan.files.hasFile(dir, METADATA_FILE)) continue;
			const a = aggOf(dir);
			if (d.layout.kind === 'chk' && unlistedSet.has(dir)) {
				// Not listed: its _metadata is unknown, not absent.
				incompleteAnalyses.push({...unlistedCheckpoint(dir, d.layout), timeMs: Math.max(a.newestMs, d.mtimeMs)});
				continue;
			}
			const newest = Math.max(a.newestMs, d.mtimeMs);
			const young = newest >= youngSince;
			const snapshotDirOrphan = (reason: OrphanReason, description: string, possiblyInProgress: boolean): void => {
				wholeOrphanDirs.add(dir);
				orphans.push({path: dir, type: 'directory', reason, description, bytes: a.bytes, files: a.files, jobId: d.layout.jobId, timeMs: newest, possiblyInProgress});
			};
			if (d.layout.kind === 'chk') {
				const n = d.layout.checkpointId ?? 0;
				const inProgress = young && n > (newestComplete.get(groupOf(d.layout, dir)) ?? -1);
				incompleteAnalyses.push({
					path: dir,
					metadataPath: null,
					jobId: d.layout.jobId,
					kind: 'checkpoint',
					checkpointId: n,
					formatVersion: null,
					status: inProgress ? 'in-progress' : 'incomplete',
					timeMs: newest,
					properties: null,
					files: [],
					dependencies: [],
					operators: [],
					sizes: {referencedBytes: 0, ownDirectoryBytes: 0, sharedBytes: 0, inlineBytes: 0, metadataBytes: 0, exclusiveBytes: 0},
					missing: 0,
					damaged: 0,
					outside: 0,
				});
				if (inDeadJob(d.layout) || a.referenced > 0) continue; // some files are used: only the unreferenced ones are reported
				snapshotDirOrphan(
					'incomplete-checkpoint',
					inProgress
						? `chk-${n} has no _metadata yet; newer than the newest complete checkpoint and changed within ${ageText}: possibly in progress`
						: `chk-${n} has no _metadata: aborted or failed checkpoint`,
					inProgress,
				);
			} else {
				if (inDeadJob(d.layout) || a.referenced > 0) continue; // some files are used: only the unreferenced ones are reported
				snapshotDirOrphan(
					'unreferenced-directory',
					young ? `savepoint directory without _metadata, changed within ${ageText}: possibly in progress` : 'savepoint directory without _metadata: failed or aborted savepoint',
					young,
				);
			}
		}

		// Unreferenced files in storage directories.
		const unknownSnapDirs = new Set(snaps.filter((s) => s.analysis!.status === 'unreadable' || s.analysis!.status === 'legacy').map((s) => s.dir));
		/** Directories an orphan may be rolled up to (below the storage roots chk / shared / taskowned / dstl / savepoint). */
		const rollable = (dir: string): boolean => {
			const d = scan.directories.get(dir);
			if (d === undefined) return false;
			const k = d.layout.kind;
			if (k === 'job' || k === 'chk' || k === 'shared' || k === 'taskowned' || k === 'changelog' || k === 'savepoint') return false;
			return d.layout.storageKind !== null && !rootSet.has(dir);
		};
		const candidates: {path: string; size: number; mtimeMs: number; layout: PathLayout}[] = [];
		const candidateCount = new Map<string, number>();
		for (const dir of scan.files.directories()) {
			const d = scan.directories.get(dir);
			if (d === undefined || d.layout.storageKind === null || d.layout.storageDir === null || unknownEverywhere) continue;
			const layout = d.layout;
			if (inDeadJob(layout)) continue;
			const storage = layout.storageDir!;
			if (wholeOrphanDirs.has(storage)) continue;
			if (unknownSnapDirs.has(storage)) continue;
			if (layout.jobDir !== null && unknownRefsJobs.has(layout.jobDir) && layout.storageKind !== 'chk') continue;
			if (held.has(dir)) continue;
			let count = 0;
			scan.files.forEachFile(dir, (name, id) => {
				if (referencedFiles[id] !== 0 || name === METADATA_FILE) return;
				const size = scan.files.sizeOf(id);
				const mtimeMs = scan.files.mtimeOf(id);
				// Flat (`join` writes one sequential string; a template would make a concatenation):
				// sorting the orphans below and the explorer's 100,000-row lists compare them character
				// by character, and a concatenation is copied flat on its first such comparison.
				const file = [dir, name].join('/');
				if (INPROGRESS_METADATA_RE.test(name)) {
					const young = mtimeMs >= youngSince;
					orphans.push({
						path: file,
						type: 'file',
						reason: 'stale-inprogress-metadata',
						description: young
							? `metadata temp file changed within ${ageText}: checkpoint possibly being finalized`
							: 'stale metadata temp file: the JobManager crashed while finalizing a checkpoint',
						bytes: size,
						files: 1,
						jobId: layout.jobId,
						timeMs: mtimeMs,
						possiblyInProgress: young,
					});
					return;
				}
				candidates.push({path: file, size, mtimeMs, layout});
				count++;
			});
			let cur = dir;
			while (count > 0 && rollable(cur)) {
				candidateCount.set(cur, (candidateCount.get(cur) ?? 0) + count);
				cur = parentPath(cur);
			}
		}
		const reportedDirs = new Set<string>();
		for (const c of candidates) {
			// Highest rollable ancestor whose whole content is orphaned.
			let top: string | null = null;
			let cur = parentPath(c.path);
			while (rollable(cur)) {
				const a = aggOf(cur);
				if ((candidateCount.get(cur) ?? 0) === a.files && a.referenced === 0 && !referencedDirs.has(cur)) top = cur;
				else break;
				cur = parentPath(cur);
			}
			if (top !== null) {
				if (reportedDirs.has(top)) continue;
				reportedDirs.add(top);
				const a = aggOf(top);
				const young = a.newestMs >= youngSince;
				const dl = scan.directories.get(top)!.layout;
				orphans.push({
					path: top,
					type: 'directory',
					reason: 'unreferenced-directory',
					description: `${dl.kind === 'file-merging' ? 'file-merging directory' : 'directory'} whose files no loaded checkpoint or savepoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
					bytes: a.bytes,
					files: a.files,
					jobId: dl.jobId,
					timeMs: a.newestMs,
					possiblyInProgress: young,
				});
				continue;
			}
			const young = c.mtimeMs >= youngSince;
			const where = c.layout.storageKind === 'chk' ? baseName(c.layout.storageDir!) : c.layout.storageKind === 'savepoint' ? 'savepoint directory' : `${c.layout.storageKind}/`;
			orphans.push({
				path: c.path,
				type: 'file',
				reason: 'unreferenced-file',
				description: `file in ${where} that no loaded checkpoint or savepoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
				bytes: c.size,
				files: 1,
				jobId: c.layout.jobId,
				timeMs: c.mtimeMs,
				possiblyInProgress: young,
			});
		}
		// Empty, unreferenced file-merging directories of live jobs.
		for (const dir of sortedDirs) {
			const d = scan.directories.get(dir)!;
			if (d.layout.kind !== 'file-merging' || inDeadJob(d.layout) || referencedDirs.has(dir) || reportedDirs.has(dir) || unknownEverywhere) continue;
			if (d.layout.jobDir !== null && unknownRefsJobs.has(d.layout.jobDir)) continue;
			const a = aggOf(dir);
			if (a.files > 0 || a.referenced > 0) continue;
			const young = Math.max(a.newestMs, d.mtimeMs) >= youngSince;
			orphans.push({
				path: dir,
				type: 'directory',
				reason: 'unreferenced-directory',
				description: `empty file-merging directory that no loaded checkpoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
				bytes: 0,
				files: 0,
				jobId: d.layout.jobId,
				timeMs: Math.max(a.newestMs, d.mtimeMs),
				possiblyInProgress: young,
			});
		}
		orphans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));

		// Phase 7: jobs.
		const allCheckpoints: CheckpointAnalysis[] = [...snaps.map((s) => s.analysis!), ...incompleteAnalyses];
		const jobDirSet = new Set<string>();
		for (const dir of sortedDirs) if (scan.directories.get(dir)!.layout.kind === 'job') jobDirSet.add(dir);
		for (const cp of allCheckpoints) {
			const l = classifyPath(cp.path);
			if (l.jobDir !== null) jobDirSet.add(l.jobDir);
		}
		const sortCheckpoints = (list: CheckpointAnalysis[]): CheckpointAnalysis[] =>
			list.sort((a, b) => (b.checkpointId ?? -1) - (a.checkpointId ?? -1) || b.timeMs - a.timeMs || (a.path < b.path ? -1 : 1));
		const summarise = (jobId: string | null, path: string, label: string, cps: CheckpointAnalysis[], bytes: number, orphanList: Orphan[], fallbackTime: number): JobSummary => {
			const counted = orphanList.filter((o) => !o.possiblyInProgress);
			const missingSet = new Set<string>();
			const damagedSet = new Set<string>();
			const refJobs = new Set<string>();
			let latest: number | null = null;
			let timeMs = 0;
			for (const cp of cps) {
				for (const path of missingPathsOf.get(cp.path) ?? []) missingSet.add(path);
				for (const path of damagedPathsOf.get(cp.path) ?? []) damagedSet.add(path);
				for (const dep of cp.dependencies) if (dep.crossJob && dep.jobId !== null && dep.jobId !== jobId) refJobs.add(dep.jobId);
				if (cp.kind === 'checkpoint' && isCompletedByFlink(cp) && cp.checkpointId !== null) {
					latest = latest === null ? cp.checkpointId : Math.max(latest, cp.checkpointId);
				}
				if (cp.metadataPath !== null) timeMs = Math.max(timeMs, cp.timeMs);
			}
			return {
				jobId,
				path,
				label,
				checkpoints: sortCheckpoints(cps),
				latestCheckpointId: latest,
				bytesOnDisk: bytes,
				orphanBytes: counted.reduce((n, o) => n + o.bytes, 0),
				orphans: counted.length,
				missing: missingSet.size,
				damaged: damagedSet.size,
				exclusiveBytes: exclusive.of(jobId === null ? null : path),
				referencesJobs: [...refJobs].sort(),
				timeMs: timeMs || fallbackTime,
			};
		};
		const cpsByJob = groupByJobDir(allCheckpoints);
		const orphansByJob = groupByJobDir(orphans);
		const jobs: JobSummary[] = [];
		for (const jobDir of [...jobDirSet].sort()) {
			const cps = cpsByJob.get(jobDir) ?? [];
			let bytes = 0;
			if (scan.directories.has(jobDir)) bytes = aggOf(jobDir).bytes;
			else for (const r of scan.roots) if (isInside(r, jobDir)) bytes += aggOf(r).bytes;
			const jobOrphans = orphansByJob.get(jobDir) ?? [];
			jobs.push(summarise(baseName(jobDir), jobDir, baseName(jobDir), cps, bytes, jobOrphans, aggOf(jobDir).newestMs));
		}
		const loose = cpsByJob.get(null) ?? [];
		const looseOrphans = orphansByJob.get(null) ?? [];
		if (loose.length > 0 || looseOrphans.length > 0) {
			const dirs = [...new Set([...loose.map((cp) => cp.path), ...looseOrphans.map((o) => (o.type === 'file' ? parentPath(o.path) : o.path))])];
			let bytes = 0;
			for (const dir of dirs) {
				if (scan.directories.has(dir)) bytes += aggOf(dir).bytes;
				else {
					const cp = loose.find((c) => c.path === dir);
					bytes += cp?.sizes.metadataBytes ?? 0;
				}
			}
			const label = loose.every((cp) => cp.kind === 'savepoint') ? 'savepoints' : 'snapshots outside job directories';
			const newest = Math.max(0, ...looseOrphans.map((o) => o.timeMs));
			jobs.push(summarise(null, commonParent(dirs), label, loose, bytes, looseOrphans, newest));
		}
		// A changelog-only job directory (`<dstl base>/<jobId>/dstl/`) is folded into the job directory
		// of the same id that holds checkpoints: its bytes and orphans count there.
		for (let i = jobs.length - 1; i >= 0; i--) {
			const s = jobs[i];
			if (s.jobId === null || s.checkpoints.length > 0 || !scan.directories.has(`${s.path}/dstl`)) continue;
			const target = jobs.find((t) => t !== s && t.jobId === s.jobId && t.checkpoints.length > 0);
			if (target === undefined) continue;
			target.bytesOnDisk += s.bytesOnDisk;
			target.orphans += s.orphans;
			target.orphanBytes += s.orphanBytes;
			jobs.splice(i, 1);
		}
		jobs.sort((a, b) => {
			if ((a.jobId === null) !== (b.jobId === null)) return a.jobId === null ? 1 : -1;
			return b.timeMs - a.timeMs || (a.path < b.path ? -1 : 1);
		});

		const counted = orphans.filter((o) => !o.possiblyInProgress);
		const roots = [...scan.roots];
		// Looked up lazily: a map with an entry per referenced file is a lot of memory and time.
		const sortedUsers = new Map<string, readonly string[]>();
		const referencedBy: ReferencedBy = {
			get(path: string): readonly string[] | undefined {
				let list = sortedUsers.get(path);
				if (list !== undefined) return list;
				const ofPlace = referencedBySets.get(path);
				const slash = path.lastIndexOf('/');
				const local = slash < 0 ? undefined : localDirs.get(slash === 0 ? '/' : path.slice(0, slash));
				const id = local === undefined ? undefined : entryAt(local, path.slice(slash + 1));
				const ofFile = id === undefined || entries.state[id] === OUTSIDE || entries.usersFrom[id] < 0 ? undefined : snapshotDirs(id);
				if (ofPlace === undefined && ofFile === undefined) return undefined;
				list = ofFile === undefined ? [...ofPlace!].sort() : ofPlace === undefined ? [...ofFile].sort() : [...new Set([...ofPlace, ...ofFile])].sort();
				sortedUsers.set(path, list);
				return list;
			},
		};
		for (const s of snaps) if (!inside(s.loaded.metadataPath)) roots.push(s.loaded.metadataPath);

		return {
			roots,
			mappings: resolver.mappings().map(({remote, local, inferred}) => ({remote, local, inferred})),
			jobs,
			checkpoints: jobs.flatMap((j) => j.checkpoints),
			orphans,
			missing: missingList,
			damaged: damagedList,
			warnings,
			totals: {
				files: scan.files.size,
				bytesOnDisk,
				orphans: counted.length,
				orphanBytes: counted.reduce((n, o) => n + o.bytes, 0),
				missing: missingList.length,
				damaged: damagedList.length,
				checkpoints: snaps.filter((s) => s.kind === 'checkpoint').length,
				savepoints: snaps.filter((s) => s.kind === 'savepoint').length,
			},
			referencedBy,
			scannedFiles: scan.files,
			minAgeMs,
			analysedAtMs: nowMs,
		};
	};

	const reserve = (files: number): void => {
		spellings.reserve(files);
		kept.reserve(files);
	};
	return [add, finish, reserve];
}

/** The analysis of a `chk-<n>` directory that could not be listed: `unreadable`, nothing known of it. */
function unlistedCheckpoint(dir: string, layout: PathLayout): CheckpointAnalysis {
	return {
		path: dir,
		metadataPath: null,
		jobId: layout.jobId,
		kind: 'checkpoint',
		checkpointId: layout.checkpointId,
		formatVersion: null,
		status: 'unreadable',
		error: 'the directory could not be read (see the warnings): whether it holds a _metadata is unknown',
		timeMs: 0,
		properties: null,
		files: [],
		dependencies: [],
		operators: [],
		sizes: {referencedBytes: 0, ownDirectoryBytes: 0, sharedBytes: 0, inlineBytes: 0, metadataBytes: 0, exclusiveBytes: 0},
		missing: 0,
		damaged: 0,
		outside: 0,
	};
}

/** Format a remote directory in the style the reference was written in (`hdfs://nn/x`, `hdfs:/x`). */
function formatRemote(written: string, parsed: NonNullable<ReturnType<typeof parseUri>>, dirPath: string): string {
	if (parsed.scheme === null) return dirPath;
	const schemeEnd = written.indexOf(':') + 1;
	if (parsed.slashes) return `${written.slice(0, schemeEnd)}//${parsed.authority ?? ''}${dirPath}`;
	return `${written.slice(0, schemeEnd)}${dirPath}`;
}

