/**
 * Phase 7 of the build: one {@link JobSummary} per job directory (scanned, or holding a snapshot),
 * one for the snapshots outside job directories, a changelog-only job directory folded into the
 * job of the same id; newest first, the one outside job directories last.
 */
import {baseName, classifyPath, isInside, parentPath} from '../../tree/layout.js';
import {isCompletedByFlink} from '../jobs.js';
import type {CheckpointAnalysis, JobSummary, Orphan} from '../types.js';
import type {CheckpointFacts} from './checkpoints.js';
import type {BuildContext} from './context.js';
import type {DirectoryAggregates} from './directories.js';

/** Items grouped by the job directory their `path` is in (`null`: outside job directories), in order. */
function groupByJobDir<T extends {path: string}>(items: readonly T[]): Map<string | null, T[]> {
	const groups = new Map<string | null, T[]>();
	for (const item of items) {
		const jobDir = classifyPath(item.path).jobDir;
		const list = groups.get(jobDir);
		if (list === undefined) groups.set(jobDir, [item]);
		else list.push(item);
	}
	return groups;
}

/** The deepest directory containing every path (`/` for none). */
function commonParent(paths: readonly string[]): string {
	if (paths.length === 0) return '/';
	let common = parentPath(paths[0]);
	for (const p of paths) {
		while (!isInside(p, common)) common = parentPath(common);
	}
	return common;
}

/** Newest first by checkpoint id, then time, then path (sorts `list` in place). */
function sortCheckpoints(list: CheckpointAnalysis[]): CheckpointAnalysis[] {
	return list.sort((a, b) => (b.checkpointId ?? -1) - (a.checkpointId ?? -1) || b.timeMs - a.timeMs || (a.path < b.path ? -1 : 1));
}

/** The summary of one job (`jobId` null: the snapshots outside job directories), `bytes` on disk; orphans possibly in progress do not count. */
function summarise(
	facts: CheckpointFacts,
	jobId: string | null,
	path: string,
	label: string,
	cps: CheckpointAnalysis[],
	bytes: number,
	orphanList: Orphan[],
	fallbackTime: number,
): JobSummary {
	const counted = orphanList.filter((o) => !o.possiblyInProgress);
	const missingSet = new Set<string>();
	const damagedSet = new Set<string>();
	const refJobs = new Set<string>();
	let latest: number | null = null;
	let timeMs = 0;
	for (const cp of cps) {
		for (const path of facts.missingPathsOf.get(cp.path) ?? []) missingSet.add(path);
		for (const path of facts.damagedPathsOf.get(cp.path) ?? []) damagedSet.add(path);
		for (const dep of cp.dependencies) if (dep.crossJob && dep.jobId !== null && dep.jobId !== jobId) refJobs.add(dep.jobId);
		if (cp.kind === 'checkpoint' && isCompletedByFlink(cp) && cp.checkpointId !== null) {
			latest = latest === null ? cp.checkpointId : Math.max(latest, cp.checkpointId);
		}
		if (cp.metadataPath !== null) timeMs = Math.max(timeMs, cp.timeMs);
	}
	return {
		jobId,
		path,
		label,
		checkpoints: sortCheckpoints(cps),
		latestCheckpointId: latest,
		bytesOnDisk: bytes,
		orphanBytes: counted.reduce((n, o) => n + o.bytes, 0),
		orphans: counted.length,
		missing: missingSet.size,
		damaged: damagedSet.size,
		exclusiveBytes: facts.exclusive.of(jobId === null ? null : path),
		referencesJobs: [...refJobs].sort(),
		timeMs: timeMs || fallbackTime,
	};
}

/** Phase 7: the job summaries of every checkpoint analysis (loaded and incomplete) and orphan. */
export function summariseJobs(
	ctx: BuildContext,
	facts: CheckpointFacts,
	dirs: DirectoryAggregates,
	allCheckpoints: CheckpointAnalysis[],
	orphans: Orphan[],
): JobSummary[] {
	const {scan} = ctx;
	const {aggOf} = dirs;
	const jobDirSet = new Set<string>();
	for (const [dir, d] of scan.directories) if (d.layout.kind === 'job') jobDirSet.add(dir); // sorted below
	for (const cp of allCheckpoints) {
		const l = classifyPath(cp.path);
		if (l.jobDir !== null) jobDirSet.add(l.jobDir);
	}
	const cpsByJob = groupByJobDir(allCheckpoints);
	const orphansByJob = groupByJobDir(orphans);
	const jobs: JobSummary[] = [];
	for (const jobDir of [...jobDirSet].sort()) {
		const cps = cpsByJob.get(jobDir) ?? [];
		let bytes = 0;
		if (scan.directories.has(jobDir)) bytes = aggOf(jobDir).bytes;
		else for (const r of scan.roots) if (isInside(r, jobDir)) bytes += aggOf(r).bytes;
		const jobOrphans = orphansByJob.get(jobDir) ?? [];
		jobs.push(summarise(facts, baseName(jobDir), jobDir, baseName(jobDir), cps, bytes, jobOrphans, aggOf(jobDir).newestMs));
	}
	const loose = cpsByJob.get(null) ?? [];
	const looseOrphans = orphansByJob.get(null) ?? [];
	if (loose.length > 0 || looseOrphans.length > 0) {
		const dirs = [...new Set([...loose.map((cp) => cp.path), ...looseOrphans.map((o) => (o.type === 'file' ? parentPath(o.path) : o.path))])];
		let bytes = 0;
		for (const dir of dirs) {
			if (scan.directories.has(dir)) {
				bytes += aggOf(dir).bytes;
			} else {
				const cp = loose.find((c) => c.path === dir);
				bytes += cp?.sizes.metadataBytes ?? 0;
			}
		}
		const label = loose.every((cp) => cp.kind === 'savepoint') ? 'savepoints' : 'snapshots outside job directories';
		const newest = Math.max(0, ...looseOrphans.map((o) => o.timeMs));
		jobs.push(summarise(facts, null, commonParent(dirs), label, loose, bytes, looseOrphans, newest));
	}
	foldChangelogJobs(ctx, jobs);
	return jobs.sort((a, b) => {
		if ((a.jobId === null) !== (b.jobId === null)) return a.jobId === null ? 1 : -1;
		return b.timeMs - a.timeMs || (a.path < b.path ? -1 : 1);
	});
}

/**
 * A changelog-only job directory (`<dstl base>/<jobId>/dstl/`) is folded into the job directory of
 * the same id that holds checkpoints: its bytes and orphans count there.
 */
function foldChangelogJobs(ctx: BuildContext, jobs: JobSummary[]): void {
	for (let i = jobs.length - 1; i >= 0; i--) {
		const s = jobs[i];
		if (s.jobId === null || s.checkpoints.length > 0 || !ctx.scan.directories.has(`${s.path}/dstl`)) continue;
		const target = jobs.find((t) => t !== s && t.jobId === s.jobId && t.checkpoints.length > 0);
		if (target === undefined) continue;
		target.bytesOnDisk += s.bytesOnDisk;
		target.orphans += s.orphans;
		target.orphanBytes += s.orphanBytes;
		jobs.splice(i, 1);
	}
}
