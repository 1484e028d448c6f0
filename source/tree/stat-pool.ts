/**
 * Worker processes that `lstat` (or `stat`) many files for the scan: the names of each directory go
 * to one of them through a pipe as soon as the crawl has read it, the results come back in typed
 * arrays. One worker process is `stat-process.ts`, its own program `stat-worker.ts`.
 */
import {availableParallelism} from 'node:os';
import * as fs from 'node:fs';
import {startStatProcess, type StatProcess, type StatResults} from './stat-process.js';
import {statInto, statWorkerSource, type StatKindCodes} from './stat-worker.js';

/** What one `lstat` found, as the stat workers report it. */
export const enum StatKind {
	/** Not there: gone, or a component of its path is no directory (ENOENT, ENOTDIR). */
	Vanished = 0,
	File = 1,
	Symlink = 2,
	Other = 3,
	/** Could not be looked at (EACCES, ENAMETOOLONG, EIO…): unknown, never taken for not there. */
	Error = 4,
	/** Only when symlinks are followed (`stat`). */
	Directory = 5,
}
/** `lstat` results of a list of paths, in typed arrays (sizes in bytes, mtimes in ms). */
export interface StatBatch {
	kinds: Uint8Array;
	sizes: Float64Array;
	mtimes: Float64Array;
	/** Index → message, for {@link StatKind.Error} and {@link StatKind.Vanished}. */
	errors: Map<number, string>;
}

/** A stat worker posts its results every this many files, and reads its messages (see {@link StatMessageSizes}). */
const STAT_RESULT_FILES = 4096;

/** The numbers of {@link StatKind}, for {@link statInto}. */
export const STAT_KIND: StatKindCodes = {
	vanished: StatKind.Vanished,
	file: StatKind.File,
	symlink: StatKind.Symlink,
	other: StatKind.Other,
	error: StatKind.Error,
	directory: StatKind.Directory,
};
/** The stat worker's program (see `stat-worker.ts`). */
const STAT_WORKER = statWorkerSource(STAT_KIND);

/** About this many bytes of file names go to a stat worker per message (see {@link StatMessageSizes}). */
const STAT_MESSAGE_BYTES = 1024 * 1024;

/** The files of one crawled directory (absolute, no trailing slash), by name. */
export interface CrawledDirectory {
	dir: string;
	names: string[];
}

/** Stat worker processes at work: {@link StatWork.ready} once each has its work, {@link StatWork.batch} with the results. */
export interface StatWork {
	/** Resolves when the directories and names have been sent to every worker (never rejects). */
	ready: Promise<void>;
	/** The results, in the order of the groups and their names; rejects when a worker cannot start or fails. */
	batch: Promise<StatBatch>;
	/**
	 * `lstat` on this thread too, the files the workers have not reached, from the end of a worker's
	 * share (the one with the most left) down to where that worker is, a few thousand files between
	 * turns of the event loop, until nothing is left to take. Resolves then, or when a worker fails
	 * (never rejects). The results are those of one `lstat` per file either way (a file both `lstat`
	 * keeps the worker's result). Resolves with the number of files this thread `lstat`ed.
	 */
	share: () => Promise<number>;
}

/**
 * Stat worker processes that take directories as a crawl reads them ({@link openStatWorkers}): each
 * one's files are `lstat`ed while the crawl goes on.
 */
export interface StatStream {
	/** Give the files of one more directory to a worker (the one with the fewest files so far). */
	add: (group: CrawledDirectory) => void;
	/**
	 * No more directories: `groups` holds every one added, each once, in the order the results are
	 * wanted in. `onDone` is told how many files are done as results arrive.
	 *
	 * @throws Error when `groups` does not hold exactly the files added (a programming error).
	 */
	close: (groups: readonly CrawledDirectory[], onDone: (done: number) => void) => StatWork;
	/** Stop the worker processes, without results (the crawl failed): nothing keeps fcx from ending. */
	abort: () => void;
}

/** The files this thread `lstat`s at a time in {@link StatWork.share} (a few ms), between turns of its event loop. */
const SHARE_FILES = 2048;

