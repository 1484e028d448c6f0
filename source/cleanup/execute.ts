/**
 * Execute a deletion plan safely: re-analyse the roots just before acting, re-check every entry,
 * then move each safe entry into a quarantine directory inside its root (default) or delete it.
 * Every action is appended to a JSONL log as it happens.
 */
import {appendFile, lstat, mkdir, realpath, rename, rm, writeFile} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {analyse} from '../analysis/analyse.js';
import {newestCompleteCheckpoints, ReferenceSet, unknownReferenceJobs} from '../analysis/what-if.js';
import type {Analysis, CheckpointAnalysis} from '../analysis/types.js';
import {directoryAbove, DirectorySet, isInside, parentPath, PathIndex, stripTrailingSlash} from '../tree/layout.js';
import {visibleControls} from '../text/index.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {isSymlinkWarning, isUnseenByScan} from '../tree/warnings.js';
import {fingerprints, shellQuote} from './plan.js';
import type {ExecutionRecord, Plan, PlanEntry} from './types.js';

export {QUARANTINE_DIR};

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

function errorMessage(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		// Node's messages of system errors start with their code already.
		return code && !error.message.startsWith(`${code}:`) ? `${code}: ${error.message}` : error.message;
	}
	return String(error);
}

/**
 * Check the shape of a plan read from a file.
 * @throws Error naming the first problem
 */
export function validatePlan(value: unknown): Plan {
	const fail = (what: string): never => {
		throw new Error(`not an fcx plan: ${what}`);
	};
	if (typeof value !== 'object' || value === null) fail('not a JSON object');
	const plan = value as Partial<Plan>;
	if (plan.version !== 1) fail(`unsupported version ${JSON.stringify(plan.version)} (expected 1)`);
	if (!Array.isArray(plan.roots) || !plan.roots.every((r) => typeof r === 'string' && nodePath.isAbsolute(r))) fail('roots must be absolute paths');
	if (typeof plan.minAgeMs !== 'number' || !(plan.minAgeMs >= 0)) fail('minAgeMs must be a number ≥ 0');
	if (!Array.isArray(plan.entries)) fail('entries must be an array');
	for (const [i, e] of (plan.entries as unknown[]).entries()) {
		const entry = e as Partial<PlanEntry>;
		if (typeof entry !== 'object' || entry === null) fail(`entry ${i} is not an object`);
		if (typeof entry.path !== 'string' || entry.path === '') fail(`entry ${i}: path must be a string`);
		if (entry.type !== 'file' && entry.type !== 'directory') fail(`entry ${i}: type must be file or directory`);
		if (typeof entry.size !== 'number' || typeof entry.mtimeMs !== 'number') fail(`entry ${i}: size and mtimeMs are required`);
		if (entry.removesCheckpoints !== undefined && !(Array.isArray(entry.removesCheckpoints) && entry.removesCheckpoints.every((p) => typeof p === 'string'))) {
			fail(`entry ${i}: removesCheckpoints must be an array of paths`);
		}
	}
	if (plan.mappings !== undefined && !(Array.isArray(plan.mappings) && plan.mappings.every((m) => typeof m?.remote === 'string' && typeof m?.local === 'string'))) {
		fail('mappings must be {remote, local} objects');
	}
	return plan as Plan;
}

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
 * The real path of `path` (at or inside `root`, whose real path is `realRoot`) when a symlink on
 * the way leads elsewhere; `null` when it is where `realRoot` puts it.
 * @throws the error of `realpath` (e.g. ENOENT)
 */
async function realElsewhere(path: string, root: string, realRoot: string): Promise<string | null> {
	const real = await realpath(path);
	return real === nodePath.join(realRoot, nodePath.relative(root, path)) ? null : real;
}

/**
 * `<root>/.fcx-quarantine`, checked (and made when `make` and missing; the root exists, it was just
 * scanned). Never followed out of the root: a symlink or non-directory there, or a real path
 * elsewhere, is refused.
 * @throws ExecutionRefusedError
 */
async function quarantineBase(root: string, realRoot: string, make: boolean): Promise<string> {
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
	if (st.isSymbolicLink() || !st.isDirectory()) throw new ExecutionRefusedError(`${base} is ${st.isSymbolicLink() ? 'a symlink' : 'not a directory'}: fcx writes its quarantine and log only into a real directory inside the root`);
	const real = await realElsewhere(base, root, realRoot);
	if (real !== null) throw new ExecutionRefusedError(`${base} leads to ${real}, outside the root`);
	return base;
}

