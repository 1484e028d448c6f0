/**
 * Phase 6 of the build: the orphans, what `plan` and `clean` may delete. Looked for under the
 * scanned roots only, in Flink storage directories, in this order:
 * - dead jobs: job directories without a loaded `_metadata` below them and nothing referenced;
 * - snapshot directories without `_metadata` (`chk-<n>`: incomplete or possibly in progress, a
 *   savepoint directory: failed or aborted), when nothing in them is referenced;
 * - unreferenced files in storage directories, rolled up to the highest directory whose whole
 *   content is orphaned, and stale in-progress metadata files;
 * - empty, unreferenced file-merging directories of live jobs.
 * Never an orphan: a file any snapshot references, anything below a directory that could not be
 * listed, files of a job whose `_metadata` could not be read (or in held directories, which a
 * reference fcx could not map may name). Whatever changed within `--min-age` is possibly in
 * progress (reported, not counted).
 */
import {baseName, directoriesAbove, INPROGRESS_METADATA_RE, METADATA_FILE, parentPath, type PathLayout} from '../../tree/layout.js';
import {formatDuration} from '../../text/index.js';
import type {CheckpointAnalysis, Orphan, OrphanReason} from '../types.js';
import type {BuildContext, Snap} from './context.js';
import type {DirectoryAggregates} from './directories.js';
import type {Unlisted, Usage} from './settle.js';
import {checkpointGroupOf, type JobFacts} from './withheld.js';

/** What the orphan phase finds. */
export interface OrphanFindings {
	/** Sorted by path. */
	orphans: Orphan[];
	/** Analyses of `chk-<n>` directories without `_metadata` (incomplete, in progress, or unreadable when unlisted). */
	incomplete: CheckpointAnalysis[];
}

/** The inputs of the orphan phase and what it has found so far. */
interface Search {
	ctx: BuildContext;
	usage: Usage;
	unlisted: Unlisted;
	dirs: DirectoryAggregates;
	jobs: JobFacts;
	/** The scanned directories, sorted. */
	sortedDirs: string[];
	rootSet: Set<string>;
	/** `--min-age` as text, for the descriptions. */
	ageText: string;
	orphans: Orphan[];
	incomplete: CheckpointAnalysis[];
	/** Job directories reported whole (dead jobs): nothing below them is reported again. */
	deadJobs: Set<string>;
	/** Snapshot directories reported whole. */
	wholeOrphanDirs: Set<string>;
	/** Directories reported whole by the roll-up of unreferenced files. */
	reportedDirs: Set<string>;
}

/** Phase 6: the orphans of the scanned tree, from the earlier phases' findings (see the module doc). */
export function findOrphans(ctx: BuildContext, usage: Usage, unlisted: Unlisted, dirs: DirectoryAggregates, jobs: JobFacts): OrphanFindings {
	const search: Search = {
		ctx,
		usage,
		unlisted,
		dirs,
		jobs,
		sortedDirs: [...ctx.scan.directories.keys()].sort(),
		rootSet: new Set(ctx.scan.roots),
		ageText: formatDuration(ctx.minAgeMs),
		orphans: [],
		incomplete: [],
		deadJobs: new Set(),
		wholeOrphanDirs: new Set(),
		reportedDirs: new Set(),
	};
	deadJobOrphans(search);
	snapshotDirOrphans(search);
	unreferencedFileOrphans(search);
	emptyFileMergingOrphans(search);
	search.orphans.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
	return {orphans: search.orphans, incomplete: search.incomplete};
}

/** Whether `layout` lies in a job directory reported as dead. */
function inDeadJob(search: Search, layout: PathLayout): boolean {
	return layout.jobDir !== null && search.deadJobs.has(layout.jobDir);
}

