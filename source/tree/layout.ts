/**
 * The on-disk layout of Flink's `FileSystemCheckpointStorage` (docs/format.md#storage-layout), as pure functions:
 * classify a path by its segments and parse the URIs written into `_metadata` files.
 *
 * Nothing here touches the file system. How a path lies in sets of paths (`isInside`,
 * `DirectorySet`, `PathIndex`) is `path-sets.ts`, re-exported here.
 *
 * ```
 * <checkpoint base>/<jobId>/chk-<n>/_metadata            checkpoint (exclusive state next to it)
 * <checkpoint base>/<jobId>/shared/<uuid>                shared (incremental) state
 * <checkpoint base>/<jobId>/shared/job_<jobId>_op_<opId>_<idx>_<par>/   file-merging, shared scope
 * <checkpoint base>/<jobId>/taskowned/job_<jobId>_tm_<tm>/              file-merging, task-owned
 * <savepoint base>/savepoint-<6 hex of jobId>-<12 hex>/_metadata         savepoint (self-contained)
 * <dstl base>/<jobId>/dstl/<uuid>                        changelog (DSTL) files
 * ```
 */
export {DirectorySet, directoriesAbove, directoryAbove, isInside, PathIndex} from './path-sets.js';

/** Storage directory kinds of `FileSystemCheckpointStorage` (docs/format.md#storage-layout). */
export type StorageDirectoryKind = 'chk' | 'shared' | 'taskowned' | 'savepoint' | 'file-merging' | 'changelog' | 'other';

/** A job directory name: the job id, 32 lowercase hex digits. */
export const JOB_ID_RE = /^[0-9a-f]{32}$/;
/** A checkpoint directory name `chk-<n>`; group 1 = checkpoint id (decimal). */
export const CHK_DIR_RE = /^chk-(\d+)$/;
/** Shared (incremental) state directory name, directly under a job directory. */
export const SHARED_DIR = 'shared';
/** Task-owned state directory name, directly under a job directory. */
export const TASKOWNED_DIR = 'taskowned';
/** Changelog (DSTL) sub-directory name: `<dstl base>/<jobId>/dstl/`. */
export const DSTL_DIR = 'dstl';
/** A savepoint directory name; group 1 = first 6 hex chars of the job id, group 2 = 12 random hex chars. */
export const SAVEPOINT_DIR_RE = /^savepoint-([0-9a-f]{6})-([0-9a-f]{12})$/;
/**
 * A file-merging managed directory of shared scope (under `shared/`):
 * `job_<jobId>_op_<operatorId>_<subtaskIndex>_<parallelism>`; groups: job id, operator id, index, parallelism.
 */
export const FILE_MERGING_OP_DIR_RE = /^job_([0-9a-f]{32})_op_(.+)_(\d+)_(\d+)$/;
/** A file-merging managed directory of task-owned scope (under `taskowned/`): `job_<jobId>_tm_<tmResourceId>`. */
export const FILE_MERGING_TM_DIR_RE = /^job_([0-9a-f]{32})_tm_(.+)$/;
/** The metadata file name. */
export const METADATA_FILE = '_metadata';
/** A (stale, when old) metadata temp file of a recoverable writer: `._metadata.inprogress.<uuid>`. */
export const INPROGRESS_METADATA_RE = /^\._metadata\.inprogress\.(.+)$/;

/** What a path (its last segment) is in the checkpoint layout. */
export type PathKind =
	| 'job' // <jobId>
	| 'chk' // chk-<n>
	| 'shared' // <jobId>/shared
	| 'taskowned' // <jobId>/taskowned
	| 'savepoint' // savepoint-xxxxxx-yyyyyyyyyyyy
	| 'file-merging' // file-merging managed directory
	| 'changelog' // <jobId>/dstl
	| 'metadata' // _metadata
	| 'inprogress-metadata' // ._metadata.inprogress.<uuid>
	| 'other'; // anything else (usually a state file inside a storage directory)

