/**
 * HDFS's {@link StoreActions} (through WebHDFS), for the one executor (`execute.ts`). Each entry
 * is checked against the fresh analysis as every store's is ({@link checkAgainstAnalysis}), after
 * GETFILESTATUS says it is still there and of its planned type. Just before acting, a file's
 * GETFILESTATUS must still show the length and modificationTime the scan saw (and a file); a
 * directory is listed again and must hold what the scan saw (files, bytes, newest time). Then:
 *
 * - quarantine: one RENAME into `<root>/.fcx-quarantine/<timestamp>/<path below the root>` (MKDIRS
 *   of its parent first; atomic on HDFS, a directory moves whole), announced first by a `moving`
 *   log line and a restore-script line (`hdfs dfs -mv`), both `fsync`ed;
 * - `--delete`: a `deleting` log line naming the entry's files, then DELETE with `recursive=false`
 *   of each file, then of each directory deepest first (a directory that is not empty then — a
 *   file written meanwhile — is refused by the namenode, and the file stays).
 *
 * A RENAME or DELETE answered `{"boolean": false}` stops the run ({@link RunStoppedError}: nothing
 * else is moved or deleted); a `RemoteException` (permission denied, …) fails the entry with its
 * one line and the run goes on. The log and restore script are local files (as on S3).
 */
import {storeKindOf, normaliseStoreUri} from '../store/uri.js';
import {StoreError} from '../store/types.js';
import {WebHdfsRefusedError, type WebHdfsStore} from '../store/webhdfs.js';
import {isInside, parentPath} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError} from './act.js';
import {appendOrStop, CleanWriteError, openRestoreScript, remoteJournalPaths, type JournalFile} from './journal.js';
import {shellQuote, type Fingerprint} from './plan.js';
import {checkAgainstAnalysis, type FreshIndex} from './recheck.js';
import {quarantinePathOf, remoteOutcome} from './remote-act.js';
import {RunStoppedError, type LogLine, type PreparedRun, type RunSetup, type StoreActions} from './store-actions.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

/** The head of the restore script: `hdfs` (or `$FCX_HDFS`) moves each quarantined path back. */
export function hdfsRestoreScriptHead(timestamp: string): string {
	return [
		'#!/bin/sh',
		`# fcx clean ${timestamp}: moves the quarantined files and directories back (hdfs dfs -mv). A path whose`,
		'# quarantined copy is not there (it never moved) is skipped; one whose original path exists again is left in the quarantine.',
		'set -u',
		'status=0',
		'hdfs_() { ${FCX_HDFS:-hdfs} "$@"; }',
		'back() {',
		'  if ! hdfs_ dfs -test -e "$1" 2>/dev/null; then return 0; fi',
		'  if hdfs_ dfs -test -e "$2" 2>/dev/null; then echo "fcx restore: $2 exists; left in the quarantine" >&2; status=1; return 0; fi',
		'  hdfs_ dfs -mkdir -p "$3" && hdfs_ dfs -mv "$1" "$2" || status=1',
		'}',
		'',
	].join('\n');
}

/** The restore script's line for `from`, about to be renamed to `to` (written before the rename). */
export function hdfsRestoreLine(from: string, to: string): string {
	return `back ${shellQuote(to)} ${shellQuote(from)} ${shellQuote(parentPath(from))}\n`;
}