/** Job directories without a loaded `_metadata` below them and nothing referenced (none when a `_metadata` of any job may be unknown). */
function deadJobOrphans(search: Search): void {
	const {ctx, dirs, ageText} = search;
	// The directories a loaded `_metadata` lies below (asking each job directory about every
	// snapshot was jobs × snapshots comparisons: 400,000 for the 1M-file bench tree, 40 million
	// for ten times its jobs).
	const aboveMetadata = directoriesAbove(ctx.snaps.map((s) => s.loaded.metadataPath));
	for (const dir of search.sortedDirs) {
		const d = ctx.scan.directories.get(dir)!;
		if (d.layout.kind !== 'job') continue;
		const hasMetadata = aboveMetadata.has(dir);
		const a = dirs.aggOf(dir);
		if (hasMetadata || a.referenced > 0 || search.jobs.unknownEverywhere) continue;
		search.deadJobs.add(dir);
		const young = a.newestMs >= ctx.youngSince;
		search.orphans.push({
			path: dir,
			type: 'directory',
			reason: 'dead-job',
			description: young
				? `job directory without a complete checkpoint, changed within ${ageText}: possibly a job that is starting`
				: 'job directory without a complete checkpoint; nothing in it is referenced',
			bytes: a.bytes,
			files: a.files,
			jobId: d.layout.jobId,
			timeMs: a.newestMs,
			possiblyInProgress: young,
		});
	}
}

/** `chk-<n>` and savepoint directories without `_metadata`: their analyses, and orphans when nothing in them is referenced. */
function snapshotDirOrphans(search: Search): void {
	const {ctx, dirs, ageText} = search;
	const {scan} = ctx;
	const snapByDir = new Map<string, Snap>();
	for (const s of ctx.snaps) snapByDir.set(s.dir, s);
	for (const dir of search.sortedDirs) {
		const d = scan.directories.get(dir)!;
		if (d.layout.kind !== 'chk' && d.layout.kind !== 'savepoint') continue;
		if (snapByDir.has(dir) || scan.files.hasFile(dir, METADATA_FILE)) continue;
		const a = dirs.aggOf(dir);
		if (d.layout.kind === 'chk' && (search.unlisted.set.has(dir) || search.unlisted.set.has(`${dir}/${METADATA_FILE}`))) {
			// Not listed: its _metadata is unknown, not absent.
			search.incomplete.push({...unlistedCheckpoint(dir, d.layout), timeMs: Math.max(a.newestMs, d.mtimeMs)});
			continue;
		}
		const newest = Math.max(a.newestMs, d.mtimeMs);
		const young = newest >= ctx.youngSince;
		const snapshotDirOrphan = (reason: OrphanReason, description: string, possiblyInProgress: boolean): void => {
			search.wholeOrphanDirs.add(dir);
			search.orphans.push({
				path: dir,
				type: 'directory',
				reason,
				description,
				bytes: a.bytes,
				files: a.files,
				jobId: d.layout.jobId,
				timeMs: newest,
				possiblyInProgress,
			});
		};
		if (d.layout.kind === 'chk') {
			const n = d.layout.checkpointId ?? 0;
			const inProgress = young && n > (search.jobs.newestComplete.get(checkpointGroupOf(d.layout, dir)) ?? -1);
			search.incomplete.push({...noMetadataCheckpoint(dir, d.layout, n), status: inProgress ? 'in-progress' : 'incomplete', timeMs: newest});
			if (inDeadJob(search, d.layout) || a.referenced > 0) continue; // some files are used: only the unreferenced ones are reported
			snapshotDirOrphan(
				'incomplete-checkpoint',
				inProgress
					? `chk-${n} has no _metadata yet; newer than the newest complete checkpoint and changed within ${ageText}: possibly in progress`
					: `chk-${n} has no _metadata: aborted or failed checkpoint`,
				inProgress,
			);
		} else {
			if (inDeadJob(search, d.layout) || a.referenced > 0) continue; // some files are used: only the unreferenced ones are reported
			snapshotDirOrphan(
				'unreferenced-directory',
				young
					? `savepoint directory without _metadata, changed within ${ageText}: possibly in progress`
					: 'savepoint directory without _metadata: failed or aborted savepoint',
				young,
			);
		}
	}
}

/** An unreferenced file that may be an orphan, or part of one rolled up to its directory. */
interface Candidate {
	path: string;
	size: number;
	mtimeMs: number;
	layout: PathLayout;
}

