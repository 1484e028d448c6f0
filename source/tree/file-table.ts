/**
 * The scanned files of a tree, kept per directory: a million paths of 120 characters cost more
 * memory and hashing than a few thousand directory paths and a million file names (a checkpoint
 * tree has its files in few directories: `shared/`, `chk-<n>`, …). Sizes and mtimes are columns
 * of numbers indexed by a file id, not an object per file.
 */
import {withCapacity} from './columns.js';

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
 * Scanned files grouped by directory: directory path → file name → file id, and per file id its
 * size and mtime ({@link sizeOf}, {@link mtimeOf}). Ids are `0 … size - 1` in the order files were
 * first added. Iterates in the order directories were first added, files of one directory together
 * (the paths and {@link FileStat}s it yields are made on the fly). Built by `scanTree`; read only
 * for everyone else.
 */
export class FileTable implements ScannedFiles {
	private readonly dirs = new Map<string, Map<string, number>>();
	private sizes: Float64Array = new Float64Array(256);
	private mtimes: Float64Array = new Float64Array(256);
	private count = 0;

	/** Number of files. */
	get size(): number {
		return this.count;
	}

	/** Make room for `more` files to be added (saves growing the columns step by step). */
	reserve(more: number): void {
		const needed = this.count + more;
		if (needed <= this.sizes.length) return;
		this.sizes = withCapacity(this.sizes, needed, this.count);
		this.mtimes = withCapacity(this.mtimes, needed, this.count);
	}

	/** The id of a new file; the columns at least double when they are full. */
	private takeId(): number {
		if (this.count === this.sizes.length) this.reserve(Math.max(256, this.count));
		return this.count++;
	}

	/**
	 * Add (or replace) the file `name` of directory `dir` (absolute, no trailing slash) with its
	 * size (bytes) and mtime (ms); returns its id. Cheapest when the files of a directory are added
	 * with the same `dir` string (its hash is kept).
	 */
	addFile(dir: string, name: string, size: number, mtimeMs: number): number {
		let names = this.dirs.get(dir);
		if (names === undefined) {
			names = new Map();
			this.dirs.set(dir, names);
		}
		let id = names.get(name);
		if (id === undefined) {
			id = this.takeId();
			names.set(name, id);
		}
		this.sizes[id] = size;
		this.mtimes[id] = mtimeMs;
		return id;
	}

	/**
	 * Add the files `names` of directory `dir` with size and mtime 0, as {@link addFile} would one
	 * by one; `names` must not repeat. A directory not in the table yet takes them without looking
	 * each up first (the crawl's names, a million in the bench tree).
	 */
	addNames(dir: string, names: readonly string[]): void {
		if (this.dirs.has(dir)) {
			for (const name of names) this.addFile(dir, name, 0, 0);
			return;
		}
		const ids = new Map<string, number>();
		this.dirs.set(dir, ids);
		for (const name of names) {
			const id = this.takeId();
			ids.set(name, id);
			this.sizes[id] = 0;
			this.mtimes[id] = 0;
		}
	}

	/**
	 * Set the sizes (bytes) and mtimes (ms) of files `0 … sizes.length - 1` at once: for a table
	 * filled with names before their `lstat`s were done.
	 */
	setStats(sizes: Float64Array, mtimes: Float64Array): void {
		if (sizes.length > this.count || mtimes.length !== sizes.length) throw new RangeError(`stats of ${sizes.length} files for a table of ${this.count}`);
		this.sizes.set(sizes);
		this.mtimes.set(mtimes);
	}

	/** Remove every file. */
	clear(): void {
		this.dirs.clear();
		this.count = 0;
	}

	/** {@link addFile} with a {@link FileStat}. */
	add(dir: string, name: string, stat: FileStat): void {
		this.addFile(dir, name, stat.size, stat.mtimeMs);
	}

	/** The files of directory `dir`: name → file id; `undefined` when no file was scanned there. */
	directory(dir: string): ReadonlyMap<string, number> | undefined {
		return this.dirs.get(dir);
	}

	/** Directories that hold at least one scanned file, in the order they were added. */
	directories(): IterableIterator<string> {
		return this.dirs.keys();
	}

	/** Size of file `id`, bytes. */
	sizeOf(id: number): number {
		return this.sizes[id];
	}

	/** Modification time of file `id`, epoch ms. */
	mtimeOf(id: number): number {
		return this.mtimes[id];
	}

	/** Id of the file at `path`, or -1. */
	idOf(path: string): number {
		const slash = path.lastIndexOf('/');
		if (slash < 0) return -1;
		return this.dirs.get(path.slice(0, slash))?.get(path.slice(slash + 1)) ?? -1;
	}

	get(path: string): FileStat | undefined {
		const id = this.idOf(path);
		return id < 0 ? undefined : {size: this.sizes[id], mtimeMs: this.mtimes[id]};
	}

	has(path: string): boolean {
		return this.idOf(path) >= 0;
	}

	*entries(): IterableIterator<[string, FileStat]> {
		for (const [dir, names] of this.dirs) for (const [name, id] of names) yield [`${dir}/${name}`, {size: this.sizes[id], mtimeMs: this.mtimes[id]}];
	}

	*keys(): IterableIterator<string> {
		for (const [dir, names] of this.dirs) for (const name of names.keys()) yield `${dir}/${name}`;
	}

	[Symbol.iterator](): IterableIterator<[string, FileStat]> {
		return this.entries();
	}
}
