/**
 * Machine-readable report of an {@link Analysis} (`fcx --json`): a plain object that
 * `JSON.stringify` can always serialise (no bigint, no Map, no Uint8Array) and whose arrays are
 * sorted by path, so that two reports of the same tree diff cleanly. Its fields are in
 * `json-schema.ts`; `json-stream.ts` writes the same text without holding it whole.
 */
import type {Analysis, CheckpointAnalysis, Dependency, JobSummary, Orphan, ResolvedFile} from '../analysis/types.js';
import {countJobs, newestRestorableCheckpoint} from '../analysis/jobs.js';
import {inferLineage} from '../analysis/lineage.js';
import type {CheckpointProperties} from '../metadata/types.js';
import {DirectorySet, directoryAbove} from '../tree/layout.js';
import {comparePaths, isoTime, sortByPath, sortByPathInPlace, sortPaths} from '../text/index.js';
import {
	TOOL_NAME,
	type ReportCheckpoint,
	type ReportDependency,
	type ReportFile,
	type ReportJob,
	type ReportJson,
	type ReportJsonOptions,
	type ReportOrphan,
	type ReportProperties,
} from './json-schema.js';
import {jobStorage, type JobStorage} from '../analysis/storage.js';
import {quarantinedBytes} from './quarantines.js';
import {jobStorageToJson, quarantinesToJson} from './storage-json.js';

export * from './json-schema.js';

/** Summarise `CheckpointProperties` for the report; `null` when absent. */
export function summariseProperties(properties: CheckpointProperties | null | undefined): ReportProperties | null {
	if (!properties) {
		return null;
	}

	const type = properties.checkpointType;
	const summary: ReportProperties = {
		snapshot: type ? type.kind : null,
		type: type ? type.name : null,
		forced: properties.forced,
		discardSubsumed: properties.discardSubsumed,
		discardFinished: properties.discardFinished,
		discardCancelled: properties.discardCancelled,
		discardFailed: properties.discardFailed,
		discardSuspended: properties.discardSuspended,
		unclaimed: properties.unclaimed ?? null,
	};
	if (type?.kind === 'checkpoint') {
		summary.sharingFilesStrategy = type.sharingFilesStrategy;
	} else if (type?.kind === 'savepoint') {
		summary.postCheckpointAction = type.postCheckpointAction;
		summary.formatType = type.formatType;
	}

	return summary;
}

/** A JSON-safe number: bigint and non-finite values would break `JSON.stringify` or lose meaning. */
export function num(value: number | bigint): number {
	return typeof value === 'bigint' ? Number(value) : value;
}

function fileToJson(file: ResolvedFile): ReportFile {
	const out: ReportFile = {
		uri: file.uri,
		path: file.path,
		handle: file.handle,
		size: num(file.size),
		exists: file.exists,
		references: file.references,
		operatorId: file.reference.operatorId,
		subtaskIndex: file.reference.subtaskIndex,
		slot: file.reference.slot,
	};
	if (file.reference.localPath !== undefined) {
		out.localPath = file.reference.localPath;
	}

	if (file.actualSize !== undefined) {
		out.actualSize = file.actualSize;
	}

	if (file.neededBytes !== undefined) {
		out.neededBytes = file.neededBytes;
	}

	if (file.damaged === true) {
		out.damaged = true;
	}

	if (file.note !== undefined) {
		out.note = file.note;
	}

	return out;
}

export function dependencyToJson(dependency: Dependency): ReportDependency {
	return {
		path: dependency.path,
		local: dependency.local,
		kind: dependency.kind,
		jobId: dependency.jobId,
		crossJob: dependency.crossJob,
		files: dependency.files,
		bytes: dependency.bytes,
		missing: dependency.missing,
	};
}

/** A checkpoint without `files` and `dependencies` (the keys that come last). */
/** A checkpoint of the report without its `files` and `dependencies` (written apart by the stream). */
export type ReportCheckpointHead = Omit<ReportCheckpoint, 'files' | 'dependencies'>;