/**
 * Unreferenced files in storage directories (except in dead jobs, snapshot directories reported
 * whole, unreadable snapshots' directories, withheld jobs outside `chk-<n>` and held directories):
 * stale in-progress metadata files, then each candidate file at the highest directory whose whole
 * content is orphaned (see {@link rollUp}).
 */
function unreferencedFileOrphans(search: Search): void {
	const {ctx, jobs, ageText} = search;
	const {scan, youngSince} = ctx;
	const {referencedFiles} = search.usage;
	const unknownSnapDirs = new Set(ctx.snaps.filter((s) => s.analysis!.status === 'unreadable' || s.analysis!.status === 'legacy').map((s) => s.dir));
	// A `_metadata` the scan did not see as a file (a symlink, a FIFO, a directory): its snapshot is unknown.
	for (const p of search.unlisted.paths) if (baseName(p) === METADATA_FILE) unknownSnapDirs.add(parentPath(p));
	const candidates: Candidate[] = [];
	/** Candidates below each rollable directory. */
	const candidateCount = new Map<string, number>();
	for (const dir of scan.files.directories()) {
		const d = scan.directories.get(dir);
		if (d === undefined || d.layout.storageKind === null || d.layout.storageDir === null || jobs.unknownEverywhere) continue;
		const layout = d.layout;
		if (inDeadJob(search, layout)) continue;
		const storage = layout.storageDir!;
		if (search.wholeOrphanDirs.has(storage)) continue;
		if (unknownSnapDirs.has(storage)) continue;
		if (layout.jobDir !== null && jobs.unknownRefsJobs.has(layout.jobDir) && layout.storageKind !== 'chk') continue;
		if (search.dirs.held.has(dir)) continue;
		let count = 0;
		scan.files.forEachFile(dir, (name, id) => {
			if (referencedFiles[id] !== 0 || name === METADATA_FILE) return;
			const size = scan.files.sizeOf(id);
			const mtimeMs = scan.files.mtimeOf(id);
			// Flat (`join` writes one sequential string; a template would make a concatenation):
			// sorting the orphans below and the explorer's 100,000-row lists compare them character
			// by character, and a concatenation is copied flat on its first such comparison.
			const file = [dir, name].join('/');
			if (INPROGRESS_METADATA_RE.test(name)) {
				const young = mtimeMs >= youngSince;
				search.orphans.push({
					path: file,
					type: 'file',
					reason: 'stale-inprogress-metadata',
					description: young
						? `metadata temp file changed within ${ageText}: checkpoint possibly being finalized`
						: 'stale metadata temp file: the JobManager crashed while finalizing a checkpoint',
					bytes: size,
					files: 1,
					jobId: layout.jobId,
					timeMs: mtimeMs,
					possiblyInProgress: young,
				});
				return;
			}
			candidates.push({path: file, size, mtimeMs, layout});
			count++;
		});
		let cur = dir;
		while (count > 0 && rollable(search, cur)) {
			candidateCount.set(cur, (candidateCount.get(cur) ?? 0) + count);
			cur = parentPath(cur);
		}
	}
	rollUp(search, candidates, candidateCount);
}

/** Directories an orphan may be rolled up to (below the storage roots chk / shared / taskowned / dstl / savepoint). */
function rollable(search: Search, dir: string): boolean {
	const d = search.ctx.scan.directories.get(dir);
	if (d === undefined) return false;
	const k = d.layout.kind;
	if (k === 'job' || k === 'chk' || k === 'shared' || k === 'taskowned' || k === 'changelog' || k === 'savepoint') return false;
	return d.layout.storageKind !== null && !search.rootSet.has(dir);
}

