/**
 * The scanned files of a tree, kept per directory: a million paths of 120 characters cost more
 * memory and hashing than a few thousand directory paths and a million file names (a checkpoint
 * tree has its files in few directories: `shared/`, `chk-<n>`, …).
 */

/** Size (bytes) and modification time (epoch ms) of one scanned file. */
export interface FileStat {
	size: number;
	mtimeMs: number;
}

/**
 * Read access to scanned files by absolute path (no trailing slash). A `Map<string, FileStat>` is
 * one (tests build them by hand); the scan gives a {@link FileTable}.
 */
export interface ScannedFiles extends Iterable<[string, FileStat]> {
	/** Number of files. */
	readonly size: number;
	get(path: string): FileStat | undefined;
	has(path: string): boolean;
	keys(): Iterable<string>;
}

/**
 * Scanned files grouped by directory: directory path → file name → {@link FileStat}. Iterates in
 * the order directories were first added, files of one directory together (the paths it yields
 * are built on the fly). Built by `scanTree`; read only for everyone else.
 */
export class FileTable implements ScannedFiles {
	private readonly dirs = new Map<string, Map<string, FileStat>>();
	private count = 0;

	/** Number of files. */
	get size(): number {
		return this.count;
	}

	/**
	 * Add (or replace) the file `name` of directory `dir` (absolute, no trailing slash). Cheapest
	 * when the files of a directory are added with the same `dir` string (its hash is kept).
	 */
	add(dir: string, name: string, stat: FileStat): void {
		let names = this.dirs.get(dir);
		if (names === undefined) {
			names = new Map();
			this.dirs.set(dir, names);
		}
		const before = names.size;
		names.set(name, stat);
		this.count += names.size - before;
	}

	/** The files of directory `dir`: name → stat; `undefined` when no file was scanned there. */
	directory(dir: string): ReadonlyMap<string, FileStat> | undefined {
		return this.dirs.get(dir);
	}

	/** Directories that hold at least one scanned file, in the order they were added. */
	directories(): IterableIterator<string> {
		return this.dirs.keys();
	}

	get(path: string): FileStat | undefined {
		const slash = path.lastIndexOf('/');
		if (slash < 0) return undefined;
		return this.dirs.get(path.slice(0, slash))?.get(path.slice(slash + 1));
	}

	has(path: string): boolean {
		return this.get(path) !== undefined;
	}

	*entries(): IterableIterator<[string, FileStat]> {
		for (const [dir, names] of this.dirs) for (const [name, stat] of names) yield [`${dir}/${name}`, stat];
	}

	*keys(): IterableIterator<string> {
		for (const [dir, names] of this.dirs) for (const name of names.keys()) yield `${dir}/${name}`;
	}

	[Symbol.iterator](): IterableIterator<[string, FileStat]> {
		return this.entries();
	}
}
