/**
 * The build context: the state the phases of the analysis build share (see `../build.ts` for the
 * phases and their order). It is made once per build by the {@link AnalysisBuilder}'s constructor;
 * the phases read it and fill in what the next ones need. It also owns the file entries (one per
 * physical file that references resolve to) and how they are found: by local directory and name,
 * by scan file id, or by the match key of a reference outside the tree.
 */
import {withCapacity} from '../../tree/columns.js';
import {classifyPath, parentPath, type PathLayout} from '../../tree/layout.js';
import type {ScanResult} from '../../tree/scan.js';
import {FileEntries, NOT_SCANNED} from '../entries.js';
import {KeptReferences} from '../kept-references.js';
import {Prober} from '../probe.js';
import {explicitMappings} from '../resolution.js';
import {Resolver} from '../resolve.js';
import type {AnalyseOptions, CheckpointAnalysis, StorageDirectoryKind, Warning} from '../types.js';
import {flatString} from './helpers.js';
import type {LoadedSnapshot} from './snapshot.js';
import {emptySnapshotFiles, Spellings, type SnapshotFiles, type WrittenDir} from './snapshot-files.js';

/** Default `--min-age`: one hour, ms. */
export const DEFAULT_MIN_AGE_MS = 3_600_000;

/**
 * A local directory that referenced files map to, with those files' entries by name (a big tree
 * has a million referenced files in a few thousand directories: small maps hash fast).
 */
export interface LocalDir {
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

/**
 * The entries outside the tree of one directory key, by name (see `BuildContext.otherEntryIn`):
 * in `names`, or while one owner adds names it never repeats, in the parallel lists `pendingNames`
 * and `pendingIds` (never in both).
 */
interface OtherDir {
	names: Map<string, number>;
	pendingNames: string[];
	pendingIds: number[];
	/** Who added the names of the lists (`null`: nobody). */
	pendingOwner: object | null;
}

/** Move the listed names of `dir` into its map. */
function flushPending(dir: OtherDir): void {
	const {names, pendingNames, pendingIds} = dir;
	for (let i = 0; i < pendingNames.length; i++) names.set(pendingNames[i], pendingIds[i]);
	dir.pendingNames = [];
	dir.pendingIds = [];
	dir.pendingOwner = null;
}

/** The scanned files of a directory without any. */
const NO_FILES: ReadonlyMap<string, number> = new Map();

/** The storage directory of the files of one local directory (or of one unmapped file). */
export interface Place {
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

/** One snapshot of the build (one `_metadata` path given to the builder), by its index in path order. */
export interface Snap {
	/** As added; until then a placeholder that counts as unreadable ('not loaded'). */
	loaded: LoadedSnapshot;
	/** The snapshot directory (of `_metadata`). */
	dir: string;
	layout: PathLayout;
	jobId: string | null;
	jobDir: string | null;
	kind: 'checkpoint' | 'savepoint';
	/** Bytes of its inline references. */
	inlineBytes: number;
	/** Set by the checkpoints phase. */
	analysis?: CheckpointAnalysis;
}

/**
 * The state the build phases share. Fields are grouped by the phase that fills them; a phase may
 * read what an earlier one filled. Lookups of entries are methods here (every phase needs them).
 */
export class BuildContext {
	readonly scan: ScanResult;
	readonly nowMs: number;
	readonly minAgeMs: number;
	/** Files and directories changed since (ms) are possibly in progress (`--min-age`). */
	readonly youngSince: number;
	/** The scan's warnings and the analysis's (the scan may still be running until `finish`). */
	readonly warnings: Warning[] = [];
	readonly progress: AnalyseOptions['onProgress'];

	/** The snapshots, in path order; `loadedMap` by metadata path (`undefined` until added), `indexOf` their indices. */
	readonly snaps: Snap[];
	readonly loadedMap: Map<string, LoadedSnapshot | undefined>;
	readonly indexOf: Map<string, number>;
	/** Snapshot indices in natural order: by parent directory, then `chk-<n>` by `n`, then by name. */
	readonly naturalOrder: number[];
	/** Position of each snapshot in {@link naturalOrder}. */
	readonly naturalRank: Int32Array;

