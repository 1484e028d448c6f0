/**
 * The files of each snapshot as ids of the analysis's file entries (one per distinct file), next
 * to `CheckpointAnalysis.files`: what a deletion plan or a retention simulation asks of a million
 * (snapshot, file) pairs — which paths are referenced — without a `ResolvedFile` per pair (1.3 GB
 * and 8 s of `fcx plan` on the 1M-file bench tree went to building them). The build registers them
 * ({@link setSnapshotEntries}); a hand-built analysis has none, and readers fall back to `files`.
 */
import type {FileTable} from '../tree/file-table.js';
import type {CheckpointAnalysis} from './types.js';

/** The distinct files of one analysis, by entry id `0 … count - 1`. */
export interface EntryTable {
	/** Number of entries (ids are below it). */
	readonly count: number;
	/** Whether entry `id` has a local path (`ResolvedFile.path` is not `null`). */
	isLocal(id: number): boolean;
	/** The local path of entry `id` (`ResolvedFile.path`), or `null` outside the tree. */
	path(id: number): string | null;
	/** The directory of the local path of entry `id` (its text before the last `/`; `/` for a file in `/`). Only for {@link isLocal} ids. */
	directoryOf(id: number): string;
	/**
	 * Whether some entry whose local path is `path` satisfies `test` (the entry of a path is
	 * looked up by its directory and name: no map of a million paths). `fileId`: the id of `path`
	 * in {@link scannedFiles} (-1: not there) when the caller knows it, which saves looking its name up.
	 */
	someAt(path: string, test: (id: number) => boolean, fileId?: number): boolean;
	/** The scanned files that {@link scannedIdOf} and {@link inDirectory} give ids of (the analysis's `scannedFiles`). */
	readonly scannedFiles: FileTable;
	/** The id in {@link scannedFiles} of the local path of entry `id`; -1: not scanned, or not local. */
	scannedIdOf(id: number): number;
	/**
	 * The entries whose local path is a scanned file of directory `dir` (of {@link scannedFiles}):
	 * `byName(name)` those made by name, `byFile(fileId)` those made by scan file id (-1: none;
	 * a path has at most one of the two, by construction). `undefined`: no entry is there.
	 */
	inDirectory(dir: string): {byName(name: string): number; byFile(fileId: number): number} | undefined;
}

/** The files of one snapshot, in the order of `CheckpointAnalysis.files`. */
export interface SnapshotEntries {
	readonly table: EntryTable;
	/** Entry id of each file. */
	readonly ids: Int32Array;
	/** Whether the snapshot references file `i` (an index in {@link ids}) through a directory handle (file merging). */
	isDirectory(i: number): boolean;
}

const bySnapshot = new WeakMap<CheckpointAnalysis, SnapshotEntries>();

/** Register the entries of `cp`'s files (by the build, once per snapshot). */
export function setSnapshotEntries(cp: CheckpointAnalysis, entries: SnapshotEntries): void {
	bySnapshot.set(cp, entries);
}

/** The entries of `cp`'s files, or `undefined` when the analysis was not built from a scan (read `cp.files` then). */
export function snapshotEntriesOf(cp: CheckpointAnalysis): SnapshotEntries | undefined {
	return bySnapshot.get(cp);
}
