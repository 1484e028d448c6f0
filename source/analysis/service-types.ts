/**
 * The answers of the analysis services beside the analysis itself: restore lineage, the what-if of
 * a deletion and the retention simulation (`lineage.ts`, `what-if.ts`). `types.ts` re-exports
 * them, so consumers read every shape from one place. Sizes are bytes; paths absolute.
 */
/** One piece of evidence that a job was restored from a checkpoint or savepoint. */
export type LineageEvidence =
	| {type: 'cross-job-reference'; checkpointPath: string; directory: string; files: number}
	| {type: 'checkpoint-id-continues'; restoredId: number; firstCheckpointId: number}
	| {type: 'unclaimed-flag'; checkpointPath: string; unclaimed: boolean}
	| {type: 'savepoint-prefix'; savepointPath: string; jobIdPrefix: string};

/** Restore (claim) mode as far as the evidence tells. */
export type InferredClaimMode = 'CLAIM' | 'NO_CLAIM' | 'LEGACY' | 'CLAIM or LEGACY' | 'unknown';

/** An edge "job `toJobId` was restored from snapshot `fromPath` (of job `fromJobId`)". */
export interface LineageEdge {
	/** Directory of the restored checkpoint or savepoint, when known. */
	fromPath: string | null;
	fromJobId: string | null;
	fromCheckpointId: number | null;
	fromKind: 'checkpoint' | 'savepoint' | null;
	toJobId: string;
	/** Path of the restored job's directory. */
	toPath: string;
	claimMode: InferredClaimMode;
	evidence: LineageEvidence[];
}

/** The impact of deleting some checkpoints, savepoints or directories (nothing is changed). */
export interface WhatIfResult {
	/** What the user asked to delete (absolute paths). */
	targets: string[];
	/** Files that would no longer be referenced by any remaining checkpoint: removable with the targets. */
	freedFiles: string[];
	freedBytes: number;
	/** Checkpoints that remain but would lose a referenced file: they would break. */
	broken: {checkpointPath: string; lostFiles: string[]}[];
	/**
	 * Remaining snapshots that may reference files under the targets but could not be read: what
	 * they would lose is unknown, so `broken` is not the whole impact (empty when all were read).
	 */
	unreadable: UnreadableReferrer[];
	/** Checkpoints (directories) removed by the deletion. */
	removedCheckpoints: string[];
	/** Reasons the request is refused or dangerous, e.g. it touches the newest complete checkpoint of a job. */
	warnings: string[];
}

/** Retention simulation (`--keep-last N` per job): which complete checkpoints would be subsumed. */
export interface RetentionResult {
	keepLast: number;
	subsumed: string[];
	/** Files freed because no retained checkpoint of any job references them. */
	freedBytes: number;
	freedFiles: number;
	/** Files of subsumed checkpoints still needed by a retained checkpoint (of any job): not counted. */
	stillNeeded: number;
	/**
	 * Jobs left without a checkpoint to restore from: the newest one whose files are all there is
	 * subsumed while the newer ones kept have missing files.
	 */
	warnings: string[];
}

/**
 * A snapshot whose references are not known, and which may reference files under deletion targets:
 * what deleting them breaks cannot be known. Status `unreadable` (its `_metadata` does not parse),
 * `legacy` (Flink 1.1/1.2: references not read), or `unreadable-directory` (a directory the scan
 * could not list: it may hold `_metadata` files; `metadataPath` is then `null`).
 */
export interface UnreadableReferrer {
	/** The snapshot's directory, or the directory that could not be listed. */
	checkpointPath: string;
	metadataPath: string | null;
	status: 'unreadable' | 'legacy' | 'unreadable-directory';
	/** The parse error, legacy message or listing error, when known. */
	error: string | null;
	/** The targets (absolute, normalised) it may reference. */
	targets: string[];
}
