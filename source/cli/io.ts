/**
 * What every command handler shares: where its output goes ({@link RunContext}), streaming a long
 * output with backpressure, analysing with a progress line, and naming a path that cannot be read.
 */
import {stat} from 'node:fs/promises';
import process from 'node:process';
import {analyse} from '../analysis/index.js';
import type {AnalyseOptions, Analysis} from '../analysis/types.js';
import {isRemoteRoot} from '../store/uri.js';
import {visibleMessage} from '../text/index.js';

/** Where output goes; defaults to the process streams. */
export interface RunContext {
	interactive: boolean;
	/** Tool version for report headers. */
	version?: string;
	stdout?: NodeJS.WritableStream;
	stderr?: NodeJS.WritableStream;
	/** Asks the user a question on the terminal (`clean`); default: readline on stdin/stderr. */
	ask?: (question: string) => Promise<string>;
}

/** A {@link RunContext} with its streams settled (the process streams unless given). */
export interface Io {
	stdout: NodeJS.WritableStream;
	stderr: NodeJS.WritableStream;
}

/** The streams of `context`, defaulting to the process's. */
export function ioOf(context: RunContext): Io {
	return {stdout: context.stdout ?? process.stdout, stderr: context.stderr ?? process.stderr};
}

/** Write `chunks` to `stream`, waiting for `drain` whenever it asks to (backpressure). */
export async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string | Uint8Array>): Promise<void> {
	for (const chunk of chunks) {
		if (stream.write(chunk) !== false) continue;
		await new Promise<void>((resolve, reject) => {
			const done = (error?: unknown): void => {
				stream.off('drain', done);
				stream.off('error', done);
				stream.off('close', done);
				if (error instanceof Error) reject(error);
				else resolve();
			};
			stream.on('drain', done);
			stream.on('error', done);
			stream.on('close', done);
		});
	}
}

/** Analyse quietly, with a progress line on a terminal stderr. */
export async function analyseWithProgress(paths: string[], options: AnalyseOptions, stderr: NodeJS.WritableStream): Promise<Analysis> {
	const showProgress = Boolean((stderr as NodeJS.WriteStream).isTTY);
	const analysis = await analyse(paths, {
		...options,
		onProgress: showProgress
			? (p) =>
					stderr.write(
						`\r\u001B[2K${p.phase} ${p.done}${p.total === undefined ? '' : `/${p.total}`}${p.rate === undefined ? '' : ` objects (${Math.round(p.rate)}/s)`}`,
					)
			: undefined,
	});
	if (showProgress) stderr.write('\r\u001B[2K');
	return analysis;
}

/**
 * Check that every local path can be `stat`ed; the first that cannot is named on `stderr` in one
 * line. Store URIs are not checked here (the analysis says when one cannot be listed: see
 * {@link unlistedRemoteRoots}).
 * @returns whether all exist
 */
export async function allPathsExist(paths: readonly string[], stderr: NodeJS.WritableStream): Promise<boolean> {
	for (const p of paths) {
		if (isRemoteRoot(p)) continue;
		try {
			await stat(p);
		} catch (error) {
			stderr.write(visibleMessage(`fcx: ${fsErrorText(p, error)}`));
			return false;
		}
	}
	return true;
}

const FS_REASONS: Record<string, string> = {
	ENOENT: 'no such file or directory',
	EACCES: 'permission denied',
	EPERM: 'operation not permitted',
	ENOTDIR: 'a path component is not a directory',
	ELOOP: 'too many symbolic links',
	EISDIR: 'is a directory',
};

/** What went wrong reading `file`, as `<file>: <reason>` (`no such file or directory`, `permission denied`, …). */
export function fsErrorText(file: string, error: unknown): string {
	const code = isFsError(error) ? error.code : undefined;
	return `${file}: ${(code === undefined ? undefined : FS_REASONS[code]) ?? (error instanceof Error ? error.message : String(error))}`;
}

/** Whether `error` is a Node file-system error (it has a string `code` such as `ENOENT`). */
export function isFsError(error: unknown): error is NodeJS.ErrnoException {
	return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}

/**
 * Name on `stderr` each store root the analysis could not list or found nothing below (a remote
 * root cannot be checked before the analysis, as a local one is with `stat`).
 * @returns whether there was one: unreadable input all the same
 */
export function reportUnlistedRemoteRoots(analysis: Analysis, stderr: NodeJS.WritableStream): boolean {
	const unlisted = analysis.warnings.filter((w) => w.code === 'root-unreadable' && isRemoteRoot(w.path));
	for (const w of unlisted) stderr.write(visibleMessage(`fcx: ${w.path}: ${w.message}`));
	return unlisted.length > 0;
}
