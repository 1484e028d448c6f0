/**
 * The checks `fcx clean` makes of every plan entry against its fresh analysis, just before acting.
 * A plan is input, not authority: its entries are only the paths the user reviewed. Everything that
 * decides safety is recomputed here from the fresh scan — whether an orphan is still one, what a
 * `--target` entry removes (its `removesCheckpoints` in the file is ignored), whether the target
 * still breaks nothing and is not the newest complete checkpoint of its job, and whether a file is
 * still freed by its target.
 */
import {lstat, realpath} from 'node:fs/promises';
import * as nodePath from 'node:path';
import {newestCompleteCheckpoints, normaliseTarget, ReferenceSet, scannedAtOrBelow, unknownReferenceJobs, whatIfDelete} from '../analysis/what-if.js';
import type {Analysis, CheckpointAnalysis} from '../analysis/types.js';
import {classifyPath, directoryAbove, DirectorySet, isInside, parentPath, PathIndex, stripTrailingSlash} from '../tree/layout.js';
import {QUARANTINE_DIR} from '../tree/scan.js';
import {isSymlinkWarning, isUnseenByScan} from '../tree/warnings.js';
import type {Fingerprint} from './plan.js';
import type {PlanEntry} from './types.js';

/** `ENOENT: …` for an fs error (Node's messages of system errors start with their code already). */
export function errorMessage(error: unknown): string {
	if (error instanceof Error) {
		const code = (error as NodeJS.ErrnoException).code;
		return code && !error.message.startsWith(`${code}:`) ? `${code}: ${error.message}` : error.message;
	}
	return String(error);
}

/**
 * The real path of `path` (at or inside `root`, whose real path is `realRoot`) when a symlink on
 * the way leads elsewhere; `null` when it is where `realRoot` puts it.
 * @throws the error of `realpath` (e.g. ENOENT)
 */
export async function realElsewhere(path: string, root: string, realRoot: string): Promise<string | null> {
	const real = await realpath(path);
	return real === realBelow(path, root, realRoot) ? null : real;
}

/** Where `path` (at or inside `root`) is when nothing on the way is a symlink: `realRoot` + the path below the root. */
export function realBelow(path: string, root: string, realRoot: string): string {
	return nodePath.join(realRoot, nodePath.relative(root, path));
}

/** What the fresh analysis says of the plan's `--target` entries (recomputed, never read from the plan). */
interface TargetCheck {
	/** Why the entries of a target are skipped, by target. */
	problems: Map<string, string>;
	/** The snapshot directories each target removes now. */
	removes: Map<string, string[]>;
	/** Files outside the targets that only the removed snapshots reference now. */
	freed: Set<string>;
}

function checkTargets(entries: readonly PlanEntry[], fresh: Analysis, newest: ReadonlyMap<string, CheckpointAnalysis>, acceptUnreadable: boolean): TargetCheck {
	const problems = new Map<string, string>();
	const removes = new Map<string, string[]>();
	const targets = [...new Set(entries.flatMap((e) => (e.target === undefined ? [] : [normaliseTarget(e.target)])))];
	for (const t of targets) {
		const layout = classifyPath(t);
		if (layout.jobDir === null && layout.storageKind !== 'savepoint') {
			problems.set(t, `target ${t} is not a checkpoint, savepoint or job directory, nor in one`);
		} else if (!fresh.roots.some((r) => isInside(t, r) && t !== r)) {
			problems.set(t, `target ${t} is not inside the roots`);
		} else if (!scannedAtOrBelow(fresh.scannedFiles, t)) {
			problems.set(t, `target ${t}: nothing was found there by the scan`);
		}
	}
	const valid = targets.filter((t) => !problems.has(t));
	const impact = whatIfDelete(fresh, valid);
	const snapshotKeys = new Set(fresh.checkpoints.map((c) => `${c.path}\u0000${c.metadataPath ?? ''}`));
	for (const t of valid) {
		removes.set(
			t,
			impact.removedCheckpoints.filter((cp) => isInside(cp, t) || snapshotKeys.has(`${cp}\u0000${t}`)),
		);
	}
	const removed = new Set(impact.removedCheckpoints);
	for (const [jobPath, cp] of newest) {
		if (!removed.has(cp.path)) continue;
		const by = valid.filter((t) => removes.get(t)!.includes(cp.path) || isInside(cp.path, t));
		// Removed through no single target (several together): none of them goes.
		for (const t of by.length > 0 ? by : valid) problems.set(t, `target removes ${cp.path}, now the newest complete checkpoint of ${jobPath}`);
	}
	if (impact.broken.length > 0) {
		const b = impact.broken[0];
		for (const t of valid) if (!problems.has(t)) problems.set(t, `the targets would now break ${b.checkpointPath} (it references ${b.lostFiles[0]})`);
	}
	// A snapshot that could not be read may reference a target: what it would lose is unknown.
	// Only the command line's --accept-unreadable lets it go (a plan file's field is not authority).
	if (!acceptUnreadable) {
		for (const u of impact.unreadable) {
			for (const t of u.targets) {
				if (!problems.has(t)) problems.set(t, `${u.checkpointPath} could not be read and may reference files of target ${t} (--accept-unreadable to go on)`);
			}
		}
	}
	return {problems, removes, freed: new Set(impact.freedFiles)};
}

/**
 * What the checks ask of the fresh analysis, made once: each entry is then checked in time that
 * grows with its depth, not with the number of checkpoints, orphans and referenced files.
 */
export interface FreshIndex {
	fresh: Analysis;
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
	targets: TargetCheck;
}

