/**
 * Execute a deletion plan safely: re-analyse the roots just before acting, re-check every entry
 * (`recheck.ts`), then move each safe entry into a quarantine directory inside its root (default)
 * or delete it, inside its pinned parent directory (`act.ts`, `pinned.ts`). Every action is
 * appended durably to a JSONL log (`journal.ts`).
 */
import {mkdir, realpath} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {analyse} from '../analysis/analyse.js';
import {ReferenceSet} from '../analysis/what-if.js';
import type {Analysis, CheckpointAnalysis} from '../analysis/types.js';
import {directoryAbove, isInside} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {ExecutionRefusedError, quarantineBase, Run} from './act.js';
import {appendOrStop, CleanWriteError, openJournalFile, writeErrorCause, type JournalFile, type OpenJournal} from './journal.js';
import {fingerprints} from './plan.js';
import {validatePlan} from './plan-schema.js';
import {checkEntry, freshIndex, removalOrder, removedBy, type FreshIndex} from './recheck.js';
import type {ExecutionRecord, Plan, PlanEntry} from './types.js';

export {QUARANTINE_DIR, ExecutionRefusedError, validatePlan};

/** Options of {@link executePlan}. */
export interface ExecuteOptions {
	/** Delete for real instead of moving into the quarantine. */
	delete?: boolean;
	/** Entries with a file younger than this are skipped, ms (default: the plan's `minAgeMs`). */
	minAgeMs?: number;
	/** Current time, ms (for tests). */
	nowMs?: number;
	/** Action log (JSONL); default `<root>/.fcx-quarantine/<timestamp>.log`. */
	logPath?: string;
	/** Opens the log and the restore script (tests inject one that fails, e.g. with ENOSPC). */
	openJournal?: OpenJournal;
	/**
	 * Go on with `--target` entries that a snapshot which could not be read may reference (the
	 * command line's `--accept-unreadable`; a plan file's `acceptUnreadable` is not enough).
	 */
	acceptUnreadable?: boolean;
}

/** What {@link executePlan} did. */
export interface ExecutionResult {
	/** One record per plan entry, in plan order. */
	records: ExecutionRecord[];
	/** The quarantine directory (of the first root used), `null` when nothing was moved. */
	quarantineDir: string | null;
	/** Every quarantine directory used (one per root). */
	quarantineDirs: string[];
	logPath: string;
	/** A shell command that moves the quarantined entries back; `null` when nothing was moved. */
	restoreCommand: string | null;
}

/** `2026-11-22T04-40-00-000Z`: an ISO time usable as a file name. */
export function quarantineTimestamp(nowMs: number): string {
	return new Date(nowMs).toISOString().replace(/[:.]/g, '-');
}

/**
 * Which entries are skipped before anything is done, and why: the checks of {@link checkEntry};
 * entries nested in another listed entry (handled with it); and, iterated, entries referenced by a
 * snapshot that stays (skipping a target keeps its snapshots' references alive).
 */
async function skippedEntries(
	entries: readonly PlanEntry[],
	fresh: Analysis,
	index: FreshIndex,
	rootOf: (p: string) => string | undefined,
	realRoots: ReadonlyMap<string, string>,
	youngSince: number,
): Promise<Map<PlanEntry, string>> {
	const fps = fingerprints(
		fresh.scannedFiles,
		entries.map((e) => e.path),
	);
	const skip = new Map<PlanEntry, string>();
	for (const e of entries) {
		const root = rootOf(e.path);
		const reason = await checkEntry(e, root, realRoots.get(root ?? '') ?? '', fps.get(e.path) ?? {size: 0, mtimeMs: 0, files: 0}, youngSince, index);
		if (reason !== null) skip.set(e, reason);
	}
	// Entries nested in another listed entry are handled with it: the first other entry, in plan
	// order and not skipped, at the entry's path or a directory above it.
	const entriesAt = new Map<string, number[]>();
	entries.forEach((e, i) => {
		const list = entriesAt.get(e.path);
		if (list === undefined) entriesAt.set(e.path, [i]);
		else list.push(i);
	});
	for (const e of entries) {
		if (skip.has(e)) continue;
		let outer = -1;
		for (let at: string | null = e.path; at !== null; at = directoryAbove(at)) {
			const j = entriesAt.get(at)?.find((k) => entries[k] !== e && !skip.has(entries[k]));
			if (j !== undefined && (outer === -1 || j < outer)) outer = j;
		}
		if (outer !== -1) skip.set(e, `inside ${entries[outer].path}, which is handled as a whole`);
	}
	for (;;) {
		const approved = entries.filter((e) => !skip.has(e));
		const removed = new Set(approved.flatMap((e) => removedBy(e, index)));
		const staying = fresh.checkpoints.filter((cp) => cp.metadataPath !== null && !removed.has(cp.path));
		const refs = new ReferenceSet(staying);
		let changed = false;
		for (const e of approved) {
			if (!refs.touches(e.path)) continue;
			const by = staying.find((cp) => new ReferenceSet([cp]).touches(e.path));
			skip.set(e, `now referenced by ${by?.metadataPath ?? 'a _metadata'}`);
			changed = true;
		}
		if (!changed) break;
	}
	return skip;
}

