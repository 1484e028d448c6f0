/** Job-level facts derived from an {@link Analysis}, shared by the reports and the explorer. */
import type {Analysis, CheckpointAnalysis, JobSummary} from './types.js';

/**
 * Whether Flink completed this snapshot: its `_metadata` was read, whatever became of its files
 * since (status `complete`, `missing-files`, `damaged` or `unknown-files`). Such a checkpoint counts
 * for the job's latest checkpoint id, for `--keep-last` and for restore lineage.
 */
export function isCompletedByFlink(cp: CheckpointAnalysis): boolean {
	return cp.status === 'complete' || cp.status === 'missing-files' || cp.status === 'damaged' || cp.status === 'unknown-files';
}

/**
 * The newest complete checkpoint of a job (kind `checkpoint`, status `complete`: its `_metadata`
 * read and every referenced file there; the newest id, then time), or `undefined`. This is what
 * the job can be restored from; its `latestCheckpointId` may be a newer one with missing files.
 */
export function newestCompleteCheckpoint(job: JobSummary): CheckpointAnalysis | undefined {
	let best: CheckpointAnalysis | undefined;
	for (const cp of job.checkpoints) {
		if (cp.kind !== 'checkpoint' || cp.status !== 'complete' || cp.checkpointId === null) continue;
		if (best === undefined || cp.checkpointId > best.checkpointId! || (cp.checkpointId === best.checkpointId && cp.timeMs > best.timeMs)) best = cp;
	}
	return best;
}

/**
 * The newest checkpoint fcx could verify the job can be restored from, or `undefined`: the newest
 * complete one ({@link newestCompleteCheckpoint}: not missing, damaged, unreadable or legacy) whose
 * references all lie in the scanned tree (a file outside it was not checked: unknown). Savepoints
 * are not considered (`kind` checkpoint only).
 */
export function newestRestorableCheckpoint(job: JobSummary): CheckpointAnalysis | undefined {
	return newestCompleteCheckpoint({...job, checkpoints: job.checkpoints.filter((cp) => cp.outside === 0)});
}

/**
 * The number of distinct jobs (job ids) in an analysis: the group of snapshots outside job
 * directories (`jobId: null`) is not a job, and a job with several directories (e.g. its
 * `changelog/<job id>`, or one under each of two roots) counts once.
 */
export function countJobs(analysis: Analysis): number {
	return new Set(analysis.jobs.map((job) => job.jobId).filter((jobId) => jobId !== null)).size;
}
