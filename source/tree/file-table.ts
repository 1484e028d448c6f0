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

/** The files of a directory added at once: their names, with ids `first … first + names.length - 1`. */
export interface ListedNames {
	readonly names: readonly string[];
	readonly first: number;
}

/**
 * Scanned files grouped by directory: directory path → file name → file id, and per file id its
 * size and mtime ({@link sizeOf}, {@link mtimeOf}). Ids are `0 … size - 1` in the order files were
 * first added. Iterates in the order directories were first added, files of one directory together
 * (the paths and {@link FileStat}s it yields are made on the fly). Built by `scanTree`; read only
 * for everyone else.
 */
export class FileTable implements ScannedFiles {
	/**
	 * By directory: its files by name, or, for a directory whose files came at once
	 * ({@link addNames}), their names in id order from `first` until a lookup by name needs the map
	 * (a million names of the bench tree cost 0.14 s to hash into maps, and the analysis matches
	 * most of them by walking the list instead).
	 */
	private readonly dirs = new Map<string, Map<string, number> | ListedNames>();
	/**
	 * Sizes and mtimes by file id; a file past their end has size and mtime 0 (the names of a big
	 * tree come first, {@link addNames}, and their stats at once, {@link setStats}, which keeps the
	 * stat workers' arrays: columns made for the names would be 16 MB more on the 1M-file bench tree).
	 */
	private sizes: Float64Array = new Float64Array(0);
	private mtimes: Float64Array = new Float64Array(0);
	private count = 0;
	/** Ids the columns get room for when they are next made or grown (see {@link reserve}). */
	private reserved = 0;

	/** Number of files. */
	get size(): number {
		return this.count;
	}

	/**
	 * Make room for `more` files to be added (saves growing the columns step by step): the columns
	 * get that room when a file's stats are first written.
	 */
	reserve(more: number): void {
		this.reserved = Math.max(this.reserved, this.count + more);
	}

	/** Columns with room for file ids `0 … needed - 1` at least; they at least double when they grow. */
	private columnsFor(needed: number): void {
		if (needed <= this.sizes.length) return;
		const capacity = Math.max(needed, this.reserved, 2 * this.sizes.length, 256);
		this.sizes = withCapacity(this.sizes, capacity);
		this.mtimes = withCapacity(this.mtimes, capacity);
		this.reserved = 0;
	}

	/**
	 * Add (or replace) the file `name` of directory `dir` (absolute, no trailing slash) with its
	 * size (bytes) and mtime (ms); returns its id. Cheapest when the files of a directory are added
	 * with the same `dir` string (its hash is kept).
	 */
	addFile(dir: string, name: string, size: number, mtimeMs: number): number {
		let names = this.mapOf(dir);
		if (names === undefined) {
			names = new Map();
			this.dirs.set(dir, names);
		}
		let id = names.get(name);
		if (id === undefined) {
			id = this.count++;
			names.set(name, id);
		}
		this.columnsFor(id + 1);
		this.sizes[id] = size;
		this.mtimes[id] = mtimeMs;
		return id;
	}

	/**
	 * Add the files `names` of directory `dir` with size and mtime 0, as {@link addFile} would one
	 * by one; `names` must not repeat. A directory not in the table yet keeps the array itself (not
	 * copied: it must not change afterwards) as its list of names, without hashing them (the crawl's
	 * names, a million in the bench tree); see {@link listed}.
	 */
	addNames(dir: string, names: readonly string[]): void {
		if (this.dirs.has(dir)) {
			for (const name of names) this.addFile(dir, name, 0, 0);
			return;
		}
		const first = this.count;
		this.count += names.length;
		// Ids past the columns' end have size and mtime 0; those within them are set to 0.
		this.sizes.fill(0, first, this.count);
		this.mtimes.fill(0, first, this.count);
		this.dirs.set(dir, {names, first});
	}

	/** The files of `dir` by name, the map made now when they were added as a list. */
	private mapOf(dir: string): Map<string, number> | undefined {
		const files = this.dirs.get(dir);
		if (files === undefined || files instanceof Map) return files;
		const map = new Map<string, number>();
		for (let index = 0; index < files.names.length; index++) map.set(files.names[index], files.first + index);
		this.dirs.set(dir, map);
		return map;
	}

	/**
	 * The names of the files of `dir` in id order (ids `first … first + names.length - 1`), when they
	 * were added at once ({@link addNames}) and nothing has looked one up by name since; else
	 * `undefined` (use {@link directory}).
	 */
	listed(dir: string): ListedNames | undefined {
		const files = this.dirs.get(dir);
		return files === undefined || files instanceof Map ? undefined : files;
	}

