/**
 * The distinct files the snapshots of an analysis reference, as columns by entry id. A big tree has
 * a million, used by millions of (snapshot, file) pairs: numbers in typed arrays are a few MB that
 * stay in the CPU caches and are never copied by the garbage collector, where an object per file
 * was a cache miss per pair and 120 MB of heap.
 */
import {GrowingColumns, withCapacity, withSlots} from '../tree/columns.js';
import type {ResolvedFile} from './types.js';

/** {@link FileEntries.fileId} of an entry known not to be among the scanned files. */
export const NOT_SCANNED = -2;

/** {@link FileEntries.state}: not settled yet (whether it exists is not known). */
export const UNSETTLED = 0;
/** {@link FileEntries.state}: a local path that exists. */
export const EXISTS = 1;
/** {@link FileEntries.state}: a local path that does not exist: missing. */
export const MISSING = 2;
/** {@link FileEntries.state}: outside the tree (an unmapped URI, or a mapped place that does not exist locally). */
export const OUTSIDE = 3;
/** {@link FileEntries.state}: a local path below a directory that could not be listed (or `stat`ed): not known to exist. */
export const UNKNOWN = 4;

/** A local directory as entries need it: local paths are `prefix + name`. */
export interface EntryDirectory {
	/** The directory path followed by `/`. */
	prefix: string;
}

/** Columns no longer needed elsewhere, for {@link FileEntries.recycle}: any contents, any lengths. */
export interface SpareColumns {
	int32: Int32Array[];
	slots: unknown[][];
}

/**
 * Entries by id `0 … count - 1`. An entry is a local file (`local` set: its path is
 * `local[id].prefix + name[id]`) or an unmapped URI (`local` `null`).
 */
export class FileEntries<D extends EntryDirectory> extends GrowingColumns {
	/** Its local directory; `null`: an unmapped URI. */
	local: (D | null)[] = [];
	/** File name in `local`. */
	name: string[] = [];
	/** The path as first written. */
	uri: string[] = [];
	/** The directory that must exist for a non-existing file to count as missing (see `Resolution.anchor`). */
	anchor: (string | null)[] = [];
	/** Index of the last snapshot that referenced it, and its index in that snapshot's files (-1: none). */
	snap: Int32Array = new Int32Array(0);
	index: Int32Array = new Int32Array(0);
	/** {@link UNSETTLED}, {@link EXISTS}, {@link MISSING}, {@link OUTSIDE} or {@link UNKNOWN}. */
	state: Uint8Array = new Uint8Array(0);
	/** Size on disk when it exists and is a file, bytes; -1: none. */
	diskSize: Float64Array = new Float64Array(0);
	/** Its id in the scan's files (`FileTable`); -1: not looked up yet; {@link NOT_SCANNED}: not among them. */
	fileId: Int32Array = new Int32Array(0);
	/**
	 * The snapshots that reference it, by rank in the natural order of snapshots: the range
	 * `[usersFrom, usersTo)` (-1: none), then {@link moreUsers}. A file of an incremental
	 * checkpoint is used by a run of checkpoints of its job: one range.
	 */
	usersFrom: Int32Array = new Int32Array(0);
	usersTo: Int32Array = new Int32Array(0);
	/** More ranges `[start, end)` of users, one after the other, for the few entries that have them. */
	readonly moreUsers = new Map<number, number[]>();
	/**
	 * For the few entries whose "used by more than one snapshot" is counted on a key shared with
	 * other entries (unmapped paths outside the tree): that key.
	 */
	readonly shareKey = new Map<number, string>();
	/** The last resolved file built for an entry (reused by the next snapshot when equal). */
	readonly lastFile = new Map<number, ResolvedFile>();

	/** Add an entry; returns its id. */
	add(local: D | null, name: string, uri: string, anchor: string | null): number {
		const id = this.takeId();
		this.local[id] = local;
		this.name[id] = name;
		this.uri[id] = uri;
		this.anchor[id] = anchor;
		this.snap[id] = -1;
		this.index[id] = -1;
		this.diskSize[id] = -1;
		this.fileId[id] = -1;
		this.usersFrom[id] = -1;
		this.usersTo[id] = -1;
		return id;
	}

	/** The local path of an entry with a local directory (whether it exists or not). */
	localPath(id: number): string {
		return this.local[id]!.prefix + this.name[id];
	}

