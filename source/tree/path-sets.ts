/**
 * Sets of `/`-separated paths (no trailing slashes) asked about other paths in time that grows with
 * a path's depth, not with how many they hold: whether a path lies in one of them
 * ({@link DirectorySet}), below one ({@link directoriesAbove}), which one holds or is below it
 * ({@link PathIndex}). Pure: nothing here touches the file system.
 */

/** Whether `child` equals `parent` or lies below it (`/`-separated, no trailing slashes). */
export function isInside(child: string, parent: string): boolean {
	if (child === parent) return true;
	if (parent === '/') return child.startsWith('/');
	return child.length > parent.length && child.startsWith(parent) && child.charCodeAt(parent.length) === 47;
}

/**
 * A set of directories (`/`-separated, no trailing slashes) that tells whether a path is one of
 * them or lies below one ({@link isInside}), in time that does not grow with the number of
 * directories: a path is compared only at the lengths the directories have. Loading 2,000
 * `_metadata` files by name makes 2,000 roots, and a million referenced files are checked.
 */
export class DirectorySet {
	private readonly dirs: Set<string>;
	/** The distinct lengths of the directories, ascending. */
	private readonly lengths: number[];
	/** Few directories: compared one by one (cheaper than slicing the path). */
	private readonly few: readonly string[] | null;

	constructor(dirs: Iterable<string>) {
		this.dirs = new Set(dirs);
		this.lengths = [...new Set([...this.dirs].map((d) => d.length))].sort((a, b) => a - b);
		this.few = this.dirs.size <= 4 || this.dirs.has('/') ? [...this.dirs] : null;
	}

	/** Whether `path` is one of the directories or lies below one. */
	contains(path: string): boolean {
		if (this.few !== null) {
			for (const dir of this.few) if (isInside(path, dir)) return true;
			return false;
		}
		for (const n of this.lengths) {
			if (n > path.length) return false;
			if (n === path.length) return this.dirs.has(path);
			if (path.charCodeAt(n) === 47 && this.dirs.has(path.slice(0, n))) return true;
		}
		return false;
	}
}

/**
 * The nearest directory that `path` lies in by {@link isInside}, or `null`: `/a/b` → `/a`,
 * `/a` → `/`, `/` → `null`; a relative `a/b` → `a`, `a` → `null`.
 */
export function directoryAbove(path: string): string | null {
	const i = path.lastIndexOf('/');
	if (i > 0) return path.slice(0, i);
	return i === 0 && path.length > 1 ? '/' : null;
}

/**
 * Every directory that one of `paths` lies in by {@link isInside} (not the paths themselves):
 * whether anything of a million referenced files lies below a path is then one lookup.
 */
export function directoriesAbove(paths: Iterable<string>): Set<string> {
	const out = new Set<string>();
	// A directory already in the set has its own directories above it there too: stop at it.
	for (const path of paths) for (let dir = directoryAbove(path); dir !== null && !out.has(dir); dir = directoryAbove(dir)) out.add(dir);
	return out;
}

/**
 * Paths with a value each (`/`-separated, no trailing slashes), asked about other paths in time
 * that grows with a path's depth, not with the number of paths: which path lies at or below a
 * given one ({@link atOrBelow}), and which one holds it ({@link atOrAbove}), by {@link isInside}.
 * Where several match, the value added first wins. A deletion plan asks this for thousands of
 * candidates against a million referenced files and thousands of checkpoints.
 */
export class PathIndex<T> {
	/** Per path added: its first value and when it was added. */
	private readonly exact = new Map<string, {value: T; order: number}>();
	/** Per directory above a path added: the first value added below it. */
	private readonly above = new Map<string, {value: T; order: number}>();
	private count = 0;

	/** Add `path` with `value` (a path added again keeps its first value). */
	add(path: string, value: T): void {
		const entry = {value, order: this.count++};
		if (!this.exact.has(path)) this.exact.set(path, entry);
		// A directory already known has its own directories above it known too: stop there.
		for (let dir = directoryAbove(path); dir !== null && !this.above.has(dir); dir = directoryAbove(dir)) this.above.set(dir, entry);
	}

	/** The first value whose path is `path` or lies below it; `undefined` when none does. */
	atOrBelow(path: string): T | undefined {
		return earlier(this.exact.get(path), this.above.get(path))?.value;
	}

	/** The first value whose path is `path` or holds it; `undefined` when none does. */
	atOrAbove(path: string): T | undefined {
		let found = this.exact.get(path);
		for (let dir = directoryAbove(path); dir !== null; dir = directoryAbove(dir)) found = earlier(found, this.exact.get(dir));
		return found?.value;
	}

	/** The first value whose path is `path`, lies below it or holds it. */
	touching(path: string): T | undefined {
		let found = earlier(this.exact.get(path), this.above.get(path));
		for (let dir = directoryAbove(path); dir !== null; dir = directoryAbove(dir)) found = earlier(found, this.exact.get(dir));
		return found?.value;
	}
}

/** Of two {@link PathIndex} entries, the one added first (`undefined` only when both are). */
function earlier<E extends {order: number}>(a: E | undefined, b: E | undefined): E | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return a.order <= b.order ? a : b;
}