/** The {@link FreshIndex} of `fresh` for the plan's `entries`. */
export function freshIndex(fresh: Analysis, entries: readonly PlanEntry[], acceptUnreadable = false): FreshIndex {
	const newestByJob = newestCompleteCheckpoints(fresh);
	const newest = new PathIndex<{jobPath: string; cp: CheckpointAnalysis}>();
	for (const [jobPath, cp] of newestByJob) newest.add(cp.path, {jobPath, cp});
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
		fresh,
		newest,
		metadataAt,
		orphans: new DirectorySet(fresh.orphans.filter((o) => !o.possiblyInProgress).map((o) => o.path)),
		allReferences: new ReferenceSet(fresh.checkpoints.filter((cp) => cp.metadataPath !== null)),
		unknownJobs: new DirectorySet(unknownReferenceJobs(fresh)),
		targets: checkTargets(entries, fresh, newestByJob, acceptUnreadable),
	};
}

/** The snapshot directories entry `e` removes, recomputed from the fresh scan (only a target entry removes any). */
export function removedBy(e: PlanEntry, index: FreshIndex): string[] {
	if (e.target === undefined || normaliseTarget(e.target) !== e.path) return [];
	return index.targets.removes.get(e.path) ?? [];
}

/** The static checks of one entry against the fresh analysis; the reason to skip it, or `null`. */
export async function checkEntry(
	entry: PlanEntry,
	root: string | undefined,
	realRoot: string,
	fp: Fingerprint,
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
		if ((await realElsewhere(parentPath(p), root, realRoot)) !== null) return 'a parent directory is a symlink (the path leads out of its root)';
	} catch (error) {
		return `cannot resolve the parent directory: ${errorMessage(error)}`;
	}
	return checkAgainstAnalysis(entry, fp, Math.trunc(st.mtimeMs), youngSince, index);
}

/**
 * The checks of one entry that ask only the fresh analysis, on any store: what the scan could not
 * see inside it, its fingerprint against the plan's, its age, the newest complete checkpoints, the
 * `_metadata` files it holds, whether it is still an orphan (or still freed by its target).
 * `ownMtimeMs` is the entry's own mtime, used for an empty directory (epoch ms; 0 when unknown).
 * @returns the reason to skip it, or `null`
 */
export function checkAgainstAnalysis(entry: PlanEntry, fp: Fingerprint, ownMtimeMs: number, youngSince: number, index: FreshIndex): string | null {
	const p = entry.path;
	const {fresh} = index;
	// What the scan could not read or follow inside the entry (a symlink, an unreadable directory,
	// a FIFO, a file that vanished): the fingerprint does not cover it, so the entry is left alone.
	const unseen = fresh.warnings.find((w) => isInside(w.path, p) && isUnseenByScan(w));
	if (unseen !== undefined) {
		return isSymlinkWarning(unseen) ? 'contains a symlink' : `contains ${unseen.path}, which the scan could not read (${unseen.message})`;
	}
	const changes: string[] = [];
	if (fp.size !== entry.size) changes.push(`size ${entry.size} → ${fp.size} bytes`);
	if (fp.mtimeMs !== entry.mtimeMs) changes.push(`newest mtime ${new Date(entry.mtimeMs).toISOString()} → ${new Date(fp.mtimeMs).toISOString()}`);
	if (entry.files !== undefined && fp.files !== entry.files) changes.push(`files ${entry.files} → ${fp.files}`);
	if (changes.length > 0) return `changed since the plan: ${changes.join(', ')}`;
	const newestMs = fp.files === 0 ? ownMtimeMs : fp.mtimeMs;
	if (newestMs >= youngSince) return `younger than --min-age (modified ${new Date(newestMs).toISOString()})`;
	const newest = index.newest.touching(p);
	if (newest !== undefined) return `touches ${newest.cp.path}, now the newest complete checkpoint of ${newest.jobPath}`;
	const allowed = new Set(removedBy(entry, index));
	const holder = index.metadataAt.get(p)?.find((cp) => !allowed.has(cp.path));
	if (holder !== undefined) return `holds a _metadata (${holder.metadataPath}) it does not remove as a target now`;
	if (entry.target === undefined) {
		if (index.allReferences.touches(p)) {
			const by = fresh.checkpoints.find((cp) => cp.metadataPath !== null && new ReferenceSet([cp]).touches(p));
			return `now referenced by ${by?.metadataPath ?? 'a _metadata'}`;
		}
		return index.orphans.contains(p) ? null : 'no longer reported as an orphan';
	}
	return targetEntryReason(entry, index);
}

/** Why a `--target` entry is skipped now (recomputed from the fresh scan), or `null`. */
function targetEntryReason(entry: PlanEntry, index: FreshIndex): string | null {
	const p = entry.path;
	const target = normaliseTarget(entry.target!);
	const problem = index.targets.problems.get(target);
	if (problem !== undefined) return problem;
	if (isInside(p, target)) return null;
	// As planning (`whatIfDelete`): a file freed by a target is kept when a `_metadata` of its job
	// cannot be read, since that one may reference it.
	if (index.unknownJobs.contains(p)) return 'in a job directory with a _metadata fcx cannot read now: what that references is unknown';
	if (!index.targets.freed.has(p)) return `not freed by target ${target} now: a snapshot that stays references it, or it is no file of the removed snapshots`;
	return null;
}

/**
 * Entries that remove snapshots, in the order to act on them: one whose snapshots reference files
 * under another goes before that other (if it then fails, it stays, and the other is kept for it).
 * Otherwise, and within a cycle, plan order.
 */
export function removalOrder(list: readonly PlanEntry[], index: FreshIndex): PlanEntry[] {
	const references = list.map((e) => {
		const removed = new Set(removedBy(e, index));
		return new ReferenceSet(index.fresh.checkpoints.filter((cp) => cp.metadataPath !== null && removed.has(cp.path)));
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