/**
 * Execute a plan. Re-runs `analyse(plan.roots)` just before acting and recomputes from it
 * everything that decides safety (see `recheck.ts`): it skips, with a reason, every entry that is
 * now referenced by a `_metadata` that stays, changed since the plan (size, newest mtime, file
 * count, type), is younger than `minAgeMs`, is or contains a symlink or lies under one, is outside
 * the plan roots, is missing, is no longer an orphan, holds a `_metadata` it does not remove,
 * touches the newest complete checkpoint of a job, or belongs to a target that would now break a
 * checkpoint, remove the newest complete one of a job or is no checkpoint, savepoint or job
 * directory; a file of a target must still be freed by it. Only paths listed in the plan are acted
 * on. Entries that remove snapshots act first: when one fails, the files its snapshots reference
 * are kept.
 *
 * Each entry is acted on inside its pinned parent directory (`pinned.ts`): a directory swapped for
 * a symlink while fcx runs makes the entry fail, it never leads fcx out of the root.
 *
 * Default: each safe entry is renamed to `<root>/.fcx-quarantine/<timestamp>/<path relative to
 * root>` (same file system). Before each rename, its log line and its restore-script line are
 * written and `fsync`ed; the restore script (`restoreCommand`) skips entries that never moved, so a
 * run killed at any point is undone exactly by the script. With `delete: true` the entry is removed
 * (a directory one pinned directory at a time). A `start` log line comes first, `done` last.
 *
 * Nothing is written outside the roots: the log and quarantine go into `<root>/.fcx-quarantine`,
 * which must be a real directory there (not a symlink), and a root that is not a directory now
 * (an unmounted file system) gets nothing written under it.
 *
 * @throws ExecutionRefusedError when no plan root is a directory now, or `.fcx-quarantine` is a
 * symlink, not a directory or leads out of its root (nothing was changed)
 * @throws CleanWriteError when the log or restore script cannot be written (disk full…): the run
 * stops before the next action, and the log and restore script name everything it moved
 * @throws Error for a malformed plan
 */