	readonly resolver: Resolver;
	readonly prober: Prober;
	/** Whether a root is a store URI (`s3://…`): then a path may not start with `/`. */
	readonly remoteRoots: boolean;
	/** The first references of each snapshot's files, kept for display. */
	readonly kept = new KeptReferences();

	/** Entries of local paths, by directory; entries of unmapped paths by key (see {@link otherEntryIn}). */
	readonly localDirs = new Map<string, LocalDir>();
	private readonly otherEntries = new Map<string, OtherDir>();
	/** The key and names of the last directory of {@link otherEntryIn} (references come directory by directory). */
	private lastOtherKey: string | null = null;
	private lastOther: OtherDir | undefined;
	/**
	 * Per entry id: for an entry made for a plain file name of a written directory outside the tree
	 * (see {@link noteOutsideDir}), that directory's index in {@link outsideDirs}, + 1; 0: none.
	 */
	outsideDirOf = new Int32Array(0);
	/** The written directories of {@link outsideDirOf}. */
	readonly outsideDirs: string[] = [];
	readonly entries = new FileEntries<LocalDir>();
	/** The last directory of {@link localDirOf} (references come directory by directory). */
	lastLocal: LocalDir | null = null;
	/**
	 * Entries whose written path maps to several local copies (two copies of one job in one scan):
	 * which copy a snapshot's file is in is unknown, so a snapshot that needs one is not complete.
	 */
	readonly ambiguousEntries = new Set<number>();
	/** Entry id by scan file id (-1: none); made when every snapshot is added and the scan is complete. */
	entryOfFile: Int32Array | null = null;

	// Accumulation (phase 1, while loading).
	readonly writtenDirs = new Map<string, WrittenDir>();
	spellings = new Spellings();
	lastWritten: WrittenDir | null = null;
	/** Per snapshot: its files (spellings until settled, then entries). */
	readonly snapFilesOf: SnapshotFiles[];
	/** The last snapshot with references added (-1: none yet), and its files' paths as written there. */
	lastAccumulated = -1;
	lastPaths: string[] = [];
	/** The next snapshot to accumulate (snapshots are accumulated in path order). */
	nextToAccumulate = 0;

	/** See {@link ListedAsWritten}; `undefined` without entropy roots. */
	readonly listedAsWritten: ListedAsWritten | undefined;

	constructor(scan: ScanResult, metadataPaths: readonly string[], options: AnalyseOptions, listedAsWritten?: ListedAsWritten) {
		this.listedAsWritten = listedAsWritten;
		this.scan = scan;
		this.nowMs = options.nowMs ?? Date.now();
		this.minAgeMs = options.minAgeMs ?? DEFAULT_MIN_AGE_MS;
		this.youngSince = this.nowMs - this.minAgeMs;
		this.progress = options.onProgress;
		const paths = [...new Set(metadataPaths)].sort();
		this.loadedMap = new Map<string, LoadedSnapshot | undefined>(paths.map((p) => [p, undefined]));
		this.indexOf = new Map<string, number>(paths.map((p, i) => [p, i]));
		this.snaps = paths.map((metadataPath) => {
			const dir = parentPath(metadataPath);
			const layout = classifyPath(dir);
			return {
				loaded: {metadataPath, error: 'not loaded', mtimeMs: 0, size: 0},
				dir,
				layout,
				jobId: layout.jobId,
				jobDir: layout.jobDir,
				kind: layout.kind === 'savepoint' ? 'savepoint' : 'checkpoint',
				inlineBytes: 0,
			};
		});
		this.resolver = new Resolver(
			scan,
			explicitMappings(options.mappings ?? []),
			this.snaps.map((s) => s.dir),
		);
		this.remoteRoots = scan.roots.some((root) => root.charCodeAt(0) !== 47);
		this.prober = new Prober(scan, this.inside, options.scan?.parallelStatMinFiles);
		this.snapFilesOf = this.snaps.map(() => emptySnapshotFiles());
		[this.naturalOrder, this.naturalRank] = naturalOrderOf(this.snaps);
	}

	/** Whether `p` lies inside a scanned root. */
	readonly inside = (p: string): boolean => this.resolver.insideRoots(p);

