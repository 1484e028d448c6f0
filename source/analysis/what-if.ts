/**
 * What-if: the impact of deleting checkpoints, savepoints, job directories or files (the
 * retention simulation, `--keep-last N`, is `retention.ts`). Pure: computed from an {@link Analysis}, nothing is read,
 * written, moved or deleted.
 */
import * as nodePath from 'node:path';
import {classifyPath, DirectorySet, isInside, stripTrailingSlash} from '../tree/layout.js';
import {FileTable, type ScannedFiles} from '../tree/file-table.js';
import {isRemoteRoot, normaliseStoreUri} from '../store/uri.js';
import {newestCompleteCheckpoint} from './jobs.js';
import {isUnseenByScan} from '../tree/warnings.js';
import {ReferenceSet} from './reference-set.js';
import type {Analysis, CheckpointAnalysis, ResolvedFile, UnreadableReferrer, Warning, WhatIfResult} from './types.js';

export {ReferenceSet} from './reference-set.js';

/** A snapshot whose `_metadata` exists (whatever its status): its references protect files. */
function hasMetadata(cp: CheckpointAnalysis): boolean {
	return cp.metadataPath !== null;
}

/** Absolute, normalised, without trailing slash; a store URI in its one spelling (`s3a://b/x/` → `s3://b/x`). */
export function normaliseTarget(target: string): string {
	return isRemoteRoot(target) ? normaliseStoreUri(target) : stripTrailingSlash(nodePath.resolve(target));
}

/**
 * The newest complete checkpoint of every job ({@link newestCompleteCheckpoint}), keyed by the
 * job's path. These are never deleted: they are what the job would be restored from.
 */
export function newestCompleteCheckpoints(analysis: Analysis): Map<string, CheckpointAnalysis> {
	const out = new Map<string, CheckpointAnalysis>();
	for (const job of analysis.jobs) {
		const best = newestCompleteCheckpoint(job);
		if (best !== undefined) out.set(job.path, best);
	}
	return out;
}

/**
 * Whether the scan found anything at or below `path`: a file there, or a file in it or below it.
 * A {@link FileTable} is asked directory by directory (thousands), not file by file (millions).
 */
export function scannedAtOrBelow(scannedFiles: ScannedFiles, path: string): boolean {
	if (scannedFiles.has(path)) return true;
	if (scannedFiles instanceof FileTable) {
		for (const dir of scannedFiles.directories()) if (isInside(dir, path)) return true;
		return false;
	}
	for (const file of scannedFiles.keys()) if (isInside(file, path)) return true;
	return false;
}

/** Job directories holding an unreadable or legacy `_metadata`: what they reference is unknown. */
export function unknownReferenceJobs(analysis: Analysis): string[] {
	const out = new Set<string>();
	for (const job of analysis.jobs) {
		if (job.jobId === null) continue;
		if (job.checkpoints.some((cp) => cp.status === 'unreadable' || cp.status === 'legacy')) out.add(job.path);
	}
	return [...out];
}

/**
 * Whether a snapshot (directory `dir`) whose references are unknown may reference `target`. A
 * savepoint directory is self-contained (docs/format.md#storage-layout: all its handles point into it), so it may
 * only reference its own directory. Any other snapshot may reference its own job directory, and
 * through a CLAIM or LEGACY restore (its job restored from another job's checkpoint or savepoint)
 * any other job's or savepoint's files: which restore happened is what its unread references would
 * tell.
 */
function mayReference(dir: string, target: string): boolean {
	if (isInside(target, dir) || isInside(dir, target)) return true;
	return classifyPath(dir).kind !== 'savepoint';
}

/** Whether a directory that could not be listed may hold a `_metadata`: not `shared/`, `taskowned/`, `dstl/` or a file-merging directory, nor inside one. */
function mayHoldSnapshots(dir: string): boolean {
	const kind = classifyPath(dir).storageKind;
	return kind === null || kind === 'chk' || kind === 'savepoint';
}

/**
 * The snapshots that may reference files under `targets` but could not be read (see
 * {@link UnreadableReferrer}), except those the targets remove themselves (a snapshot whose
 * directory or `_metadata` lies under a target); a directory that could not be listed and may hold
 * snapshots counts also under a target (what it holds, maybe the job's newest complete checkpoint,
 * is unknown). Empty when every snapshot that may reference a
 * target was read. This is the decision `plan` refuses targets by (unless `--accept-unreadable`)
 * and `clean` recomputes from its fresh scan. Sorted by `checkpointPath`.
 */
export function unreadableReferrers(analysis: Analysis, targets: readonly string[]): UnreadableReferrer[] {
	return referrersOf(unknownSnapshots(analysis), targets);
}

/**
 * For each of `targets`, the number of {@link unreadableReferrers} of it alone: what the snapshots
 * whose references are unknown are is found once, not once per target (`jobStorage` asks for each
 * job; with 2,000 `_metadata` named on the command line that was 2,000 roots compared with each
 * other for each of 200 jobs, 9 s).
 */
