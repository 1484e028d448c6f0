/**
 * One checkpoint's view: its dependencies (the storage directories it references) and its
 * operators.
 */
import {SAVEPOINT_DIR_RE, baseName} from '../../tree/layout.js';
import type {CheckpointAnalysis, Dependency, OperatorSummary} from '../../analysis/types.js';
import {shortJobId} from '../format.js';
import {formatBytes, formatCount, formatCountOf} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, ListModel, Row, Section} from './types.js';
import {type AnalysisIndex, relativeToRoot, referencingCheckpoints, checkpointLabel} from './analysis-index.js';
import {checkpointDetails, checkpointImpact} from './checkpoints-view.js';

const DEPENDENCY_COLUMNS: Column[] = [
	{title: 'Kind', width: 12},
	{title: 'Directory', width: 'flex', minWidth: 12, cut: 'path'},
	{title: 'Files', width: 6, align: 'right'},
	{title: 'Bytes', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Missing', width: 7, align: 'right'},
	{title: 'Job', width: 11},
];

const OPERATOR_COLUMNS: Column[] = [
	{title: 'Operator', width: 'flex', minWidth: 12},
	{title: 'Par', width: 4, align: 'right'},
	{title: 'MaxPar', width: 6, align: 'right'},
	{title: 'State', width: 'flex', minWidth: 12, cut: 'end'},
	{title: 'Bytes', width: 9, align: 'right', sortKey: 'size'},
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
			{
				label: 'Local',
				value: dependency.local ? 'inside the scanned roots' : 'outside the scanned tree (not checked)',
				mark: dependency.local ? undefined : 'outside',
			},
			{
				label: 'Job',
				value:
					jobId === null
						? '-'
						: dependency.jobId === null && dependency.kind === 'savepoint'
							? `${jobId}${jobId.length < 32 ? '… (by its name)' : ''} (its savepoint)`
							: jobId,
			},
			{label: 'Cross-job', value: dependency.crossJob ? `yes, owned by ${jobId ?? 'another job'}` : 'no', mark: dependency.crossJob ? 'cross-job' : undefined},
			{label: 'Files', value: formatCount(dependency.files)},
			{label: 'Bytes', value: formatBytes(dependency.bytes)},
			{label: 'Missing', value: formatCount(dependency.missing), mark: dependency.missing > 0 ? 'missing' : undefined},
			{label: 'Needed by', value: `${formatCountOf(referencingCheckpoints(index, dependency.path).length, 'checkpoint')} (r)`},
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

/** The view of the checkpoint at `checkpointPath`: its dependencies, then its operators (no sections when it is unknown). */
export function buildCheckpoint(index: AnalysisIndex, checkpointPath: string): ListModel {
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
		details: () => checkpointDetails(index, checkpoint),
		summary: `${checkpoint.kind} · ${checkpoint.formatVersion === null ? 'no format' : `v${checkpoint.formatVersion}`} · ${checkpoint.status} · ${formatBytes(checkpoint.sizes.referencedBytes)} referenced${checkpoint.error ? ` · ! ${checkpoint.error}` : ''}`,
		sections: [dependencies, operators],
	};
}