/** The directories given to one worker, in the order they were sent; a worker's indices count their files from 0. */
interface StatPart {
	groups: CrawledDirectory[];
	/** The index (in the part) of each group's first name. */
	firsts: number[];
	/** The index (among the files of all parts, in the order given to `close`) of each group's first name. */
	starts: number[];
	length: number;
}

/** The last group of `part` that starts at or before its file `index` (the one that holds it, when any does). */
function groupAt(part: StatPart, index: number): number {
	let lo = 0;
	let hi = part.firsts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (part.firsts[mid] <= index) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** Copy `results` of the files `at …` of `part`, from its index `from` on, into `out` at their places among all files. */
function writePart(part: StatPart, out: StatBatch, results: StatBatch, at: number, from = 0): void {
	const n = results.kinds.length;
	const {groups, firsts, starts} = part;
	for (let i = from, g = groupAt(part, at + from); i < n; g++) {
		const inGroup = at + i - firsts[g];
		const to = starts[g] + inGroup;
		// The groups that follow on here and among all files alike are copied with it (a copy per
		// group of 50 names cost 140 ms for a million).
		while (g + 1 < groups.length && firsts[g + 1] < at + n && starts[g + 1] === starts[g] + groups[g].names.length) g++;
		const count = Math.min(n - i, firsts[g] + groups[g].names.length - at - i);
		if (count <= 0) continue;
		out.kinds.set(results.kinds.subarray(i, i + count), to);
		out.sizes.set(results.sizes.subarray(i, i + count), to);
		out.mtimes.set(results.mtimes.subarray(i, i + count), to);
		i += count;
	}
	for (const [i, error] of results.errors) {
		if (i < from) continue;
		const g = groupAt(part, at + i);
		out.errors.set(part.starts[g] + at + i - part.firsts[g], error);
	}
}

/** `lstat` (`stat` with `follow`) the files `from … to - 1` of `part` on this thread, as a worker would ({@link statInto}). */
function statPartHere(part: StatPart, from: number, to: number, follow: boolean): StatBatch {
	const out: StatBatch = {kinds: new Uint8Array(to - from), sizes: new Float64Array(to - from), mtimes: new Float64Array(to - from), errors: new Map()};
	for (let g = groupAt(part, from), i = from; i < to; g++) {
		const {dir, names} = part.groups[g];
		for (let j = i - part.firsts[g]; j < names.length && i < to; j++, i++) statInto(fs, STAT_KIND, follow, dir, `${dir}/${names[j]}`, out, i - from);
	}
	return out;
}

/**
 * `lstat` (`stat` with `follow`) the files of `groups` in `workers` worker processes (the calls are
 * system-call bound; several cores make them about that many times faster), and on this thread too
 * when it calls {@link StatWork.share}. {@link openStatWorkers} with every group at once.
 */
export function statInWorkers(
	groups: readonly CrawledDirectory[],
	total: number,
	workers: number,
	onDone: (done: number) => void,
	follow = false,
	messages: StatMessageSizes = {},
): StatWork {
	const stream = openStatWorkers(workers, follow, messages);
	for (const group of groups) stream.add(group);
	return stream.close(groups, onDone);
}

/**
 * Up to `workers` worker processes that `lstat` (`stat` with `follow`) the files of the directories
 * {@link StatStream.add}ed, from the first one on: a crawl hands each directory over as it reads it,
 * and the `lstat`s run on another core meanwhile. A worker process is started with the first
 * directory it gets.
 *
 * The names go to the workers through a pipe that this thread's event loop writes. Until
 * {@link StatWork.ready}, this thread should not run long without turns of its event loop: the
 * million names of the bench tree took 4 s to arrive beside the `_metadata` loading (a turn every
 * 20 ms), and 50 ms when awaited.
 */
export function openStatWorkers(workers: number, follow = false, messages: StatMessageSizes = {}): StatStream {
	const nameBytes = messages.nameBytes ?? STAT_MESSAGE_BYTES;
	const resultFiles = messages.resultFiles ?? STAT_RESULT_FILES;
	const parts: StatPart[] = [];
	const started: StatProcess[] = [];
	/** Per part: the files its worker has reported, and where it ended (once it has). */
	const progress: number[] = [];
	const ended: (number | undefined)[] = [];
	/** Results that came before {@link StatStream.close} said where they go. */
	const early: {w: number; message: StatResults}[] = [];
	let out: StatBatch | undefined;
	let report = (): void => undefined;
	const receive = (w: number, message: StatResults): void => {
		progress[w] = message.at + message.kinds.length;
		if (message.end) ended[w] = progress[w];
		if (out === undefined) early.push({w, message});
		else writePart(parts[w], out, message, message.at);
		report();
	};
	const add = (group: CrawledDirectory): void => {
		let w = 0;
		for (let p = 1; p < parts.length; p++) if (parts[p].length < parts[w].length) w = p;
		if (parts.length < workers && (parts.length === 0 || parts[w].length > 0)) {
			w = parts.length;
			parts.push({groups: [], firsts: [], starts: [], length: 0});
			progress.push(0);
			ended.push(undefined);
			started.push(startStatProcess(STAT_WORKER, parts[w].groups, {follow, resultFiles}, nameBytes, (message) => receive(w, message)));
		}
		const part = parts[w];
		part.groups.push(group);
		part.firsts.push(part.length);
		part.length += group.names.length;
		started[w].pump();
	};
	const close = (groups: readonly CrawledDirectory[], onDone: (done: number) => void): StatWork => {
		const starts = new Map<CrawledDirectory, number>();
		let total = 0;
		for (const group of groups) {
			starts.set(group, total);
			total += group.names.length;
		}
		let added = 0;
		for (const part of parts) {
			part.starts = part.groups.map((group) => starts.get(group) ?? Number.NaN);
			added += part.length;
		}
		if (added !== total || parts.some(({starts}) => starts.some(Number.isNaN))) {
			throw new Error('the stat workers were given other files than the groups closed with');
		}
		const results: StatBatch = {kinds: new Uint8Array(total), sizes: new Float64Array(total), mtimes: new Float64Array(total), errors: new Map()};
		out = results;
		for (const {w, message} of early) writePart(parts[w], results, message, message.at);
		early.length = 0;
		const pool: ClosedPool = {parts, started, out: results, progress, ended, takenFiles: 0, follow, resultFiles};
		report = () => onDone(Math.min(total, progress.reduce((a, b) => a + b, 0) + pool.takenFiles));
		for (const worker of started) worker.close();
		return shareWork(pool);
	};
	const abort = (): void => {
		for (const {child} of started) child.kill();
	};
	return {add, close, abort};
}

/** The stat pool once every directory is added: its parts, its workers, where the results go, how far each worker is. */
interface ClosedPool {
	parts: readonly StatPart[];
	started: readonly StatProcess[];
	out: StatBatch;
	/** Per part: the files its worker has reported, and where it ended (once it has). */
	progress: readonly number[];
	ended: readonly (number | undefined)[];
	/** The files this thread has `lstat`ed. */
	takenFiles: number;
	follow: boolean;
	resultFiles: number;
}

/** The {@link StatWork} of a {@link ClosedPool}: its results, and this thread's share of the `lstat`s. */
function shareWork(pool: ClosedPool): StatWork {
	const {parts, started, out, progress, ended, follow, resultFiles} = pool;
	/** Per part: the index (from its start) before which its worker is to stop; this thread has taken the rest. */
	const stops = parts.map((part) => part.length);
	/** What this thread has `lstat`ed: files `at …` of part `w`. */
	const taken: {w: number; at: number; results: StatBatch}[] = [];
	let failed = false;
	const batch = Promise.all(started.map(({done}) => done)).then(() => {
		// Where a worker went on past the stop this thread set (it had not read it yet), its results stand.
		for (const {w, at, results} of taken) writePart(parts[w], out, results, at, Math.max(0, ended[w]! - at));
		return out;
	});
	const settled = batch.then(
		() => undefined,
		() => {
			failed = true;
			// The caller stats everything itself: the other workers' results would go unused.
			for (const {child} of started) child.kill();
		},
	);
	let sharing: Promise<number> | undefined;
	const share = async (): Promise<number> => {
		for (;;) {
			let w = -1;
			let left = 0;
			for (let p = 0; p < parts.length; p++) {
				if (ended[p] === undefined && stops[p] - progress[p] > left) {
					w = p;
					left = stops[p] - progress[p];
				}
			}
			if (w < 0 || failed) return pool.takenFiles;
			const to = stops[w];
			const from = Math.max(progress[w], to - Math.min(SHARE_FILES, resultFiles));
			// Told first: the worker reads it at its next turn, and does not start on these files
			// (or, already past them, ends where it is).
			stops[w] = from;
			started[w].child.send({stop: from}, () => undefined);
			taken.push({w, at: from, results: statPartHere(parts[w], from, to, follow)});
			pool.takenFiles += to - from;
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
	};
	return {
		ready: Promise.race([Promise.all(started.map(({sent}) => sent)).then(() => undefined), settled]),
		batch,
		share: () => (sharing ??= share()),
	};
}

/** What `stat` (following symlinks) found at a path, as {@link statNamesInWorkers} reports it. */
export const enum Found {
	/** Nothing is there (`ENOENT`, `ENOTDIR`). */
	Absent = 0,
	/** A file (or another kind of node that is not a directory). */
	File = 1,
	Directory = 2,
	/** It cannot be told (`EACCES`, …: a directory above cannot be read). */
	Unknown = 3,
}

/** {@link statNamesInWorkers}'s results, one per name in the order of the groups and their names (sizes in bytes, mtimes in ms, truncated). */
export interface FoundBatch {
	found: Uint8Array;
	sizes: Float64Array;
	mtimes: Float64Array;
}

/**
 * `stat` (following symlinks) the `total` names of `groups` (each `dir + '/' + name`, absolute) on
 * `workers` cores: in `workers - 1` worker processes (at least one) and on this thread, which has
 * nothing else to do meanwhile ({@link StatWork.share}). For the many referenced files a resolver
 * checks outside the scanned roots, given by directory (no full path is made for each). Rejects
 * when a worker cannot start.
 */
export async function statNamesInWorkers(groups: readonly CrawledDirectory[], total: number, workers: number): Promise<FoundBatch> {
	return foundOf(
		statInWorkers(groups, total, Math.max(1, workers - 1), () => undefined, true),
		total,
	);
}

/**
 * What a {@link StatStream} opened with `follow` found at the `total` names it was closed with
 * ({@link StatStream.close}'s work): this thread takes its share once the names are sent ({@link
 * StatWork.share}). Rejects when a worker cannot start or fails: no result is ever guessed.
 */
export async function foundOf(work: StatWork, total: number): Promise<FoundBatch> {
	// Once the names are sent: taking a share meanwhile would delay them.
	void work.ready.then(work.share);
	const {kinds, sizes, mtimes} = await work.batch;
	const found = new Uint8Array(total); // Found.Absent
	for (let i = 0; i < total; i++) {
		const kind = kinds[i];
		if (kind === StatKind.File || kind === StatKind.Other) found[i] = Found.File;
		else if (kind === StatKind.Directory) found[i] = Found.Directory;
		else if (kind === StatKind.Error) found[i] = Found.Unknown;
	}
	return {found, sizes, mtimes};
}

/** Sizes of the messages to and from a stat worker process. */
export interface StatMessageSizes {
	/** About this many bytes of file names per message to it; default 1 MiB. */
	nameBytes?: number;
	/** The results of this many files per message from it; default 4,096 (also how far a worker may go past the stop this thread sets before it reads it). */
	resultFiles?: number;
}

/** Worker processes for `lstat`: one per available core, at most 4 (more do not help, see `statInWorkers`). */
export function defaultStatWorkers(): number {
	return Math.max(1, Math.min(4, availableParallelism()));
}