export function unreadableReferrerCounts(analysis: Analysis, targets: readonly string[]): number[] {
	const unknown = unknownSnapshots(analysis);
	return targets.map((t) => referrersOf(unknown, [t]).length);
}

/** What {@link unreadableReferrers} goes through: the snapshots and directories whose references are unknown. */
interface UnknownSnapshots {
	/** Unreadable and legacy snapshots. */
	snapshots: CheckpointAnalysis[];
	/** What the scan did not see that may hold snapshots. */
	unseen: Warning[];
	/** {@link unscannedJobDirectories} of the roots. */
	unscannedJobs: string[];
}

function unknownSnapshots(analysis: Analysis): UnknownSnapshots {
	return {
		snapshots: analysis.checkpoints.filter((cp) => cp.metadataPath !== null && (cp.status === 'unreadable' || cp.status === 'legacy')),
		// What vanished during the scan is gone: it references nothing now (and on a live tree Flink
		// removes subsumed files all the time).
		unseen: analysis.warnings.filter((w) => isUnseenByScan(w) && w.code !== 'vanished' && mayHoldSnapshots(w.path)),
		unscannedJobs: unscannedJobDirectories(analysis.roots),
	};
}

/** {@link unreadableReferrers} of `targets` among `unknown`. */
function referrersOf(unknown: UnknownSnapshots, targets: readonly string[]): UnreadableReferrer[] {
	const normalised = [...new Set(targets.map(normaliseTarget))];
	const targetSet = new DirectorySet(normalised);
	const out: UnreadableReferrer[] = [];
	const add = (dir: string, metadataPath: string | null, status: UnreadableReferrer['status'], error: string | null): void => {
		const reached = normalised.filter((t) => mayReference(dir, t));
		if (reached.length > 0) out.push({checkpointPath: dir, metadataPath, status, error, targets: reached});
	};
	for (const cp of unknown.snapshots) {
		if (targetSet.contains(cp.path) || targetSet.contains(cp.metadataPath!)) continue;
		add(cp.path, cp.metadataPath, cp.status as UnreadableReferrer['status'], cp.error ?? null);
	}
	// What the scan did not see (a directory it could not list, a symlink it did not follow — a
	// `chk-<n>/_metadata` that is one is a checkpoint Flink restores through it —, a FIFO, a
	// pending upload) is unknown also when a target holds it: it may hold the job's newest complete
	// checkpoint, which the target would remove unseen (a corrupt `_metadata` is different: it was
	// seen, and removing it is what a target of it means).
	for (const w of unknown.unseen) {
		if (targetSet.contains(w.path)) {
			const holding = normalised.filter((t) => isInside(w.path, t));
			out.push({checkpointPath: w.path, metadataPath: null, status: 'unreadable-directory', error: w.message, targets: holding});
			continue;
		}
		add(w.path, null, 'unreadable-directory', w.message);
	}
	for (const jobDir of unknown.unscannedJobs) {
		add(
			jobDir,
			null,
			'unreadable-directory',
			`a root lies in this job directory, which was not scanned whole: its _metadata files are unknown (scan ${jobDir})`,
		);
	}
	return out.sort((a, b) => (a.checkpointPath < b.checkpointPath ? -1 : a.checkpointPath > b.checkpointPath ? 1 : 0));
}

/**
 * The job directories that hold a root without being scanned themselves (`fcx plan <job>/shared`):
 * the `_metadata` files beside the root, which reference what is in it, were not read.
 */
export function unscannedJobDirectories(roots: readonly string[]): string[] {
	const out = new Set<string>();
	const rootSet = new DirectorySet(roots);
	for (const root of roots) {
		const jobDir = classifyPath(root).jobDir;
		if (jobDir !== null && jobDir !== root && !out.has(jobDir) && !rootSet.contains(jobDir)) out.add(jobDir);
	}
	return [...out];
}

function label(cp: CheckpointAnalysis): string {
	return `${cp.jobId === null ? '' : `job ${cp.jobId.slice(0, 8)} `}${nodePath.basename(cp.path)}`;
}

/**
 * The scanned files under the targets by name, made when first asked: a reference that may mean
 * several local copies ({@link ResolvedFile.ambiguous}) may need any file of its name (`build.ts`
 * holds them from orphans the same way), so deleting one breaks its snapshot as far as fcx knows.
 */
class AmbiguousCopies {
	private byName: Map<string, string[]> | undefined;

	constructor(
		private readonly analysis: Analysis,
		private readonly under: (path: string) => boolean,
	) {}

