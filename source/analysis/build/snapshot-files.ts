/**
 * The per-snapshot columns of the build: written paths (spellings, interned by written directory)
 * and what the references of one snapshot add up to per file. Typed arrays and parallel columns,
 * no object per file: a big tree has millions of snapshot × file pairs.
 */
import type {FileReference} from '../../metadata/types.js';
import {GrowingColumns, withCapacity, withSlots} from '../../tree/columns.js';
import type {SpareColumns} from '../entries.js';
import type {KeptReferences} from '../kept-references.js';

/** The written paths that share the text before their last `/` (`dir`), by the text after it. */
export interface WrittenDir {
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
export class Spellings extends GrowingColumns {
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

	/**
	 * Hand over the columns only adding snapshots needs (`dir`, `localPath`, `first`, `snap`,
	 * `index`) for the entries to reuse (see `FileEntries.recycle`): resolution reads `uri`,
	 * `plain` and `entry` only, and makes an entry per spelling meanwhile; V8 does not collect
	 * during it, so new columns beside these were 28 MB more at the peak of the 1M-file bench
	 * tree. No spelling may be added after.
	 */
	dropAccumulation(): SpareColumns {
		const spare = {int32: [this.first, this.snap, this.index], slots: [this.dir, this.localPath] as unknown[][]};
		this.dir = [];
		this.localPath = [];
		this.first = this.snap = this.index = new Int32Array(0);
		return spare;
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
export function spellingTarget(id: number): number {
	return -1 - id;
}

/**
 * What the references of one snapshot add up to, per file: parallel arrays, one index per file
 * (a big tree has millions of snapshot × file pairs: no object each; numbers in typed arrays, which
 * the garbage collector never copies). The typed arrays have room for more files while the
 * snapshot is added; {@link trimFiles} cuts them to `count`.
 */
export interface SnapshotFiles {
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
export function emptySnapshotFiles(capacity = 0): SnapshotFiles {
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
export function trimFiles(sf: SnapshotFiles): SnapshotFiles {
	sf.targets = sf.targets.subarray(0, sf.count);
	sf.firsts = sf.firsts.subarray(0, sf.count);
	sf.counts = sf.counts.subarray(0, sf.count);
	sf.sizes = sf.sizes.subarray(0, sf.count);
	return sf;
}

/** {@link SnapshotFiles} once resolved: entry ids and sums in typed arrays. */
export interface SettledSnapshotFiles {
	targets: Int32Array;
	firsts: Int32Array;
	counts: Int32Array;
	sizes: Float64Array;
	/** Segment files: the bytes the snapshot's segments need (see `neededBytes`), by index. */
	segmentNeeds: Map<number, number> | null;
	notes: Map<number, string> | null;
}

/** Add a file with its first reference (a {@link KeptReferences} id; no references counted yet, size unknown); returns its index. */
export function addFile(sf: SnapshotFiles, target: number, first: number): number {
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
export function compact<T extends Int32Array | Float64Array>(column: T): T {
	return column.length * 2 * column.BYTES_PER_ELEMENT >= column.buffer.byteLength ? column : (column.slice() as T);
}

/** The files of `sf` with references (count > 0), indices renumbered. */
export function withoutUnreferenced(sf: SnapshotFiles): SnapshotFiles {
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

/**
 * Count one more reference of a snapshot to its file `i`: the largest size of its references;
 * segments of one file (file merging) are summed, each once; directories count 0 bytes.
 */
export function addReference(sf: SnapshotFiles, i: number, ref: FileReference): void {
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
export function mergeFiles(sf: SnapshotFiles, into: number, from: number, kept: KeptReferences): void {
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
