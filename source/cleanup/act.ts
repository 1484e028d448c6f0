/**
 * One `fcx clean` run's actions on approved entries: the quarantine directories, the restore
 * script, and the move or delete of each entry inside its pinned parent directory. Every move is
 * announced durably (log line and restore line, `fsync`ed) before it happens.
 */
import {rmSync} from 'node:fs';
import {lstat, mkdir} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {parentPath} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {visibleControls} from '../text/index.js';
import {appendOrStop, CleanWriteError, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
import {deleteEntry, moveEntry, withPinnedDirectories} from './pinned.js';
import {shellQuote} from './plan.js';
import {errorMessage, realBelow, realElsewhere} from './recheck.js';
import type {ExecutionRecord, PlanEntry} from './types.js';

/** {@link executePlan} refused to start: nothing was changed (no log written, no entry acted on). */
export class ExecutionRefusedError extends Error {
	/** Why, without "nothing was changed" (for an entry's record when the run had started). */
	readonly reason: string;

	constructor(reason: string) {
		super(`${reason}; nothing was changed`);
		this.name = 'ExecutionRefusedError';
		this.reason = reason;
	}
}

/**
 * `<root>/.fcx-quarantine`, checked (and made when `make` and missing; the root exists, it was just
 * scanned). Never followed out of the root: a symlink or non-directory there, or a real path
 * elsewhere, is refused.
 * @throws ExecutionRefusedError
 */
export async function quarantineBase(root: string, realRoot: string, make: boolean): Promise<string> {
	const base = nodePath.join(root, QUARANTINE_DIR);
	if (make) {
		try {
			await mkdir(base);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw new ExecutionRefusedError(`cannot make ${base}: ${errorMessage(error)}`);
		}
	}
	let st;
	try {
		st = await lstat(base);
	} catch (error) {
		if (!make && (error as NodeJS.ErrnoException).code === 'ENOENT') return base;
		throw new ExecutionRefusedError(`cannot read ${base}: ${errorMessage(error)}`);
	}
	if (st.isSymbolicLink() || !st.isDirectory()) {
		throw new ExecutionRefusedError(
			`${base} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}: fcx writes its quarantine and log only into a real directory inside the root`,
		);
	}
	const real = await realElsewhere(base, root, realRoot);
	if (real !== null) throw new ExecutionRefusedError(`${base} leads to ${real}, outside the root`);
	return base;
}

/** What a {@link Run} needs from its execution. */
export interface RunContext {
	nowMs: number;
	timestamp: string;
	logPath: string;
	/** Appends a log line durably. @throws CleanWriteError */
	log: (line: Record<string, unknown>) => void;
	openJournal: OpenJournal;
	realRoots: ReadonlyMap<string, string>;
	/** `<root>/.fcx-quarantine` by root, those checked so far (filled as they are made). */
	quarantineBases: Map<string, string>;
	rootOf: (p: string) => string | undefined;
	delete: boolean;
}

/** The actions of one run (see the module doc). */
export class Run {
	/** This run's quarantine directories that something was moved into. */
	readonly usedQuarantines = new Set<string>();
	restoreCommand: string | null = null;
	private moved = 0;
	/** This run's quarantine directories made (and checked) so far. */
	private readonly madeQuarantines = new Set<string>();
	private script: {path: string; file: JournalFile} | null = null;

	constructor(private readonly context: RunContext) {}

	/**
	 * Move or delete approved entry `e`; its record (`skipped` with `failed: …` when it failed,
	 * nothing changed then).
	 * @throws CleanWriteError when the announcement of a move could not be written (not moved)
	 */
	async act(e: PlanEntry): Promise<ExecutionRecord> {
		const {context} = this;
		const root = context.rootOf(e.path)!;
		const realRoot = context.realRoots.get(root)!;
		const parent = parentPath(e.path);
		const name = nodePath.basename(e.path);
		try {
			if (context.delete) {
				withPinnedDirectories(() => deleteEntry(parent, realBelow(parent, root, realRoot), name, e.type));
				return {path: e.path, action: 'deleted', bytes: e.bytes};
			}
			const dest = await this.destination(root, realRoot, e.path);
			await this.restoreScript(root);
			// The intent first, durably: a run killed from here on leaves a script that moves the
			// entry back if it moved, and skips it if not.
			context.log({event: 'moving', path: e.path, quarantinePath: dest});
			appendOrStop(this.script!.file, this.script!.path, restoreLine(e.path, dest));
			withPinnedDirectories(() => moveEntry(parent, realBelow(parent, root, realRoot), name, e.type, dest, realBelow(nodePath.dirname(dest), root, realRoot)));
			this.usedQuarantines.add(nodePath.join(context.quarantineBases.get(root)!, context.timestamp));
			this.moved++;
			return {path: e.path, action: 'quarantined', quarantinePath: dest, bytes: e.bytes};
		} catch (error) {
			if (error instanceof CleanWriteError) throw error;
			return {
				path: e.path,
				action: 'skipped',
				reason: `failed: ${error instanceof ExecutionRefusedError ? error.reason : errorMessage(error)}`,
				bytes: e.bytes,
			};
		}
	}

	/** Where `path` goes in this run's quarantine of `root`: its parent made and checked, nothing there yet. */
	private async destination(root: string, realRoot: string, path: string): Promise<string> {
		let base = this.context.quarantineBases.get(root);
		if (base === undefined) {
			base = await quarantineBase(root, realRoot, true);
			this.context.quarantineBases.set(root, base);
		}
		const qdir = nodePath.join(base, this.context.timestamp);
		if (!this.madeQuarantines.has(qdir)) {
			// This run's directory, made and checked before anything is made inside it.
			try {
				await mkdir(qdir);
			} catch (error) {
				if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
			}
			if ((await realElsewhere(qdir, root, realRoot)) !== null) throw new Error(`${qdir} leads out of the root`);
			this.madeQuarantines.add(qdir);
		}
		const dest = nodePath.join(qdir, nodePath.relative(root, path));
		await mkdir(nodePath.dirname(dest), {recursive: true});
		// The quarantine may have been replaced by a symlink since the start: never move out of the root.
		const realDestParent = await realElsewhere(nodePath.dirname(dest), root, realRoot);
		if (realDestParent !== null) throw new Error(`${nodePath.dirname(dest)} leads out of the root (to ${realDestParent})`);
		try {
			await lstat(dest);
			throw new Error(`${dest} already exists`);
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
		}
		return dest;
	}

	/** Make the restore script (once, before the first move), header `fsync`ed. */
	private async restoreScript(root: string): Promise<void> {
		if (this.script !== null) return;
		const {context} = this;
		const path = nodePath.join(context.quarantineBases.get(root)!, `${context.timestamp}.restore.sh`);
		const header = [
			'#!/bin/sh',
			`# Moves back what \`fcx clean\` quarantined at ${new Date(context.nowMs).toISOString()} (log: ${visibleControls(context.logPath)}).`,
			'# An entry whose original path exists again is left in the quarantine (and reported).',
			'# Each line is written before its entry is moved: an entry that never moved is skipped,',
			'# so the script of an interrupted run moves back exactly what the run moved.',
			'set -u',
			'status=0',
		];
		let file: JournalFile;
		try {
			file = context.openJournal(path, 'wx', 0o644);
		} catch (error) {
			throw new CleanWriteError(path, writeErrorCause(error));
		}
		this.script = {path, file};
		appendOrStop(file, path, `${header.join('\n')}\n`);
		this.restoreCommand = `sh ${shellQuote(path)}`;
		context.log({event: 'restore-script', path, command: this.restoreCommand});
	}

	/** End the restore script (`exit $status`), or remove this run's own script when nothing moved. */
	finish(): void {
		if (this.script === null) return;
		const {path, file} = this.script;
		if (this.moved > 0) {
			appendOrStop(file, path, 'exit $status\n');
			return;
		}
		// Made for a move that then failed: this run's own script (which would skip every line) goes again.
		this.close();
		rmSync(path, {force: true});
		this.restoreCommand = null;
		this.context.log({event: 'restore-script-removed', path, reason: 'nothing was moved'});
	}

	/** Close the restore script's file. */
	close(): void {
		this.script?.file.close();
		this.script = null;
	}
}

/**
 * The restore script's line for an entry about to move from `from` to `to`, written before the
 * move: an entry that never moved (the run stopped first) is skipped, one whose original path
 * exists again is left in the quarantine (and reported).
 */
export function restoreLine(from: string, to: string): string {
	const back = shellQuote(from);
	const moved = shellQuote(to);
	return `if [ ! -e ${moved} ] && [ ! -L ${moved} ]; then :; elif [ -e ${back} ] || [ -L ${back} ]; then echo "fcx restore: "${back}" exists; left in the quarantine" >&2; status=1; else mkdir -p -- ${shellQuote(parentPath(from))} && mv -- ${moved} ${back} || status=1; fi\n`;
}
