/**
 * The storage interface: what the scan, the analysis and (later) cleanup need from a place that
 * holds checkpoint trees — a local disk, S3 or an S3-compatible store, HDFS through WebHDFS, or an
 * offline listing. Every store speaks in absolute paths of its own kind: local paths
 * (`/data/checkpoints/job/chk-3/_metadata`) or URIs (`s3://bucket/prefix/job/chk-3/_metadata`,
 * `hdfs://nn:8020/flink/…`), normalised (`s3a`/`s3n`/`s3p` → `s3`, no trailing slash, see
 * `uri.ts`). This file imports nothing, so every layer from `tree/` up may use it.
 */

/** What a listed path is. Zero-byte `…/` directory markers of object stores are directories. */
export type StoreEntryKind = 'file' | 'directory';

/** One listed path: a file (object) or a directory (a common prefix or a directory marker). */
export interface StoreEntry {
	/** Absolute path or normalised URI, no trailing slash. */
	path: string;
	kind: StoreEntryKind;
	/** Bytes; 0 for a directory. */
	size: number;
	/** Last modification, epoch ms; 0 when the store does not say (an object store's common prefix). */
	mtimeMs: number;
}

/**
 * A write the store has begun and not finished, holding bytes that no listing shows: an
 * incomplete S3 multipart upload (a crashed or in-progress `_metadata` written by Flink's
 * RecoverableWriter). The directory it is in may be a checkpoint still being written.
 */
export interface PendingUpload {
	/** The path the upload will have when it completes. */
	path: string;
	/** When it was started, epoch ms (0 when unknown). */
	initiatedMs: number;
	/** Bytes uploaded so far, when known (listing the parts costs a request per upload). */
	size?: number;
}

/** Why a store call failed, for decisions (the message is for people). */
export type StoreErrorCode =
	| 'not-found'
	| 'permission-denied'
	/** The file is larger than the caller's `maxBytes`. */
	| 'too-large'
	/** Throttled (S3 503 SlowDown) and still throttled after the store's retries. */
	| 'throttled'
	/** The store does not implement the call (s3rver and some S3-compatible stores: ListMultipartUploads). */
	| 'not-implemented'
	| 'other';

/** A failed store call: a typed {@link StoreErrorCode}, the path, and a one-line message. */
export class StoreError extends Error {
	constructor(
		readonly code: StoreErrorCode,
		readonly path: string,
		message: string,
	) {
		super(message);
		this.name = 'StoreError';
	}
}

/** Options of {@link Store.list}. */
export interface ListOptions {
	/** Everything below `path` (default), or only its direct children. */
	recursive?: boolean;
	/** Called after each batch with the entries listed so far (a progress line). */
	onProgress?: (listed: number) => void;
}

/** The outcome of deleting one path: deleted (a path already gone counts as deleted), or the error. */
export interface DeleteOutcome {
	path: string;
	error?: StoreError;
}

/**
 * A place that holds checkpoint trees. Reading calls never change anything. The cleanup calls
 * (`rename`, `copy`, `delete`) are optional: a read-only store (an offline listing) leaves them out.
 * Errors are {@link StoreError}s.
 */
export interface Store {
	/** The scheme of its paths (`file`, `s3`, `hdfs`), and a short name for people (`s3 via http://127.0.0.1:4569`). */
	readonly scheme: string;
	readonly description: string;
	/**
	 * Everything below directory/prefix `path` (not `path` itself), in batches (at most about a
	 * thousand entries each; memory stays bounded by the batch the caller holds). Order within and
	 * across batches is unspecified. A `path` that does not exist yields nothing (object stores
	 * cannot tell it from an empty prefix); a file at `path` is an error.
	 */
	list(path: string, options?: ListOptions): AsyncIterable<readonly StoreEntry[]>;
	/** The entry at `path`, or `undefined` when nothing is there. */
	stat(path: string): Promise<StoreEntry | undefined>;
	/** The whole file; a file over `maxBytes` is a `too-large` error (nothing over the cap is read). */
	read(path: string, options: {maxBytes: number}): Promise<Uint8Array>;
	/** `length` bytes from byte `start` (fewer at the end of the file). */
	readRange(path: string, start: number, length: number): Promise<Uint8Array>;
	/** Incomplete writes below `path`; a `not-implemented` error when the store cannot say. Absent: the store has none. */
	listPending?(path: string): Promise<PendingUpload[]>;
	/** Move `from` to `to` atomically (local disk, HDFS); absent on object stores (use copy + delete). */
	rename?(from: string, to: string): Promise<void>;
	/** Copy the file `from` to `to` (overwriting nothing: an existing `to` is an error). */
	copy?(from: string, to: string): Promise<void>;
	/** Delete files (never directories), in the store's batches. */
	delete?(paths: readonly string[]): Promise<DeleteOutcome[]>;
	/** Release connections and workers. */
	close?(): Promise<void>;
}
