/**
 * Worker processes that `lstat` (or `stat`) many files for the scan: the names go to each through a
 * pipe, the results come back in typed arrays. The worker's own program is `stat-worker.ts`.
 */
import {spawn, type ChildProcess} from 'node:child_process';
import {availableParallelism} from 'node:os';
import * as fs from 'node:fs';
import {statInto, statWorkerSource, type StatKindCodes} from './stat-worker.js';

/** What one `lstat` found, as the stat workers report it. */
export const enum StatKind {
	Vanished = 0,
	File = 1,
	Symlink = 2,
	Other = 3,
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
const STAT_KIND: StatKindCodes = {
	vanished: StatKind.Vanished,
	file: StatKind.File,
	symlink: StatKind.Symlink,
	other: StatKind.Other,
	error: StatKind.Error,
	directory: StatKind.Directory,
};
/** The stat worker's program (see `stat-worker.ts`). */
const STAT_WORKER = statWorkerSource(STAT_KIND);

/** The stat results of files `at … at + kinds.length - 1` of a stat worker's ({@link StatBatch}, error indices relative to `at`). */
interface StatResults extends StatBatch {
	at: number;
	/** The worker's last message. */
	end: boolean;
}

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

/** The files this thread `lstat`s at a time in {@link StatWork.share} (a few ms), between turns of its event loop. */
const SHARE_FILES = 2048;

/** The files of `groups` from `start` (an index of all their names), as one worker's share. */
interface StatPart {
	start: number;
	dirs: string[];
	names: string[][];
	/** The index (from `start`) of each group's first name. */
	firsts: number[];
	length: number;
}

/** Contiguous runs of `groups` with about the same number of files each (at most `workers`, none empty). */
function splitParts(groups: readonly CrawledDirectory[], total: number, workers: number): StatPart[] {
	const parts: StatPart[] = [];
	let filesBefore = 0;
	for (const group of groups) {
		const w = Math.min(workers - 1, Math.floor((filesBefore * workers) / Math.max(1, total)));
		while (parts.length <= w) parts.push({start: filesBefore, dirs: [], names: [], firsts: [], length: 0});
		const part = parts[parts.length - 1];
		part.dirs.push(group.dir);
		part.names.push(group.names);
		part.firsts.push(part.length);
		part.length += group.names.length;
		filesBefore += group.names.length;
	}
	return parts.filter((part) => part.dirs.length > 0);
}

/** `lstat` (`stat` with `follow`) the files `from … to - 1` of `part` on this thread, as a worker would ({@link statInto}). */
function statPartHere(part: StatPart, from: number, to: number, follow: boolean): StatBatch {
	const out: StatBatch = {kinds: new Uint8Array(to - from), sizes: new Float64Array(to - from), mtimes: new Float64Array(to - from), errors: new Map()};
	// The last group that starts at or before `from`.
	let lo = 0;
	let hi = part.firsts.length - 1;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (part.firsts[mid] <= from) lo = mid;
		else hi = mid - 1;
	}
	for (let g = lo, i = from; i < to; g++) {
		const dir = part.dirs[g];
		const names = part.names[g];
		for (let j = i - part.firsts[g]; j < names.length && i < to; j++, i++) statInto(fs, STAT_KIND, follow, dir, `${dir}/${names[j]}`, out, i - from);
	}
	return out;
}

/**
 * `lstat` (`stat` with `follow`) the files of `groups` in `workers` worker processes (the calls are
 * system-call bound; several cores make them about that many times faster), and on this thread too
 * when it calls {@link StatWork.share}.
 *
 * The names go to the workers through a pipe that this thread's event loop writes. Until
 * {@link StatWork.ready}, this thread should not run long without turns of its event loop: the
 * million names of the bench tree took 4 s to arrive beside the `_metadata` loading (a turn every
 * 20 ms), and 50 ms when awaited.
 */
