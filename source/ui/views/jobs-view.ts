/**
 * The jobs view: one row per job, with its restores (lineage edges into it) and its newest
 * complete and restorable checkpoints.
 */
import {newestCompleteCheckpoint, newestRestorableCheckpoint} from '../../analysis/jobs.js';
import type {JobSummary, LineageEdge} from '../../analysis/types.js';
import {shortJobId} from '../format.js';
import {baseName} from '../../tree/layout.js';
import {formatBytes, formatCount, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, DetailLine, ListModel, Row} from './types.js';
import {type AnalysisIndex, relativeToRoot} from './analysis-index.js';

/** Lineage edges by the restored job's directory (made once per lineage). */
const edgesByJobPath = new WeakMap<readonly LineageEdge[], Map<string, LineageEdge[]>>();

/** The lineage edges into a job (restores of it), looked up by its directory. */
function edgesInto(index: AnalysisIndex, job: JobSummary): LineageEdge[] {
	const {edges} = index.lineage();
	let byJob = edgesByJobPath.get(edges);
	if (byJob === undefined) {
		byJob = new Map();
		for (const edge of edges) {
			const list = byJob.get(edge.toPath);
			if (list === undefined) {
				byJob.set(edge.toPath, [edge]);
			} else {
				list.push(edge);
			}
		}

		edgesByJobPath.set(edges, byJob);
	}

	return (byJob.get(job.path) ?? []).filter((edge) => edge.toJobId === job.jobId);
}

/**
 * What a job was restored from: the other jobs (full ids) of the restore lineage's edges to it (a
 * savepoint's directory name when its job is unknown), and the jobs whose directories it references.
 * Its own savepoints (a job with a fixed id restored from one) are {@link ownSavepointRestores}.
 */
export function restoredFrom(index: AnalysisIndex, job: JobSummary): string[] {
	const sources = new Set<string>();
	for (const edge of edgesInto(index, job)) {
		if (edge.fromJobId !== job.jobId) {
			sources.add(edge.fromJobId ?? (edge.fromPath === null ? 'unknown' : baseName(edge.fromPath)));
		}
	}

	for (const id of job.referencesJobs) {
		sources.add(id);
	}

	return [...sources];
}

/** The directory names of the job's own savepoints it was restored from (a job with a fixed job id). */
export function ownSavepointRestores(index: AnalysisIndex, job: JobSummary): string[] {
	const names = new Set<string>();
	for (const edge of edgesInto(index, job)) {
		if (edge.fromJobId === job.jobId && edge.fromPath !== null) {
			names.add(baseName(edge.fromPath));
		}
	}

	return [...names];
}

/** "Restored from" as words: other jobs' ids, then `its own savepoint <name>`; `no other job` when neither. */
export function restoredFromValue(sources: readonly string[], own: readonly string[]): string {
	const parts = [...sources, ...own.map((name) => `its own savepoint ${name}`)];
	return parts.length === 0 ? 'no other job' : parts.join(', ');
}

function jobMarks(job: JobSummary, sources: readonly string[]): Mark[] {
	const marks: Mark[] = [];
	if (job.missing > 0 || job.damaged > 0) {
		marks.push('missing');
	}

	if (job.orphans > 0) {
		marks.push('orphan');
	}

	if (sources.length > 0) {
		marks.push('cross-job');
	}

	if (job.checkpoints.some((checkpoint) => checkpoint.status === 'in-progress')) {
		marks.push('in-progress');
	}

	return marks;
}

// ---------------------------------------------------------------------------------------------
// Jobs
// ---------------------------------------------------------------------------------------------

