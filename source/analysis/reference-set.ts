/**
 * The set of what snapshots reference, asked by path: deletion plans, what-if and retention check
 * every candidate against it.
 */
import {directoriesAbove, DirectorySet} from '../tree/layout.js';
import type {FileTable} from '../tree/file-table.js';
import {snapshotEntriesOf, type EntryTable, type SnapshotEntries} from './snapshot-entries.js';
import type {CheckpointAnalysis} from './types.js';

/**
 * What a set of snapshots references: local files (and the `_metadata` files themselves) and
 * directories referenced as a whole (file-merging directory handles). The files of snapshots the
 * build registered entries for ({@link snapshotEntriesOf}) are kept as marks on entry ids, one per
 * distinct file, not a path per (snapshot, file) pair. Both are read when first asked
 * ({@link has}, {@link touches}): add nothing after that.
 */
export class ReferenceSet {
	/** The `_metadata` files, and the referenced files of snapshots without entries. */
	private readonly paths = new Set<string>();
	readonly directories: string[] = [];
	/** The entries of the first snapshot with entries (a snapshot of another table is read by path). */
	private table: EntryTable | undefined;
	/** By entry id of {@link table}: 1 when referenced as a file. */
	private marked = new Uint8Array(0);
	/** The names of {@link paths} and {@link directories} by the text before their last `/`, made when first asked. */
	private byDirectory: Map<string, Set<string>> | undefined;
	/** {@link directories}, made when first asked. */
	private directorySet: DirectorySet | undefined;
	/** The directories above the referenced files and {@link directories}, made when first asked. */
	private above: Set<string> | undefined;
	private readonly isMarked = (id: number): boolean => this.marked[id] === 1;

	constructor(checkpoints: Iterable<CheckpointAnalysis>) {
		for (const cp of checkpoints) {
			if (cp.metadataPath !== null) this.paths.add(cp.metadataPath);
			const entries = snapshotEntriesOf(cp);
			if (entries !== undefined && (this.table === undefined || this.table === entries.table)) {
				this.addEntries(entries);
				continue;
			}
			for (const f of cp.files) {
				if (f.path === null) continue;
				if (f.handle === 'directory') this.directories.push(f.path);
				else this.paths.add(f.path);
			}
		}
	}

	private addEntries({table, ids, isDirectory}: SnapshotEntries): void {
		if (this.table === undefined) {
			this.table = table;
			this.marked = new Uint8Array(table.count);
		}
		const marked = this.marked;
		for (let i = 0; i < ids.length; i++) {
			const id = ids[i];
			if (!table.isLocal(id)) continue;
			if (isDirectory(i)) this.directories.push(table.path(id)!);
			else marked[id] = 1;
		}
	}

	/**
	 * Whether each scanned file of directory `dir` is referenced: a test by its name and its id in
	 * `files` giving {@link has}'s answer for its path, without making the path (a retention
	 * simulation asks this of 750,000 files of the 1M-file bench tree).
	 */
	scannedIn(dir: string, files: FileTable): (name: string, fileId: number) => boolean {
		const prefix = dir === '/' ? '/' : `${dir}/`;
		if (this.table !== undefined && this.table.scannedFiles !== files) return (name) => this.has(prefix + name);
		if (this.directories.length > 0) {
			this.directorySet ??= new DirectorySet(this.directories);
			// A file lies in a referenced directory when its directory does (or is it: `exact` below).
			if (this.directorySet.contains(dir)) return () => true;
		}
		this.byDirectory ??= namesByDirectory([this.paths, this.directories]);
		const exact = this.byDirectory.get(dir === '/' ? '' : dir);
		const entries = this.table?.inDirectory(dir);
		const marked = this.marked;
		return (name, fileId) =>
			exact?.has(name) === true || (entries !== undefined && (marked[entries.byName(name)] === 1 || marked[entries.byFile(fileId)] === 1));
	}

	/**
	 * Whether `path` (a file) is referenced, or lies in a referenced directory. `scanned`: its id in
	 * those scanned files (-1: not there), when the caller knows it (saves looking its name up).
	 */
	has(path: string, scanned?: {files: FileTable; id: number}): boolean {
		if (this.paths.has(path)) return true;
		const table = this.table;
		if (table !== undefined && table.someAt(path, this.isMarked, scanned?.files === table.scannedFiles ? scanned.id : undefined)) return true;
		if (this.directories.length === 0) return false;
		this.directorySet ??= new DirectorySet(this.directories);
		return this.directorySet.contains(path);
	}

	/**
	 * Whether anything at or below `path` is referenced (or `path` lies in a referenced directory),
	 * in time that grows with the depth of `path`, not with the number of referenced files (a plan
	 * asks this for each of thousands of orphans, against a million files). `scanned` as for {@link has}.
	 */
	touches(path: string, scanned?: {files: FileTable; id: number}): boolean {
		if (this.has(path, scanned)) return true;
		this.above ??= this.directoriesAbove();
		return this.above.has(path);
	}

	/** Every directory a referenced file or directory lies in (see `directoriesAbove`). */
	private directoriesAbove(): Set<string> {
		const above = directoriesAbove(this.paths);
		for (const dir of directoriesAbove(this.directories)) above.add(dir);
		const table = this.table;
		if (table === undefined) return above;
		// The directory of each marked entry, once per directory (a million files are in a few thousand).
		const dirs = new Set<string>();
		const marked = this.marked;
		let last = '';
		for (let id = 0; id < marked.length; id++) {
			if (marked[id] !== 1) continue;
			const dir = table.directoryOf(id);
			if (dir === last) continue;
			last = dir;
			dirs.add(dir);
		}
		for (const dir of dirs) above.add(dir);
		for (const dir of directoriesAbove(dirs)) above.add(dir);
		return above;
	}
}

/** The names of `paths` (after their last `/`) by the text before it; paths without `/` are left out. */
function namesByDirectory(lists: readonly Iterable<string>[]): Map<string, Set<string>> {
	const out = new Map<string, Set<string>>();
	for (const paths of lists) {
		for (const path of paths) {
			const slash = path.lastIndexOf('/');
			if (slash < 0) continue;
			const dir = path.slice(0, slash);
			let names = out.get(dir);
			if (names === undefined) out.set(dir, (names = new Set()));
			names.add(path.slice(slash + 1));
		}
	}
	return out;
}