	/** The local path once settled; `null` when outside the tree. */
	path(id: number): string | null {
		const state = this.state[id];
		return state === EXISTS || state === MISSING || state === UNKNOWN ? this.localPath(id) : null;
	}

	/** Whether the local file exists; `null` when outside the tree or not known (below a directory that could not be read). */
	exists(id: number): boolean | null {
		const state = this.state[id];
		return state === EXISTS ? true : state === MISSING ? false : null;
	}

	/** Add the snapshot of rank `rank` to the users of `id`; ranks are added in ascending order. */
	addUser(id: number, rank: number): void {
		if (this.usersFrom[id] < 0) {
			this.usersFrom[id] = rank;
			this.usersTo[id] = rank + 1;
			return;
		}
		const more = this.moreUsers.size === 0 ? undefined : this.moreUsers.get(id);
		const end = more === undefined ? this.usersTo[id] : more[more.length - 1];
		if (end > rank) return;
		if (end < rank) {
			if (more === undefined) this.moreUsers.set(id, [rank, rank + 1]);
			else more.push(rank, rank + 1);
		} else if (more === undefined) {
			this.usersTo[id] = rank + 1;
		} else {
			more[more.length - 1] = rank + 1;
		}
	}

	/** Whether more than one snapshot references `id`. */
	usedMoreThanOnce(id: number): boolean {
		return this.usersTo[id] - this.usersFrom[id] > 1 || (this.moreUsers.size > 0 && this.moreUsers.has(id));
	}

	/** The ranks of the snapshots that reference `id`, ascending. */
	users(id: number): number[] {
		const ranks: number[] = [];
		for (let rank = this.usersFrom[id]; rank < this.usersTo[id]; rank++) ranks.push(rank);
		const more = this.moreUsers.get(id) ?? [];
		for (let i = 0; i < more.length; i += 2) for (let rank = more[i]; rank < more[i + 1]; rank++) ranks.push(rank);
		return ranks;
	}

	/** Columns the next growth takes (see {@link recycle}). */
	private spare: SpareColumns = {int32: [], slots: []};

	/**
	 * Let the next growth of the columns reuse `spare`'s where big enough, instead of new ones
	 * beside them (the garbage collector may free those only much later). `spare`'s columns must
	 * not be used elsewhere any more.
	 */
	recycle(spare: SpareColumns): void {
		this.spare = spare;
	}

	/** `column` grown to `capacity` in a spare column when one is big enough (see {@link withCapacity}). */
	private int32Column(column: Int32Array, capacity: number): Int32Array {
		const at = this.spare.int32.findIndex((c) => c.length >= capacity);
		if (at < 0) return withCapacity(column, capacity);
		const next = this.spare.int32.splice(at, 1)[0].subarray(0, capacity).fill(0);
		next.set(column.subarray(0, Math.min(column.length, capacity)));
		return next;
	}

	/** `array` grown to `capacity` slots in a spare array when one is big enough (see {@link withSlots}). */
	private slotColumn<T>(array: readonly T[], capacity: number): T[] {
		const at = this.spare.slots.findIndex((c) => c.length >= capacity);
		if (at < 0) return withSlots(array, capacity, this.count);
		const next = this.spare.slots.splice(at, 1)[0] as T[];
		next.length = capacity;
		for (let i = 0; i < this.count; i++) next[i] = array[i];
		// What the spare held must not stay alive through it.
		next.fill(undefined as T, this.count);
		return next;
	}

	protected grow(capacity: number): void {
		this.local = this.slotColumn(this.local, capacity);
		this.name = withSlots(this.name, capacity, this.count);
		this.uri = withSlots(this.uri, capacity, this.count);
		this.anchor = this.slotColumn(this.anchor, capacity);
		this.snap = this.int32Column(this.snap, capacity);
		this.index = this.int32Column(this.index, capacity);
		this.state = withCapacity(this.state, capacity);
		this.diskSize = withCapacity(this.diskSize, capacity);
		this.fileId = this.int32Column(this.fileId, capacity);
		this.usersFrom = withCapacity(this.usersFrom, capacity);
		this.usersTo = withCapacity(this.usersTo, capacity);
		this.spare = {int32: [], slots: []};
	}
}