/** The classification of one path by its segments. All paths share the input's form (prefixes of it). */
export interface PathLayout {
	/** What the last segment is. */
	kind: PathKind;
	/** Id of the innermost job directory the path is (or is inside), else `null`. */
	jobId: string | null;
	/** That job directory (a prefix of the input), else `null`. */
	jobDir: string | null;
	/** Innermost storage directory the path is or is inside (chk, shared, taskowned, savepoint, file-merging, changelog). */
	storageDir: string | null;
	storageKind: Exclude<StorageDirectoryKind, 'other'> | null;
	/** Checkpoint id when the path is (inside) a `chk-<n>` directory. */
	checkpointId: number | null;
	/** File-merging managed directory details when inside one. */
	fileMerging?: {scope: 'shared' | 'exclusive'; jobId: string; operatorId?: string; subtaskIndex?: number; parallelism?: number; taskManager?: string};
}

/** Split an absolute path into its prefix end offsets: `/a/b/c` → segments `a`, `b`, `c` with their end positions. */
function segmentsOf(path: string): {name: string; end: number}[] {
	const out: {name: string; end: number}[] = [];
	let start = 0;
	const n = path.length;
	while (start <= n) {
		let end = path.indexOf('/', start);
		if (end === -1) end = n;
		if (end > start) out.push({name: path.slice(start, end), end});
		start = end + 1;
	}
	return out;
}

/** Strip trailing slashes (keeps a lone `/`). */
export function stripTrailingSlash(path: string): string {
	let end = path.length;
	while (end > 1 && path.charCodeAt(end - 1) === 47) end--;
	return end === path.length ? path : path.slice(0, end);
}

/**
 * Classify a local absolute path, or the path part of a remote URI, by its segments (docs/format.md#storage-layout).
 * Pure: the file system is not consulted, so the caller decides whether the path is a file or a
 * directory (a `kind: 'job'` for a file is meaningless, for instance).
 *
 * Rules: a 32-hex segment outside any storage directory is a job directory; `chk-<n>` and
 * `savepoint-…` outside any storage directory are storage directories (also without a job directory,
 * `create-subdir=false`); `shared`, `taskowned` and `dstl` only directly under a job directory;
 * file-merging directories only directly under `shared/` (`_op_`) or `taskowned/` (`_tm_`).
 */
export function classifyPath(input: string): PathLayout {
	const path = stripTrailingSlash(input);
	const result: PathLayout = {kind: 'other', jobId: null, jobDir: null, storageDir: null, storageKind: null, checkpointId: null};
	const segments = segmentsOf(path);
	let parentEnd = -1; // end offset of the previous segment
	let jobEnd = -1;
	let storageEnd = -1;
	for (let i = 0; i < segments.length; i++) {
		const {name, end} = segments[i];
		const last = i === segments.length - 1;
		const prefix = (): string => path.slice(0, end);
		let kind: PathKind = 'other';
		let m: RegExpExecArray | null;
		if (last && name === METADATA_FILE) {
			kind = 'metadata';
		} else if (last && INPROGRESS_METADATA_RE.test(name)) {
			kind = 'inprogress-metadata';
		} else if (result.storageKind === null && JOB_ID_RE.test(name)) {
			kind = 'job';
			result.jobId = name;
			result.jobDir = prefix();
			jobEnd = end;
			result.checkpointId = null;
		} else if (result.storageKind === null && (m = CHK_DIR_RE.exec(name)) !== null) {
			kind = 'chk';
			result.storageKind = 'chk';
			result.storageDir = prefix();
			result.checkpointId = Number(m[1]);
			storageEnd = end;
		} else if (result.storageKind === null && SAVEPOINT_DIR_RE.test(name)) {
			kind = 'savepoint';
			result.storageKind = 'savepoint';
			result.storageDir = prefix();
			storageEnd = end;
		} else if (result.storageKind === null && jobEnd === parentEnd && jobEnd !== -1 && (name === SHARED_DIR || name === TASKOWNED_DIR || name === DSTL_DIR)) {
			kind = name === DSTL_DIR ? 'changelog' : name;
			result.storageKind = kind;
			result.storageDir = prefix();
			storageEnd = end;
		} else if (storageEnd === parentEnd && result.storageKind === 'shared' && (m = FILE_MERGING_OP_DIR_RE.exec(name)) !== null) {
			kind = 'file-merging';
			result.storageKind = 'file-merging';
			result.storageDir = prefix();
			result.fileMerging = {scope: 'shared', jobId: m[1], operatorId: m[2], subtaskIndex: Number(m[3]), parallelism: Number(m[4])};
			storageEnd = end;
		} else if (storageEnd === parentEnd && result.storageKind === 'taskowned' && (m = FILE_MERGING_TM_DIR_RE.exec(name)) !== null) {
			kind = 'file-merging';
			result.storageKind = 'file-merging';
			result.storageDir = prefix();
			result.fileMerging = {scope: 'exclusive', jobId: m[1], taskManager: m[2]};
			storageEnd = end;
		}
		if (last) result.kind = kind;
		parentEnd = end;
	}
	return result;
}

