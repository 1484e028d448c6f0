/**
 * `hdfs dfs -ls -R DIR` output: `perm repl owner group size yyyy-MM-dd HH:mm path`, e.g.
 * `-rw-r--r--+  3 flink hadoop  1234 2026-12-06 01:02 /flink/cp/<job>/chk-3/_metadata`.
 * Directories have `-` as replication; permissions may end in `+` (an ACL); the path is the rest of
 * the line (it may hold spaces) and may be a full URI (`hdfs://nn:8020/flink/…`) when the command
 * was given one. Times are the client's local time, to the minute.
 */
import {parseLocalTime, readLines} from './lines.js';
import {ListingError, MINUTE_MS, quoted, type ListingEntry, type ListingReadOptions} from './types.js';

/** One entry line; groups: type, replication, size, date, time, path. */
const LINE_RE = /^([-dl])[-rwxsStT]{9}[+.@]?\s+(-|\d+)\s+\S+\s+\S+\s+(\d+)\s+(\d{4}-\d{2}-\d{2})\s+(\d{2}:\d{2})\s(.+)$/;

/** The `Found N items` line `hdfs dfs -ls` prints before a directory's entries (not with `-R`). */
const FOUND_RE = /^Found \d+ items?$/;

/** An entry line of `hdfs dfs -ls -h`: sizes as `1.2 K`, not exact (refused with a hint). */
const HUMAN_RE = /^[-dl][-rwxsStT]{9}[+.@]?\s+(-|\d+)\s+\S+\s+\S+\s+[\d.]+ [KMGTPE]\s+\d{4}-\d{2}-\d{2}\s/;

/** Whether `line` looks like a line of `hdfs dfs -ls`, with `-h` or not (for format detection). */
export function isHdfsLsLine(line: string): boolean {
	return LINE_RE.test(line) || FOUND_RE.test(line) || HUMAN_RE.test(line);
}

const URI_PATH_RE = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/]*)(\/.*)?$/;

/**
 * Split a path as `hdfs dfs -ls` prints it into the key (no leading slash) and the authority of
 * a full URI; `undefined` for a relative path (the listing was made from a relative directory, whose
 * absolute path it does not say).
 */
export function splitHdfsPath(path: string): {key: string; authority?: string} | undefined {
	const uri = URI_PATH_RE.exec(path);
	if (uri !== null) {
		const key = (uri[2] ?? '/').replace(/^\/+/, '');
		return uri[1] === '' ? {key} : {key, authority: uri[1]};
	}
	if (!path.startsWith('/')) return undefined;
	return {key: path.replace(/^\/+/, '')};
}

/**
 * The entries of an `hdfs dfs -ls -R` listing, streamed. Symlinks (`l`, rare on HDFS) are listed
 * as files: the scan shows them and nothing is decided about what they point to.
 *
 * @throws ListingError naming the file and line of the first line that is not an entry.
 */
export async function* readHdfsLs(file: string, options: ListingReadOptions = {}): AsyncGenerator<ListingEntry> {
	const offset = options.utcOffsetMinutes ?? 0;
	for await (const {text, line} of readLines(file)) {
		if (text.trim() === '' || FOUND_RE.test(text)) continue;
		const m = LINE_RE.exec(text);
		if (m === null) {
			// `-h` prints sizes as `1.2 K`: not exact, and not this shape.
			const human = HUMAN_RE.test(text) ? ' (sizes in K/M/G: list without -h)' : '';
			throw new ListingError(
				file,
				line,
				`expected an 'hdfs dfs -ls -R' line (permissions replication owner group size yyyy-MM-dd HH:mm path)${human}, got ${quoted(text)}`,
			);
		}
		const [, type, , size, date, time, path] = m;
		const mtimeMs = parseLocalTime(date, time, offset);
		if (mtimeMs === undefined) throw new ListingError(file, line, `expected a date and time (yyyy-MM-dd HH:mm), got ${quoted(`${date} ${time}`)}`);
		const where = splitHdfsPath(path);
		if (where === undefined) throw new ListingError(file, line, `expected an absolute path (list with 'hdfs dfs -ls -R /absolute/dir'), got ${quoted(path)}`);
		const directory = type === 'd';
		yield {...where, kind: directory ? 'directory' : 'file', size: directory ? 0 : Number(size), mtimeMs, timeResolutionMs: MINUTE_MS};
	}
}