export async function executePlan(planInput: Plan, options: ExecuteOptions = {}): Promise<ExecutionResult> {
	const plan = validatePlan(planInput);
	const nowMs = options.nowMs ?? Date.now();
	const minAgeMs = options.minAgeMs ?? plan.minAgeMs;
	const timestamp = quarantineTimestamp(nowMs);
	const fresh = await analyse(plan.roots, {minAgeMs, nowMs, mappings: plan.mappings});

	const rootDirs = plan.roots.filter((r) => fresh.roots.includes(r) && !fresh.scannedFiles.has(r) && !r.endsWith('/_metadata'));
	const realRoots = new Map<string, string>();
	for (const r of rootDirs) {
		try {
			realRoots.set(r, await realpath(r));
		} catch {
			// a missing root: its entries are reported missing
		}
	}
	// Nothing is written under a root that is not there now (an unmounted file system's mount
	// point, say): no log, no quarantine, no directories made; its entries are outside the roots.
	const usableRoots = rootDirs.filter((r) => realRoots.has(r));
	if (usableRoots.length === 0) throw new ExecutionRefusedError(`none of the plan's roots is a directory now (${plan.roots.join(', ')})`);
	const rootOf = (p: string): string | undefined => usableRoots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	// Every root's quarantine is checked before anything is done (when entries may move there); the
	// log's is made now, the others when something is first moved there.
	const quarantineBases = new Map<string, string>();
	if (!options.delete) for (const r of usableRoots) await quarantineBase(r, realRoots.get(r)!, false);
	if (options.logPath === undefined) quarantineBases.set(usableRoots[0], await quarantineBase(usableRoots[0], realRoots.get(usableRoots[0])!, true));
	const logPath = options.logPath ?? nodePath.join(quarantineBases.get(usableRoots[0])!, `${timestamp}.log`);
	const openJournal = options.openJournal ?? openJournalFile;
	let logFile: JournalFile;
	try {
		if (options.logPath !== undefined) await mkdir(nodePath.dirname(logPath), {recursive: true});
		logFile = openJournal(logPath, 'a');
	} catch (error) {
		throw new CleanWriteError(logPath, writeErrorCause(error), 'nothing was changed');
	}
	const log = (line: Record<string, unknown>): void => appendOrStop(logFile, logPath, `${JSON.stringify({time: new Date().toISOString(), ...line})}\n`);
	const mode = options.delete ? 'delete' : 'quarantine';
	const entries = [...plan.entries];
	const records = new Map<PlanEntry, ExecutionRecord>();
	const run = new Run({nowMs, timestamp, logPath, log, openJournal, realRoots, quarantineBases, rootOf, delete: options.delete === true});
	try {
		try {
			log({
				event: 'start',
				mode,
				roots: plan.roots,
				planCreatedAt: plan.createdAt,
				entries: plan.entries.length,
				minAgeMs,
				quarantine: mode === 'quarantine' ? rootDirs.map((r) => nodePath.join(r, QUARANTINE_DIR, timestamp)) : null,
			});
		} catch (error) {
			if (error instanceof CleanWriteError) throw new CleanWriteError(error.path, error.reason, 'nothing was changed');
			throw error;
		}
		const index = freshIndex(fresh, entries, options.acceptUnreadable === true);
		const skip = await skippedEntries(entries, fresh, index, rootOf, realRoots, nowMs - minAgeMs);
		await actOnAll(entries, skip, index, run, records, log);
		run.finish();
		const count = (action: ExecutionRecord['action']): number => [...records.values()].filter((r) => r.action === action).length;
		log({event: 'done', quarantined: count('quarantined'), deleted: count('deleted'), skipped: count('skipped')});
	} catch (error) {
		if (!(error instanceof CleanWriteError) || error.progress !== '') throw error;
		const acted = [...records.values()].filter((r) => r.action !== 'skipped').length;
		throw new CleanWriteError(
			error.path,
			error.reason,
			`stopped after ${records.size} of ${entries.length} entries (${acted} acted on); the log and restore script name every entry moved`,
		);
	} finally {
		run.close();
		logFile.close();
	}
	const quarantineDirs = [...run.usedQuarantines].sort();
	return {records: entries.map((e) => records.get(e)!), quarantineDir: quarantineDirs[0] ?? null, quarantineDirs, logPath, restoreCommand: run.restoreCommand};
}

/**
 * Act on the entries in order (entries that remove snapshots first), recording each. When an
 * entry removing snapshots fails, its snapshots stay, and so must every file they reference (the
 * files a target frees were approved on the assumption it goes).
 */
async function actOnAll(
	entries: readonly PlanEntry[],
	skip: ReadonlyMap<PlanEntry, string>,
	index: FreshIndex,
	run: Run,
	records: Map<PlanEntry, ExecutionRecord>,
	log: (line: Record<string, unknown>) => void,
): Promise<void> {
	const removing = (e: PlanEntry): boolean => removedBy(e, index).length > 0;
	const stayingAfterFailure: CheckpointAnalysis[] = [];
	/** What those reference (made again when one is added: failures are few, entries many). */
	let stayingReferences = null as ReferenceSet | null;
	for (const e of [...removalOrder(entries.filter(removing), index), ...entries.filter((x) => !removing(x))]) {
		let reason = skip.get(e);
		if (reason === undefined && stayingReferences?.touches(e.path) === true) {
			const by = stayingAfterFailure.find((cp) => new ReferenceSet([cp]).touches(e.path));
			if (by !== undefined) reason = `referenced by ${by.metadataPath ?? by.path}, which stays: the entry removing it failed`;
		}
		const record: ExecutionRecord = reason === undefined ? await run.act(e) : {path: e.path, action: 'skipped', reason, bytes: e.bytes};
		if (record.action === 'skipped' && removing(e)) {
			const kept = new Set(removedBy(e, index));
			stayingAfterFailure.push(...index.fresh.checkpoints.filter((cp) => cp.metadataPath !== null && kept.has(cp.path)));
			stayingReferences = new ReferenceSet(stayingAfterFailure);
		}
		records.set(e, record);
		log({event: 'entry', ...record});
	}
}