/** `2026-11-22T04-40-00-000Z`: an ISO time usable as a file name. */
export function quarantineTimestamp(nowMs: number): string {
	return new Date(nowMs).toISOString().replace(/[:.]/g, '-');
}

/**
 * What {@link checkEntry} asks of the fresh analysis about every entry, made once: each entry is
 * then checked in time that grows with its depth, not with the number of checkpoints, orphans and
 * referenced files (see `PlanSafety`).
 */
interface FreshIndex {
	/** The newest complete checkpoint of each job, with the job's path, by checkpoint directory. */
	newest: PathIndex<{jobPath: string; cp: CheckpointAnalysis}>;
	/** The snapshots with a `_metadata`, listed under that path and every directory above it, in the analysis's order. */
	metadataAt: Map<string, CheckpointAnalysis[]>;
	/** The orphans that are not possibly in progress. */
	orphans: DirectorySet;
	/** Every file and directory a snapshot with a `_metadata` references. */
	allReferences: ReferenceSet;
	/** Job directories with an unreadable or legacy `_metadata`: what they reference is unknown. */
	unknownJobs: DirectorySet;
}

function freshIndex(fresh: Analysis): FreshIndex {
	const newest = new PathIndex<{jobPath: string; cp: CheckpointAnalysis}>();
	for (const [jobPath, cp] of newestCompleteCheckpoints(fresh)) newest.add(cp.path, {jobPath, cp});
	const metadataAt = new Map<string, CheckpointAnalysis[]>();
	for (const cp of fresh.checkpoints) {
		if (cp.metadataPath === null) continue;
		for (let at: string | null = cp.metadataPath; at !== null; at = directoryAbove(at)) {
			const list = metadataAt.get(at);
			if (list === undefined) metadataAt.set(at, [cp]);
			else list.push(cp);
		}
	}
	return {
		newest,
		metadataAt,
		orphans: new DirectorySet(fresh.orphans.filter((o) => !o.possiblyInProgress).map((o) => o.path)),
		allReferences: new ReferenceSet(fresh.checkpoints.filter((cp) => cp.metadataPath !== null)),
		unknownJobs: new DirectorySet(unknownReferenceJobs(fresh)),
	};
}

/**
 * The static checks of one entry against the fresh analysis; the reason to skip it, or `null`.
 */
