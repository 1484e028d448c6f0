/**
 * Reading listing files line by line with bounded memory (one line at a time, never the whole
 * file), gzip or not, and the time formats of text listings.
 */
import {createReadStream} from 'node:fs';
import {createInterface} from 'node:readline';
import {createGunzip} from 'node:zlib';
import type {Readable} from 'node:stream';
import {ListingError} from './types.js';

/** A line of a listing file and its 1-based number. */
export interface NumberedLine {
	text: string;
	line: number;
}

/**
 * The lines of `file` (without their `\n` or `\r\n`), numbered from 1, read as a stream; a gzip
 * file when `gzip` is set. A file that cannot be read or decompressed is a {@link ListingError}
 * naming it (and the line reached).
 */
export async function* readLines(file: string, options: {gzip?: boolean} = {}): AsyncGenerator<NumberedLine> {
	let input: Readable = createReadStream(file);
	let failure: Error | undefined;
	if (options.gzip === true) {
		const raw = input;
		input = raw.pipe(createGunzip());
		raw.on('error', (error) => input.destroy(error));
	}
	input.on('error', (error) => {
		failure = error;
	});
	const lines = createInterface({input, crlfDelay: Infinity});
	let line = 0;
	try {
		for await (const text of lines) {
			line++;
			yield {text, line};
		}
	} catch (error) {
		failure = error instanceof Error ? error : new Error(String(error));
	} finally {
		lines.close();
		input.destroy();
	}
	if (failure !== undefined) throw new ListingError(file, line > 0 ? line + 1 : 0, `cannot read: ${failure.message}`);
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * Epoch ms of a local `yyyy-MM-dd` date and `HH:mm[:ss]` time at `utcOffsetMinutes` from UTC, or
 * `undefined` when either is not a valid date or time.
 */
export function parseLocalTime(date: string, time: string, utcOffsetMinutes: number): number | undefined {
	const d = DATE_RE.exec(date);
	const t = TIME_RE.exec(time);
	if (d === null || t === null) return undefined;
	const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
	const [hour, minute, second] = [Number(t[1]), Number(t[2]), t[3] === undefined ? 0 : Number(t[3])];
	if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
	const ms = Date.UTC(year, month - 1, day, hour, minute, second);
	if (new Date(ms).getUTCDate() !== day) return undefined; // 2026-02-30
	return ms - utcOffsetMinutes * 60_000;
}

/**
 * Epoch ms of an ISO 8601 time with an offset or `Z` (`2026-12-06T01:02:03.000Z`,
 * `2026-12-06T01:02:03+00:00`), or `undefined` (a time without offset is refused: its zone is
 * unknown).
 */
export function parseIsoTime(text: string): number | undefined {
	if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})$/.test(text)) return undefined;
	const ms = Date.parse(text);
	return Number.isFinite(ms) ? ms : undefined;
}