export function checkpointHeadToJson(checkpoint: CheckpointAnalysis): ReportCheckpointHead {
	const out: ReportCheckpointHead = {
		path: checkpoint.path,
		metadataPath: checkpoint.metadataPath,
		jobId: checkpoint.jobId,
		kind: checkpoint.kind,
		checkpointId: checkpoint.checkpointId,
		formatVersion: checkpoint.formatVersion,
		status: checkpoint.status,
		time: isoTime(checkpoint.timeMs),
		...(checkpoint.error === undefined ? {} : {error: checkpoint.error}),
		...(checkpoint.approximateReferences === undefined
			? {}
			: {approximate: {notAuthoritative: true as const, strings: checkpoint.approximateReferences.map((r) => ({...r}))}}),
		properties: summariseProperties(checkpoint.properties),
		sizes: {...checkpoint.sizes},
		missing: checkpoint.missing,
		damaged: checkpoint.damaged,
		outside: checkpoint.outside,
		operators: checkpoint.operators.map((operator) => ({
			operatorId: operator.operatorId,
			name: operator.name,
			uid: operator.uid,
			parallelism: operator.parallelism,
			maxParallelism: operator.maxParallelism,
			subtasks: operator.subtasks,
			finishedSubtasks: operator.finishedSubtasks,
			fullyFinished: operator.fullyFinished,
			stateKinds: [...operator.stateKinds],
			stateNames: [...operator.stateNames],
			bytes: operator.bytes,
		})),
	};
	return out;
}

function checkpointToJson(checkpoint: CheckpointAnalysis, withFiles: boolean): ReportCheckpoint {
	return {
		...checkpointHeadToJson(checkpoint),
		...(withFiles ? {files: sortByPath(checkpoint.files, (file) => file.path ?? file.uri).map(fileToJson)} : {}),
		dependencies: sortByPath(checkpoint.dependencies, (dependency) => dependency.path).map(dependencyToJson),
	};
}

function jobToJson(job: JobSummary, storage: JobStorage | undefined): ReportJob {
	const restorable = newestRestorableCheckpoint(job);
	const out: ReportJob = {
		jobId: job.jobId,
		label: job.label,
		path: job.path,
		checkpoints: job.checkpoints.length,
		latestCheckpointId: job.latestCheckpointId,
		bytesOnDisk: job.bytesOnDisk,
		orphans: job.orphans,
		orphanBytes: job.orphanBytes,
		missing: job.missing,
		damaged: job.damaged,
		exclusiveBytes: job.exclusiveBytes,
		newestRestorableCheckpoint: restorable === undefined ? null : {path: restorable.path, id: restorable.checkpointId!},
		referencesJobs: [...job.referencesJobs].sort(comparePaths),
	};
	if (storage !== undefined) out.storage = jobStorageToJson(storage);
	return out;
}

function orphanToJson(orphan: Orphan): ReportOrphan {
	return {
		path: orphan.path,
		type: orphan.type,
		reason: orphan.reason,
		description: orphan.description,
		bytes: orphan.bytes,
		files: orphan.files,
		jobId: orphan.jobId,
		time: isoTime(orphan.timeMs),
		possiblyInProgress: orphan.possiblyInProgress,
	};
}

/**
 * Bytes freed by deleting every orphan that is not possibly in progress. An orphan nested inside
 * another orphan directory (e.g. a file inside an unreferenced directory) is counted once.
 */
export function reclaimableBytes(orphans: readonly Orphan[]): number {
	const counted = orphans.filter((orphan) => !orphan.possiblyInProgress);
	const directories = new DirectorySet(counted.filter((orphan) => orphan.type === 'directory').map((orphan) => orphan.path));
	let total = 0;
	for (const orphan of counted) {
		const above = directoryAbove(orphan.path);
		if (above !== null && directories.contains(above)) {
			continue;
		}

		total += orphan.bytes;
	}

	return total;
}

