/**
 * Row builders: each view turns the `Analysis` into sections of rows. Presentation only (labels,
 * cells, marks, details); every number comes from the analysis. Built views are cached per
 * analysis; the two that can hold 100,000 rows are built in steps that can run ahead of their use
 * ({@link prepareView}).
 */
import {newestCompleteCheckpoint, newestRestorableCheckpoint} from '../../analysis/jobs.js';
import {SAVEPOINT_DIR_RE} from '../../tree/layout.js';
import {describeFormatVersion} from '../../metadata/versions.js';
import type {
	Analysis,
	CheckpointAnalysis,
	Dependency,
	DamagedFile,
	JobSummary,
	MissingFile,
	Orphan,
	OrphanReason,
	OperatorSummary,
	ResolvedFile,
	Warning,
} from '../../analysis/types.js';
import type {InferredClaimMode, LineageEdge, LineageEvidence} from '../../analysis/types.js';
import {shortJobId} from '../format.js';
import {baseName} from '../../tree/layout.js';
import {formatAge, formatBytes, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {ExplorerServices} from '../services.js';
import {advanceSteps, finishSteps, stepEnds} from './steps.js';
import type {Column, DetailLine, ImpactTarget, ListModel, Row, Section, ViewRef} from './types.js';

/** Restore lineage of an analysis, or why it could not be inferred. */
export interface LineageResult {
	edges: LineageEdge[];
	error?: string;
}

/** Lookups over an analysis, built once per analysis. */
export interface AnalysisIndex {
	analysis: Analysis;
	jobByPath: Map<string, JobSummary>;
	checkpointByPath: Map<string, CheckpointAnalysis>;
	/** The missing file at a path (the map is made on first use: 100,000 paths to hash). */
	missingAt: (path: string) => MissingFile | undefined;
	/** The orphan at a path (the map is made on first use: only marked orphans are looked up). */
	orphanAt: (path: string) => Orphan | undefined;
	/** Restore lineage, inferred on first use (memoised). */
	lineage: () => LineageResult;
}

/** Builds the lookups the views need. `services` infers the lineage (default: none, an empty list). */
export function indexAnalysis(analysis: Analysis, services?: Pick<ExplorerServices, 'inferLineage'>): AnalysisIndex {
	const checkpointByPath = new Map<string, CheckpointAnalysis>();
	for (const checkpoint of analysis.checkpoints) {
		checkpointByPath.set(checkpoint.path, checkpoint);
	}

	for (const job of analysis.jobs) {
		for (const checkpoint of job.checkpoints) {
			if (!checkpointByPath.has(checkpoint.path)) {
				checkpointByPath.set(checkpoint.path, checkpoint);
			}
		}
	}

	let lineage: LineageResult | undefined;
	let missingByPath: Map<string, MissingFile> | undefined;
	let orphanByPath: Map<string, Orphan> | undefined;
	return {
		analysis,
		jobByPath: new Map(analysis.jobs.map((job) => [job.path, job])),
		checkpointByPath,
		missingAt: (path) => (missingByPath ??= new Map(analysis.missing.map((missing) => [missing.path, missing]))).get(path),
		orphanAt: (path) => (orphanByPath ??= new Map(analysis.orphans.map((orphan) => [orphan.path, orphan]))).get(path),
		lineage: () => {
			if (lineage === undefined) {
				try {
					lineage = {edges: services ? services.inferLineage(analysis) : []};
				} catch (error) {
					lineage = {edges: [], error: error instanceof Error ? error.message : String(error)};
				}
			}

			return lineage;
		},
	};
}

/** A path relative to the scanned root that holds it (the absolute path when none does). */
export function relativeToRoot(roots: readonly string[], path: string): string {
	let best = '';
	for (const root of roots) {
		if (root.length > best.length && path.startsWith(root) && (path.length === root.length || root.endsWith('/') || path.charCodeAt(root.length) === 47)) {
			best = root;
		}
	}

	if (best === '') {
		return path;
	}

	let start = best.length;
	while (path.charCodeAt(start) === 47) {
		start++;
	}

	return start === path.length ? baseName(best) || best : path.slice(start);
}

/** The checkpoints that reference `path` (a file or storage directory), from `analysis.referencedBy`. */
export function referencingCheckpoints(index: AnalysisIndex, path: string): readonly string[] {
	return index.analysis.referencedBy.get(path) ?? index.missingAt(path)?.referencedBy ?? [];
}

/** Short display name of a checkpoint: `chk-42`, or the directory name for savepoints. */
export function checkpointLabel(checkpoint: CheckpointAnalysis): string {
	if (checkpoint.kind === 'checkpoint' && checkpoint.checkpointId !== null && /^chk-\d+$/.test(baseName(checkpoint.path))) {
		return `chk-${checkpoint.checkpointId}`;
	}

	return baseName(checkpoint.path) || checkpoint.path;
}

const REASONS: Record<OrphanReason, string> = {
	'incomplete-checkpoint': 'incomplete chk',
	'unreferenced-file': 'unreferenced',
	'stale-inprogress-metadata': 'stale inprogress',
	'dead-job': 'dead job',
	'unreferenced-directory': 'unreferenced dir',
};

/** Short label of an orphan reason. */
export function reasonLabel(reason: OrphanReason): string {
	return REASONS[reason];
}

function checkpointMarks(checkpoint: CheckpointAnalysis): Mark[] {
	const marks: Mark[] = [];
	if (checkpoint.missing > 0 || checkpoint.damaged > 0 || checkpoint.status === 'missing-files' || checkpoint.status === 'damaged') {
		marks.push('missing');
	}

	if (checkpoint.status === 'incomplete') {
		marks.push('orphan');
	}

	if (checkpoint.dependencies.some((dependency) => dependency.crossJob)) {
		marks.push('cross-job');
	}

	if (checkpoint.status === 'in-progress') {
		marks.push('in-progress');
	}

	if (checkpoint.outside > 0) {
		marks.push('outside');
	}

	if (checkpoint.status === 'unreadable' || checkpoint.status === 'legacy' || checkpoint.status === 'unknown-files') {
		marks.push('warning');
	}

	return marks;
}

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
function restoredFrom(index: AnalysisIndex, job: JobSummary): string[] {
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
function ownSavepointRestores(index: AnalysisIndex, job: JobSummary): string[] {
	const names = new Set<string>();
	for (const edge of edgesInto(index, job)) {
		if (edge.fromJobId === job.jobId && edge.fromPath !== null) {
			names.add(baseName(edge.fromPath));
		}
	}

	return [...names];
}

/** "Restored from" as words: other jobs' ids, then `its own savepoint <name>`; `no other job` when neither. */
function restoredFromValue(sources: readonly string[], own: readonly string[]): string {
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
	{title: 'Job', width: 'flex', minWidth: 11, idealWidth: 32},
	{title: 'Ckpts', width: 6, align: 'right'},
	{title: 'Latest', width: 10},
	{title: 'Restorable', width: 10, optional: true},
	{title: 'On disk', width: 9, align: 'right'},
	{title: 'Orphans', width: 7, align: 'right'},
	{title: 'Missing', width: 7, align: 'right'},
	{title: 'Restored from', width: 13},
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
			formatCount(job.checkpoints.length),
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
		open: {type: 'checkpoints', jobPath: job.path},
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

/**
 * A job's checkpoint count and latest checkpoint (marked when it has missing or damaged files), and
 * the newest restorable one (`newestRestorableCheckpoint`: complete, every file in the tree).
 */
function latestDetails(job: JobSummary): DetailLine[] {
	const count = formatCount(job.checkpoints.length);
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
	return [{label: 'Checkpoints', value: `${count}, latest: chk-${job.latestCheckpointId} has ${damaged ? 'damaged' : 'missing'} files`, mark: 'missing'}, restorableLine];
}

/** What the jobs view says when the roots hold no checkpoint or savepoint (as the text report does). */
const NO_JOBS = 'No jobs: no _metadata or chk-<n> under the roots; try state.checkpoints.dir';

function buildJobs(index: AnalysisIndex): ListModel {
	return {
		crumb: 'Jobs',
		empty: NO_JOBS,
		sections: [{id: 'jobs', columns: JOB_COLUMNS, rows: index.analysis.jobs.map((job) => jobRow(index, job)), empty: NO_JOBS}],
	};
}

// ---------------------------------------------------------------------------------------------
// Checkpoints (of a job, or referencing a path)
// ---------------------------------------------------------------------------------------------

const CHECKPOINT_COLUMNS: Column[] = [
	{title: 'Checkpoint', width: 'flex', minWidth: 10},
	{title: 'Type', width: 10},
	{title: 'Fmt', width: 3, align: 'right'},
	{title: 'Time (UTC)', width: 19},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Status', width: 13},
];

function checkpointDetails(checkpoint: CheckpointAnalysis): DetailLine[] {
	const {sizes, properties} = checkpoint;
	const lines: DetailLine[] = [
		{label: 'Path', value: checkpoint.path},
		{label: 'Job', value: checkpoint.jobId ?? '-'},
		{label: 'Kind', value: `${checkpoint.kind}${checkpoint.checkpointId === null ? '' : ` ${checkpoint.checkpointId}`}`},
		{label: 'Status', value: checkpoint.status, mark: checkpointMarks(checkpoint)[0]},
		{label: 'Format', value: checkpoint.formatVersion === null ? '-' : `v${checkpoint.formatVersion}: ${describeFormatVersion(checkpoint.formatVersion)}`},
		{label: 'Time', value: formatTime(checkpoint.timeMs)},
		{label: 'Referenced', value: formatBytes(sizes.referencedBytes)},
		{label: 'Own dir', value: formatBytes(sizes.ownDirectoryBytes)},
		{label: 'Shared', value: `${formatBytes(sizes.sharedBytes)} (files other snapshots also use)`},
		{label: 'Inline', value: formatBytes(sizes.inlineBytes)},
		{label: '_metadata', value: formatBytes(sizes.metadataBytes)},
		{label: 'Exclusive', value: `${formatBytes(sizes.exclusiveBytes)} (freed by deleting it alone)`},
		{
			label: 'Files',
			value: `${formatCount(checkpoint.files.length)} (${formatCount(checkpoint.missing)} missing, ${checkpoint.damaged > 0 ? `${formatCount(checkpoint.damaged)} damaged, ` : ''}${formatCount(checkpoint.outside)} outside)`,
			mark: checkpoint.missing > 0 || checkpoint.damaged > 0 ? 'missing' : undefined,
		},
		{label: 'Dependencies', value: `${checkpoint.dependencies.length} directories, ${checkpoint.operators.length} operators`},
	];
	const type = properties?.checkpointType;
	if (type) {
		lines.push({
			label: 'Snapshot type',
			value: type.kind === 'checkpoint' ? `${type.name} (${type.sharingFilesStrategy})` : `${type.name} (${type.formatType}, ${type.postCheckpointAction})`,
		});
	}

	if (properties?.unclaimed !== undefined) {
		lines.push({label: 'Unclaimed', value: String(properties.unclaimed)});
	}

	const crossJobs = [...new Set(checkpoint.dependencies.filter((dependency) => dependency.crossJob).map((dependency) => dependency.jobId ?? '?'))];
	if (crossJobs.length > 0) {
		lines.push({label: 'Other jobs', value: crossJobs.join(', '), mark: 'cross-job'});
	}

	if (checkpoint.error) {
		lines.push({label: 'Error', value: checkpoint.error, mark: 'warning'});
	}

	const approximate = checkpoint.approximateReferences ?? [];
	if (approximate.length > 0) {
		lines.push({label: 'Approximate', value: `${approximate.length} path-like string(s) found by scanning the bytes: NOT authoritative, never used for orphans`, mark: 'warning'});
		for (const entry of approximate.slice(0, 8)) lines.push({label: '', value: `~ ${entry.text}`});
	}

	return lines;
}

/**
 * A checkpoint or savepoint row; `label` names it (default: {@link checkpointLabel}, its
 * directory's name).
 */
function checkpointRow(index: AnalysisIndex, checkpoint: CheckpointAnalysis, withJob: boolean, label = checkpointLabel(checkpoint)): Row {
	// A chk-<n> without `_metadata` references nothing: its size is what its directory holds (an orphan's bytes).
	const bytes = checkpoint.metadataPath === null ? (index.orphanAt(checkpoint.path)?.bytes ?? 0) : checkpoint.sizes.referencedBytes;
	const cells = [label, checkpoint.kind, checkpoint.formatVersion === null ? '-' : String(checkpoint.formatVersion), formatTime(checkpoint.timeMs), formatBytes(bytes), checkpoint.status];
	if (withJob) {
		cells.unshift(shortJobId(checkpoint.jobId));
	}

	return {
		key: `ckpt:${checkpoint.path}`,
		cells,
		marks: checkpointMarks(checkpoint),
		sortName: withJob ? `${checkpoint.jobId ?? ''} ${label}` : label,
		sortSize: bytes,
		sortTime: checkpoint.timeMs,
		open: {type: 'checkpoint', checkpointPath: checkpoint.path},
		impact: checkpointImpact(checkpoint),
		details: () => checkpointDetails(checkpoint),
	};
}

/** The impact target of a checkpoint or savepoint: its directory. */
export function checkpointImpact(checkpoint: CheckpointAnalysis): {targets: string[]; label: string} {
	return {targets: [checkpoint.path], label: `${checkpoint.kind} ${checkpointLabel(checkpoint)}${checkpoint.jobId === null ? '' : ` of job ${shortJobId(checkpoint.jobId)}`}`};
}

/** ` · ↗ restored from <short ids>` for the checkpoints view's summary (empty when not restored). */
function restoredFromText(index: AnalysisIndex, job: JobSummary): string {
	const sources = restoredFrom(index, job);
	const own = ownSavepointRestores(index, job);
	return sources.length === 0 && own.length === 0 ? '' : ` · ↗ restored from ${restoredFromValue(sources.map((id) => shortJobId(id)), own)}`;
}

/**
 * The name of a snapshot outside job directories: its path below the group's directory, since many
 * such directories share a name (`savepoint`, `1.6`), and the filter should find them by it.
 */
function looseLabel(group: JobSummary, checkpoint: CheckpointAnalysis): string {
	const prefix = `${group.path.replace(/\/+$/, '')}/`;
	return checkpoint.path.startsWith(prefix) ? checkpoint.path.slice(prefix.length) : checkpointLabel(checkpoint);
}

function buildCheckpoints(index: AnalysisIndex, jobPath: string): ListModel {
	const job = index.jobByPath.get(jobPath);
	const crumb = job ? shortJobId(job.jobId) : baseName(jobPath);
	const empty = job ? 'This job has no checkpoints or savepoints.' : `Unknown job ${jobPath}.`;
	return {
		crumb,
		empty,
		summary: job
			? `${job.label} · ${formatCountOf(job.checkpoints.length, 'snapshot')} · ${formatBytes(job.bytesOnDisk)} on disk${restoredFromText(index, job)}`
			: undefined,
		sections: [{id: 'checkpoints', columns: CHECKPOINT_COLUMNS, rows: (job?.checkpoints ?? []).map((checkpoint) => checkpointRow(index, checkpoint, false, job?.jobId === null ? looseLabel(job, checkpoint) : undefined)), empty}],
	};
}

function buildReferencedBy(index: AnalysisIndex, path: string): ListModel {
	const checkpoints = referencingCheckpoints(index, path);
	const rows: Row[] = [];
	for (const checkpointPath of checkpoints) {
		const checkpoint = index.checkpointByPath.get(checkpointPath);
		if (checkpoint) {
			rows.push(checkpointRow(index, checkpoint, true));
		}
	}

	const empty = `No loaded checkpoint references ${relativeToRoot(index.analysis.roots, path)}.`;
	return {
		crumb: `Referenced by ${baseName(path) || path}`,
		empty,
		summary: `${formatCount(rows.length)} checkpoint(s) need ${path}`,
		sections: [{id: 'referencedBy', columns: [{title: 'Job', width: 10}, ...CHECKPOINT_COLUMNS], rows, empty}],
	};
}

// ---------------------------------------------------------------------------------------------
// One checkpoint: dependencies and operators
// ---------------------------------------------------------------------------------------------

const DEPENDENCY_COLUMNS: Column[] = [
	{title: 'Kind', width: 12},
	{title: 'Directory', width: 'flex', minWidth: 12},
	{title: 'Files', width: 6, align: 'right'},
	{title: 'Bytes', width: 9, align: 'right'},
	{title: 'Missing', width: 7, align: 'right'},
	{title: 'Job', width: 11},
];

const OPERATOR_COLUMNS: Column[] = [
	{title: 'Operator', width: 'flex', minWidth: 12},
	{title: 'Par', width: 4, align: 'right'},
	{title: 'MaxPar', width: 6, align: 'right'},
	{title: 'State', width: 26},
	{title: 'Bytes', width: 9, align: 'right'},
];

/**
 * The job a directory that a checkpoint references belongs to: its job directory's id; for a
 * savepoint directory outside job directories, the job the restore lineage says it is of, else the
 * job id prefix of its name (`savepoint-3f2a1b-…` → `3f2a1b`); `null` when unknown.
 */
function dependencyJob(index: AnalysisIndex, checkpoint: CheckpointAnalysis, dependency: Dependency): string | null {
	if (dependency.jobId !== null || dependency.kind !== 'savepoint') {
		return dependency.jobId;
	}

	// A checkpoint shows a few dependencies: the edges (one per restore) are searched for each.
	const edge = index.lineage().edges.find((candidate) => candidate.fromPath === dependency.path && candidate.toJobId === checkpoint.jobId);
	if (edge?.fromJobId) {
		return edge.fromJobId;
	}

	return SAVEPOINT_DIR_RE.exec(baseName(dependency.path))?.[1] ?? null;
}

/** The dependency row's job cell: `this job`, `↗<short id>` of another job, `-` when unknown. */
function dependencyJobCell(checkpoint: CheckpointAnalysis, jobId: string | null, crossJob: boolean): string {
	if (jobId === null) {
		return crossJob ? '↗?' : '-';
	}

	const own = checkpoint.jobId !== null && (jobId === checkpoint.jobId || (jobId.length < 32 && checkpoint.jobId.startsWith(jobId)));
	if (own && !crossJob) {
		return 'this job';
	}

	return `↗${jobId.length < 32 ? `${jobId}…` : shortJobId(jobId)}`;
}

function dependencyRow(index: AnalysisIndex, checkpoint: CheckpointAnalysis, dependency: Dependency): Row {
	const jobId = dependencyJob(index, checkpoint, dependency);
	const marks: Mark[] = [];
	if (dependency.missing > 0) {
		marks.push('missing');
	}

	if (dependency.crossJob) {
		marks.push('cross-job');
	}

	if (!dependency.local) {
		marks.push('outside');
	}

	const display = dependency.local ? relativeToRoot(index.analysis.roots, dependency.path) : dependency.path;
	return {
		key: `dep:${dependency.path}`,
		cells: [
			dependency.kind,
			display,
			formatCount(dependency.files),
			formatBytes(dependency.bytes),
			formatCount(dependency.missing),
			dependencyJobCell(checkpoint, jobId, dependency.crossJob),
		],
		marks,
		sortName: `${dependency.kind} ${display}`,
		sortSize: dependency.bytes,
		sortTime: checkpoint.timeMs,
		open: {type: 'files', checkpointPath: checkpoint.path, dependencyPath: dependency.path},
		refPath: dependency.path,
		details: () => [
			{label: 'Directory', value: dependency.path},
			{label: 'Kind', value: dependency.kind},
			{label: 'Local', value: dependency.local ? 'inside the scanned roots' : 'outside the scanned tree (not checked)', mark: dependency.local ? undefined : 'outside'},
			{label: 'Job', value: jobId === null ? '-' : dependency.jobId === null && dependency.kind === 'savepoint' ? `${jobId}${jobId.length < 32 ? '… (by its name)' : ''} (its savepoint)` : jobId},
			{label: 'Cross-job', value: dependency.crossJob ? `yes, owned by ${jobId ?? 'another job'}` : 'no', mark: dependency.crossJob ? 'cross-job' : undefined},
			{label: 'Files', value: formatCount(dependency.files)},
			{label: 'Bytes', value: formatBytes(dependency.bytes)},
			{label: 'Missing', value: formatCount(dependency.missing), mark: dependency.missing > 0 ? 'missing' : undefined},
			{label: 'Needed by', value: `${formatCount(referencingCheckpoints(index, dependency.path).length)} checkpoint(s) (r)`},
		],
	};
}

function operatorRow(checkpoint: CheckpointAnalysis, operator: OperatorSummary): Row {
	const name = operator.name ?? operator.uid ?? operator.operatorId;
	return {
		key: `op:${operator.operatorId}`,
		cells: [name, String(operator.parallelism), String(operator.maxParallelism), operator.stateKinds.join(', ') || '-', formatBytes(operator.bytes)],
		marks: [],
		sortName: name,
		sortSize: operator.bytes,
		sortTime: checkpoint.timeMs,
		details: () => [
			{label: 'Operator', value: operator.operatorId},
			{label: 'Name', value: operator.name ?? '-'},
			{label: 'Uid', value: operator.uid ?? '-'},
			{label: 'Parallelism', value: `${operator.parallelism} (max ${operator.maxParallelism})`},
			{label: 'Subtasks', value: `${operator.subtasks} with state, ${operator.finishedSubtasks} finished${operator.fullyFinished ? ', fully finished' : ''}`},
			{label: 'State kinds', value: operator.stateKinds.join(', ') || '-'},
			{label: 'State names', value: operator.stateNames.join(', ') || '-'},
			{label: 'Bytes', value: formatBytes(operator.bytes)},
		],
	};
}

/** What the dependencies of a checkpoint with none say, by its status. */
function dependenciesEmpty(status: CheckpointAnalysis['status']): string {
	switch (status) {
		case 'incomplete':
		case 'in-progress':
			return 'No _metadata: nothing referenced.';
		case 'unreadable':
			return '_metadata unreadable: the files it needs are unknown (see Error).';
		case 'legacy':
			return 'Legacy format (Flink 1.1/1.2): its references are not read.';
		default:
			return 'No file dependencies (all state inline).';
	}
}

function buildCheckpoint(index: AnalysisIndex, checkpointPath: string): ListModel {
	const checkpoint = index.checkpointByPath.get(checkpointPath);
	if (!checkpoint) {
		return {crumb: baseName(checkpointPath), empty: `Unknown checkpoint ${checkpointPath}.`, sections: []};
	}

	const dependencies: Section = {
		id: 'dependencies',
		title: `Dependencies (${formatCountOf(checkpoint.dependencies.length, 'directory', 'directories')})`,
		columns: DEPENDENCY_COLUMNS,
		rows: checkpoint.dependencies.map((dependency) => dependencyRow(index, checkpoint, dependency)),
		empty: dependenciesEmpty(checkpoint.status),
	};
	const operators: Section = {
		id: 'operators',
		title: `Operators (${checkpoint.operators.length})`,
		columns: OPERATOR_COLUMNS,
		rows: checkpoint.operators.map((operator) => operatorRow(checkpoint, operator)),
		empty: 'No operators.',
	};
	return {
		crumb: checkpointLabel(checkpoint),
		empty: 'Nothing to show.',
		impact: checkpointImpact(checkpoint),
		details: () => checkpointDetails(checkpoint),
		summary: `${checkpoint.kind} · ${checkpoint.formatVersion === null ? 'no format' : `v${checkpoint.formatVersion}`} · ${checkpoint.status} · ${formatBytes(checkpoint.sizes.referencedBytes)} referenced${checkpoint.error ? ` · ! ${checkpoint.error}` : ''}`,
		sections: [dependencies, operators],
	};
}

// ---------------------------------------------------------------------------------------------
// Files of a dependency
// ---------------------------------------------------------------------------------------------

const FILE_COLUMNS: Column[] = [
	{title: 'File', width: 'flex', minWidth: 12},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Status', width: 7},
	{title: 'Handle', width: 8},
	{title: 'Refs', width: 5, align: 'right'},
];

/** A file's status; `exists` is `null` both outside the tree (no local path) and below a directory that could not be read. */
function fileStatus(file: ResolvedFile): 'exists' | 'missing' | 'outside' | 'could not be read' | 'damaged' {
	if (file.exists === null) return file.path === null ? 'outside' : 'could not be read';
	return file.damaged === true ? 'damaged' : file.exists ? 'exists' : 'missing';
}

const MISSING_MARKS: Mark[] = ['missing'];
const OUTSIDE_MARKS: Mark[] = ['outside'];
const WARNING_MARKS: Mark[] = ['warning'];
const NO_MARKS: Mark[] = [];

/**
 * A file row. A shared directory can list 100,000 files: only the key and marks are made up
 * front; cells, sort keys and details are computed on first use and kept.
 */
class FileRow implements Row {
	readonly key: string;
	readonly marks: Mark[];
	private readonly index: AnalysisIndex;
	private readonly file: ResolvedFile;
	private cellTexts: string[] | undefined;
	private openView: ViewRef | undefined;
	private name: string | undefined;

	constructor(index: AnalysisIndex, file: ResolvedFile, position: number) {
		this.index = index;
		this.file = file;
		// Unique within the view (a path may be listed once per spelling); short: made flat, no concatenation kept.
		this.key = `file:${position}`;
		const status = fileStatus(file);
		this.marks = status === 'missing' || status === 'damaged' ? MISSING_MARKS : status === 'outside' ? OUTSIDE_MARKS : status === 'could not be read' ? WARNING_MARKS : NO_MARKS;
	}

	private get references(): number {
		return this.file.path === null ? 0 : referencingCheckpoints(this.index, this.file.path).length;
	}

	private get scanned() {
		return this.file.path === null ? undefined : this.index.analysis.scannedFiles.get(this.file.path);
	}

	get cells(): string[] {
		const {file} = this;
		return (this.cellTexts ??= [this.sortName || file.uri, formatBytes(this.sortSize), fileStatus(file), file.handle, formatCount(this.references)]);
	}

	get sortName(): string {
		return (this.name ??= this.file.name ?? baseName(this.file.path ?? this.file.uri));
	}

	get sortSize(): number {
		return this.file.actualSize ?? this.file.size;
	}

	get sortTime(): number {
		return this.scanned?.mtimeMs ?? 0;
	}

	get open(): ViewRef | undefined {
		return this.file.path === null ? undefined : (this.openView ??= {type: 'referencedBy', path: this.file.path});
	}

	get refPath(): string | undefined {
		return this.file.path ?? undefined;
	}

	details(): DetailLine[] {
		const {file} = this;
		const status = fileStatus(file);
		const scanned = this.scanned;
		const lines: DetailLine[] = [
			{label: 'URI', value: file.uri},
			{label: 'Local path', value: file.path ?? 'outside the scanned tree', mark: file.path === null ? 'outside' : undefined},
			{label: 'Status', value: status, mark: this.marks[0]},
			{label: 'Size', value: `${formatBytes(file.size)} in metadata${file.actualSize === undefined ? '' : `, ${formatBytes(file.actualSize)} on disk`}`},
			{label: 'Modified', value: scanned ? formatTime(scanned.mtimeMs) : '-'},
			{label: 'Handle', value: file.handle},
			{label: 'References', value: `${file.references} in this checkpoint, ${this.references} checkpoint(s) need it (r)`},
			{
				label: 'First use',
				value: `operator ${file.reference.operatorId.slice(0, 8)}… subtask ${file.reference.subtaskIndex ?? '-'} ${file.reference.slot}/${file.reference.role}${file.reference.localPath ? ` (${file.reference.localPath})` : ''}`,
			},
		];
		if (file.note) {
			lines.push({label: 'Note', value: file.note, mark: 'warning'});
		}

		return lines;
	}
}

/** `items.map(make)` in steps (see `stepEnds`). */
function* mapInSteps<T>(items: readonly T[], make: (item: T, position: number) => Row): Generator<void, Row[]> {
	const rows = new Array<Row>(items.length);
	for (let position = 0; position < items.length; position++) {
		rows[position] = make(items[position], position);
		if (stepEnds(position)) {
			yield;
		}
	}

	return rows;
}

function* buildFiles(index: AnalysisIndex, checkpointPath: string, dependencyPath: string): Generator<void, ListModel> {
	const checkpoint = index.checkpointByPath.get(checkpointPath);
	const dependency = checkpoint?.dependencies.find((candidate) => candidate.path === dependencyPath);
	const empty = dependency ? 'No files referenced in this directory.' : `Unknown directory ${dependencyPath}.`;
	const rows = yield* mapInSteps(dependency?.fileList ?? [], (file, position) => new FileRow(index, file, position));
	return {
		crumb: `${baseName(dependencyPath) || dependencyPath}/`,
		empty,
		summary: dependency
			? `${dependency.kind} · ${dependency.local ? relativeToRoot(index.analysis.roots, dependency.path) : dependency.path} · ${formatCount(dependency.files)} files · ${formatBytes(dependency.bytes)}${dependency.missing > 0 ? ` · ✗ ${dependency.missing} missing` : ''}${dependency.crossJob ? ` · ↗ job ${dependency.jobId ?? '?'}` : ''}`
			: undefined,
		sections: [{id: 'files', columns: FILE_COLUMNS, rows, empty}],
	};
}

// ---------------------------------------------------------------------------------------------
// Orphans, missing files, warnings
// ---------------------------------------------------------------------------------------------

const ORPHAN_COLUMNS: Column[] = [
	{title: 'Path', width: 'flex', minWidth: 12},
	{title: 'Type', width: 4},
	{title: 'Reason', width: 16},
	{title: 'Size', width: 9, align: 'right'},
	{title: 'Files', width: 6, align: 'right'},
	{title: 'Age', width: 4, align: 'right'},
];

const ORPHAN_MARKS: Mark[] = ['orphan'];
const IN_PROGRESS_MARKS: Mark[] = ['in-progress'];

/**
 * An orphan row. The orphans view can hold 100,000 rows: only the key and marks are made up
 * front; cells, sort name, impact and details are computed on first use and kept.
 */
class OrphanRow implements Row {
	readonly key: string;
	readonly marks: Mark[];
	private readonly index: AnalysisIndex;
	private readonly source: Orphan;
	private cellTexts: string[] | undefined;
	private impactTarget: ImpactTarget | undefined;
	private orphanEntry: Row['orphan'];

	constructor(index: AnalysisIndex, orphan: Orphan) {
		this.index = index;
		this.source = orphan;
		// The path itself (unique in the orphans view): a prefixed copy would be a concatenation per
		// row, which V8 copies whole when the cursor's key is searched among 100,000.
		this.key = orphan.path;
		this.marks = orphan.possiblyInProgress ? IN_PROGRESS_MARKS : ORPHAN_MARKS;
	}

	get cells(): string[] {
		if (this.cellTexts === undefined) {
			const {analysis} = this.index;
			const orphan = this.source;
			this.cellTexts = [
				relativeToRoot(analysis.roots, orphan.path),
				orphan.type === 'directory' ? 'dir' : 'file',
				reasonLabel(orphan.reason),
				formatBytes(orphan.bytes),
				formatCount(orphan.files),
				formatAge(analysis.analysedAtMs - orphan.timeMs),
			];
		}

		return this.cellTexts;
	}

	get sortName(): string {
		return this.source.path;
	}

	get sortSize(): number {
		return this.source.bytes;
	}

	get sortTime(): number {
		return this.source.timeMs;
	}

	get refPath(): string {
		return this.source.path;
	}

	get impact(): ImpactTarget {
		return (this.impactTarget ??= {targets: [this.source.path], label: `orphan ${this.cells[0]}`});
	}

	get orphan(): Row['orphan'] {
		const {path, bytes, possiblyInProgress} = this.source;
		return (this.orphanEntry ??= {path, bytes, possiblyInProgress});
	}

	details(): DetailLine[] {
		const {analysis} = this.index;
		const orphan = this.source;
		return [
			{label: 'Path', value: orphan.path},
			{label: 'Reason', value: orphan.description},
			{
				label: 'State',
				value: orphan.possiblyInProgress ? `possibly in progress (younger than ${formatAge(analysis.minAgeMs)}); not counted` : 'orphan',
				mark: orphan.possiblyInProgress ? 'in-progress' : 'orphan',
			},
			{label: 'Type', value: orphan.type},
			{label: 'Size', value: `${formatBytes(orphan.bytes)} in ${formatCount(orphan.files)} file(s)`},
			{label: 'Job', value: orphan.jobId ?? '-'},
			{label: 'Newest', value: `${formatTime(orphan.timeMs)} (${formatAge(analysis.analysedAtMs - orphan.timeMs)} ago)`},
		];
	}
}

function* buildOrphans(index: AnalysisIndex): Generator<void, ListModel> {
	const {orphans} = index.analysis;
	const inProgress = orphans.filter((orphan) => orphan.possiblyInProgress).length;
	const rows = yield* mapInSteps(orphans, (orphan) => new OrphanRow(index, orphan));
	const empty = 'No orphans: every file under the roots is referenced.';
	return {
		crumb: 'Orphans',
		empty,
		summary: `⊘ ${formatCount(index.analysis.totals.orphans)} orphans (${formatBytes(index.analysis.totals.orphanBytes)}) · … ${formatCount(inProgress)} possibly in progress`,
		sections: [{id: 'orphans', columns: ORPHAN_COLUMNS, rows, empty}],
	};
}

/** A missing-file row: cells, sort name and details are computed on first use and kept. */
class MissingRow implements Row {
	readonly key: string;
	readonly marks: Mark[] = MISSING_MARKS;
	readonly sortTime = 0;
	readonly open: ViewRef;
	private readonly index: AnalysisIndex;
	private readonly missing: MissingFile;
	private cellTexts: string[] | undefined;

	constructor(index: AnalysisIndex, missing: MissingFile) {
		this.index = index;
		this.missing = missing;
		// The path itself (unique in the missing-files view; see OrphanRow's key).
		this.key = missing.path;
		this.open = {type: 'referencedBy', path: missing.path};
	}

	private get needed(): readonly string[] {
		return referencingCheckpoints(this.index, this.missing.path);
	}

	get cells(): string[] {
		return (this.cellTexts ??= [relativeToRoot(this.index.analysis.roots, this.missing.path), formatCount(this.needed.length)]);
	}

	get sortName(): string {
		return this.missing.path;
	}

	get sortSize(): number {
		return this.needed.length;
	}

	get refPath(): string {
		return this.missing.path;
	}

	details(): DetailLine[] {
		const {missing} = this;
		const needed = this.needed;
		return [
			{label: 'Path', value: missing.path, mark: 'missing'},
			{label: 'URI', value: missing.uri},
			{label: 'Needed by', value: `${formatCount(needed.length)} checkpoint(s) (⏎ or r)`},
			...needed.slice(0, 5).map((path) => ({label: '', value: relativeToRoot(this.index.analysis.roots, path)})),
		];
	}
}

/** A damaged-file row (few: built whole). */
function damagedRow(index: AnalysisIndex, damaged: DamagedFile): Row {
	const {roots} = index.analysis;
	return {
		key: `damaged:${damaged.path}`,
		cells: [relativeToRoot(roots, damaged.path), formatBytes(damaged.actualBytes), formatBytes(damaged.expectedBytes), formatCount(damaged.referencedBy.length)],
		marks: MISSING_MARKS,
		sortName: damaged.path,
		sortSize: damaged.expectedBytes - damaged.actualBytes,
		sortTime: 0,
		open: {type: 'referencedBy', path: damaged.path},
		refPath: damaged.path,
		details: () => [
			{label: 'Path', value: damaged.path, mark: 'missing'},
			{label: 'URI', value: damaged.uri},
			{label: 'Damaged', value: `${formatBytes(damaged.actualBytes)} on disk, ${formatBytes(damaged.expectedBytes)} needed (truncated)`, mark: 'missing'},
			{label: 'Needed by', value: `${formatCount(damaged.referencedBy.length)} checkpoint(s), status damaged (⏎ or r)`},
			...damaged.referencedBy.slice(0, 5).map((path) => ({label: '', value: relativeToRoot(roots, path)})),
		],
	};
}

/** Missing files, and (when there are some) damaged files: shorter than their references need. */
function buildMissing(index: AnalysisIndex): ListModel {
	const empty = 'No missing files: every referenced local file exists.';
	const sections: Section[] = [
		{
			id: 'missing',
			title: 'Missing files',
			columns: [
				{title: 'Missing file', width: 'flex', minWidth: 12},
				{title: 'Needed by', width: 9, align: 'right'},
			],
			rows: index.analysis.missing.map((missing) => new MissingRow(index, missing)),
			empty,
		},
	];
	if (index.analysis.damaged.length > 0) {
		sections.push({
			id: 'damaged',
			title: 'Damaged files (shorter than the metadata says)',
			columns: [
				{title: 'Damaged file', width: 'flex', minWidth: 12},
				{title: 'On disk', width: 9, align: 'right'},
				{title: 'Needed', width: 9, align: 'right'},
				{title: 'Needed by', width: 9, align: 'right'},
			],
			rows: index.analysis.damaged.map((damaged) => damagedRow(index, damaged)),
			empty: '',
		});
	}

	return {crumb: 'Missing files', empty, sections};
}

function warningRow(index: AnalysisIndex, warning: Warning, position: number): Row {
	return {
		key: `warning:${position}`,
		cells: [relativeToRoot(index.analysis.roots, warning.path), warning.message],
		marks: ['warning'],
		sortName: warning.path,
		sortSize: 0,
		sortTime: 0,
		details: () => [
			{label: 'Path', value: warning.path},
			{label: 'Message', value: warning.message, mark: 'warning'},
		],
	};
}

function buildWarnings(index: AnalysisIndex): ListModel {
	const empty = 'No warnings.';
	return {
		crumb: 'Warnings',
		empty,
		sections: [
			{
				id: 'warnings',
				columns: [
					{title: 'Path', width: 30},
					{title: 'Message', width: 'flex', minWidth: 12},
				],
				rows: index.analysis.warnings.map((warning, position) => warningRow(index, warning, position)),
				empty,
			},
		],
	};
}

// ---------------------------------------------------------------------------------------------
// Restore lineage
// ---------------------------------------------------------------------------------------------

const LINEAGE_COLUMNS: Column[] = [
	{title: 'Restore (from snapshot → restored job, claim mode)', width: 'flex', minWidth: 24},
	{title: 'Evidence', width: 8, align: 'right'},
];

const CLAIM_MODES: Record<InferredClaimMode, string> = {
	CLAIM: 'the restored job owns the snapshot and may delete its files',
	NO_CLAIM: 'the restored job made its own full first checkpoint',
	LEGACY: 'the restored job references the old files, never deletes them',
	'CLAIM or LEGACY': 'the restored job references the snapshot’s files',
	unknown: 'not enough evidence',
};

/** The "from" side of an edge: `job 3f2a1b2c… chk-40`, `job 3f2a1b2c… savepoint-3f2a1b-…`, `savepoint-…`. */
export function lineageFromLabel(edge: LineageEdge): string {
	const snapshot =
		edge.fromKind === 'checkpoint' && edge.fromCheckpointId !== null
			? `chk-${edge.fromCheckpointId}`
			: edge.fromPath !== null
				? baseName(edge.fromPath) || edge.fromPath
				: edge.fromCheckpointId !== null
					? `chk-${edge.fromCheckpointId}`
					: 'unknown snapshot';
	return edge.fromJobId === null ? snapshot : `job ${shortJobId(edge.fromJobId)} ${snapshot}`;
}

/** One edge as a line: `job 3f2a1b2c… chk-40 → job b0b0b0b0… (CLAIM or LEGACY)`. */
export function lineageText(edge: LineageEdge): string {
	return `${lineageFromLabel(edge)} → job ${shortJobId(edge.toJobId)} (${edge.claimMode})`;
}

/** A path for the narrow details pane: `job 3f2a1b2c… chk-7`, `3f2a1b2c…/shared`, else relative to the root. */
function shortPath(index: AnalysisIndex, path: string): string {
	const checkpoint = index.checkpointByPath.get(path);
	if (checkpoint) {
		return `${checkpoint.jobId === null ? '' : `${shortJobId(checkpoint.jobId)} `}${checkpointLabel(checkpoint)}`;
	}

	for (const job of index.analysis.jobs) {
		if (job.jobId !== null && path.startsWith(`${job.path}/`)) {
			return `${shortJobId(job.jobId)}/${path.slice(job.path.length + 1)}`;
		}
	}

	return relativeToRoot(index.analysis.roots, path);
}

function evidenceText(index: AnalysisIndex, evidence: LineageEvidence): string {
	switch (evidence.type) {
		case 'cross-job-reference':
			return `${shortPath(index, evidence.checkpointPath)} uses ${formatCount(evidence.files)} file(s) of ${shortPath(index, evidence.directory)}`;
		case 'checkpoint-id-continues':
			return `ids continue: restored ${evidence.restoredId}, first chk-${evidence.firstCheckpointId}`;
		case 'unclaimed-flag':
			return `${shortPath(index, evidence.checkpointPath)} unclaimed=${String(evidence.unclaimed)}`;
		case 'savepoint-prefix':
			return `${shortPath(index, evidence.savepointPath)} named after job ${evidence.jobIdPrefix}…`;
	}
}

/** Edges in chain order (depth-first from the edges nothing restored into), with their depth. */
export function lineageChains(edges: readonly LineageEdge[]): {edge: LineageEdge; depth: number}[] {
	// A job restored from its own savepoint (fixed job id) is not restored from another job: its edge
	// starts a chain, and the job's restores into other jobs follow below it.
	const restoredJobs = new Set(edges.filter((edge) => edge.fromJobId !== edge.toJobId).map((edge) => edge.toJobId));
	const children = new Map<string, LineageEdge[]>();
	for (const edge of edges) {
		if (edge.fromJobId !== null && edge.fromJobId !== edge.toJobId) {
			children.set(edge.fromJobId, [...(children.get(edge.fromJobId) ?? []), edge]);
		}
	}

	const ordered: {edge: LineageEdge; depth: number}[] = [];
	const seen = new Set<LineageEdge>();
	const visit = (edge: LineageEdge, depth: number) => {
		if (seen.has(edge)) {
			return;
		}

		seen.add(edge);
		ordered.push({edge, depth});
		for (const child of children.get(edge.toJobId) ?? []) {
			visit(child, depth + 1);
		}
	};

	for (const edge of edges) {
		if (edge.fromJobId === null || !restoredJobs.has(edge.fromJobId)) {
			visit(edge, 0);
		}
	}

	// Cycles (a job restored from its own descendant): whatever is left starts a chain of its own.
	for (const edge of edges) {
		visit(edge, 0);
	}

	return ordered;
}

/** Chains as text, one per root-to-leaf path: `job 3f2a1b2c… chk-40 → b0b0b0b0… → c4d5e6f7…`. */
export function lineageChainTexts(edges: readonly LineageEdge[]): string[] {
	const texts: string[] = [];
	let current: string[] = [];
	let previousDepth = -1;
	for (const {edge, depth} of lineageChains(edges)) {
		// The previous edge was a leaf when this one is not its child: its chain is complete.
		if (depth <= previousDepth && current.length > 0) {
			texts.push(current.join(' → '));
		}

		previousDepth = depth;

		current = depth === 0 ? [lineageFromLabel(edge)] : current.slice(0, depth + 1);
		current.push(shortJobId(edge.toJobId));
	}

	if (current.length > 0) {
		texts.push(current.join(' → '));
	}

	return texts;
}

function lineageRow(index: AnalysisIndex, edge: LineageEdge, depth: number, position: number): Row {
	const source = edge.fromPath === null ? undefined : index.checkpointByPath.get(edge.fromPath);
	const target = index.jobByPath.get(edge.toPath);
	const targetView: ViewRef | undefined = target ? {type: 'checkpoints', jobPath: target.path} : undefined;
	const text = `${depth === 0 ? '' : `${'  '.repeat(depth - 1)}└ `}${lineageText(edge)}`;
	return {
		key: `lineage:${edge.fromPath ?? edge.fromJobId ?? '?'}→${edge.toJobId}`,
		cells: [text, formatCount(edge.evidence.length)],
		marks: ['cross-job'],
		sortName: String(position).padStart(8, '0'),
		sortSize: edge.evidence.length,
		sortTime: source?.timeMs ?? 0,
		open: source ? {type: 'checkpoint', checkpointPath: source.path} : targetView,
		openTarget: targetView,
		refPath: edge.fromPath ?? undefined,
		impact: edge.fromPath === null ? undefined : {targets: [edge.fromPath], label: `${edge.fromKind ?? 'snapshot'} ${lineageFromLabel(edge)} (restored into job ${shortJobId(edge.toJobId)})`},
		details: () => [
			{label: 'Restored job', value: edge.toJobId, mark: 'cross-job'},
			{label: 'Job path', value: edge.toPath},
			{label: 'From', value: edge.fromPath ?? 'unknown snapshot (not under the roots)', mark: edge.fromPath === null || source ? undefined : 'outside'},
			{label: 'From job', value: edge.fromJobId ?? 'unknown'},
			{label: 'Snapshot', value: `${edge.fromKind ?? 'unknown kind'}${edge.fromCheckpointId === null ? '' : ` ${edge.fromCheckpointId}`}`},
			{label: 'Claim mode', value: edge.claimMode},
			{label: '', value: CLAIM_MODES[edge.claimMode]},
			{label: 'Evidence', value: edge.evidence.length === 0 ? 'none' : `${formatCount(edge.evidence.length)} item(s):`},
			...edge.evidence.map((evidence) => ({label: `  ${evidence.type === 'cross-job-reference' ? 'reference' : evidence.type === 'checkpoint-id-continues' ? 'ids' : evidence.type === 'unclaimed-flag' ? 'unclaimed' : 'name'}`, value: evidenceText(index, evidence)})),
			{label: 'Keys', value: `⏎ ${source ? 'source' : 'restored job'} · t restored job · d impact`},
		],
	};
}

function buildLineage(index: AnalysisIndex): ListModel {
	const {edges, error} = index.lineage();
	const empty = error === undefined ? 'No restores found: no job references another job’s checkpoint or savepoint.' : `Lineage could not be inferred: ${error}`;
	const rows = lineageChains(edges).map(({edge, depth}, position) => lineageRow(index, edge, depth, position));
	const chains = lineageChainTexts(edges);
	return {
		crumb: 'Lineage',
		empty,
		summary: edges.length === 0 ? undefined : `↗ ${formatCount(edges.length)} restore(s) in ${formatCount(chains.length)} chain(s): ${chains.join(' · ')}`,
		sections: [{id: 'lineage', columns: LINEAGE_COLUMNS, rows, empty}],
	};
}

/** The breadcrumb label of a view, without building its rows. */
export function viewCrumb(index: AnalysisIndex, view: ViewRef): string {
	switch (view.type) {
		case 'jobs':
			return 'Jobs';
		case 'checkpoints': {
			const job = index.jobByPath.get(view.jobPath);
			return job ? shortJobId(job.jobId) : baseName(view.jobPath);
		}

		case 'checkpoint': {
			const checkpoint = index.checkpointByPath.get(view.checkpointPath);
			return checkpoint ? checkpointLabel(checkpoint) : baseName(view.checkpointPath);
		}

		case 'files':
			return `${baseName(view.dependencyPath) || view.dependencyPath}/`;
		case 'orphans':
			return 'Orphans';
		case 'missing':
			return 'Missing files';
		case 'warnings':
			return 'Warnings';
		case 'referencedBy':
			return `Referenced by ${baseName(view.path) || view.path}`;
		case 'lineage':
			return 'Lineage';
	}
}

/**
 * The steps of building the rows of a view: the two views that can hold 100,000 rows (a
 * directory's files, the orphans) yield every few thousand rows; the others are one step.
 */
function* buildSteps(index: AnalysisIndex, view: ViewRef): Generator<void, ListModel> {
	switch (view.type) {
		case 'jobs':
			return buildJobs(index);
		case 'checkpoints':
			return buildCheckpoints(index, view.jobPath);
		case 'checkpoint':
			return buildCheckpoint(index, view.checkpointPath);
		case 'files':
			return yield* buildFiles(index, view.checkpointPath, view.dependencyPath);
		case 'orphans':
			return yield* buildOrphans(index);
		case 'missing':
			return buildMissing(index);
		case 'warnings':
			return buildWarnings(index);
		case 'referencedBy':
			return buildReferencedBy(index, view.path);
		case 'lineage':
			return buildLineage(index);
	}
}

/** Builds the rows of a view. */
export function buildView(index: AnalysisIndex, view: ViewRef): ListModel {
	return finishSteps(buildSteps(index, view));
}

/** How many built views an analysis keeps (the big ones hold up to 100,000 rows). */
const VIEW_CACHE_SIZE = 8;

/** How many builds under way an analysis keeps (the oldest is dropped, its work lost). */
const PENDING_BUILDS = 4;

/** How many views built ahead and not opened yet an analysis keeps (apart: they never push out an opened view). */
export const VIEWS_KEPT_AHEAD = 8;

interface ViewCache {
	/** Opened views ({@link cachedView}) by `JSON.stringify(view)`, least recently used first. */
	built: Map<string, ListModel>;
	/** Views built ahead ({@link prepareView}) and not opened yet, oldest first. */
	ahead: Map<string, ListModel>;
	/** Builds under way, oldest first. */
	pending: Map<string, Generator<void, ListModel>>;
}

const viewCaches = new WeakMap<AnalysisIndex, ViewCache>();

function viewCache(index: AnalysisIndex): ViewCache {
	let cache = viewCaches.get(index);
	if (cache === undefined) {
		cache = {built: new Map(), ahead: new Map(), pending: new Map()};
		viewCaches.set(index, cache);
	}

	return cache;
}

/** Keeps `model` as the most recently used of `views` (the least recently used goes beyond `size`). */
function keep(views: Map<string, ListModel>, size: number, key: string, model: ListModel): void {
	views.delete(key);
	if (views.size >= size) {
		views.delete(views.keys().next().value!);
	}

	views.set(key, model);
}

/**
 * Advances the build of `view` (key `key`) until it ends or `deadline` passes: the built view
 * (not kept anywhere yet), or `undefined` with the build kept to go on with.
 */
function advanceBuild(index: AnalysisIndex, cache: ViewCache, key: string, view: ViewRef, deadline: number): ListModel | undefined {
	let steps = cache.pending.get(key);
	if (steps === undefined) {
		steps = buildSteps(index, view);
		if (cache.pending.size >= PENDING_BUILDS) {
			cache.pending.delete(cache.pending.keys().next().value!);
		}

		cache.pending.set(key, steps);
	}

	let done: {value: ListModel} | undefined;
	try {
		done = advanceSteps(steps, deadline);
	} catch (error) {
		// A build that threw is done: the next use starts over (and throws again).
		cache.pending.delete(key);
		throw error;
	}

	if (done !== undefined) {
		cache.pending.delete(key);
	}

	return done?.value;
}

/**
 * Advances the build of `view` until it is built or `deadline` (a `performance.now()` time, ms)
 * passes: the built view, or `undefined` with the build kept to go on with (by this or by
 * {@link cachedView}). A view built here is kept apart from the opened ones until it is opened
 * (the {@link VIEWS_KEPT_AHEAD} most recently prepared). Throws what the build throws.
 */
export function prepareView(index: AnalysisIndex, view: ViewRef, deadline = Number.POSITIVE_INFINITY): ListModel | undefined {
	const cache = viewCache(index);
	const key = JSON.stringify(view);
	const opened = cache.built.get(key);
	if (opened !== undefined) {
		return opened;
	}

	const model = cache.ahead.get(key) ?? advanceBuild(index, cache, key, view, deadline);
	if (model !== undefined) {
		// Kept, or refreshed as the most recently prepared.
		keep(cache.ahead, VIEWS_KEPT_AHEAD, key, model);
	}

	return model;
}

/**
 * `buildView`, memoised per analysis index and view: going back to a view, or opening it again,
 * reuses its rows (and so their computed cells and the sorts and filters made on them). Keeps
 * the {@link VIEW_CACHE_SIZE} most recently opened views; takes a view built ahead, and finishes
 * a build under way ({@link prepareView}).
 */
export function cachedView(index: AnalysisIndex, view: ViewRef): ListModel {
	const cache = viewCache(index);
	const key = JSON.stringify(view);
	// Taken from the views built ahead, not kept there first: that could push out another one.
	const model = cache.built.get(key) ?? cache.ahead.get(key) ?? advanceBuild(index, cache, key, view, Number.POSITIVE_INFINITY)!;
	cache.ahead.delete(key);
	keep(cache.built, VIEW_CACHE_SIZE, key, model);
	return model;
}
