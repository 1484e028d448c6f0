/**
 * Before the orphans: the facts of the snapshots per job that decide where orphans may be looked
 * for. A job with a `_metadata` that could not be read completely (unreadable or legacy), or with a
 * directory that could not be listed and may hold one, gets no unreferenced-file orphans in its
 * shared, task-owned, file-merging and changelog directories, nor in the unreadable snapshot's own
 * directory: what that snapshot references is unknown. The other `chk-<n>` directories of the job
 * keep theirs: a checkpoint's exclusive files are referenced by its own `_metadata` (readable
 * there), and a later checkpoint reaches them only through it (a CLAIM restore takes the files the
 * restored `_metadata` names). An unlisted directory outside job directories withholds them
 * everywhere. Each withheld job gets a `job-orphans-withheld` warning.
 */
import {classifyPath, METADATA_FILE, parentPath, type PathLayout} from '../../tree/layout.js';
import {isCompletedByFlink} from '../jobs.js';
import type {BuildContext} from './context.js';
import type {Unlisted} from './settle.js';

/** What the snapshots tell about their jobs. */
export interface JobFacts {
	/** The newest checkpoint id Flink completed per group (see {@link checkpointGroupOf}). */
	newestComplete: Map<string, number>;
	/** Job directories whose unreferenced files are not orphans (what they reference is unknown). */
	unknownRefsJobs: Set<string>;
	/** No unreferenced files and no dead jobs are orphans anywhere. */
	unknownEverywhere: boolean;
}

/** Group key for "newest complete checkpoint": the job directory, or the parent of `chk-<n>` directories without one. */
export function checkpointGroupOf(layout: PathLayout, dir: string): string {
	return layout.jobDir ?? parentPath(dir);
}

/** The job facts of the analysed snapshots (their `analysis` set) and the unlisted directories; pushes the warnings. */
export function jobFacts(ctx: BuildContext, unlisted: Unlisted): JobFacts {
	const {scan, warnings} = ctx;
	const newestComplete = new Map<string, number>();
	const unknownRefsJobs = new Set<string>(); // job dirs with unreadable / legacy metadata
	// An unreadable snapshot outside job directories (a retained checkpoint copied aside) may need any file.
	let looseUnknown = false;
	for (const s of ctx.snaps) {
		const cp = s.analysis!;
		if (s.layout.kind === 'chk' && isCompletedByFlink(cp) && cp.checkpointId !== null) {
			const g = checkpointGroupOf(s.layout, s.dir);
			newestComplete.set(g, Math.max(newestComplete.get(g) ?? -1, cp.checkpointId));
		}
		if ((cp.status === 'unreadable' || cp.status === 'legacy') && s.jobDir !== null) unknownRefsJobs.add(s.jobDir);
		else if ((cp.status === 'unreadable' || cp.status === 'legacy') && s.layout.kind !== 'savepoint') looseUnknown = true;
	}
	for (const j of unknownRefsJobs) {
		warnings.push({
			code: 'job-orphans-withheld',
			path: j,
			message: 'a _metadata in this job could not be read completely; unreferenced files of this job are not reported as orphans',
		});
	}
	for (const root of scan.roots) {
		const layout = scan.directories.get(root)?.layout ?? classifyPath(root);
		if (layout.jobDir === null || layout.jobDir === root || scan.directories.has(layout.jobDir) || layout.kind === 'chk') continue;
		if (unknownRefsJobs.has(layout.jobDir)) continue;
		unknownRefsJobs.add(layout.jobDir);
		warnings.push({
			code: 'job-orphans-withheld',
			path: layout.jobDir,
			message: `the root ${root} lies in this job directory, which is not scanned whole: its _metadata files are unknown; unreferenced files of this job are not reported as orphans (scan ${layout.jobDir})`,
		});
	}
	// A directory that could not be listed and may hold a `_metadata` (a chk-<n>, job or other
	// directory; not one inside shared/, taskowned/, dstl/ or a savepoint): what that snapshot
	// references is unknown, in its job, or anywhere when it is not in a job directory.
	// A root with unlisted entropy prefixes (`entropy-detected`) is such a directory as a whole.
	const entropyRoots = new Set(scan.warnings.filter((w) => w.code === 'entropy-detected').map((w) => w.path));
	let unknownEverywhere = looseUnknown;
	let because = 'a directory outside job directories could not be read and may hold a _metadata of any job';
	for (const dir of unlisted.paths) {
		const layout = scan.directories.get(dir)?.layout ?? classifyPath(dir);
		if (layout.storageKind !== null && layout.kind !== 'chk' && !dir.endsWith(`/${METADATA_FILE}`)) continue;
		const why = entropyRoots.has(dir)
			? `state files of ${dir} lie below entropy prefixes that were not listed (see the entropy-detected warning)`
			: `${dir} could not be read and may hold a _metadata`;
		if (layout.jobDir === null) {
			unknownEverywhere = true;
			if (entropyRoots.has(dir)) because = why;
		} else if (!unknownRefsJobs.has(layout.jobDir)) {
			unknownRefsJobs.add(layout.jobDir);
			warnings.push({code: 'job-orphans-withheld', path: layout.jobDir, message: `${why}; unreferenced files of this job are not reported as orphans`});
		}
	}
	if (unknownEverywhere) {
		for (const root of scan.roots) {
			warnings.push({code: 'job-orphans-withheld', path: root, message: `${because}; no unreferenced files and no dead jobs are reported as orphans`});
		}
	}
	return {newestComplete, unknownRefsJobs, unknownEverywhere};
}
