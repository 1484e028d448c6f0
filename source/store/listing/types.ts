/**
 * What an offline listing holds: the entries a listing file names (`hdfs dfs -ls -R`, `aws s3 ls
 * --recursive`, `aws s3api list-objects-v2`, an S3 Inventory), each with the resolution of its
 * time, and what is known of the listing itself (its format, when it was taken).
 */

/** The listing formats `fcx` reads (see ./detect.ts for how a file's format is told). */
export type ListingFormat = 'hdfs-ls' | 's3-ls' | 's3api-json' | 's3-inventory';

/** One minute, ms: the time resolution of `hdfs dfs -ls` (`yyyy-MM-dd HH:mm`). */
export const MINUTE_MS = 60_000;
/** One second, ms: the time resolution of `aws s3 ls` and of S3's `LastModified`. */
export const SECOND_MS = 1000;

/**
 * One listed file or directory, as the listing names it. `key` is the path below the file
 * system's root without a leading slash: an S3 object key (`flink/cp/<job>/chk-3/_metadata`) or an
 * HDFS path without its `/` (`flink/cp/…`). `authority` is the bucket or namenode when the listing
 * names one (an S3 Inventory's `Bucket` column, an `hdfs://nn:8020/…` path); the root's otherwise.
 */
export interface ListingEntry {
	key: string;
	authority?: string;
	kind: 'file' | 'directory';
	/** Bytes; 0 for a directory. */
	size: number;
	/** Modification time as listed (the start of its resolution window), epoch ms. */
	mtimeMs: number;
	/**
	 * How coarse `mtimeMs` is, ms: the file may have been modified up to `timeResolutionMs - 1` ms
	 * later ({@link MINUTE_MS} for `hdfs dfs -ls`, {@link SECOND_MS} for S3 listings).
	 */
	timeResolutionMs: number;
}

/** What is known of a listing file besides its entries. */
export interface ListingInfo {
	/** The listing file as named on the command line (the manifest for an S3 Inventory). */
	file: string;
	format: ListingFormat;
	/**
	 * When the state it shows was taken, epoch ms, when the listing says (an S3 Inventory's
	 * `creationTimestamp`); `undefined` when it does not (text listings: ask for it, see the readme).
	 */
	takenAtMs?: number;
}

/** Options of the listing readers. */
export interface ListingReadOptions {
	/**
	 * Offset of the listing's local times from UTC, minutes (`hdfs dfs -ls` prints the client's
	 * local time, `aws s3 ls` too, neither with an offset); default 0 (run them with `TZ=UTC`).
	 */
	utcOffsetMinutes?: number;
}

/** A listing file that cannot be read as its format: names the file and line (or byte offset). */
export class ListingError extends Error {
	constructor(
		readonly file: string,
		/** 1-based line, or 0 when the problem is not on one line. */
		readonly line: number,
		detail: string,
	) {
		super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
		this.name = 'ListingError';
	}
}

/** A line (or value) quoted for an error message: JSON-escaped (no raw control characters), cut at 80 characters. */
export function quoted(text: string): string {
	return JSON.stringify(text.length > 80 ? text.slice(0, 80) + '…' : text);
}