export function statInWorkers(
	groups: readonly CrawledDirectory[],
	total: number,
	workers: number,
	onDone: (done: number) => void,
	follow = false,
	messages: StatMessageSizes = {},
): StatWork {
	const nameBytes = messages.nameBytes ?? STAT_MESSAGE_BYTES;
	const resultFiles = messages.resultFiles ?? STAT_RESULT_FILES;
	const parts = splitParts(groups, total, workers);
	/** Per part: the files its worker has reported, and where it ended (once it has). */
	const progress = new Array<number>(parts.length).fill(0);
	const ended = new Array<number | undefined>(parts.length).fill(undefined);
	/** Per part: the index (from its start) before which its worker is to stop; this thread has taken the rest. */
	const stops = parts.map((part) => part.length);
	/** What this thread has `lstat`ed: files `at …` of part `w`. */
	const taken: {w: number; at: number; results: StatBatch}[] = [];
	let takenFiles = 0;
	const out: StatBatch = {kinds: new Uint8Array(total), sizes: new Float64Array(total), mtimes: new Float64Array(total), errors: new Map()};
	const started = parts.map(({start, dirs, names}, w) =>
		startStatWorker(dirs, names, {follow, resultFiles}, nameBytes, (message) => {
			const at = start + message.at;
			out.kinds.set(message.kinds, at);
			out.sizes.set(message.sizes, at);
			out.mtimes.set(message.mtimes, at);
			for (const [i, error] of message.errors) out.errors.set(at + i, error);
			progress[w] = message.at + message.kinds.length;
			if (message.end) ended[w] = progress[w];
			onDone(Math.min(total, progress.reduce((a, b) => a + b, 0) + takenFiles));
		}),
	);
	let failed = false;
	const batch = Promise.all(started.map(({done}) => done)).then(() => {
		// Where a worker went on past the stop this thread set (it had not read it yet), its results stand.
		for (const {w, at, results} of taken) {
			const {start} = parts[w];
			for (let i = Math.max(0, ended[w]! - at); i < results.kinds.length; i++) {
				out.kinds[start + at + i] = results.kinds[i];
				out.sizes[start + at + i] = results.sizes[i];
				out.mtimes[start + at + i] = results.mtimes[i];
				const error = results.errors.get(i);
				if (error !== undefined) out.errors.set(start + at + i, error);
			}
		}
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
			if (w < 0 || failed) return takenFiles;
			const to = stops[w];
			const from = Math.max(progress[w], to - Math.min(SHARE_FILES, resultFiles));
			// Told first: the worker reads it at its next turn, and does not start on these files
			// (or, already past them, ends where it is).
			stops[w] = from;
			started[w].child.send({stop: from}, () => undefined);
			taken.push({w, at: from, results: statPartHere(parts[w], from, to, follow)});
			takenFiles += to - from;
			await new Promise<void>((resolve) => setImmediate(resolve));
		}
	};
	return {
		ready: Promise.race([Promise.all(started.map(({sent}) => sent)).then(() => undefined), settled]),
		batch,
		share: () => (sharing ??= share()),
	};
}

/**
 * Start a stat worker process ({@link STAT_WORKER}) on the `names` of `dirs`, with `last` as its
 * last message. `onResults` takes each {@link StatResults} message. `sent`: the names and `last`
 * are written, or cannot be (never rejects); `done`: the last results arrived (rejects when the
 * worker cannot start or ends before). A worker still running when fcx ends is stopped.
 */
function startStatWorker(
	dirs: readonly string[],
	names: readonly string[][],
	last: {follow: boolean; resultFiles: number},
	nameBytes: number,
	onResults: (message: StatResults) => void,
): {child: ChildProcess; sent: Promise<void>; done: Promise<void>} {
	const child = spawn(process.execPath, ['-e', STAT_WORKER], {stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced'});
	const stop = (): void => {
		child.kill();
	};
	process.once('exit', stop);
	const done = new Promise<void>((resolve, reject) => {
		let settled = false;
		const settle = (): void => {
			settled = true;
			process.off('exit', stop);
		};
		child.on('message', (message: StatResults) => {
			onResults(message);
			if (message.end) {
				settle();
				resolve();
			}
		});
		child.on('error', (error) => {
			settle();
			reject(error);
		});
		// 'close', not 'exit': a worker may exit before this side has read its last message.
		child.on('close', (code, signal) => {
			if (settled) return;
			settle();
			reject(new Error(`stat worker exited with ${signal ?? `code ${code}`}`));
		});
	});
	// In messages of about `nameBytes`, each sent when the one before is written: one message of a
	// million names was 90 MB more peak memory here.
	const sent = new Promise<void>((resolve) => {
		let next = 0;
		const sendNext = (): void => {
			if (next === dirs.length) {
				child.send(last, () => resolve());
				return;
			}
			const first = next;
			let bytes = 0;
			while (next < dirs.length && (next === first || bytes < nameBytes)) {
				bytes += dirs[next].length + 1;
				for (const name of names[next]) bytes += name.length + 1;
				next++;
			}
			const slice = names.slice(first, next);
			child.send({dirs: dirs.slice(first, next), names: slice.map((list) => list.join('\0')), counts: slice.map((list) => list.length)}, (error) => {
				if (error) resolve();
				else sendNext();
			});
		};
		sendNext();
	});
	return {child, sent, done};
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
	const work = statInWorkers(groups, total, Math.max(1, workers - 1), () => undefined, true);
	// Once the names are sent: taking a share meanwhile would delay them.
	void work.ready.then(work.share);
	const {kinds, sizes, mtimes, errors} = await work.batch;
	const found = new Uint8Array(total); // Found.Absent
	for (let i = 0; i < total; i++) {
		const kind = kinds[i];
		if (kind === StatKind.File || kind === StatKind.Other) found[i] = Found.File;
		else if (kind === StatKind.Directory) found[i] = Found.Directory;
		else if (kind === StatKind.Error && !/^(ENOENT|ENOTDIR)\b/.test(errors.get(i) ?? '')) found[i] = Found.Unknown;
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