/** The conventional name of a savepoint base directory (`state.savepoints.dir: …/savepoints`). */
export const SAVEPOINTS_BASE_DIR = 'savepoints';

/**
 * Whether the directory holding a `_metadata` is a savepoint by its location, for files that do not
 * say (no properties trailer before format version 4, docs/format.md#properties-trailer). Flink names a savepoint
 * directory `savepoint-<6 hex of the job id>-<12 hex>` in every version with a directory per
 * savepoint (1.3 `SavepointStore.createSavepointDirectory`, 1.5+ `initializeLocationForSavepoint`:
 * prefix + `FileUtils.getRandomFilename`). A copy or rename usually keeps the `savepoint-` prefix
 * (`savepoint-flink1.11`) or the savepoint base directory (`…/savepoints/1.6`), so either counts.
 * A `chk-<n>` directory, or a directory inside one or inside `shared/`, `taskowned/` or `dstl/`, is
 * never a savepoint. Pure: the path's segments only.
 */
export function isSavepointLocation(dir: string): boolean {
	const layout = classifyPath(dir);
	if (layout.kind === 'savepoint') return true;
	if (layout.storageKind !== null) return false;
	const segments = segmentsOf(stripTrailingSlash(dir)).map((segment) => segment.name);
	if (segments.length === 0) return false;
	return segments[segments.length - 1].startsWith('savepoint-') || segments.slice(0, -1).includes(SAVEPOINTS_BASE_DIR);
}

/**
 * Whether `name`, as the last segment of a path, is an ordinary file name: it cannot change what
 * {@link classifyPath} says about the directories of the path (not a job id, `chk-<n>`, savepoint,
 * `shared`, `taskowned`, `dstl` or file-merging directory name) and needs no normalisation as a URI
 * segment (not empty, no `/`, `?`, `#`, `\\`, not `.` or `..`). Such a file resolves like its siblings.
 */
export function isPlainFileName(name: string): boolean {
	if (name === '' || name === '.' || name === '..' || name === SHARED_DIR || name === TASKOWNED_DIR || name === DSTL_DIR) return false;
	// `indexOf`, not a regular expression: this runs for every file of a big tree (a UUID name:
	// 33 instead of 69 ns; a loop over the characters took 150 ns).
	if (name.indexOf('/') >= 0 || name.indexOf('?') >= 0 || name.indexOf('#') >= 0 || name.indexOf('\\') >= 0) return false;
	// Cheap tests first; conservative prefixes.
	if (name.length === 32 && JOB_ID_RE.test(name)) return false;
	return !name.startsWith('chk-') && !name.startsWith('savepoint-') && !name.startsWith('job_');
}

