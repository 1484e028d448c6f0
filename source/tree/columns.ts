/**
 * Columns that grow: the scan and the analysis keep numbers per file (a big tree has a million
 * files) in typed arrays, which cost no object per file and are never copied by the garbage
 * collector, and strings or objects per file in arrays grown with them.
 */

/** A column of numbers. */
export type Column = Int32Array | Uint8Array | Float64Array;

/**
 * A new column of the same type with room for `capacity` elements, holding the first `length`
 * elements of `column` (default: as many as fit).
 */
export function withCapacity<T extends Column>(column: T, capacity: number, length = Math.min(column.length, capacity)): T {
	const next = new (column.constructor as new (length: number) => T)(capacity);
	next.set(column.subarray(0, length));
	return next;
}

/**
 * A new array of `capacity` slots (holes after the first `length`) holding the first `length`
 * elements of `array`: a column of strings or objects, grown together with the typed-array
 * columns beside it and filled by index. Growing by `push` instead reallocated it step by step:
 * four columns of a million entries cost 0.1–0.2 s more that way, mostly in garbage collection.
 */
export function withSlots<T>(array: readonly T[], capacity: number, length: number): T[] {
	const next = new Array<T>(capacity);
	for (let i = 0; i < length; i++) next[i] = array[i];
	return next;
}

/**
 * A table of columns by id `0 … count - 1` that grow together ({@link withCapacity},
 * {@link withSlots}): {@link takeId} takes the next id and at least doubles the columns when they
 * are full (1,024 ids at first); {@link reserve} makes room ahead, so that a million ids do not
 * copy the columns step by step. A subclass replaces its columns in {@link grow}.
 */
export abstract class GrowingColumns {
	/** Number of ids taken. */
	count = 0;
	/** Ids the columns have room for. */
	private capacity = 0;

	/** Make room for `more` ids to be taken without growing the columns again. */
	reserve(more: number): void {
		if (this.count + more > this.capacity) this.resize(this.count + more);
	}

	/** The next id; the columns are grown first when they are full. */
	protected takeId(): number {
		if (this.count === this.capacity) this.resize(Math.max(1024, this.count * 2));
		return this.count++;
	}

	/** Replace every column by one with room for `capacity` ids, holding the first {@link count}. */
	protected abstract grow(capacity: number): void;

	private resize(capacity: number): void {
		this.grow(capacity);
		this.capacity = capacity;
	}
}
