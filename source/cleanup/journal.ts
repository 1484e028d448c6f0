/**
 * The durable files of a `fcx clean` run, its JSONL log and its restore script: every line is
 * written and `fsync`ed before the action it announces, so that a run killed at any point (SIGKILL,
 * power loss) leaves a log and a restore script that name every entry it may have moved.
 * A write that fails is a {@link CleanWriteError} (the user's environment: disk full, read-only).
 */
import {closeSync, fsyncSync, openSync, writeSync} from 'node:fs';
import {resolve} from 'node:path';

/** One file that lines are appended to, each durably. */
export interface JournalFile {
	/** Append `text` and flush it to the disk (`fsync`). @throws the write's error */
	append(text: string): void;
	close(): void;
}

/** Opens a journal file: `wx` makes a new one (fails when it exists), `a` appends. */
export type OpenJournal = (path: string, flag: 'wx' | 'a', mode?: number) => JournalFile;

/** The default {@link OpenJournal}: a file descriptor kept open, one `write` + `fsync` per append. */
export const openJournalFile: OpenJournal = (path, flag, mode = 0o644) => {
	const fd = openSync(path, flag, mode);
	return {
		append(text) {
			const bytes = Buffer.from(text, 'utf8');
			for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done);
			fsyncSync(fd);
		},
		close() {
			closeSync(fd);
		},
	};
};

const CAUSES: Record<string, string> = {
	ENOSPC: 'no space left on device',
	EDQUOT: 'disk quota exceeded',
	EROFS: 'read-only file system',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ENOENT: 'no such file or directory',
	ENOTDIR: 'a path component is not a directory',
	EIO: 'input/output error',
	EFBIG: 'file too large',
};

/** `no space left on device (ENOSPC)` for an fs error, else its message. */
export function writeErrorCause(error: unknown): string {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (typeof code === 'string') return `${CAUSES[code] ?? (error as Error).message.replace(/^[A-Z]+: /, '').replace(/, \w+ .*$/, '')} (${code})`;
	return error instanceof Error ? error.message : String(error);
}

/**
 * A file fcx had to write could not be written (exit 74, `EX_IOERR`): an error of the user's
 * environment, not of fcx. `path` names the file, `cause` says why in words.
 */
export class CleanWriteError extends Error {
	constructor(
		readonly path: string,
		readonly reason: string,
		/** What the run had done when it stopped, for the message (e.g. `stopped after 3 of 10 entries`). */
		readonly progress = '',
	) {
		super(`cannot write ${path}: ${reason}${progress === '' ? '' : `; ${progress}`}`);
		this.name = 'CleanWriteError';
	}
}

/** Append to `file` (at `path`), turning a failure into a {@link CleanWriteError}. */
export function appendOrStop(file: JournalFile, path: string, text: string): void {
	try {
		file.append(text);
	} catch (error) {
		throw new CleanWriteError(path, writeErrorCause(error));
	}
}

/**
 * The local log and restore script of a run on a remote store (S3 and HDFS have no append a
 * journal can rely on): the given log, else `fcx-clean-<timestamp>.log` in the current directory,
 * and the restore script beside it (`.restore.sh`). Absolute paths.
 */
export function remoteJournalPaths(timestamp: string, logPath: string | undefined): {logPath: string; restorePath: string} {
	const log = resolve(logPath ?? `fcx-clean-${timestamp}.log`);
	return {logPath: log, restorePath: `${log.replace(/\.log$/, '')}.restore.sh`};
}

/**
 * Make the restore script `path` (a new file, executable) and write its `head` durably.
 * @throws CleanWriteError when it cannot be made or written
 */
export function openRestoreScript(path: string, head: string, open: OpenJournal): JournalFile {
	let file: JournalFile;
	try {
		file = open(path, 'wx', 0o755);
	} catch (error) {
		throw new CleanWriteError(path, writeErrorCause(error));
	}
	try {
		appendOrStop(file, path, head);
	} catch (error) {
		file.close();
		throw error;
	}
	return file;
}