	/** The local directory `dir`, made when new. */
	localDirOf(dir: string): LocalDir {
		const last = this.lastLocal;
		if (last !== null && last.path === dir) return last;
		let local = this.localDirs.get(dir);
		if (local === undefined) {
			local = {path: flatString(dir), prefix: flatString(`${dir}/`), entries: new Map(), checked: false, inside: false, files: undefined, place: null};
			this.localDirs.set(local.path, local);
		}
		this.lastLocal = local;
		return local;
	}

	/** `local` with `inside` set. */
	checkLocal(local: LocalDir): LocalDir {
		if (!local.checked) {
			local.checked = true;
			local.inside = this.inside(local.path);
		}
		return local;
	}

	/**
	 * The scan file id of the file `name` of `local`, if scanned. Makes the map of the directory's
	 * names (see `FileTable.listed`): the resolution of written paths matches most names without it.
	 */
	scannedId(local: LocalDir, name: string): number | undefined {
		if (!this.checkLocal(local).inside) return undefined;
		local.files ??= this.scan.files.directory(local.path) ?? NO_FILES;
		return local.files.get(name);
	}

	/**
	 * The entry id of `key` (a local path when it starts with `/`), made when new (`uri` copied when
	 * `copyUri`: a slice of a file's text; `knownFileId` as for `entryIn`).
	 */
	entryFor(key: string, uri: string, anchor: string | null, copyUri = false, knownFileId?: number): number {
		// A path: local (`/…`), or a store URI inside a remote root (`s3://b/root/…`); other keys
		// are references outside the tree (`?…`, or an unmapped URI's match key).
		if (key.charCodeAt(0) === 47 || (this.remoteRoots && this.inside(key))) {
			const slash = key.lastIndexOf('/');
			return this.entryIn(this.localDirOf(slash === 0 ? '/' : key.slice(0, slash)), key.slice(slash + 1), uri, anchor, true, copyUri, knownFileId);
		}
		const slash = key.lastIndexOf('/');
		return this.otherEntryIn(slash < 0 ? '' : key.slice(0, slash), key.slice(slash + 1), uri, anchor, copyUri);
	}

	/**
	 * The entry id of a reference outside the tree whose key (see {@link entryFor}; not inside a
	 * remote root) is `dirKey/name`, split at its last `/`, made when new. By directory, then name:
	 * the names of a written directory are hashed already, 100,000 long keys of one would not be.
	 */
	otherEntryIn(dirKey: string, name: string, uri: string, anchor: string | null, copyUri = false): number {
		const dir = this.otherDir(dirKey);
		if (dir.pendingNames.length > 0) flushPending(dir);
		let id = dir.names.get(name);
		if (id === undefined) {
			id = this.entries.add(null, '', copyUri ? flatString(uri) : uri, anchor);
			dir.names.set(name, id);
		}
		return id;
	}

	/**
	 * {@link otherEntryIn} for a caller that never passes one `name` twice with one `owner` (the
	 * plain names of one written directory, its keys): while only that owner adds names to
	 * `dirKey`, they are kept in a list, not hashed into a map of the directory's names (a big
	 * `_metadata` names 100,000 files of one directory outside the tree: 80 ms of map work).
	 */
	otherEntryOfUniqueName(dirKey: string, name: string, uri: string, anchor: string | null, owner: object): number {
		const dir = this.otherDir(dirKey);
		if (dir.pendingNames.length > 0 && dir.pendingOwner !== owner) flushPending(dir);
		// Names made by `otherEntryIn` are in the map (the list holds none of them).
		let id = dir.names.size === 0 ? undefined : dir.names.get(name);
		if (id === undefined) {
			id = this.entries.add(null, '', uri, anchor);
			dir.pendingOwner = owner;
			dir.pendingNames.push(name);
			dir.pendingIds.push(id);
		}
		return id;
	}

	/** The names of entries outside the tree below `dirKey` (see {@link otherEntryIn}), made when new. */
	private otherDir(dirKey: string): OtherDir {
		let dir = this.lastOtherKey === dirKey ? this.lastOther : this.otherEntries.get(dirKey);
		if (dir === undefined) {
			dir = {names: new Map(), pendingNames: [], pendingIds: [], pendingOwner: null};
			this.otherEntries.set(dirKey, dir);
		}
		this.lastOtherKey = dirKey;
		this.lastOther = dir;
		return dir;
	}

