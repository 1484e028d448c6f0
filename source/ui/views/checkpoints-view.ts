/**
 * The checkpoints view: a job's checkpoints and savepoints, one row each, and the row that the
 * referenced-by view reuses.
 */
import {describeFormatVersion} from '../../metadata/versions.js';
import type {CheckpointAnalysis, JobSummary} from '../../analysis/types.js';
import {shortJobId} from '../format.js';
import {baseName} from '../../tree/layout.js';
import {formatBytes, formatCount, formatCountOf, formatTime} from '../../text/index.js';
import type {Mark} from '../marks.js';
import type {Column, DetailLine, ListModel, Row} from './types.js';
import {type AnalysisIndex, checkpointLabel} from './analysis-index.js';
import {restoredFrom, ownSavepointRestores, restoredFromValue} from './jobs-view.js';

// ---------------------------------------------------------------------------------------------
// Checkpoints (of a job, or referencing a path)
// ---------------------------------------------------------------------------------------------

/** The columns of a checkpoint row (the referenced-by view puts a job column before them). */
export const CHECKPOINT_COLUMNS: Column[] = [
	{title: 'Checkpoint', width: 'flex', minWidth: 10, cut: 'path'},
	{title: 'Type', width: 10},
	{title: 'Fmt', width: 3, align: 'right'},
	{title: 'Time (UTC)', width: 19, sortKey: 'time'},
	{title: 'Size', width: 9, align: 'right', sortKey: 'size'},
	{title: 'Status', width: 13},
];

/**
 * A snapshot's size as the lists show it: the bytes it references, or for a chk-<n> without
 * `_metadata` (which references nothing) what its directory holds (an orphan's bytes).
 */
export function snapshotBytes(index: AnalysisIndex, checkpoint: CheckpointAnalysis): number {
	return checkpoint.metadataPath === null ? (index.orphanAt(checkpoint.path)?.bytes ?? 0) : checkpoint.sizes.referencedBytes;
}

/** The details pane of a checkpoint or savepoint: status, sizes, counts and where it is. */
export function checkpointDetails(index: AnalysisIndex, checkpoint: CheckpointAnalysis): DetailLine[] {
	const {sizes, properties} = checkpoint;
	// Without `_metadata` nothing is referenced: the directory's bytes are all it has (as in the Size column).
	const ownDirectory =
		checkpoint.metadataPath === null
			? `${formatBytes(snapshotBytes(index, checkpoint))} (no _metadata: nothing in it is referenced)`
			: formatBytes(sizes.ownDirectoryBytes);
	const lines: DetailLine[] = [
		{label: 'Path', value: checkpoint.path},
		{label: 'Job', value: checkpoint.jobId ?? '-'},
		{label: 'Kind', value: `${checkpoint.kind}${checkpoint.checkpointId === null ? '' : ` ${checkpoint.checkpointId}`}`},
		{label: 'Status', value: checkpoint.status, mark: checkpointMarks(checkpoint)[0]},
		{label: 'Format', value: checkpoint.formatVersion === null ? '-' : `v${checkpoint.formatVersion}: ${describeFormatVersion(checkpoint.formatVersion)}`},
		{label: 'Time', value: formatTime(checkpoint.timeMs)},
		{label: 'Referenced', value: formatBytes(sizes.referencedBytes)},
		{label: 'Own dir', value: ownDirectory},
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
		lines.push({
			label: 'Approximate',
			value: `${formatCountOf(approximate.length, 'path-like string')} found by scanning the bytes: NOT authoritative, never used for orphans`,
			mark: 'warning',
		});
		for (const entry of approximate.slice(0, 8)) lines.push({label: '', value: `~ ${entry.text}`});
	}

	return lines;
}

/**
 * A checkpoint or savepoint row; `label` names it (default: {@link checkpointLabel}, its
 * directory's name).
 */
export function checkpointRow(index: AnalysisIndex, checkpoint: CheckpointAnalysis, withJob: boolean, label = checkpointLabel(checkpoint)): Row {
	const bytes = snapshotBytes(index, checkpoint);
	const cells = [
		label,
		checkpoint.kind,
		checkpoint.formatVersion === null ? '-' : String(checkpoint.formatVersion),
		formatTime(checkpoint.timeMs),
		formatBytes(bytes),
		checkpoint.status,
	];
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
		details: () => checkpointDetails(index, checkpoint),
	};
}

/** The impact target of a checkpoint or savepoint: its directory. */
export function checkpointImpact(checkpoint: CheckpointAnalysis): {targets: string[]; label: string} {
	return {
		targets: [checkpoint.path],
		label: `${checkpoint.kind} ${checkpointLabel(checkpoint)}${checkpoint.jobId === null ? '' : ` of job ${shortJobId(checkpoint.jobId)}`}`,
	};
}

/** ` · ↗ restored from <short ids>` for the checkpoints view's summary (empty when not restored). */
function restoredFromText(index: AnalysisIndex, job: JobSummary): string {
	const sources = restoredFrom(index, job);
	const own = ownSavepointRestores(index, job);
	return sources.length === 0 && own.length === 0
		? ''
		: ` · ↗ restored from ${restoredFromValue(
				sources.map((id) => shortJobId(id)),
				own,
			)}`;
}

/**
 * The name of a snapshot outside job directories: its path below the group's directory, since many
 * such directories share a name (`savepoint`, `1.6`), and the filter should find them by it.
 */
function looseLabel(group: JobSummary, checkpoint: CheckpointAnalysis): string {
	const prefix = `${group.path.replace(/\/+$/, '')}/`;
	return checkpoint.path.startsWith(prefix) ? checkpoint.path.slice(prefix.length) : checkpointLabel(checkpoint);
}

/** The view of the job at `jobPath`: its checkpoints and savepoints, in the order the analysis lists them. */
export function buildCheckpoints(index: AnalysisIndex, jobPath: string): ListModel {
	const job = index.jobByPath.get(jobPath);
	const crumb = job ? shortJobId(job.jobId) : baseName(jobPath);
	const empty = job ? 'This job has no checkpoints or savepoints.' : `Unknown job ${jobPath}.`;
	return {
		crumb,
		empty,
		summary: job
			? `${job.label} · ${formatCountOf(job.checkpoints.length, 'snapshot')} · ${formatBytes(job.bytesOnDisk)} on disk${restoredFromText(index, job)}`
			: undefined,
		sections: [
			{
				id: 'checkpoints',
				columns: CHECKPOINT_COLUMNS,
				rows: (job?.checkpoints ?? []).map((checkpoint) =>
					checkpointRow(index, checkpoint, false, job?.jobId === null ? looseLabel(job, checkpoint) : undefined),
				),
				empty,
			},
		],
	};
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