	/** The scanned files under the targets named like `file` (none when its name is not known). */
	named(file: ResolvedFile): string[] {
		const name = file.name ?? (file.path === null ? undefined : nodePath.posix.basename(file.path));
		if (name === undefined || name === '') return [];
		if (this.byName === undefined) {
			this.byName = new Map();
			for (const f of this.analysis.scannedFiles.keys()) {
				if (!this.under(f)) continue;
				const b = nodePath.posix.basename(f);
				const list = this.byName.get(b);
				if (list === undefined) this.byName.set(b, [f]);
				else list.push(f);
			}
		}
		return this.byName.get(name) ?? [];
	}
}

/**
 * The impact of deleting `targets` (checkpoint or savepoint directories, job directories, files;
 * relative paths are resolved against the working directory).
 *
 * - `removedCheckpoints`: snapshots whose directory or `_metadata` lies under a target.
 * - `freedFiles` / `freedBytes`: every scanned file under the targets, plus the files outside the
 *   targets that only removed snapshots referenced (not referenced by any remaining snapshot of any
 *   job, not in a job directory with an unreadable `_metadata`).
 * - `broken`: remaining snapshots that reference an existing file under a target.
 * - `unreadable`: remaining snapshots that may reference files under the targets but could not be
 *   read ({@link unreadableReferrers}): `broken` is then not the whole impact.
 * - `warnings`: the newest complete checkpoint of a job is removed, something breaks, a target is
 *   outside the analysed roots or unknown to the scan.
 */
export function whatIfDelete(analysis: Analysis, targets: string[]): WhatIfResult {
	const normalised = [...new Set(targets.map(normaliseTarget))];
	const targetSet = new DirectorySet(normalised);
	const under = (p: string): boolean => targetSet.contains(p);
	const warnings: string[] = [];
	const roots = analysis.roots;
	for (const t of normalised) {
		if (!roots.some((r) => isInside(t, r))) {
			warnings.push(`${t} is outside the analysed roots (${roots.join(', ')}): its impact cannot be known`);
		} else if (!scannedAtOrBelow(analysis.scannedFiles, t) && !analysis.checkpoints.some((cp) => isInside(cp.path, t))) {
			warnings.push(`${t}: nothing was found there by the scan`);
		}
	}

	const removed = analysis.checkpoints.filter((cp) => under(cp.path) || (cp.metadataPath !== null && under(cp.metadataPath)));
	const removedSet = new Set(removed);
	const remaining = analysis.checkpoints.filter((cp) => !removedSet.has(cp) && hasMetadata(cp));
	const keep = new ReferenceSet(remaining);

	const freed = new Set<string>();
	for (const f of analysis.scannedFiles.keys()) if (under(f)) freed.add(f);
	const unknownJobs = new DirectorySet(unknownReferenceJobs(analysis));
	for (const cp of removed) {
		for (const f of cp.files) {
			if (f.path === null || f.handle === 'directory' || !analysis.scannedFiles.has(f.path)) continue;
			if (keep.has(f.path) || unknownJobs.contains(f.path)) continue;
			freed.add(f.path);
		}
	}
	const freedFiles = [...freed].sort();
	const freedBytes = freedFiles.reduce((n, f) => n + (analysis.scannedFiles.get(f)?.size ?? 0), 0);

	const broken: WhatIfResult['broken'] = [];
	const copies = new AmbiguousCopies(analysis, under);
	for (const cp of remaining) {
		const lost = cp.files.filter((f) => f.path !== null && f.exists === true && under(f.path)).map((f) => f.path!);
		for (const f of cp.files) if (f.ambiguous === true) lost.push(...copies.named(f));
		if (lost.length > 0) broken.push({checkpointPath: cp.path, lostFiles: [...new Set(lost)].sort()});
	}
	broken.sort((a, b) => (a.checkpointPath < b.checkpointPath ? -1 : 1));

	for (const [jobPath, cp] of newestCompleteCheckpoints(analysis)) {
		if (removedSet.has(cp)) {
			warnings.push(`${cp.path} is the newest complete checkpoint of ${jobPath}: the job could no longer be restored from its latest state`);
		}
	}
	const unreadable = unreadableReferrers(analysis, normalised);
	if (unreadable.length > 0) {
		const n = unreadable.length;
		warnings.push(
			`${n} remaining snapshot${n === 1 ? '' : 's'} (or director${n === 1 ? 'y' : 'ies'} that may hold some) that may reference files under the targets could not be read (${unreadable.map((u) => u.metadataPath ?? u.checkpointPath).join(', ')}): what the deletion breaks cannot be known`,
		);
	}
	if (broken.length > 0) {
		warnings.push(
			`${broken.length} remaining checkpoint${broken.length === 1 ? '' : 's'} would lose referenced files and break: ${broken.map((b) => label(analysis.checkpoints.find((cp) => cp.path === b.checkpointPath)!)).join(', ')}`,
		);
	}

	return {
		targets: normalised,
		freedFiles,
		freedBytes,
		broken,
		unreadable,
		removedCheckpoints: removed.map((cp) => cp.path).sort(),
		warnings,
	};
}