	/**
	 * Name file `id` by `name` from now on, when `listed` (of this table, see {@link listed}) holds
	 * it under a name equal to `name`: a caller that keeps its own copy of a name anyway shares it,
	 * and the table's copy goes (a million names of 36 characters are 56 MB). Returns whether it did.
	 */
	shareName(listed: ListedNames, id: number, name: string): boolean {
		const index = id - listed.first;
		const names = listed.names as string[];
		if (index < 0 || index >= names.length || names[index] !== name) return false;
		names[index] = name;
		return true;
	}

	/** Call `fn` with the name and id of every file of `dir`, in id order for listed names. */
	forEachFile(dir: string, fn: (name: string, id: number) => void): void {
		const files = this.dirs.get(dir);
		if (files === undefined) return;
		if (files instanceof Map) {
			for (const [name, id] of files) fn(name, id);
			return;
		}
		for (let index = 0; index < files.names.length; index++) fn(files.names[index], files.first + index);
	}

	/** Whether `dir` has a scanned file `name` (without making the map of a listed directory). */
	hasFile(dir: string, name: string): boolean {
		const files = this.dirs.get(dir);
		if (files === undefined) return false;
		return files instanceof Map ? files.has(name) : files.names.includes(name);
	}

	/**
	 * Set the sizes (bytes) and mtimes (ms) of files `0 … sizes.length - 1` at once: for a table
	 * filled with names before their `lstat`s were done. With a stat for every file, the table keeps
	 * the two arrays as its columns (the caller must not change them afterwards).
	 * @throws RangeError for more stats than files, or columns of different lengths
	 */
	setStats(sizes: Float64Array, mtimes: Float64Array): void {
		if (sizes.length > this.count || mtimes.length !== sizes.length) throw new RangeError(`stats of ${sizes.length} files for a table of ${this.count}`);
		if (sizes.length === this.count) {
			this.sizes = sizes;
			this.mtimes = mtimes;
			this.reserved = 0;
			return;
		}
		this.columnsFor(sizes.length);
		this.sizes.set(sizes);
		this.mtimes.set(mtimes);
	}

	/** Remove every file. */
	clear(): void {
		this.dirs.clear();
		this.count = 0;
		this.reserved = 0;
		this.sizes = new Float64Array(0);
		this.mtimes = new Float64Array(0);
	}

	/** {@link addFile} with a {@link FileStat}. */
	add(dir: string, name: string, stat: FileStat): void {
		this.addFile(dir, name, stat.size, stat.mtimeMs);
	}

	/** The files of directory `dir`: name → file id; `undefined` when no file was scanned there. */
	directory(dir: string): ReadonlyMap<string, number> | undefined {
		return this.mapOf(dir);
	}

	/** Directories that hold at least one scanned file, in the order they were added. */
	directories(): IterableIterator<string> {
		return this.dirs.keys();
	}

	/** Size of file `id`, bytes. */
	sizeOf(id: number): number {
		return id < this.sizes.length ? this.sizes[id] : 0;
	}

	/** Modification time of file `id`, epoch ms. */
	mtimeOf(id: number): number {
		return id < this.mtimes.length ? this.mtimes[id] : 0;
	}

	/** Id of the file at `path`, or -1. */
	idOf(path: string): number {
		const slash = path.lastIndexOf('/');
		if (slash < 0) return -1;
		return this.mapOf(path.slice(0, slash))?.get(path.slice(slash + 1)) ?? -1;
	}

	get(path: string): FileStat | undefined {
		const id = this.idOf(path);
		return id < 0 ? undefined : {size: this.sizeOf(id), mtimeMs: this.mtimeOf(id)};
	}

	has(path: string): boolean {
		return this.idOf(path) >= 0;
	}

	*entries(): IterableIterator<[string, FileStat]> {
		for (const [path, id] of this.ids()) yield [path, {size: this.sizeOf(id), mtimeMs: this.mtimeOf(id)}];
	}

	*keys(): IterableIterator<string> {
		for (const [path] of this.ids()) yield path;
	}

	/** Every file's path and id. */
	private *ids(): IterableIterator<[string, number]> {
		for (const [dir, files] of this.dirs) {
			if (files instanceof Map) for (const [name, id] of files) yield [`${dir}/${name}`, id];
			else for (let index = 0; index < files.names.length; index++) yield [`${dir}/${files.names[index]}`, files.first + index];
		}
	}

	[Symbol.iterator](): IterableIterator<[string, FileStat]> {
		return this.entries();
	}
}