/** A parsed Flink path / URI. */
export interface ParsedUri {
	/** Lower-case scheme (`hdfs`, `s3`, `file`, …), `null` for a plain absolute path. */
	scheme: string | null;
	/** Authority (`namenode:8020`, bucket, `container@account…`), `null` when absent or empty. */
	authority: string | null;
	/** Absolute path, `/`-separated, duplicate slashes collapsed, no trailing slash (except `/`). */
	path: string;
	/** Whether the original was written with `//` after the scheme (`hdfs://…` vs `hdfs:/…`). */
	slashes: boolean;
}

const URI_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):(\/\/([^/]*))?(.*)$/s;

/**
 * The path of a URI as Flink opens it: `org.apache.flink.core.fs.Path` normalises every path it
 * reads from `_metadata` (`java.net.URI#normalize`), so `.` and `dir/..` segments are removed
 * (`/cp/job/shared/../chk-3/x` is `/cp/job/chk-3/x`; a `..` above `/` stays at `/`, as a local
 * file system resolves it). Repeated and trailing slashes are dropped.
 */
export function normalisePathPart(path: string): string {
	let p = path.replaceAll('\\', '/').replace(/\/{2,}/g, '/');
	if (!p.startsWith('/')) p = '/' + p;
	if (p.includes('/.')) {
		const out: string[] = [];
		for (const segment of p.split('/')) {
			if (segment === '' || segment === '.') continue;
			if (segment === '..') out.pop();
			else out.push(segment);
		}
		p = `/${out.join('/')}`;
	}
	return stripTrailingSlash(p);
}

/**
 * Parse a path as written in `_metadata` (`file:/tmp/x`, `file:///tmp/x`, `hdfs://nn:8020/x`,
 * `hdfs:/x`, `s3://bucket/key`, `abfss://c@a.dfs.core.windows.net/x`, `/plain/absolute`).
 * Returns `null` for relative names (tag-6 handles, inline labels such as operator ids) and for
 * Windows drive paths without scheme.
 */
export function parseUri(uri: string): ParsedUri | null {
	if (uri.startsWith('/')) return {scheme: null, authority: null, path: normalisePathPart(uri), slashes: false};
	if (/^[A-Za-z]:[\\/]/.test(uri)) return null;
	const m = URI_RE.exec(uri);
	if (m === null) return null;
	const scheme = m[1].toLowerCase();
	const slashes = m[2] !== undefined;
	const authority = slashes && m[3] !== '' ? m[3] : null;
	const rest = m[4];
	if (!slashes && !rest.startsWith('/')) return null; // e.g. `abc:def` — not a path
	return {scheme, authority, path: normalisePathPart(rest === '' ? '/' : rest), slashes};
}

/**
 * Canonical string of a parsed URI for prefix comparisons: `scheme://authority/path`
 * (`file:/x`, `file:///x` and `file://` + `/x` all become `file:///x`); plain paths stay as they are.
 */
export function uriKey(uri: ParsedUri, path: string = uri.path): string {
	if (uri.scheme === null) return path;
	return `${uri.scheme}://${uri.authority ?? ''}${path === '/' ? '' : path}`;
}

/** Format a parsed URI (optionally with another path) the way it was written (`hdfs://nn/x`, `file:/x`). */
export function formatUri(uri: ParsedUri, path: string = uri.path): string {
	if (uri.scheme === null) return path;
	if (uri.slashes) return `${uri.scheme}://${uri.authority ?? ''}${path === '/' ? '' : path}`;
	return `${uri.scheme}:${path}`;
}

/** Whether a parsed URI denotes the local file system (`file:` scheme or a plain absolute path). */
export function isLocalUri(uri: ParsedUri): boolean {
	return uri.scheme === null || (uri.scheme === 'file' && (uri.authority === null || uri.authority === 'localhost'));
}

/** The parent directory of a `/`-separated path (`/` for top-level entries). */
export function parentPath(path: string): string {
	const i = path.lastIndexOf('/');
	if (i <= 0) return '/';
	return path.slice(0, i);
}

/** The last segment of a `/`-separated path. */
export function baseName(path: string): string {
	const p = stripTrailingSlash(path);
	return p.slice(p.lastIndexOf('/') + 1);
}