const JOB_COLUMNS: Column[] = [
	// A full job id (32) before the newest restorable checkpoint (also in the details).
	{title: 'Job', width: 'flex', minWidth: 11, idealWidth: 32, jobId: true},
	// Snapshots with a `_metadata` (checkpoints and savepoints), as the header counts them: a
	// chk-<n> without one (incomplete, in progress) is in the details, not here.
	{title: 'Snaps', width: 6, align: 'right'},
	{title: 'Latest', width: 10, sortKey: 'time'},
	{title: 'Restorable', width: 10, optional: true},
	{title: 'On disk', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Orphans', width: 7, align: 'right'},
	{title: 'Missing', width: 7, align: 'right'},
	{title: 'Restored from', width: 'flex', minWidth: 13, cut: 'end'},
];

function jobRow(index: AnalysisIndex, job: JobSummary): Row {
	const sources = restoredFrom(index, job);
	const own = ownSavepointRestores(index, job);
	// Snapshots outside job directories belong to unrelated jobs: none is "the" restorable one.
	const restorable = job.jobId === null ? undefined : newestRestorableCheckpoint(job);
	return {
		key: `job:${job.path}`,
		cells: [
			job.label,
			formatCount(withMetadata(job).length),
			job.latestCheckpointId === null || job.jobId === null ? '-' : `chk-${job.latestCheckpointId}`,
			restorable === undefined ? '-' : `chk-${restorable.checkpointId}`,
			formatBytes(job.bytesOnDisk),
			formatCount(job.orphans),
			formatCount(job.missing),
			[...sources.map((id) => shortJobId(id)), ...(own.length > 0 ? ['own savepoint'] : [])].join(' '),
		],
		marks: jobMarks(job, sources),
		sortName: job.label,
		sortSize: job.bytesOnDisk,
		sortTime: job.timeMs,
		// A dead job (no checkpoint or savepoint left) has nothing to list but its directory's files.
		open: job.checkpoints.length === 0 && job.jobId !== null ? {type: 'directory', path: job.path} : {type: 'checkpoints', jobPath: job.path},
		refPath: undefined,
		impact: {targets: [job.path], label: job.jobId === null ? `the savepoints directory ${job.path}` : `job ${job.label}`},
		details: () => [
			{label: 'Job', value: job.jobId ?? 'savepoints (snapshots outside job directories)'},
			{label: 'Path', value: job.path},
			...latestDetails(job),
			{label: 'Newest', value: formatTime(job.timeMs)},
			{label: 'On disk', value: formatBytes(job.bytesOnDisk)},
			{label: 'Exclusive', value: `${formatBytes(job.exclusiveBytes)} (freed by deleting its snapshots; no other job uses them)`},
			{label: 'Orphans', value: `${formatCount(job.orphans)} (${formatBytes(job.orphanBytes)})`, mark: job.orphans > 0 ? 'orphan' : undefined},
			{label: 'Missing', value: formatCount(job.missing), mark: job.missing > 0 ? 'missing' : undefined},
			...(job.damaged > 0 ? [{label: 'Damaged', value: `${formatCount(job.damaged)} (truncated files)`, mark: 'missing' as const}] : []),
			{label: 'Restored from', value: restoredFromValue(sources, own), mark: sources.length > 0 ? 'cross-job' : undefined},
			{label: 'Directory', value: index.analysis.roots.length > 0 ? relativeToRoot(index.analysis.roots, job.path) : job.path},
		],
	};
}

/** A job's snapshots that have a `_metadata` (what the header and the Snaps column count). */
function withMetadata(job: JobSummary) {
	return job.checkpoints.filter((checkpoint) => checkpoint.status !== 'incomplete' && checkpoint.status !== 'in-progress');
}

/** `2 with _metadata` and, when there are any, the chk-<n> without one: `(+ 1 in progress, 1 incomplete)`. */
function snapshotCount(job: JobSummary): string {
	const inProgress = job.checkpoints.filter((checkpoint) => checkpoint.status === 'in-progress').length;
	const incomplete = job.checkpoints.filter((checkpoint) => checkpoint.status === 'incomplete').length;
	const without = [...(inProgress > 0 ? [`${formatCount(inProgress)} in progress`] : []), ...(incomplete > 0 ? [`${formatCount(incomplete)} incomplete`] : [])];
	return `${formatCount(withMetadata(job).length)} with _metadata${without.length > 0 ? ` (+ ${without.join(', ')})` : ''}`;
}

/**
 * A job's checkpoint count and latest checkpoint (marked when it has missing or damaged files), and
 * the newest restorable one (`newestRestorableCheckpoint`: complete, every file in the tree).
 */
function latestDetails(job: JobSummary): DetailLine[] {
	const count = snapshotCount(job);
	if (job.jobId === null) {
		// Snapshots of unrelated jobs: none of them is "the latest".
		return [{label: 'Snapshots', value: count}];
	}

	if (job.latestCheckpointId === null) {
		return [{label: 'Checkpoints', value: `${count}, latest: none`}];
	}

	const complete = newestCompleteCheckpoint(job);
	const restorable = newestRestorableCheckpoint(job);
	const restorableLine: DetailLine = {
		label: 'Restorable',
		value:
			restorable !== undefined
				? `chk-${restorable.checkpointId} (newest complete)`
				: complete === undefined
					? 'no complete checkpoint'
					: `not verified: chk-${complete.checkpointId} references files outside the scanned tree`,
	};
	if (complete?.checkpointId === job.latestCheckpointId) {
		return [{label: 'Checkpoints', value: `${count}, latest: chk-${job.latestCheckpointId}`}, restorableLine];
	}

	const damaged = job.checkpoints.some((checkpoint) => checkpoint.checkpointId === job.latestCheckpointId && checkpoint.status === 'damaged');
	return [
		{label: 'Checkpoints', value: `${count}, latest: chk-${job.latestCheckpointId} has ${damaged ? 'damaged' : 'missing'} files`, mark: 'missing'},
		restorableLine,
	];
}

/** What the jobs view says when the roots hold no checkpoint or savepoint (as the text report does). */
const NO_JOBS = 'No jobs: no _metadata or chk-<n> under the roots; try state.checkpoints.dir';

/** The jobs view: one row per job of the analysis, or what to try when there is none. */
export function buildJobs(index: AnalysisIndex): ListModel {
	return {
		crumb: 'Jobs',
		empty: NO_JOBS,
		sections: [{id: 'jobs', columns: JOB_COLUMNS, rows: index.analysis.jobs.map((job) => jobRow(index, job)), empty: NO_JOBS}],
	};
}