/** The report with `checkpoints` left empty, and the checkpoints in report order. */
export function reportParts(analysis: Analysis, options: ReportJsonOptions): {report: ReportJson; checkpoints: CheckpointAnalysis[]} {
	const orphans = sortByPath(analysis.orphans, (orphan) => orphan.path);
	const real = orphans.filter((orphan) => !orphan.possiblyInProgress);
	const inProgress = orphans.filter((orphan) => orphan.possiblyInProgress);
	const checkpoints = sortByPath(analysis.checkpoints, (checkpoint) => checkpoint.path);
	const tool: ReportJson['tool'] = {name: TOOL_NAME};
	const storages = new Map(jobStorage(analysis).map((s) => [s.jobPath, s]));
	if (options.version !== undefined) {
		tool.version = options.version;
	}

	const report: ReportJson = {
		tool,
		generatedAt: isoTime(analysis.analysedAtMs) ?? new Date(0).toISOString(),
		roots: [...analysis.roots],
		mappings: analysis.mappings.map((mapping) => ({remote: mapping.remote, local: mapping.local, inferred: mapping.inferred})),
		minAgeMs: analysis.minAgeMs,
		summary: {
			jobs: countJobs(analysis),
			checkpoints: analysis.totals.checkpoints,
			savepoints: analysis.totals.savepoints,
			orphans: real.length,
			orphanBytes: real.reduce((sum, orphan) => sum + orphan.bytes, 0),
			reclaimableBytes: reclaimableBytes(real),
			possiblyInProgress: inProgress.length,
			possiblyInProgressBytes: inProgress.reduce((sum, orphan) => sum + orphan.bytes, 0),
			missing: analysis.missing.length,
			checkpointsWithMissingFiles: analysis.checkpoints.filter((checkpoint) => checkpoint.missing > 0 || checkpoint.status === 'missing-files').length,
			damaged: analysis.damaged.length,
			checkpointsWithDamagedFiles: analysis.checkpoints.filter((checkpoint) => checkpoint.damaged > 0).length,
			warnings: analysis.warnings.length,
			files: analysis.totals.files,
			bytesOnDisk: analysis.totals.bytesOnDisk,
			quarantinedBytes: quarantinedBytes(analysis),
		},
		jobs: sortByPath(analysis.jobs, (job) => job.path).map((job) => jobToJson(job, job.jobId === null ? undefined : storages.get(job.path))),
		checkpoints: [],
		orphans: orphans.map(orphanToJson),
		missing: sortByPath(analysis.missing, (missing) => missing.path).map((missing) => ({
			path: missing.path,
			uri: missing.uri,
			referencedBy: sortPaths([...missing.referencedBy]),
		})),
		damaged: sortByPath(analysis.damaged, (damaged) => damaged.path).map((damaged) => ({
			path: damaged.path,
			uri: damaged.uri,
			expectedBytes: damaged.expectedBytes,
			actualBytes: damaged.actualBytes,
			referencedBy: sortPaths([...damaged.referencedBy]),
		})),
		// Sorted by (path, message): a stable sort by path of the warnings sorted by message.
		warnings: sortByPathInPlace(
			sortByPath(analysis.warnings, (warning) => warning.message),
			(warning) => warning.path,
		).map((warning) => ({
			code: warning.code,
			path: warning.path,
			message: warning.message,
		})),
		lineage: inferLineage(analysis),
		quarantines: quarantinesToJson(analysis),
	};
	return {report, checkpoints};
}

/**
 * Build the JSON report of an analysis. Pure: the same analysis gives the same object
 * (`generatedAt` is the analysis time, not the current time).
 */
export function reportToJson(analysis: Analysis, options: ReportJsonOptions = {}): ReportJson {
	const {report, checkpoints} = reportParts(analysis, options);
	report.checkpoints = checkpoints.map((checkpoint) => checkpointToJson(checkpoint, options.files === true));
	return report;
}
