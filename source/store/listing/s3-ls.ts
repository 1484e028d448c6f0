/**
 * `aws s3 ls --recursive s3://bucket/prefix/` output: `yyyy-MM-dd HH:MM:SS  SIZE KEY` (the size
 * right-aligned in 10 columns, the key without the bucket: the root URI gives it). Times are the
 * local time of the machine that ran it, without an offset (run it with `TZ=UTC`).
 */
import {parseLocalTime, readLines} from './lines.js';
import {ListingError, quoted, SECOND_MS, type ListingEntry, type ListingReadOptions} from './types.js';

/** One object line; groups: date, time, size, key. */
const LINE_RE = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})\s+(\d+) (.*)$/;

/** The `PRE dir/` line of a listing made without `--recursive`. */
const PREFIX_RE = /^\s+PRE (.*)$/;

/** Whether `line` looks like a line of `aws s3 ls` (for format detection). */
export function isS3LsLine(line: string): boolean {
	return LINE_RE.test(line) || PREFIX_RE.test(line);
}

/**
 * The objects of an `aws s3 ls --recursive` listing, streamed. Zero-byte keys ending in `/` are
 * directory markers: directories, never files.
 *
 * @throws ListingError naming the file and line of the first line that is not an object (a `PRE`
 * line means the listing was made without `--recursive`: it does not hold the files below).
 */
export async function* readS3Ls(file: string, options: ListingReadOptions = {}): AsyncGenerator<ListingEntry> {
	const offset = options.utcOffsetMinutes ?? 0;
	for await (const {text, line} of readLines(file)) {
		if (text.trim() === '') continue;
		if (PREFIX_RE.test(text)) {
			throw new ListingError(
				file,
				line,
				`a 'PRE' line: the listing was made without --recursive and does not hold the objects below (list with 'aws s3 ls --recursive')`,
			);
		}
		const m = LINE_RE.exec(text);
		if (m === null) throw new ListingError(file, line, `expected an 'aws s3 ls --recursive' line (yyyy-MM-dd HH:MM:SS size key), got ${quoted(text)}`);
		const [, date, time, size, key] = m;
		const mtimeMs = parseLocalTime(date, time, offset);
		if (mtimeMs === undefined) throw new ListingError(file, line, `expected a date and time (yyyy-MM-dd HH:MM:SS), got ${quoted(`${date} ${time}`)}`);
		yield objectEntry(key, Number(size), mtimeMs);
	}
}

/** An S3 object as a listing entry: a zero-byte key ending in `/` is a directory marker. */
export function objectEntry(key: string, size: number, mtimeMs: number, authority?: string): ListingEntry {
	const marker = key.endsWith('/') && size === 0;
	const entry: ListingEntry = {key: marker ? key.replace(/\/+$/, '') : key, kind: marker ? 'directory' : 'file', size, mtimeMs, timeResolutionMs: SECOND_MS};
	if (authority !== undefined) entry.authority = authority;
	return entry;
}