async function checkEntry(
	entry: PlanEntry,
	root: string | undefined,
	realRoots: ReadonlyMap<string, string>,
	fresh: Analysis,
	fp: {size: number; mtimeMs: number; files: number},
	youngSince: number,
	index: FreshIndex,
): Promise<string | null> {
	const p = entry.path;
	if (stripTrailingSlash(nodePath.resolve(p)) !== p) return 'not a normalised absolute path';
	if (root === undefined) return 'outside the plan roots';
	if (p.split('/').includes(QUARANTINE_DIR)) return 'inside a quarantine directory';
	let st;
	try {
		st = await lstat(p);
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing: no longer exists' : `cannot stat: ${errorMessage(error)}`;
	}
	if (st.isSymbolicLink()) return 'is a symlink (never followed or moved)';
	if ((entry.type === 'directory') !== st.isDirectory() || (entry.type === 'file' && !st.isFile())) return `changed since the plan: no longer a ${entry.type}`;
	try {
		if ((await realElsewhere(parentPath(p), root, realRoots.get(root) ?? root)) !== null) return 'a parent directory is a symlink (the path leads out of its root)';
	} catch (error) {
		return `cannot resolve the parent directory: ${errorMessage(error)}`;
	}
	// What the scan could not read or follow inside the entry (a symlink, an unreadable directory,
	// a FIFO, a file that vanished): the fingerprint does not cover it, so the entry is left alone.
	const unseen = fresh.warnings.find((w) => isInside(w.path, p) && isUnseenByScan(w));
	if (unseen !== undefined) return isSymlinkWarning(unseen) ? 'contains a symlink' : `contains ${unseen.path}, which the scan could not read (${unseen.message})`;
	const changes: string[] = [];
	if (fp.size !== entry.size) changes.push(`size ${entry.size} → ${fp.size} bytes`);
	if (fp.mtimeMs !== entry.mtimeMs) changes.push(`newest mtime ${new Date(entry.mtimeMs).toISOString()} → ${new Date(fp.mtimeMs).toISOString()}`);
	if (entry.files !== undefined && fp.files !== entry.files) changes.push(`files ${entry.files} → ${fp.files}`);
	if (changes.length > 0) return `changed since the plan: ${changes.join(', ')}`;
	const newestMs = fp.files === 0 ? Math.trunc(st.mtimeMs) : fp.mtimeMs;
	if (newestMs >= youngSince) return `younger than --min-age (modified ${new Date(newestMs).toISOString()})`;
	const newest = index.newest.touching(p);
	if (newest !== undefined) return `touches ${newest.cp.path}, now the newest complete checkpoint of ${newest.jobPath}`;
	const allowed = new Set(entry.removesCheckpoints ?? []);
	const holder = index.metadataAt.get(p)?.find((cp) => !allowed.has(cp.path));
	if (holder !== undefined) return `holds a _metadata (${holder.metadataPath}) the plan did not mean to remove`;
	if (entry.target === undefined && index.allReferences.touches(p)) {
		const by = fresh.checkpoints.find((cp) => cp.metadataPath !== null && new ReferenceSet([cp]).touches(p));
		return `now referenced by ${by?.metadataPath ?? 'a _metadata'}`;
	}
	if (entry.target === undefined && !index.orphans.contains(p)) return 'no longer reported as an orphan';
	// As planning (`whatIfDelete`): a file freed by a target is kept when a `_metadata` of its job
	// cannot be read, since that one may reference it.
	if (entry.target !== undefined && !isInside(p, entry.target) && index.unknownJobs.contains(p)) {
		return 'in a job directory with a _metadata fcx cannot read now: what that references is unknown';
	}
	return null;
}

/**
 * Entries that remove snapshots, in the order to act on them: one whose snapshots reference files
 * under another goes before that other (if it then fails, it stays, and the other is kept for it).
 * Otherwise, and within a cycle, plan order.
 */
function removalOrder(list: readonly PlanEntry[], fresh: Analysis): PlanEntry[] {
	const references = list.map((e) => {
		const removed = new Set(e.removesCheckpoints);
		return new ReferenceSet(fresh.checkpoints.filter((cp) => cp.metadataPath !== null && removed.has(cp.path)));
	});
	const order: PlanEntry[] = [];
	const visited = new Set<number>();
	const visit = (i: number): void => {
		visited.add(i);
		for (let j = 0; j < list.length; j++) {
			if (!visited.has(j) && j !== i && references[j].touches(list[i].path)) visit(j);
		}
		order.push(list[i]);
	};
	for (let i = 0; i < list.length; i++) if (!visited.has(i)) visit(i);
	return order;
}