/** Report each candidate at its highest rollable ancestor whose whole content is orphaned (once per directory), else as a file. */
function rollUp(search: Search, candidates: readonly Candidate[], candidateCount: ReadonlyMap<string, number>): void {
	const {ctx, dirs, ageText} = search;
	const {youngSince} = ctx;
	const {referencedDirs} = search.usage;
	const {reportedDirs} = search;
	for (const c of candidates) {
		let top: string | null = null;
		let cur = parentPath(c.path);
		while (rollable(search, cur)) {
			const a = dirs.aggOf(cur);
			if ((candidateCount.get(cur) ?? 0) === a.files && a.referenced === 0 && !referencedDirs.has(cur)) top = cur;
			else break;
			cur = parentPath(cur);
		}
		if (top !== null) {
			if (reportedDirs.has(top)) continue;
			reportedDirs.add(top);
			const a = dirs.aggOf(top);
			const young = a.newestMs >= youngSince;
			const dl = ctx.scan.directories.get(top)!.layout;
			search.orphans.push({
				path: top,
				type: 'directory',
				reason: 'unreferenced-directory',
				description: `${dl.kind === 'file-merging' ? 'file-merging directory' : 'directory'} whose files no loaded checkpoint or savepoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
				bytes: a.bytes,
				files: a.files,
				jobId: dl.jobId,
				timeMs: a.newestMs,
				possiblyInProgress: young,
			});
			continue;
		}
		const young = c.mtimeMs >= youngSince;
		const where =
			c.layout.storageKind === 'chk'
				? baseName(c.layout.storageDir!)
				: c.layout.storageKind === 'savepoint'
					? 'savepoint directory'
					: `${c.layout.storageKind}/`;
		search.orphans.push({
			path: c.path,
			type: 'file',
			reason: 'unreferenced-file',
			description: `file in ${where} that no loaded checkpoint or savepoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
			bytes: c.size,
			files: 1,
			jobId: c.layout.jobId,
			timeMs: c.mtimeMs,
			possiblyInProgress: young,
		});
	}
}

/** Empty, unreferenced file-merging directories of live jobs (not withheld, not rolled up already). */
function emptyFileMergingOrphans(search: Search): void {
	const {ctx, dirs, jobs, ageText} = search;
	for (const dir of search.sortedDirs) {
		const d = ctx.scan.directories.get(dir)!;
		if (
			d.layout.kind !== 'file-merging' ||
			inDeadJob(search, d.layout) ||
			search.usage.referencedDirs.has(dir) ||
			search.reportedDirs.has(dir) ||
			jobs.unknownEverywhere
		) {
			continue;
		}
		if (d.layout.jobDir !== null && jobs.unknownRefsJobs.has(d.layout.jobDir)) continue;
		const a = dirs.aggOf(dir);
		if (a.files > 0 || a.referenced > 0) continue;
		const newest = Math.max(a.newestMs, d.mtimeMs);
		const young = newest >= ctx.youngSince;
		search.orphans.push({
			path: dir,
			type: 'directory',
			reason: 'unreferenced-directory',
			description: `empty file-merging directory that no loaded checkpoint references${young ? ` (changed within ${ageText}: possibly in progress)` : ''}`,
			bytes: 0,
			files: 0,
			jobId: d.layout.jobId,
			timeMs: newest,
			possiblyInProgress: young,
		});
	}
}

/** The analysis of a `chk-<n>` directory without `_metadata` (status and time to be set by the caller). */
function noMetadataCheckpoint(dir: string, layout: PathLayout, checkpointId: number | null): CheckpointAnalysis {
	return {
		path: dir,
		metadataPath: null,
		jobId: layout.jobId,
		kind: 'checkpoint',
		checkpointId,
		formatVersion: null,
		status: 'incomplete',
		timeMs: 0,
		properties: null,
		files: [],
		dependencies: [],
		operators: [],
		sizes: {referencedBytes: 0, ownDirectoryBytes: 0, sharedBytes: 0, inlineBytes: 0, metadataBytes: 0, exclusiveBytes: 0},
		missing: 0,
		damaged: 0,
		outside: 0,
	};
}

/** The analysis of a `chk-<n>` directory that could not be listed: `unreadable`, nothing known of it. */
function unlistedCheckpoint(dir: string, layout: PathLayout): CheckpointAnalysis {
	return {
		...noMetadataCheckpoint(dir, layout, layout.checkpointId),
		status: 'unreadable',
		error: 'the directory could not be read (see the warnings): whether it holds a _metadata is unknown',
	};
}