/** Why a store call failed, in one line. */
function failure(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

/** HDFS's actions (see the module doc). */
export class HdfsActions implements StoreActions {
	readonly warnings: string[] = [];
	private roots: string[] = [];
	private readonly paths: {logPath: string; restorePath: string};
	private log: LogLine = () => undefined;
	private restore: JournalFile | null = null;

	constructor(
		private readonly store: WebHdfsStore,
		private readonly setup: RunSetup,
		private readonly planRoots: readonly string[],
	) {
		this.paths = remoteJournalPaths(setup.timestamp, setup.logPath);
	}

	private rootOf(p: string): string | undefined {
		return this.roots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	}

	/** The roots that are directories now (GETFILESTATUS); a `.fcx-quarantine` there must be a directory. */
	async prepare(): Promise<PreparedRun> {
		for (const r of this.planRoots.map(normaliseStoreUri)) {
			const st = await this.store.stat(r);
			if (st?.kind !== 'directory') continue;
			const base = await this.store.stat(`${r}/${QUARANTINE_DIR}`);
			if (base !== undefined && base.kind !== 'directory') {
				throw new ExecutionRefusedError(`${r}/${QUARANTINE_DIR} is not a directory: fcx moves entries only into a directory of that name inside the root`);
			}
			this.roots.push(r);
		}
		if (this.roots.length === 0) throw new ExecutionRefusedError(`none of the plan's roots is a directory on HDFS now (${this.planRoots.join(', ')})`);
		const {timestamp} = this.setup;
		return {
			roots: this.roots,
			logPath: this.paths.logPath,
			logFlag: 'wx',
			start: {quarantine: this.setup.delete ? null : this.roots.map((r) => `${r}/${QUARANTINE_DIR}/${timestamp}`)},
		};
	}

	begin(log: LogLine): void {
		this.log = log;
		if (!this.setup.delete) this.restore = openRestoreScript(this.paths.restorePath, hdfsRestoreScriptHead(this.setup.timestamp), this.setup.openJournal);
	}

	/** A normalised path of the roots' namenode, there now (GETFILESTATUS) and of the planned type; then the analysis's checks. */
	async recheck(entry: PlanEntry, root: string | undefined, fp: Fingerprint, youngSince: number, index: FreshIndex): Promise<string | null> {
		const p = entry.path;
		if (
			storeKindOf(p) !== 'hdfs' ||
			normaliseStoreUri(p) !== p ||
			p
				.split('/')
				.slice(3)
				.some((s) => s === '.' || s === '..')
		) {
			return 'not a normalised HDFS URI';
		}
		if (root === undefined) return 'outside the plan roots';
		if (p.split('/').includes(QUARANTINE_DIR)) return 'inside a quarantine directory';
		let st;
		try {
			st = await this.store.stat(p);
		} catch (error) {
			return `cannot stat: ${failure(error)}`;
		}
		if (st === undefined) return 'missing: no longer exists';
		if (st.kind !== entry.type) return `changed since the plan: no longer a ${entry.type}`;
		return checkAgainstAnalysis(entry, fp, st.mtimeMs, youngSince, index);
	}

	async act(entry: PlanEntry, fp: Fingerprint): Promise<ExecutionRecord> {
		const skipped = (reason: string): ExecutionRecord => ({path: entry.path, action: 'skipped', reason, bytes: entry.bytes});
		let files: string[];
		try {
			const now = await this.current(entry, fp);
			if (typeof now === 'string') return skipped(now);
			files = now;
		} catch (error) {
			return skipped(`cannot check it now: ${failure(error)}`);
		}
		try {
			if (this.setup.delete) return await this.deleteEntry(entry, files);
			const to = quarantinePathOf(entry.path, this.rootOf(entry.path)!, this.setup.timestamp);
			// The intent first, durably: a run killed from here on leaves a script that moves the
			// entry back if it moved, and skips it if not.
			this.log({event: 'moving', path: entry.path, quarantinePath: to});
			appendOrStop(this.restore!, this.paths.restorePath, hdfsRestoreLine(entry.path, to));
			await this.store.rename(entry.path, to);
			return {path: entry.path, action: 'quarantined', quarantinePath: to, bytes: entry.bytes};
		} catch (error) {
			if (error instanceof CleanWriteError) throw error;
			if (error instanceof WebHdfsRefusedError) throw new RunStoppedError(skipped(`failed, the run stops: ${error.message}`));
			return skipped(`failed: ${failure(error)}`);
		}
	}

	/**
	 * The entry as the store has it now, just before acting: its files (a file: itself, by
	 * GETFILESTATUS; a directory: listed again), or why it is skipped — it must be what the fresh
	 * scan saw (`fp`: files, bytes, newest modificationTime).
	 */
	private async current(entry: PlanEntry, fp: Fingerprint): Promise<string[] | string> {
		if (entry.type === 'file') {
			const st = await this.store.stat(entry.path);
			if (st === undefined) return 'changed since the scan: it no longer exists';
			if (st.kind !== 'file') return 'changed since the scan: no longer a file';
			if (st.size !== fp.size || st.mtimeMs !== fp.mtimeMs) {
				return `changed since the scan: now ${st.size} bytes, modified ${new Date(st.mtimeMs).toISOString()} (the scan saw ${fp.size} bytes, ${new Date(fp.mtimeMs).toISOString()})`;
			}
			return [entry.path];
		}
		const files: string[] = [];
		const listed: Fingerprint = {size: 0, mtimeMs: 0, files: 0};
		for await (const batch of this.store.list(entry.path)) {
			for (const e of batch) {
				if (e.kind !== 'file') continue;
				files.push(e.path);
				listed.size += e.size;
				listed.files++;
				listed.mtimeMs = Math.max(listed.mtimeMs, e.mtimeMs);
			}
		}
		if (listed.files !== fp.files || listed.size !== fp.size || listed.mtimeMs !== fp.mtimeMs) {
			return `changed since the scan: listed now ${listed.files} files, ${listed.size} bytes (the scan saw ${fp.files}, ${fp.size} bytes)`;
		}
		return files;
	}

	/** Delete the entry's files, then its directories deepest first, each with `recursive=false`; logged first. */
	private async deleteEntry(entry: PlanEntry, files: readonly string[]): Promise<ExecutionRecord> {
		this.log({event: 'deleting', path: entry.path, paths: files});
		let deleted = 0;
		// One at a time: a DELETE answered false stops the run before anything else is deleted.
		for (const file of files) {
			const [outcome] = await this.store.delete([file]);
			if (outcome.error instanceof WebHdfsRefusedError) throw outcome.error;
			if (outcome.error !== undefined) {
				return {
					path: entry.path,
					action: 'skipped',
					reason: `failed after deleting ${deleted} of ${files.length} files: ${outcome.error.message}`,
					bytes: entry.bytes,
				};
			}
			deleted++;
		}
		if (entry.type === 'directory') {
			const dirs = new Set<string>([entry.path]);
			for (const f of files) for (let d = parentPath(f); d !== entry.path && isInside(d, entry.path); d = parentPath(d)) dirs.add(d);
			for await (const batch of this.store.list(entry.path)) for (const e of batch) if (e.kind === 'directory') dirs.add(e.path);
			for (const d of [...dirs].sort((a, b) => b.length - a.length)) {
				try {
					await this.store.deleteEmptyDirectory(d);
				} catch (error) {
					if (error instanceof WebHdfsRefusedError || !(error instanceof StoreError)) throw error;
					return {path: entry.path, action: 'skipped', reason: `failed after deleting its ${files.length} files: ${error.message}`, bytes: entry.bytes};
				}
			}
		}
		return {path: entry.path, action: 'deleted', bytes: entry.bytes};
	}

	finish(): void {
		// The script has no end line: a run killed at any point leaves one that works the same.
	}

	close(): void {
		this.restore?.close();
		this.restore = null;
	}

	outcome(records: readonly ExecutionRecord[]): {restoreCommand: string | null; quarantineDirs: string[]} {
		return remoteOutcome(records, this.roots, (path) => this.rootOf(path), this.setup.timestamp, this.paths.restorePath);
	}
}