/**
 * Execute a plan. Re-runs `analyse(plan.roots)` just before acting and skips, with a reason, every
 * entry that is now referenced by a `_metadata` that stays, changed since the plan (size, newest
 * mtime, file count, type), is younger than `minAgeMs`, is or contains a symlink or lies under one,
 * is outside the plan roots, is missing, holds a `_metadata` it was not planned to remove,
 * touches the newest complete checkpoint of a job, or (freed by a target) lies in a job directory
 * with a `_metadata` that cannot be read now. Only paths listed in the plan are acted on. Entries
 * that remove snapshots act first: when one fails, the files its snapshots reference are kept.
 *
 * Default: each safe entry is renamed to `<root>/.fcx-quarantine/<timestamp>/<path relative to
 * root>` (same file system), and a restore script next to the log (`restoreCommand`) gets a line
 * as each entry is moved (an interrupted run leaves a script for what it moved). With
 * `delete: true` the entry is removed (`fs.rm`, recursive). Every record is appended to the JSONL
 * log as it happens (a `start` line first, a `done` line last).
 *
 * Nothing is written outside the roots: the log and quarantine go into `<root>/.fcx-quarantine`,
 * which must be a real directory there (not a symlink), and a root that is not a directory now
 * (an unmounted file system) gets nothing written under it.
 *
 * @throws ExecutionRefusedError when no plan root is a directory now, or `.fcx-quarantine` is a
 * symlink, not a directory or leads out of its root (nothing was changed)
 * @throws Error for a malformed plan, or when the log cannot be written (before anything is done)
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
	const rootOf = (p: string): string | undefined =>
		usableRoots.filter((r) => isInside(p, r) && p !== r).sort((a, b) => b.length - a.length)[0];
	// Every root's quarantine is checked before anything is done (when entries may move there); the
	// log's is made now, the others when something is first moved there.
	const quarantineBases = new Map<string, string>();
	if (!options.delete) for (const r of usableRoots) await quarantineBase(r, realRoots.get(r)!, false);
	if (options.logPath === undefined) quarantineBases.set(usableRoots[0], await quarantineBase(usableRoots[0], realRoots.get(usableRoots[0])!, true));
	const logPath = options.logPath ?? nodePath.join(quarantineBases.get(usableRoots[0])!, `${timestamp}.log`);
	if (options.logPath !== undefined) await mkdir(nodePath.dirname(logPath), {recursive: true});
	const log = async (line: Record<string, unknown>): Promise<void> => {
		await appendFile(logPath, `${JSON.stringify({time: new Date().toISOString(), ...line})}\n`, 'utf8');
	};
	const mode = options.delete ? 'delete' : 'quarantine';
	await log({event: 'start', mode, roots: plan.roots, planCreatedAt: plan.createdAt, entries: plan.entries.length, minAgeMs, quarantine: mode === 'quarantine' ? rootDirs.map((r) => nodePath.join(r, QUARANTINE_DIR, timestamp)) : null});

	const entries = [...plan.entries];
	const fps = fingerprints(fresh.scannedFiles, entries.map((e) => e.path));
	const youngSince = nowMs - minAgeMs;
	const skip = new Map<PlanEntry, string>();
	const index = freshIndex(fresh);
	for (const e of entries) {
		const reason = await checkEntry(e, rootOf(e.path), realRoots, fresh, fps.get(e.path) ?? {size: 0, mtimeMs: 0, files: 0}, youngSince, index);
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
	// Referenced by a snapshot that stays: iterate, since skipping a checkpoint entry keeps its references alive.
	for (;;) {
		const approved = entries.filter((e) => !skip.has(e));
		const removed = new Set(approved.flatMap((e) => e.removesCheckpoints ?? []));
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

	let moved = 0;
	const usedQuarantines = new Set<string>();
	/** This run's quarantine directories made (and checked) so far. */
	const madeQuarantines = new Set<string>();
	// The restore script is made before the first move and gets a line after each one, so that an
	// interrupted run (Ctrl-C, a crash) leaves a script that moves back everything it moved. No two
	// moved entries nest (nested ones are handled with the outer one), so their order does not matter.
	let scriptPath: string | null = null;
	let restoreCommand: string | null = null;
	const restoreScript = async (root: string): Promise<void> => {
		if (scriptPath !== null) return;
		const path = nodePath.join(quarantineBases.get(root)!, `${timestamp}.restore.sh`);
		const header = [
			'#!/bin/sh',
			`# Moves back what \`fcx clean\` quarantined at ${new Date(nowMs).toISOString()} (log: ${visibleControls(logPath)}).`,
			'# An entry whose original path exists again is left in the quarantine (and reported).',
			'# Written as the entries were moved: an interrupted run leaves a script for what it moved.',
			'set -u',
			'status=0',
		];
		await writeFile(path, `${header.join('\n')}\n`, {mode: 0o644, flag: 'wx'});
		scriptPath = path;
		restoreCommand = `sh ${shellQuote(path)}`;
		await log({event: 'restore-script', path, command: restoreCommand});
	};
	const restoreLine = async (from: string, to: string): Promise<void> => {
		const back = shellQuote(from);
		const line = `if [ -e ${back} ] || [ -L ${back} ]; then echo "fcx restore: "${back}" exists; left in the quarantine" >&2; status=1; else mkdir -p -- ${shellQuote(parentPath(from))} && mv -- ${shellQuote(to)} ${back} || status=1; fi`;
		try {
			await appendFile(scriptPath!, `${line}\n`, 'utf8');
		} catch (error) {
			await log({event: 'restore-script-error', path: from, quarantinePath: to, error: errorMessage(error)});
		}
	};
	/** Moves or deletes entry `e` (approved); its record. */
	const act = async (e: PlanEntry): Promise<ExecutionRecord> => {
		const root = rootOf(e.path)!;
		try {
			// Last look right before acting: the entry, and the directories it lies in.
			const st = await lstat(e.path);
			if (st.isSymbolicLink()) throw new Error('became a symlink');
			const realRoot = realRoots.get(root)!;
			const parent = parentPath(e.path);
			const realParent = await realElsewhere(parent, root, realRoot);
			if (realParent !== null) throw new Error(`${parent} now leads out of the root (to ${realParent})`);
			if (options.delete) {
				await rm(e.path, {recursive: true, force: false});
				return {path: e.path, action: 'deleted', bytes: e.bytes};
			}
			let base = quarantineBases.get(root);
			if (base === undefined) {
				base = await quarantineBase(root, realRoot, true);
				quarantineBases.set(root, base);
			}
			const qdir = nodePath.join(base, timestamp);
			if (!madeQuarantines.has(qdir)) {
				// This run's directory, made and checked before anything is made inside it.
				try {
					await mkdir(qdir);
				} catch (error) {
					if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
				}
				if ((await realElsewhere(qdir, root, realRoot)) !== null) throw new Error(`${qdir} leads out of the root`);
				madeQuarantines.add(qdir);
			}
			const dest = nodePath.join(qdir, nodePath.relative(root, e.path));
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
			await restoreScript(root);
			await rename(e.path, dest);
			usedQuarantines.add(qdir);
			moved++;
			await restoreLine(e.path, dest);
			return {path: e.path, action: 'quarantined', quarantinePath: dest, bytes: e.bytes};
		} catch (error) {
			return {path: e.path, action: 'skipped', reason: `failed: ${error instanceof ExecutionRefusedError ? error.reason : errorMessage(error)}`, bytes: e.bytes};
		}
	};
	// Entries that remove snapshots act first. When one fails, its snapshots stay, and so must every
	// file they reference (the files a target frees were approved on the assumption it goes).
	const removing = (e: PlanEntry): boolean => (e.removesCheckpoints?.length ?? 0) > 0;
	const recordOf = new Map<PlanEntry, ExecutionRecord>();
	const stayingAfterFailure: CheckpointAnalysis[] = [];
	/** What those reference (made again when one is added: failures are few, entries many). */
	let stayingReferences = null as ReferenceSet | null;
	for (const e of [...removalOrder(entries.filter(removing), fresh), ...entries.filter((x) => !removing(x))]) {
		let reason = skip.get(e);
		if (reason === undefined && stayingReferences?.touches(e.path) === true) {
			const by = stayingAfterFailure.find((cp) => new ReferenceSet([cp]).touches(e.path));
			if (by !== undefined) reason = `referenced by ${by.metadataPath ?? by.path}, which stays: the entry removing it failed`;
		}
		const record: ExecutionRecord = reason === undefined ? await act(e) : {path: e.path, action: 'skipped', reason, bytes: e.bytes};
		if (record.action === 'skipped' && removing(e)) {
			const kept = new Set(e.removesCheckpoints);
			stayingAfterFailure.push(...fresh.checkpoints.filter((cp) => cp.metadataPath !== null && kept.has(cp.path)));
			stayingReferences = new ReferenceSet(stayingAfterFailure);
		}
		recordOf.set(e, record);
		await log({event: 'entry', ...record});
	}
	const records = entries.map((e) => recordOf.get(e)!);

	if (scriptPath !== null) {
		try {
			if (moved > 0) await appendFile(scriptPath, 'exit $status\n', 'utf8');
			else {
				// Made for a move that then failed: this run's own empty script goes again.
				await rm(scriptPath, {force: true});
				restoreCommand = null;
				await log({event: 'restore-script-removed', path: scriptPath, reason: 'nothing was moved'});
			}
		} catch (error) {
			// The script works without its last line; the log tells.
			await log({event: 'restore-script-error', path: scriptPath, error: errorMessage(error)});
		}
	}
	const count = (action: ExecutionRecord['action']): number => records.filter((r) => r.action === action).length;
	await log({event: 'done', quarantined: count('quarantined'), deleted: count('deleted'), skipped: count('skipped')});
	const quarantineDirs = [...usedQuarantines].sort();
	return {records, quarantineDir: quarantineDirs[0] ?? null, quarantineDirs, logPath, restoreCommand};
}