	/**
	 * The entry id of the file `name` of `local`, made when new (`name` and `uri` copied when they
	 * may be slices of other strings). Its path, `local.prefix + name`, is made of the two when
	 * needed (a million 100-character paths flat would cost 100 MB).
	 */
	entryIn(local: LocalDir, name: string, uri: string, anchor: string | null, copyName = false, copyUri = false, knownFileId?: number): number {
		const entries = this.entries;
		// Most directories' entries are all scanned files, found below, and this map is empty: a
		// million lookups fewer on the 1M-file bench tree.
		let id = local.entries.size === 0 ? undefined : local.entries.get(name);
		if (id !== undefined) return id;
		// A scanned file: found by its scan file id (no map of a million names). `knownFileId`: its
		// scan file id, or NOT_SCANNED, when the caller already knows.
		const entryOfFile = this.entryOfFile;
		const fileId = entryOfFile === null ? undefined : knownFileId === undefined ? this.scannedId(local, name) : knownFileId >= 0 ? knownFileId : undefined;
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
	}

	/**
	 * Note that entry `id`, just made for the written path `dir + '/' + name` of a plain file `name`
	 * outside the tree whose directory `dir` has no `?` or `#` and does not end in `:/` (see
	 * `outsideDirKey`), has its place by `dir`: `Places` then needs neither the entry's path (a
	 * concatenation that reading would flatten: 100,000 copies of 130 characters for a big
	 * `_metadata`) nor to split it.
	 */
	noteOutsideDir(id: number, dir: string): void {
		const dirs = this.outsideDirs;
		if (dirs.length === 0 || dirs[dirs.length - 1] !== dir) dirs.push(dir);
		if (id >= this.outsideDirOf.length) this.outsideDirOf = withCapacity(this.outsideDirOf, Math.max(1024, this.entries.count * 2));
		this.outsideDirOf[id] = dirs.length;
	}

	/** Forget the entries outside the tree by key (their ids stay): no entry is made after phase 4. */
	clearOtherEntries(): void {
		this.otherEntries.clear();
		this.lastOtherKey = null;
		this.lastOther = undefined;
	}

	/** The entry id of the file `name` of `local`, if there is one. */
	entryAt(local: LocalDir, name: string): number | undefined {
		const id = local.entries.get(name);
		const entryOfFile = this.entryOfFile;
		if (id !== undefined || entryOfFile === null) return id;
		const fileId = this.scannedId(local, name);
		return fileId === undefined || entryOfFile[fileId] < 0 ? undefined : entryOfFile[fileId];
	}

	/** The directories of the snapshots that use entry `id` (see `FileEntries.usersFrom`), in natural order. */
	snapshotDirs(id: number): string[] {
		return this.entries.users(id).map((rank) => this.snaps[this.naturalOrder[rank]].dir);
	}
}

/**
 * Whether the object a reference names, as written (`s3://b/Ab3x/cp/<job>/shared/…`), was listed
 * when it lies below an entropy prefix (`--entropy-key`): the tree shows such files at their
 * entropy-free paths, where a copy below another prefix would pass for it. `undefined`: its
 * resolved path tells; `'unlisted'`: its prefix was not listed (not known to exist).
 */
export type ListedAsWritten = (written: string) => boolean | 'unlisted' | undefined;

/** The natural order of `snaps` (see {@link BuildContext.naturalOrder}) and each one's rank in it. */
function naturalOrderOf(snaps: readonly Snap[]): [order: number[], rank: Int32Array] {
	const order = snaps.map((_, si) => si);
	const orderKeys = snaps.map((s) => ({parent: parentPath(s.dir), n: s.layout.kind === 'chk' ? (s.layout.checkpointId ?? -1) : -1}));
	order.sort((a, b) => {
		const ka = orderKeys[a];
		const kb = orderKeys[b];
		if (ka.parent !== kb.parent) return ka.parent < kb.parent ? -1 : 1;
		if (ka.n !== kb.n) return ka.n - kb.n;
		return a - b;
	});
	const rank = new Int32Array(snaps.length);
	order.forEach((si, r) => (rank[si] = r));
	return [order, rank];
}
